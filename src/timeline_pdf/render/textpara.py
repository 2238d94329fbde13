"""Paragraphs of plain text, without a pass of ReportLab's markup parser.

ReportLab parses every ``Paragraph``'s markup with an HTML parser built afresh for it; in a
timeline of thousands of entries that is a quarter of the time, although most paragraphs
(descriptions, headlines, places, casualty lines) hold escaped text and no tag at all. For those
:class:`TextParagraph` builds the one text fragment the parser would have built, from a fragment
parsed once per style, and leaves ReportLab everything else (line breaking, drawing, splitting).
Markup with any tag (``<font>``, ``<a>``, ``<b>``, Arabic runs) takes ReportLab's parser as usual.
The PDFs are byte for byte the same.
"""

from __future__ import annotations

import re
from html import unescape
from typing import Any
from weakref import WeakKeyDictionary

from reportlab.lib.fonts import ps2tt
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser

from timeline_pdf.render.markup import bold_arabic_runs
from timeline_pdf.render.tagging import Tag, TaggedParagraph

ENTITY = re.compile(r"(&(?:[a-zA-Z]+|#[0-9]+|#[xX][0-9a-fA-F]+);)")
# style -> (the style the parser gives when it is another, a fragment); a style's entry goes
# when the style does (a watch session makes new styles for every build). Styles compare and
# hash by identity. Nothing in an entry may refer to its style, or it would never go.
_fragments: WeakKeyDictionary[Any, tuple[Any, Any]] = WeakKeyDictionary()


def _fragment(style: Any) -> tuple[Any, Any]:
    found = _fragments.get(style)
    if found is None:
        parser = ParaParser()
        parser.caseSensitive = 1
        parsed_style, fragments, _bullet = parser.parse("x", style)
        found = _fragments[style] = (None if parsed_style is style else parsed_style, fragments[0])
    return found[0] or style, found[1]


def _bold(style: Any) -> bool:
    """Whether the style's font is the bold face of a family."""
    try:
        return bool(ps2tt(style.fontName)[1])
    except ValueError:  # a font in no family
        return False


class TextParagraph(TaggedParagraph):
    """A tagged ``Paragraph`` (see :class:`TaggedParagraph`) that skips the markup parser when
    its markup has no tag: the paragraph every renderer uses."""

    def __init__(self, text: str, style: Any = None, bulletText: Any = None, *, tag: Tag | None = None, **kwargs: Any) -> None:  # noqa: N803 - ReportLab's name
        if kwargs or text is None or style is None or "<" in text or bulletText is not None or getattr(style, "bulletText", None) or getattr(style, "textTransform", None):
            if text is not None and style is not None and "frags" not in kwargs:
                text = bold_arabic_runs(text, _bold(style))
            super().__init__(text, style, bulletText, tag=tag, **kwargs)
            return
        parsed_style, template = _fragment(style)
        fragments = []
        for piece in ENTITY.split(cleanBlockQuotedText(text)):  # the parser makes an entity a fragment of its own
            if piece:
                fragment = template.clone()
                fragment.text = unescape(piece)  # markup.escape wrote every & as an entity
                fragments.append(fragment)
        super().__init__(text, parsed_style, frags=fragments, tag=tag)
