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


@pytest.fixture(autouse=True, scope="session")
def read_both_ways():
    """Every workbook a test reads through python-calamine is read by openpyxl too, and must
    give the same cells, types and findings (tests/readers.py)."""
    from readers import assert_read_alike

    from timeline_pdf import workbook

    fast = workbook._read_values

    def checked(path, limits, notes):  # noqa: ANN001, ANN202
        read = fast(path, limits, notes)
        if read is not None:
            assert_read_alike(path, read, limits)
        return read

    workbook._read_values = checked
    yield
    workbook._read_values = fast


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
