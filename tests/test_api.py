"""The Python API: load, events_frame, from_frame, figures and build, as a notebook uses them.

Fixtures are real .xlsx workbooks with blank and zero casualties, an ``Include = no`` row, a
date before 1677 and a group whose name has two words; expected figures come from
``pandas.read_excel`` on the same file, never through our loader.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest

import timeline_pdf as tp
from conftest import LAYOUTS, SAMPLE_WORKBOOK
from timeline_pdf.errors import FrameFinding
from xlsx_helpers import SAMPLE_CATEGORIES, write_workbook

HEADERS = ["Date", "End Date", "Category", "Headline", "Description", "Location", "Latitude", "Longitude",
           "US Killed", "US Wounded", "Iraqi Forces Killed", "Iraqi Forces Wounded", "Sources", "Key Event", "Include"]
REPORT = {"Title": "Fixture", "Period Start": datetime(2020, 1, 1), "Period End": datetime(2020, 3, 31), "Reference Date": datetime(2020, 1, 3)}
ROWS = [
    {"Date": "1500-03-01", "Category": "Rocket attack", "Description": "An old report, before pandas' nanosecond timestamps begin.", "US Killed": 1},
    {"Date": datetime(2020, 1, 5), "Category": "Rocket attack", "Headline": "Rockets at Balad", "Description": "Rockets hit Balad.", "Location": "Balad",
     "Latitude": 33.94, "Longitude": 44.36, "US Wounded": 0, "Iraqi Forces Killed": 2, "Sources": "https://example.org/a https://example.org/b", "Key Event": "yes"},
    {"Date": datetime(2020, 1, 8), "End Date": datetime(2020, 1, 9), "Category": "Missile attack", "Description": "Missiles strike Ain al-Asad.", "US Killed": 0, "US Wounded": 110},
    {"Date": datetime(2020, 1, 9), "Category": "Rocket attack", "Description": "A draft row.", "US Killed": 50, "US Wounded": 50, "Include": "no"},
    {"Date": datetime(2020, 2, 1), "Category": "US strike", "Description": "US strikes a depot.", "Iraqi Forces Killed": 5, "Key Event": "yes"},
    {"Date": datetime(2020, 2, 15), "Category": "Iraqi politics", "Description": "Parliament votes."},
    {"Date": datetime(2020, 3, 1), "Category": "Drone attack", "Description": 'A drone, "unclaimed", hits a base;\nno casualties reported, yet.'},
    {"Date": datetime(2020, 3, 20), "Category": "Rocket attack", "Description": "Rockets hit Taji.", "US Killed": 2, "US Wounded": None, "Iraqi Forces Killed": 0, "Iraqi Forces Wounded": 0},
]
FRAME_COLUMNS = ["id", "date", "end_date", "category", "kind", "key", "headline", "description", "location", "actor", "target", "latitude", "longitude",
                 "sources", "US killed", "US wounded", "Iraqi Forces killed", "Iraqi Forces wounded", "ref"]
DTYPES = {"id": "string", "date": "datetime64[s]", "end_date": "datetime64[s]", "category": "string", "kind": "string", "key": "bool", "latitude": "float64",
          "longitude": "float64", "sources": "string", "ref": "string", **{c: "string" for c in ("headline", "description", "location", "actor", "target")},
          **{f"{g} {w}": "Int64" for g in ("US", "Iraqi Forces") for w in ("killed", "wounded")}}


@pytest.fixture(scope="module")
def workbook(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("api")
    (folder / "fixture.md").write_text("Summary.\n", encoding="utf-8")
    return write_workbook(folder / "fixture.xlsx", ROWS, headers=HEADERS, categories=SAMPLE_CATEGORIES, report=REPORT)


@pytest.fixture(scope="module")
def report(workbook):
    return tp.load(workbook)


@pytest.fixture(scope="module")
def sample():
    return tp.load(SAMPLE_WORKBOOK)


# --- the public surface ------------------------------------------------------------------------


def test_the_public_names_and_their_types():
    assert sorted(tp.__all__) == ["LayoutError", "Report", "TimelinePdfError", "WorkbookError", "build", "events_frame", "figures", "from_frame", "load"]
    assert issubclass(tp.WorkbookError, tp.TimelinePdfError) and issubclass(tp.LayoutError, tp.TimelinePdfError)
    assert all(callable(getattr(tp, name)) for name in tp.__all__)
    with pytest.raises(AttributeError, match="no attribute 'validate_report'"):
        tp.validate_report  # noqa: B018 - nothing private is reachable by accident


def test_the_build_module_stays_a_module_and_calling_it_is_the_api(tmp_path):
    import inspect

    import timeline_pdf.build as build_module

    assert build_module is tp.build and callable(build_module.render)
    assert "report_or_path" in inspect.signature(tp.build).parameters


def run_python(code: str) -> str:
    return subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True, cwd=SAMPLE_WORKBOOK.parent.parent).stdout


def test_pandas_is_imported_only_for_frames(tmp_path):
    """Loading, counting and building never import pandas; a frame does."""
    out = tmp_path / "out"
    code = ("import sys, timeline_pdf as tp; assert 'timeline_pdf.validate' not in sys.modules; "
            "r = tp.load('inputs/escalation.xlsx'); tp.figures(r, since='reference'); "
            f"tp.build(r, layouts=['brief'], out={str(out)!r}); print('pandas' in sys.modules); "
            "tp.events_frame(r); print('pandas' in sys.modules)")
    assert run_python(code).split() == ["False", "True"]


# --- load ---------------------------------------------------------------------------------------


def test_load_gives_warnings_on_the_result_and_raises_errors_with_every_finding(tmp_path):
    path = write_workbook(tmp_path / "w.xlsx", [{"Date": datetime(2020, 1, 5), "Category": "Rocket attack", "Description": "x", "Colour": "red"}], headers=["Date", "Category", "Description", "Colour"])
    loaded = tp.load(path)
    assert [f.code for f in loaded.warnings] == ["column-unknown", "summary-missing"]
    assert repr(loaded) == f"<timeline_pdf.Report {path}: 1 events, 2 warning(s)>"
    with pytest.raises(tp.WorkbookError) as strict:
        tp.load(path, strict=True)
    assert {f.code for f in strict.value.findings if f.severity == "warning"} == {"column-unknown", "summary-missing"}
    bad = write_workbook(tmp_path / "bad.xlsx", [{"Date": "2020-02-30", "Category": "Rocket attack", "Description": "x"}, {"Date": "2020-03-01", "Category": "Rocket attack", "Description": "y", "US Killed": -1}])
    with pytest.raises(tp.WorkbookError) as error:
        tp.load(bad)
    assert [(f.code, f.ref) for f in error.value.findings if f.severity == "error"] == [("date-impossible", "Events!A2"), ("casualty-negative", "Events!K3")]


# --- events_frame -------------------------------------------------------------------------------


def test_frame_columns_and_dtypes(report):
    frame = tp.events_frame(report)
    assert list(frame.columns) == FRAME_COLUMNS
    assert {c: str(t) for c, t in frame.dtypes.items()} == DTYPES
    assert len(frame) == 7  # the Include = no row never appears
    assert "A draft row." not in set(frame["description"])
    assert list(frame["ref"]) == ["Events!A2", "Events!A3", "Events!A4", "Events!A6", "Events!A7", "Events!A8", "Events!A9"]


def test_blank_casualties_stay_na_and_zero_stays_zero(report):
    frame = tp.events_frame(report).set_index("ref")
    assert frame.loc["Events!A3", "US wounded"] == 0
    assert frame.loc["Events!A3", "US killed"] is pd.NA
    assert frame["US killed"].isna().sum() == 4  # Balad, the strike, politics, the drone: never 0
    assert frame.loc["Events!A9", "Iraqi Forces killed"] == 0 and frame.loc["Events!A9", "US wounded"] is pd.NA
    assert frame["US killed"].sum() == 3  # pandas skips <NA>: reported cells only
    assert pd.isna(frame.loc["Events!A4", "latitude"]) and frame.loc["Events!A3", "latitude"] == 33.94
    assert frame.loc["Events!A3", "sources"] == "https://example.org/a https://example.org/b"
    assert frame.loc["Events!A7", "headline"] is pd.NA and frame.loc["Events!A3", "key"]


def test_dates_before_1677_hold_in_the_frame(report):
    frame = tp.events_frame(report)
    assert frame["date"].iloc[0] == pd.Timestamp("1500-03-01")
    assert frame["date"].dt.year.tolist()[:2] == [1500, 2020]
    assert (frame["date"] >= "2020-01-03").sum() == 6
    assert frame["end_date"].iloc[2] == pd.Timestamp("2020-01-09") and frame["end_date"].isna().sum() == 6


def test_partial_dates_bring_their_precision(tmp_path):
    path = tmp_path / "t.csv"  # a TimelineJS sheet: a year alone, a month alone
    path.write_text("Year,Month,Day,Headline,Text\n1946,,,A year alone,One.\n2020,3,,A month alone,Two.\n", encoding="utf-8")
    loaded = tp.load(path, preset="timelinejs")
    frame = tp.events_frame(loaded)
    assert list(frame.columns[:5]) == ["id", "date", "end_date", "date_precision", "end_date_precision"]
    assert frame["date_precision"].tolist() == ["year", "month"]
    again = tp.from_frame(frame, like=loaded)
    assert again.events == loaded.events


# --- from_frame ---------------------------------------------------------------------------------


def test_from_frame_of_events_frame_is_the_same_report(report):
    frame = tp.events_frame(report)
    again = tp.from_frame(frame, like=report)
    assert [e.date for e in again.events] == [e.date for e in report.events]
    assert [(e.description, e.casualties, e.sources, e.key, e.end_date, e.latitude) for e in again.events] == \
           [(e.description, e.casualties, e.sources, e.key, e.end_date, e.latitude) for e in report.events]
    assert again.categories == report.categories and again.info == report.info and again.summary == report.summary
    pd.testing.assert_frame_equal(tp.events_frame(again), frame)  # refs and ids carried through


def test_workbook_to_frame_to_report_builds_byte_identical_pdfs(sample, tmp_path):
    direct = tp.build(sample, out=tmp_path / "direct", layouts_folder=LAYOUTS)
    through = tp.build(tp.from_frame(tp.events_frame(sample), like=sample), out=tmp_path / "frame", layouts_folder=LAYOUTS)
    names = ["escalation-brief.pdf", "escalation-page.html", "escalation-timeline-a4-landscape-thumbnail.png", "escalation-timeline-thumbnail.png", "escalation-brief-thumbnail.png",
             "escalation-events.csv", "escalation-timeline-a4-landscape.pdf", "escalation-timeline.pdf", "escalation.manifest.json"]
    assert [p.name for p in direct] == names
    assert [p.name for p in through] == [name.replace("escalation", "frame") for name in names]  # its own names: never the workbook's files
    for a, b in zip(direct, through):  # the same bytes, but for the page (which links to the files by name) and the manifest (which names what went in)
        if a.suffix in (".html", ".json"):
            continue
        assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest(), a.name
    assert json.loads(direct[-1].read_text())["events"] == json.loads(through[-1].read_text())["events"]


def read_events_csv(path: Path, like: pd.DataFrame) -> pd.DataFrame:
    """The export read back with pandas alone, in the frame's dtypes."""
    frame = pd.read_csv(path, dtype="string", keep_default_na=False, na_values=[""], encoding="utf-8-sig")
    for column, dtype in like.dtypes.items():
        if str(dtype) == "bool":
            frame[column] = frame[column].map({"True": True, "False": False}).astype(bool)
        else:
            frame[column] = frame[column].astype(dtype)
    return frame


