"""Read the events workbook (xlsx or csv) into raw tables that remember where each value was.

Values are not interpreted here beyond what the file format gives (numbers, dates, text);
``validate`` turns them into the model. Every cell keeps its Excel reference so that findings
can point at ``Events!C14``.
"""

from __future__ import annotations

import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter

from timeline_pdf.errors import Finding, WorkbookError

HEADER_SEARCH_ROWS = 10  # a title row or two above the headers is common


@dataclass(frozen=True)
class RawCell:
    value: Any
    ref: str  # "C14"
    hyperlink: str = ""


@dataclass
class RawSheet:
    name: str
    header_row: int  # 1-based worksheet row of the headers
    headers: list[str]  # as typed, by column position
    rows: list[tuple[int, list[RawCell]]] = field(default_factory=list)  # (worksheet row, cells)

    def column_letter(self, index: int) -> str:
        return get_column_letter(index + 1)


@dataclass
class RawWorkbook:
    path: Path
    sheets: dict[str, RawSheet]  # keyed by normalised sheet name

    def sheet(self, name: str) -> RawSheet | None:
        return self.sheets.get(normalise(name))


def normalise(text: Any) -> str:
    """Header and sheet matching ignores case, spaces and punctuation."""
    return re.sub(r"[^0-9a-z]+", "", str(text).lower())


def read_workbook(path: Path) -> RawWorkbook:
    if not path.exists():
        raise WorkbookError([Finding("error", f"workbook not found: {path}", "check the path, or run the command from the project folder", file=str(path))])
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return RawWorkbook(path, {"events": _read_csv(path)})
    if suffix in (".xlsx", ".xlsm"):
        return RawWorkbook(path, _read_xlsx(path))
    raise WorkbookError([Finding("error", f"unsupported file type '{path.suffix}'", "save the workbook as .xlsx (Excel Workbook) or .csv", file=str(path))])


def _read_xlsx(path: Path) -> dict[str, RawSheet]:
    from openpyxl import load_workbook

    if not zipfile.is_zipfile(path):
        raise WorkbookError([Finding("error", "this file is not an Excel workbook (.xlsx is a zip archive; this file is not)", "open it in Excel or LibreOffice and save it as an Excel Workbook (.xlsx)", file=str(path))])
    try:
        book = load_workbook(path, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on damaged files
        raise WorkbookError([Finding("error", f"the workbook could not be read ({type(exc).__name__}: {exc})", "open it in Excel or LibreOffice, check it, and save it again as .xlsx", file=str(path))]) from None
    sheets: dict[str, RawSheet] = {}
    for ws in book.worksheets:
        rows = [
            [RawCell(c.value, c.coordinate, c.hyperlink.target or "" if c.hyperlink else "") for c in row]
            for row in ws.iter_rows()
        ]
        sheets[normalise(ws.title)] = _to_sheet(ws.title, rows)
    return sheets


def _read_csv(path: Path) -> RawSheet:
    import pandas as pd

    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, header=None, encoding="utf-8-sig", skip_blank_lines=False)  # keep blank lines so rows keep their numbers
    except UnicodeDecodeError as exc:
        raise WorkbookError([Finding("error", f"the CSV file is not UTF-8 text (byte {exc.start} cannot be decoded)", "save it again as 'CSV UTF-8'", file=str(path))]) from None
    except Exception as exc:
        raise WorkbookError([Finding("error", f"the CSV file could not be read ({exc})", "check that it is a comma-separated file with a header row", file=str(path))]) from None
    rows = [
        [RawCell(value if value != "" else None, f"{get_column_letter(c + 1)}{r + 1}") for c, value in enumerate(values)]
        for r, values in enumerate(frame.itertuples(index=False, name=None))
    ]
    return _to_sheet("Events", rows)


def _to_sheet(name: str, rows: list[list[RawCell]]) -> RawSheet:
    header_index = _find_header_row(rows)
    if header_index is None:
        return RawSheet(name, 0, [])
    headers = ["" if c.value is None else str(c.value).strip() for c in rows[header_index]]
    body = []
    for offset, cells in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if any(not _blank(c.value) for c in cells):
            body.append((offset, cells))
    return RawSheet(name, header_index + 1, headers, body)


def _find_header_row(rows: list[list[RawCell]]) -> int | None:
    """The first row with at least two text cells: titles above a table have only one."""
    for index, cells in enumerate(rows[:HEADER_SEARCH_ROWS]):
        texts = [c for c in cells if isinstance(c.value, str) and c.value.strip()]
        if len(texts) >= 2:
            return index
    return None


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
