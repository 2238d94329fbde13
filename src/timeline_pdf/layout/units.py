"""Lengths and colours from layout files, converted in one place."""

from __future__ import annotations

import math
import re

POINTS_PER = {"pt": 1.0, "in": 72.0, "mm": 72.0 / 25.4, "cm": 72.0 / 2.54, "px": 0.75}
LENGTH = re.compile(r"^\s*(?P<number>\d+(?:\.\d+)?)\s*(?P<unit>pt|in|mm|cm|px)?\s*$")
HEX = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

# Named colours an editor is likely to type; hex covers everything else.
NAMED_COLOURS = {
    "black": "#000000", "white": "#FFFFFF", "gray": "#808080", "grey": "#808080",
    "darkgray": "#404040", "darkgrey": "#404040", "lightgray": "#D3D3D3", "lightgrey": "#D3D3D3",
    "red": "#D62728", "darkred": "#8B0000", "orange": "#E69F00", "vermilion": "#D55E00",
    "yellow": "#F0E442", "green": "#009E73", "darkgreen": "#006400", "blue": "#0072B2",
    "skyblue": "#56B4E9", "navy": "#1F3A5F", "purple": "#6A3D9A", "reddishpurple": "#CC79A7",
    "brown": "#8C564B", "teal": "#00827F", "gold": "#B8860B",
}


def to_points(value: object) -> float:
    """'12mm', '0.5in', '10pt', '10' or a number (points) -> points."""
    if isinstance(value, bool):
        raise ValueError("expected a length such as '12mm', '0.5in' or '10pt'")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            raise ValueError("expected a length such as '12mm', '0.5in' or '10pt', not an infinite or undefined number")
        if value < 0:
            raise ValueError("a length cannot be negative")
        return float(value)
    match = LENGTH.match(str(value))
    if not match:
        raise ValueError(f"expected a length such as '12mm', '0.5in' or '10pt', got {value!r}")
    return float(match["number"]) * POINTS_PER[match["unit"] or "pt"]


def to_hex(value: object) -> str:
    """'#1F3A5F', '#abc' or a colour name -> '#RRGGBB'."""
    text = str(value).strip()
    if HEX.match(text):
        if len(text) == 4:
            text = "#" + "".join(ch * 2 for ch in text[1:])
        return text.upper()
    named = NAMED_COLOURS.get(text.lower().replace(" ", "").replace("-", ""))
    if named:
        return named
    raise ValueError(f"expected a colour as '#RRGGBB' or one of {', '.join(sorted(NAMED_COLOURS))}; got {value!r}")
