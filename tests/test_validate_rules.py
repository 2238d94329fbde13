"""The validator's rules, one case each, on real .xlsx files written by openpyxl.

Each finding is checked for its code, its cell and a hint, since an analyst fixes the workbook
from the message alone.
"""

from __future__ import annotations

from datetime import date, datetime, time
from pathlib import Path

import pytest
from openpyxl.utils.datetime import CALENDAR_MAC_1904, from_excel

from timeline_pdf.errors import Finding, WorkbookError
from timeline_pdf.validate import load_report
from xlsx_helpers import SAMPLE_CATEGORIES, ref, save_formula_results, write_workbook

HEADERS = ["Date", "End Date", "Category", "Description", "US Killed", "US Wounded", "Latitude", "Longitude", "Sources", "Key Event", "Include"]


def event(**cells: object) -> dict[str, object]:
    row: dict[str, object] = {"Date": date(2020, 1, 14), "Category": "Rocket attack", "Description": "Rockets strike Camp Taji."}
    row.update({k.replace("_", " "): v for k, v in cells.items()})
    return row


def workbook(tmp_path: Path, rows, **kwargs) -> Path:
    kwargs.setdefault("headers", HEADERS)
    path = write_workbook(tmp_path / "events.xlsx", rows, **kwargs)
    path.with_suffix(".md").write_text("Summary.", encoding="utf-8")
    return path


def findings_of(path: Path, **kwargs) -> tuple[list[Finding], object]:
    """All findings, and the report (None when the workbook has errors)."""
    try:
        report, findings = load_report(path, **kwargs)
        return findings, report
    except WorkbookError as error:
        return list(error.findings), None


def one(findings: list[Finding], code: str) -> Finding:
    matching = [f for f in findings if f.code == code]
    assert len(matching) == 1, [str(f) for f in findings]
    assert matching[0].hint, "every finding says what to do"
    return matching[0]


def cell(header: str, index: int = 0, **kwargs) -> str:
    return ref(header, index, headers=HEADERS, **kwargs)


# --- dates -------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed, expected", [
    ("2020-03-11", date(2020, 3, 11)),
    ("March 11, 2020", date(2020, 3, 11)),
    ("March 11th, 2020", date(2020, 3, 11)),
    ("Mar. 11 2020", date(2020, 3, 11)),
    ("11 March 2020", date(2020, 3, 11)),
    ("11-Mar-2020", date(2020, 3, 11)),
    ("Sept 3, 2020", date(2020, 9, 3)),
    ("2020/03/11", date(2020, 3, 11)),
    ("25/03/2020", date(2020, 3, 25)),  # day first: 25 cannot be a month
    ("03/25/2020", date(2020, 3, 25)),  # month first: likewise
    ("05/05/2020", date(2020, 5, 5)),  # the same either way
    ("2020-03-11 14:30", date(2020, 3, 11)),
    ("2020-03-11T14:30:00Z", date(2020, 3, 11)),
    ("March 11, 2020 2:30 pm", date(2020, 3, 11)),
    (datetime(2020, 3, 11, 23, 59), date(2020, 3, 11)),
    (43901, date(2020, 3, 11)),  # an Excel serial under a General format
    (43901.75, date(2020, 3, 11)),  # ... with a time part
])
def test_dates_analysts_type(tmp_path, typed, expected):
    findings, report = findings_of(workbook(tmp_path, [event(Date=typed)]))
    assert report is not None, [str(f) for f in findings]
    assert report.events[0].date == expected


def test_ambiguous_day_month_is_an_error_that_says_so(tmp_path):
    findings, report = findings_of(workbook(tmp_path, [event(Date="11/03/2020")]))
    error = one(findings, "date-ambiguous")
    assert error.cell == cell("Date") and error.column == "Date" and error.value == "11/03/2020"
    assert "March 11, 2020 (day first)" in error.message and "November 3, 2020 (month first)" in error.message
    assert "Date Order" in error.hint and "Report sheet" in error.hint


