"""The command line as users meet it: exit codes, messages, no tracebacks, nothing lost."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from click.testing import CliRunner

from timeline_pdf import __version__
from timeline_pdf.cli import cli


def run(*args: str, cwd=None):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output


@pytest.mark.parametrize("command", [[], ["build"], ["validate"]])
def test_every_command_has_help(command):
    result = run(*command, "--help")
    assert result.exit_code == 0 and "Usage:" in result.output


def test_build_with_defaults_writes_every_product(project):
    result = run("build")
    assert result.exit_code == 0, result.output
    written = sorted(p.name for p in (project / "output").glob("*.pdf"))
    assert written == ["escalation-brief.pdf", "escalation-timeline-a4-landscape.pdf", "escalation-timeline.pdf"]
    assert "wrote output/escalation-timeline.pdf" in result.output


def test_build_one_layout_into_another_folder(project):
    result = run("build", "inputs/escalation.xlsx", "--layout", "brief", "--out", "elsewhere")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (project / "elsewhere").iterdir()) == ["escalation-brief.pdf", "escalation.manifest.json"]


def test_usage_error_exits_2(project):
    assert run("build", "--no-such-option").exit_code == 2


def test_unknown_layout_is_a_clear_error(project):
    result = run("build", "--layout", "breif")
    assert result.exit_code == 1
    assert "did you mean 'brief'" in result.output
    assert "Traceback" not in result.output


def test_missing_workbook_is_a_clear_error(project):
    result = run("validate", "inputs/nope.xlsx")
    assert result.exit_code == 1
    assert "workbook not found" in result.output and "Traceback" not in result.output


def test_bad_workbook_fails_and_keeps_the_previous_pdf(project):
    assert run("build").exit_code == 0
    good = (project / "output" / "escalation-timeline.pdf").read_bytes()
    (project / "inputs" / "escalation.xlsx").write_bytes(b"not a zip file")
    result = run("build")
    assert result.exit_code == 1
    assert "not an Excel workbook" in result.output
    assert (project / "output" / "escalation-timeline.pdf").read_bytes() == good
    assert [p.name for p in (project / "output").iterdir() if p.name.startswith(".")] == []


def test_layout_error_names_file_and_key(project):
    (project / "layouts" / "brief.toml").write_text('extends = "base.toml"\nproduct = "brief"\n[page.margins]\nlefft = "1in"\n')
    result = run("build")
    assert result.exit_code == 1
    assert "brief.toml: page.margins.lefft: error: unknown key 'lefft'\n    fix: did you mean 'left'?" in result.output


def test_validate_reports_findings_and_writes_nothing(project):
    result = run("validate")
    assert result.exit_code == 0, result.output
    assert "29 events" in result.output
    assert not (project / "output").exists()


def test_python_dash_m_entry_point():
    completed = subprocess.run([sys.executable, "-m", "timeline_pdf", "--version"], capture_output=True, text=True, env={**os.environ})
    assert completed.returncode == 0 and __version__ in completed.stdout


def test_preview_renders_pages_and_a_contact_sheet(project):
    assert run("build", "--layout", "timeline").exit_code == 0
    result = run("preview", "output/escalation-timeline.pdf", "--pages", "1,3-4", "--out", "previews", "--dpi", "40")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (project / "previews").iterdir())
    assert names == ["escalation-timeline-page1.png", "escalation-timeline-page3.png", "escalation-timeline-page4.png", "escalation-timeline-sheet.png"]


def test_preview_of_a_workbook_builds_first(project):
    result = run("preview", "--layout", "brief", "--pages", "1", "--out", "previews")
    assert result.exit_code == 0, result.output
    assert (project / "previews" / "escalation-brief-page1.png").exists()


def test_preview_rejects_pages_outside_the_document(project):
    assert run("build", "--layout", "timeline").exit_code == 0
    result = run("preview", "output/escalation-timeline.pdf", "--pages", "99")
    assert result.exit_code == 1 and "outside" in result.output
