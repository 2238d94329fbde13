"""Placeholders such as {title} in layout texts and file-name patterns.

Each layout text has its own set of placeholders; a layout naming any other is refused when it
is loaded (``placeholder_problems``), so filling one in (``fill``) never meets an unknown name.
"""

from __future__ import annotations

import difflib
import re
from string import Formatter

HEADER = ("title", "subtitle", "period", "edition", "page", "pages")
PAGE_NUMBERS = ("page", "pages")  # filled in only when the page is drawn
TEXT_PLACEHOLDERS: dict[str, tuple[str, ...]] = {  # layout key -> the placeholders it may use
    "header": HEADER,
    "footer": HEADER,
    "edition_title": ("title", "edition"),
    "output": ("stem", "layout", "slug", "edition"),
}


def placeholder_problems(template: str, key: str) -> list[tuple[str, str]]:
    """(message, hint) for every placeholder of ``template`` that the layout key ``key`` does not
    have, and for braces that make no placeholder."""
    known = TEXT_PLACEHOLDERS[key]
    listed = ", ".join("{" + name + "}" for name in known)
    try:
        fields = [(name, spec, conversion) for _text, name, spec, conversion in Formatter().parse(template) if name is not None]
    except ValueError as exc:
        return [(f"'{template}' is not a valid text with placeholders ({exc})", f"write a literal brace as {{{{ or }}}}; the placeholders of {key} are {listed}")]
    problems = []
    for name, spec, conversion in fields:
        if name not in known:
            near = difflib.get_close_matches(name, known, n=1)
            problems.append((f"unknown placeholder '{{{name}}}' in {key}", (f"did you mean '{{{near[0]}}}'? The" if near else "The") + f" placeholders of {key} are {listed}"))
        elif spec or conversion:
            problems.append((f"'{{{name}{'!' + conversion if conversion else ''}{':' + spec if spec else ''}}}' in {key} formats its placeholder", f"write the placeholder alone, as {{{name}}}"))
    return problems


def fill(template: str, values: dict[str, str], later: tuple[str, ...] = ()) -> str:
    """Fill the {name} placeholders of a template whose names were checked. Placeholders named
    in ``later`` stay as they are, and the result is again a template (its literal braces
    doubled), to be filled in with them later."""
    parts = []
    for literal, name, _spec, _conversion in Formatter().parse(template):
        parts.append(_escaped(literal) if later else literal)
        if name is None:
            continue
        if name in later:
            parts.append("{" + name + "}")
        else:
            parts.append(_escaped(values[name]) if later else values[name])
    return "".join(parts)


def _escaped(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def slug(text: str) -> str:
    """'US-Iran Escalation in Iraq' -> 'us-iran-escalation-in-iraq', for file names."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "report"
