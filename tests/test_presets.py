"""Import presets (ACLED, UCDP GED, TimelineJS) and user-written column-mapping files.

UCDP and TimelineJS are tested on real files in tests/data (see tests/data/SOURCES.md); the ACLED
file is written here in ACLED's export layout.
"""

from __future__ import annotations

import csv
import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook

from timeline_pdf.errors import Finding, MappingError, WorkbookError
from timeline_pdf.mapping import SPEC_HINT, names_in
from timeline_pdf.presets import PRESETS, html_to_text, load_mapping, preset_names
from timeline_pdf.validate import load_report

DATA = Path(__file__).resolve().parent / "data"
UCDP = DATA / "ucdp_ged_iraq_extract.csv"
TIMELINEJS = DATA / "timelinejs_template_my-own-timeline.csv"

ACLED_HEADERS = [
    "event_id_cnty", "event_date", "year", "time_precision", "disorder_type", "event_type", "sub_event_type", "actor1", "assoc_actor_1", "inter1",
    "actor2", "assoc_actor_2", "inter2", "interaction", "civilian_targeting", "iso", "region", "country", "admin1", "admin2", "admin3", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities", "tags", "timestamp",
]
ACLED_ROWS = [
    {"event_id_cnty": "IRQ1", "event_date": "2020-03-11", "event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
     "actor1": "Kata'ib Hezbollah", "actor2": "Military Forces of the United States (2017-2021)", "admin1": "Baghdad", "location": "Taji",
     "latitude": "33.53", "longitude": "44.25", "source": "Reuters; Rudaw", "notes": "On 11 March 2020, rockets struck Camp Taji, killing three coalition personnel.",
     "fatalities": "3"},
    {"event_id_cnty": "IRQ2", "event_date": "14 March 2020", "event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack",
     "actor1": "Unidentified Armed Group (Iraq)", "admin1": "Baghdad", "location": "Taji", "latitude": "33.53", "longitude": "44.25",
     "source": "Shafaq News", "notes": "On 14 March 2020, a second rocket attack hit Camp Taji.", "fatalities": "0"},
    {"event_id_cnty": "IRQ3", "event_date": "2020-03-12", "event_type": "Strategic developments", "sub_event_type": "Agreement",
     "actor1": "Government of Iraq (2018-2022)", "admin1": "Baghdad", "location": "Baghdad", "latitude": "33.34", "longitude": "44.40",
     "source": "Al Sumaria", "notes": "On 12 March 2020, parliament met to discuss the presence of foreign forces.", "fatalities": "0"},
]


def events_csv(rows: list[list[str]], path: Path) -> Path:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows)
    return path


def read_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as stream:
        return list(csv.reader(stream))


def by_code(findings: list[Finding], code: str) -> list[Finding]:
    return [f for f in findings if f.code == code]


def failure(path: Path, **kwargs) -> list[Finding]:
    with pytest.raises(WorkbookError) as info:
        load_report(path, **kwargs)
    return [f for f in info.value.findings if f.severity == "error"]


# --- UCDP GED ----------------------------------------------------------------------------------


def test_ucdp_extract_maps_onto_the_contract():
    report, findings = load_report(UCDP, preset="ucdp")
    assert [f for f in findings if f.severity == "error"] == []
    assert len(report.events) == 300
    assert report.groups == ("Side A", "Side B", "Civilians", "Unknown")
    assert {c.name: c.kind for c in report.categories} == {"State-based conflict": "attack", "Non-state conflict": "attack", "One-sided violence": "attack"}
    assert {e.category for e in report.events} == {"State-based conflict", "Non-state conflict", "One-sided violence"}
    assert report.events[0].row >= 3  # row 1: headers; row 2: HXL tags, skipped
    salah = [e for e in report.events if "Şalāḩ ad Dīn province" in e.location]
    assert len(salah) == 120
    assert any(note.startswith("UCDP GED counts deaths by side") for note in report.notes)
    assert by_code(findings, "import-note")


def test_ucdp_row_is_read_field_by_field():
    rows = read_rows(UCDP)
    header = rows[0]
    source = dict(zip(header, rows[2]))
    report, _ = load_report(UCDP, preset="ucdp")
    event = next(e for e in report.events if e.row == 3)
    assert event.date == date.fromisoformat(source["date_start"]) and event.end_date == date.fromisoformat(source["date_end"])
    assert event.actor == source["side_a"] and event.target == source["side_b"] and event.headline == source["dyad_name"]
    assert event.location.startswith(source["where_coordinates"])
    assert event.latitude == pytest.approx(float(source["latitude"])) and event.longitude == pytest.approx(float(source["longitude"]))
    killed = {c.group: c.killed for c in event.casualties}
    assert killed == {"Side A": int(source["deaths_a"]), "Side B": int(source["deaths_b"]), "Civilians": int(source["deaths_civilians"]), "Unknown": int(source["deaths_unknown"])}
    assert sum(killed.values()) == int(source["best"])
    assert all(c.wounded is None for c in event.casualties)  # UCDP does not record the wounded: not reported, not zero
    assert event.description  # the source headline, or the article, never empty


