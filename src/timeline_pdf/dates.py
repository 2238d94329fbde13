"""Reading the dates analysts type, paste and import, strictly.

General-purpose date parsers guess: '11/03/2020' silently becomes one of two days, 'March 2020'
borrows today's day. A published timeline cannot afford a guess, so each accepted form is listed
here and everything else is refused with the reason ("ambiguous", "February 2020 has 29 days",
"a plain number 2020 is 12 July 1905 to Excel", "a two-digit year", "'mars' is March in French")
for the validator to report with its cell.

An import may name formats of its own (``strptime`` formats such as ``%d-%b-%y`` for ACLED's
``9-May-20``): they are tried before the usual forms. A two-digit year read through such a format
follows the POSIX rule, as Python's ``strptime`` does: 00-68 are 2000-2068, 69-99 are 1969-1999.

The second half prints dates as much as they are known: a date known to the month is "March
2014", never "March 1, 2014".
"""

from __future__ import annotations

import calendar
import functools
import math
import re
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from timeline_pdf.errors import DATE_ORDER_HINT

WINDOWS_EPOCH = datetime(1899, 12, 30)  # day 0 of Excel's 1900 date system (openpyxl's CALENDAR_WINDOWS_1900)

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
DAY_MONTH_YY = re.compile(r"^(\d{1,2})[\s-]+([^\W\d_]+)\.?,?[\s-]+(\d{2})$")  # 9-May-20
MONTH_DAY_YY = re.compile(r"^([^\W\d_]+)\.?\s+(\d{1,2}),?\s+(\d{2})$")  # May 9, 20
WORDY = re.compile(r"^(?:(\d{1,2})[\s./-]+([^\W\d_]+)\.?|([^\W\d_]+)\.?[\s./-]+(\d{1,2}))[\s.,/-]+(\d{2,4})$")  # a month word in any language
RUN_OF_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")  # 20200311
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


def read_date(value: Any, order: str | None = None, epoch: datetime = WINDOWS_EPOCH, partial: bool = False, formats: tuple[str, ...] = ()) -> ParsedDate:
    """``order`` is "dmy" or "mdy" when the workbook says how to read 11/03/2020, else None.
    ``partial`` accepts a year-month or a year alone (2020-03, 2020, March 2020): only for imports
    whose format has them; in the Events sheet a date must name its day. ``formats`` are an
    import's own ``strptime`` formats, tried before the usual forms."""
    parsed = _with_formats(value, formats) if formats and isinstance(value, str) else None
    if parsed is None:
        try:
            parsed = _read(value, order, epoch, partial)
        except DateProblem as problem:
            if formats and isinstance(value, str):
                shown = " or ".join(f"'{f}' (such as {format_example(f)})" for f in formats)
                raise DateProblem(problem.code, f"{problem.message}; nor does it match the import's date format {shown}",
                                  f"{problem.hint}, or in the import's form") from None
            raise
    if not FIRST_DAY <= parsed.day <= LAST_DAY:
        shown = value if isinstance(value, str) else parsed.day.isoformat()
        raise DateProblem("date-out-of-range", f"'{shown}' is outside the years {FIRST_DAY.year} to {LAST_DAY.year} that the timeline and charts can show",
                          "enter the real date (a year such as 9999 is often a placeholder: leave End Date blank when an event has no end)")
    return parsed


def _with_formats(text: str, formats: tuple[str, ...]) -> ParsedDate | None:
    """The date ``text`` stands for in the first of ``formats`` it matches, else None."""
    cleaned = " ".join(text.replace("\u00a0", " ").split())
    for form in formats:
        try:
            return ParsedDate(datetime.strptime(cleaned, form).date())
        except ValueError:
            continue
    return None


def format_example(form: str) -> str:
    """How May 9, 2020 reads in a ``strptime`` format: '09-May-20' for '%d-%b-%y'."""
    return date(2020, 5, 9).strftime(form)


