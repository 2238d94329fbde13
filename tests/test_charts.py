"""The charts stage: figures inspected as matplotlib objects, and their conversion to Drawings."""

from __future__ import annotations

import io
import logging
import itertools
from collections import Counter
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import matplotlib
import matplotlib.dates as mdates
import pytest
from matplotlib.colors import to_rgba
from matplotlib.text import Annotation, Text
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Group, Image, String
from reportlab.pdfgen.canvas import Canvas

from timeline_pdf.charts import casualty_chart, casualty_figure, figure_to_drawing, frequency_chart, frequency_figure
from timeline_pdf.charts.bins import MAX_BINS, TimeBins, bin_count, bin_unit
from timeline_pdf.charts.casualties import EMPTY_CASUALTIES, running_totals
from timeline_pdf.charts.frequency import EMPTY_FREQUENCY, place_labels
from timeline_pdf.charts.style import LABEL_CHARS, bar_rectangles, short_label
from timeline_pdf.charts.drawing import rl_style
from timeline_pdf.fonts import STYLES, document_fonts, register_reportlab
from timeline_pdf.layout import load_layout
from timeline_pdf.model import Casualties, Category, Event, Period, Report, ReportInfo
from timeline_pdf.palette import category_styles

LAYOUT = load_layout(Path(__file__).parent.parent / "layouts" / "brief.toml")
FONTS = document_fonts(LAYOUT)
WIDTH, HEIGHT = 500.0, 160.0
CATEGORIES = (
    Category("Rocket attack", "attack"),
    Category("Drone attack", "attack"),
    Category("Missile attack", "attack"),
    Category("US strike", "response"),
    Category("Iraqi politics", "political"),
)
_rows = itertools.count(2)


def event(day: date, category: str = "Rocket attack", key: bool = False, headline: str = "", casualties: tuple[Casualties, ...] = ()) -> Event:
    return Event(row=next(_rows), date=day, category=category, description=f"{category} on {day}", headline=headline, key=key, casualties=casualties)


def make_report(events: list[Event], start: date, end: date, reference: date | None = None, groups: tuple[str, ...] = ("US", "Iraqi")) -> Report:
    info = ReportInfo(period=Period(start, end), reference_date=reference)
    return Report(info, events=tuple(sorted(events, key=lambda e: (e.date, e.row))), categories=CATEGORIES, groups=groups)


def monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def drawn(fig):
    fig.draw_without_rendering()
    return fig.canvas.get_renderer()


def texts(fig) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def bar_series(ax, prefix: str = "bars:") -> dict[str, list[tuple[float, float, float, float]]]:
    """{series name: its bars as (left, bottom, width, height)}, in drawing order."""
    return {p.get_gid().split(":", 1)[1]: bar_rectangles(p.get_path()) for p in ax.patches if (p.get_gid() or "").startswith(prefix)}


def bar_patches(ax, prefix: str = "bars:") -> list:
    return [p for p in ax.patches if (p.get_gid() or "").startswith(prefix)]


def bar_day(rect: tuple[float, float, float, float]) -> date:
    """The first day of the bin a bar stands in (bars are centred on their bin)."""
    left, _bottom, width, _height = rect
    return mdates.num2date(left + width / 2).date()


# A quarter with three attack categories, a response and political events that must not count,
# key events crowded into a few days, and an attack outside the period.
START, END = date(2020, 1, 1), date(2020, 3, 31)
QUARTER = [
    event(date(2019, 12, 20)),  # before the period
    event(date(2020, 1, 2)),
    event(date(2020, 1, 3), "Drone attack"),
    event(date(2020, 1, 3), "US strike", key=True, headline="Strike that is no attack"),
    event(date(2020, 1, 7), key=True, headline="Rocket barrage kills a contractor at the airbase"),
    event(date(2020, 1, 8), "Missile attack", key=True, headline="Ballistic missiles hit two bases"),
    event(date(2020, 1, 8), "Drone attack"),
    event(date(2020, 1, 9), "Drone attack", key=True, headline="Drone strikes the embassy compound"),
    event(date(2020, 1, 10), key=True, headline="Second barrage on the same base"),
    event(date(2020, 1, 22)),
    event(date(2020, 1, 23), "Iraqi politics"),
    event(date(2020, 2, 14), "Drone attack"),
    event(date(2020, 3, 11), key=True, headline="Largest rocket attack since the start of the year"),
    event(date(2020, 3, 12), key=True, headline="Follow-up attack"),
    event(date(2020, 3, 30)),
    event(date(2020, 4, 2), key=True, headline="After the period"),
]
REPORT = make_report(QUARTER, START, END, reference=date(2020, 1, 3))
KEY_ATTACKS = [e for e in QUARTER if e.key and START <= e.date <= END and e.category.endswith("attack")]


