"""Assemble one PDF from a story: metadata, header and footer, and the ReportLab build."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from reportlab.platypus import Flowable

from timeline_pdf.fonts import DocumentFonts
from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.model import Report
from timeline_pdf.render.blocks import period_text
from timeline_pdf.render.footnotes import Footnotes
from timeline_pdf.render.page import Furniture, Metadata, canvas_class, document, fill


@dataclass(frozen=True)
class Rendered:
    data: bytes
    pages: int
    notes: tuple[str, ...] = ()  # what the reader should know, e.g. content left out to fit


def write_pdf(story: list[Flowable], report: Report, layout: LoadedLayout, fonts: DocumentFonts, subject: str, footnotes: Footnotes | None = None) -> Rendered:
    spec, info = layout.spec, report.info
    values = {
        "title": info.title,
        "subtitle": info.subtitle,
        "period": period_text(report),
        "edition": f"{info.edition_date:%B %Y}" if info.edition_date else "",
    }
    furniture = Furniture(fill(spec.header, values), fill(spec.footer, values), fonts, spec)
    metadata = Metadata(
        title=info.title,
        author=", ".join(info.authors) or info.publisher,
        subject=f"{subject}, {period_text(report)}",
        keywords=f"{subject}; " + ", ".join(c.name for c in report.categories),
    )
    buffer = BytesIO()
    doc = document(buffer, spec, metadata, fonts, footnotes)
    doc.build(story, canvasmaker=canvas_class(furniture))
    return Rendered(buffer.getvalue(), doc.page)
