"""The publication page, read as a browser parses it (html5lib through BeautifulSoup): every part
in the seed page's order, self-contained, accessible, safe, and built with the PDFs it carries.

The real browser's view (no missing resource, no horizontal scroll at 375 px, print) is in
test_page_browser.py.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import json
import re
import shutil
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from PIL import Image
from pypdf import PdfReader

from conftest import LAYOUTS, ROOT
from timeline_pdf.build import build
from timeline_pdf.cli import cli
from timeline_pdf.errors import LayoutError
from timeline_pdf.export import export_events
from timeline_pdf.layout.load import load_layout
from timeline_pdf.validate import load_report
from timeline_pdf.web.contrast import contrast
from xlsx_helpers import write_workbook

SCRIPT = "<script>alert(1)</script>"


def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_bytes(), "html5lib")


def text(element) -> str:
    """An element's text as a reader sees it: whitespace runs as one space."""
    return " ".join(element.get_text(" ").split())


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    """The sample workbook built with the shipped layouts: (output folder, page, its soup)."""
    out = tmp_path_factory.mktemp("page-sample")
    result = build(ROOT / "inputs" / "escalation.xlsx", (), out, LAYOUTS)
    page = next(p.path for p in result.built if p.kind == "page")
    return out, page, soup_of(page)


# --- every part, in the seed page's order -------------------------------------------------------


def test_the_sample_build_writes_the_page_with_its_companions_and_lists_them_in_the_manifest(sample):
    out, page, _ = sample
    assert sorted(p.name for p in out.iterdir()) == [
        "escalation-brief-thumbnail.png", "escalation-brief.pdf", "escalation-events.csv", "escalation-page.html",
        "escalation-timeline-a4-landscape-thumbnail.png", "escalation-timeline-a4-landscape.pdf", "escalation-timeline-thumbnail.png",
        "escalation-timeline.pdf", "escalation.manifest.json"]
    manifest = json.loads((out / "escalation.manifest.json").read_text(encoding="utf-8"))
    listed = manifest["outputs"]
    assert sorted(listed) == sorted(p.name for p in out.iterdir() if not p.name.endswith(".manifest.json"))
    for name, entry in listed.items():
        data = (out / name).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest() and entry["bytes"] == len(data)
        assert (entry["pages"] is None) == (not name.endswith(".pdf"))
    assert {"jinja2", "markdown-it-py", "pypdfium2", "pillow", "pandas"} <= set(manifest["versions"])


def test_the_header_holds_kicker_title_byline_contributors_publisher_and_bracketed_notice_in_order(sample):
    _, _, soup = sample
    header = soup.body.find("header", recursive=False)
    parts = [text(p) for p in header.find_all(["p", "h1"])]
    assert parts == [
        "Monthly update",
        "US-Iran Escalation in Iraq",
        "Timeline of proxy attacks, strikes and political milestones",
        "October 1, 2019 – March 31, 2020 · Edition of April 1, 2020",
        "By: Maya Hartwell and Daniel Okafor",
        "With contributions from Leila Haddad and Tom Reyes",
        "Published jointly by the Iran and Iraq Program and the Escalation Monitoring Project",
        "[Links marked with an asterisk (*) lead to websites hosted on foreign domains.]",
    ]
    assert header.find("time")["datetime"] == "2020-04-01"
    assert soup.title.string == "US-Iran Escalation in Iraq"


def test_main_holds_summary_figures_and_downloads_in_the_layouts_order(sample):
    _, _, soup = sample
    sections = soup.main.find_all("section", recursive=False)
    assert [text(s.h2) for s in sections] == ["Summary", "Headline figures", "Downloads"]
    assert [s["aria-labelledby"] for s in sections] == [s.h2["id"] for s in sections]


def test_the_summary_carries_its_live_figures_as_the_brief_does(sample):
    _, _, soup = sample
    summary = text(soup.find("section", class_="summary"))
    assert "The period saw 16 attacks on US and coalition positions, 14 of them with rockets." in summary
    assert "seven more by the end of March, wounding at least 3 US service members." in summary
    assert "(9 since January 3)" in summary
    assert "{{" not in summary and "}}" not in summary
    assert "Kata’ib Hezbollah" in summary  # the typographer's apostrophe, as in the brief
    assert [text(li)[:29] for li in soup.find("section", class_="summary").find_all("li")] == [
        "Attacks on US positions did n", "Iraq’s parliament voted on Ja", "Government formation stalled:"]


