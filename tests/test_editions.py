"""Monthly editions: cutoffs, what's new, manifests that verify, batch builds and archives."""

from __future__ import annotations

import json
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from conftest import ROOT
from pdf_helpers import text_of
from timeline_pdf.build import build
from timeline_pdf.manifest import verify
from timeline_pdf.cli import cli
from timeline_pdf.edition import month_edition, parse_editions

EVENTS = pd.read_excel(ROOT / "inputs" / "escalation.xlsx", sheet_name="Events", engine="openpyxl")


def in_month(year: int, month: int) -> pd.DataFrame:
    dates = pd.to_datetime(EVENTS["Date"])
    return EVENTS[(dates.dt.year == year) & (dates.dt.month == month)]


def build_edition(label: str, **options):
    """Build one edition of the project in the current directory into output/."""
    return build(Path("inputs/escalation.xlsx"), ("timeline", "brief"), Path("output"), Path("layouts"), edition=month_edition(label), **options)


def test_three_editions_in_turn_mark_exactly_each_months_events_new(project):
    build_edition("2020-01")
    for year, month in ((2020, 2), (2020, 3)):
        result = build_edition(f"{year}-{month:02d}")
        timeline = next(b.path for b in result.built if b.layout == "timeline")
        text = text_of(timeline)
        added = in_month(year, month)
        assert text.count("NEW") == len(added)
        brief = text_of(next(b.path for b in result.built if b.layout == "brief"))
        assert f"New since the last edition: {len(added)} event(s)" in brief


def test_an_edition_leaves_out_later_events_and_names_itself(project):
    result = build_edition("2020-01")
    names = sorted(b.path.name for b in result.built)
    assert names == ["escalation-brief-2020-01.pdf", "escalation-timeline-2020-01.pdf"]
    text = text_of(next(b.path for b in result.built if b.layout == "timeline"))
    assert "US-Iran Escalation in Iraq: January 2020 Update" in text
    later = EVENTS[pd.to_datetime(EVENTS["Date"]) > "2020-01-31"]["Headline"]
    assert not any(headline in text for headline in later)
    assert "US kills Qassem Soleimani" in text


def test_an_edited_event_is_marked_updated(project):
    build_edition("2020-02")
    book = load_workbook("inputs/escalation.xlsx")
    sheet = book["Events"]
    headers = [c.value for c in sheet[1]]
    row = next(r for r in range(2, sheet.max_row + 1) if sheet.cell(r, headers.index("Headline") + 1).value == "Rockets hit Camp Taji")
    sheet.cell(row, headers.index("Description") + 1).value = "Rockets strike Camp Taji; two Iraqi soldiers are later reported wounded."
    book.save("inputs/escalation.xlsx")
    result = build_edition("2020-03")
    text = text_of(next(b.path for b in result.built if b.layout == "timeline"))
    assert text.count("UPDATED") == 1
    assert text.count("NEW") == len(in_month(2020, 3))


def test_manifest_records_inputs_events_and_outputs_and_verifies(project):
    build_edition("2020-02")
    result = build_edition("2020-03")
    manifest = json.loads(result.manifest.read_text())
    assert manifest["edition"] == "2020-03" and manifest["settings"]["since"] == "escalation-2020-02.manifest.json"
    assert len(manifest["events"]) == len(EVENTS)
    assert set(manifest["outputs"]) == {b.path.name for b in result.built}
    assert verify(result.manifest) == []
    pdf = result.built[0].path
    pdf.write_bytes(pdf.read_bytes().replace(b"/Producer", b"/Producxr"))
    (problem,) = verify(result.manifest)
    assert (problem.code, problem.key, problem.message) == ("verify-output-differs", f"outputs.{pdf.name}", f"{pdf.name}: the file beside the manifest differs from the manifest's")


def test_source_date_epoch_is_recorded_and_verify_rebuilds_with_it(project, monkeypatch):
    """SOURCE_DATE_EPOCH sets the PDFs' own date: the manifest records it, so verify (run
    without it) rebuilds the same bytes."""
    import pikepdf

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1600000000")
    result = build_edition("2020-03")
    assert json.loads(result.manifest.read_text())["settings"]["source_date_epoch"] == "1600000000"
    with pikepdf.open(result.built[0].path) as pdf:
        assert str(pdf.docinfo.CreationDate).startswith("D:20200913")  # 1,600,000,000 s after 1970
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    assert verify(result.manifest) == []


def test_verify_notices_a_changed_workbook(project):
    result = build_edition("2020-03")
    summary = project / "inputs" / "escalation.md"
    summary.write_text(summary.read_text() + "\nA late addition.\n")
    (problem,) = verify(result.manifest)
    assert (problem.severity, problem.code, problem.message) == ("error", "verify-input-changed", "../inputs/escalation.md has changed since the manifest was written")
    assert problem.hint and problem.file == str(result.manifest)


