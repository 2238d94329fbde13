"""The events as a data download: CSV, Excel or JSON in the columns of ``events_frame``.

Dates are ISO (``2020-01-03``), blanks are empty (``null`` in JSON), and the file is written
atomically. These files travel to readers who double-click them, so a text that a spreadsheet
would take for a formula (one beginning with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return) never acts: in CSV it gets a leading apostrophe and every field is quoted, as OWASP's
CSV-injection guidance describes; in Excel, where a cell has a type, it is a text cell (never a
formula) with the "quote prefix" style, the cell-level form of that apostrophe, which keeps it
text even when it is edited, and the text itself is unchanged. Numbers are written as numbers.
JSON is for programs and holds every text exactly.

The same events give the same bytes: an Excel file carries the edition's date (as the PDFs do),
never the clock, in its document properties and its zip entries.
"""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from collections.abc import Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from timeline_pdf.edition import document_date
from timeline_pdf.errors import TimelinePdfError
from timeline_pdf.model import Report
from timeline_pdf.output import write_atomic

if TYPE_CHECKING:
    import pandas as pd

FORMATS = (".csv", ".xlsx", ".json")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets read as the start of a formula (OWASP)
SHEET = "Events"
ZIP_EPOCH = datetime(1980, 1, 1)  # the earliest date a zip entry can carry


def looks_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_START)


def neutralise(text: str) -> str:
    """CSV text a spreadsheet shows as text: a leading apostrophe before a formula's first character."""
    return "'" + text if looks_like_formula(text) else text


def export_events(report: Report, path: Path, origins: Mapping[int, str] | None = None) -> int:
    """Write the included events to ``path`` (.csv, .xlsx or .json); how many were written."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise TimelinePdfError(f"cannot export to '{path.name}': the file name must end in {', '.join(FORMATS)}", "name the file events.csv, events.xlsx or events.json")
    data, count = events_data(report, suffix, origins)
    write_atomic(path, data)
    return count


def events_data(report: Report, suffix: str, origins: Mapping[int, str] | None = None) -> tuple[bytes, int]:
    """The included events as a file of the format ``suffix`` names (one of ``FORMATS``), and
    how many there are: what ``export`` writes, and the publication page's events CSV."""
    from timeline_pdf.frames import events_frame

    frame = _as_text_dates(events_frame(report, origins))
    if suffix == ".json":
        data = json.dumps([{key: _plain(value) for key, value in row.items()} for row in frame.to_dict(orient="records")], ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    elif suffix == ".csv":
        data = _csv(_neutralised(frame))
    else:
        data = _xlsx(frame, document_date(report))
    return data, len(frame)


def _as_text_dates(frame: pd.DataFrame) -> pd.DataFrame:
    """Date columns as ISO text (any year: ``date.isoformat`` pads it to four digits)."""
    result = frame.copy()
    for column in ("date", "end_date"):
        result[column] = frame[column].map(lambda day: None if day is None or day != day else day.date().isoformat()).astype("string")
    return result


def _neutralised(frame: pd.DataFrame) -> pd.DataFrame:
    result = frame.copy()
    for column in result.columns:
        if str(result[column].dtype) == "string":
            result[column] = result[column].map(neutralise, na_action="ignore").astype("string")
    return result


def _csv(frame: pd.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark (so Excel reads the accents), every field quoted (so a
    separator inside a text never starts a cell, whatever separator the spreadsheet expects)."""
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, quoting=csv.QUOTE_ALL, lineterminator="\r\n", na_rep="")
    return buffer.getvalue().encode("utf-8-sig")


def _xlsx(frame: pd.DataFrame, when: datetime) -> bytes:
    """An Events sheet with a bold, frozen header row. A text that looks like a formula is a
    string cell with the quote-prefix style; the file is dated ``when``, whatever the clock says."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    bold = Font(bold=True)
    for row, values in enumerate([list(frame.columns), *frame.itertuples(index=False, name=None)], start=1):
        for column, value in enumerate(values, start=1):
            cell = sheet.cell(row, column)
            cell.value = _plain(value)
            if isinstance(cell.value, str) and looks_like_formula(cell.value):
                cell.data_type = "s"  # never "f": openpyxl takes a text beginning with '=' for a formula
                cell.quotePrefix = True
            if row == 1:
                cell.font = bold
    sheet.freeze_panes = "A2"
    book.properties.created = book.properties.modified = when
    written = io.BytesIO()
    with zipfile.ZipFile(written, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).write_data()  # not Workbook.save, which sets the modified date to now
    return _dated(written.getvalue(), max(when, ZIP_EPOCH))


def _dated(data: bytes, when: datetime) -> bytes:
    """The zip with every entry dated ``when``: openpyxl dates them by the clock (or by the
    temporary file a sheet was written to)."""
    result = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(result, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            dated = zipfile.ZipInfo(entry.filename, when.timetuple()[:6])
            dated.compress_type, dated.external_attr = zipfile.ZIP_DEFLATED, 0o644 << 16
            target.writestr(dated, source.read(entry))
    return result.getvalue()


def _plain(value: Any) -> Any:
    """A value as a file holds it: blank as None, numpy scalars as Python numbers and bools."""
    import pandas as pd

    if value is pd.NA or value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return value.item() if hasattr(value, "item") else value
