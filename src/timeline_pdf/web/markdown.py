"""The analyst's summary as HTML for the publication page, by markdown-it-py.

The same Markdown as the brief's (``render/markdown.py``), under the same rules: raw HTML in the
Markdown is text (``html`` off, so ``<script>`` prints as typed), quotes become typographic by
the same typographer when the layout asks for it, and only http, https and mailto links are
made, a foreign one marked with an asterisk. On the page a link also carries
``rel="noopener noreferrer"``; a link of any other kind (a relative path, ``javascript:``)
prints as its label only, and an image as its alternative text (the page loads nothing remote).
The summary's headings start at ``top`` and never skip a level.
"""

from __future__ import annotations

from functools import cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.token import Token

from timeline_pdf.layout.schema import Layout
from timeline_pdf.links import is_foreign, is_safe_url
from timeline_pdf.typography import markdown_typographer
from timeline_pdf.web.text import plain

EXTERNAL = "noopener noreferrer"


@cache
def _parser(smart: bool) -> MarkdownIt:
    parser = MarkdownIt("commonmark", {"html": False})
    if smart:
        parser.use(markdown_typographer)
    parser.add_render_rule("link_open", _link_open)
    parser.add_render_rule("link_close", _link_close)
    parser.add_render_rule("image", _image)
    return parser


def summary_html(markdown: str, spec: Layout, top: int = 3) -> str:
    """The summary's HTML: paragraphs, headings (from ``h{top}``), emphasis, code, lists, links."""
    parser = _parser(spec.typography.smart_quotes)
    tokens = parser.parse(plain(markdown))
    used = sorted({int(t.tag[1]) for t in tokens if t.type == "heading_open"})
    levels = {f"h{level}": f"h{min(6, top + rank)}" for rank, level in enumerate(used)}
    for token in tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = levels[token.tag]
        for child in token.children or ():
            if child.type == "link_open":
                child.meta["foreign"] = is_foreign(str(child.attrGet("href") or ""), spec.links)
    return parser.renderer.render(tokens, parser.options, {})


def _safe(token: Token) -> bool:
    return is_safe_url(str(token.attrGet("href") or ""))


def _link_open(self, tokens: list[Token], index: int, options, env) -> str:
    token = tokens[index]
    if not _safe(token):
        return ""
    token.attrSet("rel", EXTERNAL)
    return self.renderToken(tokens, index, options, env)


def _link_close(self, tokens: list[Token], index: int, options, env) -> str:
    opening = _opening(tokens, index)
    if opening is None or not _safe(opening):
        return ""
    return self.renderToken(tokens, index, options, env) + ("*" if opening.meta.get("foreign") else "")


def _opening(tokens: list[Token], index: int) -> Token | None:
    """The ``link_open`` a ``link_close`` closes (links do not nest in CommonMark)."""
    for token in reversed(tokens[:index]):
        if token.type == "link_open":
            return token
    return None


def _image(self, tokens: list[Token], index: int, options, env) -> str:
    """An image is never loaded: its alternative text prints in its place."""
    return escapeHtml(tokens[index].content)
