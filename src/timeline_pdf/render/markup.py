"""Build ReportLab paragraph markup from analyst text, safely.

Analyst text never reaches a ``Paragraph`` unescaped: ``<b>``, ``<img src=…>``, ``<font>`` and
``&`` typed in a cell print literally. Links are built here and only for http(s) and mailto.
Escaped text gets typographic quotes when the layout being rendered asks for them
(:mod:`timeline_pdf.typography`); link targets are escaped exactly as typed.

ReportLab can fetch a URL where it expects a file (an image, a font); while a product renders
(``no_remote_resources``) it trusts no host, whatever a settings file or ``RL_*`` environment
variable says. Links in the PDFs are only written, never opened.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import quote
from xml.sax.saxutils import escape as _xml_escape

from timeline_pdf.fonts import arabic_family, register_reportlab
from timeline_pdf.layout.schema import Links
from timeline_pdf.links import is_foreign, is_safe_url
from timeline_pdf.render.scripts import ARABIC_FAMILY, has_arabic, split_runs, visual
from timeline_pdf.typography import printed


@contextmanager
def no_remote_resources() -> Iterator[None]:
    """While a product renders, ReportLab's URL reader refuses every host and every scheme
    (file: and data: included), whatever its settings say; its settings belong to the process,
    so they are restored afterwards."""
    from reportlab import rl_config

    saved = rl_config.trustedHosts, rl_config.trustedSchemes
    rl_config.trustedHosts, rl_config.trustedSchemes = None, []
    try:
        yield
    finally:
        rl_config.trustedHosts, rl_config.trustedSchemes = saved


UNPRINTABLE = re.compile("[\x00-\x08\x0b-\x1f\ud800-\udfff]")  # control characters but tab and newline; lone surrogates


ARABIC_RUN_TAG = f'<font name="{ARABIC_FAMILY}">'  # the markup of a run of Arabic script, set in its own family
_BOLD_CONTEXT = re.compile(r"<(/?)(b|strong)>|" + re.escape(ARABIC_RUN_TAG) + r"([^<]*)</font>")


def escape(text: str) -> str:
    """Printed text -> markup that prints it: with typographic quotes when the layout has them
    (links in it are left as typed), Arabic script set in its own font."""
    return verbatim(printed(text))


def verbatim(text: str) -> str:
    """Text -> markup that prints exactly that text (Arabic script set in its own font)."""
    cleaned = UNPRINTABLE.sub("", text)
    if not has_arabic(cleaned):
        return _xml_escape(cleaned, {'"': "&quot;"})
    register_reportlab(arabic_family())  # once, and only for documents with Arabic script
    return "".join(
        f"{ARABIC_RUN_TAG}{_xml_escape(visual(piece))}</font>" if arabic else _xml_escape(piece, {'"': "&quot;"})
        for arabic, piece in split_runs(cleaned)
    )


def bold_arabic_runs(markup: str, bold: bool) -> str:
    """Arabic runs set in the Arabic family's bold face where the text around them is bold (a
    bold style, or inside ``<b>``): naming a font family, as an Arabic run's tag does, resets
    ReportLab's bold to regular."""
    if ARABIC_RUN_TAG not in markup:
        return markup
    depth = 0

    def replace(match: re.Match[str]) -> str:
        nonlocal depth
        if match.group(2):
            depth += -1 if match.group(1) else 1
            return match.group(0)
        return f"{ARABIC_RUN_TAG}<b>{match.group(3)}</b></font>" if bold or depth > 0 else match.group(0)

    return _BOLD_CONTEXT.sub(replace, markup)


def link(url: str, label_markup: str, colour: str, rules: Links) -> str:
    """A clickable link (asterisk when foreign), or the plain label for an unsafe URL."""
    if not is_safe_url(url):
        return label_markup
    star = "*" if is_foreign(url, rules) else ""
    return f'<a href="{link_target(url)}" color="{colour}">{label_markup}</a>{star}'


URL_SAFE = "".join(chr(c) for c in range(33, 127) if chr(c) not in '"<>\\^`{|}')  # printable ASCII a link may keep as it is


def link_target(url: str) -> str:
    """The URL as a link's target: a PDF link is 7-bit ASCII, so letters beyond it (an Arabic
    Wikipedia page, say) are percent-encoded as UTF-8, as browsers send them; nothing else
    changes. Escaped for the markup's attribute."""
    ascii_url = quote(UNPRINTABLE.sub("", url), safe=URL_SAFE)
    return _xml_escape(ascii_url)  # quote() has percent-encoded '"', '<' and '>': only '&' is left
