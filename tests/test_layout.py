"""The layout language: shipped layouts, `extends` with deep merge, units, colours, and errors."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from timeline_pdf.errors import LayoutError
from timeline_pdf.layout import find_layouts, load_layout, resolve_layout
from timeline_pdf.layout.units import to_hex, to_points

ROOT = Path(__file__).resolve().parent.parent
LAYOUTS = ROOT / "layouts"
FONTS = ROOT / "src" / "timeline_pdf" / "data" / "fonts"
MM = 72 / 25.4


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A layouts folder holding a copy of the shipped base.toml."""
    shutil.copy(LAYOUTS / "base.toml", tmp_path / "base.toml")
    return tmp_path


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def layout_error(path: Path) -> LayoutError:
    with pytest.raises(LayoutError) as info:
        load_layout(path)
    return info.value


def lines(error: LayoutError) -> list[str]:
    """One line per finding: file, key, message and fix."""
    assert all(f.severity == "error" and f.code == "layout" and f.hint for f in error.findings), error.findings
    return [": ".join(filter(None, (f.file, f.key, f.message))) + f" | {f.hint}" for f in error.findings]


# --- shipped layouts ---------------------------------------------------------------------------


def test_shipped_layouts_load_and_only_products_are_found():
    assert [p.name for p in find_layouts(LAYOUTS)] == ["brief.toml", "page.toml", "timeline-a4-landscape.toml", "timeline.toml"]
    assert load_layout(LAYOUTS / "page.toml").spec.product == "page"
    assert load_layout(LAYOUTS / "timeline-a4-landscape.toml").spec.page.columns == 2
    assert load_layout(LAYOUTS / "timeline.toml").spec.product == "timeline"
    assert load_layout(LAYOUTS / "brief.toml").spec.product == "brief"
    assert load_layout(LAYOUTS / "base.toml").spec.product is None


def test_shipped_brief_merges_over_base():
    brief = load_layout(LAYOUTS / "brief.toml")
    assert brief.name == "brief"
    assert [p.name for p in brief.chain] == ["brief.toml", "base.toml"]
    spec = brief.spec
    assert spec.page.margins.left == pytest.approx(54.0)  # 0.75in, its own
    assert spec.page.margins.top == pytest.approx(57.6)  # 0.8in, its own
    assert spec.page.size == "Letter"  # from base
    assert spec.header == "{title}  ·  {period}"  # from base
    assert spec.palette["Rocket attack"].colour == "#D55E00"
    assert spec.charts.height == pytest.approx(2.2 * 72)
    assert spec.sections == ("title", "summary", "figures", "frequency_chart", "casualty_chart", "locations_chart", "map", "notable_events", "sources")
    assert spec.extends is None or spec.extends == "base.toml"


def test_shipped_timeline_keeps_base_margins():
    spec = load_layout(LAYOUTS / "timeline.toml").spec
    assert spec.page.margins.top == pytest.approx(0.85 * 72)
    assert spec.page.margins.left == pytest.approx(0.8 * 72)
    assert spec.page.dimensions() == (612.0, 792.0)
    assert spec.fonts.body == "Noto Serif"


# --- extends -----------------------------------------------------------------------------------


def test_two_line_product_over_a_copy_of_base_deep_merges(folder):
    path = write(folder, "mine.toml", """
        extends = "base.toml"
        page.margins.left = "20mm"
    """)
    base = load_layout(folder / "base.toml").spec
    spec = load_layout(path).spec
    assert spec.palette == base.palette and len(spec.palette) == 9
    assert spec.page.margins.left == pytest.approx(20 * MM)  # its own
    assert spec.page.margins.top == base.page.margins.top == pytest.approx(0.85 * 72)  # base's siblings kept
    assert spec.page.margins.right == pytest.approx(0.8 * 72)
    assert spec.colours == base.colours and spec.fonts == base.fonts


def test_deep_merge_inside_a_palette_entry_and_lists_replace(folder):
    path = write(folder, "mine.toml", """
        extends = "base.toml"
        product = "timeline"
        sections = ["timeline"]

        [palette."US strike"]
        marker = "star"

        [palette."Cyber attack"]
        colour = "teal"
    """)
    spec = load_layout(path).spec
    assert spec.palette["US strike"].marker == "star"
    assert spec.palette["US strike"].colour == "#0072B2"  # base's colour kept
    assert spec.palette["US strike"].hatch == "//"
    assert spec.palette["Cyber attack"].colour == "#00827F"
    assert spec.sections == ("timeline",)