def test_frame_to_csv_to_frame_is_equal(report, tmp_path):
    frame = tp.events_frame(report)
    result = subprocess.run([sys.executable, "-m", "timeline_pdf", "export", str(report.workbook), "--to", str(tmp_path / "events.csv")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    pd.testing.assert_frame_equal(read_events_csv(tmp_path / "events.csv", frame), frame)
    # and straight back into a report: the same events, where they came from included
    again = tp.from_frame(pd.read_csv(tmp_path / "events.csv", encoding="utf-8-sig"), like=report)
    pd.testing.assert_frame_equal(tp.events_frame(again), frame)


def test_from_frame_findings_name_the_row_label_and_column():
    frame = pd.DataFrame(
        {"date": ["2020-01-05", "2020-02-30", "2020-03-01"], "category": ["Rocket attack"] * 3, "description": ["a", "b", "c"],
         "US killed": pd.array([1, None, -3], dtype="Int64")},
        index=["first", "second", "third"],
    )
    with pytest.raises(tp.WorkbookError) as error:
        tp.from_frame(frame, name="events")
    errors = [f for f in error.value.findings if f.severity == "error"]
    assert all(isinstance(f, FrameFinding) for f in errors)
    assert [(f.code, f.row, f.column) for f in errors] == [("date-impossible", "second", "date"), ("casualty-negative", "third", "US killed")]
    text = str(error.value)
    assert "events.loc['second', 'date']: error: '2020-02-30' is not a real date: February 2020 has 29 days" in text
    assert "events.loc['third', 'US killed']: error: -3 is negative" in text
    assert "Events!" not in text  # no cell of a sheet that does not exist

    with pytest.raises(tp.WorkbookError) as missing:
        tp.from_frame(frame.drop(columns="description"))
    (finding,) = [f for f in missing.value.findings if f.severity == "error"]
    assert str(finding).startswith("frame: error: required column 'Description' is missing")


def test_from_frame_checks_kinds_and_info_by_row_and_field():
    frame = pd.DataFrame({"Date": [date(2020, 1, 5), date(2020, 1, 6), date(2020, 1, 6)], "Category": ["Rocket attack", "Rocket attack", "Raid"],
                          "Description": ["a", "b", "b"], "kind": ["attack", "response", "war"]}, index=[10, 20, 30])
    with pytest.raises(tp.WorkbookError) as error:
        tp.from_frame(frame, info={"Title": "T", "Period Start": "2020-01-31", "Period End": "2020-01-01"})
    found = {(f.code, f.where) for f in error.value.findings if f.severity == "error"}
    assert found == {("category-kind", "frame.loc[20, 'kind']"), ("category-kind", "frame.loc[30, 'kind']"), ("report-period-order", "info")}
    ok = tp.from_frame(frame.assign(kind=["attack", "attack", "other"]), info={"Title": "T", "Reference Date": "2020-01-03"})
    assert ok.info.title == "T" and ok.info.reference_date == date(2020, 1, 3)
    assert [(c.name, c.kind) for c in ok.categories] == [("Rocket attack", "attack"), ("Raid", "other")]
    assert tp.events_frame(ok)["ref"].tolist() == ["frame.loc[10]", "frame.loc[20]", "frame.loc[30]"]
    with pytest.raises(tp.WorkbookError) as bad_field:
        tp.from_frame(frame.drop(columns="kind"), info={"Reference Date": "soon"})
    assert [(f.code, f.where) for f in bad_field.value.findings if f.severity == "error"] == [("date-invalid", "info['Reference Date']")]


def test_duplicate_rows_and_ids_are_named_by_their_labels():
    row = {"date": "2020-01-05", "category": "Rocket attack", "description": "Rockets hit Balad."}
    frame = pd.DataFrame([row, row], index=["x", "y"])
    (warning,) = tp.from_frame(frame).warnings
    assert str(warning).startswith("frame.loc['y', 'description']: warning: row 'y' looks like a duplicate of row 'x'")
    with pytest.raises(tp.WorkbookError) as error:
        tp.from_frame(frame.assign(id=["e-1", "e-1"], description=["a", "b"]))
    assert [str(f).split("\n")[0] for f in error.value.findings if f.severity == "error"] == ["frame.loc['y', 'id']: error: ID 'e-1' is also used on row 'x' (value 'e-1')"]


def test_an_edited_frame_builds_only_what_it_keeps(report, tmp_path):
    frame = tp.events_frame(report)
    edited = tp.from_frame(frame[frame.category != "Iraqi politics"], like=report)
    assert len(edited.events) == 6 and "Parliament votes." not in {e.description for e in edited.events}
    written = tp.build(edited, out=tmp_path, layouts=["brief"], layouts_folder=LAYOUTS)
    assert [p.name for p in written] == ["frame-brief.pdf", "frame.manifest.json"]
    manifest = json.loads(written[1].read_text())
    assert sorted(manifest["events"]) == sorted(frame[frame.category != "Iraqi politics"]["id"])  # ids as the frame showed them



def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("how", ["like", "summary"])
def test_a_report_from_a_frame_is_not_its_workbook(project, how):
    """Built into the workbook's output folder, a frame's products have their own names, leave
    the workbook's files alone, and its manifest names no input file it never read."""
    from timeline_pdf.manifest import verify

    sample = tp.load("inputs/escalation.xlsx")
    tp.build(sample, layouts=["brief"])
    before = digests(project / "output")
    frame = tp.events_frame(sample)
    kept = frame[frame.category != "Iraqi politics"]
    edited = tp.from_frame(kept, like=sample) if how == "like" else tp.from_frame(kept, info={"Title": "Edited"}, summary="An edited summary.")
    assert edited.workbook is None and repr(edited).startswith("<timeline_pdf.Report frame: 22 events")
    written = tp.build(edited, layouts=["brief"])
    assert [p.name for p in written] == ["frame-brief.pdf", "frame.manifest.json"]
    after = digests(project / "output")
    assert {name: after[name] for name in before} == before  # escalation-brief.pdf and its manifest untouched
    manifest = json.loads(written[1].read_text())
    assert manifest["inputs"] == {} and manifest["settings"]["workbook"] is None and manifest["settings"]["in_memory"] == "frame"
    assert all(not name.startswith("../inputs") for name in manifest["layouts"])
    assert verify(project / "output" / "escalation.manifest.json") == []  # the workbook's edition still verifies

    (finding,) = verify(written[1])  # a finding, not a crash: there is nothing to rebuild from
    assert (finding.severity, finding.code, finding.key) == ("error", "verify-in-memory", "settings.in_memory")
    assert "cannot rebuild" in finding.message and "frame" in finding.message and finding.hint
    written[0].write_bytes(written[0].read_bytes() + b"%")  # the PDFs beside it are still checked
    assert [f.code for f in verify(written[1])] == ["verify-in-memory", "verify-output-differs"]


def test_a_frame_is_named_by_name(report, tmp_path):
    frame = tp.events_frame(report)
    named = tp.from_frame(frame, like=report, name="no-politics")
    assert [p.name for p in tp.build(named, out=tmp_path, layouts=["brief"], layouts_folder=LAYOUTS)] == ["no-politics-brief.pdf", "no-politics.manifest.json"]
    assert [p.name for p in tp.build(named, out=tmp_path, layouts=["brief"], layouts_folder=LAYOUTS, edition="2020-02")] == [
        "no-politics-brief-2020-02.pdf", "no-politics-2020-02.manifest.json"]
    for bad in ("", "a/b", "..", "a\\b"):
        with pytest.raises(ValueError, match="name"):
            tp.from_frame(frame, like=report, name=bad)


# --- figures ------------------------------------------------------------------------------------


def pandas_count(path: Path, since: date, until: date, category: str | None = None, group: str | None = None) -> dict:
    """The figures computed straight from the .xlsx with pandas, independently of the loader."""
    events = pd.read_excel(path, sheet_name="Events", engine="openpyxl")
    kinds = pd.read_excel(path, sheet_name="Categories", engine="openpyxl").set_index("Category")["Kind"]
    events = events[events["Include"].fillna("yes").str.lower() != "no"]
    days = events["Date"].map(lambda v: date.fromisoformat(v) if isinstance(v, str) else v.date())
    chosen = events[(days >= since) & (days <= until)]
    if category:
        chosen = chosen[chosen["Category"] == category]
    attacks = chosen[chosen["Category"].map(kinds) == "attack"]
    groups = [group] if group else ["US", "Iraqi Forces"]
    result = {"events": len(chosen), "attacks": len(attacks)}
    for what in ("Killed", "Wounded"):
        cells = attacks[[f"{g} {what}" for g in groups]]
        result[what.lower()] = (int(cells.sum().sum()), bool(cells.notna().all().all()), bool(cells.notna().any().any() or cells.empty))
    return result


CHOICES = [
    {},
    {"since": "2020-01-03"},
    {"since": "reference", "group": "US"},
    {"since": date(2019, 1, 1), "until": "2020-01-31"},
    {"category": "Rocket attack"},
    {"category": "Rocket attack", "group": "iraqi forces"},
    {"since": "1400-01-01", "until": "1600-12-31", "group": "US"},
    {"category": "US strike"},
]


@pytest.mark.parametrize("choice", CHOICES, ids=lambda c: ",".join(f"{k}={v}" for k, v in c.items()) or "period")
def test_figures_equal_an_independent_pandas_count(report, workbook, choice):
    got = tp.figures(report, **choice)
    since = {"reference": date(2020, 1, 3)}.get(str(choice.get("since")), choice.get("since")) or date(2020, 1, 1)
    since = date.fromisoformat(since) if isinstance(since, str) else since
    until = date.fromisoformat(choice["until"]) if "until" in choice else date(2020, 3, 31)
    group = {"iraqi forces": "Iraqi Forces"}.get(choice.get("group"), choice.get("group"))
    expected = pandas_count(workbook, since, until, choice.get("category"), group)
    assert (got.since, got.until) == (since, until)
    assert {"events": got.events, "attacks": got.attacks,
            "killed": (got.killed.value, got.killed.complete, got.killed.any_reported),
            "wounded": (got.wounded.value, got.wounded.complete, got.wounded.any_reported)} == expected


def test_figures_are_the_brief_headline_figures(sample):
    from timeline_pdf.metrics import headline_figures

    headline = headline_figures(sample.model)
    assert tp.figures(sample).attacks == headline.attacks
    assert tp.figures(sample, since="reference").attacks == headline.attacks_since_reference
    us = next(g for g in headline.casualties_since_reference if g.group == "US")
    assert str(tp.figures(sample, since="reference", group="US").wounded) == str(us.wounded) == "at least 113"


@pytest.mark.parametrize("choice, message", [
    ({"category": "Rocket atack"}, "category: the workbook has no category 'Rocket atack'; did you mean 'Rocket attack'?\n    fix: use a category of the workbook: 'Rocket attack'"),
    ({"group": "Iraqi"}, "group: the workbook has no casualty group 'Iraqi'; did you mean 'Iraqi Forces'?\n    fix: use a group of the workbook: 'US', 'Iraqi Forces'"),
    ({"since": "2020-02-30"}, "since: '2020-02-30' is not a real date: February 2020 has 29 days"),
    ({"since": "03/01/2020"}, "since: '03/01/2020' is not a date\n    fix: write since=YYYY-MM-DD"),
    ({"since": "2020-03-01", "until": "2020-01-01"}, "until: until=2020-01-01 is before since=2020-03-01"),
])
def test_figures_mistakes_say_what_to_do(report, choice, message):
    with pytest.raises(tp.TimelinePdfError) as error:
        tp.figures(report, **choice)
    assert str(error.value).startswith("error: " + message)  # the one finding shape, as the CLI prints it


# --- build --------------------------------------------------------------------------------------


def test_build_from_a_path_and_by_edition_returns_what_it_wrote(workbook, tmp_path):
    written = tp.build(workbook, out=tmp_path, layouts=["brief"], layouts_folder=LAYOUTS, edition="2020-01..2020-02")
    assert [p.name for p in written] == ["fixture-brief-2020-01.pdf", "fixture-2020-01.manifest.json", "fixture-brief-2020-02.pdf", "fixture-2020-02.manifest.json"]
    assert all(p.is_file() for p in written)
    with pytest.raises(tp.WorkbookError):
        tp.build(tmp_path / "missing.xlsx", out=tmp_path, layouts_folder=LAYOUTS)


def test_build_through_a_day_reads_it_as_figures_reads_its_days(workbook, tmp_path):
    """``through`` takes a date, a pandas Timestamp or YYYY-MM-DD; anything else is the same
    kind of error as a bad ``since``, with what to write."""
    by_text = tp.build(workbook, out=tmp_path / "text", layouts=["brief"], layouts_folder=LAYOUTS, through="2020-01-15")
    by_stamp = tp.build(workbook, out=tmp_path / "stamp", layouts=["brief"], layouts_folder=LAYOUTS, through=pd.Timestamp("2020-01-15"))
    assert [p.name for p in by_text] == [p.name for p in by_stamp] == ["fixture-brief-2020-01.pdf", "fixture-2020-01.manifest.json"]
    assert by_text[0].read_bytes() == by_stamp[0].read_bytes()
    with pytest.raises(tp.TimelinePdfError) as info:
        tp.build(workbook, out=tmp_path / "bad", layouts_folder=LAYOUTS, through="2020/01/15")
    assert "'2020/01/15' is not a date" in str(info.value) and info.value.hint.startswith("write through=YYYY-MM-DD")
    assert not (tmp_path / "bad").exists()
