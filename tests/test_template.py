"""The workbook `timeline-pdf init` writes: the sheets, the helps, and a clean validation."""

from __future__ import annotations

import shutil
from datetime import date

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import LAYOUTS
from timeline_pdf.cli import cli
from timeline_pdf.contract import EVENT_COLUMNS
from timeline_pdf.errors import TimelinePdfError
from timeline_pdf.template import events_headers, write_template
from timeline_pdf.validate import load_report


@pytest.fixture
def template(tmp_path):
    workbook, _summary, *_layouts = write_template(tmp_path)
    return workbook


def validations(sheet) -> dict[str, object]:
    """Data validation by the first column letter of its range."""
    result = {}
    for rule in sheet.data_validations.dataValidation:
        first = str(rule.sqref).split(":")[0]
        result["".join(c for c in first if c.isalpha())] = rule
    return result


def test_template_validates_cleanly(template):
    report, findings = load_report(template)
    assert [f for f in findings if f.severity != "note"] == [], [str(f) for f in findings]
    # the notes name the Report values left to fill in, and nothing else
    assert [(f.code, f.message.split(" given")[0]) for f in findings] == [
        ("report-default", "no Authors"), ("report-default", "no Period Start and Period End"), ("report-default", "no Reference Date"), ("report-default", "no Edition Date")]
    (example,) = report.events
    assert example.date == date(2020, 3, 11) and example.category == "Rocket attack" and example.key
    assert report.groups == ("US", "Coalition", "Iraqi")
    assert [c.name for c in report.categories][:2] == ["Rocket attack", "Drone attack"]
    assert report.info.title and report.summary_markdown


def test_template_sheets_headers_widths_and_frozen_header(template):
    book = load_workbook(template)
    assert book.sheetnames == ["Events", "Categories", "Report"]
    events = book["Events"]
    headers = [c.value for c in events[1]]
    assert headers == events_headers()
    assert {c.name for c in EVENT_COLUMNS} <= set(headers)
    assert events.max_row == 2  # the headers and one example row
    for sheet in book.worksheets:
        assert sheet.freeze_panes == "A2"
        assert sheet["A1"].font.bold
    letter = {h: c.column_letter for h, c in zip(headers, events[1])}
    assert events.column_dimensions[letter["Description"]].width == 60
    assert events.column_dimensions[letter["Date"]].width == 12
    for name in ("Date", "End Date"):
        assert events.column_dimensions[letter[name]].number_format == "yyyy-mm-dd"
    assert events[f"{letter['Date']}2"].number_format == "yyyy-mm-dd"
    report = book["Report"]
    assert [r[0].value for r in report.iter_rows(min_row=2)][:2] == ["Title", "Subtitle"]
    assert "Date Order" in [r[0].value for r in report.iter_rows(min_row=2)]


def test_template_drop_downs_and_input_messages(template):
    events = load_workbook(template)["Events"]
    headers = [c.value for c in events[1]]
    letter = {h: c.column_letter for h, c in zip(headers, events[1])}
    rules = validations(events)
    assert set(rules) == set(letter.values()), "every column has an input message"
    for header, column in letter.items():
        rule = rules[column]
        assert rule.showInputMessage and rule.prompt and rule.promptTitle, header
        assert str(rule.sqref) == f"{column}2:{column}2001"
    category = rules[letter["Category"]]
    assert category.type == "list" and category.formula1.startswith("=Categories!$A$2")
    for flag in ("Key Event", "Include"):
        assert rules[letter[flag]].type == "list" and rules[letter[flag]].formula1 == '"yes,no"'
    killed = rules[letter["US Killed"]]
    assert killed.type == "whole" and killed.operator == "greaterThanOrEqual" and killed.formula1 == "0"
    assert "blank" in killed.prompt.lower()
    kinds = validations(load_workbook(template)["Categories"])["B"]
    assert kinds.type == "list" and "attack" in kinds.formula1


def test_a_filled_in_template_still_validates(template):
    book = load_workbook(template)
    events = book["Events"]
    headers = [c.value for c in events[1]]
    row = dict.fromkeys(headers)
    row.update({"Date": date(2020, 3, 14), "Category": "Drone attack", "Description": "A drone strikes near Erbil airport.", "US Wounded": 0, "Include": "yes"})
    events.append([row[h] for h in headers])
    book.save(template)
    report, findings = load_report(template)
    assert [f for f in findings if f.severity != "note"] == [] and len(report.events) == 2


def test_init_does_not_overwrite_without_force(tmp_path):
    write_template(tmp_path)
    with pytest.raises(TimelinePdfError) as info:
        write_template(tmp_path)
    assert "already exists" in str(info.value) and "--force" in info.value.hint
    assert len(write_template(tmp_path, force=True)) == 2  # the existing layouts/ is kept


def test_init_command(tmp_path):
    runner = CliRunner()
    result = runner.invoke(cli, ["init", str(tmp_path / "project")])
    assert result.exit_code == 0, result.output
    workbook = tmp_path / "project" / "inputs" / "escalation.xlsx"
    assert f"wrote {workbook}" in result.output
    assert (tmp_path / "project" / "inputs" / "escalation.md").is_file()
    again = runner.invoke(cli, ["init", str(tmp_path / "project")])
    assert again.exit_code == 1 and "already exists" in again.output and "Traceback" not in again.output
    checked = runner.invoke(cli, ["validate", "--strict", str(workbook)])
    assert checked.exit_code == 0 and "1 events" in checked.output and "0 warning(s), 4 note(s)" in checked.output


def test_a_new_project_gets_the_shipped_layouts_and_builds(tmp_path, monkeypatch):
    written = write_template(tmp_path)
    assert sorted(p.name for p in written if p.suffix == ".toml") == sorted(p.name for p in LAYOUTS.glob("*.toml"))
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--layout", "timeline"])
    assert result.exit_code == 0, result.output


def test_shipped_layouts_are_the_projects_layouts():
    """The package carries a copy of layouts/ for new projects: the two must not drift apart."""
    from timeline_pdf.layout.load import SHIPPED_LAYOUTS

    shipped = {p.name: p.read_bytes() for p in SHIPPED_LAYOUTS.glob("*.toml")}
    assert shipped == {p.name: p.read_bytes() for p in LAYOUTS.glob("*.toml")}


def test_build_without_a_layouts_folder_uses_the_shipped_layouts(tmp_path, monkeypatch):
    write_template(tmp_path)
    shutil.rmtree(tmp_path / "layouts")
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "--layout", "timeline"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "output" / "escalation-timeline.pdf").exists()