def test_ucdp_without_a_headline_uses_the_source_article():
    rows = read_rows(UCDP)
    header = rows[0]
    index = next(i for i, r in enumerate(rows[2:], start=2) if not r[header.index("source_headline")] and r[header.index("source_article")])
    report, _ = load_report(UCDP, preset="ucdp")
    event = next(e for e in report.events if e.row == index + 1)
    assert event.description == "Source: " + rows[index][header.index("source_article")].strip()


def test_ucdp_findings_point_at_the_original_cell_and_column(tmp_path):
    rows = read_rows(UCDP)
    header = rows[0]
    rows[5][header.index("date_start")] = "2014-02-30"
    rows[7][header.index("deaths_civilians")] = "~5"
    path = events_csv(rows, tmp_path / "ucdp.csv")
    errors = failure(path, preset="ucdp")
    date_error = next(f for f in errors if f.code == "date-impossible")
    assert date_error.cell == "AK6" and date_error.column == "date_start" and date_error.value == "2014-02-30"
    casualty = next(f for f in errors if f.code == "casualty-estimate")
    assert casualty.cell == "AO8" and casualty.column == "deaths_civilians"


def test_a_column_label_lists_the_columns_in_the_template_order(tmp_path):
    """A value composed of several columns, all blank, is named by them all, as the mapping
    names them (the same under any hash seed)."""
    rows = read_rows(UCDP)
    header = rows[0]
    for column in ("source_headline", "source_article", "id"):
        rows[4][header.index(column)] = ""
    errors = failure(events_csv(rows, tmp_path / "ucdp.csv"), preset="ucdp")
    empty = next(f for f in errors if f.code == "required-empty" and f.cell.endswith("5"))
    assert empty.column == "source_headline/source_office/source_date/source_article/id"
    many = "{h} {g}, {f} {e} {d} {c} {b} {a} {h}"
    assert names_in(many) == names_in([many]) == names_in({"first": [many, "z"]})[:-1] == ["h", "g", "f", "e", "d", "c", "b", "a"]


def test_ucdp_preset_on_a_file_without_its_columns(tmp_path):
    rows = read_rows(UCDP)
    header = rows[0]
    drop = header.index("date_start")
    path = events_csv([r[:drop] + r[drop + 1:] for r in rows], tmp_path / "other.csv")
    with pytest.raises(WorkbookError) as info:
        load_report(path, preset="ucdp")
    error, summary = info.value.findings  # nothing else: no error per row, no note per optional column
    assert summary.code == "summary-missing"
    assert error.code == "import-column-missing" and "'date_start'" in error.message
    assert "in the UCDP GED layout" in error.hint and "mapping file" in error.hint


# --- TimelineJS --------------------------------------------------------------------------------


def test_timelinejs_template():
    report, findings = load_report(TIMELINEJS, preset="timelinejs")
    assert [f for f in findings if f.severity == "error"] == []
    assert report.info.title == "MY OWN CSV"  # the 'title' row is the title, not an event
    assert report.info.subtitle.startswith("In this sample timeline")
    assert len(report.events) == 10
    assert {e.category for e in report.events} == {"Event"}  # no Group: the preset's default
    ada = report.events[0]
    assert (ada.date, ada.end_date, ada.date_precision) == (date(1815, 12, 10), date(1852, 11, 27), "day")  # before 1900
    assert ada.headline == "Ada Lovelace"
    assert "<" not in ada.description and "Take Ada Lovelace: Daughter of Lord Byron" in ada.description
    assert [s.url for s in ada.sources] == ["https://en.wikipedia.org/wiki/Ada_Lovelace", "https://en.wikipedia.org/wiki/Analytical_Engine"]
    eniac = next(e for e in report.events if e.headline.startswith("...And the women"))
    assert (eniac.date, eniac.date_precision, eniac.end_date, eniac.end_date_precision) == (date(1943, 7, 1), "month", date(1946, 1, 1), "year")
    hopper = next(e for e in report.events if "Grace Hopper" in e.headline)
    assert (hopper.date, hopper.date_precision) == (date(1952, 1, 1), "year")
    clarke = next(e for e in report.events if e.headline.startswith("Edith Clarke"))
    assert clarke.description == clarke.headline  # no Text: the headline stands in
    assert any("Spärck Jones" in e.headline for e in report.events)


def test_timelinejs_era_rows_are_left_out_and_unsafe_links_are_errors(tmp_path):
    rows = read_rows(TIMELINEJS)
    header = rows[0]
    era = [""] * len(header)
    era[header.index("Year")], era[header.index("End Year")], era[header.index("Headline")], era[header.index("Type")] = "1940", "1960", "Early computing", "era"
    rows.append(era)
    path = events_csv(rows, tmp_path / "timeline.csv")
    report, findings = load_report(path, preset="timelinejs")
    assert len(report.events) == 10
    assert "1 row(s)" in by_code(findings, "import-rows-skipped")[0].message
    rows[3][header.index("Text")] = '<p>See <a href="javascript:alert(1)">this</a>.</p>'
    events_csv(rows, path)
    (error,) = failure(path, preset="timelinejs")
    assert error.code == "source-unsafe" and error.cell == "K4" and error.column == "Text"


