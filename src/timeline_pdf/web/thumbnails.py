"""What the publication page shows of each PDF: a picture of its first page, and its paper.

Rendered by pypdfium2 (PDFium) from the PDF's bytes in memory, so the page needs no browser and
no system package; the same PDF and PDFium give the same PNG, byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from timeline_pdf.layout.schema import PAGE_SIZES

THUMBNAIL_WIDTH = 360  # pixels: sharp at the 180 CSS pixels the page shows it, on a screen of double density
SHOWN_WIDTH = 180  # CSS pixels
PAPER_TOLERANCE = 2.0  # points


@dataclass(frozen=True)
class FirstPage:
    png: bytes
    width: int  # of the picture, in pixels
    height: int
    paper: str  # 'Letter', 'A4 landscape', '6 × 9 in'


def first_page(pdf: bytes, width: int = THUMBNAIL_WIDTH) -> FirstPage:
    """The PDF's first page as a PNG ``width`` pixels wide, and the paper it is set on."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        page = document[0]
        points = page.get_size()
        image = page.render(scale=width / points[0]).to_pil().convert("RGB")
    finally:
        document.close()
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return FirstPage(buffer.getvalue(), image.width, image.height, paper(*points))


def paper(width: float, height: float) -> str:
    """A page size in points as an editor names it: a known size and its orientation, else inches."""
    short, long = sorted((width, height))
    for name, (known_short, known_long) in PAGE_SIZES.items():
        if abs(short - known_short) <= PAPER_TOLERANCE and abs(long - known_long) <= PAPER_TOLERANCE:
            label = name.upper() if name[1:].isdigit() else name.capitalize()  # A4, Letter
            return label + (" landscape" if width > height else "")
    return f"{width / 72:.3g} × {height / 72:.3g} in"


def shown_height(picture: FirstPage) -> int:
    """The picture's height at the width the page shows it."""
    return round(picture.height * SHOWN_WIDTH / picture.width)
