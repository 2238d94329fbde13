"""Turn raw workbook tables into the model, collecting every finding on the way.

Each rule adds a ``Finding`` with its cell, a stable code and a fix hint instead of raising, so
an analyst sees all mistakes in one run. ``load_report`` raises ``WorkbookError`` only at the
end: when there is at least one error, or (``strict``) at least one warning. Nothing after this
module sees a raw cell.
"""

from __future__ import annotations

import calendar
import difflib
import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from timeline_pdf.contract import CASUALTY_HEADER, COLUMN_BY_FIELD, DATE_ORDERS, FIELDS, LANGUAGE_TAG, MAPPED_CATEGORIES, REPORT_BY_KEY, REPORT_FIELDS, REQUIRED, group_display, normalise, tidy_value
from timeline_pdf.dates import DateProblem, ParsedDate, read_date
from timeline_pdf.errors import CATEGORY_HINT, CATEGORY_HINT_IMPORT, DATE_ORDER_HINT_CSV, ONLY_EVENTS, SAVE_FORMULA_RESULTS, Finding, WorkbookError, report_row_hint
from timeline_pdf.layout.schema import PRODUCT_TITLES
from timeline_pdf.links import SAFE_SCHEMES
from timeline_pdf.limits import ENVIRONMENT_VARIABLE, Limits, current_limits
from timeline_pdf.model import KINDS, Casualties, Category, Event, Period, Report, ReportInfo, Source, default_kind
from timeline_pdf.typography import straighten
from timeline_pdf.wording import names
from timeline_pdf.workbook import RawCell, RawSheet, RawWorkbook, read_workbook

YES = {"yes", "y", "true", "1", "x", "✓"}
NO = {"no", "n", "false", "0", ""}
URL_SPLIT = re.compile(r"[\s;]+")
UNSAFE_SCHEMES = ("javascript", "vbscript", "data", "file")
LINK_LIKE = re.compile(r"^[a-z][a-z0-9+.-]*:\S", re.IGNORECASE)  # "scheme:..." as opposed to a label word
DOMAIN_LIKE = re.compile(r"^(www\.)?[a-z0-9-]+(\.[a-z0-9-]+)+(/\S*)?$", re.IGNORECASE)
WHOLE = re.compile(r"^\d+(\.0+)?$")
THOUSANDS = re.compile(r"^\d{1,3}(,\d{3})+$")
DECIMAL_COMMA = re.compile(r"^\d+,\d+$")
ESTIMATE = re.compile(r"^(~|≈|c\.|ca\.?|circa|about|approx\.?|approximately|around|some)\s*(\d[\d,]*)$", re.IGNORECASE)
LOWER_BOUND = re.compile(r"^(?:(\d[\d,]*)\s*\+|(?:>|≥|>=|at least|over|more than)\s*(\d[\d,]*))$", re.IGNORECASE)
RANGE = re.compile(r"^(\d[\d,]*)\s*(?:-|–|to)\s*(\d[\d,]*)$", re.IGNORECASE)
INVISIBLE = dict.fromkeys([*map(ord, "\u200b\ufeff\u2060\x7f"), *(c for c in range(32) if c not in (9, 10, 13))], None)  # zero-width spaces, control characters
DUPLICATE_SIMILARITY = 0.9
SHORT_TEXT = 1_000  # characters in a name or label (Category, Headline, Location, a Report field...); the Description may be as long as a cell
COLUMN_NAMES = {field_name: column.name for field_name, column in COLUMN_BY_FIELD.items()}


@dataclass
class Findings:
    """Collects findings for one file."""

    file: str
    items: list[Finding] = field(default_factory=list)

    def add(self, severity: str, sheet: str, message: str, hint: str = "", cell: str = "", column: str = "", value: Any = "", code: str = "") -> None:
        shown = "" if value in ("", None) else str(value)
        self.items.append(Finding(severity, message, hint, self.file, sheet, cell, column, shown[:80], code))  # type: ignore[arg-type]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.items if f.severity == "warning"]


def load_report(
    path: Path,
    *,
    summary_path: Path | None = None,
    strict: bool = False,
    preset: str | None = None,
    mapping: Path | None = None,
    limits: Limits | None = None,
) -> tuple[Report, list[Finding]]:
    """Read, validate and model a workbook; raise ``WorkbookError`` when it has errors, or with
    ``strict`` when it has warnings. ``preset`` or ``mapping`` import a third-party layout."""
    limits = limits or current_limits()
    raw = read_workbook(path, limits)
    findings = Findings(str(path))
    findings.items.extend(raw.notes)
    notes: tuple[str, ...] = ()
    if preset or mapping:
        from timeline_pdf.presets import apply_mapping, load_mapping

        spec = load_mapping(preset=preset, path=mapping)
        raw = apply_mapping(raw, spec, findings)
        notes = spec.notes
    report = build_report(raw, findings)
    if not (preset or mapping) and any(f.code == "column-missing" for f in findings.items):
        from timeline_pdf.presets import preset_suggestion

        if (suggestion := preset_suggestion(raw)) is not None:
            findings.items.insert(0, suggestion)  # first: it explains the errors and warnings that follow
    report = replace(report, notes=report.notes + notes)
    summary_file = summary_path or path.with_suffix(".md")
    summary = None
    if summary_file.is_file() and summary_file.stat().st_size > limits.max_unpacked_bytes:
        findings.add("error", "", f"the summary file {summary_file.name} is {summary_file.stat().st_size / 1e6:,.0f} MB, over the limit of {limits.max_unpacked_mb:,.0f} MB",
                     f"check that {summary_file} is the analyst's summary; if it is, raise {ENVIRONMENT_VARIABLE} (see the README)", code="file-too-large")
    elif summary_file.is_file():
        try:
            summary = summary_file.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            findings.add("error", "", f"the summary file {summary_file} is not UTF-8 text (byte {exc.start} cannot be decoded)", "save it again as UTF-8 text", code="summary-encoding")
    else:
        findings.add("warning", "", f"no summary file {summary_file.name} beside the workbook; the brief is built without a summary", f"write the analyst's summary in Markdown at {summary_file}", code="summary-missing")
    if summary is not None:  # live figures such as {{ attacks since=2020-01-03 }}
        from timeline_pdf.summary import check_summary

        findings.items.extend(check_summary(summary, report, str(summary_file)))
    if findings.errors or (strict and findings.warnings):
        raise WorkbookError(findings.items, strict=strict)
    return replace(report, summary_markdown=summary, summary_file=str(summary_file)), findings.items


