"""The analyst's summary: Markdown parsed by markdown-it-py into escaped ReportLab flowables.

Supported: paragraphs, headings, bold, italic, inline code, links (http, https, mailto; foreign
ones with an asterisk), bullet and numbered lists, line breaks. Raw HTML in the Markdown is
printed as text, never interpreted. Quotes become typographic by markdown-it-py's typographer
when the layout has ``typography.smart_quotes`` (code spans and link targets stay as typed).
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.token import Token
from reportlab.platypus import Flowable, ListFlowable, ListItem, Paragraph

from timeline_pdf.layout.schema import Layout
from timeline_pdf.render.markup import link, verbatim
from timeline_pdf.render.styles import Styles
from timeline_pdf.typography import markdown_typographer

_PARSER = MarkdownIt("commonmark", {"html": False})
_SMART_PARSER = MarkdownIt("commonmark", {"html": False}).use(markdown_typographer)


def summary_flowables(markdown: str, styles: Styles, spec: Layout, lists: bool = True) -> list[Flowable]:
    """The summary as flowables; ``lists=False`` leaves bullet and numbered lists out."""
    tokens = (_SMART_PARSER if spec.typography.smart_quotes else _PARSER).parse(markdown)
    flowables, _ = _blocks(tokens, 0, styles, spec, closing=None)
    return flowables if lists else [f for f in flowables if not isinstance(f, ListFlowable)]


def _blocks(tokens: list[Token], index: int, styles: Styles, spec: Layout, closing: str | None) -> tuple[list[Flowable], int]:
    """Flowables from block tokens until the ``closing`` token type; returns the next index."""
    out: list[Flowable] = []
    style = styles.body
    while index < len(tokens):
        token = tokens[index]
        if token.type == closing:
            return out, index + 1
        if token.type == "heading_open":
            style = styles.subheading
        elif token.type == "heading_close":
            style = styles.body
        elif token.type == "inline":
            out.append(Paragraph(inline_markup(token.children or [], spec), style))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            items, index = _list(tokens, index + 1, styles, spec, token.type.replace("_open", "_close"))
            kind = "bullet" if token.type == "bullet_list_open" else "1"
            out.append(ListFlowable(items, bulletType=kind, start="•" if kind == "bullet" else None, leftIndent=12, bulletFontName=styles.body.fontName, bulletFontSize=styles.body.fontSize, bulletColor=spec.colours.accent))
            continue
        elif token.type in ("code_block", "fence", "html_block"):
            out.append(Paragraph(verbatim(token.content).replace("\n", "<br/>"), styles.body))
        index += 1
    return out, index


def _list(tokens: list[Token], index: int, styles: Styles, spec: Layout, closing: str) -> tuple[list[ListItem], int]:
    items: list[ListItem] = []
    while index < len(tokens) and tokens[index].type != closing:
        if tokens[index].type == "list_item_open":
            content, index = _blocks(tokens, index + 1, _as_bullets(styles), spec, "list_item_close")
            items.append(ListItem(content))
        else:
            index += 1
    return items, index + 1


def _as_bullets(styles: Styles) -> Styles:
    from dataclasses import replace

    return replace(styles, body=styles.bullet)


# inline tokens that become fixed markup; text-bearing ones are escaped
_FIXED = {"softbreak": " ", "hardbreak": "<br/>", "strong_open": "<b>", "strong_close": "</b>", "em_open": "<i>", "em_close": "</i>"}
_TEXT = ("text", "code_inline", "html_inline", "image")
_LINK_START = "\0"  # marks where a link's label begins; verbatim() removes NUL from any text


def inline_markup(children: list[Token], spec: Layout) -> str:
    """Paragraph markup from inline tokens: text escaped, emphasis kept, links made safe."""
    parts: list[str] = []
    links: list[str] = []
    for token in children:
        if token.type in _FIXED:
            parts.append(_FIXED[token.type])
        elif token.type in _TEXT:
            parts.append(verbatim(token.content or ""))  # the typographer has set its quotes
        elif token.type == "link_open":
            links.append(str(token.attrGet("href") or ""))
            parts.append(_LINK_START)
        elif token.type == "link_close":
            url = links.pop() if links else ""
            start = len(parts) - 1 - parts[::-1].index(_LINK_START)
            label = "".join(parts[start + 1 :])
            del parts[start:]
            parts.append(link(url, label, spec.colours.link, spec.links))
    return "".join(parts)
