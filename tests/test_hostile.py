"""The hostile-input and fault suite: what the README's "Safety and reliability" section promises.

Every hostile file is generated here (no committed blobs). Broken and hostile workbook files
that have their own tests in test_workbook_files.py (renamed text, truncated half-way, a
damaged part, password, .xls, .xlsm, entities, bombs) are extended here, not repeated: more
truncation points, memory measured in a separate process, a million rows, a whole build
watched for file and network access, and the output under faults (full disk, SIGTERM, two
builds at once).
"""

from __future__ import annotations

import csv
import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
import zipfile
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import LAYOUTS, ROOT
from pdf_helpers import link_uris, text_of
from timeline_pdf import output
from timeline_pdf.build import build, build_all
from timeline_pdf.errors import Interrupted, LayoutError, TimelinePdfError, WorkbookError
from timeline_pdf.limits import CELL_CHARS_VARIABLE, ENVIRONMENT_VARIABLE, PAGES_VARIABLE, ROWS_VARIABLE, Limits, current_limits
from timeline_pdf.typography import smarten
from timeline_pdf.validate import load_report
from timeline_pdf.workbook import read_workbook
from xlsx_helpers import SAMPLE_CATEGORIES, add_member, rewrite_member, save_formula_results, write_workbook

HEADERS = ["Date", "Category", "Headline", "Description", "Actor", "Target", "Location", "US Killed", "US Wounded", "Latitude", "Longitude", "Sources", "Key Event"]
TEXT_COLUMNS = ["Category", "Headline", "Description", "Actor", "Target", "Location"]
ROW = {"Date": date(2020, 1, 14), "Category": "Rocket attack", "Description": "Rockets strike Camp Taji."}
MARKUP = [  # each must print literally and load, link or restyle nothing
    '<b>bold</b>', '<img src="/etc/passwd"/>', '<a href="javascript:alert(1)">x</a>', '<font name="Courier" size="40">big</font>',
    '<link href="file:///etc/passwd">y</link>', '&amp; &lt; & <br/>', '<para>', ']]><![CDATA[', '<super>1</super><!-- -->',
]


def write_csv(path: Path, rows: list[dict], headers: list[str] = HEADERS) -> Path:
    with path.open("w", encoding="utf-8", newline="", errors="surrogatepass") as stream:
        writer = csv.DictWriter(stream, headers)
        writer.writeheader()
        writer.writerows(rows)
    return path


def products(workbook: Path, out: Path, layouts: tuple[str, ...] = ("timeline", "brief")) -> dict[str, Path]:
    return {b.layout: b.path for b in build(workbook, layouts, out, LAYOUTS).built}


def refused(path: Path, **kwargs) -> list:
    with pytest.raises(WorkbookError) as info:
        load_report(path, **kwargs)
    errors = [f for f in info.value.findings if f.severity == "error"]
    assert errors and all(f.message and f.hint and f.file == str(path) and f.code for f in errors), errors  # each says what, where and what to do
    return errors


def python(script: str, *args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", textwrap.dedent(script), *args], cwd=cwd, env={**os.environ, **(env or {})},
                          capture_output=True, text=True, timeout=timeout)


def no_partial_files(folder: Path) -> None:
    assert [p.name for p in folder.rglob("*.part")] == []


# --- nothing in an input is executed or followed ------------------------------------------------


def test_markup_and_link_injection_in_every_text_column(tmp_path):
    """Every text column of the Events sheet, the Report fields and the categories carry
    paragraph markup: it prints literally in both products; no image, font or link comes of it."""
    rows = [{**ROW, "Date": date(2020, 1, 1 + i), **{c: f"{c} {text}" for c in TEXT_COLUMNS}, "Key Event": "yes", "Sources": "https://example.org/a"}
            for i, text in enumerate(MARKUP)]
    categories = {f"Category {text}": "attack" for text in MARKUP}
    report = {"Title": 'Title <img src="x.png"/>', "Subtitle": "<i>sub</i>", "Authors": "A <b>B</b>, C &amp; D", "Publisher": "<font size=40>P</font>", "Notice": '<a href="javascript:1">n</a>'}
    workbook = write_workbook(tmp_path / "events.xlsx", rows, headers=HEADERS, categories=categories, report=report)
    workbook.with_suffix(".md").write_text('Summary <img src="/etc/passwd"> <font size=99>x</font> [a](javascript:alert(1)) ![i](/etc/passwd)', encoding="utf-8")
    built = products(workbook, tmp_path / "out")
    timeline, brief = text_of(built["timeline"]), text_of(built["brief"])
    for text in MARKUP:  # as typed, straight quotes printed typographically
        for column in TEXT_COLUMNS:
            assert smarten(f"{column} {text}") in timeline, (column, text)
        assert smarten(f"Headline {text}") in brief
    assert smarten('Title <img src="x.png"/>') in timeline and "A <b>B</b> and C &amp; D" in timeline and "<font size=40>P</font>" in timeline
    assert smarten('Summary <img src="/etc/passwd"> <font size=99>x</font>') in brief
    for pdf in built.values():
        with pikepdf.open(pdf) as document:
            assert [name for page in document.pages for name in page.images] == []
        assert set(link_uris(pdf)) <= {"https://example.org/a"}


AUDIT = r'''
import json, os, shutil, sys
from pathlib import Path

project = Path(sys.argv[1])
from timeline_pdf.build import build
# a first build of the sample loads every module and font, so the audit sees only what a build reads
build(Path(sys.argv[2]), ("timeline", "brief"), project / "warm", project / "layouts")
import openpyxl  # the sample is read by python-calamine; openpyxl reads its system's MIME types when imported
seen = {"open": [], "network": [], "programs": []}
NETWORK = ("socket.", "urllib.Request", "http.client.", "ftplib.", "smtplib.")
PROGRAMS = ("subprocess.Popen", "os.system", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile")

def hook(event, args):
    if event == "open" and isinstance(args[0], (str, bytes, os.PathLike)):
        seen["open"].append(os.fsdecode(args[0]))
    elif event.startswith(NETWORK):
        seen["network"].append(event)
    elif event.startswith(PROGRAMS):
        seen["programs"].append(os.fsdecode(args[0]) if args and isinstance(args[0], (str, bytes, os.PathLike)) else event)

sys.addaudithook(hook)
result = build(project / "inputs" / "events.xlsm", ("timeline", "brief"), project / "out", project / "layouts")
print(json.dumps({**seen, "built": [str(b.path) for b in result.built]}))
'''


