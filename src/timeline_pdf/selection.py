"""Choosing figures as an analyst writes them: the one reading of ``since``, ``until``,
``category`` and ``group`` for the Python API and the summary's live figures.

Values come as typed (``"2020-01-03"``, ``"reference"``, ``"Rocket attack"``, ``"us"``) or, from
Python, as dates. Every mistake is a ``Problem`` naming the argument, with a did-you-mean where
one helps; nothing falls back silently to the whole period, every category or every group.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from timeline_pdf.contract import normalise
from timeline_pdf.dates import DateProblem, read_date
from timeline_pdf.errors import report_row_hint
from timeline_pdf.metrics import Tally, figures
from timeline_pdf.model import Report

ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
REFERENCE = "reference"  # since=reference: the Report sheet's Reference Date


@dataclass(frozen=True)
class Problem:
    argument: str  # the argument at fault: since, until, category or group
    message: str
    hint: str
    code: str


@dataclass(frozen=True)
class Choice:
    """Arguments for ``metrics.figures``, checked against the report."""

    since: date | None = None
    until: date | None = None
    category: str | None = None
    group: str | None = None


def choose(report: Report, *, since: Any = None, until: Any = None, category: Any = None, group: Any = None) -> tuple[Choice, list[Problem]]:
    """The arguments read and checked; what is wrong comes back as problems (and is left out)."""
    problems: list[Problem] = []
    start = read_day(report, "since", since, problems)
    end = read_day(report, "until", until, problems)
    if start and end and end < start:
        problems.append(Problem("until", f"until={end.isoformat()} is before since={start.isoformat()}", "swap the two dates", code="figure-value"))
    else:
        _within_period(report, start, end, problems)
    chosen_category = _category(report, category, problems) if category is not None else None
    chosen_group = _group(report, group, problems) if group is not None else None
    return Choice(start, end, chosen_category, chosen_group), problems


def tally(report: Report, choice: Choice) -> Tally:
    return figures(report, since=choice.since, until=choice.until, category=choice.category, group=choice.group)


def _within_period(report: Report, start: date | None, end: date | None, problems: list[Problem]) -> None:
    """A figure runs from ``since`` (else the period's start) to ``until`` (else its end): a
    ``since`` after the period, or an ``until`` before it, with the other end left to the
    period, would count nothing and print 0. (Both given, any span of the events may be counted.)"""
    period = report.period
    shown = period.described()
    if start is not None and end is None and start > period.end:
        problems.append(Problem("since", f"since={start.isoformat()} is after the end of the period ({shown}), so the figure would count nothing",
                                "choose a day within the period, or " + _period_hint(report, "Period End", "the last day to cover") + " (an edition covers its month)", code="figure-value"))
    if end is not None and start is None and end < period.start:
        problems.append(Problem("until", f"until={end.isoformat()} is before the start of the period ({shown}), so the figure would count nothing",
                                "choose a day within the period, or " + _period_hint(report, "Period Start", "the first day to cover"), code="figure-value"))


def _from_csv(report: Report) -> bool:
    return report.source_name.lower().endswith(".csv")


def _period_hint(report: Report, row: str, what: str) -> str:
    """How to move one end of the period: on the Report sheet, or first how to get one."""
    if _from_csv(report):
        return report_row_hint(f"add a row '{row}' with {what}", True)
    return f"move {row} on the Report sheet"


def read_day(report: Report | None, argument: str, value: Any, problems: list[Problem]) -> date | None:
    """A day given as an argument: a date, a datetime (pandas' Timestamp too) or YYYY-MM-DD, and
    for ``since`` the word ``reference`` (which needs ``report``); a mistake is added to ``problems``."""
    if value is None:
        return None
    if isinstance(value, datetime):  # pandas' Timestamp too
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if argument == "since" and text.lower() == REFERENCE:
        if report.info.reference_date is None:
            problems.append(Problem(argument, "since=reference, but the Report sheet gives no Reference Date",
                                    report_row_hint("add a row 'Reference Date' with the day to count from; or write the day as since=YYYY-MM-DD", _from_csv(report)),
                                    code="figure-value"))
        return report.info.reference_date
    if not ISO_DAY.match(text):
        also = " or since=reference (the Report sheet's Reference Date)" if argument == "since" else ""
        problems.append(Problem(argument, f"'{text}' is not a date", f"write {argument}=YYYY-MM-DD, e.g. {argument}=2020-01-03{also}", code="figure-value"))
        return None
    try:
        return read_date(text).day
    except DateProblem as problem:
        problems.append(Problem(argument, problem.message, problem.hint, code="figure-value"))
        return None


def _category(report: Report, value: Any, problems: list[Problem]) -> str | None:
    name = str(value).strip()
    names = [c.name for c in report.categories]
    if name in names:
        return name
    near = nearest(name, names)
    mean = f"; did you mean '{near}'?" if near else ""
    shown = ", ".join(f"'{n}'" for n in names[:12]) + (", …" if len(names) > 12 else "")
    problems.append(Problem("category", f"the workbook has no category '{name}'{mean}", f"use a category of the workbook: {shown}", code="figure-value"))
    return None


def _group(report: Report, value: Any, problems: list[Problem]) -> str | None:
    name = str(value).strip()
    if not report.groups:
        problems.append(Problem("group", f"the workbook has no casualty columns, so no group '{name}'", "add columns such as 'US Killed' and 'US Wounded' to the Events sheet", code="figure-value"))
        return None
    for group in report.groups:  # matched as headers are: ignoring case, spaces and punctuation
        if normalise(group) == normalise(name):
            return group
    near = nearest(name, list(report.groups))
    mean = f"; did you mean '{near}'?" if near else ""
    problems.append(Problem("group", f"the workbook has no casualty group '{name}'{mean}", "use a group of the workbook: " + ", ".join(f"'{g}'" for g in report.groups), code="figure-value"))
    return None


def nearest(word: str, choices: list[str]) -> str:
    """The closest choice, ignoring case (or the one choice that begins with the word, as
    'Iraqi' does 'Iraqi Forces'); '' when none is close."""
    lowered = {c.lower(): c for c in choices}
    found = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=0.6)
    starting = [c for low, c in lowered.items() if word and low.startswith(word.lower())]
    return lowered[found[0]] if found else starting[0] if len(starting) == 1 else ""