def test_extends_chain_of_three_and_relative_folders(folder):
    write(folder, "shared/house.toml", """
        extends = "../base.toml"
        [colours]
        accent = "#abc"
    """)
    path = write(folder, "products/monthly.toml", """
        extends = "../shared/house.toml"
        product = "brief"
        [page]
        size = "A4"
    """)
    loaded = load_layout(path)
    assert [p.name for p in loaded.chain] == ["monthly.toml", "house.toml", "base.toml"]
    assert loaded.spec.colours.accent == "#AABBCC"
    assert loaded.spec.colours.text == "#1A1A1A"
    assert loaded.spec.page.dimensions() == pytest.approx((595.276, 841.89))


def test_font_files_are_relative_to_the_layout_that_named_them(folder):
    (folder / "shared" / "fonts").mkdir(parents=True)
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        shutil.copy(FONTS / f"NotoSans-{style}.ttf", folder / "shared" / "fonts" / f"House-{style}.ttf")
    write(folder, "shared/house.toml", """
        extends = "../base.toml"
        [fonts.body]
        regular = "fonts/House-Regular.ttf"
        bold = "fonts/House-Bold.ttf"
        italic = "fonts/House-Italic.ttf"
        bold_italic = "fonts/House-BoldItalic.ttf"
    """)
    loaded = load_layout(write(folder, "products/brief.toml", 'extends = "../shared/house.toml"\nproduct = "brief"\n'))
    body = loaded.spec.fonts.body
    for style in ("regular", "bold", "italic", "bold_italic"):
        font = loaded.font_path(body, style)
        assert font.is_file(), font
        assert font.parent == (folder / "shared" / "fonts").resolve()


# --- units and colours -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, points",
    [("12mm", 12 * MM), ("0.5in", 36.0), ("1cm", 72 / 2.54), ("10pt", 10.0), ("10", 10.0), (10, 10.0), (7.5, 7.5), ("12 mm", 12 * MM), ("4px", 3.0), (0, 0.0)],
)
def test_lengths_convert_to_points(text, points):
    assert to_points(text) == pytest.approx(points)


@pytest.mark.parametrize("text", ["-3mm", -1, "3 furlongs", "mm", "", "1,5cm", True])
def test_bad_lengths_are_rejected(text):
    with pytest.raises(ValueError):
        to_points(text)


@pytest.mark.parametrize("length", ["12mm", "0.5in", "1cm", "10pt", "10", "10.5"])
def test_lengths_in_a_layout_file(folder, length):
    path = write(folder, "mine.toml", f'extends = "base.toml"\n[page.margins]\nleft = "{length}"\n[charts]\nheight = 144\n')
    spec = load_layout(path).spec
    assert spec.page.margins.left == pytest.approx(to_points(length))
    assert spec.charts.height == 144.0 and isinstance(spec.charts.height, float)  # a plain TOML number is points


@pytest.mark.parametrize(
    "text, hex_",
    [("#abc", "#AABBCC"), ("#1f3a5f", "#1F3A5F"), ("#1F3A5F", "#1F3A5F"), ("navy", "#1F3A5F"), ("Dark Grey", "#404040"), (" red ", "#D62728"), ("sky-blue", "#56B4E9")],
)
def test_colours_convert_to_hex(text, hex_):
    assert to_hex(text) == hex_


@pytest.mark.parametrize("text", ["#abcd", "#ggg", "reddish", "rgb(1,2,3)", "", "1F3A5F"])
def test_bad_colours_are_rejected(text):
    with pytest.raises(ValueError):
        to_hex(text)


def test_page_size_and_orientation(folder):
    path = write(folder, "mine.toml", 'extends = "base.toml"\n[page]\nsize = "6in x 9in"\norientation = "landscape"\n')
    assert load_layout(path).spec.page.dimensions() == pytest.approx((648.0, 432.0))


# --- errors ------------------------------------------------------------------------------------