def test_a_build_reads_only_its_inputs_and_never_touches_the_network(tmp_path):
    """Watched by an audit hook: building a workbook that points everywhere (markup with image
    paths, links to a local server, a formula fetching a URL, a macro, Markdown images) opens
    only the workbook, its summary, the layouts and the output folder, runs no program and
    makes no network connection."""
    project = tmp_path / "project"
    shutil.copytree(LAYOUTS, project / "layouts")
    (project / "layouts" / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="20"><rect width="40" height="20" fill="#1F3A5F"/></svg>', encoding="utf-8")
    timeline = project / "layouts" / "timeline.toml"
    timeline.write_text(timeline.read_text(encoding="utf-8") + '\n[logo]\nfile = "logo.svg"\n', encoding="utf-8")
    secret = tmp_path / "secret.png"
    shutil.copy(ROOT / "docs" / "brief-page1.png", secret)
    lure = f'<img src="{secret}"/> <img src="../../secret.png"/> <img src="http://127.0.0.1:9/x.png"/>'
    rows = [{**ROW, "Headline": lure, "Description": "see below", "Location": lure, "Sources": "http://127.0.0.1:9/report https://127.0.0.1:9/a", "Key Event": "yes"}]
    (project / "inputs").mkdir()
    workbook = project / "inputs" / "events.xlsm"

    def formula(book):
        book["Events"]["D2"] = '=WEBSERVICE("http://127.0.0.1:9/fetch")'

    write_workbook(workbook, rows, headers=HEADERS, categories=SAMPLE_CATEGORIES, report={"Notice": lure}, edit=formula)
    save_formula_results(workbook, {"D2": "Cached description, never recalculated."})
    add_member(workbook, "xl/vbaProject.bin", b'Sub Auto_Open()\nShell "calc.exe"\nEnd Sub\n')
    workbook.with_suffix(".md").write_text(f"Summary ![lure]({secret}) ![remote](http://127.0.0.1:9/x.png) <img src=\"{secret}\"> [file](file://{secret})", encoding="utf-8")

    result = python(AUDIT, str(project), str(ROOT / "inputs" / "escalation.xlsx"), timeout=180)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert len(seen["built"]) == 2
    assert seen["network"] == []
    assert all(Path(program).name.startswith("python") for program in seen["programs"]), seen["programs"]
    opened = {Path(p).resolve() for p in seen["open"] if not p.startswith(("/proc/", "/dev/", "/sys/"))}
    assert secret.resolve() not in opened
    allowed = [workbook.resolve(), workbook.with_suffix(".md").resolve(), (project / "layouts").resolve(), (project / "out").resolve(),
               Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve(), Path(output.__file__).resolve().parent]
    stray = sorted(str(p) for p in opened if not any(p == root or p.is_relative_to(root) for root in allowed) and "matplotlib" not in str(p) and "fontconfig" not in str(p))
    assert stray == []
    assert "Cached description, never recalculated." in text_of(Path(seen["built"][0]))


def test_reportlab_fetches_nothing_whatever_its_settings_say():
    """ReportLab reads a URL where it expects a file when its trusted hosts allow it; a settings
    variable saying every host is trusted is overridden while a product renders (and restored
    afterwards: the settings belong to the process)."""
    script = """
        import sys
        events = []
        sys.addaudithook(lambda event, args: events.append(event) if event.startswith("socket.") else None)
        from timeline_pdf.render.markup import no_remote_resources
        from reportlab import rl_config
        from reportlab.lib.utils import ImageReader, open_for_read
        before = rl_config.trustedHosts, rl_config.trustedSchemes
        assert before[0], before  # the variable is in force outside a rendering
        with no_remote_resources():
            assert rl_config.trustedHosts is None and rl_config.trustedSchemes == [], (rl_config.trustedHosts, rl_config.trustedSchemes)
            for source in ("http://127.0.0.1:9/x.png", "https://example.org/x.png", "data:image/png;base64,iVBORw0KGgo=", "file:///etc/hostname"):
                for reader in (open_for_read, ImageReader):
                    try:
                        reader(source)
                    except Exception:
                        continue
                    raise SystemExit(f"{reader.__name__} read {source}")
        assert (rl_config.trustedHosts, rl_config.trustedSchemes) == before
        assert events == [], events
    """
    result = python(script, env={"RL_trustedHosts": "*", "RL_trustedSchemes": "http,https,data,file"})
    assert result.returncode == 0, result.stderr[-2000:]


def test_an_svg_logo_that_refers_to_another_file_is_refused(tmp_path):
    """svglib would read an <image> or <use> target relative to the logo, from anywhere."""
    folder = tmp_path / "layouts"
    shutil.copytree(LAYOUTS, folder)
    for target in ("../secret.png", "/etc/passwd", "http://127.0.0.1:9/x.png", "other.svg#shape"):
        (folder / "logo.svg").write_text(f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="9" height="9"><image xlink:href="{target}" width="9" height="9"/></svg>', encoding="utf-8")
        (folder / "mine.toml").write_text('extends = "timeline.toml"\n[logo]\nfile = "logo.svg"\n', encoding="utf-8")
        with pytest.raises(LayoutError) as info:
            build(write_workbook(tmp_path / "events.xlsx", [ROW]), ("mine",), tmp_path / "out", folder)
        assert "logo.file" in str(info.value) and "self-contained" in str(info.value)
    (folder / "logo.svg").write_text('<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg"><text>&x;</text></svg>', encoding="utf-8")
    with pytest.raises(LayoutError) as info:
        build(tmp_path / "events.xlsx", ("mine",), tmp_path / "out", folder)
    assert "entities" in str(info.value)


# --- bounded resources ------------------------------------------------------------------------------

MEMORY = r'''
import resource, sys
from pathlib import Path
from timeline_pdf.errors import WorkbookError
from timeline_pdf.validate import load_report
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
try:
    load_report(Path(sys.argv[1]))
    code = "built"
except WorkbookError as error:
    code = error.findings[0].code
print(code, (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) // 1024)
'''
MEMORY_BOUND_MB = 80  # the rows up to the limit; loading any of these files whole takes gigabytes


def peak_memory(path: Path) -> tuple[str, int]:
    """(finding code, growth of the peak resident memory in MB) of reading ``path`` in a fresh process."""
    result = python(MEMORY, str(path))
    assert result.returncode == 0, result.stderr[-2000:]
    code, megabytes = result.stdout.split()
    return code, int(megabytes)


def sheet_of_rows(path: Path, rows: int, cells: bytes = b'<c r="A{r}"><v>43831</v></c><c r="B{r}" t="inlineStr"><is><t>Rocket attack</t></is></c><c r="C{r}" t="inlineStr"><is><t>x</t></is></c>') -> Path:
    """A workbook whose Events sheet has ``rows`` rows under its headers, written straight as XML."""
    write_workbook(path, [ROW], headers=["Date", "Category", "Description"])
    row = b'<row r="{r}">' + cells + b"</row>"

    def fill(xml: bytes) -> bytes:
        head, rest = xml.split(b"<sheetData>", 1)
        header = b'<row r="1"><c r="A1" t="inlineStr"><is><t>Date</t></is></c><c r="B1" t="inlineStr"><is><t>Category</t></is></c><c r="C1" t="inlineStr"><is><t>Description</t></is></c></row>'
        body = b"".join(row.replace(b"{r}", str(r).encode()) for r in range(2, rows + 2))
        return head + b"<sheetData>" + header + body + b"</sheetData>" + rest.split(b"</sheetData>", 1)[1]

    return rewrite_member(path, "xl/worksheets/sheet1.xml", fill)


def test_a_million_row_sheet_is_refused_before_it_is_loaded(tmp_path):
    path = sheet_of_rows(tmp_path / "events.xlsx", 1_000_000)
    assert path.stat().st_size < current_limits().max_unpacked_bytes  # not caught by the size limit
    code, megabytes = peak_memory(path)
    assert code == "too-many-rows" and megabytes < MEMORY_BOUND_MB
    (finding,) = refused(path)
    assert "'Events'" in finding.message and "50,000 rows" in finding.message and ROWS_VARIABLE in finding.hint


def test_a_million_row_csv_is_refused_while_streaming(tmp_path):
    path = tmp_path / "events.csv"
    with path.open("w", encoding="utf-8") as stream:
        stream.write("Date,Category,Description\n")
        stream.writelines("2020-01-14,Rocket attack,x\n" for _ in range(1_000_000))
    code, megabytes = peak_memory(path)
    assert code == "too-many-rows" and megabytes < MEMORY_BOUND_MB


def test_a_decompression_bomb_is_refused_with_little_memory(tmp_path):
    path = write_workbook(tmp_path / "events.xlsx", [ROW])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED, compresslevel=1) as archive, archive.open("xl/media/image1.bin", "w", force_zip64=True) as stream:
        chunk = b"\0" * (1 << 24)
        for _ in range(20):  # 335 MB of zeros in a file of a few hundred KB
            stream.write(chunk)
    assert path.stat().st_size < 2_000_000
    code, megabytes = peak_memory(path)
    assert code == "zip-bomb" and megabytes < MEMORY_BOUND_MB


def test_a_sheet_of_too_many_cells_is_refused(tmp_path):
    wide = b"".join(b'<c r="%s{r}"><v>1</v></c>' % column.encode() for column in ("D", "E", "F", "G", "H", "I", "J", "K", "L", "M", "N", "O", "P", "Q", "R", "S", "T", "U", "V", "W", "X"))
    path = sheet_of_rows(tmp_path / "events.xlsx", 990, cells=wide)  # within 1,000 rows, but 21 cells a row
    with pytest.raises(WorkbookError) as info:
        read_workbook(path, Limits(max_rows=1_000))
    assert info.value.findings[0].code == "too-many-cells"


def test_a_100000_character_cell_builds_and_its_entry_spans_pages(tmp_path):
    """The entry is taller than a page: it splits (never a LayoutError); the brief quotes its start."""
    words = [f"w{i}" for i in range(16_000)]
    description = " ".join(words)[:100_000]
    assert len(description) == 100_000
    path = write_csv(tmp_path / "events.csv", [{**ROW, "Description": description, "Key Event": "yes"}, {**ROW, "Date": "2020-01-15", "Description": "The day after."}])
    built = products(path, tmp_path / "out")
    assert len(PdfReader(built["timeline"]).pages) >= 15
    timeline = text_of(built["timeline"])
    last = description.rsplit(" ", 1)[-1]
    assert "w0 w1 w2" in timeline and f" {last}" in timeline and "The day after." in timeline
    brief = text_of(built["brief"])
    assert "w0 w1 w2" in brief and words[5000] not in brief.split()  # the brief shows a shortened description


def test_hundreds_of_sources_in_one_cell_build_as_live_links(tmp_path):
    """Every source becomes a numbered, live link: as endnotes, and listed in the entry when
    there are too many for the foot of a page. The brief keeps to its page budget."""
    urls = [f"https://news{i}.example.iq/story/{i}" for i in range(600)]
    path = write_csv(tmp_path / "events.csv", [{**ROW, "Sources": "\n".join(urls), "Key Event": "yes"}, {**ROW, "Date": "2020-01-15", "Description": "The day after."}])
    folder = tmp_path / "layouts"
    shutil.copytree(LAYOUTS, folder)
    (folder / "foot.toml").write_text('extends = "timeline.toml"\noutput = "{stem}-foot-timeline.pdf"\n[timeline]\nnotes = "footnotes"\n', encoding="utf-8")
    result = build(path, ("timeline", "foot", "brief"), tmp_path / "out", folder)
    built = {b.layout: b for b in result.built}
    for layout in ("timeline", "foot"):
        assert set(urls) <= set(link_uris(built[layout].path)), layout
        assert "The day after." in text_of(built[layout].path)
    assert built["brief"].pages <= 2  # its six hundred notes do not fit its budget: left out, and said so
    assert any("left out" in f.message and "sources" in f.message for f in result.findings)


def test_a_cell_longer_than_the_limit_is_named_with_its_cell(tmp_path, monkeypatch):
    xlsx = write_workbook(tmp_path / "events.xlsx", [ROW])
    rewrite_member(xlsx, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"Rockets strike Camp Taji.", b"y" * 100_001))  # Excel itself stops at 32,767
    path = write_csv(tmp_path / "events.csv", [{**ROW, "Description": "z" * 100_001}])
    for file, cell in ((xlsx, "J2"), (path, "D2")):
        (finding,) = refused(file)
        assert (finding.code, finding.cell, finding.sheet) == ("cell-too-long", cell, "Events")
        assert "100,001 characters" in finding.message and CELL_CHARS_VARIABLE in finding.hint
    monkeypatch.setenv(CELL_CHARS_VARIABLE, "200000")
    report, _ = load_report(path)
    assert len(report.events[0].description) == 100_001


