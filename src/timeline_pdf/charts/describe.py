"""Alternative text for each chart: what a reader who cannot see it needs — its kind, what it
counts over which period, the totals and the notable values — from the same functions that
draw the chart, so the text never disagrees with the picture.

Each text stays under :data:`MAX_CHARS`; long lists end with "and N more".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence

from timeline_pdf.charts.bins import bin_unit
from timeline_pdf.charts.casualties import binned_casualties, casualty_unit, chart_groups
from timeline_pdf.charts.frequency import attack_bins, period_attacks
from timeline_pdf.charts.locations import ranked_locations
from timeline_pdf.charts.locator import located_events
from timeline_pdf.charts.style import short_label
from timeline_pdf.dates import format_date
from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.metrics import casualties_by_group
from timeline_pdf.model import Report

MAX_CHARS = 1_000
LISTED = 6  # items named in a list before "and N more"


def describe(kind: str, report: Report, layout: LoadedLayout) -> str:
    """The alternative text of the chart ``kind`` (frequency, casualties, locations, map)."""
    text = DESCRIBERS[kind](report, layout)
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1].rsplit(" ", 1)[0] + "…"


def _period(report: Report) -> str:
    return f"{format_date(report.period.start)} to {format_date(report.period.end)}"


def _listing(items: Sequence[str], limit: int = LISTED) -> str:
    shown = list(items[:limit])
    if len(items) > limit:
        shown.append(f"and {len(items) - limit:,} more")
    return "; ".join(shown)


def _bin_name(unit: str, start) -> str:  # noqa: ANN001 - a date
    if unit == "week":
        return f"the week of {format_date(start)}"
    if unit == "month":
        return f"{start:%B %Y}"
    if unit == "quarter":
        return f"the quarter from {start:%B %Y}"
    return str(start.year)


def frequency(report: Report, layout: LoadedLayout) -> str:
    period = report.period
    unit = bin_unit(period.start, period.end, layout.spec.charts.frequency)
    bins = attack_bins(report, unit)
    totals = bins.totals
    total = sum(totals)
    head = f"Bar chart of attacks per {unit}, stacked by category, {_period(report)}"
    if not total:
        return f"{head}: no attacks in this period."
    peak = max(totals)
    busiest = [bins.starts[i] for i, value in enumerate(totals) if value == peak]
    most = f"most in {_bin_name(unit, busiest[0])} ({peak:,})" + (f", equalled in {len(busiest) - 1:,} other {unit}(s)" if len(busiest) > 1 else "")
    by_category = sorted(((name, sum(bins.counts[name])) for name in bins.categories), key=lambda item: -item[1])
    parts = [f"{head}: {total:,} attack{'s' if total != 1 else ''}; {most}.", f"By category: {_listing([f'{name} {count:,}' for name, count in by_category])}."]
    keys = sorted((e for e in period_attacks(report) if e.key), key=lambda e: (e.date, e.row))
    if keys:
        parts.append(f"Key events marked: {_listing([f'{format_date(e.date)}, {short_label(e.headline or e.description)}' for e in keys], 4)}.")
    reference = report.info.reference_date
    if reference is not None and reference in period:
        parts.append(f"A dashed line marks the reference date, {format_date(reference)}.")
    return " ".join(parts)


def casualties(report: Report, layout: LoadedLayout) -> str:
    groups = chart_groups(report, layout)
    unit = casualty_unit(report, groups)
    data = binned_casualties(report, groups, unit)
    head = f"Bar chart of people killed and wounded in attacks per {unit}, by group, with running totals, {_period(report)}"
    if not data.any_reported:
        return f"{head}: no casualties reported in this period."
    totals = casualties_by_group(period_attacks(report), groups)  # as the brief's table counts them
    parts = [f"{head}."]
    for group, total in zip(groups, totals):
        if not data.reported(group):
            parts.append(f"{group}: not reported.")
            continue
        per_bin = [(k or 0) + (w or 0) for k, w in zip(data.killed[group], data.wounded[group])]
        peak = max(per_bin)
        worst = f"; most in {_bin_name(unit, data.bins.starts[per_bin.index(peak)])} ({peak:,.0f})" if peak else ""
        parts.append(f"{group}: {total.killed} killed, {total.wounded} wounded{worst}.")
    if not all(t.killed.complete and t.wounded.complete for t in totals):
        parts.append("Totals marked 'at least' include events that did not report a figure.")
    return " ".join(parts)


def locations(report: Report, layout: LoadedLayout) -> str:
    data = ranked_locations(report, layout.spec.charts.top_locations)
    head = f"Bar chart of the most-attacked locations, {_period(report)}"
    if not data.ranked:
        return f"{head}: no attack has a location recorded." if data.attacks else f"{head}: no attacks in this period."
    shown = "" if data.locations <= len(data.ranked) else f", the top {len(data.ranked)} of {data.locations:,} locations"
    parts = [f"{head}{shown}: {_listing([f'{name} {count:,}' for name, count in data.ranked], len(data.ranked))}."]
    if data.unlocated:
        parts.append(f"Not shown: {data.unlocated:,} attack{'s' if data.unlocated != 1 else ''} with no location recorded.")
    return " ".join(parts)


def locator_map(report: Report, layout: LoadedLayout) -> str:
    events = located_events(report)
    head = f"Map of the events of {_period(report)} that have coordinates"
    if not events:
        return f"{head}: none."
    categories = Counter(e.category for e in events)
    places = Counter(" ".join(e.location.split()) for e in events if e.location.strip())
    lats = [e.latitude for e in events]
    lons = [e.longitude for e in events]
    parts = [f"{head}: {len(events):,} event{'s' if len(events) != 1 else ''}, marked by category ({_listing([f'{n} {c:,}' for n, c in categories.most_common()])})."]
    if places:
        parts.append(f"Most at {_listing([f'{n} ({c:,})' for n, c in places.most_common()], 4)}.")
    parts.append(f"They lie between latitudes {_degrees(min(lats), 'N', 'S')} and {_degrees(max(lats), 'N', 'S')} and longitudes {_degrees(min(lons), 'E', 'W')} and {_degrees(max(lons), 'E', 'W')}.")
    return " ".join(parts)


def _degrees(value: float, positive: str, negative: str) -> str:
    return f"{abs(value):.1f}° {positive if value >= 0 else negative}"


DESCRIBERS: dict[str, Callable[[Report, LoadedLayout], str]] = {
    "frequency": frequency,
    "casualties": casualties,
    "locations": locations,
    "map": locator_map,
}