def test_every_layouts_problems_are_reported_at_once_each_once(tmp_path):
    """A mistake in the shared base and one in each product layout: building any of them, or
    all, reports all three (the base's once, not once per layout that extends it), and the
    closing line names the files."""
    from timeline_pdf.build import load_layouts

    folder = tmp_path / "layouts"
    shutil.copytree(LAYOUTS, folder)
    for name, line in (("base.toml", "colr = 1"), ("timeline.toml", 'titel = "x"'), ("brief.toml", "max_pagez = 3")):
        path = folder / name
        path.write_text(f"{line}\n{path.read_text()}")  # a top-level key, before any table
    expected = {(str(folder / "base.toml"), "colr"), (str(folder / "timeline.toml"), "titel"), (str(folder / "brief.toml"), "max_pagez")}
    for names in ([], ["timeline", "brief"]):
        with pytest.raises(LayoutError) as info:
            load_layouts(names, folder)
        found = [(f.file, f.key) for f in info.value.findings]
        assert sorted(found) == sorted(expected), names  # each once
        closing = str(info.value).splitlines()[-1]
        assert closing.startswith("3 problem(s) in layouts ") and all(str(folder / name) in closing for name in ("base.toml", "timeline.toml", "brief.toml"))
    with pytest.raises(LayoutError) as info:
        load_layouts(["timeline", "no-such-layout"], folder)
    assert any(f.key == "" and f.message.startswith("no layout 'no-such-layout'") for f in info.value.findings)  # a name not found, with the rest
    assert {(f.file, f.key) for f in info.value.findings} >= {(str(folder / "base.toml"), "colr"), (str(folder / "timeline.toml"), "titel")}


def test_unknown_key_with_did_you_mean_exactly(folder):
    path = write(folder, "brief.toml", """
        extends = "base.toml"
        product = "brief"
        [page.margins]
        lefft = "1in"
    """)
    error = layout_error(path)
    assert lines(error) == [f"{path}: page.margins.lefft: unknown key 'lefft' | did you mean 'left'?"]
    assert str(error).splitlines() == [f"{path}: page.margins.lefft: error: unknown key 'lefft'", "    fix: did you mean 'left'?", f"1 problem(s) in layout {path}."]


def test_unknown_table_and_unknown_key_in_a_palette_entry(folder):
    path = write(folder, "mine.toml", """
        extends = "base.toml"
        [colors]
        text = "red"
        [palette."US strike"]
        markr = "star"
    """)
    assert set(lines(layout_error(path))) == {
        f"{path}: colors: unknown key 'colors' | did you mean 'colours'?",
        f"{path}: palette.US strike.markr: unknown key 'markr' | did you mean 'marker'?",
    }


def test_bad_colour(folder):
    path = write(folder, "mine.toml", 'extends = "base.toml"\n[colours]\naccent = "reddish"\n')
    (line,) = lines(layout_error(path))
    assert line.startswith(f"{path}: colours.accent: expected a colour as '#RRGGBB'")
    assert "'reddish'" in line


def test_bad_marker(folder):
    path = write(folder, "mine.toml", 'extends = "base.toml"\n[palette."Rocket attack"]\nmarker = "hexagon"\n')
    (line,) = lines(layout_error(path))
    assert line.startswith(f"{path}: palette.Rocket attack.marker: ")
    assert "'circle'" in line and "'star'" in line and "'hexagon'" in line



def test_a_value_outside_a_fixed_list_gets_a_did_you_mean(folder):
    path = write(folder, "mine.toml", 'extends = "base.toml"\n[charts]\nfrequency = "weekk"\n[palette."Rocket attack"]\nmarker = "squar"\n')
    found = {f.key: f for f in layout_error(path).findings}
    assert found["charts.frequency"].hint.startswith("did you mean 'week'? frequency: Preferred bin")
    assert "(got 'weekk')" in found["charts.frequency"].message
    assert found["palette.Rocket attack.marker"].hint.startswith("did you mean 'square'?")
    far = write(folder, "far.toml", 'extends = "base.toml"\n[charts]\nfrequency = "fortnight"\n')
    (finding,) = layout_error(far).findings  # nothing near: the message lists the values, the hint says what the key is
    assert not finding.hint.startswith("did you mean") and "'quarter'" in finding.message

def test_palette_category_whose_name_starts_like_a_type_keeps_its_key_path(folder):
    path = write(folder, "mine.toml", 'extends = "base.toml"\n[palette.strike]\ncolour = "#zzz"\n')
    (line,) = lines(layout_error(path))
    assert line.startswith(f"{path}: palette.strike.colour: ")


