"""Reading and validating events workbooks: real .xlsx and .csv files written into tmp_path."""

from __future__ import annotations

import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from timeline_pdf.errors import Finding, WorkbookError
from timeline_pdf.model import Period, Report
from timeline_pdf.validate import load_report
from xlsx_helpers import SAMPLE_CATEGORIES, ref, write_workbook

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "inputs" / "escalation.xlsx"


def event(**cells: object) -> dict[str, object]:
    """A valid minimal event row; keyword names use underscores for spaces (US_Killed -> 'US Killed')."""
    row: dict[str, object] = {"Date": date(2020, 1, 14), "Category": "Rocket attack", "Description": "Rockets strike Camp Taji."}
    row.update({k.replace("_", " "): v for k, v in cells.items()})
    return row


def load(path: Path) -> tuple[Report, list[Finding]]:
    return load_report(path)


def errors_of(path: Path) -> list[Finding]:
    """The error findings of a workbook that must fail; every one is also in str(WorkbookError)."""
    with pytest.raises(WorkbookError) as info:
        load_report(path)
    errors = [f for f in info.value.findings if f.severity == "error"]
    assert errors, "a WorkbookError must carry at least one error finding"
    text = str(info.value)
    for finding in info.value.findings:
        assert str(finding) in text
    return errors


def warnings_of(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == "warning"]


def only(findings: list[Finding], predicate) -> Finding:
    matching = [f for f in findings if predicate(f)]
    assert len(matching) == 1, [str(f) for f in findings]
    return matching[0]


# --- the sample --------------------------------------------------------------------------------


def test_sample_workbook_loads_with_every_event_group_and_report_field():
    report, findings = load_report(SAMPLE)
    assert [f for f in findings if f.severity == "error"] == []
    assert findings == [], [str(f) for f in findings]  # the sample is clean: no warnings either
    assert len(report.events) == 29
    assert report.groups == ("US", "Coalition", "Iraqi")
    assert report.excluded_rows == 0
    info = report.info
    assert info.title == "US-Iran Escalation in Iraq"
    assert info.subtitle.startswith("Timeline of proxy attacks")
    assert info.authors == ("Maya Hartwell", "Daniel Okafor")
    assert info.contributors == ("Leila Haddad", "Tom Reyes")
    assert info.publisher.startswith("Published jointly")
    assert "asterisk" in info.notice
    assert info.period == Period(date(2019, 10, 1), date(2020, 3, 31))
    assert report.period == Period(date(2019, 10, 1), date(2020, 3, 31))
    assert info.reference_date == date(2020, 1, 3)
    assert info.edition_date == date(2020, 4, 1)
    assert report.summary_markdown is not None and "Camp Taji" in report.summary_markdown
    assert report.source_name == "escalation.xlsx"
    dates = [e.date for e in report.events]
    assert dates == sorted(dates)
    assert dates[0] == date(2019, 10, 1) and dates[-1] == date(2020, 3, 29)
    assert [c.name for c in report.categories][:3] == ["Rocket attack", "Missile attack", "Mob attack"]
    assert report.category("US strike").kind == "response"


def test_sample_event_fields_are_typed():
    report, _ = load_report(SAMPLE)
    taji = next(e for e in report.events if e.date == date(2020, 3, 11))
    assert taji.category == "Rocket attack"
    assert taji.key is True
    assert taji.row == 24
    assert taji.latitude == pytest.approx(33.53) and taji.longitude == pytest.approx(44.25)
    assert taji.casualties_for("US").killed == 2
    assert taji.casualties_for("US").wounded is None  # blank: not reported
    assert taji.casualties_for("Coalition").killed == 1
    assert taji.casualties_for("Iraqi").killed is None
    assert [s.url for s in taji.sources] == ["https://www.understandingwar.org/backgrounder/us-iran-escalation-timeline-march-2020-update"]
    first = report.events[0]
    assert first.key is False and first.sources == ()


# --- headers -----------------------------------------------------------------------------------


