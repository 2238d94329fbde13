"""Attacks over time: stacked bars per week, month, quarter or year by category, key events and reference date.

The bin is the layout's ``charts.frequency`` while it stays readable over the period, else a
coarser one (see :mod:`timeline_pdf.charts.bins`). Each category's bars are one compound path, so
a long period costs one drawing operation per category, not one per bar.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.ticker import FixedLocator, MaxNLocator
from reportlab.graphics.shapes import Drawing

from timeline_pdf.charts.bins import TimeBins, bin_unit
from timeline_pdf.charts.style import ChartStyle, bar_path, chart_style, freeze_layout, short_label
from timeline_pdf.dates import format_date
from timeline_pdf.charts.drawing import figure_to_drawing
from timeline_pdf.fonts import DocumentFonts
from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.layout.schema import CategoryStyle
from timeline_pdf.model import Event, Report
from timeline_pdf.palette import FALLBACK_COLOURS, category_styles

LABEL_SIZE = 7.0  # key-event and reference-date labels
LABEL_PAD = 1.5  # points of white box around a label, so leader lines stop at its edge
LABEL_GAP = 4.0  # minimum horizontal points between two labels in a row
BAR_FILL = 0.82  # share of a bin its bar covers
EMPTY_FREQUENCY = "No attacks in this period"

# Names of artists, so tests and callers can find them without guessing.
GID_KEY_EVENT = "key-event"
GID_KEY_MARKERS = "key-event-markers"
GID_KEY_LEADER = "key-event-leader"
GID_REFERENCE_LINE = "reference-date"
GID_REFERENCE_LABEL = "reference-date-label"


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class Bins:
    """Attack counts: one entry per bin of the period (week, month, quarter or year) for each category."""

    unit: str  # "week", "month", "quarter" or "year"
    starts: tuple[date, ...]
    ends: tuple[date, ...]  # exclusive
    categories: tuple[str, ...]  # attack categories with at least one attack in the period, in order
    counts: dict[str, tuple[int, ...]]  # per category, one count per bin

    @property
    def totals(self) -> list[int]:
        return [sum(column) for column in zip(*self.counts.values())] if self.counts else [0] * len(self.starts)

    def bin_of(self, day: date) -> int:
        return TimeBins(self.unit, self.starts, self.ends).index(day)


def period_attacks(report: Report) -> list[Event]:
    period = report.period
    return [e for e in report.events if e.date in period and report.is_attack(e)]


def attack_bins(report: Report, unit: str) -> Bins:
    """Count attacks in the period per bin of ``unit`` (a week runs Monday to Sunday) and category."""
    period = report.period
    bins = TimeBins.covering(period.start, period.end, unit)
    attacks = period_attacks(report)
    order = [c.name for c in report.categories if c.kind == "attack"]
    order += sorted({e.category for e in attacks} - set(order))
    counts = {name: [0] * len(bins) for name in order}
    for event in attacks:
        counts[event.category][bins.index(event.date)] += 1
    present = tuple(name for name in order if any(counts[name]))
    return Bins(unit, bins.starts, bins.ends, present, {name: tuple(counts[name]) for name in present})


def _style_for(name: str, styles: dict[str, CategoryStyle], index: int) -> CategoryStyle:
    return styles.get(name) or CategoryStyle(colour=FALLBACK_COLOURS[index % len(FALLBACK_COLOURS)])


# --------------------------------------------------------------------------- label placement


@dataclass(frozen=True)
class Placement:
    """Where one label goes: a row (0 is the lowest, just above the bars) and its extent."""

    anchor: float  # x of the leader line, points from the axes' left edge
    row: int
    left: float
    right: float
    align: str  # 'left': the label starts at the anchor; 'right': it ends there
    leader: bool = True  # a leader runs from the label down to the plot
    shown: bool = True


def place_labels(anchors: Sequence[float], widths: Sequence[float], span: float, lines: Sequence[float] = (), leaders: Sequence[bool] | None = None, max_rows: int = 6, gap: float = LABEL_GAP) -> list[Placement]:
    """Greedy placement of labels, in the order given, in rows so that no two labels overlap.

    Each label hangs off a vertical leader at its anchor and starts there, or ends there when
    that fits better. A label takes the lowest row where it fits between the labels already in
    that row and inside ``[0, span]``; a row where it would cross one of ``lines`` (drawn across
    the whole plot, such as the reference date) or another label's leader, or where its own
    leader would cross a label below it, is only taken when no clean row exists. Labels without
    a leader (``leaders[i]`` false) still avoid covering other leaders. A label that finds no
    place within ``max_rows`` is returned with ``shown=False``.
    """
    leaders = [True] * len(anchors) if leaders is None else list(leaders)
    placed: list[Placement] = []
    result: list[Placement] = []
    for x, w, has_leader in zip(anchors, widths, leaders):
        best: tuple[float, Placement] | None = None
        used = max((p.row for p in placed), default=-1) + 2
        for row in range(min(used, max_rows)):
            for align in ("left", "right"):
                left, right = (x, x + w) if align == "left" else (x - w, x)
                if left < -0.5 or right > span + 0.5:
                    continue
                if any(p.row == row and left < p.right + gap and p.left < right + gap for p in placed):
                    continue
                score = row + (0.5 if align == "right" else 0.0)
                if any(left + 1 < line < right - 1 for line in lines if abs(line - x) > 0.5):
                    score += 100
                if has_leader and any(p.row < row and p.left - 1 < x < p.right + 1 for p in placed):
                    score += 40
                if any(p.leader and p.row > row and left - 1 < p.anchor < right + 1 for p in placed):
                    score += 40
                if best is None or score < best[0]:
                    best = (score, Placement(x, row, left, right, align, has_leader))
        if best is None:
            result.append(Placement(x, -1, x, x + w, "left", has_leader, shown=False))
            continue
        placed.append(best[1])
        result.append(best[1])
    return result


def _text_width(fig: Figure, text: str, size: float, family: str, weight: str = "normal") -> float:
    renderer = fig.canvas.get_renderer()
    probe = fig.text(0, 0, text, fontsize=size, fontfamily=family, fontweight=weight)
    width = probe.get_window_extent(renderer).width * 72 / fig.dpi
    probe.remove()
    return width


# --------------------------------------------------------------------------- the figure


def frequency_figure(report: Report, layout: LoadedLayout, fonts: DocumentFonts, width_pt: float, height_pt: float) -> Figure:
    """Attacks in the period per bin, stacked by category, with key events marked.

    The bin is the layout's ``charts.frequency`` unless the period is too long for it to stay
    readable (:func:`timeline_pdf.charts.bins.bin_unit`).
    """
    style = chart_style(layout, fonts)
    period = report.period
    unit = bin_unit(period.start, period.end, layout.spec.charts.frequency)
    bins = attack_bins(report, unit)
    styles = category_styles(report, layout)
    with style.rc():
        fig = style.new_figure(width_pt, height_pt)
        ax = fig.add_subplot()
        style.axes(ax)
        title = style.title(ax, f"Attacks per {unit}, by category")
        x0, x1 = bins.starts[0], bins.ends[-1]
        style.date_axis(ax, x0, x1, width_pt)
        totals = bins.totals
        peak = int(max(totals, default=0))

        if not bins.categories:
            style.empty(ax, EMPTY_FREQUENCY)
            freeze_layout(fig)
            _reference_and_keys(fig, ax, style, report, bins, [], 0)
            return fig

        lefts = mdates.date2num(bins.starts)
        spans = [(e - s).days for s, e in zip(bins.starts, bins.ends)]
        widths = [span * BAR_FILL for span in spans]
        starts = [left + span * (1 - BAR_FILL) / 2 for left, span in zip(lefts, spans)]
        bottom = [0] * len(bins.starts)
        bar_pt = min(widths) / max(1.0, mdates.date2num(x1) - mdates.date2num(x0)) * width_pt * 0.9
        edge = 0.4 if bar_pt >= 4 else 0.0  # white rules between stacked segments, unless bars are hairlines
        handles, labels = [], []
        for index, category in enumerate(bins.categories):
            cs = _style_for(category, styles, index)
            heights = bins.counts[category]
            bars = PathPatch(bar_path(starts, bottom, widths, heights), facecolor=cs.colour, edgecolor="white" if edge else cs.colour, linewidth=edge, hatch=cs.hatch or None, hatchcolor="white", label=category, gid=f"bars:{category}")
            bars.set_hatch_linewidth(0.6)
            ax.add_artist(bars)  # limits are set, not computed from every bar
            bottom = [b + h for b, h in zip(bottom, heights)]
            handles.append(Rectangle((0, 0), 1, 1, facecolor=cs.colour, edgecolor="white", linewidth=0.4, hatch=cs.hatch or None, hatchcolor="white"))
            labels.append(style.printed(category))
        for handle in handles:
            handle.set_hatch_linewidth(0.6)

        ticks = [t for t in MaxNLocator(nbins=4, integer=True, min_n_ticks=2).tick_values(0, max(peak, 1)) if 0 <= t <= max(peak, 1)]
        ax.yaxis.set_major_locator(FixedLocator(ticks))
        ax.set_ylim(0, max(peak, 1) * 1.6)
        style.legend(ax, handles, labels, title)
        freeze_layout(fig)
        _reference_and_keys(fig, ax, style, report, bins, totals, max(peak, 1))
    return fig


def _reference_and_keys(fig: Figure, ax: Axes, style: ChartStyle, report: Report, bins: Bins, totals: Sequence[int], peak: int) -> None:
    """Mark the reference date and label the key attacks without overlapping labels."""
    renderer = fig.canvas.get_renderer()
    box = ax.get_window_extent(renderer)
    span, height = box.width * 72 / fig.dpi, box.height * 72 / fig.dpi
    xmin, xmax = ax.get_xlim()

    def to_pt(x: float) -> float:
        return (x - xmin) / (xmax - xmin) * span

    texts: list[str] = []
    anchors: list[float] = []
    widths: list[float] = []
    points: list[tuple[float, int] | None] = []  # marker of each key event; None for the reference label
    keys = sorted((e for e in period_attacks(report) if e.key), key=lambda e: (e.date, e.row)) if bins.categories else []
    for event in keys:
        i = bins.bin_of(event.date)
        centre = mdates.date2num(bins.starts[i]) + (bins.ends[i] - bins.starts[i]).days / 2
        half = (bins.ends[i] - bins.starts[i]).days * BAR_FILL / 2
        x = min(max(mdates.date2num(event.date) + 0.5, centre - half * 0.8), centre + half * 0.8)
        texts.append(short_label(style.printed(event.headline or event.description)))
        anchors.append(to_pt(x))
        widths.append(_text_width(fig, texts[-1], LABEL_SIZE, style.family) + 2 * LABEL_PAD)
        points.append((x, int(totals[i])))

    lines: list[float] = []
    reference = report.info.reference_date
    if reference is not None and reference in report.period:
        xr = mdates.date2num(reference)
        ax.axvline(xr, color=style.accent, linewidth=0.8, linestyle=(0, (3, 2)), zorder=3, gid=GID_REFERENCE_LINE)
        lines.append(to_pt(xr))
        texts.append(f"Reference date: {format_date(reference)}")  # placed last: it goes where no leader runs
        anchors.append(to_pt(xr))
        widths.append(_text_width(fig, texts[-1], LABEL_SIZE, style.family, "bold") + 2 * LABEL_PAD + 2.0)
        points.append(None)

    pitch = LABEL_SIZE * 1.2 + 2 * LABEL_PAD + 1.0
    max_rows = max(1, int(height * 0.55 // pitch))
    placements = place_labels(anchors, widths, span, lines=lines, leaders=[p is not None for p in points], max_rows=max_rows)
    rows = max((p.row for p in placements if p.shown), default=-1) + 1
    top = 1.0
    if bins.categories:
        room = max(height - rows * pitch - 8.0, height * 0.35)
        top = peak * height / room
        ax.set_ylim(0, top)

    def row_y(row: int) -> float:  # axes fraction of a row's centre; row 0 is the lowest
        return 1.0 - ((rows - row - 0.5) * pitch + 1.0) / height

    label_box = {"boxstyle": f"square,pad={LABEL_PAD / LABEL_SIZE:.3f}", "facecolor": "white", "edgecolor": "none"}
    marker_x, marker_y = [], []
    for text, point, placement in zip(texts, points, placements):
        if point is not None:
            marker_x.append(point[0])
            marker_y.append(point[1])
        if not placement.shown:
            continue
        inset = LABEL_PAD + (2.0 if point is None else 0.0)
        edge = (placement.anchor + inset if placement.align == "left" else placement.anchor - inset) / span
        y = row_y(placement.row)
        if point is None:
            ax.text(edge, y, text, transform=ax.transAxes, ha=placement.align, va="center", fontsize=LABEL_SIZE, fontweight="bold", color=style.accent, fontfamily=style.family, gid=GID_REFERENCE_LABEL, zorder=6, bbox=label_box)
            continue
        x, total = point
        # The leader: straight up from the marker to the middle of the label's near edge.
        ax.plot([x, x], [total / top, y], transform=ax.get_xaxis_transform(), color=style.muted, linewidth=0.5, solid_capstyle="butt", zorder=4, clip_on=False, gid=GID_KEY_LEADER)
        ax.annotate(text, xy=(x, total), xycoords="data", xytext=(edge, y), textcoords="axes fraction", ha=placement.align, va="center", fontsize=LABEL_SIZE, color=style.text, fontfamily=style.family, gid=GID_KEY_EVENT, zorder=6, annotation_clip=False, bbox=label_box)
    if marker_x:
        ax.plot(marker_x, marker_y, linestyle="none", marker="o", markersize=4.2, markerfacecolor="white", markeredgecolor=style.text, markeredgewidth=0.8, zorder=5, clip_on=False, gid=GID_KEY_MARKERS)


def frequency_chart(report: Report, layout: LoadedLayout, fonts: DocumentFonts, width: float) -> Drawing:
    """The attack-frequency chart as a ReportLab Drawing ``width`` points wide."""
    fig = frequency_figure(report, layout, fonts, width, layout.spec.charts.height)
    return figure_to_drawing(fig, width, fonts)
