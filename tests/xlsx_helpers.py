"""Write real .xlsx workbooks with openpyxl for test fixtures.

Tests describe a workbook as plain Python data and get a file that Excel could have saved,
so the reader is exercised exactly as an analyst's file would exercise it::

    path = write_workbook(tmp_path / "events.xlsx", [
        {"Date": date(2020, 1, 8), "Category": "Missile attack", "Description": "...", "US Wounded": 110},
    ], categories={"Missile attack": "attack"}, report={"Reference Date": date(2020, 1, 3)})

Rows are dicts keyed by header text; a key that is missing (or ``None``) leaves the cell blank.
Use ``ref`` to find the Excel reference of a cell ("J3") for asserting on findings.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.utils import get_column_letter

# The columns of the workbook contract (DESIGN.md), in a usual order.
CONTRACT_HEADERS: tuple[str, ...] = (
    "Date",
    "End Date",
    "Category",
    "Actor",
    "Target",
    "Location",
    "Latitude",
    "Longitude",
    "Headline",
    "Description",
    "US Killed",
    "US Wounded",
    "Sources",
    "Key Event",
    "Include",
)

# Categories of the sample workbook with their kinds.
SAMPLE_CATEGORIES: dict[str, str] = {
    "Rocket attack": "attack",
    "Missile attack": "attack",
    "Drone attack": "attack",
    "US strike": "response",
    "Iraqi politics": "political",
}


def write_workbook(
    path: Path,
    events_rows: Sequence[Mapping[str, Any]],
    *,
    headers: Sequence[str] | None = None,
    categories: Mapping[str, str] | Sequence[Sequence[str]] | None = None,
    report: Mapping[str, Any] | None = None,
    title_row: str | None = None,
    hyperlinks: Mapping[tuple[int, str], str] | None = None,
    blank_rows_before: Sequence[int] = (),
    events_sheet: str = "Events",
) -> Path:
    """Write an events workbook to ``path`` and return the path.

    events_rows        one dict per event row, keyed by header text (must be in ``headers``).
    headers            the Events header row as typed; defaults to ``CONTRACT_HEADERS``.
    categories         a Categories sheet: {name: kind} or [(name, kind[, description]), ...].
    report             a Report sheet: {field: value}, values written as given (dates stay dates).
    title_row          text put in A1 above the headers (the headers then start on row 2).
    hyperlinks         {(row index in events_rows, header): target} cell hyperlinks.
    blank_rows_before  indexes in events_rows before which a completely empty row is left.
    events_sheet       name of the events sheet.
    """
    headers = list(CONTRACT_HEADERS if headers is None else headers)
    book = Workbook()
    sheet = book.active
    sheet.title = events_sheet
    if title_row is not None:
        sheet.append([title_row])
    sheet.append(headers)
    hyperlinks = dict(hyperlinks or {})
    for index, row in enumerate(events_rows):
        unknown = set(row) - set(headers)
        if unknown:
            raise ValueError(f"row {index} has keys that are not headers: {sorted(unknown)}")
        if index in blank_rows_before:
            sheet.append([])
        sheet.append([row.get(h) for h in headers])
        worksheet_row = sheet.max_row
        for (link_index, header), target in hyperlinks.items():
            if link_index == index:
                sheet.cell(worksheet_row, headers.index(header) + 1).hyperlink = target
    if categories is not None:
        cat = book.create_sheet("Categories")
        cat.append(["Category", "Kind", "Description"])
        items = categories.items() if isinstance(categories, Mapping) else categories
        for item in items:
            cat.append(list(item))
    if report is not None:
        info = book.create_sheet("Report")
        info.append(["Field", "Value"])
        for field, value in report.items():
            info.append([field, value])
    book.save(path)
    return path


def ref(
    header: str,
    index: int,
    *,
    headers: Sequence[str] | None = None,
    title_row: bool = False,
    blank_rows_before: Sequence[int] = (),
) -> str:
    """Excel reference of ``header``'s cell in events row ``index`` as ``write_workbook`` lays it out."""
    headers = list(CONTRACT_HEADERS if headers is None else headers)
    row = 2 + index + (1 if title_row else 0) + sum(1 for b in blank_rows_before if b <= index)
    return f"{get_column_letter(headers.index(header) + 1)}{row}"
