"""Matplotlib figure -> ReportLab Drawing, drawn directly: vector, with text as text.

:class:`DrawingRenderer` is a matplotlib renderer whose output is ReportLab shapes: paths stay
paths, text becomes ``String`` objects in the document's registered faces (so the PDF embeds
only the document's fonts, subset, and its text can be searched and extracted), clipping
becomes clip paths. There is no intermediate SVG: nothing is serialised and parsed again, and
nothing caps how many markers a chart may have.

What it does the way matplotlib's SVG backend does, so charts look as they did:

* text is anchored at its alignment point (``ha``) on its baseline, so ReportLab's own string
  widths centre or right-align it exactly;
* markers: a series' markers are separate paths (as overlapping markers with edges need), or
  one compound path when there are many (over :data:`COMPOUND_MARKERS`);
* hatches are drawn as matplotlib's hatch pattern in tiles of one inch anchored at the page
  origin, clipped to the hatched shape; only the pattern's pieces that can meet the shape are
  written, so a hatched series of thin bars costs little;
* ``$`` in text is never mathtext here: figures set ``usetex`` off and text that matplotlib
  would parse as math is drawn as glyph outlines (the charts escape analyst text to avoid it).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from matplotlib.backend_bases import GraphicsContextBase, RendererBase
from matplotlib.figure import Figure
from matplotlib.path import Path as MplPath
from matplotlib.transforms import Affine2D
from reportlab.graphics.shapes import FILL_NON_ZERO, Drawing, Group, Path, String
from reportlab.lib.colors import Color

from timeline_pdf.fonts import DocumentFonts, Family, register_matplotlib, register_reportlab

HATCH_TILE_PT = 72  # matplotlib's hatch tile: one inch
HATCH_DENSITY = 6.0  # matplotlib's default hatch density
COMPOUND_MARKERS = 200  # more markers than this in one series: one compound path
BOLD_WEIGHTS = {"bold", "bolder", "semibold", "demibold", "demi", "heavy", "black", "extra bold", "ultrabold"}
CAPS = {"butt": 0, "round": 1, "projecting": 2}
JOINS = {"miter": 0, "round": 1, "bevel": 2}
ANCHORS = {"left": "start", "center": "middle", "right": "end"}
MOVETO, LINETO, CURVE3, CURVE4, CLOSEPOLY = MplPath.MOVETO, MplPath.LINETO, MplPath.CURVE3, MplPath.CURVE4, MplPath.CLOSEPOLY


def rl_style(weight: Any, style: Any) -> str:
    """CSS-like font weight and style -> one of 'regular', 'bold', 'italic', 'bold_italic'."""
    text = str(weight).strip().lower()
    bold = int(text) >= 600 if text.isdigit() else text in BOLD_WEIGHTS
    italic = str(style).strip().lower() in ("italic", "oblique")
    return {(False, False): "regular", (True, False): "bold", (False, True): "italic", (True, True): "bold_italic"}[(bold, italic)]


def face_finder(fonts: DocumentFonts) -> Callable[[Any], str]:
    """FontProperties -> ReportLab face: the document's families by their matplotlib or
    ReportLab name; any other family (``sans-serif``, ``DejaVu Sans``...) -> the heading family."""
    families: dict[str, Family] = {}
    for family in (fonts.heading, fonts.body):
        register_reportlab(family)
        families.setdefault(register_matplotlib(family).lower(), family)
        families.setdefault(family.name.lower(), family)

    def find(prop: Any) -> str:
        family = next((families[name.lower()] for name in prop.get_family() if name.lower() in families), fonts.heading)
        return family.face(rl_style(prop.get_weight(), prop.get_style()))

    return find


def _colour(rgba: Any, alpha: float | None = None) -> Color | None:
    if rgba is None:
        return None
    r, g, b = (float(v) for v in rgba[:3])
    a = float(rgba[3]) if alpha is None and len(rgba) > 3 else (1.0 if alpha is None else alpha)
    if a <= 0:
        return None
    return Color(r, g, b, alpha=a) if a < 1 else Color(r, g, b)


def _rl_path(vertices: np.ndarray, codes: np.ndarray | None, **props: Any) -> Path:
    """A ReportLab path from matplotlib vertices and codes (quadratic curves become cubic)."""
    path = Path(autoclose="svg", fillMode=FILL_NON_ZERO, **props)
    if codes is None:
        codes = np.full(len(vertices), LINETO)
        if len(codes):
            codes[0] = MOVETO
    points = vertices.tolist()
    i, n = 0, len(points)
    last = (0.0, 0.0)
    while i < n:
        code = codes[i]
        if code == MOVETO:
            last = points[i]
            path.moveTo(*last)
            i += 1
        elif code == LINETO:
            last = points[i]
            path.lineTo(*last)
            i += 1
        elif code == CURVE4:
            (x1, y1), (x2, y2), last = points[i], points[i + 1], points[i + 2]
            path.curveTo(x1, y1, x2, y2, *last)
            i += 3
        elif code == CURVE3:
            (qx, qy), end = points[i], points[i + 1]
            x0, y0 = last
            path.curveTo(x0 + 2 / 3 * (qx - x0), y0 + 2 / 3 * (qy - y0), end[0] + 2 / 3 * (qx - end[0]), end[1] + 2 / 3 * (qy - end[1]), *end)
            last = end
            i += 2
        elif code == CLOSEPOLY:
            path.closePath()
            i += 1
        else:  # STOP, which ends a cleaned path (and each marker of a compound one)
            i += 1
    return path


class DrawingRenderer(RendererBase):
    """Draws a figure (72 dpi, y up) into a ReportLab Group."""

    def __init__(self, width: float, height: float, face: Callable[[Any], str]) -> None:
        super().__init__()
        self.dpi = 72.0
        self._hatches: dict[str, tuple[list[tuple[np.ndarray, np.ndarray | None]], np.ndarray]] = {}
        self.begin(width, height, face)

    def begin(self, width: float, height: float, face: Callable[[Any], str]) -> None:
        """Start a new figure. One renderer serves every figure of a process, so matplotlib's
        text measurements (cached per renderer) are reused from chart to chart."""
        self.width, self.height = width, height
        self.face = face
        self.root = Group()
        self._clip_key = None
        self._target = self.root

    # -- what matplotlib asks of a renderer
    def flipy(self) -> bool:
        return False

    def get_canvas_width_height(self) -> tuple[float, float]:
        return self.width, self.height

    def points_to_pixels(self, points: float) -> float:
        return points

    def option_image_nocomposite(self) -> bool:
        return True

    def new_gc(self) -> GraphicsContextBase:
        return GraphicsContextBase()

    def get_text_width_height_descent(self, s: str, prop: Any, ismath: Any) -> tuple[float, float, float]:
        return self._text2path.get_text_width_height_descent(s, prop, ismath)

    def draw_image(self, gc, x, y, im, transform=None) -> None:  # noqa: ANN001
        raise ValueError("charts are vector only: a raster image cannot be drawn into them")

    # -- clipping: consecutive shapes with the same clip share one group
    def _container(self, gc: GraphicsContextBase) -> Group:
        rect = gc.get_clip_rectangle()
        clip_path, clip_trans = gc.get_clip_path()
        key = (
            tuple(np.round(rect.bounds, 4)) if rect is not None else None,
            (clip_path.vertices.tobytes(), None if clip_path.codes is None else clip_path.codes.tobytes(), tuple(np.round(clip_trans.get_matrix().ravel(), 6)))
            if clip_path is not None else None,
        )
        if key == self._clip_key:
            return self._target
        self._clip_key = key
        if key == (None, None):
            self._target = self.root
            return self.root
        group = Group()
        if rect is not None:
            x0, y0, w, h = rect.bounds
            group.add(_clip_path(np.array([(x0, y0), (x0 + w, y0), (x0 + w, y0 + h), (x0, y0 + h), (x0, y0)]), np.array([MOVETO, LINETO, LINETO, LINETO, CLOSEPOLY])))
        if clip_path is not None:
            cleaned = clip_path.cleaned(transform=clip_trans, remove_nans=True, curves=True)
            group.add(_clip_path(cleaned.vertices, cleaned.codes))
        self.root.add(group)
        self._target = group
        return group

    def _props(self, gc: GraphicsContextBase, rgbFace: Any) -> dict[str, Any]:
        forced = gc.get_forced_alpha()
        fill = _colour(rgbFace, gc.get_alpha() if forced else None) if rgbFace is not None else None
        stroke = _colour(gc.get_rgb(), gc.get_alpha() if forced else None) if gc.get_linewidth() > 0 else None
        props: dict[str, Any] = {"fillColor": fill, "strokeColor": stroke}
        if stroke is not None:
            props["strokeWidth"] = gc.get_linewidth()
            props["strokeLineCap"] = CAPS.get(gc.get_capstyle(), 0)
            props["strokeLineJoin"] = JOINS.get(gc.get_joinstyle(), 0)
            offset, dashes = gc.get_dashes()
            if dashes is not None and len(dashes):
                props["strokeDashArray"] = [offset or 0, [float(d) for d in dashes]]
        return props

    # -- drawing
    def draw_path(self, gc, path, transform, rgbFace=None) -> None:  # noqa: ANN001
        hatch = gc.get_hatch()
        plain = rgbFace is None and hatch is None
        cleaned = path.cleaned(transform=transform, remove_nans=True, clip=(0, 0, self.width, self.height) if plain else None, simplify=path.should_simplify and plain, curves=True)
        props = self._props(gc, rgbFace)
        target = self._container(gc)
        if len(cleaned.vertices) > 1 and (props["fillColor"] is not None or props["strokeColor"] is not None):
            target.add(_rl_path(cleaned.vertices, cleaned.codes, **props))
        if hatch:
            self._draw_hatch(gc, path, transform, target)

    def draw_markers(self, gc, marker_path, marker_trans, path, trans, rgbFace=None) -> None:  # noqa: ANN001
        if not len(path.vertices):
            return
        marker = marker_path.cleaned(transform=marker_trans, remove_nans=True, curves=True)
        spots = [vertices[-2:] for vertices, _code in path.iter_segments(trans, clip=(0, 0, self.width, self.height), simplify=False) if len(vertices)]
        if not spots:
            return
        props = self._props(gc, rgbFace)
        if props["fillColor"] is None and props["strokeColor"] is None:
            return
        target = self._container(gc)
        vertices, codes = marker.vertices, marker.codes
        if len(spots) > COMPOUND_MARKERS:
            offsets = np.asarray(spots, dtype=float)
            everything = (vertices[None, :, :] + offsets[:, None, :]).reshape(-1, 2)
            all_codes = None if codes is None else np.tile(codes, len(spots))
            if all_codes is None:
                all_codes = np.tile(np.r_[MOVETO, np.full(len(vertices) - 1, LINETO)], len(spots))
            target.add(_rl_path(everything, all_codes, **props))
            return
        for x, y in spots:
            target.add(_rl_path(vertices + (x, y), codes, **props))

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None) -> None:  # noqa: ANN001
        if ismath:  # matplotlib's math layout: glyph outlines
            return self._draw_text_as_path(gc, x, y, s, prop, angle, ismath)
        colour = _colour(gc.get_rgb(), gc.get_alpha() if gc.get_forced_alpha() else None)
        if colour is None:
            return None
        anchor = "start"
        if mtext is not None and (angle == 0 or mtext.get_rotation_mode() == "anchor"):
            ax, ay = mtext.get_transform().transform(mtext.get_unitless_position())
            cos, sin = math.cos(math.radians(angle)), math.sin(math.radians(angle))
            along = (ax - x) * cos + (ay - y) * sin  # the anchor, moved onto this line's baseline
            x, y = x + along * cos, y + along * sin
            anchor = ANCHORS[mtext.get_ha()]
        string = String(0, 0, s, fontName=self.face(prop), fontSize=prop.get_size_in_points(), fillColor=colour, textAnchor=anchor)
        target = self._container(gc)
        if angle:
            rad = math.radians(angle)
            target.add(Group(string, transform=(math.cos(rad), math.sin(rad), -math.sin(rad), math.cos(rad), x, y)))
        else:
            string.x, string.y = x, y
            target.add(string)
        return None

    # -- hatches
    def _hatch_pieces(self, hatch: str) -> tuple[list[tuple[np.ndarray, np.ndarray | None]], np.ndarray]:
        """The unit hatch path split into its pieces, each with its bounding box (in tile units)."""
        if hatch not in self._hatches:
            unit = MplPath.hatch(hatch, HATCH_DENSITY)
            pieces, boxes = [], []
            codes = unit.codes if unit.codes is not None else np.r_[MOVETO, np.full(len(unit.vertices) - 1, LINETO)]
            starts = list(np.flatnonzero(codes == MOVETO)) + [len(codes)]
            for a, b in zip(starts, starts[1:]):
                vertices = unit.vertices[a:b]
                pieces.append((vertices, codes[a:b]))
                boxes.append((*vertices.min(axis=0), *vertices.max(axis=0)))
            self._hatches[hatch] = (pieces, np.array(boxes).reshape(-1, 4))
        return self._hatches[hatch]

    def _draw_hatch(self, gc: GraphicsContextBase, path: MplPath, transform: Affine2D, target: Group) -> None:
        shape = path.cleaned(transform=transform, remove_nans=True, curves=True)
        polygons = [p for p in path.to_polygons(transform, closed_only=False) if len(p)]
        if not polygons:
            return
        boxes = np.array([(*p.min(axis=0), *p.max(axis=0)) for p in polygons])
        pieces, unit_boxes = self._hatch_pieces(gc.get_hatch())
        tile = HATCH_TILE_PT
        vertices, codes = [], []
        x0, y0, x1, y1 = boxes[:, 0].min(), boxes[:, 1].min(), boxes[:, 2].max(), boxes[:, 3].max()
        for ix in range(math.floor(x0 / tile), math.ceil(x1 / tile)):
            for iy in range(math.floor(y0 / tile), math.ceil(y1 / tile)):
                shifted = unit_boxes * tile + (ix * tile, iy * tile, ix * tile, iy * tile)
                meets = ((shifted[:, None, 0] <= boxes[None, :, 2] + 1) & (shifted[:, None, 2] >= boxes[None, :, 0] - 1)
                         & (shifted[:, None, 1] <= boxes[None, :, 3] + 1) & (shifted[:, None, 3] >= boxes[None, :, 1] - 1)).any(axis=1)
                for index in np.flatnonzero(meets):
                    piece, piece_codes = pieces[index]
                    vertices.append(piece * tile + (ix * tile, iy * tile))
                    codes.append(piece_codes)
        if not vertices:
            return
        colour = _colour(gc.get_hatch_color())
        group = Group(_clip_path(shape.vertices, shape.codes))
        group.add(_rl_path(np.concatenate(vertices), np.concatenate(codes), fillColor=colour, strokeColor=colour, strokeWidth=gc.get_hatch_linewidth(), strokeLineCap=0))
        target.add(group)


def _clip_path(vertices: np.ndarray, codes: np.ndarray | None) -> Path:
    path = _rl_path(vertices, codes, fillColor=None, strokeColor=None)
    path.isClipPath = 1
    return path


_renderer: DrawingRenderer | None = None


def figure_to_drawing(fig: Figure, width: float, fonts: DocumentFonts) -> Drawing:
    """Draw a matplotlib Figure (72 dpi) into a ReportLab Drawing ``width`` points wide (aspect kept)."""
    global _renderer
    w, h = fig.bbox.width * 72 / fig.dpi, fig.bbox.height * 72 / fig.dpi
    if _renderer is None:
        _renderer = DrawingRenderer(w, h, face_finder(fonts))
    renderer = _renderer
    renderer.begin(w, h, face_finder(fonts))
    dpi = fig.dpi
    fig.set_dpi(72)
    try:
        fig.draw(renderer)
    finally:
        fig.set_dpi(dpi)
    factor = width / w
    drawing = Drawing(width, h * factor)
    root, renderer.root = renderer.root, Group()  # the renderer keeps nothing of this figure
    renderer._target, renderer._clip_key = renderer.root, None
    root.transform = (factor, 0, 0, factor, 0, 0)
    drawing.add(root)
    # The renderer's initial graphics state would otherwise select Helvetica (STATE_DEFAULTS),
    # which puts an unembedded Helvetica in the PDF even though no string uses it.
    drawing.initialFontName = fonts.heading.face()
    drawing.initialFontSize = 8
    return drawing
