"""Link runs (``render/plain.py``'s ``LinkRunParagraph``): source lines and notes' URLs are laid
out and drawn as ReportLab's ``Paragraph`` would, with every link an annotation at the place
ReportLab gives it and a ``Link`` element of its own."""

from __future__ import annotations

import random
import re
from datetime import date

import pikepdf
import pytest

from conftest import LAYOUTS
from pdf_helpers import page_texts, structure
from test_plain_runs import _pages, split_both
from timeline_pdf.build import build, load_layouts
from timeline_pdf.layout.schema import Links
from timeline_pdf.fonts import document_fonts
from timeline_pdf.render import plain
from timeline_pdf.render.blocks import SourceNotes
from timeline_pdf.render.markup import escape, link
from timeline_pdf.render.plain import LinkRunParagraph, paragraph
from timeline_pdf.render.styles import build_styles
from timeline_pdf.render.tagging import Tag
from timeline_pdf.render.textpara import TextParagraph
from xlsx_helpers import SAMPLE_CATEGORIES, write_workbook

HOSTS = ("reuters.com", "apnews.com", "presstv.ir", "x.com", "a-rather-long-hostname-of-a-news-site.example.org", "a" * 90 + ".org")


@pytest.fixture(scope="module")
def layout():
    return load_layouts(["timeline"], LAYOUTS)[0]


@pytest.fixture(scope="module")
def styles(layout):
    return build_styles(layout.spec, document_fonts(layout))


def generated(layout, styles, seed: int, count: int):  # noqa: ANN001
    """(markup, style name, width): source lines as SourceNotes writes them (with and without
    citation links, note numbers up to the hundreds, foreign hosts starred) and notes that are
    one link to a URL, up to several lines long."""
    rng = random.Random(seed)
    for _ in range(count):
        if rng.random() < 0.3:
            url = f"https://www.{rng.choice(HOSTS)}/" + "/".join(rng.choice(("story", "2020", "jan", "x" * rng.randint(1, 120))) for _ in range(rng.randint(0, 6)))
            markup = link(url, escape(url), layout.spec.colours.link, layout.spec.links)
        else:
            notes = SourceNotes(layout.spec, anchors=rng.random() < 0.7, make=lambda markup, style, tag=None: markup)
            for number in range(rng.randint(0, 300)):
                notes.cite(f"https://{number}.example.org/")
            markup = notes.inline([f"https://www.{rng.choice(HOSTS)}/{n}" for n in range(rng.randint(1, 12))], styles)
        yield markup, rng.choice(("meta", "small", "body")), rng.uniform(30, 460)


def lines_of(reference) -> list[str]:  # noqa: ANN001 - a laid-out ReportLab paragraph
    """The text of each line of ReportLab's layout (one fragment, or several)."""
    if reference.blPara.kind == 0:
        return [" ".join(words) for _unused, words in reference.blPara.lines]
    return ["".join(getattr(fragment, "text", "") for fragment in line.words).strip() for line in reference.blPara.lines]


def reportlab_lines(markup: str, style, width: float) -> list[str]:  # noqa: ANN001
    reference = TextParagraph(markup, style)
    reference.wrap(width, 1e9)
    return lines_of(reference)


def test_the_same_lines_as_reportlab(layout, styles):
    seen = {"one link": 0, "several lines": 0, "split words": 0}
    for markup, name, width in generated(layout, styles, 21, 3000):
        style = getattr(styles, name)
        ours = paragraph(markup, style)
        assert isinstance(ours, LinkRunParagraph), markup
        ours.wrap(width, 1e9)
        assert [" ".join(words) for _unused, words in ours._lines] == reportlab_lines(markup, style, width), (markup, name, width)
        seen["one link"] += len(ours.links) == 1
        seen["several lines"] += len(ours._lines) > 1
        seen["split words"] += any(isinstance(word, plain.Piece) for _unused, words in ours._lines for word in words)
    assert all(count > 100 for count in seen.values()), seen


def test_a_split_keeps_each_link_and_its_element(layout, styles):
    rng = random.Random(22)
    splits = 0
    for markup, name, width in generated(layout, styles, 23, 600):
        style = getattr(styles, name)
        tag = Tag("P")
        ours = paragraph(markup, style, tag)
        mine, reference = split_both(ours, TextParagraph(markup, style, tag=tag), width, rng.uniform(0, 60))
        if len(mine) != 2:
            continue
        splits += 1
        head, tail = mine
        assert head.tag is tail.tag is tag
        assert {id(link.tag) for link in head.links + tail.links} == {id(link.tag) for link in ours.links}  # none lost
        for part in mine:
            assert all(part.text[link.start : link.end] for link in part.links)  # each piece of a link holds text
        for a, b in zip(mine, reference):
            a.wrap(width, 1e9), b.wrap(width, 1e9)
            assert [" ".join(words) for _unused, words in a._lines] == lines_of(b)
    assert splits > 50


