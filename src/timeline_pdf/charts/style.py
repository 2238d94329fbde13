"""Styling every chart shares: the document's heading family, the layout's muted and rule
colours, no text under 7 pt, no top/right/left spines, a light horizontal grid and left-aligned
bold titles. Figures use matplotlib's object API only (never pyplot) and set every font property
on the artists, so global rcParams are untouched.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date

import matplotlib
import matplotlib.dates as mdates
import numpy as np
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.path import Path
from matplotlib.text import Text
from matplotlib.ticker import NullLocator

from timeline_pdf.fonts import DocumentFonts, register_matplotlib
from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.typography import smarten

MIN_TEXT = 7.0  # points: nothing in a chart is set smaller
TITLE_SIZE = 9.0
LABEL_CHARS = 28  # labels are cut to this many characters, ellipsis included
GID_EMPTY = "empty-message"
GID_LEGEND_UNDER_TITLE = "legend-under-title"


@dataclass(frozen=True)
class ChartStyle:
    """What every chart takes from the layout and the document's fonts."""

    family: str  # matplotlib family name of the heading font
    text: str
    muted: str
    rule: str
    accent: str
    size: float  # tick labels, legends, notes
    smart_quotes: bool = True  # the layout's typography.smart_quotes

    def printed(self, text: str) -> str:
        """Analyst text (a category, headline, place or group) as the chart prints it."""
        return smarten(text) if self.smart_quotes else text

    def rc(self) -> AbstractContextManager:
        """rcParams for building a figure; restored when the block ends."""
        return matplotlib.rc_context({
            "font.family": [self.family],
            "font.size": self.size,
            "text.color": self.text,
            "axes.edgecolor": self.muted,
            "axes.labelcolor": self.muted,
            "axes.titlesize": TITLE_SIZE,
            "axes.titleweight": "bold",
            "axes.titlecolor": self.text,
            "axes.titlepad": 5.0,
            "axes.spines.top": False,
            "axes.spines.right": False,
            "axes.spines.left": False,
            "axes.axisbelow": True,
            "axes.formatter.use_mathtext": False,
            "legend.fontsize": self.size,
            "legend.frameon": False,
            "legend.handlelength": 1.1,
            "legend.handleheight": 0.8,
            "legend.handletextpad": 0.4,
            "legend.columnspacing": 1.1,
            "legend.borderaxespad": 0.0,
            "legend.borderpad": 0.0,
            "hatch.linewidth": 0.6,
            "date.converter": "concise",
            "svg.fonttype": "none",
        })

    def new_figure(self, width_pt: float, height_pt: float) -> Figure:
        """A figure of the given size in points, 72 dpi (one pixel per point), Agg canvas."""
        fig = Figure(figsize=(width_pt / 72, height_pt / 72), dpi=72, facecolor="white")
        FigureCanvasAgg(fig)
        fig.set_layout_engine("constrained", w_pad=2 / 72, h_pad=2 / 72, wspace=0.06, hspace=0.02)
        return fig

    def axes(self, ax: Axes) -> None:
        """Quiet axes: bottom spine only, light horizontal grid, muted ticks."""
        for side in ("top", "right", "left"):
            ax.spines[side].set_visible(False)
        ax.spines["bottom"].set_color(self.muted)
        ax.spines["bottom"].set_linewidth(0.6)
        ax.set_facecolor("white")
        ax.set_axisbelow(True)
        ax.grid(axis="y", color=self.rule, linewidth=0.4)
        ax.grid(axis="x", visible=False)
        ax.tick_params(labelsize=self.size, labelcolor=self.muted, labelfontfamily=self.family, color=self.muted, width=0.6, pad=2.0)
        ax.tick_params(axis="x", length=2.5)
        ax.tick_params(axis="y", length=0, pad=3.0)
        ax.xaxis.get_offset_text().set(fontsize=self.size, color=self.muted, fontfamily=self.family)
        ax.yaxis.get_offset_text().set(fontsize=self.size, color=self.muted, fontfamily=self.family)

    def title(self, ax: Axes, text: str, pad: float = 5.0) -> Text:
        """A bold title flush left (``ax.title`` set left-aligned, so ``ax.get_title()`` finds it)."""
        return ax.set_title(text, loc="center", x=0.0, ha="left", pad=pad, fontsize=TITLE_SIZE, fontweight="bold", color=self.text, fontfamily=self.family)

    def date_axis(self, ax: Axes, start: date, end: date, width_pt: float) -> None:
        """Readable date ticks for any span, from a few days to ten years.

        Spans under three months also show the month and year (as the axis offset), since
        their ticks are bare day numbers.
        """
        locator = mdates.AutoDateLocator(minticks=2, maxticks=max(3, min(10, int(width_pt / 55))))
        short = (end - start).days < 90
        formatter = mdates.ConciseDateFormatter(locator, show_offset=short, offset_formats=["", "%Y", "%b %Y", "%b %Y", "%b %d, %Y", "%b %d, %Y"])
        ax.xaxis.set_major_locator(locator)
        ax.xaxis.set_major_formatter(formatter)
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xlim(mdates.date2num(start), mdates.date2num(end))

    def empty(self, ax: Axes, message: str) -> Text:
        ax.yaxis.set_major_locator(NullLocator())
        ax.set_ylim(0, 1)
        return ax.text(0.5, 0.5, message, transform=ax.transAxes, ha="center", va="center", fontsize=max(MIN_TEXT, self.size + 0.5), color=self.muted, fontfamily=self.family, gid=GID_EMPTY)

    def legend(self, ax: Axes, handles: Sequence, labels: Sequence[str], title: Text) -> None:
        """A one-row legend on the title's line, right-aligned; under the title when it does not fit."""
        if not handles:
            return
        fig = ax.get_figure()
        renderer = fig.canvas.get_renderer()
        options = {"prop": {"family": self.family, "size": self.size}, "labelcolor": self.text}
        legend = ax.legend(handles, labels, loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=len(handles), **options)
        fig.draw_without_rendering()
        if title.get_window_extent(renderer).x1 + 10 <= legend.get_window_extent(renderer).x0:
            return
        columns = len(handles)
        while True:  # flush left under the title, in as many columns as fit the axes' width
            legend.remove()
            legend = ax.legend(handles, labels, loc="lower left", bbox_to_anchor=(0.0, 1.0), ncols=columns, **options)
            legend.set_gid(GID_LEGEND_UNDER_TITLE)
            fig.draw_without_rendering()
            if columns == 1 or legend.get_window_extent(renderer).width <= ax.get_window_extent(renderer).width:
                break
            columns -= 1
        lift = legend.get_window_extent(renderer).height * 72 / fig.dpi + 4
        self.title(ax, title.get_text(), pad=lift)