def build_report(raw: RawWorkbook, findings: Findings) -> Report:
    events_sheet = raw.sheet("events") or (next(iter(raw.sheets.values())) if len(raw.sheets) == 1 else None)
    if events_sheet is None:
        names = ", ".join(f"'{s.name}'" for s in raw.sheets.values())
        findings.add("error", "", f"the workbook has no sheet named 'Events' (its sheets: {names})", "rename the sheet that lists the events to 'Events'", code="sheet-missing")
        return Report(ReportInfo(), (), (), ())
    categories = _read_categories(raw.sheet("categories"), findings)
    info, order = _read_info(raw.sheet("report"), raw, findings)
    events, groups, excluded, uses = _read_events(events_sheet, raw, order, findings)
    known = {c.name for c in categories}
    for name, cells in uses.items():  # every included row, including those with errors elsewhere
        if categories and name not in known:
            near = [c.name for c in categories if straighten(c.name) == straighten(name)] or difflib.get_close_matches(name, [c.name for c in categories], n=1)
            add = CATEGORY_HINT_IMPORT if _from_mapping(raw) else CATEGORY_HINT
            hint = f"did you mean '{near[0]}'? Otherwise {add}" if near else add
            if near and straighten(near[0]) == straighten(name):
                hint = f"it differs from '{near[0]}' on the Categories sheet only in its quote marks (’ and '): type them alike on both sheets"
            where = f" (used in {len(cells)} rows, first here)" if len(cells) > 1 else ""
            findings.add("warning", events_sheet.name, f"category '{name}' is not on the Categories sheet; counted as '{default_kind(name)}'{where}",
                         hint, cell=cells[0].ref, column=cells[0].column or "Category", value=name, code="category-unknown")
    ordered = list(categories)
    for event in events:
        if event.category not in known:
            known.add(event.category)
            ordered.append(Category(event.category, default_kind(event.category)))
    events.sort(key=lambda e: (e.date, e.row))
    unread = any(f.code == "import-column-missing" for f in findings.items)  # a file of another layout: its rows were not read
    if len(events_sheet.rows) == excluded and events_sheet.headers and not unread:  # rows with errors are reported already
        _no_events(events_sheet, excluded, raw, findings)
    report = Report(info, tuple(events), tuple(ordered), tuple(groups), source_name=raw.path.name, excluded_rows=excluded, events_sheet=events_sheet.name)
    _assumption_notes(raw, report, findings)
    return report


def _from_mapping(raw: RawWorkbook) -> bool:
    """The categories are an import mapping's, not a Categories sheet of the file."""
    sheet = raw.sheet("categories")
    return bool(raw.imported_from) and sheet is not None and sheet.name == MAPPED_CATEGORIES.format(raw.imported_from)


def _no_events(sheet: RawSheet, excluded: int, raw: RawWorkbook, findings: Findings) -> None:
    """Nothing to publish is an error, not an empty brief with an invented period."""
    if excluded:
        message = f"there is no event to publish: all {excluded:,} row(s) have Include = no"
        hint = "set Include to 'yes' (or clear it) on the rows to publish"
    elif raw.imported_from:
        message = f"there is no event to publish: the {raw.imported_from} file has no rows of events under its headers"
        hint = "check that this is the export you meant, with its rows"
    else:
        message = "there is no event to publish: the sheet has no rows under its headers"
        hint = "add the events, one per row, under the header row"
    findings.add("error", sheet.name, message, hint, cell=f"A{sheet.header_row + 1}" if sheet.header_row else "", code="no-events")


# --- the Events sheet --------------------------------------------------------------------------


