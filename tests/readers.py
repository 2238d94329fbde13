"""The two ways an xlsx workbook is read (python-calamine for the values of a plain workbook,
openpyxl for everything else) compared: the same sheets, cells, types and findings."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from timeline_pdf.limits import Limits
from timeline_pdf.validate import Findings, build_report
from timeline_pdf.workbook import RawWorkbook, _read_openpyxl

READ_BOTH_WAYS: list[str] = []  # the workbooks the suite's tests read, compared both ways


def _kind(value: Any) -> type:
    """The value's type (freezegun's clock makes openpyxl's dates FakeDatetime, a datetime)."""
    for kind in (datetime, date):
        if isinstance(value, kind):
            return kind
    return type(value)


def _cell(cell: Any) -> tuple:
    return (_kind(cell.value), cell.value, cell.ref, cell.hyperlink, cell.formula, cell.error, cell.column, cell.partial, cell.formats)


def workbook_state(book: RawWorkbook) -> dict:
    """Everything a reader gives, types included."""
    return {
        "epoch": book.epoch, "notes": list(book.notes), "imported_from": book.imported_from,
        "sheets": {key: (sheet.name, sheet.header_row, sheet.headers, [(n, [_cell(c) for c in cells]) for n, cells in sheet.rows],
                         sheet.hidden_rows, sheet.hidden_columns, sheet.merged, sheet.skipped_tag_row,
                         {r: {c: _cell(v) for c, v in row.items()} for r, row in sheet.sparse.items()})
                   for key, sheet in book.sheets.items()},
    }


def findings_of(book: RawWorkbook) -> list:
    findings = Findings(str(book.path))
    findings.items.extend(book.notes)
    try:
        build_report(book, findings)
    except Exception as error:  # noqa: BLE001 - a refusal is a finding too
        return [*findings.items, repr(error)]
    return list(findings.items)


def assert_read_alike(path: Path, fast: RawWorkbook, limits: Limits) -> None:
    """The openpyxl reading of ``path``, under the ``limits`` the fast reading had, gives what
    the fast reading gave, and the same findings."""
    try:
        slow = _read_openpyxl(path, limits, [n for n in fast.notes if n.code == "macros-ignored"])
    except Exception as error:  # noqa: BLE001
        raise AssertionError(f"{path}: openpyxl refuses what calamine read: {error!r}") from None
    assert workbook_state(fast) == workbook_state(slow), path
    assert findings_of(fast) == findings_of(slow), path
    READ_BOTH_WAYS.append(str(path))
