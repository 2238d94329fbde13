"""Property-based tests of the summary's live figures: any summary text either renders, with no
figure left as typed, or fails with findings located at a line and column of the summary.

Summaries are drawn from any text and from fragments that matter here: braces, backticks,
fences, indentation, escapes, quotes, list and quote markers, figure names and arguments right
and wrong. The examples are the same on every run; ``HYPOTHESIS_EXAMPLES_SCALE`` multiplies
their number and ``HYPOTHESIS_RANDOM=1`` draws new ones (see test_properties.py).
"""

from __future__ import annotations

import os
import re
from dataclasses import replace

from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

import timeline_pdf as tp
from conftest import LAYOUTS, SAMPLE_WORKBOOK
from pdf_helpers import text_of
from timeline_pdf.errors import FINDING_CODES, TextFinding, WorkbookError
from timeline_pdf.layout import load_layout
from timeline_pdf.fonts import document_fonts
from timeline_pdf.render.markdown import summary_flowables
from timeline_pdf.render.styles import build_styles
from timeline_pdf.summary import check_summary, fill_summary

SCALE = float(os.environ.get("HYPOTHESIS_EXAMPLES_SCALE", "1"))
SUMMARY_EXAMPLES = int(400 * SCALE)
BRIEF_EXAMPLES = int(25 * SCALE)
SAMPLE = tp.load(SAMPLE_WORKBOOK)
LAYOUT = load_layout(LAYOUTS / "brief.toml")
STYLES = build_styles(LAYOUT.spec, document_fonts(LAYOUT))


def examples(count: int):
    return settings(max_examples=count, deadline=None, derandomize=os.environ.get("HYPOTHESIS_RANDOM") is None, suppress_health_check=list(HealthCheck), database=None)


NAMES = st.sampled_from(["attacks", "events", "killed", "wounded", "new_events", "atacks", "Attacks", "kills", "", "="])
KEYS = st.sampled_from(["since", "until", "category", "group", "as", "sinse", "grup", "", "category "])
VALUES = st.sampled_from(["2020-01-03", "reference", "2020-02-30", "2020-1-3", "1500-01-01", "9999-12-31", '"Rocket attack"', "'Rocket attack'", "“US strike”",
                          '"Rocket', "US", "us", "Iraqi", "Marines", "words", "word", "digits", "", '""', "`x`", "}", "{{"])
FIGURE = st.builds(lambda name, pairs, gap: "{{" + gap + name + "".join(f" {k}={v}" for k, v in pairs) + gap + "}}",
                   NAMES, st.lists(st.tuples(KEYS, VALUES), max_size=3), st.sampled_from([" ", "", "\n", "  "]))
WELL_FORMED = st.sampled_from(["{{ attacks }}", "{{events}}", "{{ attacks since=reference }}", "{{ attacks since=2020-01-03 category=\"Rocket attack\" }}",
                               "{{ killed group=US }}", "{{ wounded\nsince=2020-01-09 group=us as=words }}", "{{ events until=2019-12-31 as=words }}",
                               "{{ killed category='Mob attack' }}", "{{ wounded since=1500-01-01 until=2020-01-02 }}"])
FRAGMENT = st.sampled_from(["{{", "}}", "{", "}", " ", "\n", "\n\n", "`", "``", "```\n", "\n```\n", "    ", "\t", "\\", "\\{{", "=", '"', "'", "“", "”",
                            "- ", "1. ", "16.", ") ", "> ", "# ", "*", "_", "[a](https://example.org/x)", "<b>", "&amp;", "😀", "\u200b", "١٢٣", "\r\n", "\x00"])
SUMMARY = st.one_of(
    st.text(max_size=80),
    st.lists(st.one_of(WELL_FORMED, FIGURE, FRAGMENT, st.text(max_size=6)), max_size=24).map("".join),
)


def assert_located(text: str, findings) -> None:
    """Every finding names the summary, a line of it and a column on that line."""
    lines = re.split(r"\r\n?|\n", text)
    assert findings
    for finding in findings:
        assert isinstance(finding, TextFinding) and finding.severity == "error"
        assert finding.code.startswith("figure-") and finding.code in FINDING_CODES
        assert finding.file == "summary.md" and 1 <= finding.line <= len(lines)
        assert 1 <= finding.col <= len(lines[finding.line - 1]) + 1, (finding, lines[finding.line - 1])
        assert str(finding).startswith(f"summary.md:{finding.line}:{finding.col}: error: ") and finding.hint


def prose(markdown: str) -> str:
    """The text a reader sees outside code, from markdown-it's parse."""
    tokens = MarkdownIt("commonmark", {"html": False}).parse(markdown)
    return "".join(c.content for t in tokens if t.children for c in t.children if c.type in ("text", "html_inline"))


@examples(SUMMARY_EXAMPLES)
@given(SUMMARY)
def test_any_summary_text_renders_or_fails_with_located_findings(text):
    report = replace(SAMPLE.model, summary_markdown=text, summary_file="summary.md")
    checked = check_summary(text, report, "summary.md")
    try:
        filled = fill_summary(report)
    except WorkbookError as error:
        event("a located finding")
        assert_located(text, error.findings)
        only_at_build = all(f.code == "figure-unavailable" for f in error.findings)  # new_events: no previous edition
        assert checked or only_at_build
        if checked:
            assert_located(text, checked)
        return
    assert not checked  # what validate rejects is never printed
    event("renders" + (" live figures" if filled != text.replace("\r\n", "\n").replace("\r", "\n") else ""))
    summary_flowables(filled, STYLES, LAYOUT.spec)  # and what fills, renders
    if "\\" not in text:  # an escaped \{{ prints as braces, by design
        assert "{{" not in prose(filled)


@examples(BRIEF_EXAMPLES)
@given(SUMMARY)
def test_any_summary_text_builds_the_brief_or_fails_with_located_findings(tmp_path_factory, text):
    report = replace(SAMPLE, model=replace(SAMPLE.model, summary_markdown=text, summary_file="summary.md"))
    out = tmp_path_factory.mktemp("brief")
    try:
        written = tp.build(report, out=out, layouts=["brief"], layouts_folder=LAYOUTS)
    except WorkbookError as error:
        event("a located finding")
        assert_located(text, error.findings)
        assert not list(out.iterdir())  # nothing written
        return
    (pdf,) = [p for p in written if p.suffix == ".pdf"]
    event("builds")
    if "\\" not in text and "`" not in text and "    " not in text and "\t" not in text:  # no code, no escape
        assert "{{" not in text_of(pdf)