@pytest.fixture(scope="module")
def quarter_figure():
    return frequency_figure(REPORT, LAYOUT, FONTS, WIDTH, HEIGHT)


def test_bars_match_an_independent_weekly_count(quarter_figure) -> None:
    ax = quarter_figure.axes[0]
    expected = Counter((monday(e.date), e.category) for e in QUARTER if START <= e.date <= END and e.category.endswith("attack"))
    series = bar_series(ax)
    assert list(series) == ["Rocket attack", "Drone attack", "Missile attack"]
    assert [p.get_label() for p in bar_patches(ax)] == list(series)
    for category, bars in series.items():
        by_week = {bar_day(b) - timedelta(days=3): b[3] for b in bars}  # a week's bar is centred on Thursday
        assert by_week == {week: n for (week, c), n in expected.items() if c == category}  # weeks without attacks have no bar
    assert sum(b[3] for bars in series.values() for b in bars) == sum(expected.values()) == 12


def test_monthly_bins() -> None:
    charts = LAYOUT.spec.charts.model_copy(update={"frequency": "month"})
    layout = replace(LAYOUT, spec=LAYOUT.spec.model_copy(update={"charts": charts}))
    fig = frequency_figure(REPORT, layout, FONTS, WIDTH, HEIGHT)
    rockets = bar_series(fig.axes[0])["Rocket attack"]
    assert [(bar_day(b).month, b[3]) for b in rockets] == [(1, 4), (3, 3)]  # Jan 2, 7, 10, 22 / none in February / Mar 11, 12, 30
    assert "per month" in fig.axes[0].get_title()


def test_stacks_use_palette_colours_and_hatches(quarter_figure) -> None:
    styles = category_styles(REPORT, LAYOUT)
    ax = quarter_figure.axes[0]
    stacked: Counter = Counter()  # height so far in each bin
    for patch in bar_patches(ax):
        style = styles[patch.get_label()]
        assert patch.get_facecolor() == pytest.approx(to_rgba(style.colour))
        assert (patch.get_hatch() or "") == style.hatch
        for left, bottom, width, height in bar_rectangles(patch.get_path()):
            assert bottom == pytest.approx(stacked[round(left, 6)])  # on top of the categories before it
            stacked[round(left, 6)] += height
    assert {h.get_facecolor() for h in ax.get_legend().get_patches()} == {to_rgba(styles[p.get_label()].colour) for p in bar_patches(ax)}


def test_key_attacks_are_annotated_without_overlap(quarter_figure) -> None:
    renderer = drawn(quarter_figure)
    ax = quarter_figure.axes[0]
    notes = [t for t in ax.texts if isinstance(t, Annotation) and t.get_gid() == "key-event"]
    assert len(notes) == len(KEY_ATTACKS) == 6
    assert all(len(n.get_text()) <= LABEL_CHARS for n in notes)
    labels = notes + [t for t in ax.texts if t.get_gid() == "reference-date-label"]
    boxes = [Text.get_window_extent(t, renderer) for t in labels]
    assert len(boxes) == 7
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)
    figure_box = quarter_figure.bbox
    assert all(figure_box.x0 <= b.x0 and b.x1 <= figure_box.x1 and b.y1 <= figure_box.y1 for b in boxes)
    markers = [line for line in ax.lines if line.get_gid() == "key-event-markers"]
    assert len(markers) == 1 and len(markers[0].get_xdata()) == 6


def test_reference_date_line(quarter_figure) -> None:
    ax = quarter_figure.axes[0]
    lines = [line for line in ax.lines if line.get_gid() == "reference-date"]
    assert len(lines) == 1
    assert list(lines[0].get_xdata()) == [mdates.date2num(date(2020, 1, 3))] * 2
    assert lines[0].get_linestyle() == "--"
    label = next(t for t in ax.texts if t.get_gid() == "reference-date-label")
    assert "Jan 3, 2020" in label.get_text()


