"""Source notes at the foot of the page that cites them.

ReportLab has no footnotes, so the page's frame gives them room: an entry that cites new
sources checks that it fits together with their notes, and when it is drawn it raises the
frame's bottom by the notes' height. At the end of the page the notes are drawn in the space so
reserved, and the frame's bottom drops back for the next page.
"""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Frame

from timeline_pdf.layout.schema import Layout
from timeline_pdf.render.markup import escape, link
from timeline_pdf.render.styles import Styles
from timeline_pdf.render.plain import paragraph
from timeline_pdf.render.tagging import Tag, artifact

RULE_SPACE = 8.0  # above the first note of a page: a short rule and some air


class FootnoteFrame(Frame):
    """A frame whose bottom can rise while its page fills, to make room for footnotes."""

    def _reset(self):  # noqa: D401 - ReportLab hook, called at the start of every page
        result = super()._reset()
        self._y1p = self._y1 + self._bottomPadding
        return result

    def reserve(self, height: float) -> None:
        self._y1p += height


class Footnotes:
    """The notes cited on the current page, their heights, and drawing them at its foot."""

    def __init__(self, spec: Layout, styles: Styles, width: float) -> None:
        self.spec, self.styles, self.width = spec, styles, width
        self.on_page: list[tuple[int, str]] = []
        self._citers: dict[tuple[int, str], Tag | None] = {}  # a note on this page -> the entry citing it
        self._paragraphs: dict[int, Flowable] = {}

    def _markup(self, number: int, url: str) -> str:
        return f"{number}. " + link(url, escape(url), self.spec.colours.link, self.spec.links)

    def _paragraph(self, number: int, url: str) -> Flowable:
        """The note as measured (heights are asked for often; each drawing gets a paragraph of its own)."""
        if number not in self._paragraphs:
            self._paragraphs[number] = paragraph(self._markup(number, url), self.styles.small)
        return self._paragraphs[number]

    def new(self, notes: tuple[tuple[int, str], ...]) -> list[tuple[int, str]]:
        return [note for note in notes if note not in self.on_page]

    def height(self, notes: tuple[tuple[int, str], ...]) -> float:
        """Extra room the page needs if these notes are placed on it."""
        fresh = self.new(notes)
        if not fresh:
            return 0.0
        lines = sum(self._paragraph(n, u).wrap(self.width, 10_000)[1] for n, u in fresh)
        return lines + (0.0 if self.on_page else RULE_SPACE)

    def place(self, notes: tuple[tuple[int, str], ...], frame: Frame | None, citer: Tag | None = None) -> None:
        """Reserve room for the new notes of an entry being drawn; ``citer`` is the entry's
        element, which each note joins as a ``Note``."""
        height = self.height(notes)
        for note in self.new(notes):
            self.on_page.append(note)
            self._citers[note] = citer
        if isinstance(frame, FootnoteFrame):
            frame.reserve(height)

    def draw(self, canvas, doc) -> None:
        """Page-end hook: draw this page's notes above the bottom margin, then forget them."""
        if not self.on_page:
            return
        margins = self.spec.page.margins
        page = canvas.getPageNumber()
        placed = []
        for number, url in self.on_page:  # tagged in reading order, drawn from the bottom up
            tag = Tag("Note", self._citers.get((number, url)), id=f"note-{number}-page-{page}")
            placed.append(paragraph(self._markup(number, url), self.styles.small, tag))
        y = margins.bottom + sum(note.wrap(self.width, 10_000)[1] for note in placed)
        for note in placed:
            y -= note.height
            note.drawOn(canvas, margins.left, y)
        top = margins.bottom + sum(note.height for note in placed)
        canvas.saveState()
        canvas.setStrokeColor(HexColor(self.spec.colours.rule))
        canvas.setLineWidth(0.6)
        with artifact(canvas):
            canvas.line(margins.left, top + RULE_SPACE / 2, margins.left + 72, top + RULE_SPACE / 2)
        canvas.restoreState()
        self.on_page = []
        self._citers = {}
