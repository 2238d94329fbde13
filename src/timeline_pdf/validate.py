"""Turn raw workbook tables into the model, collecting every finding on the way.

Each rule adds a ``Finding`` with its cell and a fix hint instead of raising, so an analyst
sees all mistakes in one run. ``load_report`` raises ``WorkbookError`` only at the end, and
only when there is at least one error.
"""

from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable

from timeline_pdf.errors import Finding, WorkbookError
from timeline_pdf.model import KINDS, Casualties, Category, Event, Period, Report, ReportInfo, Source, default_kind
from timeline_pdf.workbook import RawCell, RawSheet, RawWorkbook, normalise, read_workbook

REQUIRED = ("date", "category", "description")
FIELDS = {  # normalised header -> model field
    "date": "date",
    "enddate": "end_date",
    "category": "category",
    "actor": "actor",
    "target": "target",
    "location": "location",
    "latitude": "latitude",
    "lat": "latitude",
    "longitude": "longitude",
    "lon": "longitude",
    "long": "longitude",
    "headline": "headline",
    "description": "description",
    "sources": "sources",
    "source": "sources",
    "keyevent": "key",
    "key": "key",
    "include": "include",
}
DISPLAY = {"date": "Date", "category": "Category", "description": "Description"}
CASUALTY_HEADER = re.compile(r"^\W*(?P<group>.*?\w)[\W_]*(?P<what>killed|wounded)\W*$", re.IGNORECASE)
YES = {"yes", "y", "true", "1", "x"}
NO = {"no", "n", "false", "0", ""}
URL_SPLIT = re.compile(r"[\s;]+")
SAFE_SCHEMES = ("http://", "https://", "mailto:")
LINK_LIKE = re.compile(r"^[a-z][a-z0-9+.-]*:\S", re.IGNORECASE)  # "scheme:..." as opposed to a label word
TEXT_DATE_FORMATS = ("%Y-%m-%d", "%B %d, %Y", "%b %d, %Y", "%d %B %Y", "%d %b %Y", "%B %d %Y", "%Y/%m/%d")
EXCEL_EPOCH = date(1899, 12, 30)
REPORT_FIELDS = {
    "title": "title",
    "subtitle": "subtitle",
    "authors": "authors",
    "contributors": "contributors",
    "publisher": "publisher",
    "notice": "notice",
    "periodstart": "period_start",
    "periodend": "period_end",
    "referencedate": "reference_date",
    "editiondate": "edition_date",
}


@dataclass
class Findings:
    """Collects findings for one file; ``sheet`` is set while a sheet is being read."""

    file: str
    items: list[Finding] = field(default_factory=list)

    def add(self, severity: str, sheet: str, message: str, hint: str = "", cell: str = "", column: str = "", value: Any = "") -> None:
        shown = "" if value in ("", None) else str(value)
        self.items.append(Finding(severity, message, hint, self.file, sheet, cell, column, shown[:80]))  # type: ignore[arg-type]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.items if f.severity == "error"]


def load_report(path: Path, *, summary_path: Path | None = None) -> tuple[Report, list[Finding]]:
    """Read, validate and model a workbook; raise ``WorkbookError`` when it has errors."""
    raw = read_workbook(path)
    findings = Findings(str(path))
    report = build_report(raw, findings)
    if findings.errors:
        raise WorkbookError(findings.items)
    summary_file = summary_path or path.with_suffix(".md")
    summary = None
    if summary_file.is_file():
        try:
            summary = summary_file.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as exc:
            findings.add("error", "", f"the summary file {summary_file} is not UTF-8 text (byte {exc.start} cannot be decoded)", "save it again as UTF-8 text")
            raise WorkbookError(findings.items) from None
    else:
        findings.add("warning", "", f"no summary file {summary_file.name} beside the workbook; the brief is built without a summary", f"write the analyst's summary in Markdown at {summary_file}")
    return _replace(report, summary_markdown=summary), findings.items


def _replace(report: Report, **changes: Any) -> Report:
    from dataclasses import replace

    return replace(report, **changes)


