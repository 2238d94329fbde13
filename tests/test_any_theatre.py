"""A brief of any theatre: nothing about the subject is in the code, so an export from anywhere
builds a brief whose every sentence is true of its own data.

The ACLED file is illustrative (made up in ACLED's current export layout, events in Somalia;
see tests/data/SOURCES.md); the figures the brief prints are counted here again with the csv
module, independently of the package.
"""

from __future__ import annotations

import csv
import re
import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader

from conftest import LAYOUTS
from pdf_helpers import text_of
from timeline_pdf.build import build
from timeline_pdf.errors import WorkbookError
from timeline_pdf.validate import load_report
from xlsx_helpers import write_workbook

DATA = Path(__file__).resolve().parent / "data"
SOMALIA = DATA / "acled_somalia_2025_illustrative.csv"
ATTACK_TYPES = {"Battles", "Explosions/Remote violence", "Violence against civilians"}  # the ACLED preset's attacks
SUBJECT_WORDS = ("US ", "coalition", "Iraq", "proxy", "Proxy", "escalation", "Escalation", "positions")


@pytest.fixture(scope="module")
def somalia_brief(tmp_path_factory) -> tuple[str, str]:
    """(text of page 1, text of the whole brief) of the brief built from the Somalia export."""
    folder = tmp_path_factory.mktemp("somalia")
    source = folder / SOMALIA.name
    shutil.copy(SOMALIA, source)
    shutil.copy(SOMALIA.with_suffix(".md"), source.with_suffix(".md"))
    pdf = build(source, ("brief",), folder / "out", LAYOUTS, preset="acled").built[0].path
    page = re.sub(r"\s+", " ", PdfReader(pdf).pages[0].extract_text())
    return page, text_of(pdf)


def somalia_rows() -> list[dict[str, str]]:
    with SOMALIA.open(encoding="utf-8", newline="") as stream:
        return list(csv.DictReader(stream))


def test_every_figure_on_page_one_is_counted_from_the_file(somalia_brief):
    page, _ = somalia_brief
    rows = somalia_rows()
    attacks = [r for r in rows if r["event_type"] in ATTACK_TYPES]
    days = sorted(date.fromisoformat(r["event_date"]) for r in rows)
    assert days[0] == date(2025, 1, 3) and days[-1] == date(2025, 3, 30)
    assert "January 3 – March 30, 2025" in page  # the period: the span of the events
    assert f"{len(attacks)} attacks, Jan 3–Mar 30, 2025" in page
    (top, count), = Counter(r["event_type"] for r in attacks).most_common(1)
    assert f"{count} attacks in ‘{top}’, the most common category" in page
    killed = sum(int(r["fatalities"]) for r in attacks)
    assert re.search(rf"Total {killed} not reported", page)  # killed in attacks; ACLED does not count the wounded
    by_type = Counter(r["event_type"] for r in attacks)
    assert "Attacks by category: " + " · ".join(f"{name} {n}" for name, n in sorted(by_type.items(), key=lambda item: -item[1])) in page
    largest = max(attacks, key=lambda r: (int(r["fatalities"]), -date.fromisoformat(r["event_date"]).toordinal()))
    assert f"Largest attack: {date.fromisoformat(largest['event_date']):%B} {date.fromisoformat(largest['event_date']).day}, 2025, {largest['sub_event_type']}" in page


def test_the_summary_on_page_one_is_true_of_the_file(somalia_brief):
    page, _ = somalia_brief
    rows = somalia_rows()
    assert "36 invented events in Somalia between January 3 and March 30, 2025" in page
    assert len(rows) == 36 and {r["country"] for r in rows} == {"Somalia"} and all("not ACLED data" in r["notes"] for r in rows)
    violence = Counter(r["event_type"] for r in rows if "Political violence" in r["disorder_type"])
    assert [name for name, _ in violence.most_common(2)] == ["Battles", "Explosions/Remote violence"]
    heaviest = max(rows, key=lambda r: int(r["fatalities"]))
    assert (heaviest["event_date"], heaviest["location"], heaviest["event_type"]) == ("2025-03-01", "Beledweyne", "Battles")
    assert "The heaviest fighting was on March 1 near Beledweyne." in page


def test_nothing_in_the_brief_names_another_theatre(somalia_brief):
    _, text = somalia_brief
    for word in SUBJECT_WORDS:
        assert word not in text, word
    assert "BRIEF" in text and "battless" not in text.lower() and "violences" not in text
    assert "Killed per month" in text and "Running total, killed" in text and "Killed and wounded per" not in text  # ACLED counts no wounded
    assert "Events of the period by location" in text and "No land lies within this frame" not in text  # the map, with land


def categories_with_plurals(plurals: dict[str, str]):
    def edit(book) -> None:
        sheet = book["Categories"]
        sheet.cell(1, 4, "Plural")
        for row in range(2, sheet.max_row + 1):
            sheet.cell(row, 4, plurals.get(sheet.cell(row, 1).value))
    return edit


