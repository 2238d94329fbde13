"""`timeline-pdf export`: the events as CSV, Excel or JSON, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from timeline_pdf.cli import cli
from timeline_pdf.export import neutralise
from xlsx_helpers import write_workbook

HEADERS = ["Date", "End Date", "Category", "Headline", "Description", "Actor", "Location", "Longitude", "Latitude", "US Killed", "US Wounded", "Include"]
FORMULAS = ["=HYPERLINK(\"http://evil.example\",\"click\")", "+1+2", "-2+3", "@SUM(A1:A9)"]


def as_text(cell) -> None:
    """Keep a cell that begins with '=' text, as a workbook typed in Excel holds it."""
    cell.data_type = "s"


@pytest.fixture
def workbook(tmp_path) -> Path:
    rows = [
        {"Date": datetime(1500, 3, 1).date().isoformat(), "Category": "Rocket attack", "Headline": FORMULAS[1], "Description": FORMULAS[0], "Actor": FORMULAS[3],
         "Location": "Al Asad", "Longitude": -77.03, "Latitude": 38.9, "US Killed": 0},
        {"Date": datetime(2020, 1, 8), "End Date": datetime(2020, 1, 9), "Category": "Missile attack", "Headline": "Missiles, at night", "Description": FORMULAS[2], "US Wounded": 110},
        {"Date": datetime(2020, 1, 9), "Category": "Rocket attack", "Description": "=A draft", "Include": "no"},
    ]

    def formulas_as_text(book) -> None:
        for row in book["Events"].iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, str) and cell.value.startswith("="):
                    as_text(cell)

    return write_workbook(tmp_path / "events-book.xlsx", rows, headers=HEADERS, edit=formulas_as_text)


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("text, shown", [("=1+1", "'=1+1"), ("+1", "'+1"), ("-1", "'-1"), ("@A1", "'@A1"), ("\tx", "'\tx"), ("\rx", "'\rx"), ("a=1", "a=1"), ("'=1", "'=1"), ("", "")])
def test_formula_starts_are_neutralised(text, shown):
    assert neutralise(text) == shown


def test_csv_quotes_every_field_and_neutralises_formulas(workbook, tmp_path):
    target = tmp_path / "events.csv"
    result = run("export", str(workbook), "--to", str(target))
    assert result.exit_code == 0, result.output
    assert f"wrote {target} (2 events)" in result.output
    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 as Excel recognises it
    rows = list(csv.DictReader(data.decode("utf-8-sig").splitlines()))
    assert len(rows) == 2  # the Include = no row is not exported
    first, second = rows
    assert first["description"] == "'" + FORMULAS[0] and first["headline"] == "'+1+2" and first["actor"] == "'@SUM(A1:A9)"
    assert second["description"] == "'-2+3"
    assert first["date"] == "1500-03-01" and second["end_date"] == "2020-01-09" and first["end_date"] == ""
    assert first["longitude"] == "-77.03"  # numbers stay numbers
    assert first["US killed"] == "0" and first["US wounded"] == "" and second["US killed"] == ""  # blank is not zero
    for line in data.decode("utf-8-sig").splitlines()[:1]:
        assert all(field.startswith('"') and field.endswith('"') for field in line.split(","))


def test_xlsx_holds_no_formula_and_json_holds_the_text_exactly(workbook, tmp_path):
    assert run("export", str(workbook), "--to", str(tmp_path / "events.xlsx")).exit_code == 0
    sheet = load_workbook(tmp_path / "events.xlsx")["Events"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    headers = [c.value for c in sheet[1]]
    assert sheet.cell(2, headers.index("description") + 1).value == "'" + FORMULAS[0]
    assert sheet.cell(2, headers.index("US wounded") + 1).value is None and sheet.cell(2, headers.index("US killed") + 1).value == 0
    assert sheet.freeze_panes == "A2"

    assert run("export", str(workbook), "--to", str(tmp_path / "events.json")).exit_code == 0
    records = json.loads((tmp_path / "events.json").read_text(encoding="utf-8"))
    assert [r["description"] for r in records] == [FORMULAS[0], FORMULAS[2]]
    assert records[0]["date"] == "1500-03-01" and records[0]["end_date"] is None and records[0]["US wounded"] is None and records[0]["US killed"] == 0
    assert records[1]["key"] is False and records[0]["longitude"] == -77.03


def test_a_bad_workbook_exports_nothing_and_keeps_the_previous_file(tmp_path):
    target = tmp_path / "events.csv"
    target.write_text("previous", encoding="utf-8")
    bad = write_workbook(tmp_path / "bad.xlsx", [{"Date": "2020-02-30", "Category": "Rocket attack", "Description": "x"}], headers=["Date", "Category", "Description"])
    result = run("export", str(bad), "--to", str(target))
    assert result.exit_code == 1
    assert "bad.xlsx: Events!A2: error: '2020-02-30' is not a real date" in result.output
    assert target.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.xlsx", "events.csv"]  # no temporary file left


def test_an_unknown_format_is_a_usage_error_and_json_output_reports_the_file(workbook, tmp_path):
    result = run("export", str(workbook), "--to", str(tmp_path / "events.txt"))
    assert result.exit_code == 2 and "does not end in .csv, .xlsx, .json" in result.output
    result = run("export", str(workbook), "--to", str(tmp_path / "events.json"), "--format", "json")
    document = json.loads(result.stdout)
    assert document["ok"] and document["written"] == {"path": str(tmp_path / "events.json"), "events": 2}
