"""The README documents every finding, option, preset and limit that the code has."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from timeline_pdf.errors import FINDING_CODES
from timeline_pdf.limits import DEFAULT_MAX_UNPACKED_MB, ENVIRONMENT_VARIABLE
from timeline_pdf.presets import parse_mapping

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src" / "timeline_pdf"
README = (ROOT / "README.md").read_text(encoding="utf-8")
EMITTED = [
    r'code="([a-z0-9-]+)"',  # Findings.add(..., code="...")
    r'DateProblem\(\s*"([a-z0-9-]+)"',
    r'return \("([a-z0-9-]+)"',  # (code, message, hint) from casualty and link checks
    r'_refuse\(path, "([a-z0-9-]+)"',
    r'(?:self|reader)\.error\([^\n]*, "([a-z0-9-]+)"\)',
    r'code: str = "([a-z0-9-]+)"',  # layout_problem's default
    r'^    code = "([a-z0-9-]+)"',  # TimelinePdfError's
    r'_problem\(manifest_path, "([a-z0-9-]+)"',  # verify
]


def emitted_codes() -> set[str]:
    codes = set()
    for module in ("workbook.py", "validate.py", "dates.py", "presets.py", "selection.py", "summary.py", "mapping.py", "errors.py", "fallbacks.py", "build.py", "manifest.py"):
        text = (SOURCE / module).read_text(encoding="utf-8")
        for pattern in EMITTED:
            codes.update(re.findall(pattern, text, re.MULTILINE))
    return codes


def test_every_code_the_checks_emit_is_catalogued():
    codes = emitted_codes()
    assert len(codes) > 40
    assert codes <= set(FINDING_CODES), sorted(codes - set(FINDING_CODES))
    assert set(FINDING_CODES) <= codes, sorted(set(FINDING_CODES) - codes)  # nothing stale


def test_every_code_is_in_the_readme_table():
    for code, meaning in FINDING_CODES.items():
        severity = meaning.split(":")[0]
        assert severity in ("error", "warning", "note")
        assert f"| `{code}` | {severity}:" in README, code


def test_readme_documents_options_and_the_limit():
    for text in ("--strict", "--format json", "--preset", "--mapping", "timeline-pdf init", ENVIRONMENT_VARIABLE, f"| `{DEFAULT_MAX_UNPACKED_MB}` |", "Date Order"):
        assert text in README, text


def test_readme_mapping_example_is_a_valid_mapping():
    (block,) = [b for b in re.findall(r"```toml\n(.*?)```", README, re.DOTALL) if "[columns" in b or "columns." in b]
    mapping = parse_mapping(tomllib.loads(block), "README")
    assert mapping.name == "UCDP GED" and "Side A Killed" in mapping.columns