def test_html_becomes_safe_text_with_its_links():
    text, links = html_to_text('<p class="lead">A &amp; B <b>bold</b><br>next</p><script>alert(1)</script><a href="https://x.example.org/a">x</a> <a href=" mailto:a@b.org ">mail</a>')
    assert text == "A & B bold next x mail"
    assert links == ["https://x.example.org/a", "mailto:a@b.org"]


# --- ACLED -------------------------------------------------------------------------------------


def acled_csv(path: Path) -> Path:
    return events_csv([ACLED_HEADERS] + [[row.get(h, "") for h in ACLED_HEADERS] for row in ACLED_ROWS], path)


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_acled_export_csv_and_xlsx(tmp_path, kind):
    if kind == "csv":
        path = acled_csv(tmp_path / "acled.csv")
    else:
        book = Workbook()
        sheet = book.active
        sheet.title = "Sheet1"
        sheet.append(ACLED_HEADERS)
        for row in ACLED_ROWS:
            values = [row.get(h) or None for h in ACLED_HEADERS]
            values[ACLED_HEADERS.index("fatalities")] = int(row["fatalities"])
            values[ACLED_HEADERS.index("latitude")] = float(row["latitude"])
            sheet.append(values)
        path = tmp_path / "acled.xlsx"
        book.save(path)
    report, findings = load_report(path, preset="acled")
    assert [f for f in findings if f.severity == "error"] == []
    assert report.groups == ("Total",)
    note = next(f for f in findings if f.code == "import-note")
    assert note.severity == "note" and "not split by side" in note.message and "'Total'" in note.message
    taji = report.events[0]
    assert taji.date == date(2020, 3, 11) and taji.casualties_for("Total").killed == 3 and taji.casualties_for("Total").wounded is None
    assert taji.category == "Explosions/Remote violence" and report.is_attack(taji)
    assert taji.headline == "Shelling/artillery/missile attack"
    assert taji.actor == "Kata'ib Hezbollah" and taji.location == "Taji, Baghdad"
    assert taji.description.endswith("Source: Reuters; Rudaw")
    assert [e.date for e in report.events] == [date(2020, 3, 11), date(2020, 3, 12), date(2020, 3, 14)]
    politics = report.events[1]
    assert report.category(politics.category).kind == "political" and politics.target == ""


# --- mapping files -----------------------------------------------------------------------------

MAPPING = '''
name = "Field notes"
date_order = "dmy"
notes = "Casualty figures are the unit's own."

[columns]
Date = "When"
Category = "Type"
Location = ["Town", "Province"]
Description = { first = ["Summary", "Short: {Headline}"] }
Headline = "Headline"
"Civilian Killed" = "Dead"
Sources = "Link"
"Key Event" = "Flag"

[defaults]
Category = "Unclassified"

[values.Category]
"IDF" = "Rocket attack"
"DRN" = "Drone attack"

[categories]
"Rocket attack" = "attack"
"Drone attack" = "attack"
"Unclassified" = "other"
'''


def test_user_mapping_file(tmp_path):
    mapping = tmp_path / "field-notes.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    rows = [
        ["Field notes, March 2020"],
        ["When", "Type", "Town", "Province", "Headline", "Summary", "Dead", "Link", "Flag", "Unused"],
        ["11/03/2020", "IDF", "Taji", "Baghdad", "Rockets on Taji", "Rockets strike Camp Taji.", "0", "https://example.org/taji", "yes", "z"],
        ["12/03/2020", "", "Kirkuk", "", "Drone sighted", "", "", "", "", ""],
    ]
    path = events_csv(rows, tmp_path / "notes.csv")
    report, findings = load_report(path, mapping=mapping)
    assert [f for f in findings if f.severity in ("error", "warning") and f.code != "summary-missing"] == []
    taji, kirkuk = report.events
    assert taji.date == date(2020, 3, 11) and kirkuk.date == date(2020, 3, 12)  # day first, as the mapping says
    assert taji.category == "Rocket attack" and kirkuk.category == "Unclassified"
    assert taji.location == "Taji, Baghdad" and kirkuk.location == "Kirkuk"
    assert taji.description == "Rockets strike Camp Taji." and kirkuk.description == "Short: Drone sighted"
    assert taji.casualties_for("Civilian").killed == 0 and kirkuk.casualties_for("Civilian").killed is None
    assert [s.url for s in taji.sources] == ["https://example.org/taji"] and taji.key
    assert report.notes == ("Casualty figures are the unit's own.",)


def test_mapping_file_problems_are_all_listed_with_their_keys(tmp_path):
    mapping = tmp_path / "bad.toml"
    mapping.write_text('''
colums = {}
date_order = "ymd"
[columns]
Date = "When"
Descripton = "Text"
"Key Event" = 3
[categories]
"Rocket attack" = "assault"
''', encoding="utf-8")
    with pytest.raises(MappingError) as info:
        load_mapping(path=mapping)
    found = {(f.key, f.message, f.hint) for f in info.value.findings}
    assert all(f.file == str(mapping) and f.code == "mapping" and f.hint for f in info.value.findings)
    assert ("colums", "unknown key 'colums'", "did you mean 'columns'?") in found
    assert ("columns.Descripton", "'Descripton' is not a column of the workbook", "did you mean 'Description'? (and any '<Group> Killed' or '<Group> Wounded')") in found
    assert {key for key, _m, _h in found} == {"colums", "date_order", "columns.Descripton", "columns.Key Event", "columns", "categories.Rocket attack"}
    assert {m for key, m, _h in found if key == "columns"} == {"'Category' is required", "'Description' is required"}
    assert any(key == "categories.Rocket attack" and "'assault'" in m for key, m, _h in found)
    assert f"{mapping}: colums: error: unknown key 'colums'\n    fix: did you mean 'columns'?" in str(info.value)