@pytest.mark.parametrize("order, expected", [("day first", date(2020, 3, 11)), ("Month first", date(2020, 11, 3)), ("DD/MM/YYYY", date(2020, 3, 11))])
def test_report_sheet_date_order_settles_ambiguous_dates(tmp_path, order, expected):
    rows = [event(Date="11/03/2020", End_Date="12.03.2020" if order != "Month first" else "11/04/2020")]
    findings, report = findings_of(workbook(tmp_path, rows, report={"Date Order": order}))
    assert report is not None, [str(f) for f in findings]
    assert report.events[0].date == expected


def test_unknown_date_order_is_an_error(tmp_path):
    findings, _ = findings_of(workbook(tmp_path, [event()], report={"Date Order": "sideways"}))
    error = one(findings, "report-date-order")
    assert error.sheet == "Report" and error.cell == "B2"


@pytest.mark.parametrize("typed, words", [
    ("2020-02-30", "February 2020 has 29 days"),
    ("31/02/2020", "February 2020 has 29 days"),
    ("February 29, 2021", "February 2021 has 28 days"),
    ("2020-13-01", "no month 13"),
    ("25/25/2020", "no month 25"),
])
def test_impossible_dates(tmp_path, typed, words):
    findings, _ = findings_of(workbook(tmp_path, [event(Date=typed)]))
    error = one(findings, "date-impossible")
    assert words in error.message and error.cell == cell("Date")


@pytest.mark.parametrize("typed", [2020, 2020.0, 1999])
def test_a_typed_year_is_not_read_as_a_serial(tmp_path, typed):
    findings, _ = findings_of(workbook(tmp_path, [event(Date=typed)]))
    error = one(findings, "date-number")
    as_serial = from_excel(typed).date()  # what Excel would show: a day in 1905
    assert f"Excel reads it as {as_serial:%B} {as_serial.day}, 1905" in error.message
    assert "plain number" in error.message and "if only the year is known" in error.hint


@pytest.mark.parametrize("typed", [11, 300, 9999])
def test_small_numbers_are_not_dates(tmp_path, typed):
    findings, _ = findings_of(workbook(tmp_path, [event(Date=typed)]))
    assert one(findings, "date-number").cell == cell("Date")


@pytest.mark.parametrize("typed, code", [("11/03/20", "date-invalid"), ("2020-03", "date-partial"), ("March 2020", "date-partial"), ("soon", "date-invalid"), ("Smarch 3, 2020", "date-invalid")])
def test_incomplete_or_unreadable_dates(tmp_path, typed, code):
    findings, _ = findings_of(workbook(tmp_path, [event(Date=typed)]))
    assert one(findings, code).value == typed


@pytest.mark.parametrize("typed, why", [
    ("9-May-20", "has a two-digit year: '20' could be 2020 or 1920"),
    ("May 9, 20", "has a two-digit year: '20' could be 2020 or 1920"),
    ("11/03/20", "has a two-digit year: '20' could be 2020 or 1920"),
    ("12 mars 2020", "'mars' is March in French"),
    ("3 enero 2020", "'enero' is January in Spanish"),
    ("3 janaayo 2025", "'janaayo' is January in Somali"),
    ("20200311", "a run of digits without separators"),
])
def test_a_date_that_fails_says_why(tmp_path, typed, why):
    findings, _ = findings_of(workbook(tmp_path, [event(Date=typed)]))
    found = one(findings, "date-invalid")
    assert why in found.message and found.cell == cell("Date") and found.value == typed
    if "two-digit" in why:
        assert "date_format" in found.hint  # an import can read them, saying how
    if "digits" in why:
        assert "2020-03-11" in found.hint


def test_time_of_day_alone_is_not_a_date(tmp_path):
    findings, _ = findings_of(workbook(tmp_path, [event(Date=time(14, 30))]))
    assert "time of day" in one(findings, "date-invalid").message


def test_1904_date_system(tmp_path):
    def mac(book):
        book.epoch = CALENDAR_MAC_1904

    # 42439 in the 1904 system is 2020-03-11 (1,462 days later than in the 1900 system)
    rows = [event(Date=date(2020, 3, 11)), event(Date=42439, Description="serial")]
    findings, report = findings_of(workbook(tmp_path, rows, edit=mac))
    assert report is not None, [str(f) for f in findings]
    assert [e.date for e in report.events] == [date(2020, 3, 11), date(2020, 3, 11)]


