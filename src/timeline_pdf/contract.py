"""The workbook contract in one place: sheets, columns, their aliases and what each is for.

The reader uses it to find the header row, the validator to map headers to model fields,
``init`` to write the template's headers and input messages, and import presets to name the
columns they fill. Keeping it here means a new column is added once, not in four modules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from timeline_pdf.model import KINDS


def normalise(text: Any) -> str:
    """Header and sheet matching ignores case, spaces and punctuation."""
    return re.sub(r"[^0-9a-z]+", "", str(text).lower())


def tidy_value(value: Any) -> Any:
    """A cell's value as the analyst sees it: a whole float as an int (a cell typed 3 reads as
    3.0), a date-time at midnight as its date; anything else as it is."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    return value


@dataclass(frozen=True)
class Column:
    name: str  # as written in the template and shown in messages
    field: str  # the model field it fills
    help: str  # the input message in the template; also in the README
    aliases: tuple[str, ...] = ()
    required: bool = False
    width: int = 14  # template column width, in characters


EVENT_COLUMNS: tuple[Column, ...] = (
    Column("Date", "date", "Day of the event: a date such as 2020-03-11 (or text like 'March 11, 2020').", required=True, width=12),
    Column("End Date", "end_date", "Optional: last day of an event that lasted several days.", width=12),
    Column("Category", "category", "Pick from the list (the Categories sheet). A new category must be added there too.", required=True, width=18),
    Column("Actor", "actor", "Who acted: the group or force responsible, if known.", width=22),
    Column("Target", "target", "Against whom or what.", width=22),
    Column("Location", "location", "Where: town, base or province.", width=24),
    Column("Latitude", "latitude", "Optional: decimal degrees, -90 to 90 (e.g. 33.53).", aliases=("lat",), width=10),
    Column("Longitude", "longitude", "Optional: decimal degrees, -180 to 180 (e.g. 44.25).", aliases=("lon", "long", "lng"), width=10),
    Column("Headline", "headline", "Optional: a short bold lead for the entry.", width=30),
    Column("Description", "description", "The entry itself, as it should read in the timeline.", required=True, width=60),
    Column("Sources", "sources", "Links (https://...) separated by spaces, new lines or ';', or a cell hyperlink.", aliases=("source", "sourcelinks", "links"), width=40),
    Column("Key Event", "key", "yes: highlight in the timeline and list in the brief.", aliases=("key",), width=10),
    Column("Include", "include", "no: keep this row out of both PDFs (a draft). Blank means yes.", width=9),
    Column("ID", "id", "Optional: a stable identifier, so an edited event shows as Updated rather than New.", aliases=("eventid", "uid"), width=10),
)
CASUALTY_HELP = "Whole number, 0 for none. Leave blank when not reported (blank is not zero)."
CASUALTY_HEADER = re.compile(r"^\W*(?P<group>.*?\w)[\W_]*(?P<what>killed|wounded)\W*$", re.IGNORECASE)
FIELDS: dict[str, str] = {}  # normalised header or alias -> model field
for _column in EVENT_COLUMNS:
    FIELDS[normalise(_column.name)] = _column.field
    FIELDS.update({normalise(a): _column.field for a in _column.aliases})
COLUMN_BY_FIELD = {c.field: c for c in EVENT_COLUMNS}
REQUIRED = tuple(c.field for c in EVENT_COLUMNS if c.required)
MAPPED_CATEGORIES = "Categories ({})"  # the Categories sheet an import's mapping gives (by the mapping's name), when the file has none

# Groups whose names are abbreviations: a header typed 'us killed' still prints as 'US'.
ACRONYMS = {"us", "usa", "uk", "un", "eu", "nato", "isf", "pmf", "pmu", "sdf", "is", "isis", "isil", "aqi", "kdp", "puk", "pkk", "irgc", "idf"}

