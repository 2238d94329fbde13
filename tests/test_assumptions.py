"""Nothing is assumed silently: a workbook without its Report or Categories sheet (or with Report
values left out) gets a note for each default used, saying how to set it, from `validate` and
`build`, in text and JSON; and each product's default title fits the product."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

from click.testing import CliRunner
from openpyxl import Workbook
from pypdf import PdfReader

from conftest import LAYOUTS
from pdf_helpers import text_of
from timeline_pdf.build import build
from timeline_pdf.cli import cli
from timeline_pdf.validate import load_report
from xlsx_helpers import write_workbook

EVENTS = [
    (date(2023, 10, 17), "Drone attack", "One-way drones target al-Asad Air Base."),
    (date(2023, 10, 18), "Rocket attack", "Rockets land near Victory Base Complex."),
    (date(2023, 11, 1), "IED", "A roadside bomb hits a logistics convoy."),
    (date(2023, 11, 21), "US strike", "US aircraft strike two sites near Jurf al-Sakhar."),
]
FIX_REPORT = "add a sheet named 'Report' with the columns Field and Value, one row per setting (see the README; 'timeline-pdf init' writes a workbook with one)"
FIX_CATEGORIES = "add a sheet named 'Categories' with the columns Category and Kind (attack, response, political or other) to say which categories are attacks"
NOTES = [  # (code, sheet, message, fix) for a workbook of EVENTS alone
    ("report-missing", "", "the workbook has no Report sheet, so the title, byline, period and dates are defaults (a note for each says which)", FIX_REPORT),
    ("report-default", "", "no Title given: each product prints its layout's default title ('Event Timeline' on the timeline, 'Event Brief' on the brief, and 'Event Update' on the page with the shipped layouts)",
     "add a row 'Title' with the publication's title to the Report sheet; it is printed on every product"),
    ("report-default", "", "no Authors given: the products print no byline", "add a row 'Authors' with the names, separated by commas, to the Report sheet"),
    ("report-default", "", "no Period Start and Period End given: the products cover the span of the events, October 17 – November 21, 2023 (a build with --edition covers its month)",
     "add the rows 'Period Start' and 'Period End' with the first and last day to cover to the Report sheet"),
    ("report-default", "", "no Reference Date given: the brief counts attacks and casualties in the period only, with no running count since a date",
     "add a row 'Reference Date' with the day to count from (such as the start of the escalation) to the Report sheet"),
    ("report-default", "", "no Edition Date given: the products print no edition date", "add a row 'Edition Date' with the day of publication to the Report sheet"),
    ("categories-missing", "", "the workbook has no Categories sheet, so each category's kind follows from its name (ending in 'attack': attack; in 'strike': response; "
     "mentioning politics: political; else other), and the brief's figures count only attacks; counted as attacks: 'Drone attack', 'Rocket attack'; "
     "not counted: 'IED' (other), 'US strike' (response)", FIX_CATEGORIES),
]


def events_only(path: Path) -> Path:
    """A workbook of one sheet, Events, as an analyst might start one; with a summary beside it."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Events"
    sheet.append(["Date", "Category", "Description"])
    for row in EVENTS:
        sheet.append(list(row))
    book.save(path)
    path.with_suffix(".md").write_text("Attacks rose after October 17.\n", encoding="utf-8")
    return path


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_an_events_sheet_alone_gets_a_note_for_each_assumption(tmp_path):
    report, findings = load_report(events_only(tmp_path / "events.xlsx"))
    assert len(report.events) == 4
    assert [(f.code, f.sheet, f.message, f.hint) for f in findings] == NOTES
    assert {f.severity for f in findings} == {"note"}


def test_validate_prints_the_notes_and_counts_them(tmp_path):
    workbook = events_only(tmp_path / "events.xlsx")
    text = run("validate", str(workbook))
    assert text.exit_code == 0
    for _code, _sheet, message, fix in NOTES:
        assert f"{workbook}: note: {message}\n    fix: {fix}" in text.output
    assert text.output.rstrip().endswith(f"{workbook}: 4 events, 0 excluded (Include = no), no errors, 0 warning(s), 7 note(s)")
    document = json.loads(run("validate", "--format", "json", str(workbook)).stdout)
    assert (document["ok"], document["errors"], document["warnings"], document["notes"]) == (True, 0, 0, 7)
    assert [(f["severity"], f["code"], f["message"], f["hint"]) for f in document["findings"]] == [("note", code, message, fix) for code, _sheet, message, fix in NOTES]


