"""Regenerate the sample workbook ``inputs/escalation.xlsx`` from ``tools/sample/``.

The events come from ``escalation-2019-2020.csv`` (29 events, October 2019 - March 2020,
compiled from public reporting; see ``tools/sample/SOURCES.md``). Run from the project root:
``python tools/make_sample_workbook.py``. The output is byte-stable for the same input.
"""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

ROOT = Path(__file__).resolve().parent.parent
CSV = ROOT / "tools" / "sample" / "escalation-2019-2020.csv"
OUT = ROOT / "inputs" / "escalation.xlsx"
FIXED_TIME = datetime(2020, 4, 1, 9, 0, 0)

CATEGORIES = [  # name, kind, description, plural (as the brief prints it after a number)
    ("Rocket attack", "attack", "Rocket or mortar fire at a base, embassy or facility hosting US or coalition personnel.", "rocket attacks"),
    ("Missile attack", "attack", "Ballistic or cruise missile fire at US or coalition positions.", "missile attacks"),
    ("Mob attack", "attack", "A crowd or militia storming or besieging a US facility.", "mob attacks"),
    ("Drone attack", "attack", "One-way attack drones launched at US or coalition positions (none in this period).", "drone attacks"),
    ("IED attack", "attack", "Roadside bombs against logistics convoys supplying US or coalition forces (none in this period).", "IED attacks"),
    ("US strike", "response", "US air or drone strikes against Iranian-backed groups or commanders.", "US strikes"),
    ("Iranian action", "other", "Actions by Iranian state forces outside direct attacks on US positions.", "Iranian actions"),
    ("Iraqi politics", "political", "Government formation, parliament, protests and other Iraqi political milestones.", ""),
    ("Coalition posture", "other", "Changes to the US-led coalition's footprint and basing.", ""),
]

REPORT = [
    ("Title", "US-Iran Escalation in Iraq"),
    ("Subtitle", "Timeline of proxy attacks, strikes and political milestones"),
    ("Authors", "Maya Hartwell, Daniel Okafor"),
    ("Contributors", "Leila Haddad, Tom Reyes"),
    ("Publisher", "Published jointly by the Iran and Iraq Program and the Escalation Monitoring Project"),
    ("Notice", "Links marked with an asterisk (*) lead to websites hosted on foreign domains."),
    ("Period Start", date(2019, 10, 1)),
    ("Period End", date(2020, 3, 31)),
    ("Reference Date", date(2020, 1, 3)),
    ("Edition Date", date(2020, 4, 1)),
    ("Timeline Label", "Escalation timeline"),
    ("Brief Label", "Proxy-escalation brief"),
    ("Page Label", "Monthly update"),
    ("Attacks Label", "attacks on US and coalition positions"),
]

HEADER_FILL = PatternFill("solid", fgColor="1F3A5F")
HEADER_FONT = Font(bold=True, color="FFFFFF")
INT_COLUMNS = {"US Killed", "US Wounded", "Coalition Killed", "Coalition Wounded", "Iraqi Killed", "Iraqi Wounded"}
WIDTHS = {"Date": 12, "Category": 16, "Actor": 22, "Target": 24, "Location": 26, "Headline": 34, "Description": 60, "Sources": 40, "Key Event": 10}


def _header(ws, names: list[str]) -> None:
    ws.append(names)
    for cell in ws[1]:
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
    ws.freeze_panes = "A2"


def build() -> Workbook:
    book = Workbook()
    events = book.active
    events.title = "Events"
    with CSV.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = list(rows[0].keys())
    _header(events, names)
    for row in rows:
        values = []
        for name in names:
            raw = row[name].strip()
            if name == "Date":
                values.append(date.fromisoformat(raw))
            elif name in INT_COLUMNS:
                values.append(int(raw) if raw else None)
            elif name in ("Latitude", "Longitude"):
                values.append(float(raw) if raw else None)
            else:
                values.append(raw or None)
        events.append(values)
    for index, name in enumerate(names, start=1):
        letter = events.cell(1, index).column_letter
        events.column_dimensions[letter].width = WIDTHS.get(name, 12)
        if name == "Date":
            for cell in events[letter][1:]:
                cell.number_format = "yyyy-mm-dd"
        if name in ("Description", "Headline"):
            for cell in events[letter][1:]:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    category_list = DataValidation(type="list", formula1=f"=Categories!$A$2:$A${len(CATEGORIES) + 1}", allow_blank=False)
    category_list.add(f"B2:B{len(rows) + 200}")
    events.add_data_validation(category_list)

    categories = book.create_sheet("Categories")
    _header(categories, ["Category", "Kind", "Description", "Plural"])
    for entry in CATEGORIES:
        categories.append([value or None for value in entry])
    for letter, width in zip("ABCD", (18, 12, 80, 18)):
        categories.column_dimensions[letter].width = width

    report = book.create_sheet("Report")
    _header(report, ["Field", "Value"])
    for field, value in REPORT:
        report.append([field, value])
        if isinstance(value, date):
            report.cell(report.max_row, 2).number_format = "yyyy-mm-dd"
    report.column_dimensions["A"].width = 16
    report.column_dimensions["B"].width = 90

    book.properties.creator = "timeline-pdf sample"
    book.properties.created = FIXED_TIME
    book.properties.modified = FIXED_TIME
    return book


if __name__ == "__main__":
    OUT.parent.mkdir(exist_ok=True)
    build().save(OUT)
    print(f"wrote {OUT.relative_to(ROOT)}")
