"""Pages of a built PDF as PNG images, and a contact sheet of all pages, for editors and docs.

Rendering uses pypdfium2 (PDFium), so it needs no system packages.
"""

from __future__ import annotations

from pathlib import Path

from timeline_pdf.errors import TimelinePdfError
from timeline_pdf.output import write_atomic


def parse_pages(spec: str | None, count: int) -> list[int]:
    """'1,3-4' -> [0, 2, 3] (zero-based); None means every page."""
    if not spec:
        return list(range(count))
    pages: list[int] = []
    for part in spec.split(","):
        first, _, last = part.strip().partition("-")
        try:
            start, end = int(first), int(last or first)
        except ValueError:
            raise TimelinePdfError(f"'{part}' is not a page number or range", "give pages like 1,3 or 2-4") from None
        if not 1 <= start <= end <= count:
            raise TimelinePdfError(f"page {part} is outside 1-{count}", f"the document has {count} page(s)")
        pages += range(start - 1, end)
    return pages


def render_pages(pdf: Path, out: Path, pages: str | None = None, dpi: float = 96, sheet: bool = True) -> list[Path]:
    """Write ``<stem>-page<N>.png`` for the chosen pages (and ``<stem>-sheet.png``)."""
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(pdf)
    except (pdfium.PdfiumError, OSError) as exc:
        raise TimelinePdfError(f"cannot open {pdf}: {exc}", "build the PDF first, or check the path") from None
    written: list[Path] = []
    images = []
    try:
        for index in parse_pages(pages, len(document)):
            image = document[index].render(scale=dpi / 72).to_pil().convert("RGB")
            images.append(image)
            written.append(_save(image, out / f"{pdf.stem}-page{index + 1}.png"))
    finally:
        document.close()
    if sheet and len(images) > 1:
        written.append(_save(contact_sheet(images), out / f"{pdf.stem}-sheet.png"))
    return written


def contact_sheet(images: list, columns: int = 4, gap: int = 12):
    """Pages side by side on a grey ground, at a quarter of their size."""
    from PIL import Image

    thumbs = [image.resize((image.width // 2, image.height // 2)) for image in images]
    width, height = max(t.width for t in thumbs), max(t.height for t in thumbs)
    columns = min(columns, len(thumbs))
    rows = -(-len(thumbs) // columns)
    sheet = Image.new("RGB", (columns * (width + gap) + gap, rows * (height + gap) + gap), "#D9DDE3")
    for index, thumb in enumerate(thumbs):
        row, column = divmod(index, columns)
        sheet.paste(thumb, (gap + column * (width + gap), gap + row * (height + gap)))
    return sheet


def _save(image, path: Path) -> Path:
    from io import BytesIO

    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    write_atomic(path, buffer.getvalue())
    return path
