"""Matplotlib figure -> ReportLab Drawing, through SVG, with text kept as text.

The figure is saved as SVG with ``svg.fonttype = 'none'`` (text stays ``<text>`` elements, no
glyph outlines, no raster) and converted with svglib. Two svglib gaps are closed here:

* Fonts. svglib resolves every ``font-family`` through a *font map*; the global one only knows
  the 14 standard PDF fonts, guesses ``.ttf`` file names and asks fontconfig, and finally falls
  back to Helvetica. We pass our own :class:`DocumentFontMap` to ``svg2rlg(font_map=...)``: it
  maps the matplotlib family names of the document's families (and anything unknown) to the
  ReportLab faces already registered by :func:`timeline_pdf.fonts.register_reportlab`, so the
  PDF embeds only the document's fonts. svglib's global map is never touched.
* Hatches. Matplotlib writes hatched patches as ``fill="url(#pattern)"``; svglib does not
  support ``<pattern>`` and would drop the fill *and* the hatch. While saving, hatched patches
  are drawn instead as their plain fill plus explicit hatch lines clipped to the patch outline,
  which svglib converts faithfully.
* Markers. Matplotlib writes each marker as a ``<use>`` of one definition, and svglib expands
  at most ``MAX_USE_EXPANSIONS`` (10,000) of them per document, silently skipping the rest. The
  charts keep far below that, and should a figure exceed it anyway its markers are written out
  as plain paths before conversion, so a chart is never incomplete.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import matplotlib
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.path import Path
from matplotlib.transforms import IdentityTransform, TransformedPath
from reportlab.graphics.shapes import Drawing
from svglib import svglib as svglib_module
from svglib.fonts import FontMap
from svglib.svglib import svg2rlg

from timeline_pdf.fonts import DocumentFonts, Family, register_matplotlib, register_reportlab

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
MAX_USES = getattr(svglib_module, "MAX_USE_EXPANSIONS", 10_000)  # svglib skips <use> elements beyond this
HASH_SALT = "timeline-pdf"  # fixed ids in the SVG, so the same figure gives the same Drawing
HATCH_TILE_PT = 72  # matplotlib's hatch tile: one inch
HATCH_DENSITY = 6.0  # matplotlib's default hatch density
BOLD_WEIGHTS = {"bold", "bolder", "semibold", "demibold", "demi", "heavy", "black", "extra bold", "ultrabold"}


class DocumentFontMap(FontMap):
    """An svglib font map that resolves every family to the document's ReportLab faces.

    ``find_font(family, weight, style)`` is the only method svglib's converter calls. Known
    families (by their matplotlib name or ReportLab name) are exact matches; generic or unknown
    families (``sans-serif``, ``DejaVu Sans``...) map to the fallback family as a non-exact match,
    so a later known family in a ``font-family`` list still wins and nothing falls back to
    Helvetica or to a system font found by fontconfig.
    """

    def __init__(self, families: dict[str, Family], fallback: Family) -> None:
        super().__init__()
        self._families = {name.lower(): family for name, family in families.items()}
        self._fallback = fallback

    def find_font(self, font_name: str, weight: str = "normal", style: str = "normal") -> tuple[str, bool]:
        name = font_name.strip().strip("'\"").lower()
        family = self._families.get(name)
        face = (family or self._fallback).face(rl_style(weight, style))
        return face, family is not None


def rl_style(weight: Any, style: Any) -> str:
    """CSS font-weight and font-style -> one of 'regular', 'bold', 'italic', 'bold_italic'."""
    text = str(weight).strip().lower()
    bold = int(text) >= 600 if text.isdigit() else text in BOLD_WEIGHTS
    italic = str(style).strip().lower() in ("italic", "oblique")
    return {(False, False): "regular", (True, False): "bold", (False, True): "italic", (True, True): "bold_italic"}[(bold, italic)]


def document_font_map(fonts: DocumentFonts) -> DocumentFontMap:
    """Register the document's families with ReportLab and map their names for svglib."""
    families: dict[str, Family] = {}
    for family in (fonts.heading, fonts.body):
        register_reportlab(family)
        families.setdefault(register_matplotlib(family), family)
        families.setdefault(family.name, family)
    return DocumentFontMap(families, fonts.heading)


def svg_rc(fonts: DocumentFonts) -> dict[str, Any]:
    """rcParams for saving: text as text, deterministic ids, the document's heading family."""
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": HASH_SALT,
        "svg.image_inline": True,
        "font.family": [register_matplotlib(fonts.heading)],
        "path.simplify": True,
    }


def figure_to_svg(fig: Figure, fonts: DocumentFonts) -> bytes:
    """The figure as deterministic SVG with text as ``<text>`` and hatches as clipped lines."""
    buffer = io.BytesIO()
    with matplotlib.rc_context(svg_rc(fonts)), _vector_hatches(fig):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, dpi=72)
    return buffer.getvalue()


