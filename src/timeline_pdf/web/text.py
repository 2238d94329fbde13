"""Text on its way into the page: as the products print it, less what HTML cannot carry.

Control characters (but tab and line ends, C1 controls included), lone surrogates and Unicode
noncharacters are dropped (the PDFs drop C0 controls and lone surrogates too); everything else
is kept, and the template engine escapes it.
"""

from __future__ import annotations

import re

from timeline_pdf.typography import printed

NONCHARACTERS = "\ufdd0-\ufdef" + "".join(f"{chr(plane + 0xFFFE)}{chr(plane + 0xFFFF)}" for plane in range(0, 0x110000, 0x10000))
UNCARRIED = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{NONCHARACTERS}]")


def plain(text: str) -> str:
    """``text`` without the characters an HTML page cannot carry."""
    return UNCARRIED.sub("", text)


def shown(text: str) -> str:
    """``text`` as the page prints it: typographic quotes when the layout has them, and
    without the characters HTML cannot carry."""
    return plain(printed(text))
