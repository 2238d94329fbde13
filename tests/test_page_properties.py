"""Property-based tests of the publication page: any text in a cell reaches the page as text,
never as markup; any summary becomes HTML of a few harmless elements, or fails with findings at
its line and column (as the brief's does, tests/test_summary_properties.py).

The page is rendered in memory from the sample report with one value replaced, and read back
with html5lib, as a browser parses it. Examples are the same on every run;
``HYPOTHESIS_EXAMPLES_SCALE`` multiplies their number and ``HYPOTHESIS_RANDOM=1`` draws new ones
(see test_properties.py).
"""

from __future__ import annotations

import os
import re
from dataclasses import replace

from bs4 import BeautifulSoup
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

import timeline_pdf as tp
from conftest import LAYOUTS, SAMPLE_WORKBOOK
from test_properties import TEXT
from test_summary_properties import SUMMARY, assert_located
from timeline_pdf.build import Context, render
from timeline_pdf.errors import WorkbookError
from timeline_pdf.layout import load_layout
from timeline_pdf.metrics import headline_figures
from timeline_pdf.typography import smart_quotes
from timeline_pdf.web.markdown import summary_html
from timeline_pdf.web.text import shown

SCALE = float(os.environ.get("HYPOTHESIS_EXAMPLES_SCALE", "1"))
CELL_EXAMPLES = int(300 * SCALE)
SUMMARY_EXAMPLES = int(200 * SCALE)
SAMPLE = replace(tp.load(SAMPLE_WORKBOOK).model, summary_markdown=None)  # the summary has its own test below
LAYOUT = load_layout(LAYOUTS / "page.toml")
LARGEST = headline_figures(SAMPLE).largest_attack
# where each value shows on the page: (CSS selector, the words before it, the text it is printed in,
# as one piece: typographic quotes are paired over the whole of it)
PLACES = {
    "title": ("h1", "", "{}"),
    "subtitle": (".subtitle", "", "{}"),
    "publisher": (".publisher", "", "{}"),
    "page_label": (".kicker", "", "{}"),
    "authors": (".byline", "By: ", "{} and Ann Other"),
    "attacks_label": (".cards li:first-child .label", "", "{}, Oct 1, 2019 – Mar 31, 2020"),
    "category": (".detail:nth-of-type(1)", "Attacks by category: ", "{} 14 · Missile attack 1 · Mob attack 1"),
    "headline": (".detail:nth-of-type(2)", "Largest attack: ", "January 8, 2020, {}"),
    "group": ("tbody tr:first-child th", "", "{}"),
}
SURROGATE = re.compile("[\ud800-\udfff]")
# what a summary may hold that matters on a web page: links of every kind, images, raw HTML
WEB = st.sampled_from(["[a](https://example.org/x)", "[b](http://news.example.iq/a?b=1&c=<2>)", "<https://www.ina.iq/x>", "<mailto:a@example.org>", "[c](javascript:alert(1))",
                       "[d](JAVASCRIPT:alert(1))", "[e](data:text/html,<script>x</script>)", "[f](file:///etc/passwd)", "[g](vbscript:x)", "[h](secret.pdf)", "[i](//evil.example/x)",
                       "![j](https://tracker.example/p.png)", "![k](data:image/png;base64,AAAA)", '[l](https://example.org "title <b>")', "<script>alert(1)</script>",
                       "<img src=x onerror=alert(1)>", '<a href="javascript:x">m</a>', "<style>*{}</style>", "&lt;", "&#60;script&#62;", "](", "[", "]", "(", ")", "\n\n", " ", "**", "_"])
PAGE_SUMMARY = st.one_of(SUMMARY, st.lists(st.one_of(WEB, st.text("abc XYZ", max_size=5)), max_size=16).map("".join))
MARKUP_ALLOWED = {"p", "h3", "h4", "h5", "h6", "em", "strong", "code", "pre", "ul", "ol", "li", "a", "br", "blockquote", "hr"}


def examples(count: int):
    return settings(max_examples=count, deadline=None, derandomize=os.environ.get("HYPOTHESIS_RANDOM") is None, suppress_health_check=list(HealthCheck), database=None)


