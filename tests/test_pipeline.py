"""One pipeline: build, build --all and watch make the same files from the same inputs."""

from __future__ import annotations

import csv
import shutil
import signal
from pathlib import Path

import pytest
from click.testing import CliRunner

from timeline_pdf.build import build, build_all
from timeline_pdf.cli import cli
from timeline_pdf.errors import Interrupted, WorkbookError
from timeline_pdf.watch import WatchSession, watch

WORKBOOK = Path("inputs/escalation.xlsx")
DATA = Path(__file__).resolve().parent / "data"


def files(folder: str | Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(Path(folder).iterdir())}


def three_ways(workbook: Path = WORKBOOK, layouts: tuple[str, ...] = (), **options):
    """The same inputs built by build, build --all and a watch session, each into its own folder."""
    one = build(workbook, layouts, Path("one"), Path("layouts"), **options)
    every = build_all(workbook, Path("all"), Path("layouts"), layout_names=layouts, **options)
    from timeline_pdf.build import Options

    watched = WatchSession(workbook, layouts, Path("watched"), Path("layouts"), Options(**options)).rebuild()
    return one, every, watched


def test_build_all_and_watch_write_the_same_files_byte_for_byte(project):
    # a name from the title (watch used to name it from the workbook), and a brief that must leave
    # content out to fit one page (watch used to drop that note)
    (project / "layouts" / "slugged.toml").write_text('extends = "brief.toml"\noutput = "{slug}-{layout}.pdf"\n[brief]\nmax_pages = 1\n', encoding="utf-8")
    one, every, watched = three_ways()
    assert every.failed == []
    assert files("one") == files("all") == files("watched")
    assert sorted(files("one")) == ["escalation-brief-thumbnail.png", "escalation-brief.pdf", "escalation-events.csv", "escalation-page.html",
                                    "escalation-timeline-a4-landscape-thumbnail.png", "escalation-timeline-a4-landscape.pdf", "escalation-timeline-thumbnail.png",
                                    "escalation-timeline.pdf", "escalation.manifest.json", "us-iran-escalation-in-iraq-slugged-thumbnail.png", "us-iran-escalation-in-iraq-slugged.pdf"]
    assert b'href="us-iran-escalation-in-iraq-slugged.pdf"' in files("one")["escalation-page.html"]  # the page carries every PDF of the build
    assert one.findings == every.findings == watched.findings
    left_out = [f for f in one.findings if f.code == "content-left-out"]
    assert len(left_out) == 1 and left_out[0].file.endswith("slugged.toml") and "left out" in left_out[0].message


def test_a_brief_that_leaves_content_out_under_strict_is_named_in_its_layout(project):
    """With --strict, content left out of the brief stops the build, and the message points at
    the layout key that sets the budget (not at the workbook); the workbook's own notes come too,
    once."""
    (project / "layouts" / "tight.toml").write_text('extends = "brief.toml"\noutput = "{stem}-{layout}.pdf"\n[brief]\nmax_pages = 1\n', encoding="utf-8")
    with pytest.raises(WorkbookError) as info:
        build(Path("inputs/escalation.xlsx"), ("tight",), Path("out"), Path("layouts"), strict=True)
    (left_out,) = [f for f in info.value.findings if f.code == "content-left-out"]
    assert left_out.key == "brief.max_pages" and left_out.file.endswith("tight.toml")
    assert "in the layouts" in str(info.value) and "in the workbook" not in str(info.value)
    assert len(info.value.findings) == len(set(info.value.findings))


def test_a_page_layout_needs_no_output_line(project):
    """The default file name takes the product's ending: a page layout without ``output`` is an .html file."""
    text = (project / "layouts" / "page.toml").read_text(encoding="utf-8")
    (project / "layouts" / "page.toml").write_text("\n".join(line for line in text.splitlines() if not line.startswith("output")), encoding="utf-8")
    built = build(Path("inputs/escalation.xlsx"), ("timeline", "page"), Path("out"), Path("layouts")).built
    assert sorted(b.path.name for b in built) == ["escalation-page.html", "escalation-timeline.pdf"]


def test_an_edition_is_the_same_all_three_ways(project):
    from timeline_pdf.edition import month_edition

    three_ways(layouts=("timeline", "brief"), edition=month_edition("2020-01"))
    assert files("one") == files("all") == files("watched")
    assert "escalation-timeline-2020-01.pdf" in files("one")


def test_watch_reads_through_a_preset_and_keeps_strict(project):
    source = DATA / "ucdp_ged_iraq_extract.csv"
    with source.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    path = project / "inputs" / "ucdp.csv"
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows(rows[:12])
    three_ways(path, ("timeline",), preset="ucdp")
    assert files("one") == files("all") == files("watched")
    with pytest.raises(WorkbookError) as info:  # no summary beside ucdp.csv: a warning, which --strict refuses
        WatchSession(path, ("timeline",), Path("strict"), Path("layouts"), __import__("timeline_pdf.build").build.Options(preset="ucdp", strict=True)).rebuild()
    assert info.value.strict and not Path("strict").exists()


