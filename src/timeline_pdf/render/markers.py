"""Category markers (circle, square, diamond, triangle, star) drawn straight on the canvas.

Drawn with canvas paths rather than ReportLab graphics, which would declare an unembedded
default font in the PDF.
"""

from __future__ import annotations

import math
from functools import lru_cache
from io import BytesIO

from reportlab.lib.colors import HexColor
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from timeline_pdf.layout.schema import CategoryStyle


def _points(marker: str, cx: float, cy: float, r: float) -> list[tuple[float, float]]:
    if marker == "square":
        s = r * 0.85
        return [(cx - s, cy - s), (cx + s, cy - s), (cx + s, cy + s), (cx - s, cy + s)]
    if marker == "diamond":
        return [(cx, cy + r), (cx + r, cy), (cx, cy - r), (cx - r, cy)]
    if marker == "triangle":
        return [(cx, cy + r), (cx + r, cy - r * 0.8), (cx - r, cy - r * 0.8)]
    if marker == "star":  # a star looks smaller than a disc of equal width
        return [
            (cx + radius * math.cos(angle), cy + radius * math.sin(angle))
            for i in range(10)
            for radius, angle in [(r * 1.25 if i % 2 == 0 else r * 0.55, math.pi / 2 + i * math.pi / 5)]
        ]
    return []


def draw_marker(canvas, style: CategoryStyle, cx: float, cy: float, size: float, stroke: float = 0.8) -> None:
    """One marker centred on (cx, cy), ``size`` wide, with a white outline: the operators of
    each kind of marker worked out once (a timeline draws one per entry), moved into place."""
    canvas.addLiteral(f"q\n1 0 0 1 {fp_str(cx, cy)} cm\n{_marker_code(style.colour, style.marker, size, stroke)}\nQ")


@lru_cache(maxsize=256)
def _marker_code(colour: str, marker: str, size: float, stroke: float) -> str:
    """The operators of a marker centred on the origin, as a ReportLab canvas writes them."""
    scratch = Canvas(BytesIO())
    start = len(scratch._code)
    _draw(scratch, colour, marker, 0, 0, size, stroke)
    return "\n".join(scratch._code[start:])


def _draw(canvas, colour: str, marker: str, cx: float, cy: float, size: float, stroke: float) -> None:
    r = size / 2
    canvas.setFillColor(HexColor(colour))
    canvas.setStrokeColor(HexColor("#FFFFFF"))
    canvas.setLineWidth(stroke)
    points = _points(marker, cx, cy, r)
    if not points:
        canvas.circle(cx, cy, r, stroke=1, fill=1)
    else:
        path = canvas.beginPath()
        path.moveTo(*points[0])
        for point in points[1:]:
            path.lineTo(*point)
        path.close()
        canvas.drawPath(path, stroke=1, fill=1)


class Marker(Flowable):
    """A marker as a flowable, for the legend."""

    def __init__(self, style: CategoryStyle, size: float) -> None:
        super().__init__()
        self.style, self.size = style, size
        self.width = self.height = size + 2

    def draw(self) -> None:
        draw_marker(self.canv, self.style, self.width / 2, self.height / 2, self.size, stroke=0.4)
