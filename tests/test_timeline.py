"""The escalation timeline built from small, pointed workbooks and opened as a reader would."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pikepdf
import pytest
from pypdf import PdfReader

from conftest import LAYOUTS
from pdf_helpers import fonts, link_uris, outline_titles, text_of
from timeline_pdf.build import build
from timeline_pdf.typography import smarten
from xlsx_helpers import SAMPLE_CATEGORIES, write_workbook

HOSTILE = ['<b>bold</b>', '<img src="/etc/passwd"/>', 'Fish &amp; chips & peas', '<font name="Courier" size="40">big</font>', '<a href="javascript:alert(1)">x</a>']


def build_timeline(tmp_path: Path, rows: list[dict], layout: str = "timeline", layout_text: str | None = None) -> Path:
    workbook = write_workbook(tmp_path / "events.xlsx", rows, categories=SAMPLE_CATEGORIES)
    layouts = tmp_path / "layouts"
    shutil.copytree(LAYOUTS, layouts)
    if layout_text is not None:
        (layouts / f"{layout}.toml").write_text(layout_text)
    built = build(workbook, (layout,), tmp_path / "out", layouts).built
    return built[0].path


def event(day: date, headline: str, description: str = "Rockets strike a base.", **extra) -> dict:
    return {"Date": day, "Category": "Rocket attack", "Headline": headline, "Description": description, **extra}


def test_markup_in_cells_prints_literally_and_loads_nothing(tmp_path):
    rows = [event(date(2020, 1, 1 + i), f"Headline {text}", f"Text {text}", Location=text, Actor=text) for i, text in enumerate(HOSTILE)]
    pdf = build_timeline(tmp_path, rows)
    text = text_of(pdf)
    for hostile in HOSTILE:
        assert smarten(f"Headline {hostile}") in text  # as typed, its straight quotes printed typographically
    with pikepdf.open(pdf) as document:
        assert [img for page in document.pages for img in page.get_images()] == []
    assert not any(uri.startswith("javascript") for uri in link_uris(pdf))


def test_a_5000_word_description_spans_pages(tmp_path):
    words = [f"w{i}" for i in range(5000)]
    pdf = build_timeline(tmp_path, [event(date(2020, 1, 1), "Long entry", " ".join(words)), event(date(2020, 1, 2), "After it")])
    reader = PdfReader(pdf)
    assert len(reader.pages) >= 4
    text = text_of(pdf)
    assert "w0 w1 w2" in text and "w4998 w4999" in text and "After it" in text


def test_foreign_links_get_an_asterisk_and_all_links_are_live(tmp_path):
    rows = [
        event(date(2020, 1, 1), "Domestic", Sources="https://www.defense.gov/News/Releases/1"),
        event(date(2020, 1, 2), "Foreign", Sources="https://www.presstv.ir/Detail/2020/01/02 https://example.com/a"),
    ]
    pdf = build_timeline(tmp_path, rows)
    text = text_of(pdf)
    assert "presstv.ir*" in text and "defense.gov*" not in text and "example.com*" not in text
    assert {"https://www.defense.gov/News/Releases/1", "https://www.presstv.ir/Detail/2020/01/02", "https://example.com/a"} <= set(link_uris(pdf))


def test_citation_numbers_lead_to_their_notes_and_hosts_to_their_pages(tmp_path):
    """Each '[n]' is a link to note n in the list at the end (on the page that prints it);
    each host is a link to its URL, over the host's own words."""
    rows = [event(date(2020, 1, 1 + i % 28), f"Event {i}", "Rockets strike a base. " * 20, Sources=f"https://news{i}.example.org/story https://www.presstv.ir/{i}")
            for i in range(60)]
    pdf = build_timeline(tmp_path, rows)
    reader = PdfReader(pdf)
    page_text = [page.extract_text() for page in reader.pages]
    with pikepdf.open(pdf) as document:
        pages = {page.objgen: index for index, page in enumerate(document.pages)}
        notes = hosts = 0
        for index, page in enumerate(document.pages):
            for annotation in page.get("/Annots", []):
                x1, y1, x2, y2 = (float(v) for v in annotation.Rect)
                assert 0 < x1 < x2 < float(page.MediaBox[2]) and 0 < y1 < y2 < float(page.MediaBox[3])
                assert list(annotation.Border) == [0, 0, 0]
                if "/Dest" in annotation:
                    number = int(str(annotation.Contents).removeprefix("Go to note "))
                    target = pages[annotation.Dest[0].objgen]
                    assert re.search(rf"(?m)^{number}\.\s+https://", page_text[target]), number
                    assert target > index
                    notes += 1
                else:
                    url = str(annotation.A.URI)
                    host = url.split("//", 1)[1].split("/", 1)[0].removeprefix("www.")
                    assert str(annotation.Contents) == f"Link to {host}"
                    hosts += 1
    assert notes == 120 and hosts == 240  # inline: a number and a host per source; the list: each URL


