"""Property-based tests: no text in a cell and no value in a layout makes anything but a
clean result or a finding that names where the problem is.

1. Any text in any cell either builds, with its printable words in the PDF's text, or fails
   with a workbook finding (``WorkbookError``): never any other exception.
2. Any value the layout schema can be given (from ``layout/schema.py``, of the right type or
   not, and unknown keys) either validates or fails with a ``LayoutError`` naming its key; a
   layout that validates then builds, or fails with a ``TimelinePdfError``.

Example counts are kept modest so the suite stays quick (about 15 seconds), and the examples
are the same on every run. For a longer search, ``HYPOTHESIS_EXAMPLES_SCALE`` in the environment
multiplies the counts and ``HYPOTHESIS_RANDOM=1`` draws new examples (with ``--hypothesis-seed``).
"""

from __future__ import annotations

import csv
import json
import math
import os
import re
import shutil
import types
import typing
from datetime import date
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel

from conftest import LAYOUTS
from pdf_helpers import text_of
from timeline_pdf.build import build
from timeline_pdf.errors import FINDING_CODES, LayoutError, TimelinePdfError, WorkbookError
from timeline_pdf.layout.load import load_layout
from timeline_pdf.layout.schema import CategoryStyle, Layout
from timeline_pdf.validate import load_report

SCALE = float(os.environ.get("HYPOTHESIS_EXAMPLES_SCALE", "1"))
CELL_EXAMPLES = int(300 * SCALE)
BRIEF_EXAMPLES = int(60 * SCALE)
LAYOUT_EXAMPLES = int(300 * SCALE)


def examples(count: int):
    return settings(max_examples=count, deadline=None, derandomize=os.environ.get("HYPOTHESIS_RANDOM") is None, suppress_health_check=list(HealthCheck), database=None)


# --- any text in any cell -----------------------------------------------------------------------

COLUMNS = ["Date", "End Date", "Category", "Headline", "Description", "Actor", "Target", "Location", "Latitude", "Longitude",
           "US Killed", "US Wounded", "Sources", "Key Event", "Include", "ID"]
PRINTED = ["Category", "Headline", "Description", "Actor", "Target", "Location"]  # columns whose text the timeline shows as typed
VALID = {"Date": "2020-01-14", "Category": "Rocket attack", "Description": "Rockets strike Camp Taji."}
ARABIC = st.characters(min_codepoint=0x0600, max_codepoint=0x06FF) | st.characters(min_codepoint=0xFB50, max_codepoint=0xFEFF) | st.sampled_from(list(" \u200c\u200d\u200f\u202e\u2066\u2069«»().,:-"))
MARKUP = st.sampled_from(['<b>', '</b>', '<img src="/etc/passwd"/>', '<a href="javascript:alert(1)">', '&amp;', '&', '<', '>', '<br/>', '<font size=99>', ']]>', '"', "'",
                          "https://example.org/a", "javascript:alert(1)", "\n", "\r\n", "\t", "\x00", "\x07", "😀", "e\u0301", "\ufeff", "\u200b", "\ud800"])
TEXT = st.one_of(
    st.text(st.characters(exclude_categories=("Cs",)), max_size=120),  # any code point
    st.text(max_size=60),  # unpaired surrogates too: the file is then not UTF-8
    st.text(ARABIC, max_size=80),
    st.lists(st.one_of(MARKUP, st.text("abcdefghij XYZ0123", max_size=12)), max_size=12).map("".join),
)


def write_csv(path: Path, row: dict[str, str]) -> Path:
    with path.open("w", encoding="utf-8", newline="", errors="surrogatepass") as stream:
        writer = csv.DictWriter(stream, COLUMNS)
        writer.writeheader()
        writer.writerow({**VALID, "Headline": "First"})
        writer.writerow({**VALID, **row})
    return path


def printable_words(text: str) -> list[str]:
    """Words a reader can find in the PDF whatever surrounds them: whole words of ASCII letters
    and digits, short enough never to be broken across lines in the narrowest column."""
    return re.findall(r"(?<![A-Za-z0-9])[A-Za-z0-9]{3,12}(?![A-Za-z0-9])", text)


