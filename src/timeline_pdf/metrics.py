"""Every number the products print, computed in one place from the model.

Blank casualty cells are "not reported": they never count as zero. A total that includes an
unreported cell is printed as "at least N", or "0 where reported" when the cells that were
reported are all zero ("at least 0" would say nothing); a total of unreported cells only is
"not reported".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Literal

from timeline_pdf.model import Event, Period, Report


Wording = Literal["exact", "at least", "where reported", "not reported"]
MARKED = {"at least": "“at least”", "where reported": "“0 where reported”"}  # the wordings of incomplete totals


@dataclass(frozen=True)
class Count:
    """A total that knows whether every contributing cell was reported."""

    value: int
    complete: bool
    any_reported: bool = True

    @property
    def wording(self) -> Wording:
        if not self.any_reported:
            return "not reported"
        if self.complete:
            return "exact"
        return "at least" if self.value > 0 else "where reported"

    def __str__(self) -> str:
        return {
            "exact": f"{self.value:,}",
            "at least": f"at least {self.value:,}",
            "where reported": "0 where reported",
            "not reported": "not reported",
        }[self.wording]


def wording_note(counts: list[Count]) -> str:
    """What the marked totals among ``counts`` mean, for the line under their table."""
    shown = {c.wording for c in counts}
    marks = [label for wording, label in MARKED.items() if wording in shown]
    if not marks:
        return "Casualty totals count reported figures only."
    verb = "mark" if len(marks) > 1 else "marks"
    return f"Casualty totals count reported figures only; {' and '.join(marks)} {verb} totals where some events did not report that figure."


@dataclass(frozen=True)
class GroupCasualties:
    group: str
    killed: Count
    wounded: Count


@dataclass(frozen=True)
class Figures:
    period: Period
    events: int
    attacks: int
    attacks_by_category: tuple[tuple[str, int], ...]  # most frequent first
    casualties: tuple[GroupCasualties, ...]  # in attacks during the period
    reference_date: date | None
    attacks_since_reference: int | None
    casualties_since_reference: tuple[GroupCasualties, ...]
    largest_attack: Event | None
    key_events: tuple[Event, ...]
    added_since_last: int | None = None  # events new since the previous edition, when known


@dataclass(frozen=True)
class Tally:
    """The figures of the events from ``since`` to ``until`` (both days included), of one
    category when one is chosen; casualties are those of attacks, of one group when one is
    chosen, else of every group."""

    since: date
    until: date
    events: int  # every included event
    attacks: int  # events whose category's kind is attack
    killed: Count  # in those attacks
    wounded: Count
    new_events: int | None = None  # events added since the previous edition, when known


def figures(report: Report, *, since: date | None = None, until: date | None = None, category: str | None = None, group: str | None = None) -> Tally:
    """The one count behind every figure the products print: the brief's headline figures,
    the summary's live figures and the Python API. Without ``since`` and ``until`` it covers
    the report's period; either replaces that end of it."""
    period = report.period
    start, end = since or period.start, until or period.end
    chosen = [e for e in report.events if start <= e.date <= end and (category is None or e.category == category)]
    attacks = [e for e in chosen if report.is_attack(e)]
    groups = (group,) if group is not None else report.groups
    return Tally(
        since=start,
        until=end,
        events=len(chosen),
        attacks=len(attacks),
        killed=_combined([_total(attacks, g, "killed") for g in groups]),
        wounded=_combined([_total(attacks, g, "wounded") for g in groups]),
        new_events=report.added_since_last,
    )


def headline_figures(report: Report) -> Figures:
    period = report.period
    in_period = [e for e in report.events if e.date in period]
    attacks = [e for e in in_period if report.is_attack(e)]
    whole = figures(report)
    # most frequent first; a tie keeps the order of the Categories sheet (or of first use)
    by_category = [(c.name, figures(report, category=c.name).attacks) for c in report.categories]
    ranked = sorted(((name, count) for name, count in by_category if count), key=lambda item: -item[1])
    reference = report.info.reference_date
    # a running count: from the reference date to the end of the period, even when the period starts later
    since = figures(report, since=reference) if reference else None
    return Figures(
        period=period,
        events=whole.events,
        attacks=whole.attacks,
        attacks_by_category=tuple(ranked),
        casualties=_casualties_by_group(report),
        reference_date=reference,
        attacks_since_reference=since.attacks if since is not None else None,
        casualties_since_reference=_casualties_by_group(report, since=reference) if reference else (),
        largest_attack=largest(attacks),
        key_events=tuple(e for e in in_period if e.key),
        added_since_last=report.added_since_last,
    )


def _casualties_by_group(report: Report, since: date | None = None) -> tuple[GroupCasualties, ...]:
    """Killed and wounded in attacks for each group, through ``figures``."""
    tallies = [(group, figures(report, since=since, group=group)) for group in report.groups]
    return tuple(GroupCasualties(group, t.killed, t.wounded) for group, t in tallies)


def casualties_by_group(events: list[Event], groups: tuple[str, ...]) -> tuple[GroupCasualties, ...]:
    """Killed and wounded of each group in ``events``, totalled as ``figures`` totals them."""
    return tuple(GroupCasualties(group, _total(events, group, "killed"), _total(events, group, "wounded")) for group in groups)


def _total(events: list[Event], group: str, what: str) -> Count:
    values = [getattr(e.casualties_for(group), what) for e in events]
    reported = [v for v in values if v is not None]
    return Count(sum(reported), len(reported) == len(values), bool(reported) or not values)


def _combined(counts: list[Count]) -> Count:
    """Several groups' totals as one; none at all (no casualty columns) is not reported."""
    if not counts:
        return Count(0, True, any_reported=False)
    return Count(sum(c.value for c in counts), all(c.complete for c in counts), any(c.any_reported for c in counts))


def event_casualties(event: Event) -> int:
    """Killed plus wounded over every group, reported cells only."""
    return sum((c.killed or 0) + (c.wounded or 0) for c in event.casualties)


def largest(attacks: list[Event]) -> Event | None:
    """The attack with the most reported casualties; the earliest wins a tie."""
    if not attacks:
        return None
    best = max(attacks, key=lambda e: (event_casualties(e), -e.date.toordinal(), -e.row))
    return best if event_casualties(best) > 0 else None