def test_no_reference_line_outside_the_period() -> None:
    fig = frequency_figure(make_report(QUARTER, START, END, reference=date(2021, 1, 1)), LAYOUT, FONTS, WIDTH, HEIGHT)
    assert not [line for line in fig.axes[0].lines if line.get_gid() == "reference-date"]


def test_empty_period_says_so() -> None:
    report = make_report([event(date(2020, 1, 5), "Iraqi politics")], START, END, reference=date(2020, 2, 1))
    fig = frequency_figure(report, LAYOUT, FONTS, WIDTH, HEIGHT)
    ax = fig.axes[0]
    assert not bar_patches(ax)
    message = [t for t in ax.texts if t.get_text() == EMPTY_FREQUENCY]
    assert len(message) == 1 and message[0].get_position() == (0.5, 0.5)
    assert figure_to_drawing(fig, WIDTH, FONTS).width == pytest.approx(WIDTH)


def test_single_event() -> None:
    day = date(2020, 5, 6)
    report = make_report([event(day, key=True, headline="The only attack")], day, day)
    fig = frequency_figure(report, LAYOUT, FONTS, WIDTH, HEIGHT)
    ax = fig.axes[0]
    assert [[b[3] for b in bars] for bars in bar_series(ax).values()] == [[1]]
    assert [t.get_text() for t in ax.texts if isinstance(t, Annotation)] == ["The only attack"]
    drawn(fig)
    assert 2 <= len([t for t in ax.get_xticklabels() if t.get_text()]) <= 12
    assert ax.get_ylim()[1] >= 1


def test_ten_years_keeps_ticks_readable() -> None:
    start, end = date(2010, 1, 1), date(2019, 12, 31)
    events = [event(start + timedelta(days=37 * n), ("Rocket attack", "Drone attack")[n % 2]) for n in range(98)]
    fig = frequency_figure(make_report(events, start, end), LAYOUT, FONTS, WIDTH, HEIGHT)
    drawn(fig)
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert 3 <= len(labels) <= 12
    assert sum(b[3] for bars in bar_series(fig.axes[0]).values() for b in bars) == 98
    assert "per quarter" in fig.axes[0].get_title()  # 522 weeks or 120 months would be hairlines


def test_no_text_smaller_than_seven_points(quarter_figure) -> None:
    casualties = casualty_figure(CASUALTY_REPORT, LAYOUT, FONTS, WIDTH, HEIGHT)
    for fig in (quarter_figure, casualties):
        drawn(fig)
        found = texts(fig)
        assert len(found) > 10
        small = [(t.get_text(), t.get_fontsize()) for t in found if t.get_fontsize() < 7]
        assert not small


def test_building_leaves_global_rcparams_alone() -> None:
    before = dict(matplotlib.rcParams)
    frequency_figure(REPORT, LAYOUT, FONTS, WIDTH, HEIGHT)
    casualty_figure(CASUALTY_REPORT, LAYOUT, FONTS, WIDTH, HEIGHT)
    assert dict(matplotlib.rcParams) == before


def test_place_labels_never_overlaps() -> None:
    anchors = [100, 104, 108, 112, 300, 303, 490]
    widths = [80, 90, 60, 70, 100, 40, 60]
    placements = place_labels(anchors, widths, span=500, lines=[150])
    assert all(p.shown for p in placements)
    assert len({p.row for p in placements}) >= 3  # crowded labels need stacking
    for a, b in itertools.combinations(placements, 2):
        if a.row == b.row:
            assert a.right <= b.left or b.right <= a.left
    assert all(0 <= p.left and p.right <= 500 for p in placements)
    assert placements[-1].align == "right"  # would run past the right edge otherwise
    assert all(p.left <= p.anchor <= p.right for p in placements)


def test_short_label() -> None:
    assert short_label("Short") == "Short"
    cut = short_label("Iran fires ballistic missiles at US bases in Iraq")
    assert len(cut) <= LABEL_CHARS and cut.endswith("…") and cut.startswith("Iran fires ballistic")


# ----------------------------------------------------------------------------- casualties


def cas(group: str, killed: int | None, wounded: int | None) -> Casualties:
    return Casualties(group, killed, wounded)