def test_end_date_before_date_names_both(tmp_path):
    findings, _ = findings_of(workbook(tmp_path, [event(Date="2020-03-11", End_Date="2020-03-09")]))
    error = one(findings, "date-end-before-start")
    assert error.cell == cell("End Date") and "2020-03-09" in error.message and "2020-03-11" in error.message


# --- casualties --------------------------------------------------------------------------------


@pytest.mark.parametrize("typed, code, hint_words", [
    (-1, "casualty-negative", "0 or more"),
    ("-3", "casualty-negative", "0 or more"),
    (2.5, "casualty-fraction", "whole"),
    ("2.5", "casualty-fraction", "whole"),
    ("1,5", "casualty-fraction", "whole"),
    ("~5", "casualty-estimate", "write 'about 5' in the Description"),
    ("about 12", "casualty-estimate", "enter 12"),
    ("5+", "casualty-lower-bound", "write 'at least 5' in the Description"),
    ("at least 3", "casualty-lower-bound", "enter 3"),
    ("5-10", "casualty-range", "enter the lower figure 5"),
    ("five", "casualty-not-number", "blank when not reported"),
    (True, "casualty-not-number", "whole number"),
])
def test_bad_casualty_figures(tmp_path, typed, code, hint_words):
    findings, _ = findings_of(workbook(tmp_path, [event(US_Killed=typed)]))
    error = one(findings, code)
    assert error.cell == cell("US Killed") and error.column == "US Killed"
    assert hint_words in error.hint


def test_a_decimal_comma_is_not_read_as_thousands(tmp_path):
    findings, _ = findings_of(workbook(tmp_path, [event(US_Killed="1,5")]))
    assert "comma may only separate thousands" in one(findings, "casualty-fraction").message


def test_casualty_figures_that_are_fine(tmp_path):
    rows = [event(US_Killed="1,500", US_Wounded="4.0"), event(US_Killed=0, US_Wounded=None), event(US_Killed=" 7 ")]
    findings, report = findings_of(workbook(tmp_path, rows))
    assert report is not None, [str(f) for f in findings]
    got = [(e.casualties_for("US").killed, e.casualties_for("US").wounded) for e in report.events]
    assert got == [(1500, 4), (0, None), (7, None)]  # blank stays "not reported", 0 stays "none"


# --- yes/no ------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed, expected", [(1, True), (1.0, True), (0, False), (0.0, False), (True, True), (False, False), ("1.0", True), ("Y", True), ("x", True), ("N", False)])
def test_key_event_accepts_numbers_and_excel_booleans(tmp_path, typed, expected):
    findings, report = findings_of(workbook(tmp_path, [event(Key_Event=typed)]))
    assert report is not None, [str(f) for f in findings]
    assert report.events[0].key is expected


@pytest.mark.parametrize("typed, kept", [(0.0, False), (1.0, True), (False, False)])
def test_include_accepts_numbers_and_excel_booleans(tmp_path, typed, kept):
    findings, report = findings_of(workbook(tmp_path, [event(Include=typed), event(Description="other")]))
    assert report is not None
    assert len(report.events) == (2 if kept else 1)


@pytest.mark.parametrize("typed", [2, "maybe", 0.5])
def test_flags_that_are_not_yes_or_no(tmp_path, typed):
    findings, _ = findings_of(workbook(tmp_path, [event(Key_Event=typed)]))
    assert one(findings, "flag-invalid").cell == cell("Key Event")


# --- headers -----------------------------------------------------------------------------------


def test_title_row_with_two_text_cells_is_not_taken_for_the_headers(tmp_path):
    def titles(book):
        sheet = book["Events"]
        sheet.insert_rows(1, 2)
        sheet["A1"], sheet["C1"] = "US-Iran escalation: events", "Updated weekly"
        sheet["A2"], sheet["B2"] = "Compiled by the analysis team", "Draft"

    findings, report = findings_of(workbook(tmp_path, [event()], edit=titles))
    assert report is not None, [str(f) for f in findings]
    assert [e.row for e in report.events] == [4]
    assert [f for f in findings if f.code == "column-unknown"] == []


