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


# The publication page as a reader sees it: Chromium's own rendering, at a desktop's and a phone's width.
PAGE_WIDTHS = {"desktop": 1280, "phone": 375}  # CSS pixels
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
SCREENSHOT_HEIGHT = 8000  # pixels: room for the whole page; the blank below it is cut off
BROWSER_SECONDS = 120


def find_browser() -> str:
    """A Chromium-based browser on the PATH, to screenshot the page with."""
    import shutil

    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    raise TimelinePdfError("no Chromium browser was found to take a picture of the page", "install Chromium (on Debian: apt-get install chromium), or open the page in any browser")


def browser_arguments(profile: Path) -> list[str]:
    """Headless Chromium that reaches no network of its own and keeps nothing: the page loads
    only the files beside it."""
    import os

    arguments = ["--headless", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--hide-scrollbars", "--force-device-scale-factor=1", f"--user-data-dir={profile}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        arguments.append("--no-sandbox")  # Chromium refuses to start as root with its sandbox
    return arguments


def screenshot_page(page: Path, out: Path, widths: dict[str, int] | None = None) -> list[Path]:
    """Write ``<stem>-desktop.png`` and ``<stem>-phone.png``: the whole page at each width."""
    import subprocess
    import tempfile

    from PIL import Image, ImageChops

    browser = find_browser()
    written = []
    for label, width in (widths or PAGE_WIDTHS).items():
        with tempfile.TemporaryDirectory() as scratch:
            shot = Path(scratch) / "shot.png"
            command = [browser, *browser_arguments(Path(scratch) / "profile"), f"--window-size={width},{SCREENSHOT_HEIGHT}", f"--screenshot={shot}", page.resolve().as_uri()]
            try:
                subprocess.run(command, capture_output=True, timeout=BROWSER_SECONDS, check=False)
            except subprocess.TimeoutExpired:
                raise TimelinePdfError(f"the browser took more than {BROWSER_SECONDS} s to draw {page.name}", "try again; if it persists, open the page in a browser") from None
            if not shot.is_file():
                raise TimelinePdfError(f"the browser ({browser}) did not take a picture of {page.name}", "check that it starts: run it with --headless --screenshot by hand")
            with Image.open(shot) as opened:
                image = opened.convert("RGB")
        content = ImageChops.difference(image, Image.new("RGB", image.size, "white")).getbbox()
        bottom = min(image.height, (content[3] if content else 0) + 24)
        written.append(_save(image.crop((0, 0, width, max(bottom, 1))), out / f"{page.stem}-{label}.png"))
    return written
