"""Monthly editions: which events an edition includes and which period its brief covers.

An edition ``2020-03`` includes every event up to March 31, 2020; its brief covers March 2020
and its timeline everything up to the cutoff. ``--through 2020-03-15`` cuts off mid-month.
"""

from __future__ import annotations

import calendar
import os
import re
from dataclasses import dataclass, replace
from datetime import date, datetime, timezone

from timeline_pdf.errors import TimelinePdfError
from timeline_pdf.manifest import SOURCE_DATE_EPOCH
from timeline_pdf.model import Period, Report

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Edition:
    label: str  # "2020-03", used in file names and manifests
    through: date  # the last day included
    month: Period  # the brief's period

    @property
    def name(self) -> str:
        """'March 2020', as printed in titles."""
        return f"{self.month.start:%B %Y}"


def month_edition(text: str) -> Edition:
    match = MONTH.match(text.strip())
    if not match or not 1 <= int(match[2]) <= 12:
        raise TimelinePdfError(f"'{text}' is not an edition", "give the edition's month as YYYY-MM, e.g. 2020-03, or a range 2020-01..2020-03")
    year, month = int(match[1]), int(match[2])
    last = date(year, month, calendar.monthrange(year, month)[1]) if year else date.min
    _check_range(text, last)
    return Edition(f"{year:04d}-{month:02d}", last, Period(date(year, month, 1), last))


def through_edition(day: date) -> Edition:
    """An edition cut off on a given day: its month up to that day."""
    _check_range(day.isoformat(), day)
    return Edition(_label(day), day, Period(day.replace(day=1), day))


def _label(day: date) -> str:
    """'2020-03'; four digits for any year (strftime's %Y gives '999' on some systems)."""
    return f"{day.year:04d}-{day.month:02d}"


def _check_range(text: str, day: date) -> None:
    from timeline_pdf.dates import FIRST_DAY, LAST_DAY

    if not FIRST_DAY <= day <= LAST_DAY:
        raise TimelinePdfError(f"'{text}' is outside the years {FIRST_DAY.year} to {LAST_DAY.year} that timeline-pdf can show", "give the edition's month as YYYY-MM, e.g. 2020-03")


def parse_editions(text: str) -> list[Edition]:
    """'2020-03' or a range '2020-01..2020-03' (inclusive), for back-filling an archive."""
    first, separator, last = text.partition("..")
    start = month_edition(first)
    if not separator:
        return [start]
    end = month_edition(last)
    if end.month.start < start.month.start:
        raise TimelinePdfError(f"the range '{text}' ends before it starts", "give the earlier month first, e.g. 2020-01..2020-03")
    editions, current = [], start
    while current.month.start <= end.month.start:
        editions.append(current)
        following = current.through.toordinal() + 1
        current = month_edition(_label(date.fromordinal(following)))
    return editions


def apply_edition(report: Report, edition: Edition) -> Report:
    """The report as the edition sees it: later events left out, the brief's period its month."""
    events = tuple(e for e in report.events if e.date <= edition.through)
    start = report.info.period.start if report.info.period else (events[0].date if events else edition.month.start)
    info = replace(report.info, period=edition.month, edition_date=edition_date(report.info.edition_date, edition))
    return replace(report, events=events, info=info, coverage=Period(min(start, edition.month.start), edition.through), edition=edition.label, edition_name=edition.name)


def edition_date(sheet_date: date | None, edition: Edition) -> date:
    """The Report sheet's Edition Date when it belongs to this edition (within a month after
    the cutoff), else the day after the cutoff: never the wall clock, so rebuilds are identical."""
    if sheet_date and 0 < (sheet_date - edition.through).days <= 31:
        return sheet_date
    return date.fromordinal(edition.through.toordinal() + 1)


def edition_for(label: str, through: str | None) -> Edition | None:
    """The edition a manifest describes (its label and cutoff), for rebuilding it."""
    if not label:
        return None
    edition = month_edition(label)
    return edition if not through or date.fromisoformat(through) == edition.through else through_edition(date.fromisoformat(through))


def document_date(report: Report) -> datetime:
    """The date a file made from the report carries as its own (a PDF's creation date, an
    Excel export's): ``SOURCE_DATE_EPOCH`` when set (reproducible-builds convention), else the
    edition date, else the last day the products cover. Never the clock, so the same inputs
    give the same bytes."""
    epoch = os.environ.get(SOURCE_DATE_EPOCH, "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), timezone.utc).replace(tzinfo=None)
    day = report.info.edition_date or report.period.end
    return datetime(day.year, day.month, day.day)
