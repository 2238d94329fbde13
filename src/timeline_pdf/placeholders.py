"""Placeholders such as {title} in layout texts and file-name patterns."""

from __future__ import annotations

import re


def fill(template: str, values: dict[str, str]) -> str:
    """Fill {name} placeholders; an unknown placeholder stays as typed rather than failing."""

    class Keep(dict):
        def __missing__(self, key: str) -> str:
            return "{" + key + "}"

    try:
        return template.format_map(Keep(values))
    except (ValueError, IndexError):
        return template


def slug(text: str) -> str:
    """'US-Iran Escalation in Iraq' -> 'us-iran-escalation-in-iraq', for file names."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "report"