@pytest.mark.parametrize("column", ["Category", "Headline", "Location", "Actor"])
def test_a_name_as_long_as_a_page_is_refused(tmp_path, column):
    """Names and labels print in running headers, legends, charts and tables: 1,000 characters at most."""
    path = write_csv(tmp_path / "events.csv", [{**ROW, column: "word " * 1_000}])
    (finding,) = refused(path)
    assert finding.code == "text-too-long" and finding.column == column and "1,000" in finding.message


def test_a_group_name_as_long_as_a_page_is_refused(tmp_path):
    path = write_csv(tmp_path / "events.csv", [{**ROW, f"{'Militia ' * 200}Killed": "3"}], headers=["Date", "Category", "Description", f"{'Militia ' * 200}Killed"])
    (finding,) = refused(path)
    assert finding.code == "text-too-long" and finding.cell == "D1"


def test_the_page_limit_stops_a_runaway_document(tmp_path, monkeypatch):
    monkeypatch.setenv(PAGES_VARIABLE, "3")
    rows = [{**ROW, "Date": date(2020, 1, 1 + i % 28), "Description": "Rockets strike a base. " * 40} for i in range(60)]
    with pytest.raises(TimelinePdfError) as info:
        build(write_workbook(tmp_path / "events.xlsx", rows), ("timeline",), tmp_path / "out", LAYOUTS)
    assert "longer than 3 pages" in info.value.message and PAGES_VARIABLE in info.value.hint
    assert not (tmp_path / "out").exists()


