"""The workbook an analyst starts from (``timeline-pdf init``).

Most workbook mistakes are cheaper to prevent than to report: the template's drop-down lists,
date formats and input messages steer the analyst towards a valid workbook, and its one example
row shows what a finished entry looks like. It is written from ``contract`` so it always names
the columns the validator expects; a test loads it back and it validates with no finding.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from timeline_pdf.contract import CASUALTY_HELP, CATEGORY_COLUMNS, EVENT_COLUMNS, REPORT_FIELDS
from timeline_pdf.errors import TimelinePdfError
from timeline_pdf.model import KINDS

ROWS = 2000  # rows of the Events sheet that get drop-downs and formats
GROUPS = ("US", "Coalition", "Iraqi")
HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
DATE_FORMAT = "yyyy-mm-dd"
CATEGORIES = (
    ("Rocket attack", "attack", "Rocket or mortar fire at a base, embassy or facility hosting US or coalition personnel."),
    ("Drone attack", "attack", "One-way attack drones or armed drones launched at US or coalition positions."),
    ("IED attack", "attack", "Roadside bombs against convoys, including logistics convoys of Iraqi contractors."),
    ("Missile attack", "attack", "Ballistic or cruise missile fire at US or coalition positions."),
    ("US strike", "response", "US air or drone strikes against Iranian-backed groups."),
    ("Iraqi politics", "political", "Government formation, parliament, protests and other political milestones."),
)
EXAMPLE = {
    "Date": date(2020, 3, 11),
    "Category": "Rocket attack",
    "Actor": "Kata'ib Hezbollah (suspected)",
    "Target": "Camp Taji",
    "Location": "Camp Taji, north of Baghdad",
    "Latitude": 33.53,
    "Longitude": 44.25,
    "Headline": "Rockets kill three at Camp Taji",
    "Description": "About 18 Katyusha rockets strike Camp Taji, killing two US service members and one British service member and wounding 14.",
    "US Killed": 2,
    "Coalition Killed": 1,
    "Sources": "https://www.defense.gov/News/Releases/",
    "Key Event": "yes",
    "Include": "yes",
}
SUMMARY = """Replace this text with the analyst's summary for the brief, written in Markdown: what
changed in the period, why it matters, and what to watch next. A figure written as
`{{ attacks since=reference }}` (without the backticks) is counted from the workbook when the
brief is built; the README lists the figures.
"""
REPORT_EXAMPLE = {"Title": "US-Iran Escalation in Iraq", "Subtitle": "Timeline of proxy attacks, strikes and political milestones"}


def events_headers() -> list[str]:
    """The Events columns in template order: casualty columns go after Description."""
    names = [c.name for c in EVENT_COLUMNS]
    at = names.index("Description") + 1
    casualties = [f"{group} {what}" for group in GROUPS for what in ("Killed", "Wounded")]
    return names[:at] + casualties + names[at:]


def template_workbook() -> Workbook:
    book = Workbook()
    events = book.active
    events.title = "Events"
    _events_sheet(events)
    _categories_sheet(book.create_sheet("Categories"))
    _report_sheet(book.create_sheet("Report"))
    book.properties.creator = "timeline-pdf"
    return book


def _header(ws, names: list[str], widths: list[int]) -> None:
    ws.append(names)
    for index, (cell, width) in enumerate(zip(ws[1], widths), start=1):
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "A2"


def _events_sheet(ws) -> None:
    headers = events_headers()
    columns = {c.name: c for c in EVENT_COLUMNS}
    _header(ws, headers, [columns[h].width if h in columns else 11 for h in headers])
    ws.append([EXAMPLE.get(h) for h in headers])
    letter = {h: get_column_letter(i) for i, h in enumerate(headers, start=1)}
    span = lambda h: f"{letter[h]}2:{letter[h]}{ROWS + 1}"  # noqa: E731
    for name in ("Date", "End Date"):
        ws.column_dimensions[letter[name]].number_format = DATE_FORMAT
        ws[f"{letter[name]}2"].number_format = DATE_FORMAT
    for name in ("Headline", "Description"):
        ws[f"{letter[name]}2"].alignment = Alignment(wrap_text=True, vertical="top")
    validations = []
    for header in headers:
        column = columns.get(header)
        title = header[:32]
        if header == "Category":
            rule = DataValidation(type="list", formula1=f"=Categories!$A$2:$A${len(CATEGORIES) + 200}", allow_blank=True, errorStyle="warning",
                                  errorTitle="Category not listed", error="This category is not on the Categories sheet. Add it there with its Kind, or pick one from the list.")
        elif header in ("Key Event", "Include"):
            rule = DataValidation(type="list", formula1='"yes,no"', allow_blank=True, errorStyle="stop", errorTitle=f"{header}: yes or no", error="Pick yes or no from the list.")
        elif column is None:  # a casualty column
            rule = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0", allow_blank=True, errorStyle="stop",
                                  errorTitle="Whole number", error=CASUALTY_HELP)
        elif header in ("Latitude", "Longitude"):
            low, high = (-90, 90) if header == "Latitude" else (-180, 180)
            rule = DataValidation(type="decimal", operator="between", formula1=str(low), formula2=str(high), allow_blank=True, errorStyle="stop",
                                  errorTitle=header, error=f"{header} in decimal degrees, between {low} and {high}.")
        else:
            rule = DataValidation(allow_blank=True)  # no restriction: only the input message
        rule.showInputMessage = True
        rule.promptTitle = title
        rule.prompt = (column.help if column else CASUALTY_HELP)[:255]
        rule.showErrorMessage = rule.type is not None
        rule.add(span(header))
        validations.append(rule)
    for rule in validations:
        ws.add_data_validation(rule)


def _categories_sheet(ws) -> None:
    _header(ws, [c.name for c in CATEGORY_COLUMNS], [c.width for c in CATEGORY_COLUMNS])
    for row in CATEGORIES:
        ws.append(list(row))
    kind = DataValidation(type="list", formula1=f'"{",".join(KINDS)}"', allow_blank=True, errorStyle="stop", errorTitle="Kind", error=f"Pick one of: {', '.join(KINDS)}.")
    kind.showInputMessage, kind.promptTitle, kind.prompt = True, "Kind", CATEGORY_COLUMNS[1].help
    kind.add("B2:B200")
    ws.add_data_validation(kind)


def _report_sheet(ws) -> None:
    _header(ws, ["Field", "Value", "About"], [16, 60, 70])
    for spec in REPORT_FIELDS:
        value = REPORT_EXAMPLE.get(spec.name)
        ws.append([spec.name, value, spec.help])
        if spec.kind == "date":
            ws.cell(ws.max_row, 2).number_format = DATE_FORMAT
    order = DataValidation(type="list", formula1='"day first,month first"', allow_blank=True)
    order.showInputMessage, order.promptTitle, order.prompt = True, "Date Order", REPORT_FIELDS[-1].help
    order.add(f"B{len(REPORT_FIELDS) + 1}")
    ws.add_data_validation(order)


def write_template(folder: Path, name: str = "escalation", force: bool = False) -> list[Path]:
    """Write ``inputs/<name>.xlsx`` and its summary ``inputs/<name>.md`` under ``folder``, and
    the shipped layouts into ``layouts/`` unless that folder exists (editors' files are kept)."""
    inputs = folder / "inputs"
    workbook, summary = inputs / f"{name}.xlsx", inputs / f"{name}.md"
    existing = [p for p in (workbook, summary) if p.exists()]
    if existing and not force:
        raise TimelinePdfError(f"{existing[0]} already exists; nothing was written", "choose another folder, or add --force to replace it")
    try:
        inputs.mkdir(parents=True, exist_ok=True)
        book = template_workbook()
        book.properties.created = book.properties.modified = datetime.now().replace(microsecond=0)
        book.save(workbook)
        summary.write_text(SUMMARY, encoding="utf-8")
        layouts = copy_shipped_layouts(folder / "layouts")
    except OSError as exc:
        raise TimelinePdfError(f"cannot write into {folder}: {exc.strerror}", "choose another folder, or check its permissions") from None
    return [workbook, summary, *layouts]


def copy_shipped_layouts(target: Path) -> list[Path]:
    """The layouts that ship with the package, copied into a new project's layouts/ folder."""
    if target.exists():
        return []
    from timeline_pdf.layout.load import SHIPPED_LAYOUTS

    target.mkdir(parents=True)
    written = []
    for source in sorted(SHIPPED_LAYOUTS.glob("*.toml")):
        written.append(target / source.name)
        written[-1].write_bytes(source.read_bytes())
    return written