def check_cells(tmp_path: Path, row: dict[str, str], layouts: tuple[str, ...]) -> None:
    folder = tmp_path
    workbook = write_csv(folder / "events.csv", row)
    try:
        built = build(workbook, layouts, folder / "out", LAYOUTS).built
    except WorkbookError as error:
        errors = [f for f in error.findings if f.severity == "error"]
        assert errors and all(f.code in FINDING_CODES and f.message for f in errors), error.findings
        event("a workbook finding")
        return
    event("built")
    assert {b.layout for b in built} == set(layouts)
    report, _ = load_report(workbook)
    if len(report.events) < 2:
        return  # the row was left out (Include = no)
    text = text_of(next(b.path for b in built if b.layout == "timeline")).lower()  # categories print in capitals too
    for column in PRINTED:
        for word in printable_words(row.get(column, "")):
            assert word.lower() in text, (column, word)


@examples(CELL_EXAMPLES)
@given(row=st.dictionaries(st.sampled_from(PRINTED * 3 + COLUMNS), TEXT, min_size=1, max_size=4))
def test_any_text_in_any_cell_builds_or_is_a_finding(tmp_path_factory, row):
    check_cells(tmp_path_factory.mktemp("cells"), row, ("timeline",))


@examples(BRIEF_EXAMPLES)
@given(row=st.dictionaries(st.sampled_from(PRINTED + ["Sources", "US Killed", "Latitude", "Longitude"]), TEXT, min_size=1, max_size=3))
def test_any_text_in_a_key_event_builds_the_brief_or_is_a_finding(tmp_path_factory, row):
    check_cells(tmp_path_factory.mktemp("brief"), {**row, "Key Event": "yes"}, ("brief", "timeline"))


# --- any value in a layout ----------------------------------------------------------------------

JUNK = st.one_of(st.booleans(), st.integers(-10**9, 10**9), st.floats(), st.text(max_size=12),
                 st.lists(st.integers(-3, 3), max_size=3), st.dictionaries(st.sampled_from(["a", "regular", "colour"]), st.integers(0, 3), max_size=2))
LENGTHS = st.one_of(st.floats(), st.integers(-100, 2_000), st.sampled_from(["12mm", "0.5in", "10pt", "2cm", "96px", "-3mm", "1e9in", "99999in", "0", "", "12 mm", "twelve"]))
COLOURS = st.one_of(st.sampled_from(["#1F3A5F", "#abc", "navy", "Dark Grey", "#12345", "#GGGGGG", "rgb(1,2,3)", ""]), st.text(max_size=8))
SECTIONS = st.sampled_from(["title", "legend", "timeline", "sources", "summary", "figures", "frequency_chart", "casualty_chart", "locations_chart", "map", "notable_events", "us", "ir", "Rocket attack"]) | st.text(max_size=10)
STRINGS = st.one_of(st.text(max_size=40), st.sampled_from(["{title}", "{stem}-{layout}.pdf", "{nope}", "{", "}", "{{title}}", "../../x.pdf", "/etc/passwd", "timeline.pdf", "brief-{edition}.pdf", "Letter", "6in x 9in", "0 x 0", "A4 x A3"]))


def strategy(annotation: Any) -> st.SearchStrategy:
    """Values of the annotation's type (edge values among them) as often as values of another type."""
    return plausible(annotation) | plausible(annotation) | JUNK


def plausible(annotation: Any) -> st.SearchStrategy:
    origin, args = get_origin(annotation), get_args(annotation)
    if origin is typing.Annotated:
        base, *metadata = args
        names = " ".join(getattr(m, "func", m).__qualname__ for m in metadata if hasattr(getattr(m, "func", m), "__qualname__"))
        if "to_points" in names:
            return LENGTHS
        if "to_hex" in names:
            return COLOURS
        return plausible(base)
    if origin is Literal:
        return st.sampled_from(args) | st.sampled_from(args) | STRINGS
    if origin in (typing.Union, types.UnionType):
        return st.one_of([plausible(a) for a in args if a is not type(None)])
    if origin is tuple:
        items = SECTIONS if args[0] is str else plausible(args[0])
        return st.lists(items, max_size=5)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return st.fixed_dictionaries({name: strategy(field.annotation) for name, field in annotation.model_fields.items()})
    if annotation is float:
        return st.floats() | st.floats(0, 100) | st.integers(-100, 200)
    if annotation is int:
        return st.integers(-5, 50)
    if annotation is str:
        return STRINGS
    return JUNK


