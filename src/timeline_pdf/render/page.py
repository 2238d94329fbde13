"""Page furniture shared by both products: the document template, running header and
``Page x of y`` footer, bookmarks and document metadata.

"Page x of y" is drawn when the document is saved, from page states kept by the canvas, so
the layout is done once (no second pass) and the cost stays linear in pages.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, PageTemplate, Paragraph

from timeline_pdf.fonts import DocumentFonts
from timeline_pdf.layout.schema import Layout
from timeline_pdf.placeholders import fill
from timeline_pdf.render.footnotes import FootnoteFrame, Footnotes


@dataclass(frozen=True)
class Furniture:
    """What the header and footer say; ``{page}`` and ``{pages}`` are filled in at save time."""

    header: str
    footer: str
    fonts: DocumentFonts
    spec: Layout


@dataclass(frozen=True)
class Metadata:
    title: str
    author: str
    subject: str
    keywords: str
    lang: str = "en-US"


def canvas_class(furniture: Furniture) -> type[Canvas]:
    from timeline_pdf.limits import current_limits

    limit = current_limits().max_pages

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:  # noqa: N802 - ReportLab API
            state = dict(self.__dict__)
            # The page's operators as one string (ReportLab joins them with newlines when it
            # writes the page anyway): thousands of pages of small strings would hold hundreds of MB.
            state["_code"] = ["\n".join(self._code)] if self._code else []
            self._pages.append(state)
            if len(self._pages) > limit:  # every page is held until the document is saved
                raise _too_many_pages(furniture.spec, limit)
            self._startPage()

        def save(self) -> None:
            self.addPageLabel(0, style="D", start=1)  # viewers show "1 of N", matching the footer
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                _draw_furniture(self, furniture, self._pageNumber, total)
                super().showPage()
            super().save()

    return NumberedCanvas


def _too_many_pages(spec: Layout, limit: int) -> Exception:
    from timeline_pdf.errors import TimelinePdfError
    from timeline_pdf.limits import PAGES_VARIABLE

    product = spec.product or "document"
    return TimelinePdfError(f"the {product} would be longer than {limit:,} pages, the limit, so it was not built",
                            f"check the workbook (a paste gone wrong can make thousands of entries) and the layout's page size; a longer {product} can be built after raising {PAGES_VARIABLE} (see the README)")


def _draw_furniture(canvas: Canvas, furniture: Furniture, page: int, pages: int) -> None:
    spec = furniture.spec
    width, height = spec.page.dimensions()
    margins = spec.page.margins
    size = spec.fonts.sizes.small
    values = {"page": str(page), "pages": str(pages)}
    canvas.saveState()
    canvas.setFillColor(spec.colours.muted)
    canvas.setStrokeColor(spec.colours.rule)
    canvas.setLineWidth(0.5)
    if page > 1 and furniture.header:
        y = height - margins.top + size * 2.2
        canvas.setFont(furniture.fonts.heading.face(), size)
        canvas.drawString(margins.left, y, fill(furniture.header, values))
        canvas.line(margins.left, y - size * 0.7, width - margins.right, y - size * 0.7)
    if furniture.footer:
        y = margins.bottom - size * 3
        canvas.setFont(furniture.fonts.heading.face(), size)
        canvas.drawRightString(width - margins.right, y, fill(furniture.footer, values))
    canvas.restoreState()


def document(buffer: BytesIO, spec: Layout, metadata: Metadata, fonts: DocumentFonts, footnotes: Footnotes | None = None) -> BaseDocTemplate:
    width, height = spec.page.dimensions()
    margins = spec.page.margins
    doc = BaseDocTemplate(
        buffer,
        pagesize=(width, height),
        leftMargin=margins.left,
        rightMargin=margins.right,
        topMargin=margins.top,
        bottomMargin=margins.bottom,
        title=metadata.title,
        author=metadata.author,
        subject=metadata.subject,
        keywords=metadata.keywords,
        creator="timeline-pdf",
        producer="timeline-pdf (ReportLab)",
        lang=metadata.lang,
        invariant=1,
        initialFontName=fonts.body.face(),  # otherwise an unused, unembedded Helvetica is declared
        displayDocTitle=1,
    )
    column = spec.page.column_width()
    frames = [
        FootnoteFrame(margins.left + index * (column + spec.page.column_gap), margins.bottom, column, height - margins.top - margins.bottom,
                      id=f"column{index + 1}", leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        for index in range(spec.page.columns)
    ]
    page_end = footnotes.draw if footnotes else (lambda canvas, doc: None)
    doc.addPageTemplates([PageTemplate(id="page", frames=frames, onPageEnd=page_end)])
    return doc


class BookmarkedParagraph(Paragraph):
    """A heading that adds an outline entry pointing at itself when it is drawn."""

    def __init__(self, text: str, style, key: str, title: str, level: int = 0) -> None:
        super().__init__(text, style)
        self.key, self.title, self.level = key, title, level

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, self.height + self.style.fontSize)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level)
        super().draw()