def test_a_summary_over_the_size_limit_is_refused(tmp_path, monkeypatch):
    path = write_workbook(tmp_path / "events.xlsx", [ROW])
    path.with_suffix(".md").write_text("word " * 300_000, encoding="utf-8")
    monkeypatch.setenv(ENVIRONMENT_VARIABLE, "1")
    (finding,) = refused(path)
    assert finding.code == "file-too-large" and "summary" in finding.message


@pytest.mark.parametrize("variable", [ROWS_VARIABLE, CELL_CHARS_VARIABLE, PAGES_VARIABLE])
@pytest.mark.parametrize("setting", ["lots", "-5", "0", "nan"])
def test_a_bad_limit_setting_is_a_clear_error(monkeypatch, variable, setting):
    monkeypatch.setenv(variable, setting)
    with pytest.raises(TimelinePdfError) as info:
        current_limits()
    assert variable in str(info.value) and repr(setting) in str(info.value)


def test_limit_settings_are_read(monkeypatch):
    for variable, value in ((ROWS_VARIABLE, "1_000"), (CELL_CHARS_VARIABLE, "2,000"), (PAGES_VARIABLE, "7")):
        monkeypatch.setenv(variable, value)
    limits = current_limits()
    assert (limits.max_rows, limits.max_cells, limits.max_cell_chars, limits.max_pages) == (1_000, 20_000, 2_000, 7)


# --- broken and disguised files -----------------------------------------------------------------


@pytest.mark.parametrize("keep", [0, 1, 4, 0.1, 0.5, 0.9, -22, -1])
def test_a_workbook_cut_short_anywhere_is_named(tmp_path, keep):
    """An interrupted copy: 0 bytes, the signature alone, part of the data, or all but the end."""
    path = write_workbook(tmp_path / "events.xlsx", [ROW])
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * keep) if isinstance(keep, float) else keep])
    (finding,) = refused(path)
    assert finding.code in {"truncated", "not-a-workbook", "damaged"} and finding.hint


@pytest.mark.parametrize("content", [b"\x89PNG\r\n\x1a\n" + b"\0" * 64, b"%PDF-1.7\n%\xe2\xe3\n", "<html><body>Sign in</body></html>".encode(), b"\0" * 512, "Date,Category\n".encode("utf-16")])
def test_other_files_renamed_xlsx_are_named(tmp_path, content):
    path = tmp_path / "events.xlsx"
    path.write_bytes(content)
    (finding,) = refused(path)
    assert finding.code == "not-a-workbook"