def chart_style(layout: LoadedLayout, fonts: DocumentFonts) -> ChartStyle:
    spec = layout.spec
    return ChartStyle(
        family=register_matplotlib(fonts.heading),
        text=spec.colours.text,
        muted=spec.colours.muted,
        rule=spec.colours.rule,
        accent=spec.colours.accent,
        size=max(MIN_TEXT, min(spec.fonts.sizes.small, 8.5)),
        smart_quotes=spec.typography.smart_quotes,
    )


def freeze_layout(fig: Figure) -> None:
    """Run the constrained layout once, keep the axes where it put them, align titles left.

    Titles (and a legend set under a title) start flush with the axis' tick labels rather than
    with the plotting area, so they line up with the figure's left edge like a printed chart.
    """
    fig.draw_without_rendering()
    fig.set_layout_engine("none")
    renderer = fig.canvas.get_renderer()
    for ax in fig.axes:
        box = ax.get_window_extent(renderer)
        labels = ax.yaxis.get_tightbbox(renderer)
        if labels is None or box.width <= 0:
            continue
        shift = min(0.0, (labels.x0 - box.x0) / box.width)
        ax.title.set_x(shift)
        legend = ax.get_legend()
        if legend is not None and legend.get_gid() == GID_LEGEND_UNDER_TITLE:
            legend.set_bbox_to_anchor((shift, 1.0), transform=ax.transAxes)


def bar_path(lefts: Sequence[float], bottoms: Sequence[float], widths: Sequence[float], heights: Sequence[float]) -> Path:
    """Bars as one compound path of rectangles, for one patch per series rather than one per bar.

    Bars of zero height are left out (they would draw nothing but an outline on the baseline).
    Each rectangle is drawn like matplotlib's ``bar``: from its lower left corner, anticlockwise.
    """
    x, y, w, h = (np.asarray(v, dtype=float).reshape(-1) for v in (lefts, bottoms, widths, heights))
    keep = h != 0
    x, y, w, h = x[keep], y[keep], w[keep], h[keep]
    if not len(x):
        return Path(np.zeros((0, 2)))
    vertices = np.stack([np.column_stack(corner) for corner in ((x, y), (x + w, y), (x + w, y + h), (x, y + h), (x, y))], axis=1).reshape(-1, 2)
    codes = np.tile([Path.MOVETO, Path.LINETO, Path.LINETO, Path.LINETO, Path.CLOSEPOLY], len(x)).astype(Path.code_type)
    return Path(vertices, codes)


def bar_rectangles(path: Path) -> list[tuple[float, float, float, float]]:
    """(left, bottom, width, height) of each bar of a :func:`bar_path`, in order."""
    corners = path.vertices.reshape(-1, 5, 2)
    return [(float(c[0, 0]), float(c[0, 1]), float(c[1, 0] - c[0, 0]), float(c[2, 1] - c[0, 1])) for c in corners]


def short_label(text: str, limit: int = LABEL_CHARS) -> str:
    """Cut to ``limit`` characters with an ellipsis, at a word boundary when that keeps most of it."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut and cut.rfind(" ") >= limit * 0.6:
        cut = cut[: cut.rfind(" ")]
    return cut.rstrip(" ,;:.-–—") + "…"
