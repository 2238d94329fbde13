"""Write real .xlsx workbooks with openpyxl for test fixtures.

Tests describe a workbook as plain Python data and get a file that Excel could have saved,
so the reader is exercised exactly as an analyst's file would exercise it::

    path = write_workbook(tmp_path / "events.xlsx", [
        {"Date": date(2020, 1, 8), "Category": "Missile attack", "Description": "...", "US Wounded": 110},
    ], categories={"Missile attack": "attack"}, report={"Reference Date": date(2020, 1, 3)})

Rows are dicts keyed by header text; a key that is missing (or ``None``) leaves the cell blank.
Use ``ref`` to find the Excel reference of a cell ("J3") for asserting on findings; ``edit`` gets
the openpyxl workbook before it is saved, for anything else (merged cells, hidden rows, formulas).

Hostile and broken files are made here too, from a sound workbook, rather than committed as
blobs: ``rewrite_member`` edits one part of the zip, ``write_compound_file`` writes an OLE
compound file such as Excel's password-protected (encrypted) workbooks and old .xls files.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable, Mapping, Sequence
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
    edit: Callable[[Workbook], None] | None = None,
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
    edit               called with the workbook just before it is saved.
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
    if edit is not None:
        edit(book)
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


def rewrite_member(path: Path, member: str, transform: Callable[[bytes], bytes], *, out: Path | None = None) -> Path:
    """Copy the zip at ``path`` with ``member`` replaced by ``transform(old bytes)``."""
    out = out or path
    with zipfile.ZipFile(path) as source:
        parts = [(info, source.read(info.filename)) for info in source.infolist()]
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info, data in parts:
            target.writestr(info.filename, transform(data) if info.filename == member else data)
    return out


def save_formula_results(path: Path, results: Mapping[str, Any], sheet: str = "xl/worksheets/sheet1.xml") -> Path:
    """Store a result with each formula cell, as Excel does when it saves (openpyxl never
    calculates, so it saves formulas with empty results). ``results``: {"E2": 2, "D2": "text",
    "F2": "#DIV/0!"}; a text starting with '#' is stored as an Excel error value."""
    import re
    from xml.sax.saxutils import escape

    def transform(xml: bytes) -> bytes:
        text = xml.decode("utf-8")
        for cell, value in results.items():
            kind = ' t="e"' if isinstance(value, str) and value.startswith("#") else ' t="str"' if isinstance(value, str) else ""
            pattern = re.compile(rf'<c r="{cell}"([^>]*)><f>(.*?)</f><v\s*/?>(?:</v>)?')
            text, count = pattern.subn(lambda m: f'<c r="{cell}"{m[1]}{kind}><f>{m[2]}</f><v>{escape(str(value))}</v>', text)
            assert count == 1, f"no formula cell {cell}"
        return text.encode("utf-8")

    return rewrite_member(path, sheet, transform)


def add_member(path: Path, member: str, data: bytes) -> Path:
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(member, data)
    return path


def write_compound_file(path: Path, streams: Mapping[str, bytes]) -> Path:
    """A minimal but well-formed OLE compound file (version 3, 512-byte sectors) holding
    ``streams``. Each stream is padded with zeros to whole sectors of at least 4,096 bytes, so
    that no mini stream is needed."""
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    names = list(streams)
    assert 1 + len(names) <= 4, "one directory sector holds four entries"
    datas = [streams[n].ljust(max(4096, -(-len(streams[n]) // 512) * 512), b"\0") for n in names]
    fat = [fat_sector, end]  # sector 0: the FAT itself; sector 1: the directory
    starts = []
    for data in datas:
        count = len(data) // 512
        start = len(fat)
        starts.append(start)
        fat += [start + i + 1 for i in range(count - 1)] + [end]
    assert len(fat) <= 128, "one FAT sector maps 128 sectors"
    header = struct.pack("<8s16sHHHHH6sIIIIIIIII", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"\0" * 16, 0x3E, 3, 0xFFFE, 9, 6, b"\0" * 6,
                         0, 1, 1, 0, 4096, end, 0, end, 0)
    header += struct.pack("<109I", 0, *[free] * 108)

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le")
        return struct.pack("<64sHBBIII16sIQQIQ", encoded, len(encoded), kind, 1, free, right, child, b"\0" * 16, 0, 0, 0, start, size)

    directory = entry("Root Entry", 5, free, 1 if names else free, end, 0)
    for index, (name, data) in enumerate(zip(names, datas), start=1):
        directory += entry(name, 2, index + 1 if index < len(names) else free, free, starts[index - 1], len(data))
    directory = directory.ljust(512, b"\0")
    fat_bytes = struct.pack(f"<{len(fat)}I", *fat) + struct.pack(f"<{128 - len(fat)}I", *[free] * (128 - len(fat)))
    path.write_bytes(header + fat_bytes + directory + b"".join(datas))
    return path
