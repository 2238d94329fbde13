"""Lists as a screen reader needs them: ``L`` > ``LI`` > ``Lbl`` (the number, bullet or date)
and ``LBody``, laid out with the label in a hanging column.

ReportLab's ``ListFlowable`` draws its bullets straight on the canvas, where no structure
element can hold them; :class:`ListItem` draws its label as a paragraph of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.platypus import Flowable

from timeline_pdf.render.plain import paragraph
from timeline_pdf.render.stack import split_stack
from timeline_pdf.render.tagging import Tag


class ListItem(Flowable):
    """One item: ``label`` at the left, ``body`` (flowables) beside it. Splits between or inside
    the body's flowables; the part that continues on the next page has no label."""

    def __init__(self, label: Flowable | None, body: list[Flowable], label_width: float, gap: float = 4.0, spacing: float = 2.0) -> None:
        super().__init__()
        self.label, self.body = label, body
        self.label_width, self.gap, self.spacing = label_width, gap, spacing
        self._heights: list[float] = []
        if body:  # the item keeps its paragraphs' space before and after
            self.spaceBefore, self.spaceAfter = body[0].getSpaceBefore(), body[-1].getSpaceAfter()

    def _inner(self, width: float) -> float:
        return max(1.0, width - self.label_width - self.gap)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803
        inner = self._inner(availWidth)
        self._heights = [f.wrap(inner, availHeight)[1] for f in self.body]
        label = self.label.wrap(self.label_width, availHeight)[1] if self.label is not None else 0.0
        self.width = availWidth
        self.height = max(label, sum(self._heights) + self.spacing * max(0, len(self.body) - 1))
        return self.width, self.height

    def draw(self) -> None:
        if self.label is not None:
            _, label_height = self.label.wrap(self.label_width, self.height)
            self.label.drawOn(self.canv, 0, self.height - label_height)
        y = self.height
        for flowable, height in zip(self.body, self._heights):
            y -= height
            flowable.drawOn(self.canv, self.label_width + self.gap, y)
            y -= self.spacing

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        head, tail, _room = split_stack(self.body, self._inner(availWidth), availHeight, self.spacing, availHeight)
        if not tail:
            return [self]
        if not head:
            return []
        return [ListItem(self.label, head, self.label_width, self.gap, self.spacing), ListItem(None, tail, self.label_width, self.gap, self.spacing)]


def list_items(entries: list[tuple[str, list[tuple[str, object]]]], label_style, label_width: float, parent: Tag | None = None, gap: float = 4.0,
               make: Callable[..., Flowable] = paragraph) -> list[Flowable]:
    """An ``L`` of items, each (label markup, [(body markup, style), ...]): a one-paragraph
    body is the ``LBody`` itself; a longer one is an ``LBody`` of paragraphs, each made by
    ``make(markup, style, tag)``."""
    container = Tag("L", parent)
    items: list[Flowable] = []
    for label, paragraphs in entries:
        item = Tag("LI", container)
        label_paragraph = make(label, label_style, Tag("Lbl", item)) if label else None
        if len(paragraphs) == 1:
            body = [make(paragraphs[0][0], paragraphs[0][1], Tag("LBody", item))]
        else:
            lbody = Tag("LBody", item)
            body = [make(text, style, Tag("P", lbody)) for text, style in paragraphs]
        items.append(ListItem(label_paragraph, body, label_width, gap))
    return items
