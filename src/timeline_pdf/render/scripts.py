"""Arabic and Persian text in paragraphs: real glyphs, joined letters, right-to-left order.

Noto Sans and Serif have no Arabic glyphs and ReportLab's own bidi support needs a package that
is not on PyPI, so each run of Arabic script is shaped into presentation forms
(arabic-reshaper), put in visual order (python-bidi) and set in Noto Sans Arabic. A run that
wraps across lines keeps its words' visual order per run, not per line: short names and
phrases, the common case in event descriptions, read correctly.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

ARABIC_FAMILY = "Noto Sans Arabic"
_LETTERS = "\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff"
# a run: Arabic letters, with spaces, joiners and punctuation between them
ARABIC_RUN = re.compile(f"[{_LETTERS}]+(?:[\\s\u200c\u200d\u200f\u060c\u061b\u061f.,:()«»-]+[{_LETTERS}]+)*")


def has_arabic(text: str) -> bool:
    return ARABIC_RUN.search(text) is not None


@cache
def _tools():
    import arabic_reshaper
    from bidi import get_display

    return arabic_reshaper.reshape, get_display


PERSIAN_LETTERS = set("پچژگکیۀ")  # letters Persian uses and Arabic does not
_logical: dict[str, str] = {}  # a drawn (visual) run -> the text as typed, for screen readers
MAX_REMEMBERED = 10_000


def visual(run: str) -> str:
    """Shaped presentation forms in left-to-right drawing order."""
    reshape, get_display = _tools()
    drawn = get_display(reshape(run))
    if len(_logical) >= MAX_REMEMBERED:
        _logical.clear()
    _logical[drawn] = run
    return drawn


def logical(drawn: str) -> str | None:
    """The run as typed, for a run drawn whole on one line (a tagged PDF's ActualText)."""
    return _logical.get(drawn)


def language(text: str) -> str:
    """'fa' for text with letters only Persian uses, else 'ar' (presentation forms are read as
    the letters they show)."""
    letters = set(unicodedata.normalize("NFKC", text))
    return "fa" if letters & PERSIAN_LETTERS else "ar"


def split_runs(text: str) -> list[tuple[bool, str]]:
    """(is_arabic, text) pieces in logical order."""
    pieces: list[tuple[bool, str]] = []
    position = 0
    for match in ARABIC_RUN.finditer(text):
        if match.start() > position:
            pieces.append((False, text[position : match.start()]))
        pieces.append((True, match.group()))
        position = match.end()
    if position < len(text):
        pieces.append((False, text[position:]))
    return pieces
