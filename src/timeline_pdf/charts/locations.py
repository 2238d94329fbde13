"""Where: the most-attacked locations of the period as a ranked horizontal bar chart.

Locations are counted as written in the workbook's Location column (after collapsing runs of
spaces), so "Camp Taji, Baghdad Province" and "Baghdad" are different places. Attacks without a
location are not ranked; a note under the chart says how many there were.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import NullLocator
from reportlab.graphics.shapes import Drawing

from timeline_pdf.charts.frequency import EMPTY_FREQUENCY, period_attacks
from timeline_pdf.charts.style import (
    MIN_TEXT,
    ChartStyle,
    chart_style,
    freeze_layout,
    short_label,
)
from timeline_pdf.charts.drawing import figure_to_drawing
from timeline_pdf.fonts import DocumentFonts
from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.model import Report

EMPTY_LOCATIONS = "No attack locations recorded"
BAR_PT = 8.0  # thickness of a bar, at most
MAX_ROW_PT = 30.0  # a row (name and bar) is never taller than this, however few locations there are

GID_BARS = "location-bars"
GID_VALUE = "location-value"
GID_LABEL = "location-label"
GID_NOTE = "location-note"


@dataclass(frozen=True)
class RankedLocations:
    """Attack counts of the top locations, most attacked first, and what was left out."""

    ranked: tuple[tuple[str, int], ...]
    locations: int  # distinct locations with at least one attack
    unlocated: int  # attacks in the period without a location
    attacks: int  # attacks in the period


def ranked_locations(report: Report, top: int) -> RankedLocations:
    """The ``top`` locations by attacks in the period; ties in name order."""
    attacks = period_attacks(report)
    names = [" ".join(e.location.split()) for e in attacks]
    counts = Counter(n for n in names if n)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold(), item[0]))
    return RankedLocations(tuple(ranked[: max(0, top)]), len(counts), names.count(""), len(attacks))


def locations_figure(report: Report, layout: LoadedLayout, fonts: DocumentFonts, width_pt: float, height_pt: float) -> Figure:
    """Horizontal bars of attacks per location, longest on top, each with its count."""
    style = chart_style(layout, fonts)
    top = layout.spec.charts.top_locations
    data = ranked_locations(report, top)
    with style.rc():
        fig = style.new_figure(width_pt, height_pt)
        ax = fig.add_subplot()
        style.axes(ax)
        title = "Most-attacked locations" if data.locations <= len(data.ranked) else f"Most-attacked locations, top {len(data.ranked)} of {data.locations}"
        style.title(ax, title)
        ax.grid(visible=False)
        ax.xaxis.set_major_locator(NullLocator())
        ax.spines["bottom"].set_visible(False)
        if not data.ranked:
            style.empty(ax, EMPTY_FREQUENCY if not data.attacks else EMPTY_LOCATIONS)
            freeze_layout(fig)
            return fig

        if data.unlocated:
            attacks = "attack" if data.unlocated == 1 else "attacks"
            note = f"Not shown: {data.unlocated} {attacks} with no location recorded."
            fig.text(0.0, 0.0, note, ha="left", va="bottom", fontsize=MIN_TEXT, color=style.muted, fontfamily=style.family, gid=GID_NOTE)
            fig.get_layout_engine().set(h_pad=(MIN_TEXT + 4) / 72)
        ax.yaxis.set_major_locator(NullLocator())
        freeze_layout(fig)
        _bars(fig, ax, style, data)
    return fig


def _bars(fig: Figure, ax: Axes, style: ChartStyle, data: RankedLocations) -> None:
    """Each location's name on a line of its own, its bar under it and the count at the bar's end.

    Rows have one height whatever the count, up to :data:`MAX_ROW_PT`: a few locations sit at
    the top rather than becoming fat bars. Names too long for the width end in an ellipsis.
    """
    box = ax.get_window_extent()
    span, height = box.width * 72 / fig.dpi, box.height * 72 / fig.dpi
    names = [name for name, _ in data.ranked]
    counts = [count for _, count in data.ranked]
    rows = len(names)
    slots = max(float(rows), height / MAX_ROW_PT)
    row = height / slots  # points
    text_line = style.size * 1.3
    bar = max(3.0, min(BAR_PT, row - text_line - 4.0))
    ax.set_ylim(slots * row, 0)  # in points from the top, first (longest) on top
    room = len(f"{max(counts):,}") * style.size * 0.62 + 6  # for the value label right of the longest bar
    ax.set_xlim(0, max(counts) * span / max(span - room, span * 0.5))
    label_at = [i * row + 1.0 + text_line / 2 for i in range(rows)]
    bar_at = [i * row + 1.0 + text_line + 1.0 + bar / 2 for i in range(rows)]
    ax.barh(bar_at, counts, height=bar, color=style.accent, edgecolor="none", gid=GID_BARS)
    for y, name in zip(label_at, names):
        fitted = fit_text(fig, style.printed(name), span - 2, style.size, style.family)
        ax.text(0, y, fitted, ha="left", va="center", fontsize=style.size, color=style.text, fontfamily=style.family, gid=f"{GID_LABEL}:{name}")
    for y, count in zip(bar_at, counts):
        ax.annotate(f"{count:,}", xy=(count, y), xytext=(3, 0), textcoords="offset points", ha="left", va="center", fontsize=style.size, fontweight="bold", color=style.text, fontfamily=style.family, gid=GID_VALUE, annotation_clip=False)


def fit_text(fig: Figure, text: str, width_pt: float, size: float, family: str) -> str:
    """The text, or its longest ``short_label`` cut that is at most ``width_pt`` wide."""
    text = " ".join(text.split())
    renderer = fig.canvas.get_renderer()
    probe = fig.text(0, 0, text, fontsize=size, fontfamily=family)

    def fits(limit: int) -> bool:
        probe.set_text(short_label(text, limit))
        return probe.get_window_extent(renderer).width * 72 / fig.dpi <= width_pt

    try:
        if fits(len(text)):
            return text
        low, high = 2, len(text)  # longer cuts are wider: search, a few measurements even for a pasted paragraph
        while high - low > 1:
            middle = (low + high) // 2
            low, high = (middle, high) if fits(middle) else (low, middle)
        return short_label(text, low)
    finally:
        probe.remove()


def locations_chart(report: Report, layout: LoadedLayout, fonts: DocumentFonts, width: float, height: float | None = None) -> Drawing:
    """The ranked locations chart as a ReportLab Drawing ``width`` points wide."""
    fig = locations_figure(report, layout, fonts, width, height or layout.spec.charts.height)
    return figure_to_drawing(fig, width, fonts)
