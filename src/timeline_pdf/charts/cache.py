"""Chart drawings kept for reuse within one process, keyed by everything they are drawn from.

The brief's page-budget loop renders the brief more than once, and a watch session rebuilds
after every save; a chart is drawn again only when something it shows changed. The key is made
of values, never of object identity: the chart's kind and size, the report's events (every
field of every event: the tuple of frozen events compares by value), period, categories,
casualty groups and reference date, the layout's chart-relevant parts (``charts``, ``colours``,
``palette``, ``typography``, the heading family and the small text size) and the resolved font files. Nothing is written to disk, so a new
process always draws afresh.

:func:`prepare` draws several charts at once: on Linux, with two or more cores and no other
thread running, half of them in a forked process (which inherits the loaded matplotlib and
fonts, and returns its drawings pickled through a pipe) while this process draws the rest.
Anywhere else, or if the child fails, they are drawn here one after another; the drawings are
the same either way.
"""

from __future__ import annotations

import os
import pickle
import sys
import threading
from collections import OrderedDict
from typing import TYPE_CHECKING

from timeline_pdf.fonts import DocumentFonts
from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.model import Report

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

KINDS = ("frequency", "casualties", "locations", "map")
COST = {"frequency": 3, "casualties": 3, "map": 2, "locations": 1}  # rough relative drawing times, to share the work
MAX_DRAWINGS = 32  # least recently used drawings beyond this are dropped

_drawings: OrderedDict[tuple, Drawing | None] = OrderedDict()
stats = {"drawn": 0, "reused": 0}


class _Events:
    """The events as part of a key: compared by value, hashed once (10,000 events take 0.1 s)."""

    __slots__ = ("events", "_hash")

    def __init__(self, events: tuple) -> None:
        self.events, self._hash = events, hash(events)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Events) and self._hash == other._hash and (self.events is other.events or self.events == other.events)


_events: OrderedDict[int, _Events] = OrderedDict()  # id of an events tuple -> its key part (holding the tuple, so the id stays its own)


def _events_key(events: tuple) -> _Events:
    found = _events.get(id(events))
    if found is None or found.events is not events:
        found = _events[id(events)] = _Events(events)
        while len(_events) > MAX_DRAWINGS:
            _events.popitem(last=False)
    return found


def chart_key(kind: str, report: Report, layout: LoadedLayout, fonts: DocumentFonts, width: float, height: float) -> tuple:
    look = layout.spec.model_dump_json(include={"charts": True, "colours": True, "palette": True, "typography": True, "fonts": {"heading": True, "sizes": {"small"}}}, exclude={"charts": {"height"}})  # the height is in the key itself
    return (kind, round(width, 3), round(height, 3), _events_key(report.events), report.period, report.categories, report.groups, report.info.reference_date, look, fonts)


def chart_drawing(kind: str, report: Report, layout: LoadedLayout, fonts: DocumentFonts, width: float, height: float) -> Drawing | None:
    """The chart of ``kind`` as a Drawing ``width`` by ``height`` points, drawn or reused.

    None for a map without any event coordinates. Full-width charts (frequency, casualties)
    take their height from the layout; ``height`` is then that height.
    """
    key = chart_key(kind, report, layout, fonts, width, height)
    if key in _drawings:
        _drawings.move_to_end(key)
        stats["reused"] += 1
        return _drawings[key]
    drawing = _draw(kind, report, layout, fonts, width, height)
    stats["drawn"] += 1
    _keep(key, drawing)
    return drawing


def _draw(kind: str, report: Report, layout: LoadedLayout, fonts: DocumentFonts, width: float, height: float) -> Drawing | None:
    from timeline_pdf.charts import casualty_chart, frequency_chart, locations_chart, map_chart

    if kind == "frequency":
        return frequency_chart(report, layout, fonts, width)
    if kind == "casualties":
        return casualty_chart(report, layout, fonts, width)
    if kind == "locations":
        return locations_chart(report, layout, fonts, width, height)
    if kind == "map":
        return map_chart(report, layout, fonts, width, height)
    raise ValueError(f"unknown chart kind {kind!r}; expected one of {', '.join(KINDS)}")


def _keep(key: tuple, drawing: Drawing | None) -> None:
    _drawings[key] = drawing
    while len(_drawings) > MAX_DRAWINGS:
        _drawings.popitem(last=False)


def prepare(report: Report, layout: LoadedLayout, fonts: DocumentFonts, charts: list[tuple[str, float, float]]) -> None:
    """Draw the charts (kind, width, height) not kept yet, in two processes when that is safe."""
    wanted: dict[tuple, tuple[str, float, float]] = {}
    for kind, width, height in charts:
        key = chart_key(kind, report, layout, fonts, width, height)
        if key not in _drawings:
            wanted.setdefault(key, (kind, width, height))
    if len(wanted) < 2 or not _can_fork():
        for kind, width, height in wanted.values():
            chart_drawing(kind, report, layout, fonts, width, height)
        return
    from timeline_pdf.charts.drawing import face_finder
    from timeline_pdf.charts.style import chart_style

    face_finder(fonts), chart_style(layout, fonts)  # fonts registered once, before the fork, for both
    mine, theirs = _share(list(wanted.items()))
    reader, writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: draw its share, send it, and leave without running any exit handler
        status = 1
        try:
            os.close(reader)
            data = pickle.dumps([_draw(kind, report, layout, fonts, w, h) for _key, (kind, w, h) in theirs], protocol=pickle.HIGHEST_PROTOCOL)
            with os.fdopen(writer, "wb") as pipe:
                pipe.write(data)
            status = 0
        finally:
            os._exit(status)
    os.close(writer)
    for key, (kind, w, h) in mine:
        _keep(key, _draw(kind, report, layout, fonts, w, h))
        stats["drawn"] += 1
    with os.fdopen(reader, "rb") as pipe:
        data = pipe.read()
    _pid, status = os.waitpid(pid, 0)
    drawings = pickle.loads(data) if status == 0 and data else None
    for index, (key, (kind, w, h)) in enumerate(theirs):
        _keep(key, drawings[index] if drawings is not None else _draw(kind, report, layout, fonts, w, h))
        stats["drawn"] += 1


def _can_fork() -> bool:
    return sys.platform.startswith("linux") and (os.cpu_count() or 1) >= 2 and threading.active_count() == 1


def _share(items: list) -> tuple[list, list]:
    """Split the work in two about equal halves by COST, largest first; this process takes the first."""
    halves: tuple[list, list] = ([], [])
    loads = [0, 0]
    for item in sorted(items, key=lambda item: -COST.get(item[1][0], 1)):
        side = 0 if loads[0] <= loads[1] else 1
        halves[side].append(item)
        loads[side] += COST.get(item[1][0], 1)
    return halves


def clear() -> None:
    """Forget every kept drawing (tests and benchmarks that want a cold start)."""
    _drawings.clear()
    _events.clear()
    stats.update(drawn=0, reused=0)
