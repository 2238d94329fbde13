"""Time bins for the charts: weeks, months, quarters or years, and the readable bin for a span.

A chart of a month gives weekly bars; a chart of thirty years must not draw 1,500 of them. The
layout names the *preferred* bin (``charts.frequency``); :func:`bin_unit` keeps it while the
period has at most :data:`MAX_BINS` of them and otherwise takes the next coarser one that fits:
weekly bars up to about two years, monthly up to about nine, quarterly up to about 27, then yearly.
Weeks run Monday to Sunday; months, quarters and years are calendar ones.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date, timedelta

UNITS = ("week", "month", "quarter", "year")
MAX_BINS = 110  # bars at most: about 4.5 points each across a Letter page's text width
MONTHS = {"month": 1, "quarter": 3, "year": 12}


def bin_start(day: date, unit: str) -> date:
    """First day of the bin holding ``day``."""
    if unit == "week":
        return day - timedelta(days=day.weekday())
    months = MONTHS[unit]
    return date(day.year, (day.month - 1) // months * months + 1, 1)


def next_start(start: date, unit: str) -> date:
    """First day of the bin after the one starting on ``start``; ``date.max`` (never the start
    of a bin) for the bin holding December 31, 9999, after which no date exists."""
    try:
        if unit == "week":
            return start + timedelta(days=7)
        index = start.year * 12 + start.month - 1 + MONTHS[unit]
        return date(index // 12, index % 12 + 1, 1)
    except (OverflowError, ValueError):
        return date.max


def bin_count(start: date, end: date, unit: str) -> int:
    """How many bins of ``unit`` cover the days ``start`` to ``end`` (both included)."""
    first, last = bin_start(start, unit), bin_start(end, unit)
    if unit == "week":
        return (last - first).days // 7 + 1
    return ((last.year - first.year) * 12 + last.month - first.month) // MONTHS[unit] + 1


def bin_unit(start: date, end: date, preferred: str = "week", max_bins: int = MAX_BINS) -> str:
    """The preferred unit if the span has at most ``max_bins`` of it, else the first coarser one
    that does (years when none does)."""
    units = UNITS[UNITS.index(preferred) if preferred in UNITS else 0 :]
    return next((unit for unit in units if bin_count(start, end, unit) <= max_bins), UNITS[-1])


@dataclass(frozen=True)
class TimeBins:
    """Consecutive bins covering a period: ``starts[i]`` up to ``ends[i]`` (exclusive)."""

    unit: str
    starts: tuple[date, ...]
    ends: tuple[date, ...]

    @classmethod
    def covering(cls, start: date, end: date, unit: str) -> TimeBins:
        starts = [bin_start(start, unit)]
        while (following := next_start(starts[-1], unit)) <= end and following < date.max:
            starts.append(following)
        return cls(unit, tuple(starts), tuple(starts[1:]) + (next_start(starts[-1], unit),))

    def __len__(self) -> int:
        return len(self.starts)

    def index(self, day: date) -> int:
        """The bin holding ``day``; ValueError outside the bins."""
        i = bisect_right(self.starts, day) - 1
        if i < 0 or (day >= self.ends[i] and self.ends[i] < date.max):
            raise ValueError(f"{day} is outside the bins")
        return i