def test_same_day_events_share_one_date_and_ranges_show(tmp_path):
    rows = [
        event(date(2020, 1, 8), "First of the day"),
        event(date(2020, 1, 8), "Second of the day"),
        event(date(2020, 2, 27), "Spanning a month end", **{"End Date": date(2020, 3, 2)}),
    ]
    text = text_of(build_timeline(tmp_path, rows))
    assert text.count("Jan 8") == 1
    assert "Feb 27–Mar 2" in text


def test_casualty_line_separates_not_reported_from_none(tmp_path):
    rows = [event(date(2020, 1, 1), "Casualties", **{"US Killed": 2, "US Wounded": None}), event(date(2020, 1, 2), "None", **{"US Killed": 0, "US Wounded": 0})]
    text = text_of(build_timeline(tmp_path, rows))
    assert "US: 2 killed, wounded not reported" in text
    assert "US: none" in text


def test_persian_and_accented_names_use_real_glyphs(tmp_path):
    rows = [event(date(2020, 1, 3), "Şalāḩ ad Dīn and Nīnawá", "Crowds chant «مرگ بر آمریکا» in Tehran.", Location="Baghdad (بغداد)")]
    pdf = build_timeline(tmp_path, rows)
    assert "Şalāḩ ad Dīn and Nīnawá" in text_of(pdf)
    found = fonts(pdf)
    assert any("NotoSansArabic" in name for name in found) and all(found.values())


def test_arabic_in_bold_text_is_set_in_the_bold_arabic_face(tmp_path):
    """Naming the Arabic family resets ReportLab's bold: a bold headline's Arabic is set bold
    again, a description's stays regular."""
    faces = {}
    for where, row in (("headline", event(date(2020, 1, 3), "هجوم صاروخي on a base")), ("description", event(date(2020, 1, 3), "Rockets", "Rockets near كتائب حزب الله positions."))):
        folder = tmp_path / where
        folder.mkdir()
        faces[where] = {name.split("+")[-1] for name in fonts(build_timeline(folder, [row])) if "Arabic" in name}
    assert faces == {"headline": {"NotoSansArabic-Bold"}, "description": {"NotoSansArabic-Regular"}}


def test_bold_arabic_runs_follow_bold_markup():
    from timeline_pdf.render.markup import ARABIC_RUN_TAG, bold_arabic_runs

    run = f"{ARABIC_RUN_TAG}حزب</font>"
    assert bold_arabic_runs(f"a {run} b", bold=False) == f"a {run} b"
    assert bold_arabic_runs(f"a {run} b", bold=True) == f"a {ARABIC_RUN_TAG}<b>حزب</b></font> b"
    assert bold_arabic_runs(f"<b>x {run}</b> {run}", bold=False) == f"<b>x {ARABIC_RUN_TAG}<b>حزب</b></font></b> {run}"
    assert bold_arabic_runs("<b>no Arabic</b>", bold=True) == "<b>no Arabic</b>"


def test_footnotes_sit_on_the_page_that_cites_them(tmp_path):
    layout = 'extends = "base.toml"\nproduct = "timeline"\noutput = "{stem}-timeline.pdf"\n[timeline]\nnotes = "footnotes"\n'
    rows = [event(date(2020, 1, 1 + i % 28), f"Event {i}", "Rockets strike a base. " * (1 + i % 6), Sources=f"https://example.com/{i}") for i in range(60)]
    pdf = build_timeline(tmp_path, rows, layout_text=layout)
    pages = PdfReader(pdf).pages
    assert len(pages) > 3
    for page in pages:
        text = page.extract_text()
        cited = set(re.findall(r"\[(\d+)\]", text))
        listed = set(re.findall(r"(?m)^(\d+)\. https://example\.com/", text))
        assert cited == listed
    assert "Sources" not in outline_titles(pdf)  # no endnotes when notes are footnotes


@pytest.mark.parametrize("fields", [["location"], ["casualties", "sources"]])
def test_layout_chooses_the_fields_shown(tmp_path, fields):
    layout = f'extends = "base.toml"\nproduct = "timeline"\noutput = "{{stem}}-timeline.pdf"\n[timeline]\nfields = {fields!r}\n'.replace("'", '"')
    rows = [event(date(2020, 1, 1), "One", Location="Camp Taji", Actor="Kata'ib Hezbollah", **{"US Killed": 1})]
    text = text_of(build_timeline(tmp_path, rows, layout_text=layout))
    assert ("Camp Taji" in text) == ("location" in fields)
    assert ("Actor:" in text) is False
    assert ("US: 1 killed" in text) == ("casualties" in fields)
    assert ("ROCKET ATTACK" in text) is False