CASUALTY_EVENTS = [
    event(date(2020, 1, 4), casualties=(cas("US", 0, 0), cas("Iraqi", 2, None))),
    event(date(2020, 1, 20), "Drone attack", casualties=(cas("US", 1, 3), cas("Iraqi", None, None))),
    event(date(2020, 2, 9), casualties=(cas("US", None, None), cas("Iraqi", None, None))),
    event(date(2020, 3, 2), "Missile attack", casualties=(cas("US", None, 40), cas("Iraqi", 5, 1))),
    event(date(2020, 3, 3), "US strike", casualties=(cas("US", 0, 0), cas("Iraqi", 25, None))),  # not an attack
]
CASUALTY_REPORT = make_report(CASUALTY_EVENTS, START, END)


def test_blank_casualties_are_missing_not_zero() -> None:
    fig = casualty_figure(CASUALTY_REPORT, LAYOUT, FONTS, WIDTH, HEIGHT)
    bars, lines = fig.axes[0], fig.axes[1]

    def heights(series: str) -> list[float]:
        kind, group = series.split(":")
        return [b[3] for b in bar_series(bars, f"{kind}:").get(group, [])]

    # US: January 0+1 killed, 0+3 wounded; February blank (no bar, not a zero bar); March killed blank, 40 wounded.
    assert heights("killed:US") == [1]
    assert heights("wounded:US") == [3, 40]
    assert heights("killed:Iraqi") == [2, 5]  # the strike's 25 is not from an attack
    assert heights("wounded:Iraqi") == [1]
    us_march_wounded = bar_series(bars, "wounded:")["US"][1]
    assert us_march_wounded[1] == 0  # killed blank: wounded starts at the baseline
    assert running_totals(CASUALTY_REPORT, "US") == [(date(2020, 1, 4), 0), (date(2020, 1, 20), 4), (date(2020, 3, 2), 44)]
    us = next(line for line in lines.lines if line.get_gid() == "running:US")
    assert list(us.get_ydata()) == [0, 4, 44, 44]  # extended to the period's end
    assert lines.get_title() and bars.get_title() == "Killed and wounded per month"


def test_reported_zero_is_a_bar() -> None:
    """A reported zero is a bar of no height, labelled 0; a blank has neither."""
    report = make_report([event(date(2020, 1, 4), casualties=(cas("US", 0, None),))], START, END, groups=("US",))
    fig = casualty_figure(report, LAYOUT, FONTS, WIDTH, HEIGHT)
    assert [t.get_text() for t in fig.axes[0].texts if t.get_gid() == "bar-value"] == ["0"]
    assert not bar_series(fig.axes[0], "wounded:").get("US")
    assert EMPTY_CASUALTIES not in [t.get_text() for t in texts(fig)]


def test_all_blank_casualties_say_so() -> None:
    blank = [event(date(2020, 1, 4), casualties=(cas("US", None, None),)), event(date(2020, 2, 4))]
    fig = casualty_figure(make_report(blank, START, END), LAYOUT, FONTS, WIDTH, HEIGHT)
    assert EMPTY_CASUALTIES in [t.get_text() for t in texts(fig)]
    assert not any(bar_patches(ax, "killed:") or bar_patches(ax, "wounded:") for ax in fig.axes)
    no_attacks = casualty_figure(make_report([], START, END), LAYOUT, FONTS, WIDTH, HEIGHT)
    assert EMPTY_CASUALTIES in [t.get_text() for t in texts(no_attacks)]


def test_group_with_nothing_reported_is_named_in_the_legend() -> None:
    fig = casualty_figure(make_report(CASUALTY_EVENTS, START, END, groups=("US", "Iraqi", "Coalition")), LAYOUT, FONTS, WIDTH, HEIGHT)
    legend = fig.legends[0]
    assert "Coalition (not reported)" in [t.get_text() for t in legend.get_texts()]
    assert not [p for p in fig.axes[0].patches if p.get_label().startswith("Coalition")]


# ----------------------------------------------------------------------------- conversion


def strings(node) -> list[String]:
    found = []
    for child in getattr(node, "contents", []) or []:
        if isinstance(child, String):
            found.append(child)
        elif isinstance(child, Group):
            found.extend(strings(child))
    return found


