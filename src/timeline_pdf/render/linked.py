"""Text with links, as ReportLab's markup parser would read it, without running the parser.

Paragraphs of text and links that are no link runs (:mod:`.plain`: those holding an escaped
``& < > "``, such as a note whose URL has a query string, or other tags) would each be parsed
by an HTML parser built afresh for it. The markup :mod:`timeline_pdf.render.markup` writes for them has three shapes only:
escaped text, ``<a href="…" color="…">label</a>`` and ``<a name="…"/>``. For markup of those
shapes :func:`link_fragments` makes the very fragments the parser makes (the same attributes,
an entity a fragment of its own, links numbered from 0, the anchor's definition), cloned from
fragments parsed once per style and colour; anything else (Arabic runs, bold, fonts) is left
to the parser. ReportLab lays the paragraph out and draws it as usual; a
:class:`LinkedParagraph` makes it when it is first laid out.
"""

from __future__ import annotations

import re
import weakref
from html import unescape
from typing import Any

from reportlab.lib.abag import ABag
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus import Flowable
from reportlab.platypus.paraparser import ParaParser

from timeline_pdf.render.tagging import Tag
from timeline_pdf.render.textpara import TextParagraph

LINK = re.compile(r'<a href="([^"<>]*)" color="([^"<>]*)">([^<]*)</a>|<a name="([^"<>]*)"/>')
ENTITY = re.compile(r"(&(?:amp|lt|gt|quot|apos|#39);)")  # what markup.escape writes, each a fragment of its own
OTHER_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#39);)")

_templates: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # style -> {colour: (parsed style, text fragment, link fragment)}


def _templates_of(style: Any) -> dict[str, tuple[Any, Any, Any]]:
    known = _templates.get(style)
    if known is None:
        known = _templates[style] = {}
    return known


def _template(style: Any, colour: str, known: dict[str, tuple[Any, Any, Any]] | None = None) -> tuple[Any, Any, Any]:
    """The parser's style and its fragments of plain text and of a link in ``colour``
    (``known``: the style's templates, when the caller has them at hand)."""
    known = _templates_of(style) if known is None else known
    found = known.get(colour)
    if found is None:
        parser = ParaParser()
        parser.caseSensitive = 1
        parsed_style, fragments, _bullets = parser.parse(f'<a href="x" color="{colour}">x</a>x', style)
        # the parser's style is the style given: kept as None, as the key is held weakly
        found = known[colour] = (None if parsed_style is style else parsed_style, fragments[1], fragments[0])
    return (style if found[0] is None else found[0], *found[1:])


def _pieces(text: str) -> list[str]:
    if "&" not in text:
        return [text] if text else []
    return [unescape(piece) for piece in ENTITY.split(text) if piece]


def _clone(fragment: Any) -> Any:
    """A copy of a fragment (as ReportLab's ``ABag.clone``, without its keyword handling)."""
    copy = object.__new__(type(fragment))
    copy.__dict__.update(fragment.__dict__)
    return copy


def link_parts(markup: str, style: Any) -> list[str | None] | None:
    """``markup`` split at its links and anchors ([text, href, colour, label, anchor name,
    text, ...]), or None when it holds anything else."""
    if getattr(style, "textTransform", None) or getattr(style, "bulletText", None):
        return None
    parts = LINK.split(cleanBlockQuotedText(markup))
    if any("<" in text or OTHER_ENTITY.search(text) for text in parts[::5]):
        return None
    for index in range(1, len(parts), 5):
        href, colour, label, anchor = parts[index : index + 4]
        if anchor is not None and not unescape(anchor).strip():
            return None  # the parser refuses a blank anchor
        if anchor is None and any(OTHER_ENTITY.search(part) for part in (href, colour, label)):
            return None
    return parts


def link_fragments(markup: str, style: Any) -> tuple[Any, list[Any]] | None:
    """(style, fragments) as ReportLab's parser gives them for ``markup`` of text, links and
    anchors; None for markup of any other shape."""
    parts = link_parts(markup, style)
    return None if parts is None else _fragments(parts, style)


def _fragments(parts: list[str | None], style: Any) -> tuple[Any, list[Any]]:
    known = _templates_of(style)
    parsed_style, plain, _link = _template(style, "#000000", known)
    fragments: list[Any] = []
    links = 0
    for index in range(0, len(parts), 5):
        for piece in _pieces(parts[index]):
            fragment = _clone(plain)
            fragment.text = piece
            fragments.append(fragment)
        if index + 1 >= len(parts):
            break
        href, colour, label, anchor = parts[index + 1 : index + 5]
        if anchor is not None:
            fragment = _clone(plain)
            fragment.__tag__ = "a"
            definition = fragment.cbDefn = ABag()
            definition.label = definition.kind = "anchor"
            definition.name = unescape(anchor).strip()
            fragment.text = ""
            fragments.append(fragment)
            continue
        _style, _plain, template = _template(style, unescape(colour), known)
        target = [(links, unescape(href).strip())]  # one list for every piece of the link, as the parser's
        links += 1
        for piece in _pieces(label):
            fragment = _clone(template)
            fragment.text = piece
            fragment.link = target
            fragments.append(fragment)
    return parsed_style, fragments


class LinkedParagraph(Flowable):
    """A paragraph of markup made into ReportLab's ``Paragraph`` when it is first laid out (of
    fragments made here for text and links, else by the parser): a long timeline's source notes
    would otherwise hold their fragments, a few kilobytes each, from the start of the document
    to its end."""

    def __init__(self, markup: str, style: Any, tag: Tag | None, parts: list[str | None]) -> None:
        super().__init__()
        self.markup, self.style, self.tag = markup, style, tag
        self.parts = parts  # link_parts(markup, style): the markup is text, links and anchors
        self._paragraph: TextParagraph | None = None
        self._wrapped = -1.0  # the width of the last layout

    @property
    def paragraph(self) -> TextParagraph:
        if self._paragraph is None:
            parsed_style, fragments = _fragments(self.parts, self.style)
            self._paragraph = TextParagraph(self.markup, parsed_style, frags=fragments, tag=self.tag)
        return self._paragraph

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - ReportLab's names
        """ReportLab's layout, once per width (lists and entries ask again before they draw)."""
        paragraph = self.paragraph
        if availWidth != self._wrapped or not hasattr(paragraph, "blPara"):
            self.width, self.height = paragraph.wrap(availWidth, availHeight)
            self._wrapped = availWidth
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        self.wrap(availWidth, availHeight)
        parts = self.paragraph.split(availWidth, availHeight)
        return [self] if parts == [self._paragraph] else parts

    def minWidth(self) -> float:  # noqa: N802 - ReportLab's name
        return self.paragraph.minWidth()

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        self.paragraph.drawOn(canvas, x, y, _sW)
