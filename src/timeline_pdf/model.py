"""The validated model: the only thing charts and renderers see.

Frozen dataclasses with plain Python values. Nothing here knows about pandas cells, Excel
references or ReportLab; ``validate`` builds these from the raw workbook.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Kind = Literal["attack", "response", "political", "other"]
KINDS: tuple[Kind, ...] = ("attack", "response", "political", "other")


@dataclass(frozen=True)
class Casualties:
    """Killed and wounded for one group in one event; ``None`` means not reported."""

    group: str
    killed: int | None
    wounded: int | None

    @property
    def reported(self) -> bool:
        return self.killed is not None or self.wounded is not None


@dataclass(frozen=True)
class Source:
    url: str

    @property
    def host(self) -> str:
        from urllib.parse import urlsplit

        host = urlsplit(self.url).hostname or self.url
        return host.removeprefix("www.")


@dataclass(frozen=True)
class Category:
    name: str
    kind: Kind
    description: str = ""
    plural: str = ""  # the name in the plural as the analyst typed it (Categories sheet); never made by rule


@dataclass(frozen=True)
class Event:
    """One row of the Events sheet, validated."""

    row: int  # the worksheet row it came from, for messages and stable ordering
    date: date
    category: str
    description: str
    end_date: date | None = None
    headline: str = ""
    actor: str = ""
    target: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    casualties: tuple[Casualties, ...] = ()
    sources: tuple[Source, ...] = ()
    key: bool = False
    # "day" for a full date; "month" or "year" when only those are known (text such as 2020-03 or
    # 2020, or a TimelineJS row with a year alone): ``date`` is then the first day of that month or year
    date_precision: Literal["day", "month", "year"] = "day"
    end_date_precision: Literal["day", "month", "year"] = "day"
    id: str = ""  # the optional ID column; editions use it to follow an event across months

    def casualties_for(self, group: str) -> Casualties:
        for c in self.casualties:
            if c.group == group:
                return c
        return Casualties(group, None, None)


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    # "day", or "month"/"year" when the period is only known that far (events with partial dates)
    start_precision: Literal["day", "month", "year"] = "day"
    end_precision: Literal["day", "month", "year"] = "day"

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def described(self) -> str:
        """As the products print it: 'October 1 – December 31, 2019', years both sides when they
        differ; as far as it is known: '2014', 'July 1943 – 1946'."""
        from timeline_pdf.dates import format_span

        return "".join(format_span(self.start, self.start_precision, self.end, self.end_precision, long=True))


@dataclass(frozen=True)
class ReportInfo:
    """The publication's facts from the Report sheet."""

    title: str = ""  # none on the Report sheet: each layout prints its own default title
    subtitle: str = ""
    authors: tuple[str, ...] = ()
    contributors: tuple[str, ...] = ()
    publisher: str = ""
    notice: str = ""
    period: Period | None = None
    reference_date: date | None = None
    edition_date: date | None = None
    language: str = ""  # BCP 47, e.g. en-US; blank: the layout's
    # what the products call themselves and what they count: the subject is the analyst's, never the code's
    timeline_label: str = "Timeline"  # printed above the timeline's title
    brief_label: str = "Brief"  # printed above the brief's title
    page_label: str = "Update"  # printed above the publication page's title
    attacks_label: str = "attacks"  # the brief's first figure: "16 attacks, Oct 1, 2019 – Mar 31, 2020"


@dataclass(frozen=True)
class Report:
    """Everything a product is built from."""

    info: ReportInfo
    events: tuple[Event, ...]  # included events only, in date order
    categories: tuple[Category, ...]  # in the order the Categories sheet (or first use) gives
    groups: tuple[str, ...]  # casualty groups in workbook column order
    summary_markdown: str | None = None
    summary_file: str = ""  # where the summary was read, for findings about its figures
    source_name: str = ""
    excluded_rows: int = 0  # rows with Include = no
    notes: tuple[str, ...] = field(default=())
    # set for a monthly edition (see edition.py and manifest.py)
    edition: str = ""  # "2020-03"
    edition_name: str = ""  # "March 2020"
    coverage: Period | None = None  # what the timeline covers; the brief covers ``period``
    marks: tuple[tuple[str, str], ...] = ()  # (event id, "new" | "updated") since the last edition
    added_since_last: int | None = None  # events added since the previous edition, when known
    events_sheet: str = "Events"  # the sheet the events were read from, for references such as Events!A14

    def category(self, name: str) -> Category:
        for c in self.categories:
            if c.name == name:
                return c
        return Category(name, default_kind(name))

    def is_attack(self, event: Event) -> bool:
        return self.category(event.category).kind == "attack"

    @property
    def period(self) -> Period:
        """The period covered: from the Report sheet, else the span of the events, as precise as
        they are (events known only to the year 2014 cover 2014, not January 1, 2014)."""
        if self.info.period is not None:
            return self.info.period
        if self.events:
            first = self.events[0]
            ends = [(last_day(e.end_date, e.end_date_precision), e.end_date_precision) if e.end_date else (last_day(e.date, e.date_precision), e.date_precision) for e in self.events]
            end, precision = max(ends, key=lambda item: item[0])
            return Period(first.date, end, first.date_precision, precision)
        # no included event: validation reports that as an error, so no product prints this stand-in
        today = self.info.edition_date or date(1970, 1, 1)
        return Period(today, today)


def last_day(day: date, precision: str) -> date:
    """The last day a date known to ``precision`` covers: 2014 (a year) covers up to December 31."""
    if precision == "year":
        return date(day.year, 12, 31)
    if precision == "month":
        following = date(day.year + 1, 1, 1) if day.month == 12 else date(day.year, day.month + 1, 1)
        return date.fromordinal(following.toordinal() - 1)
    return day


def default_kind(category: str) -> Kind:
    """Documented default when no Categories sheet says otherwise."""
    name = category.strip().lower()
    if name.endswith("attack"):
        return "attack"
    if name.endswith("strike"):
        return "response"
    if "politic" in name:
        return "political"
    return "other"