def test_the_headline_figures_are_the_briefs(sample):
    from pdf_helpers import text_of

    out, _, soup = sample
    section = soup.find("section", class_="figures")
    cards = [(text(li.find(class_="number")), text(li.find(class_="label"))) for li in section.find("ul", class_="cards").find_all("li")]
    assert cards == [("16", "attacks on US and coalition positions, Oct 1, 2019 – Mar 31, 2020"), ("9", "attacks since January 3, 2020"),
                     ("14", "rocket attacks, the most common kind of attack")]
    table = section.table
    assert text(table.caption) == "Casualties in attacks"
    assert [[text(c) for c in row.find_all(["th", "td"])] for row in table.tbody.find_all("tr")] == [
        ["US", "at least 3", "at least 117", "at least 2", "at least 113"],
        ["Coalition", "at least 1", "not reported", "at least 1", "not reported"],
        ["Iraqi", "at least 1", "at least 10", "0 where reported", "at least 2"],
    ]
    assert [th.get("scope") for th in table.thead.find_all("th")] == ["colgroup", "colgroup", "col", "col", "col", "col", "col"]
    brief = " ".join(text_of(out / "escalation-brief.pdf").split())
    for row in table.tbody.find_all("tr"):
        assert " ".join(text(c) for c in row.find_all(["th", "td"])) in brief
    assert "Largest attack: January 8, 2020, Iran fires ballistic missiles at US bases" in text(section)


def test_one_link_per_pdf_of_the_build_says_format_pages_and_size_with_a_picture_of_its_first_page(sample):
    out, _, soup = sample
    items = soup.find("ul", class_="products").find_all("li", recursive=False)
    links = [li.a for li in items]
    assert [a["href"] for a in links] == ["escalation-timeline-a4-landscape.pdf", "escalation-timeline.pdf", "escalation-brief.pdf"]
    assert [text(a) for a in links] == ["View the PDF timeline (escalation-timeline-a4-landscape.pdf)", "View the PDF timeline (escalation-timeline.pdf)",
                                        "Download the brief (escalation-brief.pdf)"]
    for li, link in zip(items, links):
        pdf = out / link["href"]
        pages = len(PdfReader(pdf).pages)
        paper = "A4 landscape" if "a4" in pdf.name else "Letter"
        assert text(li.find(class_="details")) == f"PDF, {paper}, {pages} pages, {round(pdf.stat().st_size / 1024)} KB"
        image = li.img
        assert image["alt"] == ("First page of the PDF: Proxy-escalation brief" if "brief" in pdf.name else "First page of the PDF: Escalation timeline")
        with Image.open(out / image["src"]) as picture:
            assert picture.format == "PNG" and picture.width == 360
            width, height = PdfReader(pdf).pages[0].mediabox.width, PdfReader(pdf).pages[0].mediabox.height
            assert abs(picture.height / picture.width - float(height / width)) < 0.01  # the first page's shape
            assert int(image["width"]) == 180 and abs(int(image["height"]) - picture.height / 2) <= 1
            grey = picture.convert("L")
            assert grey.getextrema()[0] < 100 and grey.getpixel((2, 2)) > 240  # printed matter on white paper


def test_the_events_csv_and_the_manifest_are_linked_and_the_csv_is_the_export(sample, tmp_path):
    out, _, soup = sample
    links = soup.find("ul", class_="data").find_all("a")
    assert [a["href"] for a in links] == ["escalation-events.csv", "escalation.manifest.json"]
    assert [text(a) for a in links] == ["Download the events as CSV (escalation-events.csv)", "Check the files against the manifest (escalation.manifest.json)"]
    exported = tmp_path / "events.csv"
    export_events(load_report(ROOT / "inputs" / "escalation.xlsx")[0], exported)
    assert (out / "escalation-events.csv").read_bytes() == exported.read_bytes()
    assert "CSV, 29 events" in text(soup.find("ul", class_="data"))