def build_report(raw: RawWorkbook, findings: Findings) -> Report:
    events_sheet = raw.sheet("events") or (next(iter(raw.sheets.values())) if len(raw.sheets) == 1 else None)
    if events_sheet is None:
        findings.add("error", "", "the workbook has no sheet named 'Events'", "rename the sheet that lists the events to 'Events'")
        return Report(ReportInfo(), (), (), ())
    categories = _read_categories(raw.sheet("categories"), findings)
    info = _read_info(raw.sheet("report"), findings)
    events, groups, excluded = _read_events(events_sheet, findings)
    known = {c.name for c in categories}
    ordered = list(categories)
    for event in events:
        if event.category not in known:
            known.add(event.category)
            ordered.append(Category(event.category, default_kind(event.category)))
            if categories:
                near = difflib.get_close_matches(event.category, [c.name for c in categories], n=1)
                hint = f"did you mean '{near[0]}'? Otherwise add it to the Categories sheet" if near else "add it to the Categories sheet with its Kind"
                findings.add("warning", events_sheet.name, f"category '{event.category}' is not on the Categories sheet; counted as '{default_kind(event.category)}'", hint, column="Category", value=event.category)
    events.sort(key=lambda e: (e.date, e.row))
    return Report(info, tuple(events), tuple(ordered), tuple(groups), source_name=raw.path.name, excluded_rows=excluded)


def _columns(sheet: RawSheet, findings: Findings) -> tuple[dict[str, int], dict[str, dict[str, int]]]:
    """Map model fields and casualty groups to column indexes; report unknown and missing headers."""
    fields: dict[str, int] = {}
    groups: dict[str, dict[str, int]] = {}
    group_names: dict[str, str] = {}  # normalised group -> the name as first typed
    for index, header in enumerate(sheet.headers):
        if not header:
            continue
        ref = f"{sheet.column_letter(index)}{sheet.header_row}"
        key = normalise(header)
        match = CASUALTY_HEADER.match(header)
        if key in FIELDS:
            name = FIELDS[key]
            if name in fields:
                findings.add("error", sheet.name, f"the column '{header}' appears twice", "delete or rename one of the two columns", cell=ref, column=header)
            fields[name] = index
        elif match:
            group = group_names.setdefault(normalise(match["group"]), match["group"].strip())
            what = match["what"].lower()
            if what in groups.get(group, {}):
                findings.add("error", sheet.name, f"the column '{header}' appears twice", "delete or rename one of the two columns", cell=ref, column=header)
            groups.setdefault(group, {})[what] = index
        else:
            findings.add("warning", sheet.name, f"unknown column '{header}' is ignored", "rename it to a known column if it should be used", cell=ref, column=header)
    for required in REQUIRED:
        if required not in fields:
            typed = [h for h in sheet.headers if h]
            near = difflib.get_close_matches(DISPLAY[required], typed, n=1, cutoff=0.6)
            hint = f"did you mean '{near[0]}'? Rename it to '{DISPLAY[required]}'" if near else f"add a column headed '{DISPLAY[required]}'"
            findings.add("error", sheet.name, f"required column '{DISPLAY[required]}' is missing", hint, cell=f"A{sheet.header_row or 1}")
    return fields, groups


def _read_events(sheet: RawSheet, findings: Findings) -> tuple[list[Event], list[str], int]:
    if not sheet.headers:
        findings.add("error", sheet.name, "the sheet has no header row", "put the column headers (Date, Category, Description, …) in the first row")
        return [], [], 0
    fields, groups = _columns(sheet, findings)
    if any(r not in fields for r in REQUIRED):
        return [], list(groups), 0
    events: list[Event] = []
    excluded = 0
    for row_number, cells in sheet.rows:
        cell = _cell_getter(sheet, cells, fields)
        reader = _RowReader(sheet, findings)
        if not reader.flag(cell("include"), "Include", default=True):
            excluded += 1
            continue
        day = reader.date(cell("date"), "Date", required=True)
        end = reader.date(cell("end_date"), "End Date")
        category = reader.text(cell("category"), "Category", required=True)
        description = reader.text(cell("description"), "Description", required=True)
        if day and end and end < day:
            reader.error(cell("end_date"), "End Date", "End Date is before Date", "swap the two dates or correct the End Date")
            end = None
        casualties = []
        for group, columns in groups.items():
            killed = reader.count(_raw(cells, columns.get("killed")), f"{group} Killed")
            wounded = reader.count(_raw(cells, columns.get("wounded")), f"{group} Wounded")
            casualties.append(Casualties(group, killed, wounded))
        event = Event(
            row=row_number,
            date=day or date.min,
            end_date=end,
            category=category,
            description=description,
            headline=reader.text(cell("headline"), "Headline"),
            actor=reader.text(cell("actor"), "Actor"),
            target=reader.text(cell("target"), "Target"),
            location=reader.text(cell("location"), "Location"),
            latitude=reader.number(cell("latitude"), "Latitude", -90, 90),
            longitude=reader.number(cell("longitude"), "Longitude", -180, 180),
            casualties=tuple(casualties),
            sources=reader.sources(cell("sources"), "Sources"),
            key=reader.flag(cell("key"), "Key Event", default=False),
        )
        if reader.ok:
            events.append(event)
    return events, list(groups), excluded


