"""Headline figures, each checked against an independent pandas computation on the same .xlsx.

The pandas side reads the workbook with ``pandas.read_excel`` and never goes through our loader,
so a mistake in reading, validating or counting shows up as a difference.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

from timeline_pdf.metrics import Count, Figures, headline_figures, wording_note
from timeline_pdf.validate import load_report
from xlsx_helpers import write_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "escalation.xlsx"
CASUALTY = re.compile(r"^(?P<group>.+) (?P<what>Killed|Wounded)$")


# --- the independent computation ---------------------------------------------------------------


@dataclass
class Expected:
    attacks: int
    attacks_since: int | None
    events: int
    by_category: list[tuple[str, int]]
    casualties: dict[tuple[str, str], tuple[int, bool, bool]]  # (group, what) -> (sum, complete, any reported)
    casualties_since: dict[tuple[str, str], tuple[int, bool, bool]]
    largest_row: int | None  # worksheet row of the largest attack
    key_rows: list[int]


def pandas_figures(path: Path) -> Expected:
    events = pd.read_excel(path, sheet_name="Events", engine="openpyxl")
    events["row"] = events.index + 2  # header in row 1
    categories = pd.read_excel(path, sheet_name="Categories", engine="openpyxl")
    info = pd.read_excel(path, sheet_name="Report", engine="openpyxl").set_index("Field")["Value"]
    kinds = dict(zip(categories["Category"], categories["Kind"].str.lower()))
    if "Include" in events:
        events = events[events["Include"].map(lambda v: str(v).strip().lower() if pd.notna(v) else "yes") != "no"]
    events["Date"] = pd.to_datetime(events["Date"])
    start, end = pd.Timestamp(info["Period Start"]), pd.Timestamp(info["Period End"])
    reference = pd.Timestamp(info["Reference Date"]) if "Reference Date" in info else None
    groups = [c for c in events.columns if CASUALTY.match(str(c))]

    in_period = events[(events["Date"] >= start) & (events["Date"] <= end)]
    attacks = in_period[in_period["Category"].map(kinds) == "attack"]
    all_attacks = events[events["Category"].map(kinds) == "attack"]
    since = all_attacks[(all_attacks["Date"] >= reference) & (all_attacks["Date"] <= end)] if reference is not None else None

    order = list(categories["Category"])
    counts = attacks["Category"].value_counts()
    by_category = sorted(counts.items(), key=lambda item: (-item[1], order.index(item[0])))

    def totals(frame: pd.DataFrame) -> dict[tuple[str, str], tuple[int, bool, bool]]:
        result = {}
        for column in groups:
            m = CASUALTY.match(column)
            values = frame[column]
            result[(m["group"], m["what"].lower())] = (int(values.sum(skipna=True)), bool(values.notna().all()), bool(values.notna().any() or values.empty))
        return result

    total = attacks[groups].fillna(0).sum(axis=1) if groups else pd.Series(0, index=attacks.index)
    ranked = attacks.assign(total=total).sort_values(["total", "Date", "row"], ascending=[False, True, True])
    largest_row = int(ranked.iloc[0]["row"]) if len(ranked) and ranked.iloc[0]["total"] > 0 else None
    key = in_period["Key Event"].map(lambda v: pd.notna(v) and str(v).strip().lower() == "yes") if "Key Event" in in_period else pd.Series(False, index=in_period.index)
    return Expected(
        attacks=len(attacks),
        attacks_since=len(since) if since is not None else None,
        events=len(in_period),
        by_category=[(name, int(n)) for name, n in by_category],
        casualties=totals(attacks),
        casualties_since=totals(since) if since is not None else {},
        largest_row=largest_row,
        key_rows=sorted(int(r) for r in in_period[key]["row"]),
    )


def as_table(groups) -> dict[tuple[str, str], tuple[int, bool, bool]]:
    table = {}
    for g in groups:
        for what in ("killed", "wounded"):
            count: Count = getattr(g, what)
            table[(g.group, what)] = (count.value, count.complete, count.any_reported)
    return table


def assert_matches(figures: Figures, expected: Expected) -> None:
    assert figures.attacks == expected.attacks
    assert figures.attacks_since_reference == expected.attacks_since
    assert figures.events == expected.events
    assert list(figures.attacks_by_category) == expected.by_category
    assert as_table(figures.casualties) == expected.casualties
    assert as_table(figures.casualties_since_reference) == expected.casualties_since
    assert (figures.largest_attack.row if figures.largest_attack else None) == expected.largest_row
    assert sorted(e.row for e in figures.key_events) == expected.key_rows


# --- the sample --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_figures() -> Figures:
    report, _ = load_report(SAMPLE)
    return headline_figures(report)


def test_sample_figures_match_pandas(sample_figures):
    assert_matches(sample_figures, pandas_figures(SAMPLE))


def test_sample_figures_as_printed(sample_figures):
    f = sample_figures
    assert (f.period.start, f.period.end) == (date(2019, 10, 1), date(2020, 3, 31))
    assert f.reference_date == date(2020, 1, 3)
    assert f.attacks == 16
    assert f.attacks_since_reference == 9
    assert f.attacks_by_category[0] == ("Rocket attack", 14)
    us = next(g for g in f.casualties if g.group == "US")
    assert str(us.killed) == "at least 3"  # two attacks left US casualties blank
    assert str(us.wounded) == "at least 117"
    coalition = next(g for g in f.casualties if g.group == "Coalition")
    assert str(coalition.killed) == "at least 1" and str(coalition.wounded) == "not reported"
    assert f.largest_attack is not None and f.largest_attack.date == date(2020, 1, 8)


# --- hand-built fixtures -----------------------------------------------------------------------

HEADERS = ["Date", "Category", "Description", "US Killed", "US Wounded", "Coalition Killed", "Coalition Wounded", "Key Event", "Include"]
CATEGORIES = [
    ("Rocket attack", "attack"),
    ("Drone attack", "attack"),
    ("Mob assault", "attack"),  # an attack although the name does not end in 'attack'
    ("Cyber attack", "other"),  # the sheet overrides the default for names ending in 'attack'
    ("US strike", "response"),
    ("Iraqi politics", "political"),
]


def row(day: date, category: str, **cells: object) -> dict[str, object]:
    values: dict[str, object] = {"Date": datetime(day.year, day.month, day.day), "Category": category, "Description": f"{category} on {day}"}
    values.update({k.replace("_", " "): v for k, v in cells.items()})
    return values


MONTHLY_ROWS = [
    row(date(2019, 12, 27), "Rocket attack", US_Killed=1, US_Wounded=4),  # before the reference date
    row(date(2020, 1, 8), "Drone attack", US_Killed=0, US_Wounded=11, Coalition_Killed=0),  # since the reference, before the period
    row(date(2020, 2, 10), "Rocket attack", US_Killed=None, US_Wounded=2),
    row(date(2020, 2, 28), "Mob assault", Include="no", US_Killed=50, US_Wounded=50),  # a draft: never counted
    row(date(2020, 3, 2), "Rocket attack", US_Killed=0, US_Wounded=0),
    row(date(2020, 3, 5), "Cyber attack", US_Killed=9, US_Wounded=9),  # kind 'other': not an attack
    row(date(2020, 3, 9), "Drone attack", US_Killed=None, US_Wounded=3, Key_Event="yes"),
    row(date(2020, 3, 11), "Rocket attack", US_Killed=2, US_Wounded=None, Coalition_Killed=2, Key_Event="yes"),
    row(date(2020, 3, 12), "US strike", US_Killed=0, US_Wounded=0, Key_Event="yes"),
    row(date(2020, 3, 14), "Rocket attack", US_Killed=0, US_Wounded=3, Coalition_Killed=0),
    row(date(2020, 3, 20), "Mob assault"),
    row(date(2020, 3, 31), "Rocket attack", US_Killed=0, US_Wounded=0),  # the last day is in the period
    row(date(2020, 4, 1), "Rocket attack", US_Killed=7, US_Wounded=7),  # after the period
    row(date(2020, 3, 25), "Iraqi politics", Include="NO"),
]
MONTHLY_REPORT = {"Title": "March 2020", "Period Start": datetime(2020, 3, 1), "Period End": datetime(2020, 3, 31), "Reference Date": datetime(2020, 1, 3)}


@pytest.fixture(scope="module")
def monthly(tmp_path_factory) -> tuple[Path, Figures]:
    path = write_workbook(tmp_path_factory.mktemp("monthly") / "march.xlsx", MONTHLY_ROWS, headers=HEADERS, categories=CATEGORIES, report=MONTHLY_REPORT)
    report, _ = load_report(path)
    return path, headline_figures(report)


def test_monthly_figures_match_pandas(monthly):
    path, figures = monthly
    assert_matches(figures, pandas_figures(path))


def test_monthly_attack_counts(monthly):
    _, f = monthly
    assert f.attacks == 6  # Mar 2, 9, 11, 14, 20 (mob assault), 31; not the cyber attack, the strike or the draft
    assert f.events == 8  # plus the cyber attack and the US strike; the excluded politics row is not counted
    assert f.attacks_since_reference == 8  # a running count: Jan 8 and Feb 10 are before the period but after Jan 3
    assert f.attacks_by_category == (("Rocket attack", 4), ("Drone attack", 1), ("Mob assault", 1))


def test_monthly_casualties_keep_blanks_apart_from_zero(monthly):
    _, f = monthly
    us = next(g for g in f.casualties if g.group == "US")
    assert (us.killed.value, us.killed.complete) == (2, False)  # Mar 9 and Mar 20 were not reported
    assert str(us.killed) == "at least 2"
    assert str(us.wounded) == "at least 6"
    coalition = next(g for g in f.casualties if g.group == "Coalition")
    assert str(coalition.killed) == "at least 2"
    assert str(coalition.wounded) == "not reported"  # no attack reported it: never shown as 0
    since_us = next(g for g in f.casualties_since_reference if g.group == "US")
    assert str(since_us.wounded) == "at least 19"  # 11 + 2 + 0 + 3 + 3 + 0, with the blank Mar 11 and Mar 20


def test_monthly_largest_attack_and_key_events(monthly):
    _, f = monthly
    assert f.largest_attack is not None and f.largest_attack.date == date(2020, 3, 11)  # 4 casualties, more than Mar 9 and 14 (3 each); the cyber attack (18) is not an attack
    assert [e.date for e in f.key_events] == [date(2020, 3, 9), date(2020, 3, 11), date(2020, 3, 12)]


def test_excluded_rows_never_count(tmp_path):
    rows = [row(date(2020, 3, 2), "Rocket attack", US_Killed=1), row(date(2020, 3, 3), "Rocket attack", US_Killed=100, Include="no")]
    path = write_workbook(tmp_path / "e.xlsx", rows, headers=HEADERS, categories=CATEGORIES, report=MONTHLY_REPORT)
    report, _ = load_report(path)
    figures = headline_figures(report)
    assert report.excluded_rows == 1
    assert figures.attacks == 1
    assert str(next(g for g in figures.casualties if g.group == "US").killed) == "1"
    assert_matches(figures, pandas_figures(path))


def test_largest_attack_tie_goes_to_the_earliest_and_none_without_casualties(tmp_path):
    rows = [
        row(date(2020, 3, 20), "Rocket attack", US_Wounded=2, Coalition_Wounded=1),
        row(date(2020, 3, 4), "Drone attack", US_Killed=3),
        row(date(2020, 3, 12), "Rocket attack", Coalition_Killed=1, Coalition_Wounded=2),
    ]
    path = write_workbook(tmp_path / "tie.xlsx", rows, headers=HEADERS, categories=CATEGORIES, report=MONTHLY_REPORT)
    figures = headline_figures(load_report(path)[0])
    assert figures.largest_attack is not None and figures.largest_attack.date == date(2020, 3, 4)
    assert_matches(figures, pandas_figures(path))

    quiet = [row(date(2020, 3, 4), "Rocket attack", US_Killed=0, US_Wounded=0), row(date(2020, 3, 5), "Rocket attack")]
    path = write_workbook(tmp_path / "quiet.xlsx", quiet, headers=HEADERS, categories=CATEGORIES, report=MONTHLY_REPORT)
    figures = headline_figures(load_report(path)[0])
    assert figures.largest_attack is None
    assert_matches(figures, pandas_figures(path))


def test_reference_date_after_the_period_counts_nothing_since(tmp_path):
    info = dict(MONTHLY_REPORT, **{"Reference Date": datetime(2020, 4, 1)})
    path = write_workbook(tmp_path / "e.xlsx", MONTHLY_ROWS, headers=HEADERS, categories=CATEGORIES, report=info)
    figures = headline_figures(load_report(path)[0])
    assert figures.attacks_since_reference == 0
    assert_matches(figures, pandas_figures(path))


def test_without_reference_date_there_is_no_running_count(tmp_path):
    info = {k: v for k, v in MONTHLY_REPORT.items() if k != "Reference Date"}
    path = write_workbook(tmp_path / "e.xlsx", MONTHLY_ROWS, headers=HEADERS, categories=CATEGORIES, report=info)
    figures = headline_figures(load_report(path)[0])
    assert figures.reference_date is None
    assert figures.attacks_since_reference is None
    assert figures.casualties_since_reference == ()
    assert figures.attacks == 6


def test_period_defaults_to_the_span_of_the_events(tmp_path):
    rows = [row(date(2020, 2, 1), "Rocket attack"), row(date(2020, 2, 20), "US strike"), row(date(2020, 1, 15), "Drone attack")]
    path = write_workbook(tmp_path / "e.xlsx", rows, headers=HEADERS, categories=CATEGORIES)
    figures = headline_figures(load_report(path)[0])
    assert (figures.period.start, figures.period.end) == (date(2020, 1, 15), date(2020, 2, 20))
    assert figures.attacks == 2 and figures.events == 3


def test_attacks_without_a_categories_sheet_use_the_default_kinds(tmp_path):
    rows = [row(date(2020, 3, 2), "Rocket attack"), row(date(2020, 3, 3), "Suicide attack"), row(date(2020, 3, 4), "US strike"), row(date(2020, 3, 5), "Mob assault")]
    path = write_workbook(tmp_path / "e.xlsx", rows, headers=HEADERS, report=MONTHLY_REPORT)
    figures = headline_figures(load_report(path)[0])
    assert figures.attacks == 2
    assert dict(figures.attacks_by_category) == {"Rocket attack": 1, "Suicide attack": 1}


# --- Count formatting --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "count, text",
    [
        (Count(12, True), "12"),
        (Count(0, True), "0"),
        (Count(1234, True), "1,234"),
        (Count(3, False), "at least 3"),
        (Count(1500, False), "at least 1,500"),
        (Count(0, False, False), "not reported"),
        (Count(0, False), "0 where reported"),  # reported zeros and blanks: never "at least 0"
        (Count(1, False), "at least 1"),
    ],
)
def test_count_formatting(count, text):
    assert str(count) == text


def test_the_line_under_a_table_explains_only_the_marks_it_shows():
    assert wording_note([Count(3, True), Count(0, False, False)]) == "Casualty totals count reported figures only."
    assert wording_note([Count(3, False)]) == "Casualty totals count reported figures only; “at least” marks totals where some events did not report that figure."
    assert wording_note([Count(0, False)]) == "Casualty totals count reported figures only; “0 where reported” marks totals where some events did not report that figure."
    assert wording_note([Count(0, False), Count(2, False)]) == (
        "Casualty totals count reported figures only; “at least” and “0 where reported” mark totals where some events did not report that figure.")


def test_counts_of_no_attacks_are_zero_not_unreported(tmp_path):
    rows = [row(date(2020, 3, 12), "US strike", US_Killed=1)]
    path = write_workbook(tmp_path / "e.xlsx", rows, headers=HEADERS, categories=CATEGORIES, report=MONTHLY_REPORT)
    figures = headline_figures(load_report(path)[0])
    assert figures.attacks == 0
    assert [str(g.killed) for g in figures.casualties] == ["0", "0"]
    assert figures.largest_attack is None