def _columns(sheet: RawSheet, findings: Findings) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Map model fields and casualty groups to column indexes; report unknown and missing headers."""
    fields: dict[str, int] = {}
    spellings: dict[str, list[str]] = {}  # normalised group -> the spellings its headers use
    by_group: dict[str, dict[str, int]] = {}
    for index, header in enumerate(sheet.headers):
        if not header:
            continue
        ref = f"{sheet.column_letter(index)}{sheet.header_row}"
        key = normalise(header)
        match = CASUALTY_HEADER.match(header)
        if key in FIELDS:
            name = FIELDS[key]
            if name in fields:
                first = f"{sheet.column_letter(fields[name])}{sheet.header_row}"
                findings.add("error", sheet.name, f"the column '{header}' appears twice (also in {first})", "delete or rename one of the two columns", cell=ref, column=header, code="column-duplicate")
            fields[name] = index
        elif match and len(match["group"]) > SHORT_TEXT:
            findings.add("error", sheet.name, *too_long("casualty group", match["group"], SHORT_TEXT), cell=ref, column=header[:60] + "…", code="text-too-long")
            continue
        elif match:
            group_key, what = normalise(match["group"]), match["what"].lower()
            spellings.setdefault(group_key, []).append(" ".join(match["group"].split()))
            if what in by_group.get(group_key, {}):
                findings.add("error", sheet.name, f"the column '{header}' appears twice", "delete or rename one of the two columns", cell=ref, column=header, code="column-duplicate")
            by_group.setdefault(group_key, {})[what] = index
        else:
            findings.add("warning", sheet.name, f"unknown column '{header}' is ignored", "rename it to a known column if it should be used (see the README), or delete it", cell=ref, column=header, code="column-unknown")
            continue
        if index in sheet.hidden_columns:
            findings.add("warning", sheet.name, f"the column '{header}' is hidden in Excel, but its values are used in the PDFs", "unhide it (right-click the column headings > Unhide) and check it", cell=ref, column=header, code="column-hidden")
    for required in REQUIRED:
        if required not in fields:
            display = COLUMN_NAMES[required]
            typed = [h for h in sheet.headers if h and normalise(h) not in FIELDS]
            near = difflib.get_close_matches(display, typed, n=1, cutoff=0.6) or difflib.get_close_matches(display.lower(), [t.lower() for t in typed], n=1, cutoff=0.6)
            near_header = next((t for t in typed if t.lower() == near[0].lower()), near[0]) if near else ""
            hint = f"did you mean '{near_header}'? Rename it to '{display}'" if near else f"add a column headed '{display}'"
            findings.add("error", sheet.name, f"required column '{display}' is missing", hint, cell=f"A{sheet.header_row or 1}", code="column-missing")
    groups = {group_display(spellings[k]): columns for k, columns in by_group.items()}
    return fields, groups


def _read_events(sheet: RawSheet, raw: RawWorkbook, order: str | None, findings: Findings) -> tuple[list[Event], list[str], int, dict[str, list[RawCell]]]:
    """The valid events, the casualty groups, the number of rows left out with Include = no,
    and the cells where each category is used."""
    if not sheet.headers:
        findings.add("error", sheet.name, "the sheet has no header row", "put the column headers (Date, Category, Description, …) in the first row", cell="A1", code="header-missing")
        return [], [], 0, {}
    fields, groups = _columns(sheet, findings)
    _merged_warnings(sheet, findings)
    if any(r not in fields for r in REQUIRED):
        return [], list(groups), 0, {}
    events: list[Event] = []
    excluded = 0
    uses: dict[str, list[RawCell]] = {}
    row_cells: dict[int, list[RawCell]] = {}  # the cells of each event's row: findings name the original cell
    for row_number, cells in sheet.rows:
        cell = _cell_getter(cells, fields)
        reader = _RowReader(sheet, findings, raw, order)
        if not reader.flag(cell("include"), "Include", default=True):
            excluded += 1
            continue
        if row_number in sheet.hidden_rows:
            findings.add("warning", sheet.name, f"row {row_number} is hidden in Excel, but it will be published", "unhide it (right-click the row numbers > Unhide) to check it, or set Include to 'no' to keep it out",
                         cell=f"A{row_number}", code="row-hidden")
        start = reader.date(cell("date"), "Date", required=True)
        end = reader.date(cell("end_date"), "End Date")
        category = reader.text(cell("category"), "Category", required=True)
        if category:
            uses.setdefault(category, []).append(cell("category"))
        description = reader.text(cell("description"), "Description", required=True, limit=None)
        if start and end:
            if _last_day(end) < start.day:
                reader.error(cell("end_date"), "End Date", f"End Date {end.day.isoformat()} is before Date {start.day.isoformat()}", "swap the two dates or correct the End Date", "date-end-before-start")
                end = None
        casualties = []
        for group, columns in groups.items():
            killed = reader.count(_raw(cells, columns.get("killed")), f"{group} Killed")
            wounded = reader.count(_raw(cells, columns.get("wounded")), f"{group} Wounded")
            casualties.append(Casualties(group, killed, wounded))
        latitude = reader.number(cell("latitude"), "Latitude", -90, 90)
        longitude = reader.number(cell("longitude"), "Longitude", -180, 180)
        if (latitude is None) != (longitude is None) and reader.ok:
            given, missing = ("Latitude", "Longitude") if latitude is not None else ("Longitude", "Latitude")
            given_cell = cell(given.lower())
            findings.add("warning", sheet.name, f"{given} is given without {missing}, so the position is not used", f"fill in {missing} too, or clear {given}",
                         cell=given_cell.ref, column=given_cell.column or given, code="coordinate-incomplete")
            latitude = longitude = None
        event = Event(
            row=row_number,
            date=start.day if start else date.min,
            end_date=end.day if end else None,
            category=category,
            description=description,
            headline=reader.text(cell("headline"), "Headline"),
            actor=reader.text(cell("actor"), "Actor"),
            target=reader.text(cell("target"), "Target"),
            location=reader.text(cell("location"), "Location"),
            latitude=latitude,
            longitude=longitude,
            casualties=tuple(casualties),
            sources=reader.sources(cell("sources"), "Sources"),
            key=reader.flag(cell("key"), "Key Event", default=False),
            id=reader.text(cell("id"), "ID"),
            date_precision=start.precision if start else "day",
            end_date_precision=end.precision if end else "day",
        )
        if reader.ok:
            events.append(event)
            row_cells[row_number] = cells
    _duplicate_warnings(sheet, events, fields, row_cells, findings, imported=bool(raw.imported_from))
    _duplicate_ids(sheet, events, fields, row_cells, findings)
    return events, list(groups), excluded, uses


def _duplicate_ids(sheet: RawSheet, events: list[Event], fields: dict[str, int], row_cells: dict[int, list[RawCell]], findings: Findings) -> None:
    """IDs tell editions apart: two rows with one ID would make one of them vanish."""
    first: dict[str, int] = {}
    for event in events:
        if not event.id:
            continue
        if event.id in first:
            cell = _raw(row_cells[event.row], fields["id"])
            findings.add("error", sheet.name, f"ID '{event.id}' is also used on row {first[event.id]}", "give every event its own ID, or leave the ID blank",
                         cell=cell.ref if cell else "", column=(cell.column if cell else "") or "ID", value=event.id, code="id-duplicate")
        else:
            first[event.id] = event.row


def _last_day(parsed: ParsedDate) -> date:
    """The last day a (possibly partial) date covers: 1946 covers up to December 31, 1946."""
    day = parsed.day
    if parsed.precision == "year":
        return date(day.year, 12, 31)
    if parsed.precision == "month":
        return date(day.year, day.month, calendar.monthrange(day.year, day.month)[1])
    return day


def _merged_warnings(sheet: RawSheet, findings: Findings) -> None:
    if not sheet.merged:
        return
    from openpyxl.utils.cell import range_boundaries  # here, not at the top: a build of a plain workbook does not import openpyxl

    for text in sheet.merged:
        low_col, low_row, high_col, high_row = range_boundaries(text)
        if high_row < sheet.header_row or low_col > len(sheet.headers):
            continue  # a title above the table, or beside it
        if low_row <= sheet.header_row:
            findings.add("warning", sheet.name, f"header cells {text} are merged; only the first of them is read as a header", "unmerge them (Home > Merge & Center > Unmerge Cells) and give each column its own header",
                         cell=text.split(":")[0], code="cells-merged")
        else:
            first = text.split(":")[0]
            findings.add("warning", sheet.name, f"cells {text} are merged: only {first} holds a value, the other cells of the range read as blank", "unmerge them (Home > Merge & Center > Unmerge Cells) and fill in every row",
                         cell=first, code="cells-merged")


def _duplicate_warnings(sheet: RawSheet, events: list[Event], fields: dict[str, int], row_cells: dict[int, list[RawCell]], findings: Findings, imported: bool) -> None:
    """Likely duplicates: same date, category, location, actor, target and casualties, and nearly
    the same description (a row pasted twice, or the same report entered by two people).

    Rows with different IDs are different events by their own identifiers (ACLED's
    event_id_cnty), whatever they look like. In an imported dataset without IDs (UCDP) such rows
    are distinct records all the same and not the analyst's to edit: notes there, not warnings.
    The finding names the Description's own cell (in an import, the original file's)."""
    seen: dict[tuple, list[Event]] = {}
    for event in events:
        key = (event.date, normalise(event.category), normalise(event.location), normalise(event.actor), normalise(event.target), event.casualties)
        text = normalise(event.description)
        for earlier in seen.get(key, []):
            if event.id and earlier.id and event.id != earlier.id:
                continue
            earlier_text = normalise(earlier.description)
            if text == earlier_text or difflib.SequenceMatcher(None, text, earlier_text).ratio() >= DUPLICATE_SIMILARITY:
                findings.add("note" if imported else "warning", sheet.name, f"row {event.row} looks like a duplicate of row {earlier.row}: same date, category, location, actors and casualties, and nearly the same description",
                             "check the two records in the source dataset" if imported else "delete one of the two rows, or set Include to 'no' on one; if both events are real, make their descriptions tell them apart",
                             cell=cell.ref if (cell := _raw(row_cells[event.row], fields["description"])) else "", column=(cell.column if cell else "") or "Description", value=event.description, code="event-duplicate")
                break
        seen.setdefault(key, []).append(event)


def _raw(cells: list[RawCell], index: int | None) -> RawCell | None:
    return cells[index] if index is not None and index < len(cells) else None


def _cell_getter(cells: list[RawCell], fields: dict[str, int]) -> Callable[[str], RawCell | None]:
    return lambda name: _raw(cells, fields.get(name))


def _merged_range(sheet: RawSheet, ref: str) -> str:
    """The merged range that covers ``ref`` without starting at it, if any."""
    if not sheet.merged:
        return ""
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string, range_boundaries  # here: a plain workbook's build does not import openpyxl

    letters, row = coordinate_from_string(ref)
    column = column_index_from_string(letters)
    for text in sheet.merged:
        low_col, low_row, high_col, high_row = range_boundaries(text)
        if low_col <= column <= high_col and low_row <= row <= high_row and (column, row) != (low_col, low_row):
            return text
    return ""


def cell_value(cell: RawCell | None, sheet: RawSheet, findings: Findings, column: str) -> tuple[Any, bool]:
    """The value of a cell, reporting formulas without a saved result and Excel error values.
    Returns (value, ok)."""
    if cell is None:
        return None, True
    shown_column = cell.column or column
    if cell.error:
        findings.add("error", sheet.name, f"the cell shows the Excel error {cell.error}" + (f" from the formula {cell.formula}" if cell.formula else ""),
                     "correct the formula, or type the value instead", cell=cell.ref, column=shown_column, value=cell.formula or cell.error, code="formula-error")
        return None, False
    if cell.formula and cell.value is None:
        findings.add("error", sheet.name, f"the formula {cell.formula} has no saved result: the file was saved by a program that does not calculate formulas",
                     SAVE_FORMULA_RESULTS,
                     cell=cell.ref, column=shown_column, value=cell.formula, code="formula-no-value")
        return None, False
    return cell.value, True


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not clean_text(value))


class _RowReader:
    """Reads typed values from one row's cells, recording a finding for each bad one."""

    def __init__(self, sheet: RawSheet, findings: Findings, raw: RawWorkbook, order: str | None) -> None:
        self.sheet = sheet
        self.findings = findings
        self.raw = raw
        self.order = order
        self.ok = True

    def error(self, cell: RawCell | None, column: str, message: str, hint: str, code: str) -> None:
        self.ok = False
        self.findings.add("error", self.sheet.name, message, hint, cell=cell.ref if cell else "", column=(cell.column if cell and cell.column else column),
                          value=cell.value if cell else "", code=code)

    def value(self, cell: RawCell | None, column: str) -> Any:
        value, ok = cell_value(cell, self.sheet, self.findings, column)
        if not ok:
            self.ok = False
        return value

    def empty(self, cell: RawCell | None, column: str, hint: str) -> None:
        merged = _merged_range(self.sheet, cell.ref) if cell else ""
        if merged:
            hint = f"this cell is part of the merged cells {merged}, which leaves it blank: unmerge them and fill in every row"
        self.error(cell, column, f"{column} is empty", hint, "required-empty")

    def text(self, cell: RawCell | None, column: str, required: bool = False, limit: int | None = SHORT_TEXT) -> str:
        """Cleaned text; ``limit``: the most characters a name or label may have (None: any)."""
        value = self.value(cell, column)
        text = "" if value is None else clean_text(value)
        if required and not text and (cell is None or not (cell.formula or cell.error)):
            self.empty(cell, column, f"fill in the {column} for this row, or set Include to 'no'")
        if limit is not None and len(text) > limit:
            self.error(cell, column, *too_long(column, text, limit), "text-too-long")
            return text[:limit]
        return text

    def date(self, cell: RawCell | None, column: str, required: bool = False) -> ParsedDate | None:
        value = self.value(cell, column)
        if _is_blank(value):
            if required and (cell is None or not (cell.formula or cell.error)):
                self.empty(cell, column, "enter the day of the event as YYYY-MM-DD")
            return None
        try:
            return read_date(value, self.order, self.raw.epoch, partial=cell is not None and cell.partial, formats=cell.formats if cell is not None else ())
        except DateProblem as problem:
            hint = DATE_ORDER_HINT_CSV if problem.code == "date-ambiguous" and self.raw.path.suffix.lower() == ".csv" else problem.hint
            self.error(cell, column, problem.message, hint, problem.code)
            return None

    def count(self, cell: RawCell | None, column: str) -> int | None:
        value = self.value(cell, column)
        if _is_blank(value):
            return None  # blank = not reported
        problem = casualty_problem(value)
        if isinstance(problem, int):
            return problem
        self.error(cell, column, problem[1], problem[2], problem[0])
        return None

    def number(self, cell: RawCell | None, column: str, low: float, high: float) -> float | None:
        value = self.value(cell, column)
        if _is_blank(value):
            return None
        example = "33.31" if column == "Latitude" else "44.36"
        if isinstance(value, bool):
            number = math.nan
        elif isinstance(value, (int, float)):
            number = float(value)
        else:
            text = clean_text(value)
            if DECIMAL_COMMA.match(text.lstrip("-")):
                self.error(cell, column, f"'{text}' uses a decimal comma", f"write {column} with a decimal point, for example {example}", "coordinate-not-number")
                return None
            try:
                number = float(text)
            except ValueError:
                self.error(cell, column, f"'{text}' is not a number", f"enter {column} in decimal degrees, for example {example} (not degrees-minutes-seconds)", "coordinate-not-number")
                return None
        if not math.isfinite(number):
            self.error(cell, column, f"'{value}' is not a number", f"enter {column} in decimal degrees, for example {example}", "coordinate-not-number")
            return None
        if not low <= number <= high:
            self.error(cell, column, f"{column} {number:g} is outside {low:g}..{high:g}", f"enter {column} in decimal degrees between {low:g} and {high:g}; check that latitude and longitude are not swapped", "coordinate-range")
            return None
        return number

    def flag(self, cell: RawCell | None, column: str, default: bool) -> bool:
        value = self.value(cell, column)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        if isinstance(value, (int, float)):
            if value in (0, 1):
                return bool(value)
            text = f"{value:g}"
        else:
            text = clean_text(value).lower()
            try:
                if float(text) in (0.0, 1.0):
                    return float(text) == 1.0
            except ValueError:
                pass
        if text == "":
            return default
        if text in YES:
            return True
        if text in NO:
            return False
        self.error(cell, column, f"'{value}' is not yes or no", f"enter 'yes' or 'no' in {column} (blank means {'yes' if default else 'no'})", "flag-invalid")
        return default

    def sources(self, cell: RawCell | None, column: str) -> tuple[Source, ...]:
        value = self.value(cell, column)
        if cell is None:
            return ()
        candidates = URL_SPLIT.split(clean_text(value)) if value is not None else []
        if cell.hyperlink:
            # the cell's text is the link's label ("ISW report"); only links typed in it are sources too
            candidates = [cell.hyperlink] + [c for c in candidates if LINK_LIKE.match(c)]
        urls: list[str] = []
        for candidate in filter(None, candidates):
            problem = link_problem(candidate)
            if problem:
                self.error(cell, column, problem[1], problem[2], problem[0])
                continue
            if candidate not in urls:
                urls.append(candidate)
        return tuple(Source(u) for u in urls)


