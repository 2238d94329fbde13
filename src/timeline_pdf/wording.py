"""Words every product prints alike, as plain text: the title, the period, names, and what the
headline figures say. The PDFs escape them into ReportLab markup, the web page through its
template; neither words them on its own.
"""

from __future__ import annotations

from timeline_pdf.dates import format_date, format_span
from timeline_pdf.layout.schema import Layout
from timeline_pdf.metrics import Figures
from timeline_pdf.model import Period, Report
from timeline_pdf.placeholders import fill


def covered(report: Report, spec: Layout | None = None) -> Period:
    """An edition's timeline covers everything up to its cutoff; its brief, the month."""
    if spec is not None and spec.product == "timeline" and report.coverage is not None:
        return report.coverage
    return report.period


def display_title(report: Report, spec: Layout) -> str:
    title = report.info.title or spec.title_default
    if report.edition_name:
        return fill(spec.edition_title, {"title": title, "edition": report.edition_name})
    return title


def period_text(report: Report, spec: Layout | None = None) -> str:
    """'October 1, 2019 – March 31, 2020'; as far as it is known: '2014', 'July 1943 – 1946'."""
    return covered(report, spec).described()


def names(people: tuple[str, ...] | list[str]) -> str:
    if len(people) <= 2:
        return " and ".join(people)
    return ", ".join(people[:-1]) + ", and " + people[-1]


def headline_cards(report: Report, figures: Figures) -> list[tuple[str, str]]:
    """The headline figures as (number, what it counts): attacks in the period, attacks since
    the reference date, and the most common kind of attack."""
    period = figures.period
    span = "".join(format_span(period.start, period.start_precision, period.end, period.end_precision))
    cards = [(f"{figures.attacks:,}", f"{report.info.attacks_label}, {span}")]
    if figures.reference_date is not None and figures.attacks_since_reference is not None:
        cards.append((f"{figures.attacks_since_reference:,}", f"{_attacks(figures.attacks_since_reference)} since {format_date(figures.reference_date, long=True)}"))
    if figures.attacks_by_category:
        cards.append(_most_common(report, figures.attacks_by_category))
    return cards


def _attacks(count: int) -> str:
    return "attack" if count == 1 else "attacks"


def _most_common(report: Report, ranked: tuple[tuple[str, int], ...]) -> tuple[str, str]:
    """The card of the most frequent kind of attack: its count and what it counts. A category
    name is never inflected by rule ("battles" + "s" is "battless"): the Categories sheet's
    plural is used when given, else the name stands quoted as typed; a tie names every
    category sharing the top count."""
    count = ranked[0][1]
    tied = [name for name, n in ranked if n == count]
    if len(tied) > 1:
        names = ", ".join(f"‘{name}’" for name in tied[:-1]) + f" and ‘{tied[-1]}’"
        return f"{count:,}", f"{_attacks(count)} each in {names}, the most common categories"
    plural = report.category(tied[0]).plural
    if plural and count > 1:
        return f"{count:,}", f"{plural}, the most common kind of attack"
    return f"{count:,}", f"{_attacks(count)} in ‘{tied[0]}’, the most common category"


def figure_details(figures: Figures) -> list[tuple[str, str]]:
    """The lines under the headline figures, as (lead, text): what is new since the last
    edition, attacks by category, the largest attack."""
    details = []
    if figures.added_since_last is not None:
        details.append(("New since the last edition:", f"{figures.added_since_last:,} event(s) added to the timeline"))
    if figures.attacks_by_category:
        details.append(("Attacks by category:", " · ".join(f"{name} {count}" for name, count in figures.attacks_by_category)))
    if figures.largest_attack is not None:
        event = figures.largest_attack
        details.append(("Largest attack:", f"{format_date(event.date, event.date_precision, long=True)}, {event.headline or event.category}"))
    return details


def casualty_columns(figures: Figures) -> tuple[list[tuple[str, int]], list[str]]:
    """The casualty table's headings: the period labels with the columns they span, then one
    heading per column (the group, then killed and wounded for each period)."""
    spans = [("This period", 2)] + ([(f"Since {format_date(figures.reference_date)}", 2)] if figures.reference_date is not None else [])
    return spans, ["Group"] + ["Killed", "Wounded"] * len(spans)


def casualty_rows(figures: Figures) -> list[list[str]]:
    """The casualty table's rows: each group's killed and wounded, for the period and (when the
    report has a reference date) since it, worded as ``metrics.Count`` words them."""
    rows = []
    for index, group in enumerate(figures.casualties):
        row = [group.group, str(group.killed), str(group.wounded)]
        if figures.reference_date is not None:
            later = figures.casualties_since_reference[index]
            row += [str(later.killed), str(later.wounded)]
        rows.append(row)
    return rows
