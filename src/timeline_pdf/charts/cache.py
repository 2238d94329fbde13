"""Chart drawings kept for reuse within one process, keyed by everything they are drawn from.

The brief's page-budget loop renders the brief more than once, and a watch session rebuilds
after every save; a chart is drawn again only when something it shows changed. The key is made
of values, never of object identity: the chart's kind and size, the report's events (every
field of every event: the tuple of frozen events compares by value), period, categories,
casualty groups and reference date, the layout's chart-relevant parts (``charts``, ``colours``,
``palette``, ``typography``, the heading family and the small text size) and the resolved font files. Nothing is written to disk, so a new
process always draws afresh.

:func:`prepare` draws several charts at once: on Linux, with two or more cores and no other
thread running, half of them in a forked worker process (which inherits the loaded matplotlib,
fonts and data, and returns its drawings) while this process draws the rest. Anywhere else they
are drawn here one after another, as they are when the worker process dies; an error in the
drawing itself is raised, with its traceback. The drawings are the same either way.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
import threading
from collections import OrderedDict
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING

from timeline_pdf.fonts import DocumentFonts
from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.model import Report

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

KINDS = ("frequency", "casualties", "locations", "map")
COST = {"frequency": 3, "casualties": 3, "map": 2, "locations": 1}  # rough relative drawing times, to share the work
MAX_DRAWINGS = 32  # least recently used drawings beyond this are dropped
MAX_EVENT_KEYS = 8  # events tuples whose hash is kept

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


_events: list[_Events] = []  # the key parts of the events tuples seen last, newest last


def _events_key(events: tuple) -> _Events:
    """The key part of ``events``: found by identity among the few seen last (a report's
    events are one tuple however many charts are drawn from it), else hashed once."""
    for found in reversed(_events):
        if found.events is events:
            return found
    _events.append(_Events(events))
    del _events[:-MAX_EVENT_KEYS]
    return _events[-1]


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
    global _their_share
    _their_share = (report, layout, fonts, [spec for _key, spec in theirs])  # the forked process inherits it: nothing to pickle
    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
            job = pool.submit(_draw_their_share)
            for key, (kind, w, h) in mine:
                _keep(key, _draw(kind, report, layout, fonts, w, h))
                stats["drawn"] += 1
            try:
                drawings = job.result()  # an error in the drawing is raised here, with its traceback
            except BrokenProcessPool:  # the process itself died (killed, out of memory): draw its share here
                drawings = [_draw(kind, report, layout, fonts, w, h) for _key, (kind, w, h) in theirs]
    finally:
        _their_share = None
    for (key, _spec), drawing in zip(theirs, drawings):
        _keep(key, drawing)
        stats["drawn"] += 1


_their_share: tuple | None = None  # what the forked process draws


def _draw_their_share() -> list:
    report, layout, fonts, specs = _their_share
    return [_draw(kind, report, layout, fonts, w, h) for kind, w, h in specs]


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
