"""Plain runs (``render/plain.py``) are laid out and drawn as ReportLab's ``Paragraph`` would:
the same lines on thousands of generated texts and widths, the same splits, the same pages and
the same tagged structure in a built timeline."""

from __future__ import annotations

import functools
import io
import random
from collections import Counter
from datetime import date

import numpy as np
import pikepdf
import pypdfium2 as pdfium
import pytest
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import getFont

from conftest import LAYOUTS
from pdf_helpers import page_texts, structure
from timeline_pdf.build import build, load_layouts
from timeline_pdf.fonts import document_fonts
from timeline_pdf.render import plain
from timeline_pdf.render.markup import escape
from timeline_pdf.render.plain import LastPiece, Piece, PlainParagraph, paragraph
from timeline_pdf.render.styles import build_styles
from timeline_pdf.render.tagging import Tag
from timeline_pdf.render.textpara import TextParagraph
from xlsx_helpers import SAMPLE_CATEGORIES, write_workbook

WORDS = ("militia", "rockets", "struck", "the", "base", "Kata’ib", "Hezbollah", "—", "·", "US", "1,200", "a", "I",
         "well-known", "co-operation", "“quoted”", "Al-Qaim,", "(Anbar)", "naïve", "Ain", "al-Asad", "…", "%", "20:30")
SEPARATORS = (" ", " ", " ", " ", "  ", "\t", "\n", " \n ", "\xa0", "-", "–", "/", "\u200b", " \u200b\n", "\u2009", "\u3000")
ENTITY_WORDS = ("a&b", "x<y", "y>z", '"said"', "AT&T", "<b>")


def _long_word(rng: random.Random) -> str:
    """A URL-like word longer than a line, to be split character by character."""
    return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789/.-_?=") for _ in range(rng.randint(25, 260)))


def generated(seed: int, count: int, extra: tuple[str, ...] = ()):
    """(text, style name, width) cases: words, no-break spaces, hyphens, tabs and newlines,
    long words, widths from a few characters to a page."""
    rng = random.Random(seed)
    for _ in range(count):
        words = []
        for _ in range(rng.randint(0, 90)):
            roll = rng.random()
            words.append(_long_word(rng) if roll < 0.03 else rng.choice(extra) if roll < 0.03 + 0.1 * bool(extra) else rng.choice(WORDS))
        text = "".join(word + rng.choice(SEPARATORS) for word in words)
        yield text, rng.choice(("body", "meta", "entry_headline", "date", "small")), rng.uniform(12, 460)


@pytest.fixture(scope="module")
def styles():
    layout = load_layouts(["timeline"], LAYOUTS)[0]
    return build_styles(layout.spec, document_fonts(layout))


def reportlab_lines(markup: str, style, width: float):  # noqa: ANN001
    """ReportLab's lines of the same markup: (unused width, words) of a one-fragment paragraph."""
    reference = TextParagraph(markup, style)
    reference.wrap(width, 1e9)
    return reference


def visible(text: str) -> int:
    return sum(1 for char in text if not char.isspace())


def test_the_same_lines_as_reportlab(styles):
    """Every line holds the same words with the same unused width (the same arithmetic), for
    text with long words to split, no-break spaces, hyphens, tabs and newlines."""
    seen = {"split words": 0, "no-break spaces": 0, "lines over their width": 0}
    for text, name, width in generated(15, 4000):
        style = getattr(styles, name)
        markup = escape(text)
        ours = paragraph(markup, style)
        assert isinstance(ours, PlainParagraph)
        ours.wrap(width, 1e9)
        reference = reportlab_lines(markup, style, width)
        assert reference.blPara.kind == 0  # one fragment
        assert [(unused, list(words)) for unused, words in reference.blPara.lines] == ours._lines, (text, name, width)
        seen["split words"] += any(isinstance(word, Piece) for _unused, words in ours._lines for word in words)
        seen["no-break spaces"] += "\xa0" in text
        seen["lines over their width"] += any(unused < 0 for unused, _words in ours._lines)
    assert all(count > 50 for count in seen.values()), seen