def test_a_zip_that_is_not_a_workbook_and_one_with_a_broken_sheet(tmp_path):
    path = tmp_path / "events.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert refused(path)[0].code == "unreadable"
    path = write_workbook(tmp_path / "broken.xlsx", [ROW])
    rewrite_member(path, "xl/worksheets/sheet1.xml", lambda xml: xml[: len(xml) // 2])
    (finding,) = refused(path)
    assert finding.code == "damaged" and "xl/worksheets/sheet1.xml" in finding.message and "not well-formed" in finding.message


def test_an_xlsm_whose_macro_runs_on_open_is_read_and_never_run(tmp_path):
    """test_workbook_files checks the note; here the macro also names a marker file it would make."""
    marker = tmp_path / "macro-ran"
    path = write_workbook(tmp_path / "events.xlsm", [ROW])
    add_member(path, "xl/vbaProject.bin", f'Sub Workbook_Open()\nOpen "{marker}" For Output As #1\nEnd Sub\n'.encode())
    built = products(path, tmp_path / "out", ("timeline",))
    assert "Rockets strike Camp Taji." in text_of(built["timeline"]) and not marker.exists()


# --- text, numbers and dates at the edges --------------------------------------------------------

UNICODE = {
    "right-to-left": "Crowds in Baghdad (بغداد) chant «مرگ بر آمریکا»; Hebrew עברית too",
    "bidi controls": "\u202eevil\u202c \u2066isolate\u2069 \u200fmark",
    "combining marks": "Z\u0351\u0358\u0360a\u0301\u0301\u0301lgo e\u0301 " + "o\u0308" * 50,
    "emoji": "Rockets 🚀🔥 at 👨‍👩‍👧‍👦 🇮🇶 \U0001F9D1\U0001F3FD",
    "control characters": "bell\x07 escape\x1b[31m vertical\x0b form\x0c delete\x7f",
    "NUL": "before\x00after",
    "noncharacters": "\ufffe \uffff \U0010ffff \U000e0001tag",
    "zero-width": "zero\u200bwidth\ufeffjoin\u200d",
    "Arabic alone": "\u0640\u0640\u064b\u064b \ufefb \u0600\u0601 لا" + "بغداد" * 150,
}


@pytest.mark.parametrize("name", sorted(UNICODE))
def test_unicode_at_the_edges_builds_in_every_text_column(tmp_path, name):
    """Glyphs the fonts lack (emoji), control characters and NUL never crash ReportLab or the
    Arabic shaping; the plain words around them are in the PDF's text."""
    text = UNICODE[name]
    row = {**ROW, **{column: f"{text} {column}" for column in TEXT_COLUMNS if column != "Category"}, "Key Event": "yes"}
    built = products(write_csv(tmp_path / "events.csv", [row]), tmp_path / "out")
    timeline = text_of(built["timeline"])
    assert "Headline" in timeline and "Location" in timeline
    words = [w for w in text.split() if w.isascii() and w.isalpha() and len(w) > 3]
    for word in words:
        assert word in timeline, word


def test_unpaired_surrogates_from_a_csv_are_named_with_their_line(tmp_path):
    """Such a file is not UTF-8 (it is CESU-8 or 'WTF-8'): the line is named."""
    path = write_csv(tmp_path / "events.csv", [ROW, {**ROW, "Description": "lone \ud800 half"}])
    (finding,) = refused(path)
    assert finding.code == "csv-encoding" and "line 3" in finding.message and "0xED" in finding.message


NOT_NUMBERS = ["nan", "NaN", "inf", "-inf", "Infinity", "1e309", "-1e309"]


@pytest.mark.parametrize("value", NOT_NUMBERS)
def test_nan_and_infinity_typed_in_numeric_columns_are_findings(tmp_path, value):
    path = write_csv(tmp_path / "events.csv", [{**ROW, "US Killed": value, "US Wounded": value, "Latitude": value, "Longitude": value}])
    assert {(f.code, f.column) for f in refused(path)} == {
        ("casualty-not-number", "US Killed"), ("casualty-not-number", "US Wounded"), ("coordinate-not-number", "Latitude"), ("coordinate-not-number", "Longitude")}


def test_infinity_stored_as_a_number_is_a_finding_and_nan_is_unreadable(tmp_path):
    """A number too large for a float (1E309) is read as infinity; NaN is not a number to the
    reader at all, so such a sheet cannot be read."""
    path = write_workbook(tmp_path / "events.xlsx", [{**ROW, "US Killed": 1, "US Wounded": 2, "Latitude": 3, "Longitude": 4}], headers=HEADERS)

    def poison(xml: bytes) -> bytes:
        for cell, value in (("H2", b"1E309"), ("I2", b"-1E309"), ("J2", b"1E400"), ("K2", b"-1E309")):
            head, rest = xml.split(b'<c r="' + cell.encode() + b'"', 1)
            attributes, rest = rest.split(b"<v>", 1)
            xml = head + b'<c r="' + cell.encode() + b'"' + attributes + b"<v>" + value + rest[rest.index(b"</v>"):]
        return xml

    rewrite_member(path, "xl/worksheets/sheet1.xml", poison)
    codes = {(f.code, f.cell) for f in refused(path)}
    assert codes == {("casualty-not-number", "H2"), ("casualty-not-number", "I2"), ("coordinate-not-number", "J2"), ("coordinate-not-number", "K2")}
    rewrite_member(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"1E309", b"NaN"))
    (finding,) = refused(path)
    assert finding.code == "unreadable" and "NaN" in finding.message


@pytest.mark.parametrize("value", ["0100-01-01", "9899-12-31", date(1900, 3, 1), "1899-12-31", "February 29, 2000"])
def test_dates_at_the_edges_build(tmp_path, value):
    path = write_workbook(tmp_path / "events.xlsx", [{**ROW, "Key Event": "yes", "US Killed": 1}, {**ROW, "Date": value, "Key Event": "yes", "US Wounded": 2}], headers=HEADERS)
    built = products(path, tmp_path / "out")
    heading, day = {"0100-01-01": ("January 100", "Jan 1"), "9899-12-31": ("December 9899", "Dec 31"), date(1900, 3, 1): ("March 1900", "Mar 1"),
                    "1899-12-31": ("December 1899", "Dec 31"), "February 29, 2000": ("February 2000", "Feb 29")}[value]
    text = " ".join(text_of(built["timeline"]).split())
    assert heading in text and day in text  # the event at the edge is in the timeline, under its month
    assert len(PdfReader(built["brief"]).pages) in (1, 2, 3)


@pytest.mark.parametrize("value", ["0001-01-01", "9999-12-31", "December 31, 9999", 2_958_465, "0099-12-31", "9900-01-01"])
def test_dates_beyond_the_years_that_can_be_shown_are_findings(tmp_path, value):
    """9999-12-31 is a common placeholder for 'no end'; charts and editions need room around a date."""
    path = write_workbook(tmp_path / "events.xlsx", [{**ROW, "End Date": value}, {**ROW, "Date": value}], headers=["Date", "End Date", "Category", "Description"])
    assert {(f.code, f.cell) for f in refused(path)} == {("date-out-of-range", "B2"), ("date-out-of-range", "A3")}


def test_editions_at_the_edges(project):
    """The first and last months that can be shown build, with four-digit labels; beyond them
    an edition is a clear error."""
    from click.testing import CliRunner

    from timeline_pdf.cli import cli

    workbook = write_workbook(project / "inputs" / "edges.xlsx", [{**ROW, "Date": date(100, 1, 5)}, {**ROW, "Date": date(9899, 12, 30)}])
    for option, label in (("--edition=0100-01", "0100-01"), ("--through=9899-12-31", "9899-12")):
        result = CliRunner().invoke(cli, ["build", str(workbook), "--layout", "timeline", option], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert (project / "output" / f"edges-timeline-{label}.pdf").is_file()
    for option in ("--edition=9999-12", "--edition=0000-01", "--edition=0050-01..0100-02"):
        result = CliRunner().invoke(cli, ["build", str(workbook), option], catch_exceptions=False)
        assert result.exit_code == 1 and "outside the years 100 to 9899" in result.output and "Traceback" not in result.output


def test_duplicate_headers_in_every_form_are_named(tmp_path):
    headers = ["Date", "date", "Category", "Description", "DESCRIPTION ", "US Killed", "us  killed", "Key Event", "Key-Event"]
    path = tmp_path / "events.csv"
    path.write_text(",".join(headers) + "\n2020-01-14,2020-01-15,Rocket attack,a,b,1,2,yes,no\n", encoding="utf-8")
    assert sorted(f.cell for f in refused(path) if f.code == "column-duplicate") == ["B1", "E1", "G1", "I1"]


# --- broken layouts, as the command line meets them -----------------------------------------------

BROKEN_LAYOUTS = {
    "syntax": ('extends = "base.toml"\nproduct = "timeline"\n[page\n', "TOML syntax error"),
    "font": ('extends = "timeline.toml"\n[fonts.body]\nregular = "Missing.ttf"\nbold = "Missing.ttf"\nitalic = "Missing.ttf"\nbold_italic = "Missing.ttf"\n', "fonts.body.regular: error: font file 'Missing.ttf' not found"),
    "not a font": ('extends = "timeline.toml"\n[fonts.body]\nregular = "junk.ttf"\nbold = "junk.ttf"\nitalic = "junk.ttf"\nbold_italic = "junk.ttf"\n', "cannot be used"),
    "logo": ('extends = "timeline.toml"\n[logo]\nfile = "missing.png"\n', "logo.file: error: logo file 'missing.png' not found"),
    "not a png": ('extends = "timeline.toml"\n[logo]\nfile = "junk.png"\n', "could not be read as PNG"),
    "nan margin": ('extends = "timeline.toml"\n[page.margins]\nleft = nan\n', "page.margins.left"),
    "margins": ('extends = "timeline.toml"\n[page.margins]\nleft = "8in"\n', "page.margins: error: the margins leave"),
    "tiny page": ('extends = "timeline.toml"\n[page]\nsize = "1in x 1in"\n', "page.size: error: a page of 72 x 72 points"),
    "huge page": ('extends = "timeline.toml"\n[page]\nsize = "9999in x 11in"\n', "page.size: error: a page of 719,928 x 792 points is larger"),
    "chart height": ('extends = "brief.toml"\n[charts]\nheight = "99999in"\n', "charts.height: error: a chart 7,199,928 points tall does not fit"),
    "flat chart": ('extends = "brief.toml"\n[charts]\nheight = 0\n', "charts.height: error: a chart 0 points tall cannot be read"),
    "hatch": ('extends = "brief.toml"\n[palette."Rocket attack"]\ncolour = "#D55E00"\nhatch = "0"\n', "palette.Rocket attack.hatch: error: a hatch is up to 8 of the characters"),
    "extends": ('extends = "../../../etc/passwd"\n', "extends: error: expected the name of a layout file (.toml)"),
}


@pytest.mark.parametrize("case", sorted(BROKEN_LAYOUTS))
def test_a_broken_layout_is_a_message_and_the_previous_pdf_stays(project, case):
    from click.testing import CliRunner

    from timeline_pdf.cli import cli

    text, expected = BROKEN_LAYOUTS[case]
    (project / "layouts" / "junk.ttf").write_bytes(b"\0\1\0\0 not really a font" * 10)
    (project / "layouts" / "junk.png").write_bytes(b"\x89PNG\r\n\x1a\n broken")
    assert CliRunner().invoke(cli, ["build", "--layout", "timeline", "--out", "out"]).exit_code == 0
    old = (project / "out" / "escalation-timeline.pdf").read_bytes()
    (project / "layouts" / "mine.toml").write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "--layout", "mine", "--out", "out"])
    assert result.exit_code == 1, result.output
    assert expected in result.output and "Traceback" not in result.output and "internal error" not in result.output
    assert (project / "out" / "escalation-timeline.pdf").read_bytes() == old
    no_partial_files(project / "out")