def test_watch_in_a_folder_without_layouts_uses_the_shipped_ones_and_keeps_watching(project):
    import threading

    shutil.rmtree(project / "layouts")
    outcomes: list = []
    done = threading.Event()

    def record(outcome):
        outcomes.append(outcome)
        if len(outcomes) == 2:
            done.set()

    session = WatchSession(WORKBOOK, ("timeline",), Path("output"))
    thread = threading.Thread(target=watch, args=(session, record, done.is_set), daemon=True)
    thread.start()
    while not outcomes and thread.is_alive():
        thread.join(timeout=0.1)
    summary = project / "inputs" / "escalation.md"
    import time

    time.sleep(0.5)  # let the watcher start
    summary.write_text(summary.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    done.wait(timeout=30)
    thread.join(timeout=5)
    assert [type(o).__name__ for o in outcomes] == ["Rebuild", "Rebuild"], outcomes
    assert outcomes[1].built[0].path == Path("output/escalation-timeline.pdf") and not outcomes[1].reused_workbook


def test_ctrl_c_stops_watch_with_a_word_and_sigterm_is_reported(project, monkeypatch):
    import timeline_pdf.watch

    def interrupted(number):
        def run(session, show):
            raise Interrupted(number)
        return run

    monkeypatch.setattr(timeline_pdf.watch, "watch", interrupted(signal.SIGINT))
    result = CliRunner().invoke(cli, ["watch"])
    assert result.exit_code == 0 and result.output.strip().endswith("stopped")
    monkeypatch.setattr(timeline_pdf.watch, "watch", interrupted(signal.SIGTERM))
    result = CliRunner().invoke(cli, ["watch"])
    assert result.exit_code == 128 + signal.SIGTERM and "interrupted (SIGTERM)" in result.output


def test_all_announces_every_product_before_the_first_is_done(project):
    announced, finished = [], []
    build_all(WORKBOOK, Path("out"), Path("layouts"), on_start=announced.extend, on_done=lambda outcome: finished.append((len(announced), outcome.layout)))
    assert sorted(announced) == ["brief", "page", "timeline", "timeline-a4-landscape"]
    assert sorted(name for _seen, name in finished) == sorted(announced) and all(seen == 4 for seen, _name in finished)
    assert finished[-1][1] == "page"  # rendered once the PDFs it carries are done


def test_an_internal_error_in_a_worker_keeps_its_traceback_under_debug(project, monkeypatch):
    """A bug in one product does not stop the others; with --debug its traceback is shown."""
    import timeline_pdf.build

    def broken(report, layout, paths):
        raise ZeroDivisionError("a bug")

    monkeypatch.setitem(timeline_pdf.build.PRODUCTS, "brief", timeline_pdf.build.ProductKind(broken))
    result = CliRunner().invoke(cli, ["build", "--all"])
    assert result.exit_code == 1 and "internal error: ZeroDivisionError: a bug" in result.output
    assert sorted(p.name for p in Path("output").glob("*.pdf")) == ["escalation-timeline-a4-landscape.pdf", "escalation-timeline.pdf"]
    with pytest.raises(ZeroDivisionError) as info:
        CliRunner().invoke(cli, ["--debug", "build", "--all", "--out", "debug"], catch_exceptions=False)
    assert "broken" in "".join(__import__("traceback").format_exception(info.value))  # the worker's frames


def test_a_title_with_braces_prints_as_typed_and_the_pages_are_still_numbered(tmp_path):
    """The header and footer are filled in two steps (the page numbers when the page is drawn):
    a brace in the title is text, not a placeholder, in both."""
    from datetime import date

    from pdf_helpers import text_of
    from xlsx_helpers import write_workbook

    from conftest import LAYOUTS

    rows = [{"Date": date(2020, 3, d), "Category": "Rocket attack", "Description": f"Rockets strike Camp Taji. {'More detail. ' * 40}"} for d in range(1, 29)]
    workbook = write_workbook(tmp_path / "events.xlsx", rows, headers=["Date", "Category", "Description"], report={"Title": "Draft {page} {of"})
    shutil.copytree(LAYOUTS, tmp_path / "layouts")
    (tmp_path / "layouts" / "braces.toml").write_text('extends = "timeline.toml"\noutput = "{stem}-braces-timeline.pdf"\nheader = "{title} · {page}"\nfooter = "{title} · Page {page} of {pages}"\n', encoding="utf-8")
    (product,) = build(workbook, ("braces",), tmp_path / "out", tmp_path / "layouts").built
    text = " ".join(text_of(product.path).split())
    assert product.pages > 1
    for page in range(1, product.pages + 1):
        assert f"Draft {{page}} {{of · Page {page} of {product.pages}" in text
    assert "Draft {page} {of · 2" in text  # the header, from the second page on


def test_two_layouts_writing_one_file_is_a_layout_error(project):
    """A copied layout that keeps its output pattern would overwrite the other's file."""
    import shutil

    from timeline_pdf.errors import LayoutError

    shutil.copy(project / "layouts" / "timeline.toml", project / "layouts" / "timeline-legal.toml")
    with pytest.raises(LayoutError) as error:
        build(Path("inputs/escalation.xlsx"), (), Path("out"), Path("layouts"))
    (problem,) = error.value.findings
    assert (problem.code, problem.key) == ("layout-output-shared", "output")
    assert "'timeline-legal', 'timeline' would all write escalation-timeline.pdf" in problem.message
    assert not Path("out").exists()
