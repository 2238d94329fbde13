"""`timeline-pdf export`: the events as CSV, Excel or JSON, safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from freezegun import freeze_time
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
    text = data.decode("utf-8-sig")
    quoted = io.StringIO()
    csv.writer(quoted, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(csv.reader(io.StringIO(text, newline="")))
    assert quoted.getvalue() == text  # every field of every line quoted, as written again


def test_xlsx_holds_formulas_as_quoted_text_and_json_holds_the_text_exactly(workbook, tmp_path):
    """In Excel a formula is neutralised by the cell, not its text: a string cell (never a
    formula) with the quotePrefix style, which keeps it text even when it is edited."""
    assert run("export", str(workbook), "--to", str(tmp_path / "events.xlsx")).exit_code == 0
    sheet = load_workbook(tmp_path / "events.xlsx")["Events"]
    cells = [cell for row in sheet.iter_rows() for cell in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    headers = [c.value for c in sheet[1]]
    at = {name: [sheet.cell(row, headers.index(name) + 1) for row in (2, 3)] for name in ("description", "headline", "actor", "location", "US killed")}
    shown = [at["description"][0], at["headline"][0], at["actor"][0], at["description"][1]]
    assert [c.value for c in shown] == [FORMULAS[0], FORMULAS[1], FORMULAS[3], FORMULAS[2]]  # the text unchanged: no apostrophe in the value
    assert all(c.data_type == "s" and c.quotePrefix for c in shown)
    assert at["location"][0].value == "Al Asad" and not at["location"][0].quotePrefix  # plain text is left alone
    assert at["US killed"][0].data_type == "n" and at["US killed"][0].value == 0 and at["US killed"][1].value is None
    assert sheet.freeze_panes == "A2"

    # in the file itself: no formula element anywhere, and each of these cells a string whose style quotes it
    with zipfile.ZipFile(tmp_path / "events.xlsx") as archive:
        sheet_xml = archive.read("xl/worksheets/sheet1.xml").decode()
        styles_xml = archive.read("xl/styles.xml").decode()
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    cell = re.search(rf'<c r="{at["description"][0].coordinate}"([^>]*)>', sheet_xml).group(1)
    assert re.search(r't="(s|inlineStr)"', cell)  # a shared or inline string: text, never a formula's result
    style = int(re.search(r's="(\d+)"', cell).group(1))
    xfs = re.findall(r"<xf [^>]*>", styles_xml.split("<cellXfs", 1)[1])
    assert 'quotePrefix="1"' in xfs[style]

    assert run("export", str(workbook), "--to", str(tmp_path / "events.json")).exit_code == 0
    records = json.loads((tmp_path / "events.json").read_text(encoding="utf-8"))
    assert [r["description"] for r in records] == [FORMULAS[0], FORMULAS[2]]
    assert records[0]["date"] == "1500-03-01" and records[0]["end_date"] is None and records[0]["US wounded"] is None and records[0]["US killed"] == 0
    assert records[1]["key"] is False and records[0]["longitude"] == -77.03


def test_an_xlsx_export_is_the_same_bytes_whenever_it_is_made(workbook, tmp_path):
    """Neither the document properties nor the zip entries carry the clock: the date is the
    edition's (here the last day covered), as in the PDFs."""
    made = []
    for moment in ("2021-01-01 09:00:00", "2024-07-15 17:42:13"):
        with freeze_time(moment):
            target = tmp_path / f"{len(made)}.xlsx"
            assert run("export", str(workbook), "--to", str(target)).exit_code == 0
            made.append(target.read_bytes())
    assert made[0] == made[1]
    properties = load_workbook(tmp_path / "0.xlsx").properties
    assert properties.created == properties.modified == datetime(2020, 1, 9)  # the last day the events cover
    with zipfile.ZipFile(tmp_path / "0.xlsx") as archive:
        assert {info.date_time for info in archive.infolist()} == {(2020, 1, 9, 0, 0, 0)}


def test_an_export_of_events_before_1980_keeps_a_valid_zip(tmp_path):
    """Zip entries cannot be dated before 1980; the document properties keep the real date."""
    old = write_workbook(tmp_path / "old.xlsx", [{"Date": "1500-03-01", "Category": "Rocket attack", "Description": "x"}], headers=["Date", "Category", "Description"])
    assert run("export", str(old), "--to", str(tmp_path / "old-events.xlsx")).exit_code == 0
    assert load_workbook(tmp_path / "old-events.xlsx").properties.created == datetime(1500, 3, 1)
    with zipfile.ZipFile(tmp_path / "old-events.xlsx") as archive:
        assert archive.testzip() is None and {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


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