def leaves(model: type[BaseModel] = Layout, prefix: str = "") -> list[tuple[str, Any]]:
    """(dotted key, annotation) of every key the schema has; a table of files or a category's
    style counts as a leaf too."""
    found = []
    for name, field in model.model_fields.items():
        key, annotation = f"{prefix}{name}", field.annotation
        if get_origin(annotation) is dict:  # palette: a category name, then its style
            found.append((key, annotation))
            found += [(f"{key}.Rocket attack.{k}", f.annotation) for k, f in CategoryStyle.model_fields.items()]
        elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found += leaves(annotation, key + ".")
        else:
            found.append((key, annotation))
    return found


LEAVES = leaves()
KNOWN_KEYS = st.sampled_from(LEAVES).flatmap(lambda leaf: st.tuples(st.just(leaf[0]), strategy(leaf[1])))
KEYS = st.one_of(KNOWN_KEYS, KNOWN_KEYS, KNOWN_KEYS,  # and one time in four a key the schema does not have
                 st.tuples(st.sampled_from(["", "page.", "fonts.", "charts.", "timeline.", "links.", "logo."]).flatmap(lambda p: st.from_regex(r"[a-z_]{1,12}", fullmatch=True).filter(lambda n: n != "extends").map(lambda n: p + n)), JUNK))


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"


def toml_string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False).replace("\x7f", "\\u007f")


def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else toml_string(key)


def layout_text(key: str, value: Any, product: str) -> str:
    dotted = ".".join(toml_key(part) for part in re.split(r"\.(?!attack)", key))  # "Rocket attack" stays one key
    lines = [] if key == "extends" else [f'extends = "{product}.toml"']
    return "\n".join(lines + [f"{dotted} = {toml_value(value)}", ""])


@pytest.fixture(scope="module")
def layout_project(tmp_path_factory):
    folder = tmp_path_factory.mktemp("layouts")
    shutil.copytree(LAYOUTS, folder / "layouts")
    from xlsx_helpers import SAMPLE_CATEGORIES, write_workbook

    rows = [{"Date": date(2020, 1, 1 + i), "Category": category, "Description": f"Event {i}.", "Key Event": i % 2 == 0, "US Killed": i % 3, "Latitude": 33.3, "Longitude": 44.4, "Location": "Baghdad"}
            for i, category in enumerate(SAMPLE_CATEGORIES)]
    return folder, write_workbook(folder / "events.xlsx", rows, categories=SAMPLE_CATEGORIES)


def top(key: str) -> str:
    return re.split(r"[.\[]", key, maxsplit=1)[0]


# a value may break a rule that spans keys, and that rule names the key it checks
RELATED = {"product": {"sections", "output", "page"}, "page": {"page"}, "timeline": {"page"}, "extends": {"extends", "product"}, "sections": {"sections"}}


@examples(LAYOUT_EXAMPLES)
@given(assignment=KEYS, product=st.sampled_from(["timeline", "brief", "page"]))
def test_any_layout_value_validates_or_is_named_and_then_builds(layout_project, assignment, product):
    folder, workbook = layout_project
    key, value = assignment
    path = folder / "layouts" / "generated.toml"
    path.write_text(layout_text(key, value, product), encoding="utf-8")
    try:
        layout = load_layout(path)
    except LayoutError as error:
        event("a layout error naming the key")
        assert error.findings and all(f.key and f.hint for f in error.findings), error.findings  # every problem names its key and a fix
        assert {top(f.key) for f in error.findings} & ({top(key)} | RELATED.get(top(key), set())), (key, error.findings)
        return
    if layout.spec.product is None:
        event("valid, not a product")
        return
    try:
        build(workbook, (str(path),), folder / "out", folder / "layouts")
        event("valid and built")
    except TimelinePdfError as error:  # a clear message (e.g. a font file that is not a font)
        assert error.message and all(f.message and f.hint for f in error.findings), error.findings
        event("valid, then a build error")
