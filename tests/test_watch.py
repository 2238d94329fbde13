"""Watch mode: rebuilds on change, reuses what did not change, never loses a good PDF."""

from __future__ import annotations

import shutil
import threading
import time

import pytest
from pypdf import PdfReader

from conftest import LAYOUTS, ROOT
from timeline_pdf.errors import LayoutError
from timeline_pdf.watch import Rebuild, WatchSession, watch


@pytest.fixture
def session(tmp_path):
    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    shutil.copytree(LAYOUTS, tmp_path / "layouts")
    return WatchSession(tmp_path / "inputs" / "escalation.xlsx", ("timeline",), tmp_path / "output", tmp_path / "layouts")


def test_a_layout_edit_reuses_the_loaded_workbook(session):
    first = session.rebuild()
    assert not first.reused_workbook and first.built[0].path.exists()
    layout = session.layouts_folder / "base.toml"
    layout.write_text(layout.read_text().replace('size = "Letter"', 'size = "A4"'))
    second = session.rebuild()
    assert second.reused_workbook
    page = PdfReader(second.built[0].path).pages[0].mediabox
    assert (round(float(page.width)), round(float(page.height))) == (595, 842)  # the edit reached the PDF: A4, not Letter


def test_a_workbook_edit_reloads_it(session):
    session.rebuild()
    summary = session.summary_path()
    summary.write_text(summary.read_text() + "\nOne more sentence.\n")
    assert not session.rebuild().reused_workbook


def test_a_broken_layout_keeps_the_last_good_pdf(session):
    good = session.rebuild().built[0].path
    before = good.read_bytes()
    (session.layouts_folder / "timeline.toml").write_text("product = 'timeline'\n[page\n")
    with pytest.raises(LayoutError):
        session.rebuild()
    assert good.read_bytes() == before


def test_the_watch_loop_rebuilds_after_a_change(session):
    reports: list = []
    done = threading.Event()

    def record(outcome):
        reports.append(outcome)
        if len(reports) >= 2:
            done.set()

    thread = threading.Thread(target=watch, args=(session, record, done.is_set), daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not reports and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)  # let the watcher start
    layout = session.layouts_folder / "timeline.toml"
    layout.write_text(layout.read_text() + "\n# edited\n")
    done.wait(timeout=20)
    thread.join(timeout=5)
    assert len(reports) >= 2
    assert all(isinstance(r, Rebuild) for r in reports)
    assert reports[1].reused_workbook
