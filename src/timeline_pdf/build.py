"""The whole flow in one readable place: load -> validate -> model -> charts -> render -> write.

Every product is rendered in memory first; files are written only when all products built, so
a failure never leaves a mix of new and old outputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from timeline_pdf.errors import Finding
from timeline_pdf.layout.load import LoadedLayout, find_layouts, load_layout, resolve_layout
from timeline_pdf.model import Report
from timeline_pdf.output import output_name, write_atomic
from timeline_pdf.validate import load_report

if TYPE_CHECKING:  # rendering imports ReportLab, which validation never needs
    from timeline_pdf.render.pdf import Rendered

DEFAULT_WORKBOOK = Path("inputs/escalation.xlsx")
DEFAULT_LAYOUTS = Path("layouts")
DEFAULT_OUT = Path("output")


@dataclass(frozen=True)
class Built:
    layout: str
    path: Path
    size: int
    pages: int


def load_layouts(names: tuple[str, ...] | list[str], folder: Path = DEFAULT_LAYOUTS) -> list[LoadedLayout]:
    """The named layouts, or every product layout in the folder."""
    paths = [resolve_layout(n, folder) for n in names] if names else find_layouts(folder)
    layouts = [load_layout(p) for p in paths]
    for layout in layouts:
        if layout.spec.product is None:
            from timeline_pdf.errors import LayoutError

            raise LayoutError(str(layout.path), [("product", "this layout sets no product, so it cannot be built; set product = \"timeline\" or \"brief\"")])
    return layouts


def render(report: Report, layout: LoadedLayout) -> Rendered:
    from timeline_pdf.fonts import document_fonts

    fonts = document_fonts(layout)
    if layout.spec.product == "brief":
        from timeline_pdf.render.brief import render_brief

        return render_brief(report, layout, fonts)
    from timeline_pdf.render.timeline import render_timeline

    return render_timeline(report, layout, fonts)


def build(
    workbook: Path = DEFAULT_WORKBOOK,
    layout_names: tuple[str, ...] = (),
    out: Path = DEFAULT_OUT,
    layouts_folder: Path = DEFAULT_LAYOUTS,
    *,
    strict: bool = False,
    preset: str | None = None,
    mapping: Path | None = None,
) -> tuple[list[Built], list[Finding]]:
    """``strict``: warnings stop the build too; ``preset``/``mapping``: import another layout."""
    layouts = load_layouts(layout_names, layouts_folder)
    report, findings = load_report(workbook, strict=strict, preset=preset, mapping=mapping)
    rendered = [(layout, render(report, layout)) for layout in layouts]
    if strict and any(product.notes for _layout, product in rendered):  # --strict: a product's warnings stop the build too
        from timeline_pdf.errors import WorkbookError

        raise WorkbookError(findings + [Finding("warning", note, file=str(layout.path)) for layout, product in rendered for note in product.notes], strict=True)
    built = []
    for layout, product in rendered:
        path = out / output_name(layout, workbook)
        write_atomic(path, product.data)
        built.append(Built(layout.name, path, len(product.data), product.pages))
        findings = findings + [Finding("warning", note, file=str(layout.path)) for note in product.notes]
    return built, findings
