"""Tagged PDFs (PDF/UA-1): checked by a real validator, with negative controls that prove the
gate can fail, and read through the structure tree as a screen reader would."""

from __future__ import annotations

import io
import re
import shutil
from datetime import date
from pathlib import Path

import page
import pikepdf
import pytest
from pypdf import PdfReader

from conftest import LAYOUTS, SAMPLE_WORKBOOK
from pdf_helpers import Node, page_texts, structure
from timeline_pdf.build import build
from timeline_pdf.typography import smarten
from timeline_pdf.validate import load_report
from xlsx_helpers import SAMPLE_CATEGORIES, write_workbook

ARABIC = "كتائب حزب الله"
PERSIAN = "سپاه پاسداران"


def failed_rules(data: bytes) -> list[str]:
    """The PDF/UA-1 rules the validator finds broken, with its first message for each."""
    report = page.validate_pdf_bytes(data, profile="ua1")
    seen: dict[str, str] = {}
    for failure in report.failures:
        seen.setdefault(failure.rule_id, failure.message)
    assert report.rules.total >= 100  # the whole profile ran
    return [f"{rule}: {message}" for rule, message in sorted(seen.items())]


def edited(path: Path, change) -> bytes:  # noqa: ANN001 - a function of a pikepdf document
    with pikepdf.open(path) as pdf:
        change(pdf)
        buffer = io.BytesIO()
        pdf.save(buffer)
    return buffer.getvalue()


