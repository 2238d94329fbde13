"""Typographic quotes in printed text: what the analyst typed is kept in the model, straight
quotes print as typographic ones in both PDFs (cells, Report values, summary, charts), links,
e-mail addresses and code are never changed, and a layout switches it off."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from conftest import LAYOUTS
from pdf_helpers import link_uris, text_of
from timeline_pdf.build import build
from timeline_pdf.manifest import event_hashes
from timeline_pdf.typography import INNER_APOSTROPHE, smarten
from timeline_pdf.validate import load_report
from xlsx_helpers import write_workbook


@pytest.mark.parametrize(("typed", "printed"), [
    ("Kata'ib Hezbollah", "Kata’ib Hezbollah"),  # an apostrophe inside a word
    ("the soldiers' base", "the soldiers’ base"),  # a plural possessive
    ('"Islamic Resistance in Iraq"', "“Islamic Resistance in Iraq”"),
    ("He said \"it's 'over' now\"", "He said “it’s ‘over’ now”"),  # nested quotes
    ("\"The 'Kata'ib' group\"", "“The ‘Kata’ib’ group”"),  # an apostrophe inside nested quotes
    ('("quoted") and [\'listed\']', "(“quoted”) and [‘listed’]"),  # after opening brackets
    ("attacks —'retaliation'— resumed", "attacks —‘retaliation’— resumed"),  # after a dash
    ('"Hello," she said.', "“Hello,” she said."),
    ("in the '90s and '03", "in the ’90s and ’03"),  # leading elisions are apostrophes, not quotes
    ("'Tis rock 'n' roll", "’Tis rock ’n’ roll"),
    ('He is 5\'10" tall; a 12" gun', 'He is 5\'10" tall; a 12" gun'),  # primes stay as typed
    ("Karbalā’ and “typed”", "Karbalā’ and “typed”"),  # curly quotes typed stay
    ("Karbalā’ \"mixed\" with 'straight'", "Karbalā’ “mixed” with ‘straight’"),
    ('see "https://example.org/it\'s".', "see “https://example.org/it's”."),  # a link inside quotes is left alone
    ("read https://example.org/a\"b'c now, 'then'", "read https://example.org/a\"b'c now, ‘then’"),
    ("https://example.org/a'b\"c", "https://example.org/a'b\"c"),  # a link alone is never changed
    ("write to o'brien@example.org or 'mailto:o'neil@example.org'", "write to o'brien@example.org or ‘mailto:o'neil@example.org’"),
    ("www.example.org/it's 'x'", "www.example.org/it's ‘x’"),
    ('"unclosed quote', '"unclosed quote'),  # nothing to pair: left as typed
    ("no quotes at all", "no quotes at all"),
])
def test_smarten(typed, printed):
    assert smarten(typed) == printed
    assert smarten(printed) == printed  # idempotent: typographic marks are not touched again


SUMMARY = (
    "Militias said \"the 'resistance' continues\" in the '90s manner, but Kata'ib denied it. "
    "Code `Kata'ib \"x\"` stays, and so do [the \"report\"](https://example.org/report's-\"page\") and <https://example.org/it's>.\n"
)
LINK = "https://example.org/kata'ib"


def quoted_workbook(folder: Path) -> Path:
    """Straight and curly quotes in every text column, the Report values and the summary."""
    text_columns = {
        "Actor": "Kata'ib Hezbollah and Kata’ib Sayyid al-Shuhada",
        "Target": "the \"Green Zone\" and the ‘embassy’",
        "Location": "Karbalā’, the governor's office",
        "Headline": "\"Islamic Resistance\" claims Kata’ib's strike",
        "Description": "The group's statement said \"we will 'respond'\"; “typed curly” stays. Source: " + LINK,
    }
    rows = [{"Date": date(2023, 10, 17), "Category": "Kata'ib attack", "Key Event": "yes", "Sources": LINK, **text_columns},
            {"Date": date(2023, 10, 18), "Category": "Kata'ib attack", "Description": "A second one.", "Headline": "Second"}]
    report = {"Title": "The \"Resistance\" Front's Campaign", "Subtitle": "Attacks 'claimed' and unclaimed", "Authors": "Dana O'Brien, Sam Ni’Mhaoldhomhnaigh",
              "Publisher": "Published by the Analysts' Group", "Notice": "Links marked \"*\" are foreign"}
    path = write_workbook(folder / "quoted.xlsx", rows, categories={"Kata'ib attack": "attack"}, report=report)
    path.with_suffix(".md").write_text(SUMMARY, encoding="utf-8")
    return path


def built(folder: Path, workbook: Path, smart: bool = True) -> dict[str, str]:
    layouts = folder / "layouts"
    shutil.copytree(LAYOUTS, layouts)
    if not smart:
        base = layouts / "base.toml"
        base.write_text(base.read_text(encoding="utf-8").replace("smart_quotes = true", "smart_quotes = false"), encoding="utf-8")
    products = build(workbook, ("timeline", "brief"), folder / "out", layouts).built
    return {b.layout: b.path for b in products}


def test_quotes_print_typographically_and_the_model_keeps_what_was_typed(tmp_path):
    workbook = quoted_workbook(tmp_path)
    report, _ = load_report(workbook)
    typed = report.events[0]
    assert typed.actor == "Kata'ib Hezbollah and Kata’ib Sayyid al-Shuhada" and typed.location == "Karbalā’, the governor's office"
    assert report.info.title == "The \"Resistance\" Front's Campaign"  # the model: exactly as typed
    products = built(tmp_path, workbook)
    timeline, brief = text_of(products["timeline"]), text_of(products["brief"])
    for printed in ("Kata’ib Hezbollah and Kata’ib Sayyid al-Shuhada", "the “Green Zone” and the ‘embassy’", "Karbalā’, the governor’s office",
                    "“Islamic Resistance” claims Kata’ib’s strike", "The group’s statement said “we will ‘respond’”; “typed curly” stays.",
                    "KATA’IB ATTACK", "The “Resistance” Front’s Campaign", "Attacks ‘claimed’ and unclaimed", "Dana O’Brien and Sam Ni’Mhaoldhomhnaigh",
                    "Published by the Analysts’ Group", "Links marked “*” are foreign"):
        assert printed in timeline, printed
    for printed in ("“Islamic Resistance” claims Kata’ib’s strike", "The “Resistance” Front’s Campaign",
                    "Militias said “the ‘resistance’ continues” in the ’90s manner, but Kata’ib denied it.",
                    "Code Kata'ib \"x\" stays", "the “report”", "Kata’ib attack 2"):  # the code span as typed; attacks by category
        assert printed in brief, printed
    for text in (timeline, brief):
        assert "Kata'ib" not in text.replace("Code Kata'ib", "").replace(LINK, "")  # no straight apostrophe is printed but in code and links
        assert text.count(LINK) >= 1  # links print as typed, in the description and the notes
    assert "https://example.org/it's" in brief  # an autolink's text is the link itself
    assert set(link_uris(products["timeline"])) == {LINK}
    assert set(link_uris(products["brief"])) == {LINK, "https://example.org/report's-%22page%22", "https://example.org/it's"}


def test_the_layout_switch_prints_every_mark_as_typed(tmp_path):
    products = built(tmp_path, quoted_workbook(tmp_path), smart=False)
    timeline, brief = text_of(products["timeline"]), text_of(products["brief"])
    for typed in ("Kata'ib Hezbollah and Kata’ib Sayyid al-Shuhada", "the \"Green Zone\" and the ‘embassy’", "The group's statement said \"we will 'respond'\"; “typed curly” stays.",
                  "The \"Resistance\" Front's Campaign"):
        assert typed in timeline, typed
    assert "Militias said \"the 'resistance' continues\" in the '90s manner, but Kata'ib denied it." in brief
    assert "Kata’ib attack" not in brief and "Kata'ib attack 2" in brief


def test_chart_labels_follow_the_switch(tmp_path):
    from timeline_pdf.charts.frequency import frequency_figure
    from timeline_pdf.fonts import document_fonts
    from timeline_pdf.layout.load import load_layout
    from timeline_pdf.layout.schema import Typography

    report, _ = load_report(quoted_workbook(tmp_path))
    smart = load_layout(LAYOUTS / "brief.toml")
    plain = replace(smart, spec=smart.spec.model_copy(update={"typography": Typography(smart_quotes=False)}))
    for layout, category, headline in ((smart, "Kata’ib attack", "“Islamic Resistance” claims"), (plain, "Kata'ib attack", "\"Islamic Resistance\" claims")):
        figure = frequency_figure(report, layout, document_fonts(layout), 500, 180)
        texts = [t.get_text() for ax in figure.axes for t in ax.texts] + [t.get_text() for ax in figure.axes if ax.get_legend() for t in ax.get_legend().get_texts()]
        assert category in texts and any(t.startswith(headline) for t in texts), texts


def test_event_hashes_do_not_tell_curly_quotes_from_straight(tmp_path):
    rows = [{"Date": date(2023, 10, 17), "Category": "Rocket attack", "Description": "Kata'ib \"claims\" it"}]
    curly = [{**rows[0], "Description": "Kata’ib “claims” it"}]
    straight_report, _ = load_report(write_workbook(tmp_path / "s.xlsx", rows))
    curly_report, _ = load_report(write_workbook(tmp_path / "c.xlsx", curly))
    assert curly_report.events[0].description == "Kata’ib “claims” it"
    assert event_hashes(curly_report.events) == event_hashes(straight_report.events)


@settings(max_examples=300, derandomize=True)
@given(st.text(alphabet="abZé_-.,;!? \n'", max_size=40))
def test_the_quick_path_for_apostrophes_agrees_with_the_typographer(text):
    """Texts whose only marks are apostrophes inside words take a quicker path: its result must
    be the typographer's (markdown-it-py's smartquotes) whenever the path applies."""
    if text.count("'") == len(INNER_APOSTROPHE.findall(text)):
        typographer = MarkdownIt("zero", {"typographer": True}).enable("smartquotes")
        assert smarten(text) == typographer.renderInline(text)