def format_problem(form: str) -> str:
    """Why ``form`` cannot be a date format of an import ('' when it can): it must read back the
    day it writes, so it names a day, a month and a year."""
    try:
        for sample in (date(2020, 5, 9), date(1997, 12, 28)):
            if datetime.strptime(sample.strftime(form), form).date() != sample:
                return f"'{form}' does not give the day, the month and the year (such as %d, %b and %y: '%d-%b-%y' reads 09-May-20)"
    except ValueError as exc:
        return f"'{form}' is not a date format ({exc}); write it as for Python's strptime, such as '%d-%b-%y' for 09-May-20"
    return ""


def two_digit_years(form: str) -> bool:
    return "%y" in form.replace("%%", "")


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
    from openpyxl.utils.datetime import from_excel  # here: a build of a plain workbook does not import openpyxl

    if not math.isfinite(value) or value < 1 or value > SERIAL_MAX:
        raise DateProblem("date-invalid", f"{value:g} is a number, not a date", f"enter the date {FORMS}")
    if value < SERIAL_MIN:
        as_serial = from_excel(value, epoch=epoch).date()
        if float(value).is_integer() and 1000 <= value <= 2200:
            raise DateProblem("date-number", f"{value:g} is a plain number, not a date: Excel reads it as {format_date(as_serial, long=True)}",
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
    raise _why_not(shown, date_part)


def _why_not(shown: str, text: str) -> DateProblem:
    """The problem with a text that is in none of the accepted forms, as precisely as can be told."""
    if match := DAY_MONTH_YY.match(text) or MONTH_DAY_YY.match(text):
        word = match[2] if match.re is DAY_MONTH_YY else match[1]
        if _english_month(word) is not None:
            return _two_digit_year(shown, match[3])
    if match := WORDY.match(text):
        word = match[2] or match[3]
        if _english_month(word) is None:
            return DateProblem("date-invalid", f"'{shown}' is not a date: {_foreign_month(word)}", f"write the month in English, or enter the date {FORMS}")
    if match := RUN_OF_DIGITS.match(text):
        return DateProblem("date-invalid", f"'{shown}' is a run of digits without separators, not a date", f"if it means {match[1]}-{match[2]}-{match[3]}, write it so: enter the date {FORMS}")
    return DateProblem("date-invalid", f"'{shown}' is not a date", f"enter the date {FORMS}")


def _two_digit_year(shown: str, year: str) -> DateProblem:
    return DateProblem("date-invalid", f"'{shown}' has a two-digit year: '{year}' could be 20{year} or 19{year}",
                       f"write the year in full, or better, enter the date {FORMS}; an import can read two-digit years with a date_format in its mapping file (see the README)")


def _numeric(shown: str, first: int, second: int, year_text: str, order: str | None) -> date:
    if len(year_text) == 2:
        raise _two_digit_year(shown, year_text)
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
            raise DateProblem("date-ambiguous", f"'{shown}' is ambiguous: it could be {format_date(one, long=True)} (day first) or {format_date(other, long=True)} (month first)",
                              DATE_ORDER_HINT)
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
    number = _english_month(name)
    if number is None:
        raise DateProblem("date-invalid", f"'{shown}' is not a date: {_foreign_month(name)}", f"write the month in English, or enter the date {FORMS}")
    return number


def _english_month(name: str) -> int | None:
    word = name.lower()
    if len(word) >= 3:
        for full, number in MONTHS.items():
            if full.startswith(word) or (word == "sept" and number == 9):
                return number
    return None


# Languages named first when a month name belongs to several (the rest follow alphabetically).
LANGUAGES_FIRST = ("French", "Spanish", "German", "Portuguese", "Italian", "Dutch", "Arabic", "Russian", "Turkish", "Persian", "Somali", "Pashto", "Swahili", "Ukrainian", "Polish")


def _foreign_month(name: str) -> str:
    """'mars' -> "'mars' is March in French (and 14 other languages), not an English month name"."""
    found = _month_names().get(name.lower().rstrip("."), {})
    if not found:
        return f"'{name}' is not a month"
    number = min(found, key=lambda n: (-len(found[n]), n))
    languages = sorted(found[number], key=lambda lang: (LANGUAGES_FIRST.index(lang) if lang in LANGUAGES_FIRST else len(LANGUAGES_FIRST), lang))
    others = f" (and {len(languages) - 1} other language{'s' if len(languages) > 2 else ''})" if len(languages) > 1 else ""
    return f"'{name}' is {calendar.month_name[number]} in {languages[0]}{others}, not an English month name"


@functools.cache
def _month_names() -> dict[str, dict[int, set[str]]]:
    """Month names and abbreviations of every language Babel (CLDR) knows: name -> {month: languages}.
    Built once, and only when a date has failed."""
    from babel import Locale
    from babel.localedata import locale_identifiers

    names: dict[str, dict[int, set[str]]] = {}
    for identifier in locale_identifiers():
        if "_" in identifier:
            continue  # the language is enough: regional variants repeat its names
        locale = Locale.parse(identifier)
        if locale.language == "en":
            continue
        for context in ("format", "stand-alone"):
            for width in ("wide", "abbreviated"):
                for number, text in locale.months[context][width].items():
                    names.setdefault(text.lower().rstrip("."), {}).setdefault(number, set()).add(locale.english_name)
    return names


# --- printing dates as much as they are known --------------------------------------------------


def format_date(day: date, precision: str = "day", *, long: bool = False, year: bool = True) -> str:
    """'Mar 11, 2020' (``long``: 'March 11, 2020'); 'Mar 2020' for a date known to the month,
    '2020' for one known to the year. ``year=False`` leaves the year out where a heading gives it."""
    month = f"{day:%B}" if long else f"{day:%b}"
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{month} {day.year}" if year else month
    return f"{month} {day.day}, {day.year}" if year else f"{month} {day.day}"


def _same(one: date, other: date, precision: str) -> bool:
    """Are the two the same day, month or year, as far as ``precision`` tells?"""
    if precision == "year":
        return one.year == other.year
    if precision == "month":
        return (one.year, one.month) == (other.year, other.month)
    return one == other


def format_span(start: date, start_precision: str, end: date | None, end_precision: str = "day", *, long: bool = False, year: bool = True) -> tuple[str, str, str]:
    """A span as (first, dash, second): each part is one date, never to be broken inside;
    ``dash`` and ``second`` are empty for a single date. ``year=False``: a heading gives the
    start's year, so a span within that year leaves it out.

    Within a year: 'Mar 11–14', 'Feb 27–Mar 2', 'Mar–Sep'. Across years, or where the two ends are
    known to different precision, each end says its year: 'Dec 31, 2019 – Jan 2, 2020',
    'Jul 1943 – 1946', 'Aug 2, 1776 – 1776' (begun on August 2, ended some time in 1776).
    """
    if end is None or (end_precision == start_precision and _same(start, end, start_precision)):
        return format_date(start, start_precision, long=long, year=year), "", ""
    compact = not long and start_precision == end_precision and start.year == end.year
    if start_precision != end_precision:
        first, second = format_date(start, start_precision, long=long), format_date(end, end_precision, long=long)
    elif start.year != end.year:
        first, second = format_date(start, start_precision, long=long), format_date(end, end_precision, long=long)
    elif start_precision == "month":
        first, second = format_date(start, "month", long=long, year=False), format_date(end, "month", long=long, year=year)
    elif end.month == start.month and compact:
        first, second = format_date(start, "day", year=False), str(end.day) + (f", {end.year}" if year else "")
    else:
        first, second = format_date(start, "day", long=long, year=False), format_date(end, "day", long=long, year=year)
    return first, "–" if compact else " – ", second
