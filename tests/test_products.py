"""The sample products, opened and checked as a reader's PDF viewer would see them."""

from __future__ import annotations

import re

import pandas as pd
import pikepdf
import pytest
from pypdf import PdfReader

from pdf_helpers import fonts, link_uris, outline_titles, text_of
from conftest import LAYOUTS, SAMPLE_WORKBOOK
from timeline_pdf.typography import smarten

SAMPLE_EVENTS = pd.read_excel(SAMPLE_WORKBOOK, sheet_name="Events", engine="openpyxl")
PRINTED_HEADLINES = SAMPLE_EVENTS["Headline"].map(smarten)  # as printed: Kata'ib as Kata’ib


def test_both_products_are_built_with_their_layout_names(sample_products):
    assert set(sample_products) == {"timeline", "brief", "timeline-a4-landscape"}
    assert "timeline" in sample_products["timeline"].name
    assert "brief" in sample_products["brief"].name


def test_every_sample_headline_is_in_the_timeline(sample_products):
    text = text_of(sample_products["timeline"])
    missing = [h for h in PRINTED_HEADLINES if re.sub(r"\s+", " ", h) not in text]
    assert missing == []


def test_timeline_entries_are_in_date_order(sample_products):
    text = text_of(sample_products["timeline"])
    ordered = PRINTED_HEADLINES[SAMPLE_EVENTS.sort_values("Date", kind="stable").index].tolist()
    positions = [text.index(h) for h in ordered]
    assert positions == sorted(positions)


@pytest.mark.parametrize("product", ["timeline", "brief"])
def test_metadata(sample_products, product):
    info = PdfReader(sample_products[product]).metadata
    assert info.title == "US-Iran Escalation in Iraq"
    assert info.author == "Maya Hartwell, Daniel Okafor"
    assert info.subject and info.creator == "timeline-pdf"


@pytest.mark.parametrize("product", ["timeline", "brief"])
def test_all_fonts_are_embedded_noto(sample_products, product):
    found = fonts(sample_products[product])
    assert found, "no fonts found"
    assert all(found.values()), f"not embedded: {[f for f, e in found.items() if not e]}"
    assert all("Noto" in name for name in found), found


@pytest.mark.parametrize("product", ["timeline", "brief"])
def test_pdf_structure_is_clean(sample_products, product):
    with pikepdf.open(sample_products[product]) as pdf:
        check = getattr(pdf, "check_pdf_syntax", None) or pdf.check  # renamed in pikepdf 10
        assert check() == []


def test_sources_are_link_annotations(sample_products):
    expected = {u for u in SAMPLE_EVENTS["Sources"].dropna()}
    assert expected and expected <= set(link_uris(sample_products["timeline"]))


def test_timeline_outline_has_every_month(sample_products):
    titles = outline_titles(sample_products["timeline"])
    months = {f"{d:%B %Y}" for d in pd.to_datetime(SAMPLE_EVENTS["Date"])}
    assert months <= set(titles)
    assert {"2019", "2020", "Sources"} <= set(titles)


def test_outline_entries_open_the_page_that_prints_their_heading(sample_products):
    reader = PdfReader(sample_products["timeline"])
    lines = [{line.strip() for line in page.extract_text().splitlines()} for page in reader.pages]
    checked = set()

    def walk(items) -> None:  # noqa: ANN001
        for item in items:
            if isinstance(item, list):
                walk(item)
                continue
            page = reader.get_destination_page_number(item)
            # a whole line: a title in the running header is part of every page's text
            assert str(item.title) in lines[page], (item.title, page)
            checked.add(page)

    walk(reader.outline)
    assert len(checked) > 2  # headings on several pages, each opened where it is


def test_pages_are_numbered_x_of_y(sample_products):
    reader = PdfReader(sample_products["timeline"])
    total = len(reader.pages)
    assert total > 1
    for number, page in enumerate(reader.pages, start=1):
        assert f"Page {number} of {total}" in page.extract_text()


def test_brief_figures_match_an_independent_count(sample_products):
    kinds = pd.read_excel(SAMPLE_WORKBOOK, sheet_name="Categories", engine="openpyxl").set_index("Category")["Kind"]
    attacks = SAMPLE_EVENTS[SAMPLE_EVENTS["Category"].map(kinds) == "attack"]
    since = attacks[attacks["Date"] >= "2020-01-03"]
    text = text_of(sample_products["brief"])
    assert f"{len(attacks)} attacks on US and coalition positions" in text
    assert f"{len(since)} attacks since January 3, 2020" in text
    us_wounded = int(attacks["US Wounded"].sum())
    assert attacks["US Wounded"].isna().any()  # so the brief must hedge
    assert f"at least {us_wounded}" in text


def test_brief_lists_the_key_events_and_summary(sample_products):
    text = text_of(sample_products["brief"])
    for headline in PRINTED_HEADLINES[SAMPLE_EVENTS["Key Event"] == "yes"]:
        assert headline in text
    assert "Summary" in text and "December 27 barrage on K-1 Air Base" in text
    assert len(PdfReader(sample_products["brief"]).pages) <= 3


@pytest.mark.parametrize("product", ["timeline", "brief"])
def test_builds_are_byte_identical(sample_products, product, tmp_path):
    from timeline_pdf.build import build

    built = build(SAMPLE_WORKBOOK, (product,), tmp_path, LAYOUTS).built
    assert built[0].path.read_bytes() == sample_products[product].read_bytes()


def test_brief_charts_are_vector(sample_products):
    with pikepdf.open(sample_products["brief"]) as pdf:
        images = [image for page in pdf.pages for image in (page.get_images() if hasattr(page, "get_images") else page.images)]
    assert images == []