def test_lines_differ_only_where_reportlab_counts_entity_fragments(styles):
    """Text holding &, <, > or " is several fragments to ReportLab (each entity its own), and its
    multi-fragment line breaker lets a line run further into the margin: 5% of a space more per
    fragment boundary, where the one-fragment rule (ours) allows 5% of a space per word. So a
    line may end one word later in ReportLab's layout; nothing else differs. (Zero-width
    spaces are left out here: ReportLab's two line breakers disagree about them, the
    one-fragment one breaking there when the text also holds a no-break space.)"""
    differing = 0
    for text, name, width in generated(16, 3000, ENTITY_WORDS):
        text = text.replace("\u200b", " ")
        style = getattr(styles, name)
        markup = escape(text)
        ours = paragraph(markup, style)
        ours.wrap(width, 1e9)
        reference = reportlab_lines(markup, style, width)
        if reference.blPara.kind == 0:
            assert [(u, list(w)) for u, w in reference.blPara.lines] == ours._lines
            continue
        theirs = [visible("".join(getattr(f, "text", "") for f in line.words)) for line in reference.blPara.lines]
        mine = [visible(" ".join(words)) for _unused, words in ours._lines]
        if theirs == mine:
            continue
        differing += 1
        at = next(index for index, (a, b) in enumerate(zip(theirs, mine)) if a != b)
        assert theirs[at] > mine[at], (text, width)  # ReportLab's line took more
        unused, words = ours._lines[at]
        space = getFont(style.fontName).stringWidth(" ", style.fontSize)
        overflow = -reference.blPara.lines[at].extraSpace
        assert overflow > plain.SHRINK * space * len(words)  # more than the one-fragment rule allows
    # the cases are seeded, so the count is fixed: one text of this seed meets the condition (a
    # change here means the line breaking changed, in ours or in ReportLab's)
    assert differing == 1


def test_long_words_are_split_as_reportlab_splits_them(styles):
    style = styles.body
    word = "https://www.example.org/" + "a" * 400
    ours = paragraph(escape(f"See {word} now"), style)
    ours.wrap(120, 1e9)
    pieces = [w for _unused, words in ours._lines for w in words if isinstance(w, Piece)]
    assert "".join(pieces) == word and isinstance(pieces[-1], LastPiece)
    assert all(unused >= -1e-8 for unused, _words in ours._lines)
    assert ours._lines == [(u, list(w)) for u, w in reportlab_lines(escape(f"See {word} now"), style, 120).blPara.lines]


def split_both(ours, theirs, width: float, height: float) -> tuple[list, list]:  # noqa: ANN001 - two paragraphs
    """Our paragraph and ReportLab's, laid out and split at the same height: as many parts each."""
    ours.wrap(width, height), theirs.wrap(width, height)
    mine, reference = ours.split(width, height), theirs.split(width, height)
    assert len(mine) == len(reference), (ours.text, width, height)
    return mine, reference


def test_splits_fall_on_the_same_lines_and_keep_one_tag(styles):
    rng = random.Random(17)
    splits = 0
    for text, name, width in generated(18, 600):
        style = getattr(styles, name)
        markup = escape(text)
        tag = Tag("P")
        mine, reference = split_both(paragraph(markup, style, tag), TextParagraph(markup, style, tag=tag), width, rng.uniform(0, 400))
        if len(mine) == 2:
            splits += 1
            assert all(part.tag is tag for part in mine)
            for a, b in zip(mine, reference):
                a.wrap(width, 1e9), b.wrap(width, 1e9)
                assert a._lines == [(u, list(w)) for u, w in b.blPara.lines]
    assert splits > 50  # (180 of this seed's 600) the comparison above is not left to chance


def test_whatever_is_not_a_plain_run_keeps_reportlabs_paragraph(styles):
    body = styles.body
    assert isinstance(paragraph("Rockets &amp; drones", body), PlainParagraph)
    assert isinstance(paragraph("", body), PlainParagraph)
    for markup in ('<a href="https://example.com">link</a>', "<b>bold</b>", "co\xadoperation", "a&nbsp;b", escape("كتائب حزب الله")):
        made = paragraph(markup, body)
        assert isinstance(getattr(made, "paragraph", made), TextParagraph), markup  # ReportLab's, made when laid out
    assert isinstance(paragraph("Right", ParagraphStyle("right", parent=styles.small, alignment=TA_RIGHT)), TextParagraph)
    anchored = paragraph('<a name="note-7"/>7.', styles.small)
    assert isinstance(anchored, PlainParagraph) and anchored.anchor == "note-7" and anchored.text == "7."


def test_word_widths_are_kept_within_bounds(styles, monkeypatch):
    monkeypatch.setattr(plain, "WIDTHS_PER_FONT", 50)
    font = getFont(styles.body.fontName)
    for n in range(200):
        plain.break_lines([f"word{n}"], font, 9.25, 100)
        assert len(plain.widths(font, 9.25)) <= 52


def _pages(data: bytes) -> list[np.ndarray]:
    document = pdfium.PdfDocument(data)
    try:
        return [np.asarray(page.render(scale=1).to_pil().convert("L"), dtype=np.int16) for page in document]
    finally:
        document.close()


