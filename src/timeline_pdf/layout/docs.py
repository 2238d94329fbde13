"""Generate ``docs/layouts.md``, the reference of every layout key, from the schema.

The schema's field descriptions are the documentation; a test fails when this file is stale.
Regenerate with ``python -m timeline_pdf.layout.docs docs/layouts.md``.
"""

from __future__ import annotations

import sys
import typing
from pathlib import Path

from pydantic import BaseModel
from pydantic.fields import FieldInfo

from timeline_pdf.contract import tidy_value
from timeline_pdf.layout.schema import BRIEF_SECTIONS, PAGE_SIZES, SHIPPED_FAMILIES, TIMELINE_SECTIONS, CategoryStyle, Layout

INTRO = f"""# Layout reference

Layouts are TOML files in `layouts/`. A product layout names its product and usually builds on
`base.toml`, overriding only what differs:

```toml
extends = "base.toml"
product = "brief"
output = "{{stem}}-brief.pdf"

[page]
size = "A4"
margins = {{ left = "20mm", right = "20mm" }}
```

Tables merge key by key with the file they extend; any other value replaces it. Unknown keys are
errors, reported with the file and key path and the nearest valid key. Lengths take the units
`pt` (default), `in`, `mm`, `cm` and `px`; colours are `#RRGGBB`, `#RGB` or a name. Page sizes:
{", ".join(k.title() if len(k) > 2 else k.upper() for k in PAGE_SIZES)}, or `"WIDTH x HEIGHT"`.
Shipped type families: {", ".join(SHIPPED_FAMILIES)}.

Sections of the timeline: {", ".join(f"`{s}`" for s in TIMELINE_SECTIONS)}.
Sections of the brief: {", ".join(f"`{s}`" for s in BRIEF_SECTIONS)}.

*This file is generated from the schema (`src/timeline_pdf/layout/schema.py`); do not edit it by hand.*
"""


def describe_type(annotation: object) -> str:
    """A short human name for a field's type."""
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        base, *meta = args
        names = {getattr(m, "func", None) and m.func.__name__ for m in meta}
        if "to_points" in names:
            return "length"
        if "to_hex" in names:
            return "colour"
        return describe_type(base)
    if origin is typing.Literal:
        return " \\| ".join(f"`{a!r}`".replace("'", '"') for a in args)
    if origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
        return " or ".join(describe_type(a) for a in args if a is not type(None)) + (" (optional)" if type(None) in args else "")
    if origin is tuple:
        return f"list of {describe_type(args[0])}"
    if origin is dict:
        return f"table of {describe_type(args[1])}"
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return "table"
    return {str: "text", int: "integer", float: "number", bool: "true/false"}.get(annotation, str(annotation))  # type: ignore[arg-type]


def toml_value(value: object) -> str:
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (tuple, list)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if value is None:
        return "(none)"
    return str(tidy_value(value))


def rows(model: type[BaseModel], prefix: str = "") -> list[tuple[str, str, str, str]]:
    """(key path, type, default, description) for every key, depth first."""
    found = []
    for name, field in model.model_fields.items():
        key = f"{prefix}{name}"
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found.append((key, "table", "", field.description or ""))
            found += rows(annotation, key + ".")
            continue
        found.append((key, describe_type(_annotated(model, name, field)), _default(field), field.description or ""))
        if typing.get_origin(annotation) is dict:
            found += rows(CategoryStyle, f"{key}.<category>.")
    return found


def _annotated(model: type[BaseModel], name: str, field: FieldInfo) -> object:
    hints = typing.get_type_hints(model, include_extras=True)
    return hints.get(name, field.annotation)


def _default(field: FieldInfo) -> str:
    if field.is_required():
        return "required"
    value = field.get_default(call_default_factory=True)
    if isinstance(value, BaseModel):
        return ""
    if isinstance(value, dict):
        return "{}"
    return f"`{toml_value(value)}`"


def render_reference() -> str:
    lines = [INTRO, "| key | type | default | meaning |", "| --- | --- | --- | --- |"]
    for key, kind, default, description in rows(Layout):
        cell = description.replace("|", "\\|")
        lines.append(f"| `{key}` | {kind} | {default} | {cell} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    text = render_reference()
    if target:
        target.write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