def casualty_problem(value: Any) -> int | tuple[str, str, str]:
    """The whole number in a casualty cell, or (code, message, hint) saying what is wrong."""
    blank_hint = "leave the cell blank when not reported"
    if isinstance(value, bool):
        return ("casualty-not-number", f"'{value}' is not a number", f"enter a whole number (0 for none); {blank_hint}")
    if isinstance(value, (int, float)):
        if not math.isfinite(value):
            return ("casualty-not-number", f"'{value}' is not a number", f"enter a whole number (0 for none); {blank_hint}")
        if value < 0:
            return ("casualty-negative", f"{value:g} is negative", f"enter a whole number of 0 or more (0 for none); {blank_hint}")
        if int(value) != value:
            return ("casualty-fraction", f"{value:g} is not a whole number", "casualties are counted in whole people: enter a whole number")
        return int(value)
    text = clean_text(value)
    if WHOLE.match(text):
        return int(float(text))
    if THOUSANDS.match(text):
        return int(text.replace(",", ""))
    if DECIMAL_COMMA.match(text):
        return ("casualty-fraction", f"'{text}' is not a whole number (a comma may only separate thousands, as in 1,500)", "enter a whole number: casualties are counted in whole people")
    if match := ESTIMATE.match(text):
        figure = match[2]
        return ("casualty-estimate", f"'{text}' is an estimate, not a number", f"enter {figure} and write 'about {figure}' in the Description")
    if match := LOWER_BOUND.match(text):
        figure = match[1] or match[2]
        return ("casualty-lower-bound", f"'{text}' is not a number", f"enter {figure}, the figure known for certain, and write 'at least {figure}' in the Description")
    if match := RANGE.match(text):
        return ("casualty-range", f"'{text}' is a range, not a number", f"enter the lower figure {match[1]} and give the range in the Description")
    if text.startswith("-") and WHOLE.match(text[1:]):
        return ("casualty-negative", f"'{text}' is negative", f"enter a whole number of 0 or more (0 for none); {blank_hint}")
    if re.match(r"^\d+\.\d+$", text):
        return ("casualty-fraction", f"'{text}' is not a whole number", "casualties are counted in whole people: enter a whole number")
    return ("casualty-not-number", f"'{text}' is not a whole number", f"enter a whole number (0 for none); {blank_hint}; put estimates such as '~5' in the Description")