def test_header_matching_ignores_case_spaces_punctuation_and_order(tmp_path):
    headers = ["Description", "  date ", "KEY-EVENT", "us killed", "US_Wounded", "end.date", "CATEGORY", "source(s)"]
    rows = [
        {"Description": "Rockets hit Taji.", "  date ": date(2020, 3, 11), "KEY-EVENT": "yes", "us killed": 2, "US_Wounded": 14,
         "end.date": date(2020, 3, 12), "CATEGORY": "Rocket attack", "source(s)": "https://example.org/taji"},
    ]
    report, findings = load(write_workbook(tmp_path / "e.xlsx", rows, headers=headers))
    assert [f for f in findings if "column" in f.message] == [], [str(f) for f in findings]
    (taji,) = report.events
    assert taji.date == date(2020, 3, 11) and taji.end_date == date(2020, 3, 12)
    assert taji.category == "Rocket attack" and taji.description == "Rockets hit Taji."
    assert taji.key is True
    assert [s.url for s in taji.sources] == ["https://example.org/taji"]
    # 'us killed' and 'US_Wounded' are one group, as header matching ignores case and punctuation
    assert len(report.groups) == 1
    casualties = taji.casualties_for(report.groups[0])
    assert (casualties.killed, casualties.wounded) == (2, 14)


def test_unknown_column_is_a_warning_with_its_cell(tmp_path):
    headers = ["Date", "Category", "Description", "Analyst notes"]
    path = write_workbook(tmp_path / "e.xlsx", [event(**{"Analyst notes": "check"})], headers=headers)
    report, findings = load(path)
    assert len(report.events) == 1
    warning = only(findings, lambda f: "Analyst notes" in f.message)
    assert warning.severity == "warning"
    assert warning.cell == "D1"
    assert "Events!D1" in str(warning)


def test_missing_required_column_is_an_error_with_a_did_you_mean_hint(tmp_path):
    headers = ["Date", "Category", "Descripton"]
    path = write_workbook(tmp_path / "e.xlsx", [{"Date": date(2020, 1, 1), "Category": "Rocket attack", "Descripton": "x"}], headers=headers)
    error = only(errors_of(path), lambda f: "Description" in f.message)
    assert "missing" in error.message
    assert "did you mean 'Descripton'" in error.hint and "'Description'" in error.hint
    assert "Events" in str(error)


def test_missing_required_column_without_a_near_match_says_what_to_add(tmp_path):
    path = write_workbook(tmp_path / "e.xlsx", [{"Category": "Rocket attack", "Description": "x"}], headers=["Category", "Description"])
    error = only(errors_of(path), lambda f: "'Date'" in f.message)
    assert "add a column headed 'Date'" in error.hint


def test_duplicate_header_is_an_error(tmp_path):
    headers = ["Date", "Category", "Description", "date"]
    path = write_workbook(tmp_path / "e.xlsx", [event()], headers=headers)
    error = only(errors_of(path), lambda f: "twice" in f.message)
    assert error.cell == "D1" and "Events!D1" in str(error)


def test_duplicate_casualty_header_is_an_error(tmp_path):
    headers = ["Date", "Category", "Description", "US Killed", "US killed"]
    path = write_workbook(tmp_path / "e.xlsx", [event(US_Killed=1)], headers=headers)
    error = only(errors_of(path), lambda f: "twice" in f.message)
    assert error.cell == "E1"


def test_title_row_above_the_headers(tmp_path):
    rows = [event(), event(Date="not a date")]
    path = write_workbook(tmp_path / "e.xlsx", rows, title_row="US-Iran escalation: events")
    error = only(errors_of(path), lambda f: f.column == "Date")
    assert error.cell == ref("Date", 1, title_row=True) == "A4"
    path = write_workbook(tmp_path / "ok.xlsx", rows[:1], title_row="US-Iran escalation: events")
    report, _ = load(path)
    assert len(report.events) == 1 and report.events[0].row == 3