def test_unknown_section(folder):
    path = write(folder, "mine.toml", 'extends = "base.toml"\nproduct = "brief"\nsections = ["title", "figurs"]\n')
    assert lines(layout_error(path)) == [f"{path}: sections[1]: unknown brief section 'figurs' | did you mean 'figures'?"]


def test_timeline_sections_are_not_brief_sections(folder):
    path = write(folder, "mine.toml", 'extends = "base.toml"\nproduct = "timeline"\nsections = ["title", "figures"]\n')
    (line,) = lines(layout_error(path))
    assert line.startswith(f"{path}: sections[1]: unknown timeline section 'figures'")


def test_unknown_font_family(folder):
    path = write(folder, "mine.toml", 'extends = "base.toml"\n[fonts]\nheading = "Noto Sanz"\n')
    (line,) = lines(layout_error(path))
    assert line.startswith(f"{path}: fonts.heading: unknown font family 'Noto Sanz'")
    assert "did you mean 'Noto Sans'?" in line


def test_missing_font_file(folder):
    path = write(folder, "mine.toml", """
        extends = "base.toml"
        [fonts.body]
        regular = "fonts/Missing-Regular.ttf"
        bold = "fonts/Missing-Bold.ttf"
        italic = "fonts/Missing-Italic.ttf"
        bold_italic = "fonts/Missing-BoldItalic.ttf"
    """)
    got = lines(layout_error(path))
    assert len(got) == 4
    assert got[0] == f"{path}: fonts.body.regular: font file 'fonts/Missing-Regular.ttf' not found next to mine.toml | put the TTF file beside mine.toml, or correct its name"


def test_toml_syntax_error_reports_line_and_column(folder):
    path = write(folder, "mine.toml", 'extends = "base.toml"\n\n[page\nsize = "A4"\n')
    (line,) = lines(layout_error(path))
    assert line.startswith(f"{path}: TOML syntax error")
    assert "line 3, column 6" in line


def test_toml_syntax_error_in_the_base_names_the_base(folder):
    (folder / "base.toml").write_text((folder / "base.toml").read_text() + "\nbroken = \n", encoding="utf-8")
    path = write(folder, "mine.toml", 'extends = "base.toml"\n')
    error = layout_error(path)
    (line,) = lines(error)
    assert line.startswith(f"{folder / 'base.toml'}: TOML syntax error") and "line" in line and "column" in line


def test_extends_loop(folder):
    write(folder, "a.toml", 'extends = "b.toml"\n')
    write(folder, "b.toml", 'extends = "a.toml"\n')
    assert "loop" in str(layout_error(folder / "a.toml"))
    write(folder, "self.toml", 'extends = "self.toml"\n')
    assert "loop" in str(layout_error(folder / "self.toml"))


def test_missing_extends_file(folder):
    path = write(folder, "mine.toml", 'extends = "bsae.toml"\n')
    assert lines(layout_error(path)) == [f"{path}: extends: the file 'bsae.toml' does not exist next to this layout | did you mean 'base.toml'?"]


def test_extends_that_is_not_a_file_name(folder):
    path = write(folder, "mine.toml", "extends = 3\n")
    assert lines(layout_error(path))[0].startswith(f"{path}: extends: ")


def test_several_problems_are_all_reported_in_one_error(folder):
    path = write(folder, "mine.toml", """
        extends = "base.toml"
        product = "brief"
        sections = ["title", "sumary"]
        [page]
        size = "B5"
        [page.margins]
        lefft = "1in"
        top = "3 furlongs"
        [colours]
        accent = "reddish"
        [fonts]
        body = "Helvetica"
        [palette."Rocket attack"]
        marker = "hexagon"
    """)
    error = layout_error(path)
    keys = [f.key for f in error.findings]
    assert sorted(keys) == sorted([
        "sections[1]", "page.size", "page.margins.lefft", "page.margins.top", "colours.accent", "fonts.body", "palette.Rocket attack.marker",
    ])
    assert all(f.file == str(path) and f.hint for f in error.findings)
    assert "7 problem(s)" in error.message


