"""A plain workbook's values are read by python-calamine, anything else by openpyxl; both give
the same cells, types and findings. (Every workbook the suite reads is also compared both ways,
by the session fixture in conftest.py.)"""

from __future__ import annotations

import importlib.util
import sys
import warnings
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.worksheet.hyperlink import Hyperlink

from conftest import ROOT, SAMPLE_WORKBOOK
from readers import READ_BOTH_WAYS, findings_of, workbook_state
from timeline_pdf.limits import current_limits
from timeline_pdf.workbook import _check_archive, _read_openpyxl, _read_values, column_letter, read_workbook
from xlsx_helpers import SAMPLE_CATEGORIES, rewrite_member, write_workbook

VALUES = [1, 2.5, True, False, "text", " padded ", "a\nb", "Karbalā’ — ✓", date(2020, 1, 2),
          datetime(2020, 1, 2, 3, 4, 5, 678000), datetime(1900, 1, 1), datetime(1900, 2, 28), datetime(1900, 3, 1), timedelta(hours=30),
          59, 60, 61, 43831, 2958465.5]
# under General only: too large for a date (calamine refuses them as dates), or below one day
# (a time of day to both, which sends a workbook to openpyxl: see the test below)
LARGE = [123456789012, 1e20, 10**15, -(10**15), -0.0, 3e-05, 0.5, -1]
FORMATS = [None, "General", "yyyy-mm-dd", "d mmm yyyy", "[$-409]d-mmm-yy;@", "[h]:mm:ss", "0.00%", "0.00E+00", '"d"0', "dd/mm/yyyy hh:mm",
           "@", "m/d/yy", "[Red]0.00", "#,##0", 'yyyy"年"m"月"d"日"', "mmm-yy", "ddd", "[$€-2] #,##0.00", "_(* #,##0_)", "\\d0", '0" days"']


def both_ways(path: Path):
    """(calamine's reading, openpyxl's reading) of ``path``; the first None when the scan
    sends the workbook to openpyxl."""
    limits = current_limits()
    fast = None if _check_archive(path, limits) else _read_values(path, limits, [])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fast, _read_openpyxl(path, limits, [])