def test_blank_rows_are_skipped_and_rows_keep_their_worksheet_numbers(tmp_path):
    rows = [event(Description="first"), event(Description="second"), event(Description="third", Latitude=99)]
    path = write_workbook(tmp_path / "e.xlsx", rows, blank_rows_before=[1, 2])
    error = only(errors_of(path), lambda f: f.column == "Latitude")
    assert error.cell == ref("Latitude", 2, blank_rows_before=[1, 2]) == "G6"
    path = write_workbook(tmp_path / "ok.xlsx", rows[:2], blank_rows_before=[1])
    report, _ = load(path)
    assert [(e.description, e.row) for e in report.events] == [("first", 2), ("second", 4)]


def test_rows_with_include_no_are_left_out_and_counted(tmp_path):
    rows = [
        event(Description="kept", Include="yes"),
        event(Description="draft", Include="no"),
        {"Description": "unfinished draft", "Include": "No"},  # incomplete, but excluded: no error
        event(Description="kept by default"),
        event(Description="also kept", Include=" Yes "),
    ]
    report, findings = load(write_workbook(tmp_path / "e.xlsx", rows))
    assert [e.description for e in report.events] == ["kept", "kept by default", "also kept"]
    assert report.excluded_rows == 2
    assert [f for f in findings if f.severity == "error"] == []


def test_include_that_is_not_yes_or_no_is_an_error(tmp_path):
    error = only(errors_of(write_workbook(tmp_path / "e.xlsx", [event(Include="maybe")])), lambda f: True)
    assert error.column == "Include" and error.cell == ref("Include", 0)


# --- casualties --------------------------------------------------------------------------------


def test_blank_casualty_is_not_reported_and_zero_is_none(tmp_path):
    rows = [event(US_Killed=0, US_Wounded=None), event(US_Killed=None, US_Wounded=3), event(US_Killed="2", US_Wounded=4.0)]
    report, _ = load(write_workbook(tmp_path / "e.xlsx", rows))
    got = [(e.casualties_for("US").killed, e.casualties_for("US").wounded) for e in report.events]
    assert got == [(0, None), (None, 3), (2, 4)]
    assert report.events[0].casualties_for("US").killed is not None
    assert report.events[0].casualties_for("US").reported and report.events[1].casualties_for("US").reported


@pytest.mark.parametrize("value", [-1, 2.5, "~5", "5+", "five", "-3", "2.5", True, "inf", "nan"])
def test_bad_casualty_is_an_error_naming_the_cell_and_column(tmp_path, value):
    headers = ["Date", "Category", "Description", "Actor", "Target", "Location", "Latitude", "Longitude", "Headline", "US Killed"]
    rows = [event(US_Killed=1), event(US_Killed=value)]
    error = only(errors_of(write_workbook(tmp_path / "e.xlsx", rows, headers=headers)), lambda f: True)
    assert error.cell == "J3"
    assert error.column == "US Killed"
    assert "Events!J3" in str(error) and "US Killed" in str(error)


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2020-03-11", date(2020, 3, 11)),
        (" 2020-03-11 ", date(2020, 3, 11)),
        ("March 11, 2020", date(2020, 3, 11)),
        ("Mar 11, 2020", date(2020, 3, 11)),
        ("11 March 2020", date(2020, 3, 11)),
        ("March 11th, 2020", date(2020, 3, 11)),
        ("March\u00a011, 2020", date(2020, 3, 11)),
        (datetime(2020, 3, 11, 0, 0), date(2020, 3, 11)),
        (datetime(2020, 3, 11, 18, 30), date(2020, 3, 11)),
        (date(2020, 3, 11), date(2020, 3, 11)),
        (43901, date(2020, 3, 11)),  # Excel serial number typed into a General cell
        (43901.75, date(2020, 3, 11)),
    ],
)
def test_dates_in_every_accepted_form(tmp_path, value, expected):
    report, _ = load(write_workbook(tmp_path / "e.xlsx", [event(Date=value)]))
    assert report.events[0].date == expected


@pytest.mark.parametrize("value", ["2020-02-30", "someday", "11/03/2020x", "2020-3", -5])
def test_bad_date_is_an_error_at_its_cell(tmp_path, value):
    error = only(errors_of(write_workbook(tmp_path / "e.xlsx", [event(), event(Date=value)])), lambda f: True)
    assert error.cell == "A3" and error.column == "Date"
    assert "Events!A3" in str(error)


