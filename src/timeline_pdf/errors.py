"""Errors and findings that reach users.

Every problem a user can fix is a ``TimelinePdfError`` carrying where it is and what to do;
the CLI prints it without a traceback. Workbook checks collect ``Finding`` objects so that an
analyst sees every mistake at once rather than one per run.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning", "note"]
# error: stops the build; warning: reported, and stops the build only with --strict;
# note: information (e.g. how an import preset mapped a column), never stops anything.


# Fix hints that several checks give, in one wording each.
SAVE_AS_XLSX = "open it in Excel or LibreOffice and save it as an Excel Workbook (.xlsx)"
REPAIR_OR_BACKUP = "open it in Excel or LibreOffice (which may offer to repair it) and save it again, or use a backup copy"
SAVE_FORMULA_RESULTS = "open the workbook in Excel or LibreOffice and save it (that stores the formulas' results), or type the value instead of the formula"
LAYOUT_REFERENCE = "docs/layouts.md lists every key with its type, default and meaning"
# Hints that send the analyst to the Report or Categories sheet, and their wording where there is
# no such sheet to edit: a .csv file holds only the events; an import's categories are its mapping's.
ONLY_EVENTS = "a .csv file holds only the events: save it as an Excel workbook (.xlsx), then "
DATE_ORDER_HINT = "enter it as YYYY-MM-DD, or add a row 'Date Order' with 'day first' or 'month first' to the Report sheet"
DATE_ORDER_HINT_CSV = ("enter it as YYYY-MM-DD; a .csv file holds only the events, so to say how such dates read, save it as an Excel workbook (.xlsx) "
                       "and add a row 'Date Order' ('day first' or 'month first') to a Report sheet, or read it through a column-mapping file "
                       'with date_order = "dmy" or "mdy" (see the README)')
CATEGORY_HINT = "add it to the Categories sheet with its Kind"
CATEGORY_HINT_IMPORT = "add it with its kind under [categories] in the column-mapping file (a preset is one built in: see the README, 'Column-mapping files')"


def report_row_hint(row: str, csv: bool) -> str:
    """'add a row … to the Report sheet', or for a .csv file how to get a Report sheet first.
    ``row`` is what to add ("add a row 'Title' with the title"); what follows a ';' stays after."""
    action, _, rest = row.partition(";")
    hint = f"{ONLY_EVENTS}{action} to a Report sheet" if csv else f"{action} to the Report sheet"
    return f"{hint};{rest}" if rest else hint




@dataclass(frozen=True)
class Finding:
    """One problem or fact, located as precisely as we can: a cell of a workbook (``sheet`` and
    ``cell``), or a key of a layout, mapping or manifest file (``key``, such as
    ``page.margins.left``). Every kind of problem the program reports is one of these."""

    severity: Severity
    message: str
    hint: str = ""
    file: str = ""
    sheet: str = ""
    cell: str = ""  # Excel reference such as "A14"; empty for a whole-sheet finding
    column: str = ""
    value: str = ""
    code: str = ""  # stable identifier of the rule, e.g. "date-ambiguous", for tools reading --format json
    key: str = ""  # dotted key path in a layout, mapping or manifest file

    @property
    def ref(self) -> str:
        """The cell as Excel names it across sheets, e.g. ``Events!A14``."""
        if not self.sheet:
            return ""
        return f"{self.sheet}!{self.cell}" if self.cell else self.sheet

    def to_dict(self) -> dict[str, str]:
        """The finding as plain data, for ``--format json``: the same fields for every kind."""
        return {
            "severity": self.severity,
            "code": self.code,
            "message": self.message,
            "hint": self.hint,
            "file": self.file,
            "sheet": self.sheet,
            "cell": self.cell,
            "ref": self.ref,
            "column": self.column,
            "value": self.value,
            "key": self.key,
        }

    @property
    def location(self) -> str:
        parts = [self.file] if self.file else []
        if self.ref:
            parts.append(self.ref)
        if self.key:
            parts.append(self.key)
        return ": ".join(parts)

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}: " if self.location else f"{self.severity}: "
        text += self.message
        if self.column:
            text += f" (column '{self.column}'"
            text += f", value {self.value!r})" if self.value else ")"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text



@dataclass(frozen=True)
class TextFinding(Finding):
    """A finding in a text file, such as a figure in the summary: at its line and column, both
    counted from 1 (``inputs/escalation.md:3:12``)."""

    line: int = 0
    col: int = 0

    @property
    def location(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"

    def to_dict(self) -> dict[str, str]:
        return {**super().to_dict(), "line": str(self.line), "col": str(self.col)}

@dataclass(frozen=True)
class FrameFinding(Finding):
    """A finding in a pandas DataFrame given to the Python API: located by the frame's row
    label and column, written as the pandas expression that reaches the value
    (``frame.loc[14, 'date']``), instead of a cell."""

    row: Any = None  # the row's label in the frame's index; None for a whole column or the frame
    where: str = ""  # "frame.loc[14, 'date']", "frame['month']" or "frame"

    @property
    def location(self) -> str:
        return self.where or self.file

    def to_dict(self) -> dict[str, str]:
        return {**super().to_dict(), "row": "" if self.row is None else str(self.row), "where": self.location}

    def __str__(self) -> str:
        text = f"{self.location}: {self.severity}: {self.message}"
        if self.value:
            text += f" (value {self.value!r})"
        if self.hint:
            text += f"\n    fix: {self.hint}"
        return text

class TimelinePdfError(Exception):
    """A problem the user can fix; printed as its findings, never as a traceback."""

    code = "error"

    def __init__(self, message: str, hint: str = "", *, file: str = "", code: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.findings: tuple[Finding, ...] = (Finding("error", message, hint, file=file, code=code or self.code),)

    def __str__(self) -> str:
        return "\n".join(str(f) for f in self.findings)

    def __reduce__(self):
        """Errors cross process boundaries (``build --all``) whole, findings and all."""
        return _restore, (type(self), self.__dict__, self.args)


def _restore(cls: type, state: dict, args: tuple) -> TimelinePdfError:
    error = Exception.__new__(cls)
    error.args = args
    error.__dict__.update(state)
    return error


class Interrupted(KeyboardInterrupt):
    """Ctrl-C (SIGINT) or SIGTERM, raised where the program was so that every ``finally`` and
    clean-up runs. ``committed`` is true when it came while the outputs were being put in
    place, which is then finished first: every output is then the new one."""

    def __init__(self, signal_number: int, committed: bool = False) -> None:
        super().__init__(signal_number)
        self.signal_number = signal_number
        self.committed = committed


class FindingsError(TimelinePdfError):
    """Several findings at once, with one line that sums them up (``message``)."""

    def __init__(self, findings: list[Finding] | tuple[Finding, ...], message: str) -> None:
        super().__init__(message)
        self.findings = tuple(findings)

    def __str__(self) -> str:
        return "\n".join([*(str(f) for f in self.findings), self.message])


class WorkbookError(FindingsError):
    """The workbook cannot be used; carries every finding, errors and warnings.

    With ``strict`` the warnings count as errors (``--strict``): the message says so.
    """

    def __init__(self, findings: list[Finding] | tuple[Finding, ...], strict: bool = False, building: bool = True) -> None:
        self.strict = strict
        errors = [f for f in findings if f.severity == "error"]
        warnings = [f for f in findings if f.severity == "warning"]
        outcome = ", so nothing was built" if building else ""  # ``validate`` never builds
        where = _where(errors + (warnings if strict else []))
        if strict and warnings:
            counted = f"{len(errors)} error(s) and {len(warnings)} warning(s)" if errors else f"{len(warnings)} warning(s)"
            message = f"{counted} {where}; with --strict warnings count as errors{outcome}."
        else:
            message = f"{len(errors)} error(s) {where}{'; nothing was built' if building else ''}."
        super().__init__(findings, message)

    def checking_only(self) -> WorkbookError:
        """The same findings, told as by ``validate``, which never builds anything."""
        return WorkbookError(self.findings, self.strict, building=False)


def _where(findings: list[Finding]) -> str:
    """'in the workbook', 'in the summary', 'in the layouts', or a mix, from what the findings name."""
    places = []
    for finding in findings:
        place = "the layouts" if finding.key else "the summary" if isinstance(finding, TextFinding) else "the workbook"
        if place not in places:
            places.append(place)
    return "in " + " and ".join(places or ["the workbook"])


class LayoutError(FindingsError):
    """A layout file is invalid; every finding names the file that set the key, and the key."""

    def __init__(self, file: str, findings: list[Finding]) -> None:
        self.file = file
        files = list(dict.fromkeys(f.file for f in findings if f.file)) or [file]
        where = f"layout {files[0]}" if len(files) == 1 else f"layouts {', '.join(files)}"
        super().__init__(findings, f"{len(findings)} problem(s) in {where}.")


class MappingError(FindingsError):
    """A column-mapping file (or ``--preset`` name) is invalid; every finding names its key."""

    def __init__(self, file: str, findings: list[Finding]) -> None:
        self.file = file
        super().__init__(findings, f"{len(findings)} problem(s) in the column mapping {file}.")


def layout_problem(file: str | Path, key: str, message: str, hint: str, code: str = "layout") -> Finding:
    """A finding about a key of a layout file."""
    return Finding("error", message, hint, file=str(file), key=key, code=code)


def mapping_problem(file: str, key: str, message: str, hint: str) -> Finding:
    """A finding about a key of a column-mapping file."""
    return Finding("error", message, hint, file=file, key=key, code="mapping")


def key_help(loc: list[str], model_at: Callable[[list[str]], Any]) -> str:
    """'key: what it means' for the deepest key of ``loc`` that a schema describes, as the hint
    of a wrong value; ``model_at(prefix)`` is the model whose fields the next key names."""
    for cut in range(len(loc), 0, -1):
        model = model_at(loc[: cut - 1])
        found = model.model_fields.get(loc[cut - 1]) if model else None
        if found is not None and found.description:
            return f"{loc[cut - 1]}: {found.description}"
    return ""


def did_you_mean(word: str, known: Iterable[str], listing: str = "known") -> str:
    """"did you mean 'left'?" for the nearest known word, else ``listing`` and every known one."""
    options = list(dict.fromkeys(known))
    near = difflib.get_close_matches(word, options, n=1)
    if near:
        return f"did you mean '{near[0]}'?"
    return f"{listing}: {', '.join(options) or 'none'}"


def schema_hint(error: Any, described: str) -> str:
    """The fix for a value a layout or mapping schema refused (a pydantic error): for a value
    outside a fixed list (a Literal or an enum), the nearest allowed one first, then
    ``described`` (what the key means)."""
    near = ""
    if error.get("type") in ("literal_error", "enum") and isinstance(error.get("input"), str):
        allowed = re.findall(r"'([^']*)'", str(error.get("ctx", {}).get("expected", "")))
        found = difflib.get_close_matches(error["input"].strip().lower(), allowed, n=1) or difflib.get_close_matches(error["input"], allowed, n=1)
        near = f"did you mean '{found[0]}'?" if found else ""
    return " ".join(filter(None, (near, described)))


# Every finding the program can report, by code (the README lists them).
FINDING_CODES: dict[str, str] = {
    # the file
    "file-not-found": "error: the workbook path does not exist (or is a folder)",
    "file-type": "error: not .xlsx, .xlsm or .csv (.xls, .ods, .numbers must be saved as .xlsx)",
    "file-too-large": "error: the file (or the summary) is over the size limit (TIMELINE_PDF_MAX_UNPACKED_MB)",
    "not-a-workbook": "error: named .xlsx but not a zip archive (often a CSV or HTML file renamed)",
    "truncated": "error: the zip's end is missing: an interrupted copy or download",
    "damaged": "error: a part fails its checksum, its compressed data or its XML is broken",
    "password-protected": "error: encrypted with a password (or encrypted zip parts)",
    "old-xls": "error: an Excel 97-2003 .xls file with an .xlsx name",
    "zip-bomb": "error: would unpack beyond the size limit, or holds thousands of parts",
    "xml-entities": "error: an XML part declares entities (a DTD): entity-expansion attacks, never written by Excel",
    "too-many-rows": "error: a sheet has more rows than the limit (TIMELINE_PDF_MAX_ROWS); counted before it is opened",
    "too-many-cells": "error: more filled cells than the limit allows (20 per row of TIMELINE_PDF_MAX_ROWS); counted before it is opened",
    "cell-too-long": "error: a cell holds more characters than the limit (TIMELINE_PDF_MAX_CELL_CHARS)",
    "unreadable": "error: a zip without an Excel workbook inside, or one openpyxl cannot read",
    "macros-ignored": "note: the workbook has macros (.xlsm); they are never run",
    "csv-encoding": "error: the CSV is UTF-16 or has bytes that are not UTF-8 (the line is named)",
    "csv-unreadable": "error: the CSV cannot be parsed",
    # sheets and headers
    "sheet-missing": "error: no sheet named Events (and more than one sheet)",
    "header-missing": "error: no header row in the first ten rows",
    "column-missing": "error: a required column (Date, Category, Description) is missing, with 'did you mean'",
    "column-duplicate": "error: two columns with the same header (after ignoring case and punctuation)",
    "column-unknown": "warning: a column the contract does not know; ignored",
    "column-hidden": "warning: a hidden column whose values are published",
    "categories-columns": "error: the Categories sheet has no Category column",
    "report-columns": "error: the Report sheet lacks Field and Value columns",
    # rows and cells
    "required-empty": "error: Date, Category or Description is blank (merged cells are named when they are the cause)",
    "row-hidden": "warning: a hidden row that will be published (rows with Include = no are exempt)",
    "cells-merged": "warning: merged cells in or below the header row",
    "formula-no-value": "error: a formula saved without its result (by a tool that does not calculate)",
    "formula-error": "error: a cell shows an Excel error such as #REF! or #DIV/0!",
    "event-duplicate": "warning: same date, category, location, actors and casualties and nearly the same description as an earlier row (a note in imported datasets)",
    "text-too-long": "error: a name or label (Category, Headline, Location, a group, a Report field...) longer than 1,000 characters",
    "id-duplicate": "error: two rows share one ID, so editions could not tell them apart",
    "no-events": "error: no event to publish: the sheet has no rows, or every row has Include = no",
    # dates
    "date-invalid": "error: not a date, saying why where it can (a two-digit year, a month name in another language, a time of day alone)",
    "date-ambiguous": "error: 11/03/2020 could be either day; set Date Order on the Report sheet or use YYYY-MM-DD",
    "date-impossible": "error: February 30, month 13 and the like, saying why",
    "date-number": "error: a plain number too small to be an Excel date serial, such as a typed year 2020",
    "date-out-of-range": "error: a year before 100 or after 9899, such as the placeholder 9999-12-31",
    "date-partial": "error: a month or year without the day (allowed only through imports such as TimelineJS)",
    "date-end-before-start": "error: End Date before Date",
    # numbers, flags, links
    "casualty-negative": "error: a negative casualty figure",
    "casualty-fraction": "error: a fraction, including a decimal comma such as 1,5",
    "casualty-estimate": "error: '~5', 'about 5': enter 5 and say 'about' in the Description",
    "casualty-lower-bound": "error: '5+', 'at least 5': enter 5 and say 'at least' in the Description",
    "casualty-range": "error: '5-10': enter the lower figure and give the range in the Description",
    "casualty-not-number": "error: text or TRUE/FALSE in a casualty column",
    "flag-invalid": "error: Key Event or Include is not yes/no (1/0 and TRUE/FALSE are fine)",
    "coordinate-not-number": "error: latitude or longitude is not a decimal number (decimal commas named)",
    "coordinate-range": "error: latitude outside -90..90 or longitude outside -180..180",
    "coordinate-incomplete": "warning: latitude without longitude, or the reverse",
    "source-unsafe": "error: a javascript:, data:, file:, vbscript: or other non-web link",
    "source-malformed": "error: an incomplete link (no https://, no host, mailto without an address)",
    # Categories and Report sheets, summary
    "category-unknown": "warning: a category missing from the Categories sheet, with its first cell and the nearest known name",
    "category-duplicate": "warning: a category listed twice on the Categories sheet",
    "category-kind": "error: a Kind other than attack, response, political, other",
    "report-field-unknown": "warning: an unknown Report field, with 'did you mean'",
    "report-date-order": "error: a Date Order other than day first / month first",
    "report-language": "error: a Language that is not a BCP 47 tag such as en-US",
    "report-period-order": "error: Period End before Period Start",
    "report-period-incomplete": "error: only one of Period Start and Period End",
    "report-missing": "note: no Report sheet: title, byline, period and dates are defaults, each named in a report-default note",
    "report-default": "note: a Report value not given (Title, Authors, Period Start and End, Reference Date, Edition Date) and what is printed instead",
    "categories-missing": "note: no Categories sheet: kinds follow from category names; names the categories counted as attacks and the others",
    "summary-missing": "warning: no Markdown summary beside the workbook",
    "summary-encoding": "error: the summary file is not UTF-8",
    "figure-syntax": "error: a live figure in the summary is written wrongly: '{{' without '}}', an empty figure, an argument not written as name=value",
    "figure-unknown": "error: a live figure the summary cannot compute, with 'did you mean'",
    "figure-argument": "error: an argument the figure does not take, or one given twice, with 'did you mean'",
    "figure-value": "error: a bad date, a category or group the workbook does not have, since after until, since after the period's end or until before its start, since=reference without a Reference Date",
    "figure-unavailable": "error: new_events in a build without a previous edition to count from",
    # imports
    "import-column-missing": "error: the file lacks a column the preset or mapping needs for Date, Category or Description",
    "import-column-absent": "note: the file lacks an optional column the mapping reads; left blank",
    "import-preset-suggested": "note: a file read without --preset has the columns of a preset's layout (ACLED, UCDP GED, TimelineJS): which --preset to use",
    "import-note": "note: what the preset tells about its data (e.g. ACLED fatalities are not split by group)",
    "import-rows-skipped": "note: rows that are not events (TimelineJS 'era' rows)",
    "import-approximate-dates": "note: events whose date the imported file marks as approximate (ACLED's time_precision 2 or 3), each printed on the day the file gives",
    "import-two-digit-years": "note: dates with two-digit years read through the import's date format (9-May-20), and how their century was chosen",
    # layouts, mappings, products and manifests (named by file and key)
    "layout": "error: a layout file is invalid: an unknown key or placeholder, a wrong value, a missing font or logo",
    "mapping": "error: a column-mapping file (or --preset name) is invalid",
    "chart-group-unknown": "error: charts.groups names a casualty group the workbook has no columns for",
    "layout-category-unknown": "warning: a palette or timeline.category_order entry that looks like a misspelt category, with 'did you mean'",
    "layout-output-shared": "error: two layouts of one build whose output patterns give the same file name",
    "layout-category-unused": "note: palette or timeline.category_order entries that name no category of the workbook",
    "content-left-out": "warning: the brief left content out to fit its page budget (brief.max_pages)",
    "verify-input-missing": "error: a workbook, summary, layout or font file the manifest names is missing (paths are relative to the manifest)",
    "verify-input-changed": "error: a workbook, summary, layout or font file has changed since the manifest was written",
    "verify-output-missing": "error: a file the manifest lists (a PDF, the page, its pictures or CSV) is missing beside it",
    "verify-output-differs": "error: a rebuilt file, or the one beside the manifest, differs from the manifest's",
    "verify-in-memory": "error: the manifest is of a report made in memory (a DataFrame, in Python): there is no file to rebuild it from; the files beside it are still checked",
    "verify-version-changed": "note: Python, timeline-pdf, ReportLab, matplotlib, svglib or a font file is not what the manifest was built with",
    "error": "error: any other problem to fix, such as a folder in the way, a full disk or a bad --edition",
}