def link_problem(candidate: str) -> tuple[str, str, str] | None:
    """None for a usable http(s) or mailto link, else (code, message, hint)."""
    shown = candidate[:60]
    scheme = candidate.split(":", 1)[0].lower() if LINK_LIKE.match(candidate) else ""
    complete = "give full links starting with https:// (or mailto:), separated by spaces, new lines or ';'"
    if scheme in UNSAFE_SCHEMES:
        return ("source-unsafe", f"'{shown}' is a {scheme}: link, which is not allowed in the PDFs (only http, https and mailto links are)",
                "remove it, and give the https:// address of the source instead")
    if scheme and scheme not in SAFE_SCHEMES:
        return ("source-unsafe", f"'{shown}' is a {scheme}: link; only http, https and mailto links are allowed in the PDFs", complete)
    if not scheme:
        if DOMAIN_LIKE.match(candidate):
            return ("source-malformed", f"'{shown}' is not a complete web link (it has no https://)", f"write it as https://{candidate[:50]}")
        return ("source-malformed", f"'{shown}' is not a web link", complete + "; put a source's name in a cell hyperlink (Insert > Link) instead")
    if scheme == "mailto":
        address = candidate[7:]
        if "@" not in address or address.startswith("@"):
            return ("source-malformed", f"'{shown}' is not a complete e-mail link", "write it as mailto:name@example.org")
        return None
    try:
        parts = urlsplit(candidate)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises on a malformed port
    except ValueError:
        host = ""
    if not candidate.lower().startswith(("http://", "https://")) or not host or ("." not in host and host != "localhost") or host.startswith(".") or ".." in host:
        return ("source-malformed", f"'{shown}' is not a complete web link", complete)
    return None


