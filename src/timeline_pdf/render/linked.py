"""Text with links, as ReportLab's markup parser would read it, without running the parser.

Source notes are paragraphs of text and links (``Source: [3] reuters.com*``, and each note of
the list at the end); ReportLab parses every such paragraph with an HTML parser built afresh
for it. The markup :mod:`timeline_pdf.render.markup` writes for them has three shapes only:
escaped text, ``<a href="…" color="…">label</a>`` and ``<a name="…"/>``. For markup of those
shapes :func:`link_fragments` makes the very fragments the parser makes (the same attributes,
an entity a fragment of its own, links numbered from 0, the anchor's definition), cloned from
fragments parsed once per style and colour; anything else (Arabic runs, bold, fonts) is left
to the parser. ReportLab lays the paragraph out and draws it as usual.
"""

from __future__ import annotations

import re
import weakref
from html import unescape
from typing import Any

from reportlab.lib.abag import ABag
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser

LINK = re.compile(r'<a href="([^"<>]*)" color="([^"<>]*)">([^<]*)</a>|<a name="([^"<>]*)"/>')
ENTITY = re.compile(r"(&(?:amp|lt|gt|quot|apos|#39);)")  # what markup.escape writes, each a fragment of its own
OTHER_ENTITY = re.compile(r"&(?!(?:amp|lt|gt|quot|apos|#39);)")

_templates: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # style -> {colour: (style, text fragment, link fragment)}


def _template(style: Any, colour: str) -> tuple[Any, Any, Any]:
    """The parser's style and its fragments of plain text and of a link in ``colour``."""
    known = _templates.get(style)
    if known is None:
        known = _templates[style] = {}
    found = known.get(colour)
    if found is None:
        parser = ParaParser()
        parser.caseSensitive = 1
        parsed_style, fragments, _bullets = parser.parse(f'<a href="x" color="{colour}">x</a>x', style)
        found = known[colour] = (parsed_style, fragments[1], fragments[0])
    return found


def _pieces(text: str) -> list[str]:
    return [unescape(piece) for piece in ENTITY.split(text) if piece]


def link_fragments(markup: str, style: Any) -> tuple[Any, list[Any]] | None:
    """(style, fragments) as ReportLab's parser gives them for ``markup`` of text, links and
    anchors; None for markup of any other shape."""
    if getattr(style, "textTransform", None) or getattr(style, "bulletText", None):
        return None
    parts = LINK.split(cleanBlockQuotedText(markup))
    texts = parts[::5]
    if any("<" in text or OTHER_ENTITY.search(text) for text in texts):
        return None
    parsed_style, plain, _link = _template(style, "#000000")
    fragments: list[Any] = []
    links = 0
    for index in range(0, len(parts), 5):
        for piece in _pieces(parts[index]):
            fragment = plain.clone()
            fragment.text = piece
            fragments.append(fragment)
        if index + 1 >= len(parts):
            break
        href, colour, label, anchor = parts[index + 1 : index + 5]
        if anchor is not None:
            if not unescape(anchor).strip():
                return None  # the parser refuses a blank anchor
            fragment = plain.clone()
            fragment.__tag__ = "a"
            definition = fragment.cbDefn = ABag()
            definition.label = definition.kind = "anchor"
            definition.name = unescape(anchor).strip()
            fragment.text = ""
            fragments.append(fragment)
            continue
        if OTHER_ENTITY.search(label) or OTHER_ENTITY.search(href) or OTHER_ENTITY.search(colour):
            return None
        _style, _plain, template = _template(style, unescape(colour))
        target = [(links, unescape(href).strip())]  # one list for every piece of the link, as the parser's
        links += 1
        for piece in _pieces(label):
            fragment = template.clone()
            fragment.text = piece
            fragment.link = target
            fragments.append(fragment)
    return parsed_style, fragments