def test_the_error_names_the_file_that_set_the_bad_key(folder):
    base = folder / "base.toml"
    base.write_text(base.read_text().replace("[charts]\n", "[charts]\nfrequncy = \"month\"\n"), encoding="utf-8")
    path = write(folder, "mine.toml", """
        extends = "base.toml"
        product = "brief"
        [colours]
        link = "bluish"
    """)
    error = layout_error(path)
    assert error.file == str(path)
    assert set(lines(error)) == {
        f"{base}: charts.frequncy: unknown key 'frequncy' | did you mean 'frequency'?",
        f"{path}: colours.link: " + to_hex_message("bluish") + " | link: Colour of clickable links. (docs/layouts.md lists every key with its type, default and meaning)",
    }


def test_a_bad_value_in_the_base_overridden_by_the_product_is_not_reported(folder):
    base = folder / "base.toml"
    base.write_text(base.read_text().replace('accent = "#1F3A5F"', 'accent = "#nothex"'), encoding="utf-8")
    assert "colours.accent" in str(layout_error(base))
    path = write(folder, "mine.toml", 'extends = "base.toml"\n[colours]\naccent = "navy"\n')
    assert load_layout(path).spec.colours.accent == "#1F3A5F"


def to_hex_message(value: str) -> str:
    try:
        to_hex(value)
    except ValueError as exc:
        return str(exc)
    raise AssertionError(f"{value!r} was accepted")


# --- finding a layout by name ------------------------------------------------------------------


def test_resolve_layout_by_name_and_did_you_mean():
    assert resolve_layout("brief", LAYOUTS) == LAYOUTS / "brief.toml"
    assert resolve_layout("timeline.toml", LAYOUTS) == LAYOUTS / "timeline.toml"
    with pytest.raises(LayoutError) as info:
        resolve_layout("breif", LAYOUTS)
    assert "did you mean 'brief'?" in str(info.value)


# --- placeholders in layout texts and file names -----------------------------------------------


def test_an_unknown_placeholder_in_the_header_names_the_file_the_key_and_the_placeholders(folder):
    """A header typed as '{titel}  ·  {period}' would print '{titel}' on every page."""
    path = write(folder, "mine.toml", 'extends = "base.toml"\nproduct = "timeline"\nheader = "{titel}  ·  {period}"\n')
    (finding,) = layout_error(path).findings
    assert (finding.file, finding.key, finding.message) == (str(path), "header", "unknown placeholder '{titel}' in header")
    assert finding.hint == "did you mean '{title}'? The placeholders of header are {title}, {subtitle}, {period}, {edition}, {page}, {pages}"


@pytest.mark.parametrize(("key", "text", "message", "hint_start"), [
    ("output", "{stem}-timeline-{editon}.pdf", "unknown placeholder '{editon}' in output", "did you mean '{edition}'? The placeholders of output are {stem}, {layout}, {slug}, {edition}"),
    ("footer", "Page {page} of {total}", "unknown placeholder '{total}' in footer", "did you mean '{title}'? The placeholders of footer are {title}"),
    ("edition_title", "{title}: {period}", "unknown placeholder '{period}' in edition_title", "The placeholders of edition_title are {title}, {edition}"),
    ("header", "{title} {", "'{title} {' is not a valid text with placeholders", "write a literal brace as {{ or }}"),
    ("header", "{title.__class__}", "unknown placeholder '{title.__class__}' in header", "The placeholders of header"),
    ("header", "{title:>40}", "'{title:>40}' in header formats its placeholder", "write the placeholder alone, as {title}"),
])
def test_every_layout_text_refuses_placeholders_it_does_not_have(folder, key, text, message, hint_start):
    path = write(folder, "mine.toml", f'extends = "base.toml"\nproduct = "timeline"\n{key} = "{text}"\noutput = "{{stem}}-timeline.pdf"\n' if key != "output" else f'extends = "base.toml"\nproduct = "timeline"\noutput = "{text}"\n')
    found = [f for f in layout_error(path).findings if f.key == key]
    assert [f.message.split(" (")[0] for f in found] == [message.split(" (")[0]]
    assert found[0].hint.startswith(hint_start) and found[0].file == str(path)


def test_literal_braces_and_every_known_placeholder_are_accepted(folder):
    path = write(folder, "mine.toml", 'extends = "base.toml"\nproduct = "timeline"\nheader = "{{draft}} {title} {subtitle} {period} {edition} {page}/{pages}"\nedition_title = "{title} ({edition})"\noutput = "{stem}-{layout}-{slug}-{edition}.pdf"\n')
    assert load_layout(path).spec.header.startswith("{{draft}}")