def too_long(column: str, text: str, limit: int) -> tuple[str, str]:
    """(message, hint) for a name or label longer than ``limit``."""
    return (f"the {column} is {len(text):,} characters long; a {column} is a short name or label of at most {limit:,}",
            f"shorten the {column}; longer text belongs in the Description")


def clean_text(value: Any) -> str:
    """Normalise pasted text: non-breaking and zero-width spaces, control characters, stray
    whitespace. Quotes and apostrophes stay as typed (``Karbalā’``): printing sets straight ones
    typographically (see ``typography``), and a curly one typed is already right."""
    text = str(tidy_value(value)).translate(INVISIBLE)
    text = text.replace("\u00a0", " ").replace("\u202f", " ")
    text = re.sub(r"[ \t]+", " ", text)
    return "\n".join(line.strip() for line in text.strip().splitlines())


# --- the Categories and Report sheets ----------------------------------------------------------


NAMES_LISTED = 20  # categories named in a note before the rest are counted


def _assumption_notes(raw: RawWorkbook, report: Report, findings: Findings) -> None:
    """Notes saying what was assumed for a missing Report or Categories sheet and for each
    Report value not given, and how to set it: nothing is decided silently. None when no event
    could be read (the errors come first)."""
    if findings.errors and not report.events:
        return
    csv = raw.path.suffix.lower() == ".csv"
    only_events = ONLY_EVENTS + "add a sheet named '{}' with the columns {} (see the README)"
    sheet = raw.sheet("report")
    if sheet is None:
        findings.add("note", "", "the workbook has no Report sheet, so the title, byline, period and dates are defaults (a note for each says which)",
                     only_events.format("Report", "Field and Value") if csv else
                     "add a sheet named 'Report' with the columns Field and Value, one row per setting (see the README; 'timeline-pdf init' writes a workbook with one)",
                     code="report-missing")
    on_sheet = sheet.name if sheet else ""
    info = report.info
    if not info.title:
        titles = names([f"'{title}' on the {product}" for product, title in PRODUCT_TITLES.items()])
        findings.add("note", on_sheet, f"no Title given: each product prints its layout's default title ({titles} with the shipped layouts)",
                     report_row_hint("add a row 'Title' with the publication's title; it is printed on every product", csv), code="report-default")
    if not info.authors:
        findings.add("note", on_sheet, "no Authors given: the products print no byline", report_row_hint("add a row 'Authors' with the names, separated by commas,", csv), code="report-default")
    if info.period is None and report.events:
        findings.add("note", on_sheet, f"no Period Start and Period End given: the products cover the span of the events, {report.period.described()} (a build with --edition covers its month)",
                     report_row_hint("add the rows 'Period Start' and 'Period End' with the first and last day to cover", csv), code="report-default")
    if info.reference_date is None:
        findings.add("note", on_sheet, "no Reference Date given: the brief counts attacks and casualties in the period only, with no running count since a date",
                     report_row_hint("add a row 'Reference Date' with the day to count from (such as the start of the escalation)", csv), code="report-default")
    if info.edition_date is None:
        findings.add("note", on_sheet, "no Edition Date given: the products print no edition date", report_row_hint("add a row 'Edition Date' with the day of publication", csv), code="report-default")
    if raw.sheet("categories") is None and report.categories:
        attacks = [f"'{c.name}'" for c in report.categories if c.kind == "attack"]
        others = [f"'{c.name}' ({c.kind})" for c in report.categories if c.kind != "attack"]
        counted = f"counted as attacks: {_listed(attacks)}" if attacks else "no category is counted as an attack"
        rest = f"; not counted: {_listed(others)}" if others else ""
        findings.add("note", "", "the workbook has no Categories sheet, so each category's kind follows from its name (ending in 'attack': attack; in 'strike': response; "
                     f"mentioning politics: political; else other), and the brief's figures count only attacks; {counted}{rest}",
                     only_events.format("Categories", "Category and Kind") if csv else
                     "add a sheet named 'Categories' with the columns Category and Kind (attack, response, political or other) to say which categories are attacks",
                     code="categories-missing")


