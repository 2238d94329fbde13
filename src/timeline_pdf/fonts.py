"""Type families: shipped Noto families or a layout's own TTF files.

The same files are registered with ReportLab (embedded and subset in the PDF) and with
matplotlib (so charts are set in the document's type). Registration happens once per family.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.layout.schema import FontFiles

STYLES = ("regular", "bold", "italic", "bold_italic")
FONT_DIR = Path(str(resources.files("timeline_pdf") / "data" / "fonts"))


@dataclass(frozen=True)
class Family:
    """Four TTF files of one family and the names ReportLab knows them by."""

    name: str
    regular: Path
    bold: Path
    italic: Path
    bold_italic: Path

    def face(self, style: str = "regular") -> str:
        """ReportLab font name of one style, e.g. 'Noto Serif-bold'."""
        return self.name if style == "regular" else f"{self.name}-{style}"


@dataclass(frozen=True)
class DocumentFonts:
    body: Family
    heading: Family


def arabic_family() -> Family:
    """Noto Sans Arabic; it has no italic, so italic maps to upright."""
    regular, bold = FONT_DIR / "NotoSansArabic-Regular.ttf", FONT_DIR / "NotoSansArabic-Bold.ttf"
    return Family("Noto Sans Arabic", regular, bold, regular, bold)


def shipped_family(name: str) -> Family:
    stem = name.replace(" ", "")
    files = {s: FONT_DIR / f"{stem}-{s.title().replace('_', '')}.ttf" for s in STYLES}
    return Family(name, **files)


def document_fonts(layout: LoadedLayout) -> DocumentFonts:
    return DocumentFonts(_family(layout, layout.spec.fonts.body), _family(layout, layout.spec.fonts.heading))


def _family(layout: LoadedLayout, spec: str | FontFiles) -> Family:
    if isinstance(spec, str):
        return shipped_family(spec)
    files = {s: layout.font_path(spec, s) for s in STYLES}
    digest = hashlib.sha1(str(files["regular"]).encode()).hexdigest()[:6]  # stable across runs
    return Family(f"{files['regular'].stem.split('-')[0]}-{digest}", **files)


def register_reportlab(family: Family) -> None:
    _register_reportlab(family)


@cache
def _register_reportlab(family: Family) -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    from timeline_pdf.errors import TimelinePdfError

    for style in STYLES:
        path = getattr(family, style)
        try:
            pdfmetrics.registerFont(TTFont(family.face(style), str(path)))
        except (TTFError, OSError) as exc:
            raise TimelinePdfError(f"font file {path} cannot be used: {exc}", "use a TrueType (.ttf) font file with glyph outlines") from None
    pdfmetrics.registerFontFamily(
        family.name, normal=family.face(), bold=family.face("bold"), italic=family.face("italic"), boldItalic=family.face("bold_italic")
    )


@cache
def register_matplotlib(family: Family) -> str:
    """Add the family's files to matplotlib's font manager; return the family name it knows."""
    from matplotlib import font_manager

    for style in STYLES:
        font_manager.fontManager.addfont(str(getattr(family, style)))
    return font_manager.FontProperties(fname=str(family.regular)).get_name()
