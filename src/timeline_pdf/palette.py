"""Category colours and markers: the layout's palette, completed for unlisted categories.

A category the layout does not list takes the next colour of a colour-blind-safe cycle that
no listed category uses, and the next marker, so a new category never silently shares a
colour with another.
"""

from __future__ import annotations

from itertools import cycle

from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.layout.schema import CategoryStyle
from timeline_pdf.model import Report

# Okabe-Ito and Paul Tol's muted scheme: distinguishable with common colour-vision deficiencies.
FALLBACK_COLOURS = ("#D55E00", "#0072B2", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#882255", "#44AA99", "#999933", "#332288", "#AA4499", "#7F7F7F")
FALLBACK_MARKERS = ("circle", "square", "diamond", "triangle", "star")
FALLBACK_HATCHES = ("", "//", "..", "xx", "\\\\", "--")


def category_styles(report: Report, layout: LoadedLayout) -> dict[str, CategoryStyle]:
    """A style for every category of the report, in the report's category order."""
    listed = layout.spec.palette
    used = {style.colour for style in listed.values()}
    spare = cycle([c for c in FALLBACK_COLOURS if c not in used] or list(FALLBACK_COLOURS))
    markers, hatches = cycle(FALLBACK_MARKERS), cycle(FALLBACK_HATCHES)
    styles: dict[str, CategoryStyle] = {}
    for category in report.categories:
        styles[category.name] = listed.get(category.name) or CategoryStyle(colour=next(spare), marker=next(markers), hatch=next(hatches))
    return styles
