"""Chart drawings kept for reuse within one process, keyed by everything they are drawn from.

The brief's page-budget loop renders the brief more than once, and a watch session rebuilds
after every save; a chart is drawn again only when something it shows changed. The key is made
of values, never of object identity: the chart's kind and size, the report's events (every
field of every event: the tuple of frozen events compares by value), period, categories,
casualty groups and reference date, the layout's chart-relevant parts (``charts``, ``colours``,
``palette``, the heading family and the small text size) and the resolved font files. Nothing is written to disk, so a new
process always draws afresh.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import TYPE_CHECKING

from timeline_pdf.fonts import DocumentFonts
from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.model import Report

if TYPE_CHECKING:
    from reportlab.graphics.shapes import Drawing

KINDS = ("frequency", "casualties", "locations", "map")
MAX_DRAWINGS = 32  # least recently used drawings beyond this are dropped

_drawings: OrderedDict[tuple, Drawing | None] = OrderedDict()
stats = {"drawn": 0, "reused": 0}


def chart_key(kind: str, report: Report, layout: LoadedLayout, fonts: DocumentFonts, width: float, height: float) -> tuple:
    look = layout.spec.model_dump_json(include={"charts": True, "colours": True, "palette": True, "fonts": {"heading": True, "sizes": {"small"}}}, exclude={"charts": {"height"}})  # the height is in the key itself
    return (kind, round(width, 3), round(height, 3), report.events, report.period, report.categories, report.groups, report.info.reference_date, look, fonts)


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
    from timeline_pdf.charts import casualty_chart, frequency_chart, locations_chart, map_chart

    if kind == "frequency":
        drawing = frequency_chart(report, layout, fonts, width)
    elif kind == "casualties":
        drawing = casualty_chart(report, layout, fonts, width)
    elif kind == "locations":
        drawing = locations_chart(report, layout, fonts, width, height)
    elif kind == "map":
        drawing = map_chart(report, layout, fonts, width, height)
    else:
        raise ValueError(f"unknown chart kind {kind!r}; expected one of {', '.join(KINDS)}")
    stats["drawn"] += 1
    _drawings[key] = drawing
    while len(_drawings) > MAX_DRAWINGS:
        _drawings.popitem(last=False)
    return drawing


def clear() -> None:
    """Forget every kept drawing (tests and benchmarks that want a cold start)."""
    _drawings.clear()
    stats.update(drawn=0, reused=0)
