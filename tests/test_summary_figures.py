"""Live figures in the summary: values from the one figures count, mistakes as located findings.

Expected values come from ``pandas.read_excel`` on the same workbook (``test_api.pandas_count``),
never through our loader; the workbook has blank and zero casualties and an ``Include = no`` row.
"""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from markdown_it import MarkdownIt

import timeline_pdf as tp
from conftest import LAYOUTS, ROOT, SAMPLE_WORKBOOK
from pdf_helpers import text_of
from test_api import HEADERS, REPORT, ROWS, pandas_count
from timeline_pdf.build import build
from timeline_pdf.cli import cli
from timeline_pdf.edition import edition_for
from timeline_pdf.errors import TextFinding
from timeline_pdf.metrics import Count
from timeline_pdf.summary import check_summary, fill_summary
from xlsx_helpers import SAMPLE_CATEGORIES, write_workbook

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTION = README.split("## Live figures in the summary", 1)[1].split("\n## ", 1)[0]


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def workbook_with(folder: Path, summary: str, report: dict | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fixture.md").write_text(summary, encoding="utf-8")
    return write_workbook(folder / "fixture.xlsx", ROWS, headers=HEADERS, categories=SAMPLE_CATEGORIES, report=REPORT if report is None else report)


@pytest.fixture(scope="module")
def fixture_report(tmp_path_factory):
    return tp.load(workbook_with(tmp_path_factory.mktemp("live"), "No figures.\n")).model


def filled(report, summary: str) -> str:
    return fill_summary(replace(report, summary_markdown=summary, summary_file="inputs/fixture.md"))


def mistakes(report, summary: str) -> list[TextFinding]:
    return check_summary(summary, report, "inputs/fixture.md")


# --- values -------------------------------------------------------------------------------------

FIGURES = [
    ("attacks", {}),
    ("events", {}),
    ("attacks", {"since": "2020-01-03"}),
    ("attacks", {"since": "reference", "category": '"Rocket attack"'}),
    ("events", {"since": "1400-01-01", "until": "2020-01-31"}),
    ("killed", {}),
    ("wounded", {}),
    ("killed", {"group": "US"}),
    ("wounded", {"group": "US", "since": "2020-01-06"}),
    ("killed", {"group": '"iraqi forces"', "category": "'Rocket attack'"}),
    ("wounded", {"group": "Iraqi-Forces", "until": "2020-02-29"}),
    ("killed", {"since": "2020-03-02"}),
]


def expected_text(path: Path, name: str, arguments: dict) -> str:
    since = {"reference": date(2020, 1, 3)}.get(arguments.get("since", ""), None) or date.fromisoformat(arguments.get("since", "2020-01-01"))
    until = date.fromisoformat(arguments.get("until", "2020-03-31"))
    category = arguments.get("category", "").strip("\"'") or None
    group = {"us": "US", "iraqi forces": "Iraqi Forces", "iraqi-forces": "Iraqi Forces"}.get(arguments.get("group", "").strip("\"'").lower())
    counted = pandas_count(path, since, until, category, group)
    if name in ("killed", "wounded"):
        return str(Count(*counted[name]))  # the brief's own wording for the numbers pandas found
    return f"{counted[name]:,}"


def test_live_figures_equal_an_independent_pandas_count(tmp_path):
    lines = [f"F{i}: {{{{ {name} {' '.join(f'{k}={v}' for k, v in arguments.items())} }}}}." for i, (name, arguments) in enumerate(FIGURES)]
    path = workbook_with(tmp_path, "\n\n".join(lines) + "\n")
    report = tp.load(path)
    assert not [f for f in report.findings if f.severity != "note"]
    expected = [f"F{i}: {expected_text(path, name, arguments)}." for i, (name, arguments) in enumerate(FIGURES)]
    assert filled(report.model, report.summary).split("\n\n") == [line + ("\n" if i == len(expected) - 1 else "") for i, line in enumerate(expected)]
    assert "at least" in " ".join(expected) and "not reported" in " ".join(expected)  # the fixture has blanks where they count
    written = tp.build(report, out=tmp_path / "out", layouts=["brief", "page"], layouts_folder=LAYOUTS)
    (brief,) = [p for p in written if p.suffix == ".pdf"]
    text = text_of(brief)
    assert all(line in text for line in expected), [line for line in expected if line not in text]
    assert "{{" not in text
    (page,) = [p for p in written if p.suffix == ".html"]
    summary = BeautifulSoup(page.read_bytes(), "html5lib").find("section", class_="summary")
    assert [" ".join(p.get_text().split()) for p in summary.find_all("p")] == expected  # the page's live figures are the brief's


def test_the_sample_brief_prints_its_live_figures(sample_products):
    text = text_of(sample_products["brief"])
    assert "The period saw 16 attacks on US and coalition positions, 14 of them with rockets." in text
    assert "seven more by the end of March, wounding at least 3 US service members." in text
    assert "(9 since January 3)" in text
    assert "{{" not in text and "}}" not in text


def test_the_readme_example_reads_as_documented(project):
    example = re.search(r"```markdown\n(.*?)```", SECTION, re.DOTALL)[1]
    quoted = " ".join(re.search(r'prints in the brief built from the sample workbook as "(.*?)"', SECTION, re.DOTALL)[1].split())
    report = tp.load(Path("inputs/escalation.xlsx")).model
    assert " ".join(filled(report, example).split()) == quoted


def test_the_readme_mistakes_are_what_validate_prints(project):
    summary, output = re.findall(r"mistakes:\n\n```markdown\n(.*?)```\n\n```\n(.*?)```", SECTION, re.DOTALL)[0]
    (project / "inputs" / "escalation.md").write_text(summary, encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 1
    assert result.output == output
    assert len([line for line in output.splitlines() if ": error: " in line]) == 3


def test_as_words_thousands_and_numbers_at_a_line_start():
    frame = pd.DataFrame({"date": ["2020-01-05"] * 1234, "category": ["Rocket attack"] * 1234, "description": [f"Attack {n}." for n in range(1234)]})
    summary = "{{ events }} events, {{ attacks as=words }} attacks.\n{{ attacks }}. That is all.\n\n- {{ events }}) listed\n"
    report = tp.from_frame(frame, summary=summary, info={"Period Start": "2020-01-01", "Period End": "2020-01-31"})
    text = fill_summary(report.model)
    assert text.startswith("1,234 events, one thousand, two hundred and thirty-four attacks.\n")
    tokens = MarkdownIt("commonmark").parse(text)
    assert not [t for t in tokens if t.type in ("ordered_list_open",)]  # "1,234." never begins a numbered list
    assert "1,234\\. That is all." in text and "- 1,234\\) listed" in text


def test_casualty_wording_in_words_is_counts_own(fixture_report):
    text = filled(fixture_report, "{{ wounded as=words }} / {{ killed group=US as=words since=2020-03-02 }}")
    digits = filled(fixture_report, "{{ wounded }} / {{ killed group=US since=2020-03-02 }}")
    assert text == "at least one hundred and ten / two" and digits == "at least 110 / 2"


# --- where figures are not ---------------------------------------------------------------------


def test_code_spans_code_blocks_and_escapes_are_left_alone(fixture_report):
    summary = (
        "Live {{ attacks }}, `{{ attacks }}`, ``code with ` and {{ atacks }}``, \\{{ attacks }} and `` ` `` {{ events }}.\n\n"
        "A span across lines: `{{ broken\nstill code }}` then {{ attacks }}.\n\n"
        "```\n{{ nothing here }}\n```\n\n"
        "    {{ indented code }}\n\n"
        "Unmatched ` backtick then {{ events }}.\n"
    )
    assert mistakes(fixture_report, summary) == []
    text = filled(fixture_report, summary)
    tokens = MarkdownIt("commonmark").parse(text)
    code = [t.content for t in tokens if t.type in ("fence", "code_block")] + [c.content for t in tokens if t.children for c in t.children if c.type == "code_inline"]
    assert code == ["{{ nothing here }}\n", "{{ indented code }}\n", "{{ attacks }}", "code with ` and {{ atacks }}", "`", "{{ broken still code }}"]
    prose = " ".join(c.content for t in tokens if t.children for c in t.children if c.type == "text")
    assert prose.count("{{") == 1 and "{{ attacks }} and" in prose  # only the escaped one
    assert "Live 4," in prose and "then 4." in prose and "backtick then 6." in prose


# --- mistakes -----------------------------------------------------------------------------------

MISTAKES = [
    ("Text {{ attacks\n\nmore", 1, 6, "figure-syntax", "'{{' is not closed by '}}'"),
    ("{{  }}", 1, 1, "figure-syntax", "an empty figure '{{ }}'"),
    ("{{ attacks since }}", 1, 12, "figure-syntax", "'since' is not an argument"),
    ("x {{ events since=2020-1-3 }}", 1, 19, "figure-value", "'2020-1-3' is not a date"),
    ("{{ events\n  since=2020-02-30 }}", 2, 9, "figure-value", "'2020-02-30' is not a real date: February 2020 has 29 days"),
    ("{{ attacks since=2020-02-01 until=2020-01-01 }}", 1, 35, "figure-value", "until=2020-01-01 is before since=2020-02-01"),
    ("{{ attacks group=US }}", 1, 12, "figure-argument", "'attacks' does not take group="),
    ("{{ new_events since=2020-01-01 }}", 1, 15, "figure-argument", "'new_events' does not take since="),
    ("{{ killed group=Marines }}", 1, 17, "figure-value", "the workbook has no casualty group 'Marines'"),
    ("{{ wounded category=\"US strike\" }}", 1, 22, "figure-value", "'US strike' is not a kind of attack (its kind is response), so it has no casualties in attacks"),
    ("{{ attacks since=2020-01-01 since=2020-01-02 }}", 1, 29, "figure-argument", "'since' is given twice"),
    ("{{ events as=word }}", 1, 14, "figure-value", "as=word is not a way to write a number; did you mean 'words'?"),
    ("{{ events categroy=x }}", 1, 11, "figure-argument", "unknown argument 'categroy'; did you mean 'category'?"),
    ("{{ attacks category=\"Rocket attack }}", 1, 12, "figure-syntax", "the argument 'category' has an unclosed quote"),
    ("{{ attacks `x` }}", 1, 12, "figure-syntax", "a figure cannot hold '`'"),
    ("{{ = }}", 1, 4, "figure-syntax", "a figure must begin with its name"),
    ("- item\n- {{ Attacks }}", 2, 6, "figure-unknown", "unknown figure 'Attacks'; did you mean 'attacks'?"),
]


@pytest.mark.parametrize("summary, line, col, code, message", MISTAKES, ids=[m[3] + ":" + m[4][:30] for m in MISTAKES])
def test_each_mistake_is_a_finding_at_its_line_and_column(fixture_report, summary, line, col, code, message):
    (finding,) = mistakes(fixture_report, summary)
    assert (finding.line, finding.col, finding.code, finding.message) == (line, col, code, message)
    assert str(finding).startswith(f"inputs/fixture.md:{line}:{col}: error: {message}")
    assert finding.to_dict()["line"] == str(line) and finding.hint
    with pytest.raises(tp.WorkbookError):  # never printed as typed
        filled(fixture_report, summary)


def test_since_reference_needs_a_reference_date(tmp_path):
    path = workbook_with(tmp_path, "{{ attacks since=reference }}\n", report={"Period Start": datetime(2020, 1, 1), "Period End": datetime(2020, 3, 31)})
    with pytest.raises(tp.WorkbookError) as error:
        tp.load(path)
    (finding,) = [f for f in error.value.findings if f.severity == "error"]
    assert str(finding).startswith(f"{tmp_path / 'fixture.md'}:1:18: error: since=reference, but the Report sheet gives no Reference Date")


def test_a_mistake_stops_the_build_and_keeps_the_previous_pdfs(project):
    assert run("build", "--layout", "brief").exit_code == 0
    brief = project / "output" / "escalation-brief.pdf"
    before = brief.read_bytes()
    summary = project / "inputs" / "escalation.md"
    text = summary.read_text(encoding="utf-8") + "\nAnd {{ attacks category=Rockets }} more.\n"
    summary.write_text(text, encoding="utf-8")
    result = run("build", "--layout", "brief")
    assert result.exit_code == 1
    line = len(text.splitlines())
    assert f"inputs/escalation.md:{line}:25: error: the workbook has no category 'Rockets'; did you mean 'Rocket attack'?" in result.output
    assert brief.read_bytes() == before


def test_new_events_counts_from_the_previous_edition(tmp_path):
    path = workbook_with(tmp_path, "{{ new_events }} new.\n", report={**REPORT, "Period Start": None, "Period End": None})
    result = run("build", str(path), "--layout", str(LAYOUTS / "brief.toml"), "--edition", "2020-01", "--out", str(tmp_path / "out"))
    assert result.exit_code == 1  # the first edition has nothing to count from
    assert f"{tmp_path / 'fixture.md'}:1:4: error: 'new_events' needs the previous edition, and this build has none" in result.output
    (tmp_path / "fixture.md").write_text("Nothing live.\n", encoding="utf-8")
    assert run("build", str(path), "--layout", str(LAYOUTS / "brief.toml"), "--edition", "2020-01", "--out", str(tmp_path / "out")).exit_code == 0
    (tmp_path / "fixture.md").write_text("{{ new_events }} new, {{ new_events as=words }}.\n", encoding="utf-8")
    result = run("build", str(path), "--layout", str(LAYOUTS / "brief.toml"), "--edition", "2020-02", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert "2 new, two." in text_of(tmp_path / "out" / "fixture-brief-2020-02.pdf")  # the strike and the politics row of February


def test_figures_in_a_frame_summary_are_checked_against_the_frame():
    frame = pd.DataFrame({"date": ["2020-01-05"], "category": ["Rocket attack"], "description": ["x"]})
    with pytest.raises(tp.WorkbookError) as error:
        tp.from_frame(frame, summary="One {{ killed }}.")
    (finding,) = [f for f in error.value.findings if f.severity == "error"]
    assert str(finding).startswith("summary:1:8: error: 'killed' needs casualty columns, and the workbook has none")


def test_a_shipped_template_summary_shows_a_figure_as_code(tmp_path):
    assert run("init", str(tmp_path)).exit_code == 0
    report = tp.load(tmp_path / "inputs" / "escalation.xlsx")
    assert "`{{ attacks since=reference }}`" in fill_summary(report.model)
    shutil.rmtree(tmp_path / "inputs")


def test_a_figure_outside_the_period_is_a_finding_not_a_zero(tmp_path):
    """since= after the period's end, or until= before its start, would print 0: a finding at
    the figure, in validate and in an edition's build alike."""
    import timeline_pdf as tp

    report = tp.load(SAMPLE_WORKBOOK)
    for choice, message in (({"since": "2021-01-01"}, "since=2021-01-01 is after the end of the period"),
                            ({"until": "2019-09-01"}, "until=2019-09-01 is before the start of the period")):
        with pytest.raises(tp.TimelinePdfError) as error:
            tp.figures(report, **choice)
        assert message in str(error.value)
    with pytest.raises(tp.WorkbookError) as error:  # the sample's summary counts from January 2020
        build(SAMPLE_WORKBOOK, ("brief",), tmp_path / "out", LAYOUTS, edition=edition_for("2019-12", None))
    assert any(isinstance(f, TextFinding) and f.line and "is after the end of the period (December 1 – December 31, 2019)" in f.message for f in error.value.findings)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_a_figure_in_a_link_definition_is_a_finding_not_literal_braces():
    """Link reference definitions are not prose: a figure there would never be filled in."""
    from timeline_pdf.summary import scan

    figures, mistakes = scan('In all {{ attacks }}.\n\n[r]: https://example.com/{{attacks}} "{{ atacks }}"\n\n```\n{{ code is left alone }}\n```\n')
    assert [f.name for f in figures] == ["attacks"]
    assert [(m.code, m.at) for m in mistakes] == [("figure-syntax", 48), ("figure-syntax", 61)]
