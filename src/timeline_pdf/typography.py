"""Typographic quotes and apostrophes in printed text; the model keeps what the analyst typed.

Published prose sets "quotes" as “quotes” and Kata'ib as Kata’ib. The workbook, the summary,
exports and the manifest keep the marks as typed; only text on its way into a PDF is changed,
and a layout can switch that off (``typography.smart_quotes``).

Quotes are paired by markdown-it-py's typographer (its ``smartquotes`` rule: nested quotes,
quotes after brackets and dashes, apostrophes inside words), the same rule for cells and for the
summary Markdown. Before it runs, two things it does not know are settled here:

* what is never changed: web and mail links, e-mail addresses (and, in the summary, code spans,
  which the typographer never touches), and figures in feet and inches such as 5'10" (their
  straight marks stand for primes and stay as typed);
* leading elisions, which the typographer would take for opening quotes: '90s, '03, 'tis,
  'twas, 'em, rock 'n' roll get apostrophes.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, TypeVar

from markdown_it import MarkdownIt
from markdown_it.rules_core import StateCore, smartquotes
from markdown_it.token import Token

APOSTROPHE = "\u2019"
STRAIGHT = re.compile("['\"]")
# A link ends before trailing punctuation and closing quotes or brackets, as linkify does: in
# 'see "https://example.org/a".' the link is https://example.org/a.
LINK = r"(?:\b(?:https?|ftp|mailto):|\bwww\.)[^\s<>]*[^\s<>.,;:!?'\"’”)\]]"
EMAIL = r"(?<![\w.+'’-])[\w.+'’-]+@[\w-]+(?:\.[\w-]+)+"
FEET_AND_INCHES = r"\b\d+'\d+(?:\.\d+)?\"?"
LITERAL = re.compile(f"{LINK}|{EMAIL}|{FEET_AND_INCHES}", re.IGNORECASE)
MAYBE_LITERAL = re.compile(r"[:@]|www\.|\d'", re.IGNORECASE)  # a quick test: text without these holds no literal
WHOLE_LINK = re.compile(r"\s*(?:(?:https?|ftp|mailto):|www\.)\S*\s*", re.IGNORECASE)
INNER_APOSTROPHE = re.compile(r"(?<=[^\W_])'(?=[^\W_])")  # Kata'ib, group's: what the typographer makes an apostrophe
ELISION = re.compile(r"(?<![\w'‘’])'(?=(?:\d\ds?|tis|twas|em|n)\b)", re.IGNORECASE)
CACHED_CHARS = 200  # shorter texts (names, places, headlines) are remembered; descriptions rarely recur
LITERAL_TYPE = "typography_literal"  # a token the typographer skips (it only changes "text" tokens)
STRAIGHT_FOR_CURLY = {"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'}
_STRAIGHTEN = str.maketrans(STRAIGHT_FOR_CURLY)

_TYPOGRAPHER = MarkdownIt("zero", {"typographer": True})
_smart: ContextVar[bool] = ContextVar("smart_quotes", default=True)


def smarten(text: str) -> str:
    """``text`` with straight quotes and apostrophes made typographic; links untouched."""
    return _smarten_short(text) if len(text) <= CACHED_CHARS else _smarten(text)


def _smarten(text: str) -> str:
    if not STRAIGHT.search(text) or WHOLE_LINK.fullmatch(text):
        return text
    if '"' not in text and text.count("'") == len(INNER_APOSTROPHE.findall(text)) and not MAYBE_LITERAL.search(text):
        return INNER_APOSTROPHE.sub(APOSTROPHE, text)  # the common case, as the typographer would set it, quicker
    tokens = list(_split(Token("text", "", 0, content=text)))
    _pair_quotes(tokens, text)
    return "".join(t.content for t in tokens)


_smarten_short = functools.lru_cache(maxsize=4096)(_smarten)  # names and places recur in every entry that has them


def straighten(text: str) -> str:
    """``text`` with curly quotes as straight ones: for comparing text whatever quotes it was typed with."""
    return text.translate(_STRAIGHTEN)


def printed(text: str) -> str:
    """``text`` as the product being rendered prints it: see :func:`follows_layout`."""
    return smarten(text) if _smart.get() else text


@contextmanager
def smart_quotes(enabled: bool) -> Iterator[None]:
    """Within the block, :func:`printed` makes quotes typographic only when ``enabled``."""
    token = _smart.set(enabled)
    try:
        yield
    finally:
        _smart.reset(token)


Render = TypeVar("Render", bound=Callable[..., Any])


def follows_layout(render: Render) -> Render:
    """For a product's render function ``(report, layout, ...)``: the text it prints follows
    the layout's ``typography.smart_quotes``."""

    @functools.wraps(render)
    def rendering(report: Any, layout: Any, *args: Any, **kwargs: Any) -> Any:
        with smart_quotes(layout.spec.typography.smart_quotes):
            return render(report, layout, *args, **kwargs)

    return rendering  # type: ignore[return-value]


def markdown_typographer(md: MarkdownIt) -> None:
    """markdown-it-py plugin: the typographer's quotes with this module's literals and elisions
    (``MarkdownIt(...).use(markdown_typographer)``). Code spans and link targets are never
    text tokens, so they stay as typed."""
    md.options["typographer"] = True
    md.enable("smartquotes")
    md.core.ruler.before("smartquotes", "typography_literals", _mark_literals)
    md.core.ruler.after("smartquotes", "typography_restore", _restore_literals)


def _split(token: Token) -> Iterator[Token]:
    """A text token as text tokens (elisions made apostrophes) and literal tokens between them."""
    text, start = token.content, 0
    for match in LITERAL.finditer(text) if MAYBE_LITERAL.search(text) else ():
        if match.start() > start:
            yield _text(token, text[start : match.start()])
        yield _with(token, LITERAL_TYPE, match.group())
        start = match.end()
    if start < len(text) or not text:
        yield _text(token, text[start:])


def _text(like: Token, content: str) -> Token:
    return _with(like, "text", ELISION.sub(APOSTROPHE, content))


def _with(like: Token, kind: str, content: str) -> Token:
    token = Token(kind, "", 0, content=content)
    token.level = like.level
    return token


def _pair_quotes(tokens: list[Token], content: str) -> None:
    state = StateCore("", _TYPOGRAPHER, {})
    state.tokens = [Token("inline", "", 0, content=content, children=tokens)]
    smartquotes(state)


def _inside_autolink(children: list[Token], index: int) -> bool:
    opened = next((t for t in reversed(children[:index]) if t.type in ("link_open", "link_close")), None)
    return opened is not None and opened.type == "link_open" and opened.markup in ("autolink", "linkify")


def _mark_literals(state: StateCore) -> None:
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        for index, token in enumerate(block.children):
            if token.type != "text":
                children.append(token)
            elif _inside_autolink(block.children, index):  # <https://...>: the label is the link
                children.append(_with(token, LITERAL_TYPE, token.content))
            else:
                children += _split(token)
        block.children = children


def _restore_literals(state: StateCore) -> None:
    for block in state.tokens:
        for token in block.children or ():
            if token.type == LITERAL_TYPE:
                token.type = "text"