def with_value(place: str, text: str):
    """The sample report with ``text`` typed where ``place`` says."""
    info = SAMPLE.info
    if place == "authors":
        return replace(SAMPLE, info=replace(info, authors=(text, "Ann Other")))
    if place == "category":  # the Rocket attack category renamed, in the Categories sheet and every event
        renamed = lambda name: text if name == "Rocket attack" else name  # noqa: E731
        return replace(SAMPLE, categories=tuple(replace(c, name=renamed(c.name), plural="") for c in SAMPLE.categories),
                       events=tuple(replace(e, category=renamed(e.category)) for e in SAMPLE.events))
    if place == "headline":
        return replace(SAMPLE, events=tuple(replace(e, headline=text) if e == LARGEST else e for e in SAMPLE.events))
    if place == "group":
        renamed = lambda name: text if name == "US" else name  # noqa: E731
        return replace(SAMPLE, groups=tuple(renamed(g) for g in SAMPLE.groups),
                       events=tuple(replace(e, casualties=tuple(replace(c, group=renamed(c.group)) for c in e.casualties)) for e in SAMPLE.events))
    return replace(SAMPLE, info=replace(info, **{place: text}))


def words(text: str) -> str:
    return " ".join(text.split())


@examples(CELL_EXAMPLES)
@given(place=st.sampled_from(sorted(PLACES)), text=TEXT)
def test_any_text_in_a_cell_reaches_the_page_as_text(place, text):
    with smart_quotes(LAYOUT.spec.typography.smart_quotes):
        expected = shown(text)
    assume(words(expected))  # a blank title is the default title, and a blank name no name
    assume(not SURROGATE.search(text))  # refused when the workbook is read (test_hostile.py): never in a report
    assume(not (place in ("category", "group") and text in ("Missile attack", "Mob attack", "Coalition", "Iraqi")))  # names stay apart
    page = render(with_value(place, text), LAYOUT, Context({}))
    soup = BeautifulSoup(page.data, "html5lib")
    selector, lead, piece = PLACES[place]
    found = soup.select(selector)
    assert len(found) == 1, (place, selector)
    with smart_quotes(LAYOUT.spec.typography.smart_quotes):
        assert words(found[0].get_text()) == words(lead + shown(piece.format(text))), place
    assert not soup.find_all(["script", "img", "iframe", "object", "embed", "link", "base", "form"])
    assert [name for element in soup.find_all(True) for name in element.attrs if name.startswith("on") or name == "style"] == []
    assert len(soup.find_all("h1")) == 1
    event(f"shown in {place}")


@examples(SUMMARY_EXAMPLES)
@given(PAGE_SUMMARY)
def test_any_summary_becomes_harmless_html_or_fails_with_located_findings(text):
    from timeline_pdf.summary import fill_summary

    report = replace(SAMPLE, summary_markdown=text, summary_file="summary.md")
    try:
        filled = fill_summary(report)
    except WorkbookError as error:
        event("a located finding")
        assert_located(text, error.findings)
        return
    with smart_quotes(LAYOUT.spec.typography.smart_quotes):
        html = summary_html(filled, LAYOUT.spec)
    soup = BeautifulSoup(html, "html5lib")
    elements = soup.body.find_all(True)
    assert {e.name for e in elements} <= MARKUP_ALLOWED, {e.name for e in elements} - MARKUP_ALLOWED
    for element in elements:
        allowed = {"a": {"href", "rel", "title"}, "ol": {"start"}, "code": {"class"}}.get(element.name, set())
        assert set(element.attrs) <= allowed, element
    for link in soup.find_all("a"):
        assert link["href"].split(":", 1)[0].lower() in ("http", "https", "mailto") and link["rel"] == ["noopener", "noreferrer"]
    if "<script>" in text:
        assert "<script>" in soup.get_text()  # raw HTML is text
    if "\\" not in text and "`" not in text:
        assert "{{" not in soup.get_text()  # no figure left as typed
    event("renders" + (" with links" if soup.find("a") else ""))