CATEGORY_COLUMNS: tuple[Column, ...] = (
    Column("Category", "name", "The category exactly as used in the Events sheet.", required=True, width=20),
    Column("Kind", "kind", f"One of: {', '.join(KINDS)}. Only 'attack' counts as an attack in the brief.", width=12),
    Column("Description", "description", "Optional: what belongs in this category.", width=70),
    Column("Plural", "plural", "Optional: the category in the plural as the brief may print it after a number, e.g. 'rocket attacks'.", width=20),
)

DATE_ORDERS = {  # normalised Report 'Date Order' value -> order
    "dayfirst": "dmy", "dmy": "dmy", "ddmmyyyy": "dmy", "daymonthyear": "dmy",
    "monthfirst": "mdy", "mdy": "mdy", "mmddyyyy": "mdy", "monthdayyear": "mdy",
}


LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*")  # BCP 47, as far as a reader's software needs


@dataclass(frozen=True)
class ReportField:
    name: str
    key: str  # ReportInfo field, or a setting such as date_order
    help: str
    kind: str = "text"  # text | date | names | date_order


REPORT_FIELDS: tuple[ReportField, ...] = (
    ReportField("Title", "title", "The title printed on both products."),
    ReportField("Subtitle", "subtitle", "Printed under the title."),
    ReportField("Authors", "authors", "Names separated by commas.", "names"),
    ReportField("Contributors", "contributors", "Names separated by commas.", "names"),
    ReportField("Publisher", "publisher", "The co-publication line."),
    ReportField("Notice", "notice", "For example the foreign-links notice."),
    ReportField("Period Start", "period_start", "First day the products cover (a date).", "date"),
    ReportField("Period End", "period_end", "Last day the products cover (a date).", "date"),
    ReportField("Reference Date", "reference_date", "The 'since' date for running counts, e.g. 2020-01-03.", "date"),
    ReportField("Edition Date", "edition_date", "The publication date printed on the products.", "date"),
    ReportField("Language", "language", "The products' language as a BCP 47 tag, e.g. en-US or en-GB (read by screen readers); default: the layout's language.", "language"),
    ReportField("Timeline Label", "timeline_label", "Printed above the timeline's title (default 'Timeline'), e.g. 'Escalation timeline'."),
    ReportField("Brief Label", "brief_label", "Printed above the brief's title (default 'Brief'), e.g. 'Proxy-escalation brief'."),
    ReportField("Page Label", "page_label", "Printed above the publication page's title (default 'Update'), e.g. 'Monthly update'."),
    ReportField("Attacks Label", "attacks_label", "What the brief's first figure counts (default 'attacks'), e.g. 'attacks on US and coalition positions'."),
    ReportField("Date Order", "date_order", "How dates like 11/03/2020 are read: 'day first' (11 March) or 'month first' (November 3).", "date_order"),
)
REPORT_BY_KEY = {normalise(f.name): f for f in REPORT_FIELDS}

HEADERS_BY_SHEET: dict[str, set[str]] = {
    "categories": {normalise(c.name) for c in CATEGORY_COLUMNS},
    "report": {"field", "value"},
}


def is_known_header(sheet: str, header: Any) -> bool:
    """Does ``header`` name a column of this sheet? Used to tell the header row from a title."""
    if not isinstance(header, str) or not header.strip():
        return False
    known = HEADERS_BY_SHEET.get(normalise(sheet))
    if known is not None:
        return normalise(header) in known
    return normalise(header) in FIELDS or bool(CASUALTY_HEADER.match(header))


def group_display(spellings: list[str]) -> str:
    """The canonical name of a casualty group from the spellings its headers use.

    A spelling with capitals wins ('US' over 'us'); otherwise the first spelling is title-cased,
    keeping known abbreviations in capitals ('us' -> 'US', 'iraqi forces' -> 'Iraqi Forces').
    """
    for spelling in spellings:
        if spelling != spelling.lower():
            return spelling
    words = re.split(r"(\s+|[-_/])", spellings[0])
    return "".join(w.upper() if w.lower() in ACRONYMS else (w[:1].upper() + w[1:]) for w in words)
