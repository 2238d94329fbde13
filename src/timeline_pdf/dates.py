"""Reading the dates analysts type, paste and import, strictly.

General-purpose date parsers guess: '11/03/2020' silently becomes one of two days, 'March 2020'
borrows today's day. A published timeline cannot afford a guess, so each accepted form is listed
here and everything else is refused with the reason ("ambiguous", "February 2020 has 29 days",
"a plain number 2020 is 12 July 1905 to Excel") for the validator to report with its cell.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from openpyxl.utils.datetime import CALENDAR_WINDOWS_1900, from_excel

MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
SERIAL_MIN = 10_000  # 1927-05-18: a smaller number in a date column is a typing slip, not a serial
SERIAL_MAX = 2_958_465  # 9999-12-31
TIME_PART = re.compile(r"(?:[T ]|,?\s+(?:at\s+)?)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:[ap]\.?m\.?)?(?:Z|[+-]\d{2}:?\d{2})?$", re.IGNORECASE)
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
YEAR_FIRST = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
NUMERIC = re.compile(r"^(\d{1,2})([/.-])(\d{1,2})\2(\d{2}|\d{4})$")
YEAR_MONTH = re.compile(r"^(\d{4})-(\d{1,2})$")
YEAR = re.compile(r"^(\d{4})$")
MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4})$")
DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[\s-]+([A-Za-z]+)\.?,?[\s-]+(\d{4})$")
MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?,?\s+(\d{4})$")
ORDINAL = re.compile(r"(\d)(st|nd|rd|th)\b", re.IGNORECASE)
FORMS = "as YYYY-MM-DD (2020-03-11) or as 'March 11, 2020'"
# Dates the products can place: charts pad their axes and editions count a month on, so a
# century is kept clear of the calendar's ends (year 1 and December 31, 9999, a common
# placeholder for "no end").
FIRST_DAY, LAST_DAY = date(100, 1, 1), date(9899, 12, 31)


@dataclass(frozen=True)
class ParsedDate:
    day: date
    precision: str = "day"  # "day", or "month"/"year" for a partial date such as 2020-03 or 2020


class DateProblem(ValueError):
    """A value that is not a usable date; ``code``, ``message`` and ``hint`` become a finding."""

    def __init__(self, code: str, message: str, hint: str) -> None:
        super().__init__(message)
        self.code, self.message, self.hint = code, message, hint


def read_date(value: Any, order: str | None = None, epoch: datetime = CALENDAR_WINDOWS_1900, partial: bool = False) -> ParsedDate:
    """``order`` is "dmy" or "mdy" when the workbook says how to read 11/03/2020, else None.
    ``partial`` accepts a year-month or a year alone (2020-03, 2020, March 2020): only for imports
    whose format has them; in the Events sheet a date must name its day."""
    parsed = _read(value, order, epoch, partial)
    if not FIRST_DAY <= parsed.day <= LAST_DAY:
        shown = value if isinstance(value, str) else parsed.day.isoformat()
        raise DateProblem("date-out-of-range", f"'{shown}' is outside the years {FIRST_DAY.year} to {LAST_DAY.year} that the timeline and charts can show",
                          "enter the real date (a year such as 9999 is often a placeholder: leave End Date blank when an event has no end)")
    return parsed


def _read(value: Any, order: str | None, epoch: datetime, partial: bool) -> ParsedDate:
    if isinstance(value, datetime):
        return ParsedDate(value.date())
    if isinstance(value, date):
        return ParsedDate(value)
    if isinstance(value, time):
        raise DateProblem("date-invalid", f"{value} is a time of day, not a date", f"enter the date {FORMS}")
    if isinstance(value, bool):
        raise DateProblem("date-invalid", f"{value} is not a date", f"enter the date {FORMS}")
    if isinstance(value, (int, float)):
        return _serial(value, epoch)
    return _text(str(value), order, partial)


def _serial(value: float, epoch: datetime) -> ParsedDate:
    """A number in a date column: an Excel date serial under a General format, unless it is too
    small to be one (a typed year such as 2020 would otherwise become a day in 1905)."""
    if not math.isfinite(value) or value < 1 or value > SERIAL_MAX:
        raise DateProblem("date-invalid", f"{value:g} is a number, not a date", f"enter the date {FORMS}")
    if value < SERIAL_MIN:
        as_serial = from_excel(value, epoch=epoch).date()
        if float(value).is_integer() and 1000 <= value <= 2200:
            raise DateProblem("date-number", f"{value:g} is a plain number, not a date: Excel reads it as {as_serial:%B} {as_serial.day}, {as_serial.year}",
                              f"enter the full date {FORMS}; if only the year is known, enter January 1 of it and say so in the Description")
        raise DateProblem("date-number", f"{value:g} is a plain number, not a date (Excel would read it as {as_serial.isoformat()})", f"enter the date {FORMS}")
    return ParsedDate(from_excel(value, epoch=epoch).date())


def _text(raw: str, order: str | None, partial: bool) -> ParsedDate:
    text = " ".join(raw.replace("\u00a0", " ").split())
    text = ORDINAL.sub(r"\1", text)
    shown = raw.strip()
    date_part = TIME_PART.sub("", text) if re.search(r"\d:\d", text) else text
    if match := ISO.match(date_part) or YEAR_FIRST.match(date_part):
        year, month, day = (int(g) for g in match.groups())
        return ParsedDate(_make(shown, year, month, day))
    if match := NUMERIC.match(date_part):
        return ParsedDate(_numeric(shown, int(match[1]), int(match[3]), match[4], order))
    if match := MONTH_DAY_YEAR.match(date_part):
        return ParsedDate(_make(shown, int(match[3]), _month(shown, match[1]), int(match[2])))
    if match := DAY_MONTH_YEAR.match(date_part):
        return ParsedDate(_make(shown, int(match[3]), _month(shown, match[2]), int(match[1])))
    month_only = YEAR_MONTH.match(date_part) or MONTH_YEAR.match(date_part)
    if month_only or YEAR.match(date_part):
        if not partial:
            raise DateProblem("date-partial", f"'{shown}' does not give the day", f"enter the full date {FORMS}; if the day is not known, use the first day of the month and say so in the Description")
        if match := YEAR_MONTH.match(date_part):
            year, month = int(match[1]), int(match[2])
        elif match := MONTH_YEAR.match(date_part):
            year, month = int(match[2]), _month(shown, match[1])
        else:
            if int(date_part) < 1:
                raise DateProblem("date-impossible", f"'{shown}' is not a real date: there is no year {int(date_part)}", f"enter the date {FORMS}")
            return ParsedDate(date(int(date_part), 1, 1), "year")
        _check_month(shown, month)
        return ParsedDate(date(year, month, 1), "month")
    raise DateProblem("date-invalid", f"'{shown}' is not a date", f"enter the date {FORMS}")


def _numeric(shown: str, first: int, second: int, year_text: str, order: str | None) -> date:
    if len(year_text) == 2:
        raise DateProblem("date-invalid", f"'{shown}' has a two-digit year", f"write the year in full, or better, enter the date {FORMS}")
    year = int(year_text)
    if order is None:
        if first > 12 and second <= 12:
            order = "dmy"
        elif second > 12 and first <= 12:
            order = "mdy"
        elif first == second:
            order = "dmy"  # 05/05/2020 reads the same either way
        elif first <= 12 and second <= 12:
            one, other = date(year, second, first), date(year, first, second)
            raise DateProblem("date-ambiguous", f"'{shown}' is ambiguous: it could be {_long(one)} (day first) or {_long(other)} (month first)",
                              "enter it as YYYY-MM-DD, or add a row 'Date Order' with 'day first' or 'month first' to the Report sheet")
    day, month = (first, second) if order == "dmy" else (second, first)
    return _make(shown, year, month, day)


def _make(shown: str, year: int, month: int, day: int) -> date:
    _check_month(shown, month)
    if year < 1:
        raise DateProblem("date-impossible", f"'{shown}' is not a real date: there is no year {year}", f"enter the date {FORMS}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        raise DateProblem("date-impossible", f"'{shown}' is not a real date: {calendar.month_name[month]} {year} has {days} days",
                          "check the day and month, and correct the date")
    return date(year, month, day)


def _check_month(shown: str, month: int) -> None:
    if not 1 <= month <= 12:
        raise DateProblem("date-impossible", f"'{shown}' is not a real date: there is no month {month}", "check the day and month, and correct the date")


def _month(shown: str, name: str) -> int:
    word = name.lower()
    if len(word) >= 3:
        for full, number in MONTHS.items():
            if full.startswith(word) or (word == "sept" and number == 9):
                return number
    raise DateProblem("date-invalid", f"'{shown}' is not a date ('{name}' is not a month)", f"enter the date {FORMS}")


def _long(day: date) -> str:
    return f"{day:%B} {day.day}, {day.year}"