def test_a_logo_of_any_shape_fits_the_page(tmp_path):
    """A tall, narrow logo, or one set wider than the text, is scaled down to fit (it was a
    ReportLab LayoutError)."""
    from PIL import Image

    folder = tmp_path / "layouts"
    shutil.copytree(LAYOUTS, folder)
    Image.new("RGB", (4, 4000), "navy").save(folder / "tall.png")
    (folder / "wide.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="4000" height="10"><rect width="4000" height="10"/></svg>', encoding="utf-8")
    workbook = write_workbook(tmp_path / "events.xlsx", [ROW])
    for name, logo in (("tall", 'file = "tall.png"\nwidth = "5in"'), ("wide", 'file = "wide.svg"\nwidth = "90in"')):
        (folder / f"{name}.toml").write_text(f'extends = "timeline.toml"\noutput = "{{stem}}-{{layout}}-timeline.pdf"\n[logo]\n{logo}\n', encoding="utf-8")
        (pdf,) = build(workbook, (name,), tmp_path / "out", folder).built
        assert pdf.pages == 1


# --- output under faults ------------------------------------------------------------------------


@pytest.fixture
def built_once(tmp_path):
    """A workbook built once into out/; {file name: bytes} of what it wrote."""
    workbook = write_workbook(tmp_path / "events.xlsx", [ROW, {**ROW, "Date": date(2020, 1, 15), "Key Event": "yes"}], categories=SAMPLE_CATEGORIES)
    build(workbook, ("timeline", "brief"), tmp_path / "out", LAYOUTS)
    write_workbook(workbook, [ROW, {**ROW, "Date": date(2020, 1, 16), "Description": "Changed since."}], categories=SAMPLE_CATEGORIES)
    return workbook, {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}


def unchanged(out: Path, before: dict[str, bytes]) -> None:
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    no_partial_files(out)


REAL_WRITE = os.write


def on_part_files(write):
    """``write`` for the files being written (``.part``), the real one for pipes and the rest."""
    def chosen(handle, data):
        try:
            target = os.readlink(f"/proc/self/fd/{handle}")
        except OSError:
            target = ""
        return write(handle, data) if target.endswith(".part") else REAL_WRITE(handle, data)

    return chosen


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to tell files apart")
@pytest.mark.parametrize("fail_after", [0, 1, 2])
def test_a_full_disk_keeps_every_previous_file(tmp_path, built_once, monkeypatch, fail_after):
    """The disk fills while the first PDF, the second or the manifest is written: each file
    written in full before failing is thrown away, and the previous PDFs and manifest stay."""
    workbook, before = built_once
    written = []

    def write(handle, data):
        if len(written) >= fail_after:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        count = REAL_WRITE(handle, data)
        if count == len(data):
            written.append(handle)
        return count

    monkeypatch.setattr(os, "write", on_part_files(write))
    with pytest.raises(TimelinePdfError) as info:
        build(workbook, ("timeline", "brief"), tmp_path / "out", LAYOUTS)
    assert "No space left on device" in info.value.message and "previous files were kept" in info.value.hint
    monkeypatch.undo()
    unchanged(tmp_path / "out", before)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to tell files apart")
def test_a_full_disk_with_all_fails_each_product_cleanly(tmp_path, built_once, monkeypatch):
    workbook, before = built_once

    def full(handle, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "write", on_part_files(full))
    result = build_all(workbook, tmp_path / "out", LAYOUTS, layout_names=("timeline", "brief"))
    monkeypatch.undo()
    assert sorted(f.layout for f in result.failed) == ["brief", "timeline"] and result.built == []
    assert all(isinstance(f.error, TimelinePdfError) and "No space left on device" in f.error.message for f in result.failed)
    unchanged(tmp_path / "out", before)


def test_an_unwritable_output_folder_is_a_message(tmp_path, built_once, monkeypatch):
    from click.testing import CliRunner

    from timeline_pdf.cli import cli

    workbook, _ = built_once
    (tmp_path / "a-file").write_text("in the way")
    result = CliRunner().invoke(cli, ["build", str(workbook), "--layout", str(LAYOUTS / "timeline.toml"), "--out", str(tmp_path / "a-file")])
    assert result.exit_code == 2 and "is a file" in result.output  # a usage error, from the option's check
    result = CliRunner().invoke(cli, ["build", str(workbook), "--layout", str(LAYOUTS / "timeline.toml"), "--out", str(tmp_path / "a-file" / "below")])
    assert result.exit_code == 1 and "cannot write" in result.output and "Traceback" not in result.output
    (tmp_path / "out" / "events-timeline.pdf").unlink()
    (tmp_path / "out" / "events-timeline.pdf").mkdir()  # a folder where the PDF goes
    result = CliRunner().invoke(cli, ["build", str(workbook), "--layout", str(LAYOUTS / "timeline.toml"), "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "a folder of that name is in the way" in result.output

    def refuse(*args, **kwargs):  # what a read-only folder does for anyone but root
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES))

    monkeypatch.setattr("tempfile.mkstemp", refuse)
    result = CliRunner().invoke(cli, ["build", str(workbook), "--layout", "brief", "--out", str(tmp_path / "out")])
    assert result.exit_code == 1 and "Permission denied" in result.output and "--out" in result.output


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders")
def test_a_read_only_output_folder_is_a_message(tmp_path, built_once):
    workbook, before = built_once
    (tmp_path / "out").chmod(0o555)
    try:
        with pytest.raises(TimelinePdfError) as info:
            build(workbook, ("timeline",), tmp_path / "out", LAYOUTS)
    finally:
        (tmp_path / "out").chmod(0o755)
    assert "Permission denied" in str(info.value)
    unchanged(tmp_path / "out", before)


def test_an_interrupt_during_the_renames_waits_for_the_last(tmp_path, monkeypatch):
    """Ctrl-C or SIGTERM while the files are renamed into place is held until all are: the
    folder never holds some new files and some old ones."""
    paths = [tmp_path / name for name in ("a.pdf", "b.pdf", "c.manifest.json")]
    for path in paths:
        path.write_bytes(b"old")
    real_replace = os.replace

    def replace(source, target):
        output.on_signal(signal.SIGTERM, None)  # as if it arrived now
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", replace)
    with output.Outputs() as outputs:
        for path in paths:
            outputs.add(path, b"new")
        with pytest.raises(Interrupted) as info:
            outputs.commit()
    assert info.value.committed and info.value.signal_number == signal.SIGTERM
    assert [p.read_bytes() for p in paths] == [b"new"] * 3
    no_partial_files(tmp_path)
    with pytest.raises(Interrupted):  # outside the renames it stops at once
        output.on_signal(signal.SIGTERM, None)


RUNNER = r'''
import os, sys, time
from pathlib import Path
marker, stage, args = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
import timeline_pdf.build as build_module
if stage == "render":  # the signal comes while ReportLab lays out a long timeline
    original = build_module.render
    def render(*a, **k):
        marker.write_text(str(os.getpid()))
        return original(*a, **k)
    build_module.render = render
elif stage == "write":  # or while a file is being written (a slow disk)
    def fsync(handle):
        marker.write_text(str(os.getpid()))
        time.sleep(60)
    os.fsync = fsync
sys.argv = ["timeline-pdf", *args]
from timeline_pdf.cli import main
main()
'''


@pytest.mark.parametrize(("stage", "number", "extra"), [("render", signal.SIGTERM, ()), ("write", signal.SIGTERM, ()), ("render", signal.SIGINT, ()), ("render", signal.SIGTERM, ("--all",))])
def test_an_interrupted_build_leaves_the_previous_files(tmp_path, stage, number, extra):
    """A build killed mid-render or mid-write (SIGTERM, or Ctrl-C) exits cleanly: the previous
    PDFs and manifest are untouched, no partial file is left, no worker keeps running."""
    rows = [{**ROW, "Date": date(2020, 1 + i % 12, 1 + i % 28), "Description": "Rockets strike a base; no casualties are reported. " * 4} for i in range(600)]
    workbook = write_workbook(tmp_path / "events.xlsx", rows, categories=SAMPLE_CATEGORIES)
    build(workbook, ("timeline", "brief"), tmp_path / "out", LAYOUTS)
    write_workbook(workbook, rows[:-1], categories=SAMPLE_CATEGORIES)
    before = {p.name: p.read_bytes() for p in (tmp_path / "out").iterdir()}
    marker = tmp_path / "marker"
    command = [sys.executable, "-c", RUNNER, str(marker), stage, "build", str(workbook), "--layout", str(LAYOUTS / "timeline.toml"), "--layout", str(LAYOUTS / "brief.toml"), "--out", str(tmp_path / "out"), *extra]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not marker.exists() or not marker.read_text():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    process.send_signal(number)
    _, errors = process.communicate(timeout=120)
    assert process.returncode == 128 + number, errors
    assert f"interrupted ({'SIGTERM' if number == signal.SIGTERM else 'Ctrl-C'})" in errors and "Traceback" not in errors
    unchanged(tmp_path / "out", before)
    worker = int(marker.read_text())
    if worker != process.pid:  # --all: the worker that was rendering has stopped too
        for _ in range(100):
            state = Path(f"/proc/{worker}/stat")
            if not state.exists() or state.read_text().split(")")[-1].split()[0] == "Z":
                break
            time.sleep(0.05)
        else:
            pytest.fail(f"worker {worker} still runs")


def test_two_builds_into_one_folder_at_once(tmp_path):
    """Two different workbooks of the same name build into one folder at the same moment, twice:
    both succeed; every PDF opens and is one build's whole file; the manifest matches the PDF
    beside it (the builds' sets of files go into place one after the other)."""
    import hashlib

    expected = {}
    for name, description in (("a", "Rockets strike Camp Taji."), ("b", "A drone strikes Erbil airport.")):
        rows = [{**ROW, "Date": date(2020, 1, 1 + i % 28), "Description": f"{description} {i}"} for i in range(150)]
        (tmp_path / name).mkdir()
        workbook = write_workbook(tmp_path / name / "events.xlsx", rows)
        expected[name] = products(workbook, tmp_path / f"alone-{name}", ("timeline",))["timeline"].read_bytes()
    assert expected["a"] != expected["b"]
    out = tmp_path / "shared"
    for _round in range(2):
        processes = [subprocess.Popen([sys.executable, "-m", "timeline_pdf", "build", str(tmp_path / name / "events.xlsx"), "--layout", str(LAYOUTS / "timeline.toml"), "--out", str(out)],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in ("a", "b")]
        for process in processes:
            _, errors = process.communicate(timeout=120)
            assert process.returncode == 0, errors
        pdf = (out / "events-timeline.pdf").read_bytes()
        assert pdf in expected.values()
        manifest = json.loads((out / "events.manifest.json").read_text(encoding="utf-8"))
        assert manifest["outputs"]["events-timeline.pdf"]["sha256"] == hashlib.sha256(pdf).hexdigest()
        no_partial_files(out)


def test_the_readme_names_the_tests_that_hold_each_guarantee():
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Safety and reliability", 1)[1].split("\n## ", 1)[0]
    named = re.findall(r"`(test_[a-z_]+\.py)::(test_[a-z0-9_]+)`", section)
    assert len(named) > 30
    for file, test in named:
        assert f"def {test}(" in (ROOT / "tests" / file).read_text(encoding="utf-8"), (file, test)