def images(node) -> list[Image]:
    found = []
    for child in getattr(node, "contents", []) or []:
        if isinstance(child, Image):
            found.append(child)
        elif isinstance(child, Group):
            found.extend(images(child))
    return found


def test_figure_to_drawing_uses_document_fonts(quarter_figure) -> None:
    drawing = figure_to_drawing(quarter_figure, 400.0, FONTS)
    assert isinstance(drawing, Drawing)
    assert drawing.width == pytest.approx(400.0)
    assert drawing.height == pytest.approx(400.0 * HEIGHT / WIDTH)
    found = strings(drawing)
    assert len(found) > 10
    faces = {FONTS.heading.face(style) for style in STYLES}
    assert {s.fontName for s in found} <= faces
    assert FONTS.heading.face("bold") in {s.fontName for s in found}  # the title
    assert any(s.text == "Reference date: Jan 3, 2020" for s in found)
    assert not images(drawing)


def test_charts_make_a_pdf_with_only_embedded_document_fonts() -> None:
    register_reportlab(FONTS.body)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, initialFontName=FONTS.body.face())
    for chart, y in ((frequency_chart, 500), (casualty_chart, 200)):
        drawing = chart(REPORT if chart is frequency_chart else CASUALTY_REPORT, LAYOUT, FONTS, 468.0)
        assert drawing.width == pytest.approx(468.0) and drawing.height == pytest.approx(LAYOUT.spec.charts.height)
        renderPDF.draw(drawing, canvas, 72, y)
    canvas.save()
    pdf = buffer.getvalue()
    assert b"Helvetica" not in pdf and b"/Type3" not in pdf
    assert b"/Subtype /Image" not in pdf and b"/Subtype/Image" not in pdf
    assert b"NotoSans" in pdf


def pdf_of(drawing) -> bytes:
    register_reportlab(FONTS.body)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, initialFontName=FONTS.body.face(), invariant=1)
    renderPDF.draw(drawing, canvas, 20, 20)
    canvas.save()
    return buffer.getvalue()


def test_drawing_is_deterministic_and_keeps_text_and_hatches(quarter_figure) -> None:
    first, second = figure_to_drawing(quarter_figure, WIDTH, FONTS), figure_to_drawing(quarter_figure, WIDTH, FONTS)
    assert pdf_of(first) == pdf_of(second)
    assert not images(first)
    hatched = bar_patches(quarter_figure.axes[0])[1]
    assert hatched.get_hatch()  # the figure is left as it was

    def clipped_groups(node) -> int:  # a hatch is drawn as a group clipped to the hatched shape
        count = 0
        for child in getattr(node, "contents", []) or []:
            if isinstance(child, Group):
                first = child.contents[0] if child.contents else None
                count += bool(getattr(first, "isClipPath", 0)) + clipped_groups(child)
        return count

    assert clipped_groups(first) >= 3  # the plot area, the missile and mob hatches


@pytest.mark.parametrize(("weight", "style", "expected"), [("normal", "normal", "regular"), ("700", "normal", "bold"), ("bold", "italic", "bold_italic"), ("400", "oblique", "italic"), ("600", "normal", "bold")])
def test_css_weights_map_to_faces(weight: str, style: str, expected: str) -> None:
    assert rl_style(weight, style) == expected


# ----------------------------------------------------------------------------- long periods and archives


@pytest.mark.parametrize(
    ("start", "end", "preferred", "unit"),
    [
        (date(2020, 1, 1), date(2020, 3, 31), "week", "week"),
        (date(2019, 1, 1), date(2020, 12, 31), "week", "week"),  # two years: 105 weeks
        (date(2018, 1, 1), date(2020, 12, 31), "week", "month"),
        (date(2012, 1, 1), date(2020, 12, 31), "week", "month"),  # nine years: 108 months
        (date(2010, 1, 1), date(2019, 12, 31), "week", "quarter"),
        (date(1989, 1, 1), date(2018, 12, 31), "week", "year"),  # 120 quarters
        (date(2020, 1, 1), date(2020, 3, 31), "month", "month"),  # the layout's preference when it is readable
        (date(2020, 1, 1), date(2020, 3, 31), "year", "year"),
    ],
)
def test_bin_unit_keeps_bars_readable(start: date, end: date, preferred: str, unit: str) -> None:
    assert bin_unit(start, end, preferred) == unit
    assert bin_count(start, end, unit) <= MAX_BINS or unit == "year"
    bins = TimeBins.covering(start, end, unit)
    assert len(bins) == bin_count(start, end, unit)
    assert bins.starts[0] <= start and end < bins.ends[-1]
    assert all(a == b for a, b in zip(bins.ends, bins.starts[1:]))