def figure_to_drawing(fig: Figure, width: float, fonts: DocumentFonts) -> Drawing:
    """Convert a matplotlib Figure to a ReportLab Drawing ``width`` points wide (aspect kept)."""
    font_map = document_font_map(fonts)
    svg = figure_to_svg(fig, fonts)
    if svg.count(b"<use ") > MAX_USES:
        svg = expand_uses(svg)
    drawing = svg2rlg(io.BytesIO(svg), font_map=font_map)
    if drawing is None:  # pragma: no cover - svglib only returns None for unreadable input
        raise ValueError("svglib could not convert the chart")
    factor = width / drawing.width
    drawing.scale(factor, factor)
    drawing.width = width
    drawing.height = drawing.height * factor
    # The renderer's initial graphics state would otherwise select Helvetica (STATE_DEFAULTS),
    # which puts an unembedded Helvetica in the PDF even though no string uses it.
    drawing.initialFontName = fonts.heading.face()
    drawing.initialFontSize = 8
    return drawing


def expand_uses(svg: bytes) -> bytes:
    """The SVG with every ``<use>`` replaced by a group holding a copy of what it refers to."""
    from copy import deepcopy

    from lxml import etree

    root = etree.fromstring(svg, parser=etree.XMLParser(resolve_entities=False, huge_tree=True))
    defined = {element.get("id"): element for element in root.iter() if element.get("id")}
    for use in list(root.iter(f"{{{SVG_NS}}}use")):
        target = defined.get((use.get(f"{{{XLINK_NS}}}href") or use.get("href") or "").lstrip("#"))
        if target is None:
            continue
        group = etree.Element(f"{{{SVG_NS}}}g")
        moves = [use.get("transform") or "", f"translate({use.get('x') or 0} {use.get('y') or 0})"]
        group.set("transform", " ".join(m for m in moves if m))
        for name, value in use.attrib.items():
            if name not in ("x", "y", "transform", "width", "height", "href", f"{{{XLINK_NS}}}href"):
                group.set(name, value)
        copy = deepcopy(target)
        copy.attrib.pop("id", None)
        group.append(copy)
        use.getparent().replace(use, group)
    return etree.tostring(root)


@contextmanager
def _vector_hatches(fig: Figure) -> Iterator[None]:
    """While saving, draw each hatched patch as plain fill plus clipped hatch lines."""
    patched: list[tuple[Patch, str]] = []
    for patch in fig.findobj(lambda a: isinstance(a, Patch) and bool(a.get_hatch())):
        hatch = patch.get_hatch()
        patched.append((patch, hatch))
        patch.set_hatch(None)
        patch.draw = _hatched_draw(patch, hatch)  # type: ignore[method-assign]
    try:
        yield
    finally:
        for patch, hatch in patched:
            del patch.draw
            patch.set_hatch(hatch)


def _hatched_draw(patch: Patch, hatch: str):  # noqa: ANN202 - a bound-method replacement
    original = type(patch).draw

    def draw(renderer) -> None:  # noqa: ANN001
        original(patch, renderer)
        if not patch.get_visible():
            return
        outline = TransformedPath(patch.get_path(), patch.get_transform())
        path, _affine = outline.get_transformed_path_and_affine()
        display = _affine.transform_path(path)
        extents = display.get_extents()
        if extents.width <= 0 or extents.height <= 0:
            return
        lines = _tiled_hatch(hatch, extents, renderer.points_to_pixels(HATCH_TILE_PT))
        gc = renderer.new_gc()
        patch._set_gc_clip(gc)  # the axes clip box, if any
        gc.set_clip_path(outline)
        gc.set_foreground(patch.get_hatchcolor())
        gc.set_linewidth(patch.get_hatch_linewidth())
        gc.set_alpha(patch.get_alpha())
        gc.set_capstyle("butt")
        renderer.draw_path(gc, lines, IdentityTransform(), patch.get_hatchcolor())
        gc.restore()

    return draw


def _tiled_hatch(hatch: str, extents, tile: float) -> Path:  # noqa: ANN001
    """Matplotlib's unit hatch path repeated over ``extents`` (display units), tiles anchored at 0."""
    unit = Path.hatch(hatch, HATCH_DENSITY)
    tiles = []
    for ix in range(math.floor(extents.x0 / tile), math.ceil(extents.x1 / tile)):
        for iy in range(math.floor(extents.y0 / tile), math.ceil(extents.y1 / tile)):
            tiles.append(Path(unit.vertices * tile + (ix * tile, iy * tile), unit.codes))
    return Path.make_compound_path(*tiles)