def test_thousand_entries_build(tmp_path):
    rows = [event(date(2019, 1, 1 + i % 28).replace(month=1 + (i // 28) % 12), f"Event {i}", "Rockets strike a base; no casualties are reported. " * (1 + i % 4)) for i in range(1000)]
    pdf = build_timeline(tmp_path, rows)
    assert len(PdfReader(pdf).pages) > 50


def test_partial_dates_print_what_is_known(tmp_path):
    """TimelineJS rows may give a year alone: the timeline says so rather than inventing a day."""
    source = Path(__file__).parent / "data" / "timelinejs_template_my-own-timeline.csv"
    built = build(source, ("timeline",), tmp_path, LAYOUTS, preset="timelinejs").built
    text = text_of(built[0].path)
    assert "1951, month not known" in text  # a year alone: no invented January 1
    assert "Jul 1943 – 1946" in text  # a month to a year
    assert "Dec 10, 1815 – Nov 27, 1852" in text  # across years, both years shown


def test_two_column_layout_sets_entries_side_by_side(tmp_path):
    layout = 'extends = "base.toml"\nproduct = "timeline"\noutput = "{stem}-timeline.pdf"\n[page]\nsize = "A4"\norientation = "landscape"\ncolumns = 2\n'
    rows = [event(date(2020, 1, 1 + i), f"Entry {i}", "Rockets strike a base. " * 8) for i in range(14)]
    pdf = build_timeline(tmp_path, rows, layout_text=layout)
    page = PdfReader(pdf).pages[0]
    width = float(page.mediabox.width)
    starts: list[float] = []
    page.extract_text(visitor_text=lambda text, cm, tm, *_: starts.append(cm[4] + tm[4]) if text.startswith("Entry") else None)
    assert width > float(page.mediabox.height)
    assert any(x < width / 2 for x in starts) and any(x > width / 2 for x in starts)


@pytest.mark.parametrize(("product", "extra", "message"), [
    ("timeline", '[timeline]\nnotes = "footnotes"\n', "footnotes need a single column"),
    ("brief", "", "the brief has a single column"),
])
def test_columns_are_refused_where_they_cannot_work(tmp_path, product, extra, message):
    from timeline_pdf.errors import LayoutError
    from timeline_pdf.layout import load_layout

    shutil.copy(LAYOUTS / "base.toml", tmp_path / "base.toml")
    path = tmp_path / "variant.toml"
    path.write_text(f'extends = "base.toml"\nproduct = "{product}"\noutput = "{{stem}}-{product}.pdf"\n[page]\ncolumns = 2\n{extra}')
    with pytest.raises(LayoutError) as error:
        load_layout(path)
    assert f"variant.toml: page.columns: error: {message}" in str(error.value)


def test_a_date_range_stays_on_one_line(tmp_path):
    """'Mar 25–Sep 25' once wrapped inside the date column ('Mar 25–Sep' / '25'): the column now
    widens to hold every label on one line (a label too wide even then breaks between its dates)."""
    rows = [event(date(2020, 3, 25), "A long siege", **{"End Date": date(2020, 9, 25)}), event(date(2020, 12, 30), "New year", **{"End Date": date(2021, 1, 2)}), event(date(2020, 4, 1), "One day")]
    pdf = build_timeline(tmp_path, rows)
    lines = [line.strip() for page in PdfReader(pdf).pages for line in (page.extract_text() or "").splitlines()]
    assert any(line.startswith("Mar 25–Sep 25") for line in lines), lines
    assert not any(line.endswith("Mar 25–Sep") for line in lines)
    breaks = [i for i, line in enumerate(lines) if line == "Dec 30, 2020 –"]  # across years, each end with its year: too wide for one line,
    assert breaks and lines[breaks[0] + 1] == "Jan 2, 2021"  # it breaks between the two dates, never inside one


def test_a_link_with_arabic_letters_builds_as_a_percent_encoded_link(tmp_path):
    """A PDF link is ASCII: an Arabic Wikipedia address is percent-encoded as browsers send it,
    and its text is printed as typed."""
    url = "https://ar.wikipedia.org/wiki/بغداد"
    pdf = build_timeline(tmp_path, [event(date(2020, 1, 1), "Baghdad", Sources=url)])
    assert "https://ar.wikipedia.org/wiki/%D8%A8%D8%BA%D8%AF%D8%A7%D8%AF" in link_uris(pdf)