def test_an_empty_column_name_is_a_mapping_problem_at_its_key(tmp_path):
    """An empty name would otherwise be blamed on the data file, as a column '' it lacks."""
    mapping = tmp_path / "empty.toml"
    mapping.write_text('''
[columns]
Date = { year = "", month = "M" }
"End Date" = " "
Category = "Type"
Description = ["Summary", ""]
Headline = { first = ["Title", ""] }
Location = "Town"
''', encoding="utf-8")
    with pytest.raises(MappingError) as info:
        load_mapping(path=mapping)
    assert {f.key for f in info.value.findings} == {"columns.Date.year", "columns.End Date", "columns.Description.1", "columns.Headline.first.1"}
    assert all(f.message == "the column name is empty, so it names no column of the file" and f.hint.startswith("write the name of a column") for f in info.value.findings)


def test_a_typo_inside_a_spec_table_gets_a_did_you_mean(tmp_path):
    mapping = tmp_path / "typo.toml"
    mapping.write_text('''
[columns]
date = { year = "Y", mnth = "M" }
Category = "Type"
Description = { first = ["Summary", 3], frist = ["Text"] }
''', encoding="utf-8")
    with pytest.raises(MappingError) as info:
        load_mapping(path=mapping)
    assert {(f.key, f.message, f.hint) for f in info.value.findings} == {
        ("columns.date.mnth", "unknown key 'mnth'", "did you mean 'month'?"),
        ("columns.Description.frist", "unknown key 'frist'", "did you mean 'first'?"),
        ("columns.Description.first.1", "3 is not a column name or a list", SPEC_HINT),
    }


def test_values_and_defaults_name_their_column_as_columns_do(tmp_path):
    """[values.X] and [defaults] keys are matched to the [columns] key they address ignoring
    case, spaces and punctuation, as column names are everywhere."""
    mapping = tmp_path / "cased.toml"
    mapping.write_text(MAPPING.replace('Category = "Type"', 'category = "Type"').replace('"Civilian Killed" = "Dead"', '"civilian killed" = "Dead"')
                       .replace("[values.Category]", '[values."CATEGORY"]').replace('[defaults]\nCategory = "Unclassified"', '[defaults]\n" category " = "Unclassified"\n"Civilian Killed" = 0'), encoding="utf-8")
    rows = [["When", "Type", "Town", "Province", "Headline", "Summary", "Dead", "Link", "Flag"],
            ["11/03/2020", "IDF", "Taji", "Baghdad", "Rockets on Taji", "Rockets strike Camp Taji.", "", "", "yes"],
            ["12/03/2020", "", "Kirkuk", "", "Drone sighted", "", "", "", ""]]
    report, findings = load_report(events_csv(rows, tmp_path / "notes.csv"), mapping=mapping)
    assert [f for f in findings if f.severity in ("error", "warning") and f.code != "summary-missing"] == []
    taji, kirkuk = report.events
    assert taji.category == "Rocket attack" and kirkuk.category == "Unclassified"  # the codes replaced, the blank defaulted
    assert len(report.groups) == 1 and taji.casualties_for("Civilian").killed == kirkuk.casualties_for("Civilian").killed == 0  # blank Dead: the default


def test_unknown_values_and_defaults_keys_are_problems_with_a_did_you_mean(tmp_path):
    mapping = tmp_path / "typos.toml"
    mapping.write_text(MAPPING.replace("[values.Category]", "[values.Categry]").replace('[defaults]\nCategory = "Unclassified"', '[defaults]\nCategory = "Unclassified"\nLocaton = "Iraq"\n"Key Event" = "no"')
                       + '\n[values.Target]\n"x" = "y"\n\n[values.location]\n"Bgd" = "Baghdad"\n\n[values."Key Event"]\n"y" = "yes"\n', encoding="utf-8")
    with pytest.raises(MappingError) as info:
        load_mapping(path=mapping)
    found = {(f.key, f.message, f.hint) for f in info.value.findings}
    assert found == {
        ("values.Categry", "'Categry' is not a column of the workbook", "did you mean 'Category'? (and any '<Group> Killed' or '<Group> Wounded')"),
        ("defaults.Locaton", "'Locaton' is not a column of the workbook", "did you mean 'Location'? (and any '<Group> Killed' or '<Group> Wounded')"),
        ("values.Target", "[values.Target] replaces values of 'Target', which no [columns] line maps", "map it under [columns], such as Target = \"...\", or remove the table"),
    }