def test_a_timeline_of_plain_runs_looks_and_reads_as_reportlabs(tmp_path, monkeypatch):
    """The same workbook built with plain runs and with ReportLab's paragraphs for them: the
    same pages, pixel for pixel, and the same structure tree, text and marked content, with
    an entry split over pages, words longer than a line, no-break spaces, tabs and newlines."""
    rows = [{"Date": date(2020, 1, 2 + i % 27), "Category": ("Rocket attack", "Drone attack", "US strike")[i % 3], "Headline": f"Event\xa0number {i}",
             "Description": text or "Rockets.", "Location": "Camp Taji", "Actor": "Kata'ib Hezbollah", "US Killed": i % 2, "Sources": f"https://example.com/{i}"}
            for i, (text, _name, _width) in enumerate(generated(19, 60))]
    rows.append({"Date": date(2020, 2, 1), "Category": "Rocket attack", "Headline": "A long entry", "Description": " ".join(f"word{n}" for n in range(2500))})
    rows.append({"Date": date(2020, 2, 2), "Category": "Rocket attack", "Headline": "AT&T <b>not bold</b>", "Description": "x" * 700 + "\ttab\nline"})
    workbook = write_workbook(tmp_path / "plain.xlsx", rows, categories={**SAMPLE_CATEGORIES, "Drone attack": "attack"}, report={"Reference Date": date(2020, 1, 10)})
    (ours,) = [b.path for b in build(workbook, ("timeline",), tmp_path / "ours", LAYOUTS).built]

    from timeline_pdf.render import timeline

    made = Counter()

    def reportlab(markup, style, tag=None):  # noqa: ANN001, ANN202
        made[style.name] += 1
        return TextParagraph(markup, style, tag=tag)

    # entry_content took ``paragraph`` as its default ``make`` when it was defined: patching the
    # module's name alone reaches only the date column, so its default is replaced too
    entry_content = timeline.entry_content
    monkeypatch.setattr(timeline, "paragraph", reportlab)
    monkeypatch.setattr(timeline, "entry_content", functools.partial(entry_content, make=reportlab))
    (theirs,) = [b.path for b in build(workbook, ("timeline",), tmp_path / "theirs", LAYOUTS).built]
    # ReportLab made every paragraph of the entries: each headline and description, the
    # kicker and facts lines, and one date for each day
    assert made["entry_headline"] == made["body"] == len(rows) and made["meta"] >= len(rows), made
    assert made["date"] == len({row["Date"] for row in rows}), made
    mine, reference = _pages(ours.read_bytes()), _pages(theirs.read_bytes())
    assert len(mine) == len(reference) > 5
    for index, (a, b) in enumerate(zip(mine, reference)):
        assert a.shape == b.shape and int(np.abs(a - b).max()) == 0, f"page {index + 1}"
    assert page_texts(ours) == page_texts(theirs)

    def tree(node):  # noqa: ANN001, ANN202
        return (node.role, node.pieces and [p if isinstance(p, tuple) else tree(p) for p in node.pieces])

    assert tree(structure(ours)) == tree(structure(theirs))


def test_notes_numbers_are_the_targets_reportlab_would_place(tmp_path, monkeypatch):
    """The number of each note in the list at the end is a plain run carrying the note's
    anchor: its citations lead to the very page and place ReportLab's paragraph gives them."""
    from timeline_pdf.render import blocks, timeline

    rows = [{"Date": date(2020, 1, 1 + i % 28), "Category": "Rocket attack", "Headline": f"Event {i}", "Description": "Rockets strike a base. " * 12,
             "Sources": f"https://news{i}.example.org/story https://www.presstv.ir/{i}"} for i in range(60)]
    workbook = write_workbook(tmp_path / "notes.xlsx", rows, categories=SAMPLE_CATEGORIES)

    def targets(out: str) -> list[tuple]:
        (path,) = [b.path for b in build(workbook, ("timeline",), tmp_path / out, LAYOUTS).built]
        with pikepdf.open(path) as pdf:
            pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
            return [(str(a.Contents), pages[a.Dest[0].objgen], *(float(v) for v in list(a.Dest)[2:4]))
                    for page in pdf.pages for a in page.get("/Annots", []) if "/Dest" in a]

    ours = targets("ours")

    def reportlab(markup, style, tag=None):  # noqa: ANN001, ANN202
        return TextParagraph(markup, style, tag=tag)

    monkeypatch.setattr(timeline, "SourceNotes", lambda spec, anchors=True: blocks.SourceNotes(spec, anchors, make=reportlab))
    assert ours == targets("theirs")
    assert len({target[1:] for target in ours}) == 120  # every note its own place, on the pages of the list


def test_reportlab_internals_plain_runs_need_are_there():
    from reportlab.pdfgen.canvas import Canvas

    canvas = Canvas(io.BytesIO())
    owners = {"Canvas": canvas, "Flowable": plain.Flowable, "TTFont": plain.TTFont, "rl_config": plain.rl_config}
    for owner, names in plain.REPORTLAB_INTERNALS.items():
        for name in names:
            assert hasattr(owners[owner], name), f"{owner}.{name}"