def _listed(names: list[str]) -> str:
    shown = ", ".join(names[:NAMES_LISTED])
    return shown + (f" and {len(names) - NAMES_LISTED} more" if len(names) > NAMES_LISTED else "")


def _read_categories(sheet: RawSheet | None, findings: Findings) -> list[Category]:
    if sheet is None:
        return []
    columns = {normalise(h): i for i, h in enumerate(sheet.headers)}
    if "category" not in columns:
        findings.add("error", sheet.name, "the Categories sheet has no 'Category' column", "head the first column 'Category' and the second 'Kind'", cell="A1", code="categories-columns")
        return []
    result: list[Category] = []
    seen: dict[str, str] = {}
    for _row, cells in sheet.rows:
        name_cell = _raw(cells, columns["category"])
        value, ok = cell_value(name_cell, sheet, findings, "Category")
        name = clean_text(value) if value is not None else ""
        if not name:
            continue
        if len(name) > SHORT_TEXT:
            findings.add("error", sheet.name, *too_long("Category", name, SHORT_TEXT), cell=name_cell.ref, column="Category", value=name, code="text-too-long")
            continue
        if name in seen:
            findings.add("warning", sheet.name, f"category '{name}' is listed twice (also in {seen[name]}); the first is used", "delete one of the two rows", cell=name_cell.ref, column="Category", value=name, code="category-duplicate")
            continue
        seen[name] = name_cell.ref
        kind_cell = _raw(cells, columns.get("kind"))
        kind_value, _ = cell_value(kind_cell, sheet, findings, "Kind")
        kind = clean_text(kind_value).lower() if kind_value is not None else ""
        if kind and kind not in KINDS:
            findings.add("error", sheet.name, f"kind '{kind}' is not one of {', '.join(KINDS)}", f"set Kind to one of: {', '.join(KINDS)}", cell=kind_cell.ref if kind_cell else "", column="Kind", value=kind, code="category-kind")
            kind = ""
        desc_cell = _raw(cells, columns.get("description"))
        desc_value, _ = cell_value(desc_cell, sheet, findings, "Description")
        description = clean_text(desc_value) if desc_value is not None else ""
        plural_cell = _raw(cells, columns.get("plural"))
        plural_value, _ = cell_value(plural_cell, sheet, findings, "Plural")
        plural = clean_text(plural_value) if plural_value is not None else ""
        if len(plural) > SHORT_TEXT:
            findings.add("error", sheet.name, *too_long("Plural", plural, SHORT_TEXT), cell=plural_cell.ref, column="Plural", value=plural, code="text-too-long")
            plural = ""
        result.append(Category(name, kind or default_kind(name), description, plural))  # type: ignore[arg-type]
    return result