def test_a_column_given_twice_in_defaults_or_values_is_a_problem(tmp_path):
    mapping = tmp_path / "twice.toml"
    mapping.write_text(MAPPING.replace('[defaults]\nCategory = "Unclassified"', '[defaults]\nCategory = "Unclassified"\ncategory = "Other"')
                       .replace('Headline = "Headline"', 'Headline = "Headline"\nHEAD_LINE = "Summary"') + '\n[values.category]\n"x" = "y"\n', encoding="utf-8")
    with pytest.raises(MappingError) as info:
        load_mapping(path=mapping)
    assert {(f.key, f.message) for f in info.value.findings} == {
        ("columns.HEAD_LINE", "'HEAD_LINE' is the column 'Headline' again"),
        ("defaults.category", "'category' is the column 'Category' again"),
        ("values.category", "'category' is the column 'Category' again"),
    }
    assert all("merge the two" in f.hint for f in info.value.findings)


def test_a_kind_or_date_order_outside_its_list_gets_a_did_you_mean(tmp_path):
    mapping = tmp_path / "kinds.toml"
    mapping.write_text(MAPPING.replace('"Rocket attack" = "attack"', '"Rocket attack" = "atack"').replace('date_order = "dmy"', 'date_order = "DMY "'), encoding="utf-8")
    with pytest.raises(MappingError) as info:
        load_mapping(path=mapping)
    found = {f.key: f.hint for f in info.value.findings}
    assert found["categories.Rocket attack"].startswith("did you mean 'attack'?")
    assert found["date_order"].startswith("did you mean 'dmy'?")


def test_a_category_the_mapping_does_not_list_is_added_in_the_mapping(tmp_path):
    mapping = tmp_path / "notes.toml"
    mapping.write_text(MAPPING, encoding="utf-8")
    rows = [["When", "Type", "Summary", "Headline"], ["2020-03-11", "Raid", "A raid.", "Raid"]]
    _report, findings = load_report(events_csv(rows, tmp_path / "notes.csv"), mapping=mapping)
    (unknown,) = by_code(findings, "category-unknown")
    assert "[categories]" in unknown.hint and "Categories sheet" not in unknown.hint


@pytest.mark.parametrize("name, file", [("acled", None), ("ucdp", UCDP), ("timelinejs", TIMELINEJS)])
def test_a_known_export_read_without_its_preset_is_named_first(tmp_path, name, file):
    path = tmp_path / f"{name}.csv"
    if file is None:
        events_csv([ACLED_HEADERS, *[[row.get(h, "") for h in ACLED_HEADERS] for row in ACLED_ROWS]], path)
    else:
        shutil.copy(file, path)
    with pytest.raises(WorkbookError) as info:
        load_report(path)
    first = info.value.findings[0]
    kind = {"acled": "an ACLED export", "ucdp": "a UCDP GED extract", "timelinejs": "a TimelineJS sheet"}[name]
    assert (first.severity, first.code) == ("note", "import-preset-suggested")
    assert first.message.startswith(f"this looks like {kind}") and first.hint.startswith(f"read it with --preset {name}")
    assert len(by_code(list(info.value.findings), "import-preset-suggested")) == 1


def test_no_preset_is_suggested_for_a_workbook_that_merely_lacks_a_column(tmp_path):
    path = events_csv([["When", "Category", "Description", "notes", "location"], ["2020-03-11", "Raid", "A raid.", "", ""]], tmp_path / "mine.csv")
    with pytest.raises(WorkbookError) as info:
        load_report(path)
    assert not by_code(list(info.value.findings), "import-preset-suggested")

def test_mapping_file_that_is_not_toml(tmp_path):
    mapping = tmp_path / "bad.toml"
    mapping.write_text("[columns]\nEnd Date = date_end\n", encoding="utf-8")
    with pytest.raises(MappingError) as info:
        load_mapping(path=mapping)
    (finding,) = info.value.findings
    assert "not valid TOML" in finding.message and '"End Date"' in finding.hint


def test_missing_mapping_file_and_unknown_preset():
    with pytest.raises(MappingError) as info:
        load_mapping(path=Path("nowhere.toml"))
    assert "not found" in info.value.findings[0].message and info.value.findings[0].hint
    with pytest.raises(MappingError) as info:
        load_mapping(preset="ucpd")
    assert info.value.findings[0].hint.startswith("did you mean 'ucdp'?")


def test_every_preset_is_a_valid_mapping_and_documented():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert preset_names() == ["acled", "ucdp", "timelinejs"]
    for name in PRESETS:
        mapping = load_mapping(preset=name)
        assert mapping.columns
        assert f"`{name}`" in readme
        for target in mapping.columns:
            assert target in readme, f"README does not say what fills {target!r} in the {name} preset"


def test_preset_copied_to_a_file_is_a_mapping_file(tmp_path):
    shutil.copy(UCDP, tmp_path / "ucdp.csv")
    (tmp_path / "ucdp.toml").write_text(PRESETS["ucdp"], encoding="utf-8")
    by_preset, _ = load_report(tmp_path / "ucdp.csv", preset="ucdp")
    by_file, _ = load_report(tmp_path / "ucdp.csv", mapping=tmp_path / "ucdp.toml")
    assert by_preset.events == by_file.events


# --- ACLED: both column generations, both date styles, original cells ---------------------------