def test_misspelt_required_header_gets_a_did_you_mean_even_in_lower_case(tmp_path):
    headers = ["date", "category", "descripton"]
    findings, _ = findings_of(workbook(tmp_path, [{"date": date(2020, 1, 1), "category": "Rocket attack", "descripton": "x"}], headers=headers))
    error = one(findings, "column-missing")
    assert "did you mean 'descripton'" in error.hint and "'Description'" in error.hint


def test_casualty_groups_use_one_canonical_spelling(tmp_path):
    headers = ["Date", "Category", "Description", "us killed", "US Wounded", "coalition killed", "iraqi forces wounded"]
    row = {"Date": date(2020, 1, 1), "Category": "Rocket attack", "Description": "x", "us killed": 1, "US Wounded": 2, "coalition killed": 0, "iraqi forces wounded": 3}
    findings, report = findings_of(workbook(tmp_path, [row], headers=headers))
    assert report.groups == ("US", "Coalition", "Iraqi Forces")
    assert report.events[0].casualties_for("US").killed == 1 and report.events[0].casualties_for("US").wounded == 2


def test_lower_case_abbreviation_alone_is_capitalised(tmp_path):
    headers = ["Date", "Category", "Description", "us killed", "us wounded"]
    findings, report = findings_of(workbook(tmp_path, [{"Date": date(2020, 1, 1), "Category": "Rocket attack", "Description": "x", "us killed": 1}], headers=headers))
    assert report.groups == ("US",)


def test_hidden_column_in_use_is_a_warning(tmp_path):
    def hide(book):
        book["Events"].column_dimensions["E"].hidden = True  # US Killed

    findings, report = findings_of(workbook(tmp_path, [event(US_Killed=1)], edit=hide))
    assert one(findings, "column-hidden").cell == "E1"


# --- rows --------------------------------------------------------------------------------------


def test_rows_of_whitespace_and_blank_rows_in_the_middle_are_skipped(tmp_path):
    rows = [event(Description="first"), {"Description": " \u00a0 ", "Category": "\t"}, event(Description="third")]
    findings, report = findings_of(workbook(tmp_path, rows, blank_rows_before=[1]))
    assert report is not None, [str(f) for f in findings]
    assert [(e.description, e.row) for e in report.events] == [("first", 2), ("third", 5)]


def test_zero_width_and_control_characters_are_removed(tmp_path):
    findings, report = findings_of(workbook(tmp_path, [event(Description="Rockets\u200b strike\u00a0Taji.", Category="Rocket attack\ufeff")], categories=SAMPLE_CATEGORIES))
    assert report.events[0].description == "Rockets strike Taji."
    assert report.events[0].category == "Rocket attack"
    assert [f for f in findings if f.code == "category-unknown"] == []
    csv = tmp_path / "events.csv"  # Excel refuses control characters; pasted CSV text may hold them
    csv.write_bytes(b"Date,Category,Description\n2020-01-14,Rocket attack,Rockets\x07 strike\x00 Taji.\n")
    report, _ = load_report(csv)
    assert report.events[0].description == "Rockets strike Taji."


def test_hidden_rows_are_a_warning_unless_excluded(tmp_path):
    def hide(book):
        book["Events"].row_dimensions[3].hidden = True
        book["Events"].row_dimensions[4].hidden = True

    rows = [event(Description="shown"), event(Description="hidden but published"), event(Description="hidden draft", Include="no")]
    findings, report = findings_of(workbook(tmp_path, rows, edit=hide))
    warning = one(findings, "row-hidden")
    assert warning.cell == "A3" and warning.severity == "warning" and "Include" in warning.hint
    assert [e.description for e in report.events] == ["shown", "hidden but published"]


def test_merged_cells_are_a_warning_and_explain_the_blank_cells(tmp_path):
    def merge(book):
        book["Events"].merge_cells("C2:C3")  # one Category for two events

    rows = [event(Description="first"), event(Description="second", Category=None)]
    findings, _ = findings_of(workbook(tmp_path, rows, edit=merge))
    warning = one(findings, "cells-merged")
    assert warning.cell == "C2" and "C2:C3" in warning.message and "Unmerge" in warning.hint
    empty = one(findings, "required-empty")
    assert empty.cell == "C3" and "merged cells C2:C3" in empty.hint