def elements(pdf: pikepdf.Pdf, role: str) -> list[pikepdf.Dictionary]:
    return [obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/StructElem" and obj.get("/S") == f"/{role}"]


def headings(tree: Node) -> list[tuple[int, str]]:
    return [(int(node.role[1]), node.full_text()) for node in tree.walk() if re.fullmatch(r"H[1-6]", node.role)]


# -- fixtures: the sample, and a workbook that exercises every hard case


@pytest.fixture(scope="module")
def hard_products(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every product of a workbook with a 3,000-word entry split over pages, an entry citing
    300 sources, Arabic and Persian, coordinates, casualties, key events and a summary with
    headings, lists and links; built with every shipped layout plus a footnotes timeline."""
    tmp = tmp_path_factory.mktemp("hard")
    rows = [
        {"Date": date(2020, 1, 2 + i % 25), "Category": ("Rocket attack", "Drone attack", "US strike", "Iraqi politics")[i % 4],
         "Headline": f"Event number {i}", "Description": "Rockets strike the base; officials say damage is light. " * (1 + i % 5),
         "Location": ("Camp Taji", "Erbil", "Baghdad")[i % 3], "Latitude": 33.3 + i % 3, "Longitude": 44.2 + i % 2,
         "US Killed": i % 2 if i % 3 else None, "US Wounded": i % 4, "Key Event": "yes" if i % 9 == 0 else "no",
         "Sources": f"https://example.com/{i} https://www.presstv.ir/{i}"}
        for i in range(40)
    ]
    rows.append({"Date": date(2020, 2, 1), "Category": "Rocket attack", "Headline": "A very long entry", "Description": " ".join(f"word{n}" for n in range(3000))})
    rows.append({"Date": date(2020, 2, 2), "Category": "Rocket attack", "Headline": f"Statement by {ARABIC}", "Description": f"The group ({ARABIC}) and the {PERSIAN} said so."})
    rows.append({"Date": date(2020, 2, 3), "Category": "Rocket attack", "Headline": "Many sources", "Description": "Cited widely.",
                 "Sources": " ".join(f"https://news{n}.example.org/story" for n in range(300))})
    workbook = write_workbook(tmp / "hard.xlsx", rows, categories={**SAMPLE_CATEGORIES, "Drone attack": "attack"},
                              report={"Title": "Hard cases", "Authors": "A. Analyst", "Reference Date": date(2020, 1, 10)})
    (tmp / "hard.md").write_text("Summary with a [link](https://example.com/x).\n\n## Context\n\n- one\n- two\n\n1. first\n2. second\n\n#### Deep\n\nMore **text**.\n")
    layouts = tmp / "layouts"
    shutil.copytree(LAYOUTS, layouts)
    (layouts / "timeline-footnotes.toml").write_text('extends = "timeline.toml"\noutput = "{stem}-{layout}.pdf"\n[timeline]\nnotes = "footnotes"\n')
    built = build(workbook, (), tmp / "out", layouts).built
    return {item.layout: item.path for item in built if item.path.suffix == ".pdf"}


def test_every_sample_product_passes_pdf_ua_1(sample_products):
    assert set(sample_products) == {"timeline", "brief", "timeline-a4-landscape"}
    for name, path in sample_products.items():
        assert failed_rules(path.read_bytes()) == [], name


def test_every_hard_case_passes_pdf_ua_1(hard_products):
    assert set(hard_products) == {"timeline", "brief", "timeline-a4-landscape", "timeline-footnotes"}
    for name, path in hard_products.items():
        assert failed_rules(path.read_bytes()) == [], name


# -- negative controls: the gate fails on broken copies of our own PDFs


def test_the_gate_fails_without_a_figures_alternative_text(sample_products):
    def strip_alt(pdf: pikepdf.Pdf) -> None:
        del elements(pdf, "Figure")[0]["/Alt"]

    assert any(rule.startswith("PDFUA1-FIGURE-ALTERNATIVE-TEXT") for rule in failed_rules(edited(sample_products["brief"], strip_alt)))


def test_the_gate_fails_when_a_heading_level_is_skipped(sample_products):
    def skip(pdf: pikepdf.Pdf) -> None:
        elements(pdf, "H3")[0].S = pikepdf.Name("/H5")

    assert any(rule.startswith("PDFUA1-HEADING-NESTING") for rule in failed_rules(edited(sample_products["timeline"], skip)))


def test_the_gate_fails_on_untagged_content(sample_products):
    def untag(pdf: pikepdf.Pdf) -> None:
        first = pdf.pages[0]
        first.contents_add(pikepdf.Stream(pdf, b"BT /F1+0 12 Tf 72 72 Td (loose) Tj ET"), prepend=False)

    assert any(rule.startswith("PDFUA1-CONTENT-TAGGING") for rule in failed_rules(edited(sample_products["timeline"], untag)))


# -- the tree as a screen reader reads it


def test_headings_start_at_h1_and_never_skip_a_level(sample_products, hard_products):
    for path in [*sample_products.values(), *hard_products.values()]:
        levels = [level for level, _ in headings(structure(path))]
        assert levels[0] == 1, path.name
        assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), (path.name, levels)


def test_event_headlines_are_h4_in_date_order(sample_products):
    report, _ = load_report(SAMPLE_WORKBOOK)
    expected = [smarten(e.headline) for e in report.events if e.headline]  # printed with typographic quotes
    for name in ("timeline", "timeline-a4-landscape"):  # two columns read column one, then two
        tree = structure(sample_products[name])
        assert [text for level, text in headings(tree) if level == 4] == expected, name
        sections = [node for node in tree.walk() if node.role == "Sect"]
        assert len(sections) == len(report.events)
        assert all(any(kid.role == "H4" for kid in s.kids) for s in sections)


def test_each_chart_is_one_figure_whose_alternative_text_states_its_data(sample_products):
    figures = [node for node in structure(sample_products["brief"]).walk() if node.role == "Figure"]
    alts = [node.alt or "" for node in figures]
    assert len(figures) == 4
    frequency, casualties, locations, where = alts
    assert frequency.startswith("Bar chart of attacks per week") and "16 attacks" in frequency and "Rocket attack 14" in frequency
    assert "US: at least 3 killed, at least 117 wounded" in casualties
    assert "Camp Taji, Baghdad Province 3" in locations
    assert where.startswith("Map of the events") and "29 events" in where
    assert all(len(alt) <= 1_000 for alt in alts)
    assert all(node.pieces for node in figures)  # the drawing itself is the figure's content


def test_figures_and_the_casualty_table_give_the_box_they_are_drawn_in(sample_products):
    """PDF asks a figure or table on one page for its /BBox (a Layout attribute, in the page's
    coordinates): each chart's box holds its drawing, the table's holds its header text."""
    import numpy as np
    import pypdfium2 as pdfium

    path = sample_products["brief"]
    document = pdfium.PdfDocument(path)
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        boxes = {}
        for role in ("Figure", "Table"):
            for element in elements(pdf, role):
                assert element.A.O == "/Layout", role
                index = pages[element.Pg.objgen]
                x1, y1, x2, y2 = (float(v) for v in element.A.BBox)
                left, bottom, right, top = (float(v) for v in pdf.pages[index].MediaBox)
                assert left <= x1 < x2 <= right and bottom <= y1 < y2 <= top, role
                boxes.setdefault(role, []).append((index, (x1, y1, x2, y2)))
    assert len(boxes["Figure"]) == 4 and len(boxes["Table"]) == 1
    for index, (x1, y1, x2, y2) in boxes["Figure"]:
        page = document[index]
        height = page.get_height()
        pixels = np.asarray(page.render(scale=1).to_pil().convert("L"))
        inside = pixels[int(height - y2) : int(height - y1), int(x1) : int(x2)]
        assert (inside < 200).mean() > 0.01  # the chart is drawn there
    (index, (x1, y1, x2, y2)), = boxes["Table"]
    text = document[index].get_textpage()
    found = text.search("Casualties in attacks")
    start, count = found.get_next()
    left, bottom, right, top = text.get_charbox(start)
    assert x1 <= left and right <= x2 and y1 <= bottom and top <= y2


def test_every_link_annotation_is_described_printable_and_in_a_link_element(sample_products, hard_products):
    for path in [sample_products["timeline"], sample_products["brief"], hard_products["timeline-footnotes"]]:
        with pikepdf.open(path) as pdf:
            parents = pdf.Root.StructTreeRoot.ParentTree.Nums
            by_key = {int(parents[i]): parents[i + 1] for i in range(0, len(parents), 2)}
            links = [a for p in pdf.pages for a in p.get("/Annots", []) if a.get("/Subtype") == "/Link"]
            assert links, path.name
            for annotation in links:
                assert str(annotation.get("/Contents", "")).strip(), path.name
                assert int(annotation.F) & 4  # printed
                element = by_key[int(annotation.StructParent)]
                assert element.S == "/Link"
                assert any(kid.get("/Type") == "/OBJR" and kid.Obj.objgen == annotation.objgen for kid in element.K if isinstance(kid, pikepdf.Dictionary))


def test_furniture_is_artifacts_and_everything_else_is_in_the_tree(sample_products):
    for name, path in sample_products.items():
        marked, artifacts, unmarked = page_texts(path)
        assert unmarked == [] or all(not text.strip() for text in unmarked), name
        pages = len(PdfReader(path).pages)
        assert any(text == f"Page {pages} of {pages}" for text in artifacts), name
        tree_text = structure(path).full_text()
        assert "Page 1 of" not in tree_text
        # every marked sequence is reachable from the tree
        reached = {piece for node in structure(path).walk() for piece in node.pieces if isinstance(piece, tuple)}
        assert set(marked) == reached, name


def test_the_story_reads_in_order(sample_products):
    """The text reached through the tree is the visible story: the title block, then the
    events, their details and their sources, in the order they are printed."""
    text = structure(sample_products["timeline"]).full_text()
    order = ["US-Iran Escalation in Iraq", "By Maya Hartwell", "Rocket attack", "2019", "October 2019", "Nationwide protests begin",
             "Oct 30", "Rockets hit Green Zone", "2020", "January 2020", "Mar 29", "Coalition hands over K-1", "Sources", "1. https://"]
    at = 0
    for part in order:  # each found after the one before
        found = text.find(part, at)
        assert found >= 0, (part, text[at : at + 200])
        at = found + len(part)


def test_a_split_entry_stays_one_element_over_its_pages(hard_products):
    tree = structure(hard_products["timeline"])
    (long_text,) = [node for node in tree.walk() if node.role == "P" and node.full_text().startswith("word0 word1")]
    pages = {piece[0] for piece in long_text.pieces}
    assert len(pages) >= 2
    assert "word2999" in long_text.full_text()


def test_footnotes_are_notes_of_the_entry_citing_them(hard_products):
    tree = structure(hard_products["timeline-footnotes"])
    notes = [node for node in tree.walk() if node.role == "Note"]
    assert notes and all(node.element.get("/ID") for node in notes)
    assert len({str(node.element["/ID"]) for node in notes}) == len(notes)
    sections = [node for node in tree.walk() if node.role == "Sect"]
    assert any(kid.role == "Note" for s in sections for kid in s.kids)
    listed = [node for node in tree.walk() if node.role == "Lbl" and node.full_text() == "300."]
    assert listed  # 300 sources of one entry: a list in the entry, not footnotes


def test_arabic_and_persian_runs_carry_their_language(hard_products):
    spans = [node for node in structure(hard_products["timeline"]).walk() if node.role == "Span"]
    languages = {(str(s.element.get("/Lang")), str(s.element.get("/ActualText"))) for s in spans}
    assert ("ar", ARABIC) in languages
    assert ("fa", PERSIAN) in languages


def test_tables_have_headers_with_scope(sample_products):
    with pikepdf.open(sample_products["brief"]) as pdf:
        headers = elements(pdf, "TH")
        assert headers and all(h.A.Scope in ("/Column", "/Row") for h in headers)
        assert {int(h.A.ColSpan) for h in headers if "/ColSpan" in h.A} == {2}


def test_document_level_entries(sample_products):
    for name, path in sample_products.items():
        with pikepdf.open(path) as pdf:
            root = pdf.Root
            assert root.MarkInfo.Marked is True
            assert str(root.Lang) == "en-US"
            assert root.ViewerPreferences.DisplayDocTitle is True
            assert all(p.obj.Tabs == "/S" for p in pdf.pages)
            info = pdf.docinfo
            with pdf.open_metadata() as xmp:
                assert xmp["dc:title"] == str(info.Title)
                assert xmp["pdfuaid:part"] == "1"
                assert xmp["xmp:CreateDate"].startswith("2020-04-01")  # the edition date, not the clock
            assert str(info.CreationDate).startswith("D:20200401")
            for font in (obj for obj in pdf.objects if isinstance(obj, pikepdf.Dictionary) and obj.get("/Type") == "/Font" and "/ToUnicode" in obj):
                assert b"<0000>" not in font.ToUnicode.read_bytes(), name


def test_the_report_sheets_language_wins_over_the_layouts(tmp_path):
    rows = [{"Date": date(2020, 1, 1), "Category": "Rocket attack", "Description": "Rockets."}]
    workbook = write_workbook(tmp_path / "events.xlsx", rows, categories=SAMPLE_CATEGORIES, report={"Language": "en-GB"})
    (path,) = [b.path for b in build(workbook, ("timeline",), tmp_path / "out", LAYOUTS).built]
    with pikepdf.open(path) as pdf:
        assert str(pdf.Root.Lang) == "en-GB"


def test_reportlab_internals_the_tagging_needs_are_there():
    """What the tagging uses of ReportLab beyond its documented API: an upgrade that moves one
    fails here, by name, rather than in a build."""
    from reportlab.pdfbase import pdfdoc
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.pdfgen.textobject import PDFTextObject
    from reportlab.platypus import Paragraph, Table

    from timeline_pdf.render.tagging import REPORTLAB_INTERNALS

    canvas = Canvas(io.BytesIO())
    owners = {"Canvas": canvas, "PDFDocument": canvas._doc, "PDFPage": pdfdoc.PDFPage, "PDFTextObject": PDFTextObject(canvas),
              "Paragraph": Paragraph, "LinkAnnotation": pdfdoc.LinkAnnotation, "Table": Table([["cell"]])}
    owners["Table"].wrap(100, 100)
    for owner, names in REPORTLAB_INTERNALS.items():
        for name in names:
            assert hasattr(owners[owner], name), f"{owner}.{name}"
    assert "_linkRecord" in Path(__import__("reportlab.platypus.paragraph", fromlist=["x"]).__file__).read_text()


def test_the_tree_is_packed_in_compressed_object_streams():
    """A long timeline has a hundred thousand structure elements and tens of thousands of link
    annotations: they go in compressed object streams (PDF 1.5), so tagging adds little to the
    file (at 10,000 events the tagged file is smaller than the untagged one: see the benchmark)."""
    from timeline_pdf.build import load_layouts
    from timeline_pdf.fonts import document_fonts
    from timeline_pdf.render.timeline import render_timeline

    layout = load_layouts(["timeline"], LAYOUTS)[0]
    report, _ = load_report(SAMPLE_WORKBOOK)
    tagged = render_timeline(report, layout, document_fonts(layout))
    untagged = render_timeline(report, layout, document_fonts(layout), tagged=False)
    assert tagged.data.startswith(b"%PDF-1.5") and b"/Type/ObjStm" in tagged.data
    assert b"/Type/StructElem" not in tagged.data  # none written as plain text
    assert b"/Subtype /Link" not in tagged.data and b"/Subtype /Link" in untagged.data  # nor a link annotation
    assert len(tagged.data) < 1.2 * len(untagged.data)
    with pikepdf.open(io.BytesIO(tagged.data)) as pdf:
        assert len(elements(pdf, "Sect")) == len(report.events)
        assert not pdf.check_pdf_syntax()
        links = [a for page in pdf.pages for a in page.get("/Annots", []) if a.get("/Subtype") == "/Link"]
        assert len(links) > 10 and all("/Contents" in a and "/StructParent" in a and int(a.F) == 4 for a in links)
