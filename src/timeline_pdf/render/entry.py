"""One timeline entry as one flowable: date, marker on the time rule, and the entry's text.

One flowable per entry keeps layout cost linear in the number of events. An entry taller than
the space left splits between its paragraphs (or inside a long paragraph), and the part that
continues on the next page carries the rule but not the date or marker again.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Paragraph

from timeline_pdf.layout.schema import CategoryStyle
from timeline_pdf.render.footnotes import Footnotes
from timeline_pdf.render.markers import draw_marker
from timeline_pdf.render.stack import split_stack
from timeline_pdf.render.tagging import Tag, artifact


MIN_SPLIT_HEIGHT = 150.0  # entries shorter than this are never split across pages
_colour = lru_cache(maxsize=64)(HexColor)  # the layout's few colours, read once, not at every entry


@dataclass(frozen=True)
class EntryGeometry:
    date_width: float = 64.0  # the date column
    rule_gap: float = 16.0  # from the date column to the content, the rule in its middle
    padding: float = 5.0  # above and below the content
    spacing: float = 2.0  # between paragraphs of one entry
    marker_size: float = 8.0
    rule_colour: str = "#C9D1DB"
    key_colour: str = "#FDF3DC"
    key_style: str = "highlight"  # highlight | bold | plain

    @property
    def content_x(self) -> float:
        return self.date_width + self.rule_gap

    @property
    def rule_x(self) -> float:
        return self.date_width + self.rule_gap / 2


class EntryFlowable(Flowable):
    def __init__(
        self,
        date: Paragraph | None,
        content: list[Flowable],
        style: CategoryStyle,
        key: bool,
        geometry: EntryGeometry,
        continued: bool = False,
        notes: tuple[tuple[int, str], ...] = (),
        footnotes: Footnotes | None = None,
        tag: Tag | None = None,
    ) -> None:
        super().__init__()
        self.date, self.content, self.style = date, content, style
        self.notes, self.footnotes = notes, footnotes  # footnotes: placed at the foot of the page
        self.tag = tag  # the entry's element (its paragraphs' parent), for its footnotes
        self.key = key and geometry.key_style != "plain"
        self.tinted = self.key and geometry.key_style == "highlight"
        self.geometry, self.continued = geometry, continued
        self._heights: list[float] = []
        self._wrapped: tuple[float, float, float] | None = None  # (width, height, date height) of the last wrap

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        g = self.geometry
        self.width = availWidth
        if self._wrapped is None or self._wrapped[0] != availWidth:
            # Heights depend on the width only: an entry tried at the foot of a page and then
            # placed on the next is not laid out twice.
            inner = availWidth - g.content_x - (g.padding if self.tinted else 0)
            self._heights = [f.wrap(inner, availHeight)[1] for f in self.content]
            height = sum(self._heights) + g.spacing * max(0, len(self.content) - 1) + 2 * g.padding
            date_height = self.date.wrap(g.date_width - 6, availHeight)[1] if self.date is not None else 0.0
            if self.date is not None:
                height = max(height, date_height + 2 * g.padding)
            self._wrapped = (availWidth, height, date_height)
        height = self._wrapped[1]
        self.height = height
        if height + self._footnote_height() > availHeight:
            return availWidth, height + self._footnote_height()  # does not fit with its notes: split
        return availWidth, height

    def _footnote_height(self) -> float:
        return self.footnotes.height(self.notes) if self.footnotes and self.notes else 0.0

    def draw(self) -> None:
        """The tint, the time rule and the marker are artifacts; the date and the paragraphs
        are the entry's content, each with its own tag."""
        g, canvas = self.geometry, self.canv
        top = self.height - g.padding
        with artifact(canvas):
            if self.tinted:
                canvas.setFillColor(_colour(g.key_colour))
                canvas.rect(g.content_x - g.padding, 0, self.width - g.content_x + g.padding, self.height, stroke=0, fill=1)
            canvas.setStrokeColor(_colour(self.style.colour if self.key and not self.tinted else g.rule_colour))
            canvas.setLineWidth(2.4 if self.key and not self.tinted else 1.2)
            canvas.line(g.rule_x, 0, g.rule_x, self.height)
            if not self.continued:
                size = g.marker_size * (1.35 if self.key else 1)
                draw_marker(canvas, self.style, g.rule_x, top - self._first_line_height() / 2 - 1, size, stroke=1.2)
        if self.date is not None:
            date_height = self._wrapped[2] if self._wrapped is not None else self.date.wrap(g.date_width - 6, self.height)[1]
            self.date.drawOn(canvas, 0, top - date_height)
        y = top
        for flowable, height in zip(self.content, self._heights):
            y -= height
            flowable.drawOn(canvas, g.content_x, y)
            y -= g.spacing
        if self.footnotes and self.notes:
            self.footnotes.place(self.notes, getattr(self, "_frame", None), self.tag)

    def _first_line_height(self) -> float:
        first = self.content[0] if self.content else None
        return getattr(getattr(first, "style", None), "leading", 12.0)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """Split between or inside paragraphs; a short entry moves to the next page whole."""
        try:
            return self._split(availWidth, availHeight)
        finally:
            self._wrapped = None  # a paragraph tried for a split loses its layout: lay out afresh

    def _split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        g = self.geometry
        if not self.continued and self.wrap(availWidth, availHeight)[1] < MIN_SPLIT_HEIGHT:
            return []
        if self.date is not None and self.date.wrap(g.date_width - 6, availHeight)[1] + 2 * g.padding > availHeight:
            return []
        inner = availWidth - g.content_x - (g.padding if self.tinted else 0)
        head, tail, room = split_stack(self.content, inner, availHeight - 2 * g.padding, g.spacing, availHeight)
        if not tail:  # every paragraph fits; its notes may not
            if room - self._footnote_height() >= -g.spacing:
                return [self]
            if len(self.content) < 2:
                return []
            head, tail = self.content[:-1], self.content[-1:]  # the notes go with the last line
        if not head:
            return []
        return [
            EntryFlowable(self.date, head, self.style, self.key, self.geometry, self.continued, tag=self.tag),
            EntryFlowable(None, tail, self.style, self.key, self.geometry, True, self.notes, self.footnotes, self.tag),
        ]
