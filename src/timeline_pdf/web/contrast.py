"""Colour contrast as WCAG 2 measures it, for the publication page's text on its white ground.

The page sets text in the layout's colours (``colours.text``, ``muted``, ``accent`` and
``link``); a colour too light to read at 4.5:1 (WCAG level AA for body text) is a layout error
with a darker colour of the same hue that passes, never a page that quietly fails its readers.
"""

from __future__ import annotations

BACKGROUND = "#FFFFFF"
MINIMUM = 4.5  # WCAG 2.x, level AA, text of normal size
TEXT_COLOURS = ("text", "muted", "accent", "link")  # the layout's colours the page writes text in


def luminance(colour: str) -> float:
    """Relative luminance of ``#RRGGBB`` (WCAG 2.x)."""
    channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    """The contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def darkened(colour: str, background: str = BACKGROUND, minimum: float = MINIMUM) -> str:
    """The lightest darker shade of ``colour`` (each channel scaled alike) that reaches ``minimum``."""
    channels = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    for step in range(100, -1, -1):
        shade = "#" + "".join(f"{round(c * step / 100):02X}" for c in channels)
        if contrast(shade, background) >= minimum:
            return shade
    return "#000000"


def contrast_problems(colours) -> list[tuple[str, str, str]]:
    """(key, message, hint) for each of the page's text colours below the minimum on white."""
    problems = []
    for role in TEXT_COLOURS:
        colour = getattr(colours, role)
        ratio = contrast(colour, BACKGROUND)
        if ratio < MINIMUM:
            problems.append((f"colours.{role}", f"{colour} on white has a contrast of {ratio:.2f}:1; the page needs at least {MINIMUM}:1 for text to be read (WCAG AA)",
                             f"use a darker colour, such as {darkened(colour)}"))
    return problems
