"""Read the events workbook (xlsx or csv) into raw tables that remember where each value was.

Values are not interpreted here beyond what the file format gives (numbers, dates, text);
``validate`` turns them into the model. Every cell keeps its Excel reference so that findings
can point at ``Events!C14``.

A workbook is checked before a reader sees it, because the file may be broken or hostile: not a
zip, truncated, damaged, encrypted with a password, an old .xls, a decompression bomb (the sizes
its members declare are checked against ``limits``), XML with a document type declaration
(entity-expansion attacks: defusedxml refuses them; Excel never writes one), or sheets with
more rows or cells than ``limits`` allow (counted while streaming through the XML, before
a reader builds a single cell). Macros in .xlsm files are never loaded, let alone run; formulas
are never evaluated (the result Excel saved is read). A cell longer than the limit is an error
finding, and only its first characters are kept.

Two readers give the same cells: python-calamine reads the values of a plain workbook several
times faster (the benchmark's 10,000 events: 0.8 s instead of 2.9 s, checks included); openpyxl
reads any workbook holding what only it reads as needed here (formulas, hyperlinks, merged
cells, hidden rows or columns, error values, times of day, ...: ``OPENPYXL_ONLY``, spotted
while the parts are checked) and any workbook calamine cannot read. The test suite reads every
workbook it makes both ways and compares them.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from timeline_pdf.collection import fewer_collections
from timeline_pdf.contract import is_known_header, normalise
from timeline_pdf.dates import WINDOWS_EPOCH
from timeline_pdf.errors import REPAIR_OR_BACKUP, SAVE_AS_XLSX, Finding, WorkbookError
from timeline_pdf.limits import CELL_CHARS_VARIABLE, CELLS_PER_ROW, ROWS_VARIABLE, Limits, current_limits

__all__ = ["RawCell", "RawSheet", "RawWorkbook", "normalise", "read_workbook"]

HEADER_SEARCH_ROWS = 10  # a title row or two above the headers is common
MAC_EPOCH = datetime(1904, 1, 1)  # day 0 of the 1904 date system (openpyxl's CALENDAR_MAC_1904)
CFB_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE compound file: .xls, or an encrypted .xlsx
ZIP_SIGNATURE = b"PK\x03\x04"
HYPERLINK_FORMULA = re.compile(r'^=\s*HYPERLINK\(\s*"([^"]*)"', re.IGNORECASE)
EXCEL_SUFFIXES = (".xlsx", ".xlsm")
# start tags in SpreadsheetML, with or without a namespace prefix (<row ...>, <x:row ...>);
# a row written as <row .../> holds no cells and is not counted
ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row\b[^>]*?(?<!/)>")
CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
SHARED_STRING_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")
WORKSHEET_PART = re.compile(r"^xl/worksheets/[^/]+\.xml$", re.IGNORECASE)
# What a workbook may hold that only openpyxl reads as this module needs it; a workbook with
# none of these is read by python-calamine, several times faster (see _read_values): formulas,
# hyperlinks, merged cells, phonetic runs and empty strings ('' to openpyxl, blank to
# calamine); hidden rows and columns; error and ISO date cells (calamine reads 'd' cells its
# own way); escaped characters (openpyxl keeps _x000D_ as typed, calamine decodes it); a cell
# beyond column AZ or row 99,999 (calamine holds a sheet's whole rectangle in memory: one stray
# cell at XFD1048576 would ask for billions). Each pattern starts with a literal, so that a part
# of ten megabytes is searched in a tenth of a second.
OPENPYXL_ONLY = {
    "far cells": re.compile(rb'r="(?:[A-Z]{3}|[B-Z][A-Z]|[A-Z]{0,2}[0-9]{6})'),
    "elements": re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:(?:f|hyperlink|mergeCell|rPh)[\s/>]|t(?:\s[^>]*)?(?:/>|></(?:[A-Za-z_][\w.-]*:)?t>))"),
    "hidden": re.compile(rb"hidden\s*=\s*[\"'](?:1|true)[\"']"),
    "cell type": re.compile(rb"t\s*=\s*[\"'][ed][\"']"),  # an attribute named t: checked below
    "escaped": re.compile(rb"_x[0-9A-Fa-f]{4}_"),
}
LIMIT_HINT = "check that this is the right file; if it is, raise {setting} (see the README)"


@dataclass(frozen=True, slots=True)
class RawCell:
    value: Any
    ref: str  # "C14"
    hyperlink: str = ""
    formula: str = ""  # the formula, when the cell holds one ("=B2+1")
    error: str = ""  # an Excel error value the cell shows, such as "#REF!"
    column: str = ""  # the column header in the original file, when an import preset renamed it
    partial: bool = False  # may hold a year or year-month alone (imports whose format allows that)
    formats: tuple[str, ...] = ()  # an import's own date formats (strptime), tried before the usual forms


_SLOTS = tuple(RawCell.__dict__[name].__set__ for name in ("value", "ref", "hyperlink", "formula", "error", "column", "partial", "formats"))


def _plain_cell(value: Any, ref: str, _new: Any = RawCell.__new__, _slots: tuple = _SLOTS) -> RawCell:
    """``RawCell(value, ref)`` in half the time, for the hundreds of thousands of cells of an
    archive: its slots are set directly (a frozen dataclass's __init__ goes through
    ``object.__setattr__`` for each field)."""
    cell = _new(RawCell)
    set_value, set_ref, set_hyperlink, set_formula, set_error, set_column, set_partial, set_formats = _slots
    set_value(cell, value)
    set_ref(cell, ref)
    set_hyperlink(cell, "")
    set_formula(cell, "")
    set_error(cell, "")
    set_column(cell, "")
    set_partial(cell, False)
    set_formats(cell, ())
    return cell


@dataclass
class RawSheet:
    name: str
    header_row: int  # 1-based worksheet row of the headers; 0 when none was found
    headers: list[str]  # as typed, by column position
    rows: list[tuple[int, list[RawCell]]] = field(default_factory=list)  # (worksheet row, cells)
    hidden_rows: frozenset[int] = frozenset()
    hidden_columns: frozenset[int] = frozenset()  # 0-based column indexes
    merged: tuple[str, ...] = ()  # merged ranges such as "A5:A7"
    skipped_tag_row: int = 0  # an HXL hashtag row under the headers that was skipped
    sparse: dict[int, dict[int, RawCell]] = field(default_factory=dict, repr=False)  # every stored cell, by row then column

    def column_letter(self, index: int) -> str:
        return column_letter(index + 1)

    def relocate(self, known: Callable[[Any], bool]) -> RawSheet:
        """The same sheet with its header row found by another vocabulary (an import preset's)."""
        return _to_sheet(self.name, self.sparse, known, self.hidden_rows, self.hidden_columns, self.merged)


@dataclass
class RawWorkbook:
    path: Path
    sheets: dict[str, RawSheet]  # keyed by normalised sheet name
    epoch: datetime = WINDOWS_EPOCH  # date system: 1900 (Windows) or 1904 (old Mac Excel)
    notes: list[Finding] = field(default_factory=list)  # findings about the file: macros ignored, cells over the length limit
    imported_from: str = ""  # the import preset or mapping the sheets were read through, if any

    def sheet(self, name: str) -> RawSheet | None:
        return self.sheets.get(normalise(name))


def column_letter(number: int) -> str:
    """Excel's name of a column: 1 -> A, 27 -> AA (openpyxl's ``get_column_letter``, which
    would bring openpyxl's tenth-of-a-second import into every build of a plain workbook)."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _refuse(path: Path, code: str, message: str, hint: str) -> WorkbookError:
    return WorkbookError([Finding("error", message, hint, file=str(path), code=code)])


def read_workbook(path: Path, limits: Limits | None = None) -> RawWorkbook:
    limits = limits or current_limits()
    if not path.exists():
        raise _refuse(path, "file-not-found", f"workbook not found: {path}", "check the path, or run the command from the project folder")
    if path.is_dir():
        raise _refuse(path, "file-not-found", f"{path} is a folder, not a workbook", "give the path of the .xlsx or .csv file")
    suffix = path.suffix.lower()
    if suffix not in (".csv", *EXCEL_SUFFIXES):
        raise _refuse(path, "file-type", f"unsupported file type '{path.suffix}'", "save the workbook as .xlsx (Excel Workbook) or .csv")
    size = path.stat().st_size
    if size > limits.max_unpacked_bytes:
        raise _refuse(path, "file-too-large", f"the file is {size / 1e6:.0f} MB, over the limit of {limits.max_unpacked_mb:.0f} MB", "check that this is the right file; if it is, raise TIMELINE_PDF_MAX_UNPACKED_MB (see the README)")
    if suffix == ".csv":
        notes: list[Finding] = []
        return RawWorkbook(path, {"events": _read_csv(path, limits, notes)}, notes=notes)
    return _read_xlsx(path, limits)


# --- xlsx --------------------------------------------------------------------------------------


def _check_archive(path: Path, limits: Limits) -> bool:
    """Refuse files that are not a sound, reasonably sized Excel zip before anything opens them;
    returns whether the workbook holds something only openpyxl reads (see ``OPENPYXL_ONLY``)."""
    with path.open("rb") as stream:
        head = stream.read(8)
    if head == CFB_SIGNATURE:
        data = path.read_bytes()  # bounded by the size limit checked before
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise _refuse(path, "password-protected", "the workbook is protected with a password (encrypted), so it cannot be read",
                          "open it in Excel, remove the password (File > Info > Protect Workbook > Encrypt with Password: clear it) and save it as .xlsx")
        raise _refuse(path, "old-xls", "this is an old-format Excel file (.xls, Excel 97-2003) with an .xlsx name",
                      SAVE_AS_XLSX)
    if not zipfile.is_zipfile(path):
        if head.startswith(ZIP_SIGNATURE):
            raise _refuse(path, "truncated", "the workbook is incomplete (truncated): the end of the file is missing, perhaps because a copy or download was interrupted",
                          f"copy or download the file again, or {REPAIR_OR_BACKUP}")
        raise _refuse(path, "not-a-workbook", "this file is not an Excel workbook (.xlsx is a zip archive; this file is not)",
                      f"{SAVE_AS_XLSX}; a comma-separated file should be named .csv")
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > limits.max_members:
                raise _refuse(path, "zip-bomb", f"the workbook holds {len(members):,} parts; an Excel workbook has a few dozen", "this is not a normal workbook: open it in Excel and save a copy, or ask whoever sent it")
            unpacked = sum(m.file_size for m in members)
            if unpacked > limits.max_unpacked_bytes:
                raise _refuse(path, "zip-bomb", f"the workbook would unpack to {unpacked / 1e6:,.0f} MB, over the limit of {limits.max_unpacked_mb:.0f} MB; it was not opened (this protects against files built to exhaust memory)",
                              "check that this is the right file; a genuine workbook this large can be read after raising TIMELINE_PDF_MAX_UNPACKED_MB (see the README)")
            if any(m.flag_bits & 0x1 for m in members):
                raise _refuse(path, "password-protected", "parts of the workbook are encrypted with a password, so it cannot be read", "save an unprotected copy from Excel as .xlsx")
            names = {m.filename for m in members}
            if "[Content_Types].xml" not in names:
                raise _refuse(path, "unreadable", "the workbook could not be read: it is a zip archive but holds no Excel workbook", SAVE_AS_XLSX)
            broken = archive.testzip()  # reads every part once; sizes are bounded by the check above
            if broken is not None:
                raise _refuse(path, "damaged", f"the workbook is damaged: its part '{broken}' fails its checksum", REPAIR_OR_BACKUP)
            for member in members:
                if member.filename.endswith((".xml", ".rels", ".vml")):
                    _check_xml(path, archive, member)
            return _check_counts(path, archive, limits)
    except zipfile.BadZipFile as exc:
        raise _refuse(path, "damaged", f"the workbook is damaged ({exc})", REPAIR_OR_BACKUP) from None
    except (OSError, EOFError, ValueError, NotImplementedError, zlib.error) as exc:  # broken compressed data, unknown compression
        raise _refuse(path, "damaged", f"the workbook is damaged ({type(exc).__name__}: {exc})", REPAIR_OR_BACKUP) from None


def _check_xml(path: Path, archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    """Refuse an XML part with a document type declaration: entity expansion ("billion laughs")
    and external entities need one, and Excel never writes one. defusedxml stops at the
    declaration, which comes before the first element, so only the start of a part is parsed."""
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import iterparse

    with archive.open(member) as stream:
        try:
            for _event in iterparse(stream, events=("start",), forbid_dtd=True):
                break
        except DefusedXmlException:
            raise _refuse(path, "xml-entities", f"the workbook's part '{member.filename}' declares XML entities, which Excel never writes; such files are built to exhaust memory, so it was not opened",
                          f"do not use this file; if you trust its source, {SAVE_AS_XLSX}") from None
        except ParseError as exc:
            raise _refuse(path, "damaged", f"the workbook is damaged: its part '{member.filename}' is not well-formed XML ({exc})", REPAIR_OR_BACKUP) from None


def _check_counts(path: Path, archive: zipfile.ZipFile, limits: Limits) -> bool:
    """Count the rows of each sheet and the cells of the whole workbook from the XML, stopping at
    the limit, so a sheet of a million rows is refused in a fraction of a second and a few
    megabytes of memory instead of being loaded cell by cell. Returns whether something only
    openpyxl reads was seen on the way (see ``OPENPYXL_ONLY``)."""
    cells = 0
    openpyxl_only = False
    names = archive.namelist()
    for name in names:
        if WORKSHEET_PART.match(name):
            (rows, in_sheet), seen = _count_tags(path, archive, name, (ROW_TAG, CELL_TAG), (limits.max_rows, limits.max_cells - cells), look=not openpyxl_only)
            openpyxl_only = openpyxl_only or seen
            cells += in_sheet
            if rows > limits.max_rows:
                raise _refuse(path, "too-many-rows", f"the sheet '{_sheet_name(archive, name)}' has more than {limits.max_rows:,} rows, over the limit; it was not opened",
                              "delete the empty or unused rows below the table (a format or paste copied down a whole column fills a million rows); " + LIMIT_HINT.format(setting=ROWS_VARIABLE))
        elif name.lower() == "xl/sharedstrings.xml":  # each text once, however many cells use it
            (texts,), seen = _count_tags(path, archive, name, (SHARED_STRING_TAG,), (limits.max_cells,), look=not openpyxl_only)
            openpyxl_only = openpyxl_only or seen
            if texts > limits.max_cells:
                cells = texts
        if cells > limits.max_cells:
            raise _refuse(path, "too-many-cells", f"the workbook holds more than {limits.max_cells:,} filled cells or texts, over the limit ({CELLS_PER_ROW} per row of {limits.max_rows:,} rows); it was not opened",
                          "delete unused sheets, columns and rows (a format or paste copied across a whole sheet fills millions of cells); " + LIMIT_HINT.format(setting=ROWS_VARIABLE))
    return openpyxl_only


def _count_tags(path: Path, archive: zipfile.ZipFile, member: str, patterns: tuple[re.Pattern[bytes], ...], stops: tuple[int, ...],
                look: bool) -> tuple[list[int], bool]:
    """How many start tags of each pattern the part holds, read in chunks; stops as soon as
    any count passes its stop, so at most that much more than the limit is ever read. The
    part is checked to be well-formed XML on the way (expat, with nothing called back). When
    ``look``, also whether it holds something only openpyxl reads (the search stops at the first)."""
    from xml.parsers import expat

    counts = [0] * len(patterns)
    found = False
    carry = b""
    parser = expat.ParserCreate()
    with archive.open(member) as stream:
        while chunk := stream.read(1 << 20):
            _parse(path, member, parser, chunk)
            data = carry + chunk
            cut = data.rfind(b"<")  # a tag cut off at the chunk's end is counted with the next one
            if cut <= 0 or len(data) - cut > 1 << 16:
                cut = len(data)
            data, carry = data[:cut], data[cut:]
            for index, pattern in enumerate(patterns):
                counts[index] += len(pattern.findall(data))
            found = found or (look and _openpyxl_only(data))
            if any(count > stop for count, stop in zip(counts, stops)):
                return counts, found
    _parse(path, member, parser, b"", final=True)
    for index, pattern in enumerate(patterns):
        counts[index] += len(pattern.findall(carry))
    found = found or (look and _openpyxl_only(carry))
    return counts, found


def _openpyxl_only(data: bytes) -> bool:
    """Whether ``data`` holds any of ``OPENPYXL_ONLY``."""
    for name, pattern in OPENPYXL_ONLY.items():
        for match in pattern.finditer(data):
            if name == "cell type" and data[match.start() - 1 : match.start()] not in (b" ", b"\t", b"\n", b"\r"):
                continue  # another attribute ending in t
            return True
    return False


def _parse(path: Path, member: str, parser, chunk: bytes, final: bool = False) -> None:
    from xml.parsers import expat

    try:
        parser.Parse(chunk, final)
    except expat.ExpatError as exc:
        raise _refuse(path, "damaged", f"the workbook is damaged: its part '{member}' is not well-formed XML ({exc})",
                      REPAIR_OR_BACKUP) from None


def _sheet_name(archive: zipfile.ZipFile, part: str) -> str:
    """The name Excel shows for a worksheet part such as xl/worksheets/sheet1.xml."""
    from defusedxml.ElementTree import fromstring

    try:
        relations = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
        targets = {r.get("Id"): r.get("Target", "").lstrip("/").removeprefix("xl/") for r in relations}
        for sheet in fromstring(archive.read("xl/workbook.xml")).iter():
            if sheet.tag.endswith("}sheet") or sheet.tag == "sheet":
                relation = next((v for k, v in sheet.attrib.items() if k.endswith("}id")), "")
                if "xl/" + targets.get(relation, "") == part:
                    return sheet.get("name", part)
    except Exception:  # the name is only for the message; a damaged index falls back to the part
        pass
    return part


def _load(path: Path, data_only: bool):
    from openpyxl import load_workbook

    try:
        return load_workbook(path, data_only=data_only, keep_vba=False, keep_links=False, rich_text=False)
    except Exception as exc:  # openpyxl raises many kinds on damaged files; the cause says most
        cause = exc.__cause__ or exc
        raise _refuse(path, "unreadable", f"the workbook could not be read ({type(cause).__name__}: {cause})", REPAIR_OR_BACKUP) from None


def _read_xlsx(path: Path, limits: Limits) -> RawWorkbook:
    openpyxl_only = _check_archive(path, limits)
    notes: list[Finding] = []
    with zipfile.ZipFile(path) as archive:
        if any(name.lower().endswith("vbaproject.bin") for name in archive.namelist()):
            notes.append(Finding("note", "the workbook contains macros; they were ignored (timeline-pdf never runs them)", "", str(path), code="macros-ignored"))
    if not openpyxl_only:
        with fewer_collections():  # a quarter of a million cells for 10,000 events
            read = _read_values(path, limits, notes)
        if read is not None:
            return read
    return _read_openpyxl(path, limits, notes)


def _read_openpyxl(path: Path, limits: Limits, notes: list[Finding]) -> RawWorkbook:
    """Every cell with openpyxl: values, formulas (and their last results), hyperlinks, errors,
    hidden rows and columns, merged cells."""
    import warnings

    with warnings.catch_warnings():  # openpyxl warns about features it drops (data validation extensions, ...)
        warnings.simplefilter("ignore")
        book = _load(path, data_only=False)
        formulas = any(c.data_type == "f" for ws in book.worksheets for c in ws._cells.values())
        cached = _load(path, data_only=True) if formulas else None  # formulas' last calculated values
    sheets: dict[str, RawSheet] = {}
    for ws in book.worksheets:
        values = cached[ws.title] if cached is not None else None
        sheets[normalise(ws.title)] = _worksheet(ws, values, _CellLength(path, ws.title, limits, notes))
    return RawWorkbook(path, sheets, book.epoch, notes)


def _read_values(path: Path, limits: Limits, notes: list[Finding]) -> RawWorkbook | None:
    """The cell values of a workbook holding nothing only openpyxl reads, with python-calamine,
    as openpyxl gives them: whole numbers below 10^16 as int (openpyxl reads a number written
    without a point or exponent as int), days as datetime at midnight. None when calamine
    cannot read the file or holds a time of day (openpyxl then reads it, or says why it cannot)."""
    from python_calamine import CalamineWorkbook, SheetTypeEnum

    found: list[Finding] = []  # kept only if the whole workbook is read here
    try:
        book = CalamineWorkbook.from_path(str(path))
        epoch = _epoch(path)
        sheets: dict[str, RawSheet] = {}
        for meta in book.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sheet = book.get_sheet_by_name(meta.name)
            bounded, longest = _CellLength(path, meta.name, limits, found), limits.max_cell_chars
            sparse: dict[int, dict[int, RawCell]] = {}
            # the used rectangle alone: iter_rows() would yield the empty rows above it (but not
            # the empty columns to its left), so rows and columns are both counted from its corner
            first_row, first_column = sheet.start or (0, 0)
            letters = [column_letter(column + 1) for column in range(first_column, first_column + sheet.width)]
            for row_index, values in enumerate(sheet.to_python(skip_empty_area=True), start=first_row + 1):
                cells = {}
                number = str(row_index)
                for offset, value in enumerate(values):
                    if value == "":
                        continue  # empty (the scan found no empty string)
                    kind = type(value)
                    if kind is str:
                        if len(value) > longest:
                            value = bounded(value, letters[offset] + number)
                    elif kind is float:
                        if value.is_integer() and -1e16 < value < 1e16:
                            value = int(value)
                        elif value != value:
                            return None  # NaN: openpyxl cannot read the sheet, and says so
                    elif kind is bool or isinstance(value, (int, datetime)):
                        pass
                    elif isinstance(value, date):  # isinstance: a test's frozen clock replaces the class
                        value = datetime(value.year, value.month, value.day)
                    elif isinstance(value, time):
                        return None  # a time of day, or a date before 1900 that calamine reads as one: openpyxl tells them apart
                    cells[first_column + offset] = _plain_cell(value, letters[offset] + number)
                if cells:
                    sparse[row_index] = cells
            sheets[normalise(meta.name)] = _to_sheet(meta.name, sparse, lambda h, title=meta.name: is_known_header(title, h))
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - any failure (calamine's panics included): openpyxl reads the file, or refuses it with its reason
        return None
    return RawWorkbook(path, sheets, epoch, notes + found)


def _epoch(path: Path) -> datetime:
    """The workbook's date system, as openpyxl reads it: 1904 when workbook.xml says so."""
    from defusedxml.ElementTree import fromstring
    with zipfile.ZipFile(path) as archive:
        for element in fromstring(archive.read("xl/workbook.xml")).iter():
            if element.tag.rsplit("}", 1)[-1] == "workbookPr":
                return MAC_EPOCH if element.get("date1904", "").lower() in ("1", "true") else WINDOWS_EPOCH
    return WINDOWS_EPOCH


@dataclass
class _CellLength:
    """Holds cells to the length limit: a longer text is an error finding (with its cell), and
    only its first characters are kept so that later checks stay cheap."""

    path: Path
    sheet: str
    limits: Limits
    findings: list[Finding]

    def __call__(self, value: Any, ref: str) -> Any:
        limit = self.limits.max_cell_chars
        if not isinstance(value, str) or len(value) <= limit:
            return value
        self.findings.append(Finding(
            "error", f"the cell holds {len(value):,} characters, over the limit of {limit:,}",
            "shorten it (no entry needs that much text; the cell may hold a paste gone wrong); if it is right, raise " + CELL_CHARS_VARIABLE + " (see the README)",
            str(self.path), self.sheet, ref, value=value[:40] + "…", code="cell-too-long"))
        return value[:limit]


def _worksheet(ws, cached, bounded: _CellLength) -> RawSheet:
    """Only the cells stored in the file: iter_rows would create every cell of the used
    rectangle, and one stray cell at XFD1048576 makes that billions."""
    sparse: dict[int, dict[int, RawCell]] = {}
    for (row, column), cell in sorted(ws._cells.items()):
        value, formula, error, link = cell.value, "", "", ""
        if cell.hyperlink is not None:
            link = cell.hyperlink.target or ""
        if cell.data_type == "f":
            formula = value if isinstance(value, str) else getattr(value, "text", None) or "=(array formula)"
            match = HYPERLINK_FORMULA.match(formula)
            if match and not link:
                link = match.group(1)
            value = cached.cell(row, column).value if cached is not None else None
            if isinstance(value, str) and value.startswith("#") and cached.cell(row, column).data_type == "e":
                value, error = None, value
        elif cell.data_type == "e":
            value, error = None, str(value)
        if value is None and not formula and not link and not error:
            continue  # a formatted but empty cell
        value, link = bounded(value, cell.coordinate), bounded(link, cell.coordinate)
        sparse.setdefault(row, {})[column - 1] = RawCell(value, cell.coordinate, link, formula, error)
    hidden_rows = frozenset(r for r, d in ws.row_dimensions.items() if d.hidden)
    hidden_columns = set()
    for key, dimension in ws.column_dimensions.items():
        if dimension.hidden:
            low, high = dimension.min or 0, dimension.max or 0
            if not low:
                from openpyxl.utils import column_index_from_string

                low = high = column_index_from_string(key)
            hidden_columns.update(range(low - 1, min(high, 16384)))
    merged = tuple(str(r) for r in ws.merged_cells.ranges)
    return _to_sheet(ws.title, sparse, lambda h: is_known_header(ws.title, h), hidden_rows, frozenset(hidden_columns), merged)


# --- csv ---------------------------------------------------------------------------------------


CSV_SAVE_HINT = "save it again as 'CSV UTF-8 (Comma delimited)' in Excel, or with the character set 'Unicode (UTF-8)' in LibreOffice"


def _read_csv(path: Path, limits: Limits, notes: list[Finding]) -> RawSheet:
    """The file is read as a stream, a line at a time, so refusing a file of a million rows
    costs no more memory than the rows up to the limit."""
    with path.open("rb") as raw:
        if raw.read(2) in (b"\xff\xfe", b"\xfe\xff"):
            raise _refuse(path, "csv-encoding", "the CSV file is saved as UTF-16 ('Unicode Text'), not UTF-8", CSV_SAVE_HINT)
    sparse: dict[int, dict[int, RawCell]] = {}
    bounded = _CellLength(path, "Events", limits, notes)
    count = 0
    try:
        with path.open("r", encoding="utf-8-sig", newline="") as stream, _csv_field_limit(limits.max_unpacked_bytes):
            lines = _lines(stream)
            first_line = next((line for line in lines.peek() if line.strip()), "")
            try:
                delimiter = csv.Sniffer().sniff(first_line, delimiters=",;\t").delimiter
            except csv.Error:
                delimiter = ","
            for number, values in enumerate(csv.reader(lines, delimiter=delimiter), start=1):
                cells = {c: RawCell(bounded(v, ref := f"{column_letter(c + 1)}{number}"), ref) for c, v in enumerate(values) if v != ""}
                if cells:
                    sparse[number] = cells
                    count += len(cells)
                if len(sparse) > limits.max_rows:
                    raise _refuse(path, "too-many-rows", f"the CSV file has more than {limits.max_rows:,} rows, over the limit; it was not read",
                                  "delete the rows that are not events; " + LIMIT_HINT.format(setting=ROWS_VARIABLE))
                if count > limits.max_cells:
                    raise _refuse(path, "too-many-cells", f"the CSV file holds more than {limits.max_cells:,} filled cells, over the limit ({CELLS_PER_ROW} per row of {limits.max_rows:,} rows); it was not read",
                                  "delete the columns and rows that are not used; " + LIMIT_HINT.format(setting=ROWS_VARIABLE))
    except UnicodeDecodeError:
        line, offset, byte = _undecodable(path)
        raise _refuse(path, "csv-encoding", f"the CSV file is not UTF-8 text: line {line} has a byte (0x{byte:02X}, byte {offset}) that cannot be decoded", CSV_SAVE_HINT) from None
    except csv.Error as exc:
        raise _refuse(path, "csv-unreadable", f"the CSV file could not be read ({exc})", "check that it is a comma-separated text file with a header row; save it again from Excel as 'CSV UTF-8'") from None
    return _to_sheet("Events", sparse, lambda h: is_known_header("Events", h))


@contextmanager
def _csv_field_limit(size: int) -> Iterator[None]:
    """The csv module's field size limit belongs to the process: raised while this file is read
    (long cells are held to their own limit), then put back."""
    before = csv.field_size_limit()
    csv.field_size_limit(max(before, size))
    try:
        yield
    finally:
        csv.field_size_limit(before)


class _lines:
    """The lines of a text stream, with the first few available before iterating (to sniff
    the separator from the first line that is not blank)."""

    def __init__(self, stream: io.TextIOBase) -> None:
        self.stream, self.buffered = stream, []

    def peek(self, count: int = HEADER_SEARCH_ROWS) -> list[str]:
        while len(self.buffered) < count and (line := self.stream.readline()):
            self.buffered.append(line)
        return list(self.buffered)

    def __iter__(self) -> Iterator[str]:
        yield from self.buffered
        self.buffered = []
        yield from self.stream


def _undecodable(path: Path) -> tuple[int, int, int]:
    """(line, byte offset, byte) of the first byte of a file that is not UTF-8, read in chunks."""
    import codecs

    decoder = codecs.getincrementaldecoder("utf-8")()
    offset, line = 0, 1
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return line + chunk[: max(exc.start, 0)].count(b"\n"), offset + max(exc.start, 0), chunk[max(exc.start, 0)] if 0 <= exc.start < len(chunk) else 0
            offset, line = offset + len(chunk), line + chunk.count(b"\n")
    return line, offset, 0


# --- tables ------------------------------------------------------------------------------------


def _to_sheet(
    name: str,
    sparse: dict[int, dict[int, RawCell]],
    known: Callable[[Any], bool],
    hidden_rows: frozenset[int] = frozenset(),
    hidden_columns: frozenset[int] = frozenset(),
    merged: tuple[str, ...] = (),
) -> RawSheet:
    header_row = _find_header_row(sparse, known)
    if header_row is None:
        return RawSheet(name, 0, [], hidden_rows=hidden_rows, hidden_columns=hidden_columns, merged=merged, sparse=sparse)
    header_cells = sparse[header_row]
    width = max(header_cells) + 1
    headers = [_header_text(header_cells.get(c)) for c in range(width)]
    letters = [column_letter(c + 1) for c in range(width)]
    body = []
    skipped = 0
    for number in sorted(r for r in sparse if r > header_row):
        stored = sparse[number]
        if not any(not _blank(cell.value) or cell.formula or cell.error for c, cell in stored.items() if c < width):
            continue  # blank, or whitespace only
        cells = [stored.get(c) or _plain_cell(None, f"{letters[c]}{number}") for c in range(width)]
        if not body and not skipped and _is_tag_row(cells):
            skipped = number
            continue
        body.append((number, cells))
    return RawSheet(name, header_row, headers, body, hidden_rows, hidden_columns, merged, skipped, sparse)


def _find_header_row(sparse: dict[int, dict[int, RawCell]], known: Callable[[Any], bool]) -> int | None:
    """The row, among the first few, that names the most known columns. A title row above the
    table has at most a word or two that happen to match; with no known column at all, the first
    row with two text cells is taken so that 'did you mean' can help with misspelt headers."""
    candidates = sorted(sparse)[:HEADER_SEARCH_ROWS]
    best, best_score = None, 0
    for number in candidates:
        score = sum(1 for cell in sparse[number].values() if known(cell.value))
        if score > best_score:
            best, best_score = number, score
    if best is not None:
        return best
    for number in candidates:
        if sum(1 for cell in sparse[number].values() if isinstance(cell.value, str) and cell.value.strip()) >= 2:
            return number
    return None


def _is_tag_row(cells: Iterable[RawCell]) -> bool:
    """An HXL hashtag row ('#date+start', '#geo+lat'), as in exports from humanitarian data hubs."""
    texts = [c.value.strip() for c in cells if isinstance(c.value, str) and c.value.strip()]
    return bool(texts) and all(t.startswith("#") for t in texts) and all(c.value is None or isinstance(c.value, str) for c in cells)


def _header_text(cell: RawCell | None) -> str:
    if cell is None or cell.value is None:
        return ""
    if isinstance(cell.value, (datetime, date)):
        return cell.value.isoformat()
    return str(cell.value).replace("\u00a0", " ").strip()


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())