def test_verify_from_another_folder_and_what_it_says_when_files_are_gone(project, monkeypatch):
    """Paths in the manifest are relative to it: the unchanged edition verifies from anywhere."""
    result = build_edition("2020-03")
    manifest = json.loads(result.manifest.read_text())
    assert manifest["inputs"].keys() == {"../inputs/escalation.xlsx", "../inputs/escalation.md"}
    assert manifest["settings"]["workbook"] == "../inputs/escalation.xlsx" and manifest["settings"]["layouts"] == ["../layouts/timeline.toml", "../layouts/brief.toml"]
    assert {"../layouts/base.toml", "../layouts/timeline.toml", "../layouts/brief.toml"} == set(manifest["layouts"])
    assert {"python", "timeline-pdf", "reportlab", "matplotlib", "svglib", "fonts"} <= set(manifest["versions"]) and "NotoSerif-Regular.ttf" in manifest["versions"]["fonts"]
    elsewhere = project / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    absolute = project / "output" / "escalation-2020-03.manifest.json"
    assert verify(absolute) == []
    verified = CliRunner().invoke(cli, ["verify", str(absolute)])
    assert verified.exit_code == 0 and "verified" in verified.output
    (project / "layouts" / "base.toml").rename(project / "layouts" / "moved.toml")
    (project / "output" / "escalation-brief-2020-03.pdf").unlink()
    (problem,) = verify(absolute)  # inputs are checked first: nothing is rebuilt from a changed project
    assert (problem.code, problem.message, problem.key) == ("verify-input-missing", "../layouts/base.toml is missing", "../layouts/base.toml")
    (project / "layouts" / "moved.toml").rename(project / "layouts" / "base.toml")
    (problem,) = verify(absolute)
    assert (problem.code, problem.message) == ("verify-output-missing", "escalation-brief-2020-03.pdf is missing beside the manifest")
    document = json.loads(CliRunner().invoke(cli, ["verify", "--format", "json", str(absolute)]).stdout)
    assert document["ok"] is False and document["findings"][0]["code"] == "verify-output-missing" and document["findings"][0]["hint"]


def test_a_rebuild_that_differs_says_which_versions_changed(project):
    result = build_edition("2020-03")
    manifest = json.loads(result.manifest.read_text())
    for name in manifest["outputs"]:  # as if built by another ReportLab: its recorded bytes differ
        manifest["outputs"][name]["sha256"] = "0" * 64
    manifest["versions"]["reportlab"] = "3.0.0"
    result.manifest.write_text(json.dumps(manifest), encoding="utf-8")
    found = verify(result.manifest)
    assert {f.code for f in found} == {"verify-output-differs", "verify-version-changed"}
    (note,) = [f for f in found if f.code == "verify-version-changed"]
    assert note.severity == "note" and note.key == "versions.reportlab" and "the manifest was built with 3.0.0" in note.message


def test_archive_is_reproducible(project):
    first = build_edition("2020-03", archive=True).archive.read_bytes()
    second = build_edition("2020-03", archive=True).archive.read_bytes()
    assert first == second
    with zipfile.ZipFile(build_edition("2020-03", archive=True).archive) as archive:
        assert sorted(archive.namelist()) == ["escalation-2020-03.manifest.json", "escalation-brief-2020-03.pdf", "escalation-timeline-2020-03.pdf"]


def test_edition_ranges_and_bad_editions():
    assert [e.label for e in parse_editions("2019-11..2020-02")] == ["2019-11", "2019-12", "2020-01", "2020-02"]
    assert month_edition("2020-02").through == date(2020, 2, 29)
    from timeline_pdf.errors import TimelinePdfError

    for bad in ("2020-13", "March", "2020-03..2020-01"):
        with pytest.raises(TimelinePdfError):
            parse_editions(bad)


def test_cli_builds_a_range_of_editions(project):
    result = CliRunner().invoke(cli, ["build", "--edition", "2020-01..2020-03"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (project / "output").glob("*.manifest.json")) == [f"escalation-2020-0{m}.manifest.json" for m in (1, 2, 3)]
    verified = CliRunner().invoke(cli, ["verify", "output/escalation-2020-03.manifest.json"])
    assert verified.exit_code == 0 and "verified" in verified.output


def test_all_builds_in_parallel_and_one_failure_spares_the_others(project):
    (project / "layouts" / "bad.png").write_bytes(b"not a png")
    (project / "layouts" / "broken.toml").write_text('extends = "base.toml"\nproduct = "brief"\noutput = "{stem}-broken-brief.pdf"\n[logo]\nfile = "bad.png"\n')
    result = CliRunner().invoke(cli, ["build", "--all"])
    assert result.exit_code == 1
    assert "FAILED" in result.output and "bad.png" in result.output
    written = sorted(p.name for p in (project / "output").glob("*.pdf"))
    assert written == ["escalation-brief.pdf", "escalation-timeline-a4-landscape.pdf", "escalation-timeline.pdf"]
    assert "product" in result.output and "pages" in result.output  # the summary table
