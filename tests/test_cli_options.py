"""--strict, --format json, --preset and --mapping on `validate` and `build`, as users meet them."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from timeline_pdf.cli import PRESET_NAMES, cli
from timeline_pdf.presets import preset_names
from xlsx_helpers import write_workbook

DATA = Path(__file__).resolve().parent / "data"


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def warned_workbook(folder: Path) -> Path:
    """A workbook that is valid but has one warning (an unknown column)."""
    rows = [{"Date": date(2020, 3, 11), "Category": "Rocket attack", "Description": "Rockets strike Camp Taji.", "Notes": "check"}]
    path = write_workbook(folder / "warned.xlsx", rows, headers=["Date", "Category", "Description", "Notes"])
    path.with_suffix(".md").write_text("Summary.", encoding="utf-8")
    return path


def broken_workbook(folder: Path) -> Path:
    rows = [{"Date": "11/03/2020", "Category": "Rocket attack", "Description": "x", "US Killed": "5+"}]
    return write_workbook(folder / "broken.xlsx", rows, headers=["Date", "Category", "Description", "US Killed"])


def test_preset_choices_match_the_presets():
    assert list(PRESET_NAMES) == preset_names()


@pytest.mark.parametrize("command", [["init"], ["build"], ["validate"]])
def test_help_lists_the_options(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    if command != ["init"]:
        for option in ("--strict", "--format", "--preset", "--mapping"):
            assert option in result.output


def test_validate_json_lists_every_finding(project):
    path = broken_workbook(project)
    result = run("validate", "--format", "json", str(path))
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["ok"] is False and document["errors"] == 2
    codes = {f["code"]: f for f in document["findings"]}
    assert codes["date-ambiguous"]["ref"] == "Events!A2" and codes["date-ambiguous"]["column"] == "Date"
    assert codes["casualty-lower-bound"]["value"] == "5+" and codes["casualty-lower-bound"]["hint"]
    assert all(f["file"] == str(path) for f in document["findings"])


def test_validate_json_on_a_good_workbook(project):
    result = run("validate", "--format", "json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document == {**document, "ok": True, "events": 29, "excluded": 0, "errors": 0, "warnings": 0, "findings": []}


def test_text_output_names_cell_column_value_and_fix(project):
    result = run("validate", str(broken_workbook(project)))
    assert result.exit_code == 1
    assert "broken.xlsx: Events!A2: error: '11/03/2020' is ambiguous" in result.output
    assert "(column 'Date', value '11/03/2020')" in result.output
    assert "fix: enter it as YYYY-MM-DD" in result.output
    assert "2 error(s) in the workbook." in result.output
    assert "nothing was built" not in result.output  # validate never builds
    built = run("build", str(broken_workbook(project)))
    assert built.exit_code == 1 and "2 error(s) in the workbook; nothing was built." in built.output


def test_strict_fails_on_warnings_and_writes_nothing(project):
    path = warned_workbook(project)
    relaxed = run("validate", str(path))
    assert relaxed.exit_code == 0 and "1 warning(s)" in relaxed.output
    strict = run("validate", "--strict", str(path))
    assert strict.exit_code == 1 and "--strict" in strict.output and "unknown column 'Notes'" in strict.output
    build = run("build", "--strict", str(path), "--out", "strict-out")
    assert build.exit_code == 1 and not (project / "strict-out").exists()
    built = run("build", str(path), "--out", "relaxed-out", "--layout", "timeline")
    assert built.exit_code == 0 and (project / "relaxed-out" / "warned-timeline.pdf").is_file()


def test_build_json_reports_the_files_written(project):
    result = run("build", "--format", "json", "--layout", "timeline", "--out", "json-out")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    (written,) = document["written"]
    path = Path(written["path"])
    assert written["layout"] == "timeline" and written["pages"] == len(PdfReader(path).pages) and written["bytes"] == path.stat().st_size


def test_build_json_on_a_broken_workbook(project):
    result = run("build", "--format", "json", str(broken_workbook(project)), "--out", "never")
    assert result.exit_code == 1
    assert json.loads(result.stdout)["errors"] == 2 and not (project / "never").exists()


def test_json_for_a_hostile_file(project):
    path = project / "inputs" / "bomb.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    result = run("validate", "--format", "json", str(path))
    assert result.exit_code == 1
    (finding,) = json.loads(result.stdout)["findings"]
    assert finding["code"] == "truncated" and finding["hint"]


def test_long_lists_of_one_kind_are_cut_in_text_but_not_in_json(project):
    rows = [{"Date": "someday", "Category": "Rocket attack", "Description": f"event {i}"} for i in range(25)]
    path = write_workbook(project / "many.xlsx", rows, headers=["Date", "Category", "Description"])
    text = run("validate", str(path))
    assert text.output.count("is not a date") == 20 and "... and 5 more finding(s) like 'date-invalid'" in text.output
    document = json.loads(run("validate", "--format", "json", str(path)).stdout)
    assert document["errors"] == 25


def test_bad_mapping_file_is_a_clear_error(project):
    mapping = project / "mine.toml"
    mapping.write_text("[columns]\nDate = \"when\"\nWhen = \"x\"\n", encoding="utf-8")
    result = run("validate", "--mapping", str(mapping), "inputs/escalation.xlsx")
    assert result.exit_code == 1 and "mine.toml: columns.When: error: 'When' is not a column of the workbook" in result.output
    document = json.loads(run("validate", "--format", "json", "--mapping", str(mapping)).stdout)
    assert {f["key"] for f in document["findings"]} >= {"columns.When", "columns"}
    assert all(f["hint"] and f["code"] == "mapping" and f["file"] == str(mapping) for f in document["findings"])
    both = run("validate", "--mapping", str(mapping), "--preset", "ucdp")
    assert both.exit_code == 1 and "not both" in both.output


def test_unknown_preset_is_a_usage_error(project):
    result = run("validate", "--preset", "gdelt")
    assert result.exit_code == 2 and "acled" in result.output


def test_build_ucdp_preset_writes_both_products_with_unicode_place_names(project):
    with (DATA / "ucdp_ged_iraq_extract.csv").open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    header = rows[0]
    year, adm_1 = header.index("year"), header.index("adm_1")
    chosen = [r for r in rows[2:] if r[year] == "2005" and "Şalāḩ ad Dīn" in r[adm_1]][:12]
    assert len(chosen) >= 5
    path = project / "inputs" / "ucdp.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([header, rows[1], *chosen])
    result = run("build", "--preset", "ucdp", str(path), "--out", "ucdp-out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (project / "ucdp-out").glob("*.pdf")) == ["ucdp-brief.pdf", "ucdp-timeline-a4-landscape.pdf", "ucdp-timeline.pdf"]
    text = "\n".join(page.extract_text() for page in PdfReader(project / "ucdp-out" / "ucdp-timeline.pdf").pages)
    assert "Şalāḩ ad Dīn province" in " ".join(text.split())
    assert "Side A" in text and "State-based conflict".upper() in text.upper()


def test_rows_with_include_no_never_reach_a_pdf(project):
    rows = [
        {"Date": date(2020, 3, 11), "Category": "Rocket attack", "Description": "Published entry about Camp Taji.", "Include": "yes"},
        {"Date": date(2020, 3, 12), "Category": "Rocket attack", "Description": "Unverified draft about Balad.", "Headline": "Draft headline", "Include": "no"},
    ]
    path = write_workbook(project / "inputs" / "drafts.xlsx", rows, headers=["Date", "Category", "Headline", "Description", "Include"])
    result = run("build", str(path), "--out", "drafts-out")
    assert result.exit_code == 0, result.output
    pdfs = sorted((project / "drafts-out").glob("*.pdf"))
    assert len(pdfs) == 3  # every product layout
    for pdf in pdfs:
        text = " ".join(" ".join(page.extract_text() for page in PdfReader(pdf).pages).split())
        assert "Balad" not in text and "Draft headline" not in text, pdf.name
    timeline = " ".join(" ".join(p.extract_text() for p in PdfReader(project / "drafts-out" / "drafts-timeline.pdf").pages).split())
    assert "Published entry about Camp Taji." in timeline