def _read_info(sheet: RawSheet | None, raw: RawWorkbook, findings: Findings) -> tuple[ReportInfo, str | None]:
    """The Report sheet's fields, and the date order it sets (for dates like 11/03/2020)."""
    if sheet is None:
        return ReportInfo(), None
    columns = {normalise(h): i for i, h in enumerate(sheet.headers)}
    if "field" not in columns or "value" not in columns:
        findings.add("error", sheet.name, "the Report sheet needs the columns 'Field' and 'Value'", "head column A 'Field' and column B 'Value'", cell="A1", code="report-columns")
        return ReportInfo(), None
    entries = []
    for _row, cells in sheet.rows:
        field_cell, value_cell = _raw(cells, columns["field"]), _raw(cells, columns["value"])
        if field_cell is None or _is_blank(field_cell.value):
            continue
        spec = REPORT_BY_KEY.get(normalise(field_cell.value))
        if spec is None:
            near = difflib.get_close_matches(clean_text(field_cell.value), [f.name for f in REPORT_FIELDS], n=1)
            findings.add("warning", sheet.name, f"unknown field '{field_cell.value}' is ignored", f"did you mean '{near[0]}'?" if near else "see the README for the Report fields",
                         cell=field_cell.ref, column="Field", value=field_cell.value, code="report-field-unknown")
            continue
        value, ok = cell_value(value_cell, sheet, findings, "Value")
        if ok:
            entries.append((spec, field_cell, value_cell, value))
    order = None
    for spec, field_cell, value_cell, value in entries:
        if spec.kind == "date_order" and not _is_blank(value):
            order = DATE_ORDERS.get(normalise(value))
            if order is None:
                findings.add("error", sheet.name, f"Date Order '{value}' is not understood", "write 'day first' (11/03/2020 is 11 March) or 'month first' (11/03/2020 is November 3)",
                             cell=value_cell.ref if value_cell else "", column="Value", value=value, code="report-date-order")
    values: dict[str, Any] = {}
    for spec, field_cell, value_cell, value in entries:
        if spec.kind == "date_order":
            continue
        if spec.kind == "date":
            if _is_blank(value):
                continue
            try:
                values[spec.key] = read_date(value, order, raw.epoch).day
            except DateProblem as problem:
                findings.add("error", sheet.name, f"{spec.name}: {problem.message}", problem.hint, cell=value_cell.ref if value_cell else "", column="Value", value=value, code=problem.code)
        elif spec.kind == "language":
            text = "" if value is None else clean_text(value)
            if text and not LANGUAGE_TAG.fullmatch(text):
                findings.add("error", sheet.name, f"Language '{text}' is not a language tag", "write a BCP 47 tag such as en-US, en-GB, fr or ar",
                             cell=value_cell.ref if value_cell else "", column="Value", value=value, code="report-language")
            else:
                values[spec.key] = text
        elif spec.kind == "names":
            text = "" if value is None else clean_text(value)
            values[spec.key] = tuple(n.strip() for n in text.split(",") if n.strip())
        else:
            values[spec.key] = "" if value is None else clean_text(value)
        text = values.get(spec.key, "")
        if isinstance(text, tuple):
            text = ", ".join(text)
        if isinstance(text, str) and len(text) > SHORT_TEXT:
            findings.add("error", sheet.name, *too_long(spec.name, text, SHORT_TEXT), cell=value_cell.ref if value_cell else "", column="Value", value=text, code="text-too-long")
            values.pop(spec.key)
    period = None
    start, end = values.pop("period_start", None), values.pop("period_end", None)
    if start and end:
        if end < start:
            findings.add("error", sheet.name, "Period End is before Period Start", "swap the two dates", code="report-period-order")
        else:
            period = Period(start, end)
    elif start or end:
        findings.add("error", sheet.name, "give both Period Start and Period End, or neither", "add the missing one", code="report-period-incomplete")
    return ReportInfo(period=period, **{k: v for k, v in values.items() if v not in (None, "", ())}), order
