"""Regenerate the README's pictures in docs/ from the sample products.

Run from the project root after ``timeline-pdf build``: ``python tools/render_previews.py``.
It also builds, in a scratch folder, the README's before-and-after example of a layout edit
(``EDITED`` below), so the picture always matches the text, and page 1 of a brief built through
the ACLED import from an illustrative export outside the Middle East (``ACLED_EXAMPLE``). The
publication page is pictured in Chromium (``timeline-pdf preview``'s pictures, made smaller).
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from PIL import Image

from timeline_pdf.build import build
from timeline_pdf.preview import render_pages, screenshot_page

ROOT = Path(__file__).resolve().parent.parent
ACLED_EXAMPLE = ROOT / "tests" / "data" / "acled_somalia_2025_illustrative.csv"  # and its summary, .md beside it
PICTURES = {  # PDF in output/ -> (pages, name prefix in docs/)
    "escalation-timeline.pdf": ("1,3", "timeline"),
    "escalation-brief.pdf": ("1,2", "brief"),
    "escalation-timeline-a4-landscape.pdf": ("1", "timeline-a4-landscape"),
}
# The layout edit shown in the README: margins, type, a category colour and the section order.
EDITED = """extends = "base.toml"
product = "timeline"
output = "{stem}-timeline.pdf"
sections = ["legend", "title", "timeline", "sources"]

[page]
margins = { left = "1.2in", right = "1.2in" }

[fonts]
body = "Noto Sans"

[palette]
"Rocket attack" = { colour = "#882255", marker = "circle" }
"""


def before_and_after(docs: Path) -> Path:
    with tempfile.TemporaryDirectory() as scratch:
        layouts = Path(scratch) / "layouts"
        shutil.copytree(ROOT / "layouts", layouts)
        (layouts / "timeline.toml").write_text(EDITED)
        pdf = build(ROOT / "inputs" / "escalation.xlsx", ("timeline",), Path(scratch) / "out", layouts).built[0].path
        after = render_pages(pdf, Path(scratch), "1", dpi=60, sheet=False)[0]
        before = render_pages(ROOT / "output" / "escalation-timeline.pdf", Path(scratch) / "before", "1", dpi=60, sheet=False)[0]
        left, right = Image.open(before), Image.open(after)
        gap = 16
        picture = Image.new("RGB", (left.width + right.width + 3 * gap, max(left.height, right.height) + 2 * gap), "#D9DDE3")
        picture.paste(left, (gap, gap))
        picture.paste(right, (2 * gap + left.width, gap))
        target = docs / "layout-before-after.png"
        picture.save(target, optimize=True)
        return target


def acled_example(docs: Path) -> Path:
    """Page 1 of the brief of the illustrative ACLED export, small enough for the README."""
    with tempfile.TemporaryDirectory() as scratch:
        source = Path(scratch) / ACLED_EXAMPLE.name
        shutil.copy(ACLED_EXAMPLE, source)
        shutil.copy(ACLED_EXAMPLE.with_suffix(".md"), source.with_suffix(".md"))
        pdf = build(source, ("brief",), Path(scratch) / "out", ROOT / "layouts", preset="acled").built[0].path
        page = render_pages(pdf, Path(scratch), "1", dpi=64, sheet=False)[0]
        target = docs / "brief-acled-example.png"
        Image.open(page).convert("P", palette=Image.Palette.ADAPTIVE, colors=128).save(target, optimize=True)
        return target


PAGE_DESKTOP_WIDTH = 760  # pixels in the README, of the 1280 the page is pictured at
PHONE_SCREENS = 2  # how much of the phone's picture the README shows, in screens of 812 pixels


def page_pictures(docs: Path) -> list[Path]:
    """The publication page at a desktop's width (whole, scaled down) and on a phone (its first
    two screens, at their size), as docs/page-desktop.png and docs/page-phone.png."""
    with tempfile.TemporaryDirectory() as scratch:
        desktop, phone = screenshot_page(ROOT / "output" / "escalation-page.html", Path(scratch))
        with Image.open(desktop) as image:
            small = image.resize((PAGE_DESKTOP_WIDTH, round(image.height * PAGE_DESKTOP_WIDTH / image.width)), Image.Resampling.LANCZOS)
        with Image.open(phone) as image:
            screens = image.crop((0, 0, image.width, min(image.height, 812 * PHONE_SCREENS)))
        targets = []
        for picture, name in ((small, "page-desktop.png"), (screens, "page-phone.png")):
            target = docs / name
            picture.convert("P", palette=Image.Palette.ADAPTIVE, colors=128).save(target, optimize=True)
            targets.append(target)
        return targets


if __name__ == "__main__":
    docs = ROOT / "docs"
    for pdf, (pages, prefix) in PICTURES.items():
        for path in render_pages(ROOT / "output" / pdf, docs, pages, dpi=72, sheet=False):
            target = docs / path.name.replace(Path(pdf).stem, prefix)
            path.replace(target)
            print(f"wrote {target.relative_to(ROOT)}")
    print(f"wrote {before_and_after(docs).relative_to(ROOT)}")
    print(f"wrote {acled_example(docs).relative_to(ROOT)}")
    for target in page_pictures(docs):
        print(f"wrote {target.relative_to(ROOT)}")