def small_workbook(tmp_path: Path, report: dict | None = None, plurals: dict[str, str] | None = None, rows: list[dict] | None = None) -> Path:
    rows = rows or [
        {"Date": date(2024, 5, 2), "Category": "Ambush", "Description": "An ambush on a convoy."},
        {"Date": date(2024, 5, 9), "Category": "Ambush", "Description": "A second ambush."},
        {"Date": date(2024, 5, 20), "Category": "Shelling", "Description": "Shells hit a market."},
    ]
    path = write_workbook(tmp_path / "events.xlsx", rows, categories={"Ambush": "attack", "Shelling": "attack"}, report=report, edit=categories_with_plurals(plurals or {}))
    path.with_suffix(".md").write_text("Summary.", encoding="utf-8")
    return path


def brief_text(tmp_path: Path, workbook: Path) -> tuple[str, PdfReader]:
    pdf = build(workbook, ("brief",), tmp_path / "out", LAYOUTS).built[0].path
    return text_of(pdf), PdfReader(pdf)


def test_neutral_words_by_default_and_category_names_as_typed(tmp_path):
    text, reader = brief_text(tmp_path, small_workbook(tmp_path))
    assert text.startswith("BRIEF Event Brief") and "3 attacks, May 2–20, 2024" in text
    assert "2 attacks in ‘Ambush’, the most common category" in text and "Ambushs" not in text and "ambushs" not in text
    assert reader.metadata.subject == "Brief, May 2 – May 20, 2024"


def test_the_report_and_categories_sheets_give_the_subject_words(tmp_path):
    report = {"Title": "Convoy security", "Brief Label": "Convoy brief", "Timeline Label": "Convoy timeline", "Attacks Label": "attacks on convoys"}
    workbook = small_workbook(tmp_path, report=report, plurals={"Ambush": "ambushes"})
    text, reader = brief_text(tmp_path, workbook)
    assert text.startswith("CONVOY BRIEF Convoy security") and "3 attacks on convoys, May 2–20, 2024" in text
    assert "2 ambushes, the most common kind of attack" in text
    assert reader.metadata.subject.startswith("Convoy brief, ")
    timeline = build(workbook, ("timeline",), tmp_path / "out", LAYOUTS).built[0].path
    assert text_of(timeline).startswith("CONVOY TIMELINE Convoy security")


def test_a_period_known_only_as_a_year_is_printed_as_that_year(tmp_path):
    rows = [["Year", "Month", "Day", "Headline", "Text", "Group"], ["2014", "", "", "Talks", "Talks began.", "Attack"], ["2014", "", "", "Truce", "A truce.", "Attack"]]
    path = tmp_path / "sheet.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    pdf = build(path, ("brief",), tmp_path / "out", LAYOUTS, preset="timelinejs").built[0].path
    text = text_of(pdf)
    assert "January 1" not in text and "Jan 1" not in text and "December 31" not in text
    assert "Event Brief 2014 Headline figures 2 attacks, 2014" in text


def test_no_included_event_is_a_finding_not_a_1970_period(tmp_path):
    rows = [{"Date": date(2024, 5, 2), "Category": "Ambush", "Description": "A draft.", "Include": "no"}] * 2
    workbook = small_workbook(tmp_path, rows=rows)
    with pytest.raises(WorkbookError) as info:
        build(workbook, ("brief",), tmp_path / "out", LAYOUTS)
    (error,) = [f for f in info.value.findings if f.severity == "error"]
    assert error.code == "no-events" and "all 2 row(s) have Include = no" in error.message and error.cell == "A2" and error.hint
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").glob("*.pdf"))
    empty = write_workbook(tmp_path / "empty.xlsx", [])
    with pytest.raises(WorkbookError) as info:
        load_report(empty)
    assert [f.code for f in info.value.findings if f.severity == "error"] == ["no-events"]
    assert "1970" not in str(info.value)


@pytest.mark.parametrize(("rows", "card"), [
    ([("Rocket attack", 1), ("Drone attack", 1)], "1 attack each in ‘Rocket attack’ and ‘Drone attack’, the most common categories"),
    ([("Rocket attack", 2), ("Drone attack", 2), ("IED attack", 1)], "2 attacks each in ‘Rocket attack’ and ‘Drone attack’, the most common categories"),
    ([("Rocket attack", 1)], "1 attack in ‘Rocket attack’, the most common category"),
])
def test_the_most_common_kind_is_true_with_ties_and_one_attack(tmp_path, rows, card):
    """No 'most common' for one of several equals, no '1 attacks'."""
    events = [{"Date": date(2024, 5, 2 + i), "Category": name, "Description": "An attack."} for name, n in rows for i in range(n)]
    workbook = write_workbook(tmp_path / "ties.xlsx", events, categories={name: "attack" for name, _ in rows})
    (brief,) = [b.path for b in build(workbook, ("brief",), tmp_path / "out", LAYOUTS).built]
    assert card in text_of(brief)
