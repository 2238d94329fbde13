"""Plain runs: paragraphs of text with no markup, in one font, laid out and drawn directly.

Most of a timeline's text is plain (headlines, descriptions, place and casualty lines), and
ReportLab's ``Paragraph`` spends most of its time on generality such text never uses: fragment
lists, per-word dictionaries, a text object method call per line and per word width. A
:class:`PlainParagraph` keeps the words of its text, takes their widths from a cache kept per
font and size, fills lines greedily as ReportLab's ``Paragraph`` does with one fragment (the
same arithmetic in the same order, so the same breaks: the 5% space shrinkage ReportLab allows,
long words split character by character, no-break spaces kept), and draws all its lines as one
text object with the text operators ReportLab writes, marked as content of its tag (one MCID
per page it is drawn on, one element over a split).

One difference, explained in tests/test_plain_runs.py: ReportLab makes text holding ``&``,
``<``, ``>`` or ``"`` several fragments (each entity one of its own), and its line breaker for
several fragments lets a line run further into the margin (5% of a space more at each fragment
boundary), so such a line may take one more word there than here; and it breaks such text at
zero-width spaces, where its one-fragment breaker (and this one) does only when the text
also holds a no-break space.

A :class:`LinkRunParagraph` is a plain run with links in it (source lines, notes' URLs: a
fifth of a long timeline's paragraphs, and before it two fifths of its time): the same line
breaker (ReportLab's lines, on every source line the tests generate), each link's text drawn
in its colour as a ``Link`` element's content, and its annotations placed where ReportLab
places them. Two differences, both in the structure and not on the page: a link split over two
pages is one ``Link`` element (ReportLab's split parts make one each), and the space after a
link that ends a line is not marked as a sequence of its own.

:func:`paragraph` is the way in: it gives a :class:`PlainParagraph` for markup with no tag in a
style it supports (left-aligned, no indents, bullets, borders or hyphenation, a TrueType
font), a :class:`LinkRunParagraph` for text and links in such a style, a
:class:`~timeline_pdf.render.linked.LinkedParagraph` (ReportLab's ``Paragraph`` of fragments
made without its parser) for other text and links (an escaped character, anchors among
links), and a :class:`~timeline_pdf.render.textpara.TextParagraph` (ReportLab's
``Paragraph``) for everything else: Arabic runs, bold, any other markup.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterator
from functools import lru_cache
from html import unescape
from typing import Any

from reportlab import rl_config
from reportlab.lib.colors import Color, CMYKColor, toColor
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.rl_accel import escapePDF, fp_str
from reportlab.pdfbase.pdfmetrics import getAscentDescent, getFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Flowable
from reportlab.platypus.paragraph import cleanBlockQuotedText, split, strip

from timeline_pdf.render.linked import OTHER_ENTITY, LinkedParagraph, link_parts
from timeline_pdf.render.tagging import Tag
from timeline_pdf.render.textpara import TextParagraph

SHRINK = 0.05  # ReportLab's default spaceShrinkage: a line may be over its width by 5% of a space per word
NO_BREAK_SPACE = "\xa0"
ZERO_WIDTH_SPACE = "\u200b"
SOFT_HYPHEN = "\xad"  # ReportLab hyphenates at soft hyphens: such text keeps its Paragraph
ANCHORED = re.compile(r'<a name="([^"<>&]*[^"<>&\s][^"<>&]*)"/>(.+)\Z', re.S)  # an anchor, then plain text
# What is used of ReportLab beyond its documented API (see tests/test_plain_runs.py).
REPORTLAB_INTERNALS = {
    "Canvas": ("_doc",),
    "Flowable": ("_hAlignAdjust",),
    "TTFont": ("splitString", "getSubsetInternalName", "stringWidth"),
    "rl_config": ("_FUZZ", "paraFontSizeHeightOffset"),
}
WIDTHS_PER_FONT = 200_000  # words whose widths are kept, per font and size
FONTS_KEPT = 64  # fonts and sizes whose widths are kept


class Piece(str):
    """A part of a word too long for a line, split character by character (ReportLab's
    ``_SplitWord``): it ends its line."""


class LastPiece(Piece):
    """The last part of a split word (ReportLab's ``_SplitWordEnd``)."""


# -- word widths


_widths: dict[tuple[Any, float], dict[str, float]] = {}


def widths(font: Any, size: float) -> dict[str, float]:
    """The widths of words measured so far in ``font`` at ``size`` (bounded: a long archive
    or a watch session keeps at most so many words per font, and so many fonts)."""
    key = (font, size)
    known = _widths.get(key)
    if known is None:
        if len(_widths) >= FONTS_KEPT:
            _widths.clear()
        known = _widths[key] = {}
    elif len(known) > WIDTHS_PER_FONT:
        known.clear()
    return known


def break_lines(words: list[str], font: Any, size: float, width: float) -> list[tuple[float, list[str]]]:
    """Lines of ``words`` at most ``width`` wide (allowing ReportLab's space shrinkage), each as
    (unused width, words): ReportLab's ``Paragraph.breakLines`` for one fragment, left-aligned,
    with long words split, and no hyphenation."""
    known = widths(font, size)
    measure = font.stringWidth
    space = known.get(" ")
    if space is None:
        space = known[" "] = measure(" ", size)
    shrink = SHRINK * space
    lines: list[tuple[float, list[str]]] = []
    line: list[str] = []
    current = -space
    forced = False
    words = list(words)
    index = 0
    while index < len(words):
        word = words[index]
        index += 1
        if not word and isinstance(word, Piece):
            forced = True
        word_width = known.get(word)
        if word_width is None:
            word_width = known[word] = measure(word, size)
        new = current + space + word_width
        limit = width + shrink * len(line)
        if new > limit and not forced and not isinstance(word, Piece) and word_width > width:
            words[index:index] = split_word(word, current + space, width, known, measure, size)
            forced = True
            continue
        if new <= limit or not line or forced:
            if word:
                line.append(word)
            if forced:
                forced = False
                lines.append((width - new, line))
                line, current = [], -space
            else:
                current = new
        else:
            lines.append((width - current, line))
            line, current = [word], word_width
    if line:
        lines.append((width - current, line))
    return lines


def split_word(word: str, used: float, width: float, known: dict[str, float], measure: Any, size: float) -> list[Piece]:
    """A word wider than a line, in pieces that fill the rest of this line and then whole
    lines (ReportLab's ``_splitWord``): character by character."""
    pieces: list[Piece] = []
    text = ""
    for char in word:
        char_width = known.get(char)
        if char_width is None:
            char_width = known[char] = measure(char, size)
        new = used + char_width
        if new > width and (text or char_width <= width):
            pieces.append(Piece(text))
            new, text = char_width, ""
        text += char
        used = new
    pieces.append(LastPiece(text))
    return pieces


def rejoin(lines: list[tuple[float, list[str]]]) -> list[str]:
    """The words of ``lines`` with the pieces of split words joined again (a paragraph split
    over two pages lays each part out afresh, as ReportLab's does)."""
    words: list[str] = []
    pieces: list[str] = []
    for _unused, line in lines:
        for word in line:
            if isinstance(word, Piece):
                pieces.append(word)
                if isinstance(word, LastPiece):
                    words.append("".join(pieces))
                    pieces = []
                continue
            if pieces:
                words.append("".join(pieces))
                pieces = []
            words.append(word)
    if pieces:
        words.append("".join(pieces))
    return words


def line_spans(lines: list[tuple[float, list[str]]]) -> list[tuple[int, int]]:
    """Where each line's text (its words joined by spaces) starts and ends in the paragraph's
    text: the space a line breaks at belongs to neither line, and a word split over two lines
    has no space between its pieces."""
    spans: list[tuple[int, int]] = []
    at = 0
    for _unused, words in lines:
        end = at + sum(len(word) for word in words) + len(words) - 1
        spans.append((at, end))
        at = end if words and type(words[-1]) is Piece else end + 1
    return spans


# -- encoding text for a document's font subsets


_encoders: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # ReportLab document -> {font: _Encoder}


class _Encoder:
    """A document's codes for one TrueType font: each character's code in the font's first
    subset, escaped for a PDF string, learnt from ReportLab's own ``splitString`` (so codes are
    assigned in the order the text is drawn, as ReportLab assigns them)."""

    def __init__(self, font: TTFont) -> None:
        self.font = font  # not the document: it is the key these are kept under, weakly
        self.table: dict[int, str] = {}  # code point -> escaped code in subset 0
        self.seen: set[str] = set()  # every character given a code
        self.elsewhere: set[str] = set()  # characters in later subsets

    def learn(self, text: str, doc: Any) -> bool:
        """Assign codes to the characters of ``text`` not seen before (in the order they come);
        True when every one of them is in the first subset."""
        table, elsewhere, seen = self.table, self.elsewhere, self.seen
        if not seen.issuperset(text):
            new = [char for char in dict.fromkeys(text) if char not in seen]
            seen.update(new)
            chunks = self.font.splitString("".join(new), doc)
            subsets = [subset for subset, codes in chunks for _ in codes]
            codes = b"".join(codes for _subset, codes in chunks)
            for char, subset, code in zip(new, subsets, codes):
                if subset == 0:
                    table[ord(char)] = escapePDF(bytes((code,)))
                else:
                    elsewhere.add(char)
        return not elsewhere or elsewhere.isdisjoint(text)


def _encoder(font: TTFont, doc: Any) -> _Encoder:
    fonts = _encoders.get(doc)
    if fonts is None:
        fonts = _encoders[doc] = {}
    encoder = fonts.get(font)
    if encoder is None:
        encoder = fonts[font] = _Encoder(font)
    return encoder


# -- the flowable


class PlainParagraph(Flowable):
    """A paragraph of plain text in one style (see the module's docstring); ``text`` is the
    text to print, its whitespace already as ReportLab's ``Paragraph`` would print it. An
    ``anchor`` names the destination at its first line (``<a name="…"/>`` in markup), where
    ReportLab's ``Paragraph`` puts it."""

    anchor: str | None = None

    def __init__(self, text: str, style: Any, tag: Tag | None = None, *, words: list[str] | None = None) -> None:
        super().__init__()
        self.style = style
        self.tag = tag if tag is not None else Tag("P")
        self.text = text
        self._words = words
        self._lines: list[tuple[float, list[str]]] = []
        self._wrapped = -1.0  # the width the lines were broken for
        self.width = self.height = 0

    @property
    def words(self) -> list[str]:
        if self._words is None:
            self._words = split(strip(self.text))  # ReportLab's: a no-break space joins words
        return self._words

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:  # noqa: N803 - ReportLab's names
        if availWidth < rl_config._FUZZ:
            return 0, 0x7FFFFFFF
        self.width = availWidth
        if availWidth != self._wrapped:
            style = self.style
            self._lines = break_lines(self.words, getFont(style.fontName), style.fontSize, availWidth)
            self._wrapped = availWidth
        self.height = len(self._lines) * self.style.leading
        return availWidth, self.height

    def minWidth(self) -> float:  # noqa: N802 - ReportLab's name
        font, size = getFont(self.style.fontName), self.style.fontSize
        return max((font.stringWidth(word, size) for word in self.words), default=0)

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:  # noqa: N803
        """At a line boundary, as ReportLab's ``Paragraph.split``: no single line left at the
        foot of a page (no orphan), and both parts keep the one tag."""
        if not self.words or availWidth < rl_config._FUZZ or availHeight < rl_config._FUZZ:
            return []
        if self._wrapped < 0:
            self.wrap(availWidth, availHeight)
        style = self.style
        lines = self._lines
        fit = int(availHeight / float(style.leading))
        orphans = getattr(self, "allowOrphans", getattr(style, "allowOrphans", 0))
        if (not orphans and fit <= 1) or fit == 0:
            return []
        count = len(lines)
        if count <= fit:
            return [self]
        if not getattr(self, "allowWidows", getattr(style, "allowWidows", 1)) and count == fit + 1:
            if (orphans and count == 3) or count > 3:
                fit -= 1  # give the widow some company
            else:
                return []
        spans = line_spans(lines)
        first = self._part(rejoin(lines[:fit]), 0, spans[fit - 1][1])
        first.anchor = self.anchor
        return [first, self._part(rejoin(lines[fit:]), spans[fit][0], len(self.text))]

    def _part(self, words: list[str], start: int, end: int) -> PlainParagraph:
        """The paragraph of ``words``, the text from ``start`` to ``end`` (one side of a split)."""
        return PlainParagraph(" ".join(words), self.style, self.tag, words=words)

    def _segments(self, facts: _Drawing) -> list[list[tuple[str, Tag, str]]]:
        """Each line's runs of text as (text, its tag, the operator setting its colour)."""
        return [[(" ".join(words), self.tag, facts.fill)] for _unused, words in self._lines]

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803 - ReportLab's names
        """Write the paragraph's lines as one text object, each run marked as content of its tag."""
        if not self._lines:
            return
        x = self._hAlignAdjust(x, _sW)
        facts = _drawing(self.style)
        font, doc = facts.font, canvas._doc
        encoder = _encoder(font, doc)
        segments = self._segments(facts)
        simple = encoder.learn("".join(text for line in segments for text, _tag, _fill in line), doc)
        start = self.height - facts.drop
        if self.anchor:
            canvas.bookmarkHorizontal(self.anchor, x, y + start + self.style.leading)
        code = [f"q\n1 0 0 1 {fp_str(x, y)} cm\n{facts.fill}\nBT 1 0 0 1 0 {fp_str(start)} Tm"]
        tagger = getattr(canvas, "tagger", None)
        page = canvas.getPageNumber()
        setting = facts.setting
        if simple:
            code.append(f"{font.getSubsetInternalName(0, doc)} {setting}")
        subset = 0 if simple else -1
        table = encoder.table
        open_tag, fill = None, facts.fill
        spacings = []  # each line's word spacing: negative on a line over its width by its spaces' shrinkage
        for (unused, words), line in zip(self._lines, segments):
            spaces = len(words) - 1 + sum(text.count(NO_BREAK_SPACE) for text, _tag, _fill in line)  # word spacing applies to both
            spacings.append(unused / float(spaces) if unused <= -1e-8 and spaces > 0 else 0.0)
            if spacings[-1]:
                code.append(f"{fp_str(spacings[-1])} Tw")
            for text, tag, colour in line:
                if tagger is not None and tag is not open_tag:
                    if open_tag is not None:
                        code.append("EMC")
                    code.append(f"/{tag.role} <</MCID {tagger.mark(tag, page)}>> BDC")
                    open_tag = tag
                if colour != fill:
                    code.append(colour)
                    fill = colour
                if simple:
                    code.append(f"({text.translate(table)}) Tj")
                else:
                    for chunk_subset, chunk in font.splitString(text, doc):
                        if chunk_subset != subset:
                            code.append(f"{font.getSubsetInternalName(chunk_subset, doc)} {setting}")
                            subset = chunk_subset
                        code.append(f"({escapePDF(chunk)}) Tj")
            code[-1] += " T*"
            if open_tag is not None and open_tag is not self.tag:  # a link's sequence ends with its line, as ReportLab ends it
                code.append("EMC")
                open_tag = None
            if spacings[-1]:
                code.append("0 Tw")
        if open_tag is not None:
            code.append("EMC")
        code.append("ET\nQ")
        canvas.addLiteral(" ".join(code))
        self._annotate(canvas, x, y + start, spacings)

    def _annotate(self, canvas: Any, x: float, baseline: float, spacings: list[float]) -> None:
        """Make the annotations of the paragraph's links (``baseline``: its first line's;
        ``spacings``: each line's word spacing, as drawn)."""


class Link:
    """A link of a :class:`LinkRunParagraph`: its characters in the paragraph's text, its
    target (a URL, or ``#name`` for a place in the document), its colour and its element."""

    __slots__ = ("start", "end", "target", "fill", "tag")

    def __init__(self, start: int, end: int, target: str, fill: str, tag: Tag) -> None:
        self.start, self.end, self.target, self.fill, self.tag = start, end, target, fill, tag

    def within(self, start: int, end: int) -> Link | None:
        """The part of the link between ``start`` and ``end``, counted from ``start``."""
        if self.end <= start or self.start >= end:
            return None
        return Link(max(self.start, start) - start, min(self.end, end) - start, self.target, self.fill, self.tag)


class LinkRunParagraph(PlainParagraph):
    """A plain run with links in it (a source line, a note's URL): laid out as a plain run,
    each link's text drawn in its colour as content of its own ``Link`` element, and the
    link's annotation made where ReportLab's ``Paragraph`` makes it, one per line the link is
    on (from 20% of the font size below the baseline to the font size above it; a paragraph
    that is one link, one fragment to ReportLab: the line's leading, an eighth of the font
    size below the baseline)."""

    def __init__(self, text: str, style: Any, tag: Tag, links: list[Link], *, words: list[str] | None = None) -> None:
        super().__init__(text, style, tag, words=words)
        self.links = links

    def _part(self, words: list[str], start: int, end: int) -> PlainParagraph:
        links = [part for link in self.links if (part := link.within(start, end)) is not None]
        return LinkRunParagraph(" ".join(words), self.style, self.tag, links, words=words)

    def _runs(self, start: int, end: int) -> Iterator[tuple[int, int, Link | None]]:
        """The runs of the text from ``start`` to ``end``: (from, to, its link or None)."""
        at = start
        for link in self.links:
            if link.end <= at or link.start >= end:
                continue
            if link.start > at:
                yield at, link.start, None
            yield max(link.start, at), min(link.end, end), link
            at = min(link.end, end)
        if at < end:
            yield at, end, None

    def _segments(self, facts: _Drawing) -> list[list[tuple[str, Tag, str]]]:
        text = self.text
        return [[(text[a:b], self.tag if link is None else link.tag, facts.fill if link is None else link.fill) for a, b, link in self._runs(start, end)]
                for start, end in line_spans(self._lines)]

    def _annotate(self, canvas: Any, x: float, baseline: float, spacings: list[float]) -> None:
        style, text, tagger = self.style, self.text, getattr(canvas, "tagger", None)
        font = _drawing(style).font
        known, measure = widths(font, style.fontSize), font.stringWidth
        size, leading = style.fontSize, style.leading
        space = measure(" ", size)

        def width(piece: str) -> float:
            """As the line breaker measured it: word by word, and the spaces between."""
            total = space * piece.count(" ")
            for word in piece.split(" "):
                found = known.get(word)
                if found is None:
                    found = known[word] = measure(word, size)
                total += found
            return total

        # a paragraph that is one link is one fragment to ReportLab, whose link spans the leading
        whole = len(self.links) == 1 and self.links[0].start == 0 and self.links[0].end == len(text)
        for spacing, (start, end) in zip(spacings, line_spans(self._lines)):
            for a, b, link in self._runs(start, end):
                if link is None:
                    continue
                shown = text[a:b].rstrip(" ")
                left = x + width(text[start:a]) + spacing * text.count(" ", start, a)
                right = left + width(shown) + spacing * shown.count(" ")
                rect = (left, baseline - size / 8.0, right, baseline - size / 8.0 + leading) if whole else (left, baseline - 0.2 * size, right, baseline + size)
                if tagger is not None:
                    tagger.pending_links.append((link.target.removeprefix("#"), link.tag))
                if link.target.startswith("#"):
                    canvas.linkRect("", link.target[1:], rect, relative=1)
                else:
                    canvas.linkURL(link.target, rect, relative=1, kind="URI")
            baseline -= leading


class _Drawing:
    """What drawing a style's lines writes, worked out once per style."""

    def __init__(self, style: Any) -> None:
        self.font = getFont(style.fontName)
        self.fill = _fill(style.textColor)
        self.setting = f"{fp_str(style.fontSize)} Tf {fp_str(style.leading)} TL"
        # the first baseline, below the top (ReportLab's paraFontSizeHeightOffset)
        self.drop = style.fontSize if rl_config.paraFontSizeHeightOffset else getAscentDescent(style.fontName, style.fontSize)[0]


_drawings: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # style -> _Drawing


def _drawing(style: Any) -> _Drawing:
    found = _drawings.get(style)
    if found is None:
        found = _drawings[style] = _Drawing(style)
    return found


def _fill(colour: Any) -> str:
    """The operator ReportLab's ``setFillColor`` writes for a paragraph's colour."""
    if isinstance(colour, CMYKColor):
        density = colour.density
        return f"{fp_str(density * colour.cyan, density * colour.magenta, density * colour.yellow, density * colour.black)} k"
    return f"{fp_str(colour.red, colour.green, colour.blue)} rg"


# -- the way in


_plain_styles: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # style -> whether plain_style(style)


def plain_style(style: Any) -> bool:
    """Whether :class:`PlainParagraph` lays out this style as ReportLab's ``Paragraph`` would
    (asked once per style: a layout's styles are made once per document)."""
    known = _plain_styles.get(style)
    if known is None:
        known = _plain_styles[style] = _plain_style(style)
    return known


def _plain_style(style: Any) -> bool:
    colour = style.textColor

    def unset(*names: str) -> bool:
        return not any(getattr(style, name, None) for name in names)

    return (
        style.alignment == TA_LEFT
        and unset("leftIndent", "rightIndent", "firstLineIndent", "bulletText", "backColor", "borderWidth", "endDots", "textTransform")
        and unset("wordWrap", "hyphenationLang", "uriWasteReduce", "embeddedHyphenation", "shaping", "underline", "strike", "link")
        and getattr(style, "spaceShrinkage", None) == SHRINK
        and getattr(style, "splitLongWords", 0)
        and getattr(style, "autoLeading", None) in (None, "", "off")
        and (type(colour) is Color or (type(colour) is CMYKColor and not colour.spotName))
        and getattr(colour, "alpha", 1) == 1
        and isinstance(getFont(style.fontName), TTFont)
    )


def paragraph(markup: str, style: Any, tag: Tag | None = None) -> Flowable:
    """A paragraph of ``markup`` (as :mod:`~timeline_pdf.render.markup` writes it), the fastest
    kind that lays it out as ReportLab's ``Paragraph`` would (see the module's docstring)."""
    anchor = ANCHORED.match(markup)
    if anchor is not None and "<" not in anchor.group(2):  # a note's number, the target of its citations
        made = paragraph(anchor.group(2), style, tag)
        if isinstance(made, PlainParagraph):
            made.anchor = unescape(anchor.group(1)).strip()
            return made
    if "<" in markup:
        parts = link_parts(markup, style)  # None: other tags than links
        if parts is None:
            return TextParagraph(markup, style, tag=tag)
        return link_run(markup, style, tag, parts) or LinkedParagraph(markup, style, tag, parts)
    if SOFT_HYPHEN in markup or OTHER_ENTITY.search(markup) or not plain_style(style):
        return TextParagraph(markup, style, tag=tag)
    return PlainParagraph(unescape(_cleaned(markup)), style, tag)


LINK_TARGETS = ("#", "http://", "https://", "mailto:")  # what ReportLab's paragraph links to as this one does
ESCAPED = frozenset('&<>"')  # characters markup.escape writes as entities


def link_run(markup: str, style: Any, tag: Tag | None, parts: list[str | None]) -> LinkRunParagraph | None:
    """A :class:`LinkRunParagraph` of markup holding only text and links (as source notes
    are written; ``parts``: :func:`~timeline_pdf.render.linked.link_parts` of it) in a plain
    style, else None."""
    if SOFT_HYPHEN in markup or not plain_style(style):
        return None
    tag = tag if tag is not None else Tag("P")
    pieces: list[str] = []
    links: list[Link] = []
    at = 0
    for index in range(0, len(parts), 5):
        pieces.append(unescape(parts[index]))
        at += len(pieces[-1])
        if index + 1 >= len(parts):
            break
        href, colour, label, anchor = parts[index + 1 : index + 5]
        target, shown = unescape(href or "").strip(), unescape(label or "")
        if anchor is not None or not shown or not target.startswith(LINK_TARGETS):
            return None
        fill = _link_fill(unescape(colour))
        if fill is None:
            return None
        links.append(Link(at, at + len(shown), target, fill, Tag("Link", tag)))
        pieces.append(shown)
        at += len(shown)
    text = "".join(pieces)
    # ReportLab's whitespace rules for such text: one space between words and none at the ends;
    # an escaped character is a fragment of its own to ReportLab's parser, whose line breaker
    # for several fragments may then end a line later (see the module's docstring)
    if not text or " ".join(text.split()) != text or ZERO_WIDTH_SPACE in text or not ESCAPED.isdisjoint(text):
        return None
    return LinkRunParagraph(text, style, tag, links)


@lru_cache(maxsize=64)
def _link_fill(colour: str) -> str | None:
    try:
        parsed = toColor(colour)
    except ValueError:
        return None
    if getattr(parsed, "alpha", 1) != 1 or (isinstance(parsed, CMYKColor) and parsed.spotName):
        return None
    return _fill(parsed)


def _cleaned(markup: str) -> str:
    """ReportLab's ``cleanBlockQuotedText``: whitespace runs and line breaks become one space.
    It splits at the whitespace Python splits at, but for the no-break space (kept inside a
    word) and the zero-width space (also removed at the ends of lines); text with neither (the
    usual) is cleaned in one pass."""
    if NO_BREAK_SPACE in markup or ZERO_WIDTH_SPACE in markup:
        return cleanBlockQuotedText(markup)
    return " ".join(markup.split())
