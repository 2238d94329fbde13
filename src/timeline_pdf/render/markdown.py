"""The analyst's summary: Markdown parsed by markdown-it-py into escaped ReportLab flowables.

Supported: paragraphs, headings, bold, italic, inline code, links (http, https, mailto; foreign
ones with an asterisk), bullet and numbered lists, line breaks. Raw HTML in the Markdown is
printed as text, never interpreted. Quotes become typographic by markdown-it-py's typographer
when the layout has ``typography.smart_quotes`` (code spans and link targets stay as typed).
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markdown_it.token import Token
from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from timeline_pdf.layout.schema import Layout
from timeline_pdf.render.lists import ListItem
from timeline_pdf.render.markup import link, verbatim
from timeline_pdf.render.styles import Styles
from timeline_pdf.render.tagging import Tag
from timeline_pdf.render.textpara import TextParagraph
from timeline_pdf.typography import markdown_typographer

_PARSER = MarkdownIt("commonmark", {"html": False})
_SMART_PARSER = MarkdownIt("commonmark", {"html": False}).use(markdown_typographer)
LIST_INDENT = 12.0  # points from the list's left edge to its items' text


@dataclass(frozen=True)
class _Context:
    styles: Styles
    spec: Layout
    headings: dict[int, str]  # Markdown heading level -> structure role


def summary_flowables(markdown: str, styles: Styles, spec: Layout, lists: bool = True, top: str = "H3") -> list[Flowable]:
    """The summary as flowables; ``lists=False`` leaves bullet and numbered lists out.

    The summary's headings become ``top`` and the levels below it, in the order of the levels
    the analyst used, so a summary that jumps from # to ### still never skips a level."""
    tokens = (_SMART_PARSER if spec.typography.smart_quotes else _PARSER).parse(markdown)
    used = sorted({int(t.tag[1]) for t in tokens if t.type == "heading_open"})
    first = int(top[1])
    headings = {level: f"H{min(6, first + rank)}" for rank, level in enumerate(used)}
    flowables, _ = _blocks(tokens, 0, _Context(styles, spec, headings), None, closing=None)
    return flowables if lists else [f for f in flowables if not isinstance(f, ListItem)]


def _blocks(tokens: list[Token], index: int, context: _Context, parent: Tag | None, closing: str | None, body_style: ParagraphStyle | None = None) -> tuple[list[Flowable], int]:
    """Flowables from block tokens until the ``closing`` token type; returns the next index."""
    styles = context.styles
    out: list[Flowable] = []
    paragraph_style = body_style or styles.body
    style, role = paragraph_style, "P"
    while index < len(tokens):
        token = tokens[index]
        if token.type == closing:
            return out, index + 1
        if token.type == "heading_open":
            style, role = styles.subheading, context.headings[int(token.tag[1])]
        elif token.type == "heading_close":
            style, role = paragraph_style, "P"
        elif token.type == "inline":
            out.append(TextParagraph(inline_markup(token.children or [], context.spec), style, tag=Tag(role, parent)))
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            items, index = _list(tokens, index + 1, context, parent, token)
            out += items
            continue
        elif token.type in ("code_block", "fence", "html_block"):
            out.append(TextParagraph(verbatim(token.content).replace("\n", "<br/>"), style, tag=Tag("P", parent)))
        index += 1
    return out, index


def _list(tokens: list[Token], index: int, context: _Context, parent: Tag | None, opening: Token) -> tuple[list[ListItem], int]:
    """An ``L`` of ``LI``s: the bullet or number as ``Lbl``, the item's blocks in ``LBody``."""
    closing = opening.type.replace("_open", "_close")
    numbered = opening.type == "ordered_list_open"
    number = int(opening.attrGet("start") or 1) if numbered else 0
    container = Tag("L", parent, attributes={"O": "List", "ListNumbering": "/Decimal" if numbered else "/Disc"})
    styles = context.styles
    label_style = ParagraphStyle("list-label", parent=styles.bullet, textColor=HexColor(context.spec.colours.accent))
    items: list[ListItem] = []
    while index < len(tokens) and tokens[index].type != closing:
        if tokens[index].type == "list_item_open":
            item = Tag("LI", container)
            content, index = _blocks(tokens, index + 1, context, Tag("LBody", item), "list_item_close", styles.bullet)
            label = TextParagraph(f"{number}." if numbered else "•", label_style, tag=Tag("Lbl", item))
            items.append(ListItem(label, content, LIST_INDENT, gap=0))
            number += 1
        else:
            index += 1
    if numbered:  # room for the widest number
        from reportlab.pdfbase.pdfmetrics import stringWidth

        width = max(LIST_INDENT, stringWidth(f"{number - 1}.", label_style.fontName, label_style.fontSize) + 4)
        for list_item in items:
            list_item.label_width = width
    return items, index + 1


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