def test_build_prints_the_notes_and_titles_each_product_for_itself(tmp_path, monkeypatch):
    workbook = events_only(tmp_path / "events.xlsx")
    shutil.copytree(LAYOUTS, tmp_path / "layouts")
    monkeypatch.chdir(tmp_path)
    text = run("build", str(workbook), "--out", "out")
    assert text.exit_code == 0, text.output
    for _code, _sheet, message, _fix in NOTES:
        assert f"note: {message}" in text.output
    document = json.loads(run("build", str(workbook), "--out", "out", "--format", "json").stdout)
    from_workbook = [f for f in document["findings"] if f["file"] == str(workbook)]  # the layouts may add notes of their own (unused palette entries)
    assert [(f["severity"], f["code"]) for f in from_workbook] == [("note", code) for code, *_ in NOTES]
    assert document["notes"] == 7 + sum(f["code"].startswith("layout-") for f in document["findings"])
    timeline, brief = Path("out/events-timeline.pdf"), Path("out/events-brief.pdf")
    assert PdfReader(timeline).metadata.title == "Event Timeline"
    assert PdfReader(brief).metadata.title == "Event Brief"
    assert "Event Brief" in text_of(brief) and "Event Timeline" not in text_of(brief)
    assert " By " not in text_of(brief)  # no byline
    assert "October 17 – November 21, 2023" in text_of(timeline)  # the span of the events, as the note says


def test_the_report_sheets_title_wins_and_a_layout_sets_its_own_default(tmp_path):
    rows = [{"Date": day, "Category": category, "Description": text} for day, category, text in EVENTS]
    layouts = tmp_path / "layouts"
    shutil.copytree(LAYOUTS, layouts)
    brief_layout = layouts / "brief.toml"
    brief_layout.write_text(brief_layout.read_text(encoding="utf-8").replace('default_title = "Event Brief"', 'default_title = "Iraq and Syria Brief"'), encoding="utf-8")
    untitled = write_workbook(tmp_path / "untitled.xlsx", rows, headers=["Date", "Category", "Description"], report={"Authors": "A. Analyst"})
    built = {b.layout: b.path for b in build(untitled, ("brief", "timeline"), tmp_path / "out", layouts).built}
    assert PdfReader(built["brief"]).metadata.title == "Iraq and Syria Brief"
    assert PdfReader(built["timeline"]).metadata.title == "Event Timeline"
    titled = write_workbook(tmp_path / "titled.xlsx", rows, headers=["Date", "Category", "Description"], report={"Title": "Attacks on US Forces", "Authors": "A. Analyst"})
    built = {b.layout: b.path for b in build(titled, ("brief", "timeline"), tmp_path / "out", layouts).built}
    assert {PdfReader(path).metadata.title for path in built.values()} == {"Attacks on US Forces"}


def test_a_report_sheet_with_values_left_out_names_only_those(tmp_path):
    rows = [{"Date": day, "Category": category, "Description": text} for day, category, text in EVENTS]
    path = write_workbook(tmp_path / "e.xlsx", rows, headers=["Date", "Category", "Description"], categories={name: "attack" for _d, name, _t in EVENTS},
                          report={"Title": "Attacks on US Forces", "Authors": "A. Analyst", "Period Start": date(2023, 10, 1), "Period End": date(2023, 11, 30)})
    _report, findings = load_report(path)
    notes = [f for f in findings if f.severity == "note"]
    assert [(f.code, f.sheet, f.message.split(" given")[0]) for f in notes] == [("report-default", "Report", "no Reference Date"), ("report-default", "Report", "no Edition Date")]


