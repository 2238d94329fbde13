"""Reading built PDFs in tests: text, links, outline and fonts, through pypdf."""

from __future__ import annotations

import re
from pathlib import Path

from pypdf import PdfReader


def text_of(path: Path) -> str:
    """All page text with whitespace folded, so line breaks do not split phrases."""
    reader = PdfReader(path)
    return re.sub(r"\s+", " ", " ".join(page.extract_text() or "" for page in reader.pages))


def link_uris(path: Path) -> list[str]:
    uris = []
    for page in PdfReader(path).pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action and action.get("/S") == "/URI":
                uris.append(str(action["/URI"]))
    return uris


def outline_titles(path: Path) -> list[str]:
    titles: list[str] = []

    def walk(items) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(str(item.title))

    walk(PdfReader(path).outline)
    return titles


def fonts(path: Path) -> dict[str, bool]:
    """Base font name -> whether its program is embedded."""
    found: dict[str, bool] = {}

    def visit(resources) -> None:
        resources = resources.get_object() if resources is not None else None
        if not resources:
            return
        for font in (resources.get("/Font") or {}).values():
            font = font.get_object()
            descriptor = font.get("/FontDescriptor")
            if "/DescendantFonts" in font:
                descriptor = font["/DescendantFonts"][0].get_object().get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor else {}
            embedded = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
            found[str(font.get("/BaseFont"))] = embedded or font.get("/Subtype") == "/Type3"
        for xobject in (resources.get("/XObject") or {}).values():
            visit(xobject.get_object().get("/Resources"))

    for page in PdfReader(path).pages:
        visit(page.get("/Resources"))
    return found
