"""Arabic and Persian text in paragraphs: real glyphs, joined letters, right-to-left order.

Noto Sans and Serif have no Arabic glyphs and ReportLab's own bidi support needs a package that
is not on PyPI, so each run of Arabic script is shaped into presentation forms
(arabic-reshaper), put in visual order (python-bidi) and set in Noto Sans Arabic. A run that
wraps across lines keeps its words' visual order per run, not per line: short names and
phrases, the common case in event descriptions, read correctly.
"""

from __future__ import annotations

import re
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


def visual(run: str) -> str:
    """Shaped presentation forms in left-to-right drawing order."""
    reshape, get_display = _tools()
    return get_display(reshape(run))


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