def test_empty_date_is_an_error(tmp_path):
    error = only(errors_of(write_workbook(tmp_path / "e.xlsx", [event(Date=None)])), lambda f: True)
    assert error.cell == "A2" and "empty" in error.message


def test_end_date_before_date_is_an_error_at_the_end_date(tmp_path):
    rows = [event(Date=date(2020, 3, 11), End_Date="2020-03-10")]
    error = only(errors_of(write_workbook(tmp_path / "e.xlsx", rows)), lambda f: True)
    assert error.cell == ref("End Date", 0) == "B2"
    assert "before" in error.message


def test_end_date_on_or_after_date_is_kept(tmp_path):
    rows = [event(Date=date(2020, 3, 11), End_Date=date(2020, 3, 11)), event(Date="2020-03-11", End_Date="March 14, 2020")]
    report, _ = load(write_workbook(tmp_path / "e.xlsx", rows))
    assert [e.end_date for e in report.events] == [date(2020, 3, 11), date(2020, 3, 14)]


# --- coordinates -------------------------------------------------------------------------------


@pytest.mark.parametrize("column, value", [("Latitude", 91), ("Latitude", -90.5), ("Longitude", 180.01), ("Latitude", "north")])
def test_coordinates_out_of_range_or_not_numbers_are_errors(tmp_path, column, value):
    error = only(errors_of(write_workbook(tmp_path / "e.xlsx", [event(**{column: value})])), lambda f: True)
    assert error.column == column and error.cell == ref(column, 0)


def test_coordinates_in_range_are_read(tmp_path):
    report, _ = load(write_workbook(tmp_path / "e.xlsx", [event(Latitude="33.53", Longitude=44.25), event(Latitude=-90, Longitude=180)]))
    assert [(e.latitude, e.longitude) for e in report.events] == [(33.53, 44.25), (-90.0, 180.0)]


# --- sources -----------------------------------------------------------------------------------


def test_several_urls_in_one_cell(tmp_path):
    cell = "https://a.example.org/1 https://b.example.org/2;https://c.example.org/3\nhttps://d.example.org/4 ; https://a.example.org/1"
    report, _ = load(write_workbook(tmp_path / "e.xlsx", [event(Sources=cell)]))
    assert [s.url for s in report.events[0].sources] == [
        "https://a.example.org/1", "https://b.example.org/2", "https://c.example.org/3", "https://d.example.org/4",
    ]


def test_cell_hyperlink_becomes_a_source(tmp_path):
    rows = [event(Sources="ISW March update"), event(Sources="https://iranprimer.usip.org/x")]
    links = {(0, "Sources"): "https://www.understandingwar.org/backgrounder/march", (1, "Sources"): "https://iranprimer.usip.org/x"}
    report, findings = load(write_workbook(tmp_path / "e.xlsx", rows, hyperlinks=links))
    assert [f for f in findings if f.column == "Sources"] == []
    assert [[s.url for s in e.sources] for e in report.events] == [
        ["https://www.understandingwar.org/backgrounder/march"],
        ["https://iranprimer.usip.org/x"],  # the link and its text are the same source
    ]


@pytest.mark.parametrize("text", ["javascript:alert(1)", "file:///etc/passwd", "https://ok.example.org/a javascript:alert(document.cookie)", "www.example.org/page"])
def test_unsafe_or_incomplete_source_urls_are_errors(tmp_path, text):
    error = only(errors_of(write_workbook(tmp_path / "e.xlsx", [event(Sources=text)])), lambda f: True)
    assert error.column == "Sources" and error.cell == ref("Sources", 0)


@pytest.mark.parametrize("target", ["javascript:alert(1)", "file:///C:/secret.txt"])
def test_unsafe_cell_hyperlink_is_an_error(tmp_path, target):
    path = write_workbook(tmp_path / "e.xlsx", [event(Sources="report")], hyperlinks={(0, "Sources"): target})
    error = only(errors_of(path), lambda f: True)
    assert error.column == "Sources" and error.cell == ref("Sources", 0)


