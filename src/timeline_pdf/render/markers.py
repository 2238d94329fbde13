"""Category markers (circle, square, diamond, triangle, star) as small vector drawings."""

from __future__ import annotations

import math

from reportlab.graphics.shapes import Circle, Drawing, Polygon, Rect
from reportlab.lib.colors import HexColor, white

from timeline_pdf.layout.schema import CategoryStyle


def marker_shape(style: CategoryStyle, cx: float, cy: float, size: float, outline=white, stroke: float = 0.8):
    """One shape centred on (cx, cy), ``size`` wide."""
    r = size / 2
    fill = HexColor(style.colour)
    common = {"fillColor": fill, "strokeColor": outline, "strokeWidth": stroke}
    if style.marker == "square":
        return Rect(cx - r * 0.85, cy - r * 0.85, r * 1.7, r * 1.7, **common)
    if style.marker == "diamond":
        return Polygon([cx, cy + r, cx + r, cy, cx, cy - r, cx - r, cy], **common)
    if style.marker == "triangle":
        return Polygon([cx, cy + r, cx + r, cy - r * 0.8, cx - r, cy - r * 0.8], **common)
    if style.marker == "star":
        points = []
        for i in range(10):
            radius = r * 1.25 if i % 2 == 0 else r * 0.55  # a star looks smaller than a disc of equal width
            angle = math.pi / 2 + i * math.pi / 5
            points += [cx + radius * math.cos(angle), cy + radius * math.sin(angle)]
        return Polygon(points, **common)
    return Circle(cx, cy, r, **common)


def marker_drawing(style: CategoryStyle, size: float) -> Drawing:
    drawing = Drawing(size + 2, size + 2)
    drawing.add(marker_shape(style, size / 2 + 1, size / 2 + 1, size, stroke=0.4))
    return drawing