# ACLED's export layout around 2020 (31 columns: numeric interaction codes, iso3 last) and the
# current one (ACLED_HEADERS above). The rows are made up for the tests in those layouts, with
# the date styles real exports have: "21 March 2020" and "9-May-20" (a two-digit year).
ACLED_2020_HEADERS = [
    "data_id", "iso", "event_id_cnty", "event_id_no_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type", "actor1", "assoc_actor_1",
    "inter1", "actor2", "assoc_actor_2", "inter2", "interaction", "region", "country", "admin1", "admin2", "admin3", "location", "latitude", "longitude",
    "geo_precision", "source", "source_scale", "notes", "fatalities", "timestamp", "iso3",
]
AFGHANISTAN_2020 = [
    {"data_id": "6973301", "iso": "4", "event_id_cnty": "AFG48811", "event_id_no_cnty": "48811", "event_date": "21 March 2020", "year": "2020", "time_precision": "1",
     "event_type": "Battles", "sub_event_type": "Armed clash", "actor1": "Military Forces of Afghanistan (2004-2021)", "inter1": "1", "actor2": "Taliban", "inter2": "2",
     "interaction": "12", "region": "Caspian", "country": "Afghanistan", "admin1": "Helmand", "admin2": "Nad-e-Ali", "location": "Nad-e-Ali", "latitude": "31.6133",
     "longitude": "64.2534", "geo_precision": "2", "source": "Pajhwok Afghan News", "source_scale": "National", "notes": "Made-up test record: a clash in Nad-e-Ali district.",
     "fatalities": "3", "timestamp": "1585600000", "iso3": "AFG"},
    {"data_id": "6973302", "iso": "4", "event_id_cnty": "AFG48812", "event_id_no_cnty": "48812", "event_date": "2 April 2020", "year": "2020", "time_precision": "1",
     "event_type": "Explosions/Remote violence", "sub_event_type": "Remote explosive/landmine/IED", "actor1": "Unidentified Armed Group (Afghanistan)", "inter1": "3",
     "actor2": "Civilians (Afghanistan)", "inter2": "7", "interaction": "37", "region": "Caspian", "country": "Afghanistan", "admin1": "Kabul", "admin2": "Kabul",
     "location": "Kabul", "latitude": "34.5167", "longitude": "69.1833", "geo_precision": "1", "source": "Tolo News", "source_scale": "National",
     "notes": "Made-up test record: a roadside bomb in Kabul.", "fatalities": "1", "timestamp": "1586000000", "iso3": "AFG"},
]
MIDDLE_EAST_2020 = [
    {"data_id": "7000001", "iso": "368", "event_id_cnty": "IRQ10001", "event_id_no_cnty": "10001", "event_date": "9-May-20", "year": "2020", "time_precision": "1",
     "event_type": "Explosions/Remote violence", "sub_event_type": "Shelling/artillery/missile attack", "actor1": "Unidentified Armed Group (Iraq)", "inter1": "3",
     "interaction": "30", "region": "Middle East", "country": "Iraq", "admin1": "Baghdad", "admin2": "Baghdad", "location": "Baghdad", "latitude": "33.3406",
     "longitude": "44.4009", "geo_precision": "1", "source": "Shafaq News", "source_scale": "National", "notes": "Made-up test record: rockets near the airport.",
     "fatalities": "0", "timestamp": "1589000000", "iso3": "IRQ"},
    {"data_id": "7000002", "iso": "368", "event_id_cnty": "IRQ10002", "event_id_no_cnty": "10002", "event_date": "28-Dec-97", "year": "1997", "time_precision": "1",
     "event_type": "Protests", "sub_event_type": "Peaceful protest", "actor1": "Protesters (Iraq)", "inter1": "6", "interaction": "60", "region": "Middle East",
     "country": "Iraq", "admin1": "Basra", "admin2": "Basrah", "location": "Basrah", "latitude": "30.5085", "longitude": "47.7804", "geo_precision": "1",
     "source": "Made-up", "source_scale": "Local", "notes": "Made-up test record: a protest.", "fatalities": "0", "timestamp": "1589000001", "iso3": "IRQ"},
]
SOMALIA = DATA / "acled_somalia_2025_illustrative.csv"


def acled_file(path: Path, headers: list[str], rows: list[dict]) -> Path:
    return events_csv([headers] + [[row.get(h, "") for h in headers] for row in rows], path)


