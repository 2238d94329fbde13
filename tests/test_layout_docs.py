"""docs/layouts.md documents every layout key and is regenerated whenever the schema changes."""

from __future__ import annotations

from pathlib import Path

from timeline_pdf.layout.docs import render_reference, rows
from timeline_pdf.layout.schema import Layout

DOC = Path(__file__).resolve().parent.parent / "docs" / "layouts.md"


def test_every_key_has_a_description():
    undocumented = [key for key, _kind, _default, description in rows(Layout) if not description.strip()]
    assert undocumented == []


def test_reference_lists_every_key():
    text = DOC.read_text(encoding="utf-8")
    missing = [key for key, *_ in rows(Layout) if f"`{key}`" not in text]
    assert missing == []


def test_reference_is_not_stale():
    assert DOC.read_text(encoding="utf-8") == render_reference(), "run: python -m timeline_pdf.layout.docs docs/layouts.md"