def test_values_under_every_number_format_read_alike(tmp_path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Events"
    sheet.append(["Date", "Category", "Description"])
    for value in VALUES:
        for number_format in FORMATS:
            cell = sheet.cell(sheet.max_row + 1, 1, value)
            if number_format:
                cell.number_format = number_format
            sheet.cell(cell.row, 2, "Rocket attack")
            sheet.cell(cell.row, 3, f"{value!r} as {number_format}")
    for value in LARGE:
        sheet.append([value, "Rocket attack", f"{value!r}"])
    path = tmp_path / "formats.xlsx"
    book.save(path)
    fast, slow = both_ways(path)
    assert fast is not None  # read by calamine
    assert workbook_state(fast) == workbook_state(slow)
    assert findings_of(fast) == findings_of(slow)
    dates = [row[1][0].value for row in fast.sheets["events"].rows]
    assert datetime(2020, 1, 2) in dates and 123456789012 in dates and isinstance(dates[0], int)


def test_a_1904_workbook_reads_alike(tmp_path):
    book = Workbook()
    book.epoch = datetime(1904, 1, 1)
    sheet = book.active
    sheet.title = "Events"
    sheet.append(["Date", "Category", "Description"])
    sheet.append([date(2020, 1, 14), "Rocket attack", "Rockets."])
    sheet.append([1500, "Rocket attack", "A date as a serial number."])
    path = tmp_path / "mac.xlsx"
    book.save(path)
    fast, slow = both_ways(path)
    assert fast is not None and fast.epoch == slow.epoch == datetime(1904, 1, 1)
    assert workbook_state(fast) == workbook_state(slow)
    assert findings_of(fast) == findings_of(slow)


def _with(change):  # noqa: ANN001, ANN202
    def edit(book) -> None:  # noqa: ANN001
        change(book["Events"])
    return edit


def _hyperlink(sheet) -> None:  # noqa: ANN001
    sheet["C2"].hyperlink = Hyperlink(ref="C2", target="https://example.com/a")


def _escaped(sheet) -> None:  # noqa: ANN001
    sheet["C2"] = "line_x000D_break"


ONLY_OPENPYXL = {
    "formula": _with(lambda sheet: sheet.__setitem__("K2", "=1+1")),
    "hyperlink": _with(_hyperlink),
    "merged cells": _with(lambda sheet: sheet.merge_cells("C2:C3")),
    "hidden row": _with(lambda sheet: setattr(sheet.row_dimensions[3], "hidden", True)),
    "hidden column": _with(lambda sheet: setattr(sheet.column_dimensions["E"], "hidden", True)),
    "escaped characters": _with(_escaped),
    "a cell far out": _with(lambda sheet: sheet.__setitem__("XFD1048576", "stray")),
    "an empty string": "<c r=\"E2\" t=\"inlineStr\"><is><t></t></is></c>",  # openpyxl never writes one; Excel may
    "an error value": "<c r=\"E2\" t=\"e\"><v>#REF!</v></c>",
}


@pytest.mark.parametrize("feature", ONLY_OPENPYXL)
def test_what_only_openpyxl_reads_sends_the_workbook_to_openpyxl(tmp_path, feature):
    rows = [{"Date": date(2020, 1, 14), "Category": "Rocket attack", "Description": "Rockets strike Camp Taji."}] * 3
    change = ONLY_OPENPYXL[feature]
    path = write_workbook(tmp_path / "feature.xlsx", rows, categories=SAMPLE_CATEGORIES, edit=None if isinstance(change, str) else change)
    if isinstance(change, str):  # a cell openpyxl does not write, put into the sheet's XML
        rewrite_member(path, "xl/worksheets/sheet1.xml", lambda data: data.replace(b'<c r="J2"', change.encode() + b'<c r="J2"', 1))
    assert _check_archive(path, current_limits()), feature
    raw = read_workbook(path)
    assert workbook_state(raw) == workbook_state(both_ways(path)[1])


@pytest.mark.parametrize("value", [time(12, 30), datetime(1850, 6, 1)])
def test_times_and_dates_before_1900_are_left_to_openpyxl(tmp_path, value):
    """Calamine reads both as a time of day (a date before 1900 is a negative serial number);
    openpyxl tells them apart, so a workbook holding either is read by openpyxl."""
    path = write_workbook(tmp_path / "early.xlsx", [{"Date": value, "Category": "Rocket attack", "Description": "Long ago."}], categories=SAMPLE_CATEGORIES)
    assert not _check_archive(path, current_limits())
    assert _read_values(path, current_limits(), []) is None
    assert read_workbook(path).sheets["events"].rows[0][1][0].value == load_workbook(path)["Events"]["A2"].value


def test_the_benchmark_and_sample_workbooks_read_alike(tmp_path):
    spec = importlib.util.spec_from_file_location("benchmark_run", ROOT / "benchmarks" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["benchmark_run"] = module
    spec.loader.exec_module(module)
    for path in (module.write_workbook(tmp_path / "synthetic.xlsx", 400), SAMPLE_WORKBOOK):
        fast, slow = both_ways(path)
        assert fast is not None, path
        assert workbook_state(fast) == workbook_state(slow)
        assert findings_of(fast) == findings_of(slow)


@pytest.mark.parametrize(("rows", "columns"), [(4, 2), (1, 0), (1, 1)], ids=["table at C5", "blank first row", "blank first row and column"])
def test_a_table_away_from_a1_is_located_as_openpyxl_locates_it(tmp_path, rows, columns):
    """Calamine yields a sheet's leading empty rows but not its leading empty columns; the
    cells, and the findings about them, still name the cells Excel shows."""
    events = [{"Date": date(2020, 1, 14), "Category": "Rocket attack", "Description": "Rockets strike Camp Taji."},
              {"Date": "not a date", "Category": "Rocket attack", "Description": "A date nobody can read."}]

    def shift(book) -> None:  # noqa: ANN001
        sheet = book["Events"]
        sheet.move_range(f"A1:{column_letter(sheet.max_column)}{sheet.max_row}", rows=rows, cols=columns)

    path = write_workbook(tmp_path / "shifted.xlsx", events, categories=SAMPLE_CATEGORIES, edit=shift)
    header_row, date_column = 1 + rows, column_letter(1 + columns)
    assert load_workbook(path)["Events"][f"{date_column}{header_row}"].value == "Date"
    assert not _check_archive(path, current_limits())  # read by calamine
    raw = read_workbook(path)
    assert str(path) in READ_BOTH_WAYS  # and compared with openpyxl's reading by the session fixture
    sheet = raw.sheets["events"]
    assert sheet.header_row == header_row and sheet.headers[columns] == "Date"
    assert [(number, cells[columns].ref) for number, cells in sheet.rows] == [(header_row + 1, f"{date_column}{header_row + 1}"), (header_row + 2, f"{date_column}{header_row + 2}")]
    fast, slow = both_ways(path)
    assert workbook_state(fast) == workbook_state(slow)
    assert findings_of(fast) == findings_of(slow)
    bad_date = [f.ref for f in findings_of(raw) if not isinstance(f, str) and f.severity == "error" and f.value == "not a date"]
    assert bad_date == [f"Events!{date_column}{header_row + 2}"]
