"""Shared fixtures: the sample products are built once per test session."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_WORKBOOK = ROOT / "inputs" / "escalation.xlsx"
LAYOUTS = ROOT / "layouts"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-baselines", action="store_true", help="Rewrite the reference page images in tests/baseline/.")


@pytest.fixture(scope="session")
def sample_products(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Build the sample products into a temporary folder; {layout name: pdf path} of the PDFs
    (the publication page built with them is tests/test_page.py's)."""
    from timeline_pdf.build import build

    out = tmp_path_factory.mktemp("sample-output")
    built = build(SAMPLE_WORKBOOK, (), out, LAYOUTS).built
    return {item.layout: item.path for item in built if item.path.suffix == ".pdf"}


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A project folder with the sample inputs and layouts as the current directory."""
    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    shutil.copytree(LAYOUTS, tmp_path / "layouts")
    monkeypatch.chdir(tmp_path)
    return tmp_path