def letter(headers: list[str], name: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(headers.index(name) + 1)


def test_acled_2020_layout_with_dates_written_out(tmp_path):
    report, findings = load_report(acled_file(tmp_path / "afghanistan.csv", ACLED_2020_HEADERS, AFGHANISTAN_2020), preset="acled")
    assert [f for f in findings if f.severity == "error"] == []
    assert [(e.date, e.id) for e in report.events] == [(date(2020, 3, 21), "AFG48811"), (date(2020, 4, 2), "AFG48812")]
    assert report.events[0].location == "Nad-e-Ali, Helmand" and report.events[0].casualties_for("Total").killed == 3
    assert not by_code(findings, "import-two-digit-years")  # no two-digit year was read


def test_acled_approximate_dates_are_counted_in_a_note(tmp_path):
    """ACLED's time_precision 2 or 3 says its date for the event is approximate: the products
    print the day the file gives, and a note says how many events that is, from the first's cell."""
    rows = [AFGHANISTAN_2020[0], dict(AFGHANISTAN_2020[1], time_precision="2"), dict(AFGHANISTAN_2020[1], event_id_cnty="AFG48813", time_precision="3")]
    report, findings = load_report(acled_file(tmp_path / "approximate.csv", ACLED_2020_HEADERS, rows), preset="acled")
    assert [f for f in findings if f.severity == "error"] == [] and len(report.events) == 3
    (note,) = by_code(findings, "import-approximate-dates")
    assert note.severity == "note" and (note.cell, note.column, note.value) == (f"{letter(ACLED_2020_HEADERS, 'time_precision')}3", "time_precision", "2")
    assert note.message.startswith("2 event(s) have a date the ACLED file marks as approximate (time_precision 2 or 3), the first here") and note.hint
    _report, findings = load_report(acled_file(tmp_path / "exact.csv", ACLED_2020_HEADERS, AFGHANISTAN_2020), preset="acled")
    assert not by_code(findings, "import-approximate-dates")  # time_precision 1: the actual day


def test_acled_two_digit_years_are_read_and_said_how(tmp_path):
    path = acled_file(tmp_path / "middle-east.csv", ACLED_2020_HEADERS, MIDDLE_EAST_2020)
    report, findings = load_report(path, preset="acled")
    assert [f for f in findings if f.severity == "error"] == []
    assert [e.date for e in report.events] == [date(1997, 12, 28), date(2020, 5, 9)]
    (note,) = by_code(findings, "import-two-digit-years")
    column = letter(ACLED_2020_HEADERS, "event_date")
    assert note.severity == "note" and note.cell == f"{column}2" and note.column == "event_date" and note.value == "9-May-20"
    assert "2 date(s)" in note.message and "1997–2020" in note.message and "00–68 as 2000–2068 and 69–99 as 1969–1999" in note.message


def test_acled_date_failures_name_the_original_cell_and_say_why(tmp_path):
    rows = [dict(MIDDLE_EAST_2020[0], event_date="9-Mai-20"), dict(MIDDLE_EAST_2020[1], event_date="12/05/20")]
    errors = failure(acled_file(tmp_path / "bad.csv", ACLED_2020_HEADERS, rows), preset="acled")
    column = letter(ACLED_2020_HEADERS, "event_date")
    first, second = sorted((f for f in errors if f.code == "date-invalid"), key=lambda f: f.cell)
    assert (first.cell, first.column) == (f"{column}2", "event_date") and "'Mai' is May in" in first.message and "'%d-%b-%y' (such as 09-May-20)" in first.message
    assert (second.cell, second.column) == (f"{column}3", "event_date") and "two-digit year" in second.message


def test_acled_event_id_is_the_id_and_tells_look_alikes_apart(tmp_path):
    report, findings = load_report(SOMALIA, preset="acled")
    rows = read_rows(SOMALIA)
    header = rows[0]
    assert [e.id for e in report.events] == [r[header.index("event_id_cnty")] for r in rows[1:]]
    twins = [r for r in rows[1:] if r[header.index("location")] == "Balcad" and r[header.index("event_date")] == "2025-03-12"]
    assert len(twins) == 2 and twins[0][header.index("notes")] == twins[1][header.index("notes")]  # alike in all but their ACLED ids
    assert not by_code(findings, "event-duplicate")
    # without the ids they are likely duplicates, and the note names the notes cell of the file
    id_column = header.index("event_id_cnty")
    blanked = [header] + [r[:id_column] + [""] + r[id_column + 1:] for r in rows[1:]]
    _, findings = load_report(events_csv(blanked, tmp_path / "no-ids.csv"), preset="acled")
    (note,) = by_code(findings, "event-duplicate")
    second = 1 + next(i for i, r in enumerate(rows) if r is twins[1])
    assert (note.cell, note.column) == (f"{letter(header, 'notes')}{second}", "notes")
    # one id used twice is an error naming the event_id_cnty cell
    doubled = [header] + rows[1:] + [rows[1]]
    errors = failure(events_csv(doubled, tmp_path / "doubled.csv"), preset="acled")
    (error,) = [f for f in errors if f.code == "id-duplicate"]
    assert (error.cell, error.column) == (f"{letter(header, 'event_id_cnty')}{len(rows) + 1}", "event_id_cnty")


def test_acled_findings_name_the_original_columns(tmp_path):
    rows = [dict(AFGHANISTAN_2020[0], latitude="31,61", event_type="Battle"), dict(AFGHANISTAN_2020[1], longitude="")]
    path = acled_file(tmp_path / "afghanistan.csv", ACLED_2020_HEADERS, rows)
    errors = failure(path, preset="acled")
    (coordinate,) = [f for f in errors if f.code == "coordinate-not-number"]
    assert (coordinate.cell, coordinate.column) == (f"{letter(ACLED_2020_HEADERS, 'latitude')}2", "latitude")
    with pytest.raises(WorkbookError) as info:
        load_report(path, preset="acled")
    category = next(f for f in info.value.findings if f.code == "category-unknown")
    assert (category.cell, category.column) == (f"{letter(ACLED_2020_HEADERS, 'event_type')}2", "event_type")
    incomplete = next(f for f in info.value.findings if f.code == "coordinate-incomplete")
    assert (incomplete.cell, incomplete.column) == (f"{letter(ACLED_2020_HEADERS, 'latitude')}3", "latitude")


def test_an_acled_file_with_no_rows_says_there_is_nothing_to_publish(tmp_path):
    (error,) = failure(acled_file(tmp_path / "empty.csv", ACLED_HEADERS, []), preset="acled")
    assert error.code == "no-events" and "the ACLED file has no rows" in error.message


# --- date formats in mapping files -------------------------------------------------------------


def test_a_mapping_file_names_its_date_format(tmp_path):
    mapping = tmp_path / "dotted.toml"
    mapping.write_text('date_format = ["%d.%m.%y", "%Y%m%d"]\n[columns]\nDate = "Tag"\nCategory = "Art"\nDescription = "Text"\n', encoding="utf-8")
    rows = [["Tag", "Art", "Text"], ["09.05.20", "Rocket attack", "A."], ["20200511", "Rocket attack", "B."], ["2020-05-12", "Rocket attack", "C."]]
    report, findings = load_report(events_csv(rows, tmp_path / "dotted.csv"), mapping=mapping)
    assert [e.date for e in report.events] == [date(2020, 5, 9), date(2020, 5, 11), date(2020, 5, 12)]  # the usual forms still read
    (note,) = by_code(findings, "import-two-digit-years")
    assert note.cell == "A2" and note.column == "Tag" and "1 date(s)" in note.message


def test_a_date_format_that_cannot_give_a_day_is_a_mapping_problem(tmp_path):
    mapping = tmp_path / "bad.toml"
    mapping.write_text('date_format = ["%b-%y", "%Q", 3]\n[columns]\nDate = "When"\nCategory = "Type"\nDescription = "Text"\n', encoding="utf-8")
    with pytest.raises(MappingError) as info:
        load_mapping(path=mapping)
    found = {(f.key, f.message.split(" (")[0]) for f in info.value.findings}
    assert ("date_format.2", "Input should be a valid string") in found  # the 3
    assert {key for key, _message in found} == {"date_format", "date_format.2"} and all(f.hint for f in info.value.findings)
    mapping.write_text('date_format = ["%b-%y", "%Q"]\n[columns]\nDate = "When"\nCategory = "Type"\nDescription = "Text"\n', encoding="utf-8")
    with pytest.raises(MappingError) as info:
        load_mapping(path=mapping)
    messages = [f.message for f in info.value.findings if f.key == "date_format"]
    assert messages[0].startswith("'%b-%y' does not give the day, the month and the year") and messages[1].startswith("'%Q' is not a date format")
    assert all(f.hint.startswith("give a format that names a day, a month and a year") for f in info.value.findings)


# --- TimelineJS: a real-world sheet with spans to a year, an era and line breaks ------------------


def timelinejs_workbook(path: Path) -> Path:
    """A TimelineJS sheet as Google Sheets saves it to .xlsx: years typed as text, an era row,
    line breaks inside cells, a span from a day to a year and an event known to the year."""
    header = read_rows(TIMELINEJS)[0]
    book = Workbook()
    sheet = book.active
    sheet.title = "od1"
    sheet.append(header)

    def row(**cells) -> None:
        sheet.append([cells.get(h.replace(" ", "_")) for h in header])

    row(Headline="Independence", Text="A line\nand another line", Type="title")
    row(Year="1775", End_Year="1783", Headline="The war years", Type="era")
    row(Year="1776", Month="8", Day="2", End_Year="1776", Headline="Signing\nthe Declaration", Text='<p>Most delegates sign.\nOthers later.</p><a href="https://example.org/declaration">text</a>')
    row(Year="1776", Month="3", Day="25", End_Year="1776", End_Month="9", End_Day="25", Headline="A long siege", Text="Six months.")
    row(Year="1777", Headline="A year known only by its number", Text="Some time in 1777.")
    book.save(path)
    return path


def test_timelinejs_sheet_with_an_era_line_breaks_and_spans_to_a_year(tmp_path):
    from pdf_helpers import text_of
    from timeline_pdf.build import build

    path = timelinejs_workbook(tmp_path / "independence.xlsx")
    report, findings = load_report(path, preset="timelinejs")
    assert [f for f in findings if f.severity == "error"] == []
    (skipped,) = by_code(findings, "import-rows-skipped")
    assert (skipped.cell, skipped.column, skipped.value) == ("P3", "Type", "era")  # the era row's own Type cell
    signing = next(e for e in report.events if e.headline.startswith("Signing"))
    assert signing.headline == "Signing the Declaration" and signing.description == "Most delegates sign. Others later. text"
    assert (signing.date, signing.date_precision, signing.end_date, signing.end_date_precision) == (date(1776, 8, 2), "day", date(1776, 1, 1), "year")
    assert [s.url for s in signing.sources] == ["https://example.org/declaration"]
    assert report.info.title == "Independence" and report.info.subtitle == "A line and another line"
    built = build(path, ("timeline",), tmp_path / "out", Path(__file__).resolve().parent.parent / "layouts", preset="timelinejs").built
    text = text_of(built[0].path)
    assert "Aug 2, 1776 – 1776" in text and "Aug 2–1776" not in text  # begun on a day, ended some time in 1776
    assert "1777, month not known" in text and "Jan 1, 1777" not in text and "January 1, 1777" not in text
    assert "March 25, 1776 – 1777" in text  # the title's period: as far as it is known