def _raw(cells: list[RawCell], index: int | None) -> RawCell | None:
    return cells[index] if index is not None and index < len(cells) else None


def _cell_getter(sheet: RawSheet, cells: list[RawCell], fields: dict[str, int]) -> Callable[[str], RawCell | None]:
    return lambda name: _raw(cells, fields.get(name))


class _RowReader:
    """Reads typed values from one row's cells, recording a finding for each bad one."""

    def __init__(self, sheet: RawSheet, findings: Findings) -> None:
        self.sheet = sheet
        self.findings = findings
        self.ok = True

    def error(self, cell: RawCell | None, column: str, message: str, hint: str) -> None:
        self.ok = False
        self.findings.add("error", self.sheet.name, message, hint, cell=cell.ref if cell else "", column=column, value=cell.value if cell else "")

    def text(self, cell: RawCell | None, column: str, required: bool = False) -> str:
        value = "" if cell is None or cell.value is None else clean_text(cell.value)
        if required and not value:
            self.error(cell, column, f"{column} is empty", f"fill in the {column} for this row, or set Include to 'no'")
        return value

    def date(self, cell: RawCell | None, column: str, required: bool = False) -> date | None:
        if cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
            if required:
                self.error(cell, column, f"{column} is empty", "enter the day of the event as YYYY-MM-DD")
            return None
        parsed = parse_date(cell.value)
        if parsed is None:
            self.error(cell, column, f"'{cell.value}' is not a date", "enter the date as YYYY-MM-DD (for example 2020-03-11) or as 'March 11, 2020'")
        return parsed

    def count(self, cell: RawCell | None, column: str) -> int | None:
        if cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
            return None  # blank = not reported
        value = cell.value
        if isinstance(value, str):
            try:
                value = float(value.strip().replace(",", ""))
            except ValueError:
                self.error(cell, column, f"'{cell.value}' is not a whole number", "enter a whole number (0 for none); leave the cell blank when not reported, and put estimates like '~5' in the Description")
                return None
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value) or value < 0 or int(value) != value:
            self.error(cell, column, f"'{cell.value}' is not a whole number of zero or more", "enter a whole number (0 for none), or leave the cell blank when not reported")
            return None
        return int(value)

    def number(self, cell: RawCell | None, column: str, low: float, high: float) -> float | None:
        if cell is None or cell.value is None or (isinstance(cell.value, str) and not cell.value.strip()):
            return None
        try:
            value = float(str(cell.value).strip()) if isinstance(cell.value, str) else float(cell.value)
        except (TypeError, ValueError):
            self.error(cell, column, f"'{cell.value}' is not a number", f"enter {column} in decimal degrees, for example 33.31")
            return None
        if not low <= value <= high:
            self.error(cell, column, f"{column} {value} is outside {low}..{high}", f"enter {column} in decimal degrees between {low} and {high}")
            return None
        return value

    def flag(self, cell: RawCell | None, column: str, default: bool) -> bool:
        if cell is None or cell.value is None:
            return default
        value = str(cell.value).strip().lower()
        if value == "":
            return default
        if value in YES:
            return True
        if value in NO:
            return False
        self.error(cell, column, f"'{cell.value}' is not yes or no", f"enter 'yes' or 'no' in {column}")
        return default

    def sources(self, cell: RawCell | None, column: str) -> tuple[Source, ...]:
        if cell is None:
            return ()
        candidates = URL_SPLIT.split(str(cell.value).strip()) if cell.value is not None else []
        if cell.hyperlink:
            # the cell's text is the link's label ("ISW report"); only links typed in it are sources too
            candidates = [cell.hyperlink] + [c for c in candidates if LINK_LIKE.match(c)]
        urls: list[str] = []
        for candidate in filter(None, candidates):
            if not candidate.lower().startswith(SAFE_SCHEMES) or len(candidate) < 10 or " " in candidate:
                self.error(cell, column, f"'{candidate[:60]}' is not a web link", "give full links starting with https:// (or mailto:), separated by spaces, new lines or ';'")
                continue
            if candidate not in urls:
                urls.append(candidate)
        return tuple(Source(u) for u in urls)


