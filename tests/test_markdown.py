"""The analyst's summary: Markdown becomes safe paragraph markup, never live HTML."""

from __future__ import annotations

from pathlib import Path

from reportlab.platypus import Paragraph

from conftest import LAYOUTS
from timeline_pdf.fonts import document_fonts
from timeline_pdf.layout import load_layout
from timeline_pdf.render.lists import ListItem
from timeline_pdf.render.markdown import summary_flowables
from timeline_pdf.render.styles import build_styles

LAYOUT = load_layout(LAYOUTS / "brief.toml")
STYLES = build_styles(LAYOUT.spec, document_fonts(LAYOUT))


def markup(text: str) -> list:
    return summary_flowables(text, STYLES, LAYOUT.spec)


def test_emphasis_and_links():
    (paragraph,) = markup("**Bold**, *italic* and [a report](https://www.presstv.ir/x) from [DoD](https://www.defense.gov/y).")
    text = paragraph.text
    assert "<b>Bold</b>" in text and "<i>italic</i>" in text
    assert '<a href="https://www.presstv.ir/x" color="#1F5FA8">a report</a>*' in text
    assert '<a href="https://www.defense.gov/y" color="#1F5FA8">DoD</a>.' in text  # domestic: no asterisk


def test_raw_html_and_unsafe_links_stay_text():
    (paragraph,) = markup('<img src="/etc/passwd"> <b>x</b> [click](javascript:alert(1)) & more')
    assert "&lt;img" in paragraph.text and "&lt;b&gt;" in paragraph.text
    assert "<a " not in paragraph.text  # the javascript: link prints as text, never as a link
    assert "&amp; more" in paragraph.text


def test_lists_and_headings():
    flowables = markup("## Context\n\nText.\n\n- one\n- two\n\n1. first\n2. second\n")
    assert isinstance(flowables[0], Paragraph) and flowables[0].style is STYLES.subheading
    assert flowables[0].tag.role == "H3"  # the summary's first heading level sits under its H2
    items = [f for f in flowables if isinstance(f, ListItem)]
    assert [(item.label.text, item.body[0].text) for item in items] == [("•", "one"), ("•", "two"), ("1.", "first"), ("2.", "second")]
    lists = {item.label.tag.parent.parent for item in items}  # Lbl -> LI -> L
    assert len(lists) == 2 and {l.role for l in lists} == {"L"}
    assert [f.text for f in flowables if not isinstance(f, ListItem)] == ["Context", "Text."]


def test_heading_levels_never_skip():
    flowables = markup("# One\n\n### Three\n\nText.\n\n# One again\n")
    assert [f.tag.role for f in flowables] == ["H3", "H4", "P", "H3"]


def test_lists_can_be_left_out_for_the_page_budget():
    flowables = summary_flowables("Text.\n\n- one\n- two\n", STYLES, LAYOUT.spec, lists=False)
    assert [f.text for f in flowables] == ["Text."]


def test_summary_sample_is_valid_markdown():
    flowables = markup(Path(LAYOUTS.parent / "inputs" / "escalation.md").read_text())
    assert len(flowables) >= 4