def test_a_csv_is_told_that_only_a_workbook_holds_those_sheets(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text("Date,Category,Description\n2023-10-17,Drone attack,Drones target al-Asad Air Base.\n", encoding="utf-8")
    _report, findings = load_report(path)
    hints = {f.code: f.hint for f in findings if f.code in ("report-missing", "categories-missing")}
    assert hints == {
        "report-missing": "a .csv file holds only the events: save it as an Excel workbook (.xlsx), then add a sheet named 'Report' with the columns Field and Value (see the README)",
        "categories-missing": "a .csv file holds only the events: save it as an Excel workbook (.xlsx), then add a sheet named 'Categories' with the columns Category and Kind (see the README)",
    }



def test_every_hint_to_a_csv_can_be_followed_in_a_csv(tmp_path):
    """A .csv file has no Report sheet to add a row to: each hint that would say so tells how
    to get one (save as .xlsx) or, for the date order, the mapping file's way instead."""
    path = tmp_path / "events.csv"
    path.write_text("Date,Category,Description\n2023-10-17,Drone attack,Drones target al-Asad Air Base.\n", encoding="utf-8")
    _report, findings = load_report(path)
    defaults = [f.hint for f in findings if f.code == "report-default"]
    assert len(defaults) == 5 and not [h for h in defaults if "to the Report sheet" in h]
    assert defaults[0] == ("a .csv file holds only the events: save it as an Excel workbook (.xlsx), then add a row 'Title' with the publication's title "
                           "to a Report sheet; it is printed on every product")
    path.write_text("Date,Category,Description\n11/03/2020,Drone attack,Drones target al-Asad Air Base.\n", encoding="utf-8")
    (ambiguous,) = [f for f in failure_findings(path) if f.code == "date-ambiguous"]
    assert "Report sheet" not in ambiguous.hint.split(";")[0] and "(.xlsx)" in ambiguous.hint and 'date_order = "dmy"' in ambiguous.hint
    xlsx = write_workbook(tmp_path / "events.xlsx", [{"Date": "11/03/2020", "Category": "Drone attack", "Description": "x"}], headers=["Date", "Category", "Description"])
    (ambiguous,) = [f for f in failure_findings(xlsx) if f.code == "date-ambiguous"]  # a workbook can have the row: the hint says where
    assert ambiguous.hint == "enter it as YYYY-MM-DD, or add a row 'Date Order' with 'day first' or 'month first' to the Report sheet"


def test_a_live_figures_hint_to_a_csv_can_be_followed_in_a_csv(tmp_path):
    """The summary's figures point at the Report sheet too: for a .csv file the hint says how
    to get one first; for a workbook, where the row goes."""
    for name in ("events.csv", "events.xlsx"):
        folder = tmp_path / name.replace(".", "-")
        folder.mkdir()
        if name.endswith(".csv"):
            path = folder / name
            path.write_text("Date,Category,Description\n2023-10-17,Drone attack,Drones target al-Asad Air Base.\n", encoding="utf-8")
        else:
            path = write_workbook(folder / name, [{"Date": date(2023, 10, 17), "Category": "Drone attack", "Description": "Drones target al-Asad Air Base."}],
                                  headers=["Date", "Category", "Description"], report={"Period Start": date(2023, 10, 1), "Period End": date(2023, 10, 31)})
        (folder / "events.md").write_text("{{ attacks since=reference }} and {{ attacks since=2024-01-01 }}\n", encoding="utf-8")
        hints = [f.hint for f in failure_findings(path) if f.code == "figure-value"]
        if name.endswith(".csv"):
            assert len(hints) == 2 and all("a .csv file holds only the events" in hint and "to the Report sheet" not in hint for hint in hints), hints
        else:
            assert hints == ["add a row 'Reference Date' with the day to count from to the Report sheet; or write the day as since=YYYY-MM-DD",
                             "choose a day within the period, or move Period End on the Report sheet (an edition covers its month)"]


def failure_findings(path: Path) -> list:
    import pytest

    from timeline_pdf.errors import WorkbookError

    with pytest.raises(WorkbookError) as info:
        load_report(path)
    return list(info.value.findings)

def test_no_assumption_notes_when_no_event_could_be_read(tmp_path):
    path = write_workbook(tmp_path / "e.xlsx", [{"Date": date(2023, 10, 17), "Description": "x"}], headers=["Date", "Description"])
    result = run("validate", str(path))
    assert result.exit_code == 1 and "column-missing" not in result.output  # text output shows messages, not codes
    assert "required column 'Category' is missing" in result.output and "note:" not in result.output


def test_a_category_differing_only_in_its_quote_marks_is_named_as_such(tmp_path):
    rows = [{"Date": date(2023, 10, 17), "Category": "Kata\u2019ib Hezbollah attack", "Description": "x"}]
    path = write_workbook(tmp_path / "e.xlsx", rows, headers=["Date", "Category", "Description"], categories={"Kata'ib Hezbollah attack": "attack"})
    _report, findings = load_report(path)
    (warning,) = [f for f in findings if f.code == "category-unknown"]
    assert warning.hint == "it differs from 'Kata'ib Hezbollah attack' on the Categories sheet only in its quote marks (’ and '): type them alike on both sheets"
