"""Source notes' markup is made into the fragments ReportLab's parser would make, without the
parser (``render/linked.py``): compared attribute by attribute on generated markup."""

from __future__ import annotations

import random

import pytest
from reportlab.platypus.paragraph import cleanBlockQuotedText
from reportlab.platypus.paraparser import ParaParser

from conftest import LAYOUTS
from timeline_pdf.build import load_layouts
from timeline_pdf.fonts import document_fonts
from timeline_pdf.render.linked import LinkedParagraph, link_fragments, link_parts
from timeline_pdf.render.markup import escape, link
from timeline_pdf.render.plain import paragraph
from timeline_pdf.render.styles import build_styles
from timeline_pdf.render.textpara import TextParagraph

HOSTS = ("reuters.com", "a&b.org", 'q"x.net', "<b>bold</b>", "presstv.ir", "bbc.co.uk", " spaced ", "“quoted”", "")
URLS = ("https://www.reuters.com/a?b=1&c=2", "http://x.ir/<script>", "mailto:a@b.example", 'https://q.example/"x"', "javascript:alert(1)",
        "https://e.example/ spaced ", "https://e.example/%20&amp;")
TEXTS = ("Sources: ", ", ", " ", "a & b", "“x”", "\n", "tab\there", "AT&T <x>", "* Link to a foreign domain.")


@pytest.fixture(scope="module")
def layout():
    return load_layouts(["timeline"], LAYOUTS)[0]


def state(fragment) -> dict:  # noqa: ANN001 - a ReportLab fragment
    found = dict(vars(fragment))
    if "cbDefn" in found:
        found["cbDefn"] = dict(vars(found["cbDefn"]))
    found["textColor"] = repr(found["textColor"])
    return found


def generated(spec, seed: int, count: int):  # noqa: ANN001
    rng = random.Random(seed)
    for _ in range(count):
        parts = []
        for _ in range(rng.randint(0, 6)):
            roll = rng.random()
            if roll < 0.4:
                parts.append(link(rng.choice(URLS), escape(rng.choice(HOSTS)), rng.choice(("#1F5FA8", spec.colours.link, spec.colours.accent)), spec.links))
            elif roll < 0.55:
                number = rng.randint(1, 99)
                parts.append(f'<a href="#note-{number}" color="{spec.colours.link}">[{number}]</a>')  # as SourceNotes.inline writes it
            elif roll < 0.65:
                parts.append(f'<a name="note-{rng.randint(1, 999)}"/>{rng.randint(1, 999)}.')
            else:
                parts.append(escape(rng.choice(TEXTS)))
        yield rng.choice(("", " ", ", ")).join(parts)


def test_the_parsers_fragments_for_text_and_links(layout):
    styles = build_styles(layout.spec, document_fonts(layout))
    made = 0
    for markup in generated(layout.spec, 21, 2500):
        style = random.Random(markup).choice((styles.meta, styles.small, styles.body))
        ours = link_fragments(markup, style)
        parser = ParaParser()
        parser.caseSensitive = 1
        parsed_style, fragments, _bullets = parser.parse(cleanBlockQuotedText(markup), style)
        if ours is None:
            assert "<b>" in markup or "<font" in markup, markup
            continue
        made += 1
        assert ours[0] is parsed_style
        assert [state(f) for f in ours[1]] == [state(f) for f in fragments], markup
        for fragment in ours[1]:  # the pieces of one link share its target, as the parser's do
            siblings = [f for f in ours[1] if f.link and fragment.link and f.link[0] == fragment.link[0]]
            assert all(f.link is fragment.link for f in siblings)
    assert made > 2000


def test_other_markup_is_left_to_the_parser(layout):
    styles = build_styles(layout.spec, document_fonts(layout))
    for markup in ("<b>bold</b>", '<font color="#FF0000">red</font>', 'x <a href="https://a.example" color="#000000"><b>y</b></a>', '<a name=" "/>1.', "a&nbsp;b <a name=\"n\"/>"):
        assert link_fragments(markup, styles.meta) is None, markup
    bold = paragraph("<b>bold</b>", styles.small)
    assert isinstance(bold, TextParagraph) and bold.frags[0].fontName != styles.small.fontName  # ReportLab's, by its parser


def test_a_linked_paragraph_is_made_when_first_laid_out_and_splits_as_reportlabs(layout):
    styles = build_styles(layout.spec, document_fonts(layout))
    markup = "Sources: " + ", ".join(link(f"https://news{n}.example.org/a/very/long/path", escape(f"news{n}.example.org"), "#1F5FA8", layout.spec.links) for n in range(40))
    ours = LinkedParagraph(markup, styles.meta, None, link_parts(markup, styles.meta))  # what paragraph() makes of text and links that are no link run
    assert ours._paragraph is None
    theirs = TextParagraph(markup, styles.meta)
    assert ours.wrap(300, 1000) == theirs.wrap(300, 1000)
    assert ours.split(300, 1000) == [ours]
    parts, reference = ours.split(300, 40), theirs.split(300, 40)
    assert len(parts) == len(reference) == 2
    assert [p.wrap(300, 1000) for p in parts] == [p.wrap(300, 1000) for p in reference]
