"""Every number the products print, computed in one place from the model.

Blank casualty cells are "not reported": they never count as zero. A total that includes an
unreported cell is printed as "at least N", or "0 where reported" when the cells that were
reported are all zero ("at least 0" would say nothing); a total of unreported cells only is
"not reported".
"""

from __future__ import annotations

from collections import Counter
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

    def casualty_note(self) -> str:
        """The line under the casualty table: what its marked totals mean (the brief's and the page's)."""
        return wording_note([count for groups in (self.casualties, self.casualties_since_reference) for group in groups for count in (group.killed, group.wounded)])


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
    chosen, attacks = _counted(report, start, end, category)
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


def _counted(report: Report, start: date, end: date, category: str | None = None) -> tuple[list[Event], list[Event]]:
    """What every figure counts: the included events from ``start`` to ``end`` (both days
    included; of one category when one is given), and the attacks among them."""
    chosen = [e for e in report.events if start <= e.date <= end and (category is None or e.category == category)]
    return chosen, [e for e in chosen if report.is_attack(e)]


def headline_figures(report: Report) -> Figures:
    """The brief's and the page's figures, from the events ``figures`` counts, in one pass each
    over the period and over the running count since the reference date."""
    period = report.period
    in_period, attacks = _counted(report, period.start, period.end)
    per_category = Counter(e.category for e in attacks)
    # most frequent first; a tie keeps the order of the Categories sheet (or of first use)
    ranked = sorted(((c.name, per_category[c.name]) for c in report.categories if per_category[c.name]), key=lambda item: -item[1])
    reference = report.info.reference_date
    # a running count: from the reference date to the end of the period, even when the period starts later
    since = _counted(report, reference, period.end)[1] if reference else None
    return Figures(
        period=period,
        events=len(in_period),
        attacks=len(attacks),
        attacks_by_category=tuple(ranked),
        casualties=casualties_by_group(attacks, report.groups),
        reference_date=reference,
        attacks_since_reference=len(since) if since is not None else None,
        casualties_since_reference=casualties_by_group(since, report.groups) if since is not None else (),
        largest_attack=largest(attacks),
        key_events=tuple(e for e in in_period if e.key),
        added_since_last=report.added_since_last,
    )


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