def test_what_is_not_text_and_links_keeps_reportlabs_paragraph(styles):
    body = styles.body
    assert isinstance(paragraph('Source: <a href="https://example.com" color="#1f5f8b">example.com</a>*', body), LinkRunParagraph)
    for markup in ('<a href="ftp://example.com" color="#000000">ftp</a>', '<a href="https://example.com" color="nocolour">x</a>',
                   '<a name="note-1"/><a href="https://example.com" color="#000000">x</a>', '<a href="https://example.com" color="#000000"><b>x</b></a>',
                   '<a href="https://example.com" color="#000000"></a>', 'a&nbsp;<a href="https://example.com" color="#000000">b</a>',
                   '<a href="https://example.com" color="#000000">' + escape("كتائب") + "</a>",
                   link("https://example.com/?a=1&b=2", escape("https://example.com/?a=1&b=2"), "#000000", Links())):
        assert not isinstance(paragraph(markup, body), LinkRunParagraph), markup


def _annotations(path) -> list[tuple]:  # noqa: ANN001
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: index for index, page in enumerate(pdf.pages)}
        found = []
        for index, page in enumerate(pdf.pages):
            for annotation in page.get("/Annots", []):
                target = str(annotation.A.URI) if "/A" in annotation else (pages[annotation.Dest[0].objgen], *(round(float(v), 3) for v in list(annotation.Dest)[2:4]))
                found.append((index, tuple(round(float(v), 3) for v in annotation.Rect), str(annotation.Contents), target, int(annotation.F), "/StructParent" in annotation))
        return found


def test_a_timeline_of_link_runs_looks_reads_and_links_as_reportlabs(tmp_path, monkeypatch):
    """The same workbook built with link runs and with ReportLab's paragraphs for them: the
    same pages pixel for pixel, the same text and structure tree, and the same annotations
    (place, description, target, flags), in the timeline with endnotes and with footnotes."""
    rng = random.Random(24)
    rows = [{"Date": date(2020, 1, 1 + i % 28), "Category": ("Rocket attack", "US strike")[i % 2], "Headline": f"Event {i}", "Description": "Rockets strike a base. " * rng.randint(1, 30),
             "Sources": " ".join(f"https://www.{rng.choice(HOSTS)}/{i}/{n}" + "/long-path" * rng.randint(0, 20) for n in range(rng.randint(1, 9)))} for i in range(70)]
    workbook = write_workbook(tmp_path / "links.xlsx", rows, categories=SAMPLE_CATEGORIES)
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "footnoted.toml").write_text('extends = "timeline.toml"\noutput = "{stem}-{layout}.pdf"\n[timeline]\nnotes = "footnotes"\n')
    for name in ("base", "timeline"):
        (tmp_path / "layouts" / f"{name}.toml").write_text((LAYOUTS / f"{name}.toml").read_text())

    def built(out: str) -> list:
        return sorted(b.path for b in build(workbook, ("timeline", "footnoted"), tmp_path / out, tmp_path / "layouts").built)

    ours = built("ours")
    monkeypatch.setattr(plain, "link_run", lambda *args, **kwargs: None)
    theirs = built("theirs")
    for mine, reference in zip(ours, theirs, strict=True):
        a, b = _pages(mine.read_bytes()), _pages(reference.read_bytes())
        assert len(a) == len(b) > 3
        assert all(x.shape == y.shape and int(abs(x - y).max()) == 0 for x, y in zip(a, b)), mine.name
        assert read(mine) == read(reference)
        annotations = _annotations(mine)
        assert annotations == _annotations(reference) and len(annotations) > 200
        assert all(flags == 4 and parent for *_rest, flags, parent in annotations)
        assert tree(structure(mine)) == tree(structure(reference))


def read(path) -> list[str]:  # noqa: ANN001
    """Each page's marked text in the order it is drawn, whitespace folded: ReportLab marks the
    space after a link that ends a line as a sequence of its own, where a link run draws none."""
    marked, artifacts, unmarked = page_texts(path)
    pages = sorted({page for page, _mcid in marked})
    assert not unmarked
    return [re.sub(r"\s+", " ", "".join(marked[key] for key in sorted(marked) if key[0] == page)) for page in pages] + artifacts


def tree(node) -> tuple:  # noqa: ANN001 - a pdf_helpers.Node
    """An element as a reader meets it: its role, its text and its kids. A link split over two
    pages is one ``Link`` element of a link run, and one per page of ReportLab's split
    paragraph: consecutive Links to the same target are read as one."""
    kids: list[tuple] = []
    previous = None
    for piece in node.pieces:
        if isinstance(piece, tuple):
            previous = None
            continue
        made = tree(piece)
        target = _target(piece) if piece.role == "Link" else None
        if target is not None and target == previous:
            role, text, _kids = kids[-1]
            kids[-1] = (role, re.sub(r"\s+", " ", f"{text} {made[1]}").strip(), [])
        else:
            kids.append(made)
        previous = target
    return node.role, node.full_text(), kids


def _target(node) -> str:  # noqa: ANN001
    """Where a Link element's annotations lead (a URL, or 'in the document')."""
    kids = node.element.get("/K")
    for kid in kids if isinstance(kids, list) else [kids]:
        if not isinstance(kid, int) and kid.get_object().get("/Type") == "/OBJR":
            annotation = kid.get_object()["/Obj"].get_object()
            return str(annotation["/A"]["/URI"]) if "/A" in annotation else "in the document"
    return ""
