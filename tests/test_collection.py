"""Rendering leaves no process-wide state changed and no document behind: the collector's
thresholds come back however a render ends, and a finished document is freed at once, without
waiting for the cyclic garbage collector."""

from __future__ import annotations

import gc
import threading

import pytest
from reportlab.pdfbase.pdfdoc import PDFDocument

from conftest import LAYOUTS, SAMPLE_WORKBOOK
from timeline_pdf.build import load_layouts, render
from timeline_pdf.collection import RENDER_THRESHOLD, fewer_collections
from timeline_pdf.render.tagging import Tagger
from timeline_pdf.validate import load_report


@pytest.fixture
def thresholds():
    saved = gc.get_threshold()
    yield saved
    gc.set_threshold(*saved)


def test_thresholds_are_raised_while_rendering_and_come_back(thresholds):
    with fewer_collections():
        assert gc.get_threshold() == (max(thresholds[0], RENDER_THRESHOLD), *thresholds[1:])
        with fewer_collections():  # nested: the outer one puts them back
            pass
        assert gc.get_threshold()[0] == max(thresholds[0], RENDER_THRESHOLD)
    assert gc.get_threshold() == thresholds
    with pytest.raises(ZeroDivisionError), fewer_collections():
        1 / 0  # noqa: B018
    assert gc.get_threshold() == thresholds


def test_threads_rendering_at_once_put_the_thresholds_back_once_all_end(thresholds):
    inside, release = threading.Barrier(3), threading.Event()

    def work() -> None:
        with fewer_collections():
            inside.wait()
            release.wait()

    workers = [threading.Thread(target=work) for _ in range(2)]
    for worker in workers:
        worker.start()
    inside.wait()
    assert gc.get_threshold()[0] == max(thresholds[0], RENDER_THRESHOLD)
    release.set()
    for worker in workers:
        worker.join()
    assert gc.get_threshold() == thresholds


def test_collection_turned_off_stays_off(thresholds):
    gc.set_threshold(0)
    with fewer_collections():
        assert gc.get_threshold()[0] == 0
    assert gc.get_threshold()[0] == 0


def _alive(kind: type) -> int:
    return sum(1 for obj in gc.get_objects() if isinstance(obj, kind))


def test_a_rendered_document_is_freed_without_the_cyclic_collector(thresholds):
    layouts = load_layouts(["timeline", "brief"], LAYOUTS)
    report, _ = load_report(SAMPLE_WORKBOOK)
    for layout in layouts:
        render(report, layout)  # fonts, charts and caches made once
    gc.collect()
    before = (_alive(PDFDocument), _alive(Tagger))
    enabled = gc.isenabled()
    gc.disable()
    try:
        for layout in layouts:
            assert render(report, layout).pages > 0
        assert (_alive(PDFDocument), _alive(Tagger)) == before
    finally:
        if enabled:
            gc.enable()
    assert gc.get_threshold() == thresholds
