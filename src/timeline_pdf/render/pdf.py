"""Assemble one PDF from a story: metadata, header and footer, and the ReportLab build."""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from reportlab.platypus import BaseDocTemplate, Flowable

from timeline_pdf.edition import document_date
from timeline_pdf.fonts import DocumentFonts
from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.model import Report
from timeline_pdf.render.footnotes import Footnotes
from timeline_pdf.placeholders import PAGE_NUMBERS, fill
from timeline_pdf.render.page import Furniture, Metadata, canvas_class, document
from timeline_pdf.typography import printed
from timeline_pdf.wording import display_title, period_text


@dataclass(frozen=True)
class Rendered:
    data: bytes
    pages: int
    notes: tuple[str, ...] = ()  # what the reader should know, e.g. content left out to fit


class _OverBudget(Exception):
    """A page beyond the allowed number began."""


def write_pdf(story: list[Flowable], report: Report, layout: LoadedLayout, fonts: DocumentFonts, subject: str, footnotes: Footnotes | None = None, page_limit: int | None = None, tagged: bool = True) -> Rendered | None:
    """The tagged PDF of the story. With ``page_limit``, None as soon as a page beyond it would
    begin: a trial that cannot fit is not laid out to its end (the brief's page budget).
    ``tagged=False`` is for the benchmark only."""
    spec, info = layout.spec, report.info
    title = display_title(report, spec)
    values = {
        "title": printed(title),
        "subtitle": printed(info.subtitle),
        "period": period_text(report, spec),
        "edition": report.edition_name or (f"{info.edition_date:%B %Y}" if info.edition_date else ""),
    }
    furniture = Furniture(fill(spec.header, values, later=PAGE_NUMBERS), fill(spec.footer, values, later=PAGE_NUMBERS), fonts, spec)
    metadata = Metadata(
        title=title,
        author=", ".join(info.authors) or info.publisher,
        subject=f"{subject}, {period_text(report, spec)}",
        keywords=f"{subject}; " + ", ".join(c.name for c in report.categories),
        created=document_date(report),
        lang=info.language or spec.language,
    )
    buffer = BytesIO()
    doc = document(buffer, spec, metadata, fonts, footnotes)
    canvasmaker = canvas_class(furniture, metadata, tagged)
    if page_limit is not None:
        numbered = canvasmaker

        class Limited(numbered):  # type: ignore[valid-type,misc]
            def showPage(self) -> None:  # noqa: N802 - ReportLab API
                if len(self._pages) >= page_limit:  # this page is one too many
                    raise _OverBudget
                super().showPage()

        canvasmaker = Limited
    try:
        doc.build(story, canvasmaker=canvasmaker)
        return Rendered(buffer.getvalue(), doc.page)
    except _OverBudget:
        return None
    finally:
        _let_go(doc)


def _let_go(doc: BaseDocTemplate) -> None:
    """Drop what the finished document holds. The template and its canvas refer to each other
    (and the template to itself), so only the cyclic collector would free them, with every
    page, link and structure element of a long timeline, and it runs rarely while a document
    renders: freed at once, they do not add up over a watch session or a benchmark's repeats."""
    canvas = getattr(doc, "canv", None)
    if canvas is not None:
        canvas.__dict__.clear()
    doc.__dict__.clear()
