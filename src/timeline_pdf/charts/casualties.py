"""Casualties in attacks: killed and wounded per month and group, and their running totals.

Blank casualty cells are *not reported*. They are missing data, never zero: a month with no
reported figure for a group has no bar (a reported zero has a bar of height zero), the
running total only moves at attacks that reported a figure, and a group with nothing
reported at all is named as such in the legend.

Bars are per month while the groups' bars stay readable, else per quarter or year (see
:mod:`timeline_pdf.charts.bins`); each group's killed and wounded bars are one compound path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import matplotlib.dates as mdates
from matplotlib.axes import Axes
from matplotlib.colors import to_hex, to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import PathPatch, Rectangle
from matplotlib.ticker import FixedLocator, MaxNLocator
from reportlab.graphics.shapes import Drawing

from timeline_pdf.charts.bins import TimeBins, bin_unit
from timeline_pdf.charts.frequency import period_attacks
from timeline_pdf.charts.style import MIN_TEXT, ChartStyle, bar_path, chart_style, freeze_layout
from timeline_pdf.charts.drawing import figure_to_drawing
from timeline_pdf.contract import normalise
from timeline_pdf.fonts import DocumentFonts
from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.model import Report

# Colour-blind-safe (Okabe-Ito with a dark navy first), with a marker each for greyscale print.
GROUP_COLOURS = ("#1F3A5F", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#882255", "#7F7F7F")
GROUP_MARKERS = ("o", "s", "D", "^", "v", "P", "X", "h")
WOUNDED_HATCH = "////"
EMPTY_CASUALTIES = "No casualties reported in this period"
BAR_FILL = 0.8  # share of a bin the group bars cover
END_LABEL_GAP = 8.0  # points between running-total labels at the right end
MAX_BARS = 60  # bars (bins times groups) the left panel shows at most before it takes a coarser bin
MAX_MARKERS = 80  # a running total with more points marks evenly spaced places instead of every attack
MARK_SPACING = 0.06  # then: one marker per this share of the axes' diagonal


@dataclass(frozen=True)
class BinnedCasualties:
    """Killed and wounded per bin and group; None where nothing was reported in that bin."""

    bins: TimeBins
    groups: tuple[str, ...]
    killed: dict[str, tuple[float | None, ...]]
    wounded: dict[str, tuple[float | None, ...]]

    @property
    def any_reported(self) -> bool:
        return any(self.reported(group) for group in self.groups)

    def reported(self, group: str) -> bool:
        return any(v is not None for v in self.killed[group]) or any(v is not None for v in self.wounded[group])

    def measured(self) -> str:
        """What the figures count: 'killed and wounded', or only the one of them any event reported
        (ACLED reports fatalities only: its chart must not say it counts the wounded)."""
        killed = any(v is not None for g in self.groups for v in self.killed[g])
        wounded = any(v is not None for g in self.groups for v in self.wounded[g])
        return "killed and wounded" if killed == wounded else "killed" if killed else "wounded"


def chart_groups(report: Report, layout: LoadedLayout) -> tuple[str, ...]:
    """The groups the layout's ``charts.groups`` names (matched as headers are: ignoring case,
    spaces and punctuation, so 'us' is 'US'), else every group of the workbook. A name that
    matches no group is a layout error before anything is drawn (see ``fallbacks``)."""
    if not layout.spec.charts.groups:
        return report.groups
    known = {normalise(group): group for group in report.groups}
    return tuple(known.get(normalise(name), name) for name in layout.spec.charts.groups)


def casualty_unit(report: Report, groups: tuple[str, ...]) -> str:
    """Months, unless the period has too many of them for every group's bar to stay readable."""
    period = report.period
    return bin_unit(period.start, period.end, "month", max_bins=max(6, MAX_BARS // max(1, len(groups))))


def binned_casualties(report: Report, groups: tuple[str, ...], unit: str = "month") -> BinnedCasualties:
    """Sum killed and wounded of the period's attacks per bin and group, reported figures only."""
    period = report.period
    bins = TimeBins.covering(period.start, period.end, unit)
    killed: dict[str, list[float | None]] = {g: [None] * len(bins) for g in groups}
    wounded: dict[str, list[float | None]] = {g: [None] * len(bins) for g in groups}
    for event in period_attacks(report):
        i = bins.index(event.date)
        for group in groups:
            c = event.casualties_for(group)
            for value, table in ((c.killed, killed), (c.wounded, wounded)):
                if value is not None:
                    table[group][i] = (table[group][i] or 0.0) + value
    return BinnedCasualties(bins, groups, {g: tuple(v) for g, v in killed.items()}, {g: tuple(v) for g, v in wounded.items()})


def running_totals(report: Report, group: str) -> list[tuple[date, int]]:
    """(date, killed plus wounded so far) at each attack in the period that reported a figure for the group."""
    total, points = 0, []
    for event in sorted(period_attacks(report), key=lambda e: (e.date, e.row)):
        c = event.casualties_for(group)
        if not c.reported:
            continue
        total += (c.killed or 0) + (c.wounded or 0)
        points.append((event.date, total))
    return points


def lighter(colour: str, amount: float = 0.55) -> str:
    """The colour mixed with white."""
    r, g, b = to_rgb(colour)
    return to_hex((r + (1 - r) * amount, g + (1 - g) * amount, b + (1 - b) * amount))


def casualty_figure(report: Report, layout: LoadedLayout, fonts: DocumentFonts, width_pt: float, height_pt: float) -> Figure:
    """Killed and wounded per month and group (left) and running totals per group (right)."""
    style = chart_style(layout, fonts)
    groups = chart_groups(report, layout)
    unit = casualty_unit(report, groups)
    data = binned_casualties(report, groups, unit)
    period = report.period
    start, end = data.bins.starts[0], data.bins.ends[-1]
    with style.rc():
        fig = style.new_figure(width_pt, height_pt)
        if not data.any_reported:
            ax = fig.add_subplot()
            style.axes(ax)
            style.title(ax, "Killed and wounded in attacks")
            style.date_axis(ax, start, end, width_pt)
            style.empty(ax, EMPTY_CASUALTIES)
            freeze_layout(fig)
            return fig

        left, right = fig.subplots(1, 2, width_ratios=[1.25, 1])
        colours = {g: GROUP_COLOURS[i % len(GROUP_COLOURS)] for i, g in enumerate(groups)}
        markers = {g: GROUP_MARKERS[i % len(GROUP_MARKERS)] for i, g in enumerate(groups)}
        shown = [g for g in groups if data.reported(g)]

        style.axes(left)
        measured = data.measured()
        style.title(left, f"{measured.capitalize()} per {unit}")
        style.date_axis(left, start, end, width_pt * 0.55)
        tops = _bars(left, data, shown, colours)
        _nice_top(left, max((t for _, t in tops), default=1), 11)

        style.axes(right)
        style.title(right, f"Running total, {measured}")
        style.date_axis(right, period.start, period.end, width_pt * 0.45)
        end_labels = _running_lines(right, style, report, shown, colours, markers, period.end)

        handles: list = [Rectangle((0, 0), 1, 1, facecolor=colours[g], edgecolor="none") for g in groups]
        labels = [style.printed(g if g in shown else f"{g} (not reported)") for g in groups]
        handles += [
            Rectangle((0, 0), 1, 1, facecolor="#6B6B6B", edgecolor="none"),
            Rectangle((0, 0), 1, 1, facecolor=lighter("#6B6B6B"), edgecolor="#6B6B6B", linewidth=0, hatch=WOUNDED_HATCH),
        ]
        labels += [what.capitalize() if what in measured else f"{what.capitalize()} (not reported)" for what in ("killed", "wounded")]
        for handle in handles[-1:]:
            handle.set_hatch_linewidth(0.5)
        fig.legend(handles, labels, loc="outside lower left", ncols=len(handles), prop={"family": style.family, "size": style.size}, labelcolor=style.text)
        freeze_layout(fig)
        _nice_top(left, max((t for _, t in tops), default=1), 11)
        _nice_top(right, max((label.xy[1] for label in end_labels), default=1), 4)
        slot = left.get_window_extent().width * 72 / fig.dpi / max(1, len(data.bins)) * BAR_FILL / max(1, len(shown))
        _value_labels(left, style, tops, slot)
        _spread_end_labels(right, end_labels)
    return fig


def _bars(ax: Axes, data: BinnedCasualties, groups: list[str], colours: dict[str, str]) -> list[tuple[float, float]]:
    """Killed (solid) with wounded (light, hatched) on top, one bar per group side by side in each bin.

    Each group's killed bars are one patch and its wounded bars another. Returns (x, total) of
    every bar whose figures were reported, for the value labels.
    """
    starts = mdates.date2num(data.bins.starts)
    days = [(e - s).days for s, e in zip(data.bins.starts, data.bins.ends)]
    count = max(1, len(groups))
    tops: list[tuple[float, float]] = []
    for index, group in enumerate(groups):
        killed, wounded = data.killed[group], data.wounded[group]
        xs = [s + d * ((1 - BAR_FILL) / 2 + BAR_FILL * (index + 0.5) / count) for s, d in zip(starts, days)]
        width = [d * BAR_FILL / count * 0.9 for d in days]
        k = [i for i, v in enumerate(killed) if v is not None]
        ax.add_artist(PathPatch(bar_path([xs[i] - width[i] / 2 for i in k], [0.0] * len(k), [width[i] for i in k], [killed[i] for i in k]), facecolor=colours[group], edgecolor="none", linewidth=0, gid=f"killed:{group}", label=f"{group} killed"))
        w = [i for i, v in enumerate(wounded) if v is not None]
        base = [killed[i] or 0.0 for i in w]
        patch = PathPatch(bar_path([xs[i] - width[i] / 2 for i in w], base, [width[i] for i in w], [wounded[i] for i in w]), facecolor=lighter(colours[group]), edgecolor=colours[group], linewidth=0, hatch=WOUNDED_HATCH, gid=f"wounded:{group}", label=f"{group} wounded")
        patch.set_hatch_linewidth(0.5)
        ax.add_artist(patch)  # limits are set, not computed from thousands of vertices
        for i in sorted(set(k) | set(w)):
            tops.append((xs[i], (killed[i] or 0.0) + (wounded[i] or 0.0)))
    return tops


def _value_labels(ax: Axes, style: ChartStyle, tops: list[tuple[float, float]], slot_pt: float) -> None:
    """Each reported bar's killed-plus-wounded above it (a reported zero reads '0'), where there is room."""
    if slot_pt < 8:
        return
    fig = ax.get_figure()
    renderer = fig.canvas.get_renderer()
    taken: list[tuple[float, float, float]] = []  # x0, x1, y of labels already drawn
    for x, total in sorted(tops):
        label = ax.annotate(f"{total:,.0f}", xy=(x, total), xytext=(0, 1.5), textcoords="offset points", ha="center", va="bottom", fontsize=MIN_TEXT, color=style.muted, fontfamily=style.family, annotation_clip=False, gid="bar-value")
        box = label.get_window_extent(renderer)
        if any(box.x0 < x1 + 1 and x0 < box.x1 + 1 and abs(box.y0 - y) < box.height for x0, x1, y in taken):
            label.remove()
            continue
        taken.append((box.x0, box.x1, box.y0))


def _nice_top(ax: Axes, peak: float, headroom_pt: float) -> None:
    """Integer ticks up to a round value at or above the peak, and room above the peak for labels."""
    ticks = [t for t in MaxNLocator(nbins=4, integer=True, min_n_ticks=3).tick_values(0, max(peak, 1)) if t >= 0]
    ticks = ticks[: next((i + 1 for i, t in enumerate(ticks) if t >= peak), len(ticks))]
    height = ax.get_window_extent().height * 72 / ax.get_figure().dpi
    top = max(ticks[-1], max(peak, 1) * height / max(height - headroom_pt, height * 0.5))
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.set_ylim(0, top)


def _running_lines(ax: Axes, style: ChartStyle, report: Report, groups: list[str], colours: dict[str, str], markers: dict[str, str], end: date) -> list:
    peak = 0
    labels = []
    for group in groups:
        points = running_totals(report, group)
        if not points:
            continue
        if len(points) > MAX_MARKERS:  # dense: one step per day, markers only to tell the groups apart
            points = list({day: (day, total) for day, total in points}.values())
            every: list[int] | float = MARK_SPACING
        else:  # a marker at each attack that reported a figure
            every = list(range(len(points)))
        xs = list(mdates.date2num([d for d, _ in points])) + [mdates.date2num(end)]
        ys = [v for _, v in points] + [points[-1][1]]
        ax.plot(xs, ys, drawstyle="steps-post", color=colours[group], linewidth=1.2, marker=markers[group], markersize=2.8, markevery=every, markeredgewidth=0, gid=f"running:{group}", clip_on=False, zorder=3, label=group)
        peak = max(peak, ys[-1])
        labels.append(ax.annotate(f"{ys[-1]:,}", xy=(xs[-1], ys[-1]), xytext=(3, 0), textcoords="offset points", ha="left", va="center", fontsize=max(MIN_TEXT, style.size), color=colours[group], fontweight="bold", fontfamily=style.family, annotation_clip=False, gid=f"running-total:{group}"))
    _nice_top(ax, peak, 4)
    return labels


def _spread_end_labels(ax: Axes, labels: list) -> None:
    """Push the running-total labels apart vertically so none overlaps another."""
    if len(labels) < 2:
        return
    fig = ax.get_figure()
    to_pt = fig.dpi / 72
    ys = [ax.transData.transform(label.xy)[1] / to_pt for label in labels]
    order = sorted(range(len(labels)), key=lambda i: ys[i])
    placed: list[float] = []
    for i in order:
        y = ys[i] if not placed else max(ys[i], placed[-1] + END_LABEL_GAP)
        placed.append(y)
    top = ax.get_window_extent().y1 / to_pt + 2
    excess = placed[-1] - top
    if excess > 0:  # shift down as a block, keeping the gaps
        placed = [y - excess for y in placed]
    for i, y in zip(order, placed):
        labels[i].xyann = (3, y - ys[i])


def casualty_chart(report: Report, layout: LoadedLayout, fonts: DocumentFonts, width: float) -> Drawing:
    """The casualties chart as a ReportLab Drawing ``width`` points wide."""
    fig = casualty_figure(report, layout, fonts, width, layout.spec.charts.height)
    return figure_to_drawing(fig, width, fonts)