# --- self-contained, accessible -----------------------------------------------------------------


def test_the_page_is_self_contained_and_runs_no_script(sample):
    out, page, soup = sample
    assert not soup.find_all(["script", "link", "iframe", "object", "embed", "base", "form", "noscript"])
    style = soup.find_all("style")
    assert len(style) == 1 and not re.search(r"@import|url\(|expression\(", style[0].string)
    for element in soup.find_all(True):
        assert not [name for name in element.attrs if name.startswith("on") or name == "style"], element
    for image in soup.find_all("img"):
        assert not urlsplit(image["src"]).scheme and (out / unquote(image["src"])).is_file()
    for link in soup.find_all("a"):
        scheme = urlsplit(link["href"]).scheme
        if scheme:
            assert scheme in ("http", "https", "mailto") and link["rel"] == ["noopener", "noreferrer"]
        else:
            assert "/" not in link["href"] and (out / unquote(link["href"])).is_file()
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    rules = dict(rule.strip().split(" ", 1) for rule in policy.split(";"))
    assert rules["default-src"] == "'none'" and "script-src" not in rules and rules["img-src"] == "'self'"
    digest = base64.b64encode(hashlib.sha256(style[0].string.encode("utf-8")).digest()).decode()
    assert rules["style-src"] == f"'sha256-{digest}'"  # only this page's own CSS applies
    assert "@media print" in style[0].string and "@media (max-width" in style[0].string
    assert soup.find("meta", attrs={"name": "viewport"})["content"] == "width=device-width, initial-scale=1"


def test_the_page_is_accessible_lang_one_h1_landmarks_alt_text_and_headings_in_order(sample):
    _, _, soup = sample
    assert soup.html["lang"] == "en-US"
    assert len(soup.find_all("h1")) == 1
    body = [child.name for child in soup.body.find_all(True, recursive=False)]
    assert body == ["header", "main", "footer"]
    levels = [int(h.name[1]) for h in soup.find_all(re.compile("^h[1-6]$"))]
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:]))
    images = soup.find_all("img")
    assert images and all(image.get("alt", "").strip() for image in images)
    for link in soup.find_all("a"):
        if not urlsplit(link["href"]).scheme:
            assert unquote(link["href"]) in text(link)  # the link says which file it opens


def css_colours(soup: BeautifulSoup) -> dict[str, str]:
    return dict(re.findall(r"--(\w+):\s*(#[0-9A-Fa-f]{6});", soup.style.string))


@pytest.mark.parametrize("layout", ["page.toml"])
def test_every_colour_the_page_sets_text_in_reads_at_4_5_to_1_on_its_white(sample, layout):
    _, _, soup = sample
    css = soup.style.string
    assert re.search(r"body \{[^}]*background: #FFFFFF;", css)
    colours = css_colours(soup)
    spec = load_layout(LAYOUTS / layout).spec
    assert colours == {"text": spec.colours.text, "muted": spec.colours.muted, "accent": spec.colours.accent, "rule": spec.colours.rule, "link": spec.colours.link}
    used = set(re.findall(r"(?<![-\w])color: var\(--(\w+)\)", css))
    assert used == {"text", "muted", "accent", "link"}
    for role in used:
        assert contrast(colours[role], "#FFFFFF") >= 4.5, role


def test_a_page_layout_with_a_colour_too_light_to_read_is_an_error_with_a_colour_that_passes(tmp_path):
    shutil.copy(LAYOUTS / "base.toml", tmp_path / "base.toml")
    (tmp_path / "pale.toml").write_text('extends = "base.toml"\nproduct = "page"\noutput = "{stem}-pale-page.html"\n[colours]\nmuted = "#999999"\n', encoding="utf-8")
    with pytest.raises(LayoutError) as info:
        load_layout(tmp_path / "pale.toml")
    (finding,) = info.value.findings
    assert finding.key == "colours.muted" and "#999999 on white has a contrast of 2.85:1" in finding.message
    suggested = re.search(r"#[0-9A-F]{6}", finding.hint)[0]
    assert contrast(suggested, "#FFFFFF") >= 4.5
    (tmp_path / "pale.toml").write_text('extends = "base.toml"\nproduct = "timeline"\noutput = "{stem}-timeline-pale.pdf"\n[colours]\nmuted = "#999999"\n', encoding="utf-8")
    load_layout(tmp_path / "pale.toml")  # print is not held to a screen's contrast


