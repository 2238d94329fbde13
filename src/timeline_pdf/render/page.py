"""Page furniture shared by both products: the document template, running header and
``Page x of y`` footer, bookmarks and document metadata.

"Page x of y" is drawn when the document is saved, from page states kept by the canvas, so
the layout is done once (no second pass) and the cost stays linear in pages. The header and
footer are pagination artifacts; the structure tree is written once the last page is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from io import BytesIO

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, PageTemplate

from timeline_pdf.fonts import DocumentFonts
from timeline_pdf.layout.schema import Layout
from timeline_pdf.placeholders import fill
from timeline_pdf.render.footnotes import FootnoteFrame, Footnotes
from timeline_pdf.render.structure import write_structure, xmp_packet
from timeline_pdf.render.tagging import Tag, TaggedCanvas, TaggedParagraph, artifact


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
    created: datetime  # the document's own date, in the information dictionary and XMP
    lang: str = "en-US"
    creator: str = "timeline-pdf"
    producer: str = "timeline-pdf (ReportLab)"


def canvas_class(furniture: Furniture, metadata: Metadata, tagged: bool = True) -> type[Canvas]:
    """The canvas of one document. ``tagged=False`` writes no structure (the benchmark's
    measure of what tagging costs); products are always tagged."""
    from timeline_pdf.limits import current_limits

    limit = current_limits().max_pages
    stamp = f"D:{metadata.created:%Y%m%d%H%M%S}+00'00'"

    class NumberedCanvas(TaggedCanvas if tagged else Canvas):  # type: ignore[misc]
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict | None] = []
            self.setDateFormatter(lambda *_now: stamp)  # reproducible, and true of the edition

        def showPage(self) -> None:  # noqa: N802 - ReportLab API
            state = dict(self.__dict__)
            # The page's operators as one string (ReportLab joins them with newlines when it
            # writes the page anyway): thousands of pages of small strings would hold hundreds of MB.
            state["_code"] = ["\n".join(self._code)] if self._code else []
            self._pages.append(state)
            if len(self._pages) > limit:  # every page is held until the document is saved
                raise _too_many_pages(furniture.spec, limit)
            self._doc.pageCounter += 1  # bookmarks made on the next page name the page it will be
            self._startPage()

        def save(self) -> None:
            self.addPageLabel(0, style="D", start=1)  # viewers show "1 of N", matching the footer
            total = len(self._pages)
            self._doc.pageCounter = 1  # the pages are added to the document now, from the first
            pages = []
            for index, state in enumerate(self._pages):
                self._pages[index] = None  # written below: its operators are not held twice
                self.__dict__.update(state)
                _draw_furniture(self, furniture, self._pageNumber, total)
                pages.append(self._doc.thisPageRef())
                super().showPage()
            tree = write_structure(self, pages, xmp_packet(
                title=metadata.title, author=metadata.author, subject=metadata.subject, keywords=metadata.keywords,
                creator=metadata.creator, producer=metadata.producer, lang=metadata.lang, created=metadata.created)) if tagged else None
            super().save()
            if tree is not None:
                located = tree.located()
                self._doc = None  # written: its pages and annotations are let go before the tree is made
                located.append_to(self._filename)  # the BytesIO the document is written into

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
        with artifact(canvas, "Header"):
            canvas.drawString(margins.left, y, fill(furniture.header, values))
            canvas.line(margins.left, y - size * 0.7, width - margins.right, y - size * 0.7)
    if furniture.footer:
        y = margins.bottom - size * 3
        canvas.setFont(furniture.fonts.heading.face(), size)
        with artifact(canvas, "Footer"):
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


class BookmarkedParagraph(TaggedParagraph):
    """A heading (``role`` H1 to H6) that adds an outline entry pointing at itself when it is drawn."""

    def __init__(self, text: str, style, key: str, title: str, level: int = 0, *, role: str = "H2", parent: Tag | None = None) -> None:
        super().__init__(text, style, tag=Tag(role, parent))
        self.key, self.title, self.level = key, title, level

    def draw(self) -> None:
        self.canv.bookmarkHorizontal(self.key, 0, self.height + self.style.fontSize)
        self.canv.addOutlineEntry(self.title, self.key, level=self.level)
        super().draw()