def test_merged_title_above_the_table_is_fine(tmp_path):
    def title(book):
        book["Events"].merge_cells("A1:D1")

    findings, report = findings_of(workbook(tmp_path, [event()], title_row="US-Iran escalation", edit=title))
    assert report is not None and [f for f in findings if f.code == "cells-merged"] == []


def test_likely_duplicate_rows_are_a_warning_naming_both_rows(tmp_path):
    rows = [
        event(Description="Rockets strike Camp Taji, wounding two.", US_Wounded=2),
        event(Description="Rockets strike Camp Taji.", Date=date(2020, 1, 15)),
        event(Description="Rockets strike Camp Taji, wounding two", US_Wounded=2),  # pasted again
        event(Description="Rockets strike Camp Taji, wounding two.", US_Wounded=3),  # another attack
    ]
    findings, report = findings_of(workbook(tmp_path, rows))
    warning = one(findings, "event-duplicate")
    assert warning.cell == cell("Description", 2) and "row 4" in warning.message and "row 2" in warning.message
    assert len(report.events) == 4  # a warning, not an error


def test_strict_turns_warnings_into_a_failure(tmp_path):
    path = workbook(tmp_path, [event(Description="x"), event(Description="x")])
    report, findings = load_report(path)
    assert [f.code for f in findings if f.severity != "note"] == ["event-duplicate"]
    with pytest.raises(WorkbookError) as info:
        load_report(path, strict=True)
    assert "--strict" in info.value.message and "1 warning(s)" in info.value.message


# --- categories --------------------------------------------------------------------------------


def test_unknown_category_warning_names_its_first_cell(tmp_path):
    rows = [event(), event(Category="Rockt attack"), event(Category="Rockt attack")]
    findings, _ = findings_of(workbook(tmp_path, rows, categories=SAMPLE_CATEGORIES))
    warning = one(findings, "category-unknown")
    assert warning.cell == cell("Category", 1) and "Events!C3" in str(warning)
    assert "used in 2 rows" in warning.message and "did you mean 'Rocket attack'?" in warning.hint


def test_category_listed_twice_is_a_warning(tmp_path):
    categories = [("Rocket attack", "attack"), ("Rocket attack", "other")]
    findings, report = findings_of(workbook(tmp_path, [event()], categories=categories))
    assert one(findings, "category-duplicate").cell == "A3"
    assert report.is_attack(report.events[0])


# --- formulas ----------------------------------------------------------------------------------


def test_formula_without_a_saved_result_is_an_error(tmp_path):
    # openpyxl, like other tools that do not calculate, saves formulas without their results
    def formula(book):
        book["Events"]["E2"] = "=1+1"

    findings, _ = findings_of(workbook(tmp_path, [event()], edit=formula))
    error = one(findings, "formula-no-value")
    assert error.cell == "E2" and error.value == "=1+1"
    assert "open the workbook in Excel or LibreOffice and save it" in error.hint


def test_formula_results_saved_by_excel_are_read(tmp_path):
    def formulas(book):
        book["Events"]["E2"] = "=1+1"
        book["Events"]["D2"] = '=CONCATENATE("Rockets ", "strike")'
        book["Events"]["I2"] = '=HYPERLINK("https://example.org/report", "ISW report")'
        book["Events"]["F2"] = "=1+2"

    path = workbook(tmp_path, [event()], edit=formulas)
    save_formula_results(path, {"E2": 2, "D2": "Rockets strike", "I2": "ISW report", "F2": 3})
    findings, report = findings_of(path)
    assert report is not None, [str(f) for f in findings]
    (e,) = report.events
    assert e.description == "Rockets strike"
    assert (e.casualties_for("US").killed, e.casualties_for("US").wounded) == (2, 3)
    assert [s.url for s in e.sources] == ["https://example.org/report"]  # a HYPERLINK formula is a source


def test_formula_showing_an_excel_error_is_an_error(tmp_path):
    def formulas(book):
        book["Events"]["E2"] = "=1/0"

    path = workbook(tmp_path, [event()], edit=formulas)
    save_formula_results(path, {"E2": "#DIV/0!"})
    findings, _ = findings_of(path)
    error = one(findings, "formula-error")
    assert error.cell == "E2" and "#DIV/0!" in error.message and "=1/0" in error.message
    assert [f for f in findings if f.code == "formula-no-value"] == []