# --- text and categories -----------------------------------------------------------------------


def test_non_breaking_spaces_are_normalised_and_typed_quotes_kept(tmp_path):
    rows = [event(
        Category="Rocket\u00a0attack",
        Headline="\u201cLargest\u201d attack",
        Description="Kata\u2019ib\u00a0Hezbollah  fires \u2018rockets\u2019 ",
        Actor="\u00a0Kata\u2019ib Hezbollah",
    )]
    report, findings = load(write_workbook(tmp_path / "e.xlsx", rows, categories=SAMPLE_CATEGORIES))
    (e,) = report.events
    assert e.category == "Rocket attack"
    assert e.headline == "\u201cLargest\u201d attack"  # the model keeps the quotes as typed
    assert e.description == "Kata\u2019ib Hezbollah fires \u2018rockets\u2019"
    assert e.actor == "Kata\u2019ib Hezbollah"
    assert [f for f in findings if "Categories" in f.message] == []  # matched the Categories sheet
    assert report.is_attack(e)


def test_category_missing_from_the_categories_sheet_is_a_warning_naming_the_nearest(tmp_path):
    rows = [event(Category="Rockt attack"), event(Category="Rockt attack"), event(Category="Ceasefire")]
    report, findings = load(write_workbook(tmp_path / "e.xlsx", rows, categories=SAMPLE_CATEGORIES))
    assert len(report.events) == 3
    typo = only(findings, lambda f: "Rockt attack" in f.message)  # once per category, not per row
    assert typo.severity == "warning"
    assert "did you mean 'Rocket attack'?" in typo.hint
    assert "Events" in str(typo)
    other = only(findings, lambda f: "Ceasefire" in f.message)
    assert other.severity == "warning" and "did you mean" not in other.hint
    assert report.category("Ceasefire").kind == "other"
    assert report.category("Rockt attack").kind == "attack"  # documented default: ends in 'attack'


def test_categories_sheet_sets_kinds_and_bad_kind_is_an_error(tmp_path):
    good = write_workbook(tmp_path / "g.xlsx", [event(Category="Mob assault")], categories={"Mob assault": "Attack"})
    report, _ = load(good)
    assert report.is_attack(report.events[0])
    bad = write_workbook(tmp_path / "b.xlsx", [event()], categories={"Rocket attack": "assault"})
    error = only(errors_of(bad), lambda f: True)
    assert error.sheet == "Categories" and error.cell == "B2" and "Categories!B2" in str(error)


def test_without_categories_sheet_the_documented_default_applies(tmp_path):
    rows = [event(Category="Drone attack"), event(Category="US strike"), event(Category="Iraqi politics"), event(Category="Protest")]
    report, findings = load(write_workbook(tmp_path / "e.xlsx", rows))
    assert [report.category(e.category).kind for e in report.events] == ["attack", "response", "political", "other"]
    assert [f.code for f in findings if "Categories" in f.message] == ["categories-missing"]  # a note says so (see test_assumptions.py)


# --- the Report sheet --------------------------------------------------------------------------


def test_report_fields_parsed_from_text_dates(tmp_path):
    info = {"Title": "Monthly update", "Period Start": "2020-03-01", "period end": "March 31, 2020",
            "Reference Date": "January 3, 2020", "Authors": " A. Analyst ,B. Writer, ", "Edition Date": datetime(2020, 4, 2)}
    report, findings = load(write_workbook(tmp_path / "e.xlsx", [event()], report=info))
    assert report.info.title == "Monthly update"
    assert report.info.period == Period(date(2020, 3, 1), date(2020, 3, 31))
    assert report.info.reference_date == date(2020, 1, 3)
    assert report.info.edition_date == date(2020, 4, 2)
    assert report.info.authors == ("A. Analyst", "B. Writer")
    assert warnings_of(findings) == [only(findings, lambda f: "summary" in f.message)]