def archive_report(count: int = 8_000, years: int = 10, seed: int = 8) -> Report:
    """A seeded synthetic archive: attacks and other events over ``years``, with coordinates
    around a few cities (so many events share a place), casualties and some key events."""
    import random

    rng = random.Random(seed)
    start = date(2010, 1, 1)
    places = [(44.37, 33.31), (43.13, 36.34), (47.78, 30.51), (43.77, 33.42), (44.01, 36.19), (42.44, 33.37)]
    events = []
    for n in range(count):
        day = start + timedelta(days=rng.randrange(365 * years))
        lon, lat = rng.choice(places)
        category = rng.choice(["Rocket attack", "Rocket attack", "Drone attack", "Missile attack", "US strike", "Iraqi politics"])
        casualties = (cas("US", rng.choice([None, None, 0, 1, 2]), rng.choice([None, 0, 3])), cas("Iraqi", rng.choice([None, 4]), None))
        events.append(Event(row=n + 2, date=day, category=category, description=f"Event {n}", headline=f"Event number {n} near the base", key=rng.random() < 0.01,
                            latitude=lat + rng.uniform(-0.6, 0.6), longitude=lon + rng.uniform(-0.6, 0.6), location=f"Place {n % 40}", casualties=casualties))
    return make_report(events, start, start + timedelta(days=365 * years - 1), reference=date(2015, 6, 1))


@pytest.fixture(scope="module")
def archive() -> Report:
    return archive_report()


def test_an_archive_of_years_gives_few_readable_bars(archive) -> None:
    fig = frequency_figure(archive, LAYOUT, FONTS, WIDTH, HEIGHT)
    ax = fig.axes[0]
    series = bar_series(ax)
    assert len(bar_patches(ax)) == len(series) == 3  # one patch per category, not one per bar
    assert max(len(bars) for bars in series.values()) <= MAX_BINS
    attacks = sum(1 for e in archive.events if e.category.endswith("attack"))
    assert sum(b[3] for bars in series.values() for b in bars) == attacks
    assert "per quarter" in ax.get_title()
    casualties = casualty_figure(archive, LAYOUT, FONTS, WIDTH, HEIGHT)
    assert "per year" in casualties.axes[0].get_title()  # ten years, two groups side by side
    for line in casualties.axes[1].lines:  # thousands of attacks: markers only to tell the lines apart
        assert len(line.get_xdata()) <= 365 * 10 + 1


def test_archive_charts_convert_completely_without_warnings(archive, caplog) -> None:
    caplog.set_level(logging.WARNING)
    for chart in (frequency_chart, casualty_chart):
        drawing = chart(archive, LAYOUT, FONTS, 468.0)
        assert drawing.width == pytest.approx(468.0)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], [r.getMessage() for r in caplog.records]


def test_thousands_of_markers_are_all_drawn() -> None:
    """An SVG detour would cap markers (svglib expands 10,000 <use> at most and skips the
    rest); drawn directly, 12,000 markers are one compound path with a subpath each."""
    from matplotlib.figure import Figure
    from reportlab.graphics.shapes import Path

    fig = Figure(figsize=(3, 2), dpi=72)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.plot(range(12_000), [n % 100 for n in range(12_000)], linestyle="none", marker="o", markersize=2, markerfacecolor="red", markeredgewidth=0)
    ax.set_xlim(-1, 12_000)
    ax.set_ylim(-1, 100)
    drawing = figure_to_drawing(fig, 216.0, FONTS)

    def paths(node) -> list:
        found = []
        for child in getattr(node, "contents", []) or []:
            found += paths(child) if isinstance(child, Group) else [child] if isinstance(child, Path) and not child.isClipPath else []
        return found

    subpaths = sum(path.operators.count(0) for path in paths(drawing))  # 0: moveTo
    assert subpaths >= 12_000
    assert len(pdf_of(drawing)) < 2_000_000


# ----------------------------------------------------------------------------- reuse


