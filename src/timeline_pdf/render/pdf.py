"""Assemble one PDF from a story: metadata, header and footer, and the ReportLab build."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from reportlab.platypus import Flowable

from timeline_pdf.fonts import DocumentFonts
from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.model import Report
from timeline_pdf.render.blocks import display_title, period_text
from timeline_pdf.render.footnotes import Footnotes
from timeline_pdf.placeholders import fill
from timeline_pdf.render.page import Furniture, Metadata, canvas_class, document


@dataclass(frozen=True)
class Rendered:
    data: bytes
    pages: int
    notes: tuple[str, ...] = ()  # what the reader should know, e.g. content left out to fit


def write_pdf(story: list[Flowable], report: Report, layout: LoadedLayout, fonts: DocumentFonts, subject: str, footnotes: Footnotes | None = None) -> Rendered:
    spec, info = layout.spec, report.info
    title = display_title(report, spec)
    values = {
        "title": title,
        "subtitle": info.subtitle,
        "period": period_text(report, spec),
        "edition": report.edition_name or (f"{info.edition_date:%B %Y}" if info.edition_date else ""),
    }
    furniture = Furniture(fill(spec.header, values), fill(spec.footer, values), fonts, spec)
    metadata = Metadata(
        title=title,
        author=", ".join(info.authors) or info.publisher,
        subject=f"{subject}, {period_text(report, spec)}",
        keywords=f"{subject}; " + ", ".join(c.name for c in report.categories),
    )
    buffer = BytesIO()
    doc = document(buffer, spec, metadata, fonts, footnotes)
    doc.build(story, canvasmaker=canvas_class(furniture))
    return Rendered(buffer.getvalue(), doc.page)