def test_unknown_report_field_is_a_warning(tmp_path):
    path = write_workbook(tmp_path / "e.xlsx", [event()], report={"Title": "T", "Edition": "2020-04-01"})
    report, findings = load(path)
    warning = only(findings, lambda f: f.code == "report-field-unknown")
    assert warning.severity == "warning" and warning.cell == "A3"
    assert "did you mean 'Edition Date'?" in warning.hint
    assert "Report!A3" in str(warning)
    assert report.info.title == "T"


def test_bad_report_dates_are_errors(tmp_path):
    info = {"Period Start": "2020-03-31", "Period End": "2020-03-01", "Reference Date": "soon"}
    errors = errors_of(write_workbook(tmp_path / "e.xlsx", [event()], report=info))
    assert all(f.sheet == "Report" for f in errors)
    assert any("before" in f.message for f in errors)
    ref_error = only(errors, lambda f: "soon" in f.message)
    assert ref_error.cell == "B4"


# --- all errors at once ------------------------------------------------------------------------


def test_every_error_of_a_workbook_is_reported_at_once(tmp_path):
    rows = [
        event(Date="31/02/2020"),
        event(US_Killed=-2),
        event(Sources="javascript:alert(1)"),
        event(Description=None),
        event(),
    ]
    with pytest.raises(WorkbookError) as info:
        load_report(write_workbook(tmp_path / "e.xlsx", rows))
    errors = [f for f in info.value.findings if f.severity == "error"]
    assert len(errors) >= 4
    assert {f.cell for f in errors} >= {"A2", ref("US Killed", 1), ref("Sources", 2), ref("Description", 3)}
    text = str(info.value)
    for cell in ("Events!A2", "Events!K3", "Events!M4", "Events!J5"):
        assert cell in text
    assert f"{len(errors)} error(s)" in text


def test_one_row_with_several_mistakes_reports_each(tmp_path):
    rows = [event(Date="never", US_Killed="~5", Latitude=200, Key_Event="perhaps")]
    errors = errors_of(write_workbook(tmp_path / "e.xlsx", rows))
    assert {f.column for f in errors} == {"Date", "US Killed", "Latitude", "Key Event"}


# --- files that cannot be read -----------------------------------------------------------------


def test_missing_file_is_a_workbook_error(tmp_path):
    with pytest.raises(WorkbookError) as info:
        load_report(tmp_path / "nowhere.xlsx")
    assert "not found" in str(info.value) and "nowhere.xlsx" in str(info.value)


def test_non_zip_file_renamed_xlsx_is_a_workbook_error(tmp_path):
    path = tmp_path / "events.xlsx"
    path.write_text("Date,Category,Description\n2020-01-01,Rocket attack,x\n", encoding="utf-8")
    with pytest.raises(WorkbookError) as info:
        load_report(path)
    assert "not an Excel workbook" in str(info.value)


@pytest.mark.parametrize("content", [b"", b"PK\x03\x04 truncated"])
def test_empty_or_truncated_xlsx_is_a_workbook_error(tmp_path, content):
    path = tmp_path / "events.xlsx"
    path.write_bytes(content)
    with pytest.raises(WorkbookError):
        load_report(path)


def test_zip_that_is_not_a_workbook_is_a_workbook_error(tmp_path):
    path = tmp_path / "events.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    with pytest.raises(WorkbookError) as info:
        load_report(path)
    assert "could not be read" in str(info.value)


@pytest.mark.parametrize("name", ["events.xls", "events.ods", "events.numbers", "events"])
def test_unsupported_suffix_is_a_workbook_error(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b"whatever")
    with pytest.raises(WorkbookError) as info:
        load_report(path)
    assert "unsupported file type" in str(info.value)
    assert ".xlsx" in str(info.value)


def test_workbook_without_an_events_sheet(tmp_path):
    path = write_workbook(tmp_path / "e.xlsx", [event()], events_sheet="Sheet1", categories=SAMPLE_CATEGORIES)
    error = only(errors_of(path), lambda f: True)
    assert "Events" in error.message


