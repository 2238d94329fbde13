"""The events as a data download: CSV, Excel or JSON in the columns of ``events_frame``.

Dates are ISO (``2020-01-03``), blanks are empty (``null`` in JSON), and the file is written
atomically. These files travel to readers who double-click them, so in CSV and Excel a text that
a spreadsheet would take for a formula (one beginning with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return) gets a leading apostrophe, and every CSV field is quoted, as OWASP's
CSV-injection guidance describes; numbers are written as numbers. JSON is for programs and holds
every text exactly.
"""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from timeline_pdf.errors import TimelinePdfError
from timeline_pdf.model import Report
from timeline_pdf.output import write_atomic

if TYPE_CHECKING:
    import pandas as pd

FORMATS = (".csv", ".xlsx", ".json")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")  # what spreadsheets read as the start of a formula (OWASP)
SHEET = "Events"


def neutralise(text: str) -> str:
    """Text a spreadsheet shows as text: a leading apostrophe before a formula's first character."""
    return "'" + text if text.startswith(FORMULA_START) else text


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
        data = json.dumps([_record(row) for row in frame.to_dict(orient="records")], ensure_ascii=False, indent=1).encode("utf-8") + b"\n"
    else:
        frame = _neutralised(frame)
        data = _csv(frame) if suffix == ".csv" else _xlsx(frame)
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


def _xlsx(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_excel(buffer, sheet_name=SHEET, index=False, freeze_panes=(1, 0), engine="openpyxl")
    return buffer.getvalue()


def _record(row: dict[str, Any]) -> dict[str, Any]:
    """One event for JSON: blanks as null, numbers as numbers."""
    import pandas as pd

    record = {}
    for key, value in row.items():
        if value is pd.NA or value is None or (isinstance(value, float) and math.isnan(value)):
            value = None
        elif hasattr(value, "item"):  # numpy scalars
            value = value.item()
        record[key] = value
    return record