def clean_text(value: Any) -> str:
    """Normalise pasted text: non-breaking spaces, smart quotes, stray whitespace."""
    text = str(value)
    text = text.replace("\u00a0", " ").replace("\u2018", "'").replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return re.sub(r"[ \t]+", " ", text).strip()


def parse_date(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel serials up to 9999-12-31
            return EXCEL_EPOCH + timedelta(days=int(value))
        return None
    text = clean_text(value)
    text = re.sub(r"(\d)(st|nd|rd|th)\b", r"\1", text)
    for fmt in TEXT_DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    try:
        return datetime.fromisoformat(text).date()
    except ValueError:
        return None


def _read_categories(sheet: RawSheet | None, findings: Findings) -> list[Category]:
    if sheet is None:
        return []
    columns = {normalise(h): i for i, h in enumerate(sheet.headers)}
    if "category" not in columns:
        findings.add("error", sheet.name, "the Categories sheet has no 'Category' column", "head the first column 'Category' and the second 'Kind'")
        return []
    result: list[Category] = []
    for _row, cells in sheet.rows:
        name_cell = _raw(cells, columns["category"])
        name = clean_text(name_cell.value) if name_cell and name_cell.value is not None else ""
        if not name:
            continue
        kind_cell = _raw(cells, columns.get("kind"))
        kind = clean_text(kind_cell.value).lower() if kind_cell and kind_cell.value is not None else ""
        if kind and kind not in KINDS:
            findings.add("error", sheet.name, f"kind '{kind}' is not one of {', '.join(KINDS)}", f"set Kind to one of: {', '.join(KINDS)}", cell=kind_cell.ref if kind_cell else "", column="Kind", value=kind)
            kind = ""
        desc_cell = _raw(cells, columns.get("description"))
        description = clean_text(desc_cell.value) if desc_cell and desc_cell.value is not None else ""
        result.append(Category(name, kind or default_kind(name), description))  # type: ignore[arg-type]
    return result


def _read_info(sheet: RawSheet | None, findings: Findings) -> ReportInfo:
    if sheet is None:
        return ReportInfo()
    columns = {normalise(h): i for i, h in enumerate(sheet.headers)}
    if "field" not in columns or "value" not in columns:
        findings.add("error", sheet.name, "the Report sheet needs the columns 'Field' and 'Value'", "head column A 'Field' and column B 'Value'")
        return ReportInfo()
    values: dict[str, Any] = {}
    for _row, cells in sheet.rows:
        field_cell, value_cell = _raw(cells, columns["field"]), _raw(cells, columns["value"])
        if field_cell is None or field_cell.value is None:
            continue
        key = REPORT_FIELDS.get(normalise(field_cell.value))
        if key is None:
            near = difflib.get_close_matches(str(field_cell.value), [k.replace("_", " ").title() for k in REPORT_FIELDS.values()], n=1)
            findings.add("warning", sheet.name, f"unknown field '{field_cell.value}' is ignored", f"did you mean '{near[0]}'?" if near else "see the README for the Report fields", cell=field_cell.ref, column="Field", value=field_cell.value)
            continue
        value = value_cell.value if value_cell is not None else None
        if key.endswith("date") or key.startswith("period"):
            if value is None:
                continue
            parsed = parse_date(value)
            if parsed is None:
                findings.add("error", sheet.name, f"{field_cell.value} '{value}' is not a date", "enter the date as YYYY-MM-DD", cell=value_cell.ref if value_cell else "", column="Value", value=value)
            values[key] = parsed
        else:
            values[key] = "" if value is None else clean_text(value)
    period = None
    start, end = values.pop("period_start", None), values.pop("period_end", None)
    if start and end:
        if end < start:
            findings.add("error", sheet.name, "Period End is before Period Start", "swap the two dates")
        else:
            period = Period(start, end)
    elif start or end:
        findings.add("error", sheet.name, "give both Period Start and Period End, or neither", "add the missing one")
    for names in ("authors", "contributors"):
        if names in values:
            values[names] = tuple(n.strip() for n in values[names].split(",") if n.strip())
    return ReportInfo(period=period, **{k: v for k, v in values.items() if v not in (None, "")})