def test_a_page_named_like_a_pdf_is_a_layout_error(tmp_path):
    shutil.copy(LAYOUTS / "base.toml", tmp_path / "base.toml")
    (tmp_path / "web.toml").write_text('extends = "base.toml"\nproduct = "page"\noutput = "{stem}-page.pdf"\n', encoding="utf-8")
    with pytest.raises(LayoutError) as info:
        load_layout(tmp_path / "web.toml")
    assert [(f.key, f.hint) for f in info.value.findings] == [("output", 'end it in .html, for example output = "{stem}-page.html"')]


# --- nothing in a cell or the summary acts --------------------------------------------------------

HOSTILE_SUMMARY = f"""# {SCRIPT}

{SCRIPT} <img src=x onerror=alert(2)> <b>bold?</b>

[a javascript link](javascript:alert(3)) [a data link](data:text/html,x) [a file](secret.pdf) ![a remote image](https://tracker.example.com/pixel.png)

[Iraqi News Agency](https://www.ina.iq/a) and [the Pentagon](https://www.defense.gov/x), <mailto:press@example.org>.

There were {{{{ attacks }}}} attacks.
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    rows = [
        {"Date": date(2020, 1, 5), "Category": SCRIPT, "Description": "Rockets strike Camp Taji.", "Headline": f"{SCRIPT} headline", f"{SCRIPT} US Killed": 2, "US Wounded": None},
        {"Date": date(2020, 1, 9), "Category": "Rocket attack", "Description": "A second attack.", "US Wounded": 3, "Include": "no"},
    ]
    report = {"Title": f"{SCRIPT} title", "Subtitle": f"{SCRIPT} subtitle", "Authors": f"{SCRIPT}, Ann Other", "Contributors": SCRIPT, "Publisher": f"{SCRIPT} publisher",
              "Notice": f"{SCRIPT} notice", "Page Label": f"{SCRIPT} label", "Attacks Label": f"{SCRIPT} attacks", "Reference Date": date(2020, 1, 1)}
    workbook = write_workbook(folder / "hostile.xlsx", rows, headers=["Date", "Category", "Headline", "Description", f"{SCRIPT} US Killed", "US Wounded", "Include"],
                              categories=[(SCRIPT, "attack"), ("Rocket attack", "attack")], report=report)
    (folder / "hostile.md").write_text(HOSTILE_SUMMARY, encoding="utf-8")
    shutil.copytree(LAYOUTS, folder / "layouts")
    result = build(workbook, ("page", "brief"), folder / "out", folder / "layouts")
    return folder / "out", soup_of(next(p.path for p in result.built if p.kind == "page"))


def test_a_script_typed_in_any_cell_or_the_summary_is_visible_text(hostile):
    _, soup = hostile
    assert not soup.find_all(["script", "b"]) and [i["src"] for i in soup.find_all("img")] == ["hostile-brief-thumbnail.png"]
    for element in soup.find_all(True):
        assert not [name for name in element.attrs if name.startswith("on")]
    page = text(soup)
    for shown in (f"{SCRIPT} label", f"{SCRIPT} title", f"{SCRIPT} subtitle", f"By: {SCRIPT} and Ann Other", f"With contributions from {SCRIPT}", f"{SCRIPT} publisher",
                  f"[{SCRIPT} notice]", f"{SCRIPT} attacks", f"attack in ‘{SCRIPT}’, the most common category", f"{SCRIPT} headline"):
        assert shown in page, shown
    assert soup.title.string == f"{SCRIPT} title" and text(soup.h1) == f"{SCRIPT} title"
    assert [text(th) for th in soup.find("table").tbody.find_all("th")] == ["script>alert(1)</script> US", "US"]  # a casualty group (its header's leading '<' is punctuation)
    summary = soup.find("section", class_="summary")
    assert text(summary.h3) == SCRIPT
    assert f"{SCRIPT} <img src=x onerror=alert(2)> <b>bold?</b>" in text(summary)
    assert "There were 1 attacks." in text(summary)  # a live figure; the Include = no row is not counted


def test_only_web_and_mail_links_are_made_and_foreign_ones_are_marked(hostile):
    _, soup = hostile
    summary = soup.find("section", class_="summary")
    links = summary.find_all("a")
    assert [(a["href"], text(a), a["rel"]) for a in links] == [
        ("https://www.ina.iq/a", "Iraqi News Agency", ["noopener", "noreferrer"]),
        ("https://www.defense.gov/x", "the Pentagon", ["noopener", "noreferrer"]),
        ("mailto:press@example.org", "mailto:press@example.org", ["noopener", "noreferrer"]),
    ]
    assert "Iraqi News Agency* and the Pentagon," in " ".join(summary.get_text().split())
    words = text(summary)
    assert "a javascript link" in words and "a file" in words and "a remote image" in words and "tracker.example.com" not in str(summary)


# --- rebuilt byte for byte, verified, watched, per edition ----------------------------------------


def test_the_page_and_its_companions_rebuild_byte_for_byte_and_verify_checks_them(project):
    runner = CliRunner()
    assert runner.invoke(cli, ["build"]).exit_code == 0
    first = {p.name: p.read_bytes() for p in Path("output").iterdir()}
    assert runner.invoke(cli, ["build", "--out", "again"]).exit_code == 0
    assert {p.name: p.read_bytes() for p in Path("again").iterdir()} == first
    verified = runner.invoke(cli, ["verify", "output/escalation.manifest.json"])
    assert verified.exit_code == 0, verified.output
    picture = Path("output/escalation-brief-thumbnail.png")
    picture.write_bytes(picture.read_bytes() + b"\0")
    Path("output/escalation-events.csv").unlink()
    verified = runner.invoke(cli, ["verify", "output/escalation.manifest.json"])
    assert verified.exit_code == 1
    assert "escalation-brief-thumbnail.png: the file beside the manifest differs" in verified.output
    assert "escalation-events.csv is missing beside the manifest" in verified.output


def test_build_prints_every_file_it_wrote(project):
    result = CliRunner().invoke(cli, ["build", "--layout", "brief", "--layout", "page", "--format", "json"])
    assert result.exit_code == 0
    written = json.loads(result.output)["written"]
    assert [(w["layout"], Path(w["path"]).name, w["pages"]) for w in written] == [
        ("brief", "escalation-brief.pdf", 3), ("page", "escalation-page.html", None), ("page", "escalation-brief-thumbnail.png", None), ("page", "escalation-events.csv", None)]
    result = CliRunner().invoke(cli, ["build", "--layout", "page", "--layout", "brief"])
    assert "wrote output/escalation-events.csv" in result.output and "wrote output/escalation-brief-thumbnail.png" in result.output


def test_a_page_built_alone_links_the_data_and_the_manifest(project):
    (page,) = [p for p in build(Path("inputs/escalation.xlsx"), ("page",), Path("alone"), Path("layouts")).built]
    soup = soup_of(page.path)
    assert not soup.find("ul", class_="products") and not soup.find_all("img")
    assert [a["href"] for a in soup.find("ul", class_="data").find_all("a")] == ["escalation-events.csv", "escalation.manifest.json"]


def test_an_edition_page_has_the_edition_title_and_links_its_own_files(project):
    from timeline_pdf.edition import month_edition

    result = build(Path("inputs/escalation.xlsx"), ("page", "timeline"), Path("output"), Path("layouts"), edition=month_edition("2020-03"))
    page = next(p for p in result.built if p.kind == "page")
    assert page.path.name == "escalation-page-2020-03.html"
    soup = soup_of(page.path)
    assert text(soup.h1) == "US-Iran Escalation in Iraq: March 2020 Update"
    assert [a["href"] for a in soup.find_all("a") if not urlsplit(a["href"]).scheme] == [
        "escalation-timeline-2020-03.pdf", "escalation-2020-03-events.csv", "escalation-2020-03.manifest.json"]
    assert all(Path("output", a["href"]).is_file() for a in soup.find_all("a") if not urlsplit(a["href"]).scheme)
    with Path("output/escalation-2020-03-events.csv").open(encoding="utf-8-sig") as stream:
        dates = [row["date"] for row in csv.DictReader(stream)]
    assert max(dates) <= "2020-03-31"


def test_watch_renders_the_page_again_when_a_pdf_it_carries_changes_and_only_then(project):
    from timeline_pdf.watch import WatchSession

    session = WatchSession(Path("inputs/escalation.xlsx"), ("timeline", "page"), Path("output"), Path("layouts"))
    first = session.rebuild()
    page = Path("output/escalation-page.html")
    before = page.read_bytes()
    pdf = next(b.path for b in first.built if b.layout == "timeline")
    stamp = pdf.stat().st_mtime_ns
    layout = project / "layouts" / "page.toml"
    layout.write_text(layout.read_text(encoding="utf-8") + '\n[colours]\naccent = "#5B2333"\n', encoding="utf-8")
    session.rebuild()
    assert page.read_bytes() != before and "#5B2333" in page.read_text(encoding="utf-8")
    assert pdf.stat().st_mtime_ns == stamp  # the page's layout is not the timeline's: its PDF is kept
    timeline = project / "layouts" / "timeline.toml"
    timeline.write_text(timeline.read_text(encoding="utf-8") + '\n[page]\nsize = "A4"\n', encoding="utf-8")
    session.rebuild()
    assert "PDF, A4, " in text(soup_of(page))  # the page tells the new paper of the PDF it links to


def test_two_products_may_share_a_file_only_with_the_same_bytes():
    from timeline_pdf.build import Companion, Product, build_files
    from timeline_pdf.errors import TimelinePdfError

    one = Product("page", Path("out/a.html"), b"a", None, companions=(Companion("events.csv", b"x"),))
    same = Product("other", Path("out/b.html"), b"b", None, companions=(Companion("events.csv", b"x"),))
    assert sorted(p.name for p in build_files([one, same])) == ["a.html", "b.html", "events.csv"]
    differs = Product("other", Path("out/b.html"), b"b", None, companions=(Companion("events.csv", b"y"),))
    with pytest.raises(TimelinePdfError, match="other and page both write events.csv, differently"):
        build_files([one, differs])


def test_the_page_is_listed_in_the_archive(project):
    import zipfile

    result = CliRunner().invoke(cli, ["build", "--archive"])
    assert result.exit_code == 0
    names = zipfile.ZipFile("output/escalation.zip").namelist()
    assert {"escalation-page.html", "escalation-events.csv", "escalation-brief-thumbnail.png"} <= set(names)


def test_the_csv_beside_the_page_neutralises_formulas(tmp_path):
    workbook = tmp_path / "f.csv"
    with workbook.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([["Date", "Category", "Headline", "Description"], ["2020-01-05", "Rocket attack", "+1 rockets", '=HYPERLINK("https://evil.example","click")']])
    shutil.copytree(LAYOUTS, tmp_path / "layouts")
    build(workbook, ("page",), tmp_path / "out", tmp_path / "layouts")
    (row,) = csv.DictReader(io.StringIO((tmp_path / "out" / "f-events.csv").read_text(encoding="utf-8-sig")))
    assert row["description"].startswith("'=HYPERLINK(") and row["headline"] == "'+1 rockets"


def test_preview_without_a_browser_says_what_to_install(sample, monkeypatch, tmp_path):
    import timeline_pdf.preview

    _, page, _ = sample
    monkeypatch.setattr(timeline_pdf.preview, "BROWSERS", ("no-such-browser",))
    result = CliRunner().invoke(cli, ["preview", str(page), "--out", str(tmp_path)])
    assert result.exit_code == 1 and not list(tmp_path.iterdir())
    assert "error: no Chromium browser was found to take a picture of the page" in result.output
    assert "fix: install Chromium (on Debian: apt-get install chromium)" in result.output
