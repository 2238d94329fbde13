"""What a build leaves of the process as it found it, and the private parts of other libraries
we rely on: if an upgrade changes one of them, a test here says which."""

from __future__ import annotations

import csv
import gc
import os
from pathlib import Path

import pytest

from conftest import LAYOUTS, SAMPLE_WORKBOOK


def test_reading_a_csv_puts_the_field_size_limit_back(tmp_path):
    from timeline_pdf.validate import load_report

    from timeline_pdf.errors import WorkbookError

    path = tmp_path / "events.csv"
    path.write_text("Date,Category,Description\n2020-03-11,Rocket attack," + "x" * 200_000 + "\n", encoding="utf-8")
    before = csv.field_size_limit()
    with pytest.raises(WorkbookError) as info:
        load_report(path)
    assert [f.code for f in info.value.findings if f.severity == "error"] == ["cell-too-long"]  # our cell limit, not the csv module's
    assert csv.field_size_limit() == before


def test_the_plain_text_paragraph_cache_lets_styles_go():
    from reportlab.lib.styles import ParagraphStyle

    from timeline_pdf.render import textpara

    style = ParagraphStyle("passing")
    textpara.TextParagraph("plain text", style)
    assert style in textpara._fragments
    del style
    gc.collect()
    assert not any(s.name == "passing" for s in textpara._fragments.keys())


def test_an_error_drawing_a_chart_in_the_worker_process_is_raised(monkeypatch):
    """The brief's charts are drawn in two processes; an error in the other one is not lost."""
    from timeline_pdf.charts import cache
    from timeline_pdf.fonts import document_fonts
    from timeline_pdf.layout import load_layout
    from timeline_pdf.validate import load_report

    if not cache._can_fork():
        pytest.skip("charts are drawn in one process here")
    report, _ = load_report(SAMPLE_WORKBOOK)
    layout = load_layout(LAYOUTS / "brief.toml")
    fonts = document_fonts(layout)
    real = cache._draw
    parent = os.getpid()

    def draw(kind, *args):
        # cache._share keeps frequency and locations in this process and gives casualties to the
        # worker: the error is raised in whichever process is not this one
        if os.getpid() != parent:
            raise RuntimeError(f"drawing {kind} failed in the worker")
        return real(kind, *args)

    cache.clear()
    monkeypatch.setattr(cache, "_draw", draw)
    with pytest.raises(RuntimeError, match="drawing casualties failed in the worker"):
        cache.prepare(report, layout, fonts, [("frequency", 400, 150), ("casualties", 400, 150), ("locations", 200, 150)])
    cache.clear()


# --- private parts of other libraries: pinned below their next major version in pyproject.toml ---


def test_openpyxl_keeps_the_stored_cells_of_a_sheet_in_cells(tmp_path):
    """workbook.py reads ``Worksheet._cells`` (only the cells stored in the file: a stray cell at
    XFD1048576 would make iter_rows build billions)."""
    from openpyxl import Workbook, load_workbook

    book = Workbook()
    book.active["B2"] = "x"
    book.active["XFD1048576"] = "far"
    book.save(tmp_path / "sparse.xlsx")
    sheet = load_workbook(tmp_path / "sparse.xlsx").active
    assert isinstance(sheet._cells, dict) and sorted(sheet._cells) == [(2, 2), (1048576, 16384)]
    assert sheet._cells[(2, 2)].value == "x"


def test_reportlab_canvas_and_frame_keep_what_the_page_furniture_uses():
    """render/page.py keeps each page's operators (``Canvas._code``) to draw 'Page x of y' at
    the end and restarts pages with ``_startPage``; render/footnotes.py shrinks a frame by
    moving its bottom (``Frame._y1``, ``_y1p``, ``_bottomPadding``)."""
    from io import BytesIO

    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Frame

    canvas = Canvas(BytesIO())
    canvas.drawString(10, 10, "x")
    assert isinstance(canvas._code, list) and any("Tj" in op for op in canvas._code)
    assert callable(canvas._startPage) and canvas._pageNumber == 1
    frame = Frame(0, 50, 100, 100, bottomPadding=6)
    assert (frame._y1, frame._bottomPadding, frame._y1p) == (50, 6, 56)


def test_matplotlib_renderers_keep_a_text_to_path_helper():
    """charts/drawing.py measures text with ``RendererBase._text2path``."""
    from matplotlib.backend_bases import RendererBase
    from matplotlib.font_manager import FontProperties

    width, height, descent = RendererBase()._text2path.get_text_width_height_descent("Taji", FontProperties(size=10), ismath=False)
    assert width > 0 and height > 0 and descent >= 0


def test_the_upper_bounds_cover_the_installed_versions():
    import re
    import tomllib
    from importlib.metadata import version

    pyproject = tomllib.loads((Path(__file__).resolve().parent.parent / "pyproject.toml").read_text(encoding="utf-8"))
    bounded = dict(m.groups() for m in (re.fullmatch(r"([a-z-]+)>=[\d.]+,<([\d.]+)", d) for d in pyproject["project"]["dependencies"]) if m)
    assert set(bounded) == {"openpyxl", "reportlab", "matplotlib"}

    def numbers(text: str) -> tuple[int, ...]:
        return tuple(int(part) for part in re.findall(r"\d+", text)[:3])

    for name, below in bounded.items():
        assert numbers(version(name)) < numbers(below), (name, version(name), below)