def test_charts_are_drawn_once_per_data_and_look(tmp_path) -> None:
    """The brief reuses prepared charts; a watch rebuild after an edit that no chart shows
    draws none, one after a chart edit draws them again; other products are not re-rendered."""
    import shutil

    from conftest import LAYOUTS, ROOT

    from timeline_pdf.charts import cache
    from timeline_pdf.watch import WatchSession

    shutil.copytree(ROOT / "inputs", tmp_path / "inputs")
    shutil.copytree(LAYOUTS, tmp_path / "layouts")
    session = WatchSession(tmp_path / "inputs" / "escalation.xlsx", ("brief", "timeline"), tmp_path / "output", tmp_path / "layouts")
    cache.clear()
    first = session.rebuild()
    drawn = cache.stats["drawn"]
    assert drawn == 4  # frequency, casualties, locations and map
    timeline = next(b for b in first.built if b.layout == "timeline").path
    stamp = timeline.stat().st_mtime_ns
    brief = session.layouts_folder / "brief.toml"
    brief.write_text(brief.read_text() + "\n[fonts.sizes]\ntitle = 26\n")
    second = session.rebuild()
    assert second.reused_workbook and cache.stats["drawn"] == drawn  # the title's size is in no chart
    assert timeline.stat().st_mtime_ns == stamp  # the timeline's layout did not change: its PDF is kept
    assert [b.layout for b in second.built] == ["brief", "timeline"]
    brief.write_text(brief.read_text().replace('height = "2.2in"', 'height = "2.4in"'))
    session.rebuild()
    assert cache.stats["drawn"] == drawn + 2  # the full-width charts' height changed; the pair did not


def test_page_budget_trials_stop_at_the_first_page_too_many() -> None:
    """A trial of the brief that cannot fit its budget is abandoned when the page after the
    budget begins; without a limit the same story is laid out in full."""
    from reportlab.platypus import Paragraph

    from timeline_pdf.render.pdf import write_pdf
    from timeline_pdf.render.styles import build_styles

    styles = build_styles(LAYOUT.spec, FONTS)
    story = lambda: [Paragraph(f"Paragraph {n} " + "words " * 80, styles.body) for n in range(60)]  # noqa: E731
    full = write_pdf(story(), REPORT, LAYOUT, FONTS, subject="Test")
    assert full is not None and full.pages > 2
    assert write_pdf(story(), REPORT, LAYOUT, FONTS, subject="Test", page_limit=2) is None
    assert write_pdf(story(), REPORT, LAYOUT, FONTS, subject="Test", page_limit=full.pages).pages == full.pages


@pytest.mark.parametrize("text", ["", "Rockets & mortars <hit> the \"base\"", "  two\\n lines\\twith   spaces  ", "Ünïcödé — “quotes” · dots…", "<font color='#D55E00'>tagged</font> text"])
def test_text_paragraphs_are_the_paragraphs_reportlab_would_make(text: str) -> None:
    """TextParagraph skips ReportLab's markup parser for tagless markup; the tagged PDF is the
    same as with the parser's paragraph."""
    from reportlab.platypus import SimpleDocTemplate

    from timeline_pdf.render.markup import escape
    from timeline_pdf.render.styles import build_styles
    from timeline_pdf.render.tagging import TaggedCanvas, TaggedParagraph
    from timeline_pdf.render.textpara import TextParagraph

    styles = build_styles(LAYOUT.spec, FONTS)
    markup = text if text.startswith("<font") else escape(text.replace("\\n", "\n").replace("\\t", "\t"))

    def pdf(kind) -> bytes:
        buffer = io.BytesIO()
        SimpleDocTemplate(buffer, invariant=1, initialFontName=FONTS.body.face()).build([kind(markup, styles.body), kind(markup * 20, styles.meta)], canvasmaker=TaggedCanvas)
        return buffer.getvalue()

    import pikepdf

    made = pdf(TextParagraph)
    assert made == pdf(TaggedParagraph)
    with pikepdf.open(io.BytesIO(made)) as document:
        operators = [str(op) for _, op in pikepdf.parse_content_stream(document.pages[0])]
    assert operators.count("BDC") == operators.count("EMC")
    assert operators.count("BDC") >= (2 if markup.strip() else 0)  # each paragraph's text is marked