# --- sources -----------------------------------------------------------------------------------


@pytest.mark.parametrize("typed, code, words", [
    ("data:text/html;base64,PHNjcmlwdD4=", "source-unsafe", "data:"),
    ("javascript:alert(1)", "source-unsafe", "javascript:"),
    ("file:///C:/secret.txt", "source-unsafe", "file:"),
    ("ftp://files.example.org/a", "source-unsafe", "only http, https and mailto"),
    ("https://", "source-malformed", "not a complete web link"),
    ("https://localhost..", "source-malformed", "not a complete web link"),
    ("http:example.org", "source-malformed", "not a complete web link"),
    ("mailto:nobody", "source-malformed", "e-mail"),
    ("www.understandingwar.org/backgrounder", "source-malformed", "no https://"),
])
def test_unsafe_and_malformed_links(tmp_path, typed, code, words):
    findings, _ = findings_of(workbook(tmp_path, [event(Sources=f"https://ok.example.org/a {typed}")]))
    error = one(findings, code)
    assert words in error.message and error.cell == cell("Sources")


def test_missing_scheme_hint_gives_the_fixed_link(tmp_path):
    findings, _ = findings_of(workbook(tmp_path, [event(Sources="www.understandingwar.org/backgrounder")]))
    assert "https://www.understandingwar.org/backgrounder" in one(findings, "source-malformed").hint


def test_data_hyperlink_on_a_cell_is_an_error(tmp_path):
    path = workbook(tmp_path, [event(Sources="report")], hyperlinks={(0, "Sources"): "data:text/html,<script>alert(1)</script>"})
    findings, _ = findings_of(path)
    assert one(findings, "source-unsafe").cell == cell("Sources")


# --- coordinates -------------------------------------------------------------------------------


def test_coordinates_with_a_decimal_comma(tmp_path):
    findings, _ = findings_of(workbook(tmp_path, [event(Latitude="33,53", Longitude=44.25)]))
    assert "decimal point" in one(findings, "coordinate-not-number").hint


def test_coordinates_out_of_range_suggest_a_swap(tmp_path):
    findings, _ = findings_of(workbook(tmp_path, [event(Latitude=144.25, Longitude=33.5)]))
    assert "swapped" in one(findings, "coordinate-range").hint


def test_latitude_without_longitude_is_a_warning(tmp_path):
    findings, report = findings_of(workbook(tmp_path, [event(Latitude=33.5)]))
    assert one(findings, "coordinate-incomplete").cell == cell("Latitude")
    assert report.events[0].latitude is None


# --- everything at once ------------------------------------------------------------------------


def test_every_finding_carries_file_sheet_cell_column_value_and_hint(tmp_path):
    rows = [event(Date="11/03/2020"), event(US_Killed="~5"), event(Sources="javascript:alert(1)"), event(Key_Event=2), event(Latitude=91)]
    findings, report = findings_of(workbook(tmp_path, rows))
    assert report is None
    errors = [f for f in findings if f.severity == "error"]
    assert {f.code for f in errors} == {"date-ambiguous", "casualty-estimate", "source-unsafe", "flag-invalid", "coordinate-range"}
    for finding in errors:
        assert finding.file.endswith("events.xlsx") and finding.sheet == "Events"
        assert finding.cell and finding.column and finding.value and finding.hint
        assert f"Events!{finding.cell}" in str(finding) and finding.ref == f"Events!{finding.cell}"
        as_data = finding.to_dict()
        assert as_data["ref"] == finding.ref and as_data["code"] == finding.code and as_data["hint"] == finding.hint


def test_unknown_category_is_reported_even_on_a_row_with_other_errors(tmp_path):
    rows = [event(Category="Rockt attack", Date="someday")]
    findings, _ = findings_of(workbook(tmp_path, rows, categories=SAMPLE_CATEGORIES))
    assert one(findings, "category-unknown").cell == cell("Category")
    assert one(findings, "date-invalid").cell == cell("Date")