def test_events_sheet_without_headers(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Events"
    book.active["A1"] = "only a title"
    book.save(tmp_path / "e.xlsx")
    error = only(errors_of(tmp_path / "e.xlsx"), lambda f: True)
    assert "header" in error.message


# --- CSV ---------------------------------------------------------------------------------------

CSV = (
    "Date,Category,Description,US Killed,US Wounded,Sources\n"
    "2020-03-11,Rocket attack,\"Rockets hit Taji, killing two\",2,,https://example.org/a\n"
    "\"March 14, 2020\",Rocket attack,Second attack,0,3,\n"
)


def test_csv_utf8(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(CSV.replace("Second attack", "Kata\u2019ib Hezbollah attack"), encoding="utf-8")
    report, _ = load_report(path)
    assert [e.date for e in report.events] == [date(2020, 3, 11), date(2020, 3, 14)]
    assert [(e.casualties_for("US").killed, e.casualties_for("US").wounded) for e in report.events] == [(2, None), (0, 3)]
    assert report.events[0].description == "Rockets hit Taji, killing two"
    assert report.events[1].description == "Kata\u2019ib Hezbollah attack"  # as typed
    assert report.source_name == "events.csv"


def test_csv_utf8_with_bom(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(b"\xef\xbb\xbf" + CSV.encode("utf-8"))
    report, findings = load_report(path)
    assert len(report.events) == 2
    assert [f for f in findings if "column" in f.message] == []  # 'Date' matched despite the BOM


def test_csv_that_is_not_utf8_is_a_clear_workbook_error(tmp_path):
    path = tmp_path / "events.csv"
    path.write_bytes(CSV.replace("Second attack", "Attaque pr\u00e8s de Bagdad").encode("cp1252"))
    with pytest.raises(WorkbookError) as info:
        load_report(path)
    assert "UTF-8" in str(info.value)
    assert "events.csv" in str(info.value)


def test_csv_errors_name_the_row_and_column(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(CSV + "someday,Rocket attack,x,-1,,\n", encoding="utf-8")
    errors = errors_of(path)
    assert {f.cell for f in errors} == {"A4", "D4"}
    assert all(f.sheet == "Events" for f in errors)


def test_csv_blank_lines_do_not_shift_cell_references(tmp_path):
    path = tmp_path / "events.csv"
    path.write_text(CSV + "\n\nsomeday,Rocket attack,x,,,\n", encoding="utf-8")
    error = only(errors_of(path), lambda f: True)
    assert error.cell == "A6"  # the sixth line of the file, as a spreadsheet shows it


# --- the summary -------------------------------------------------------------------------------


def test_summary_markdown_beside_the_workbook_is_read(tmp_path):
    path = write_workbook(tmp_path / "march.xlsx", [event()])
    (tmp_path / "march.md").write_text("Rocket fire *rose* in March.\n", encoding="utf-8")
    report, findings = load_report(path)
    assert report.summary_markdown == "Rocket fire *rose* in March.\n"
    assert [f for f in findings if f.severity != "note"] == []


def test_missing_summary_is_a_warning(tmp_path):
    path = write_workbook(tmp_path / "march.xlsx", [event()])
    report, findings = load_report(path)
    assert report.summary_markdown is None
    warning = only(findings, lambda f: "summary" in f.message)
    assert warning.severity == "warning" and "march.md" in str(warning)


def test_summary_path_can_be_given(tmp_path):
    path = write_workbook(tmp_path / "march.xlsx", [event()])
    other = tmp_path / "notes.md"
    other.write_text("Elsewhere.", encoding="utf-8")
    report, _ = load_report(path, summary_path=other)
    assert report.summary_markdown == "Elsewhere."


def test_summary_that_is_not_utf8_is_a_workbook_error(tmp_path):
    path = write_workbook(tmp_path / "march.xlsx", [event()])
    (tmp_path / "march.md").write_bytes("R\u00e9sum\u00e9".encode("cp1252"))
    with pytest.raises(WorkbookError) as info:
        load_report(path)
    assert "march.md" in str(info.value) and "UTF-8" in str(info.value)
