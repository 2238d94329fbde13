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

    def __contains__(self, day: date) -> bool:
        return self.start <= day <= self.end

    def described(self) -> str:
        """As the products print it: 'October 1 – December 31, 2019', years both sides when they differ."""
        end = f"{self.end:%B} {self.end.day}, {self.end.year}"
        if self.start.year == self.end.year:
            return f"{self.start:%B} {self.start.day} – {end}"
        return f"{self.start:%B} {self.start.day}, {self.start.year} – {end}"


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


@dataclass(frozen=True)
class Report:
    """Everything a product is built from."""

    info: ReportInfo
    events: tuple[Event, ...]  # included events only, in date order
    categories: tuple[Category, ...]  # in the order the Categories sheet (or first use) gives
    groups: tuple[str, ...]  # casualty groups in workbook column order
    summary_markdown: str | None = None
    source_name: str = ""
    excluded_rows: int = 0  # rows with Include = no
    notes: tuple[str, ...] = field(default=())
    # set for a monthly edition (see edition.py and manifest.py)
    edition: str = ""  # "2020-03"
    edition_name: str = ""  # "March 2020"
    coverage: Period | None = None  # what the timeline covers; the brief covers ``period``
    marks: tuple[tuple[str, str], ...] = ()  # (event id, "new" | "updated") since the last edition
    added_since_last: int | None = None  # events added since the previous edition, when known

    def category(self, name: str) -> Category:
        for c in self.categories:
            if c.name == name:
                return c
        return Category(name, default_kind(name))

    def is_attack(self, event: Event) -> bool:
        return self.category(event.category).kind == "attack"

    @property
    def period(self) -> Period:
        """The period covered: from the Report sheet, else the span of the events."""
        if self.info.period is not None:
            return self.info.period
        if self.events:
            return Period(self.events[0].date, max(e.end_date or e.date for e in self.events))
        today = self.info.edition_date or date(1970, 1, 1)
        return Period(today, today)


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
