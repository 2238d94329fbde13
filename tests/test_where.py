"""Where: the ranked locations chart and the locator map, as figures and in the brief."""

from __future__ import annotations

import io
import itertools
import socket
from collections import Counter
from dataclasses import replace
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from matplotlib.colors import to_rgba
from matplotlib.container import BarContainer
from matplotlib.patches import PathPatch
from matplotlib.text import Text
from pdf_helpers import text_of
from pypdf import PdfReader
from reportlab.graphics import renderPDF
from reportlab.pdfgen.canvas import Canvas
from test_charts import archive_report, images

from timeline_pdf.charts import (
    figure_to_drawing,
    locations_chart,
    locations_figure,
    map_chart,
    map_figure,
)
from timeline_pdf.charts.frequency import EMPTY_FREQUENCY
from timeline_pdf.charts.locations import (
    BAR_PT,
    EMPTY_LOCATIONS,
    GID_LABEL,
    GID_NOTE,
    GID_VALUE,
    ranked_locations,
)
from timeline_pdf.charts.locator import (
    FOCUS_LAND,
    GID_CAPTION,
    GID_COUNTED,
    GID_SIZES,
    MAX_SIDE_BY_SIDE,
    GID_COUNTRY,
    GID_COUNTRY_LABEL,
    GID_MARKERS,
    GID_NO_LAND,
    KEY_MARKER_PT,
    LAND,
    MARKER_PT,
    MARKER_SCALE,
    MARKERS,
    MIN_PAD,
    count_places,
    focus_country,
    land_in_view,
    load_countries,
    located_events,
    map_extent,
)
from timeline_pdf.fonts import document_fonts, register_reportlab
from timeline_pdf.layout import load_layout
from timeline_pdf.layout.schema import BRIEF_SECTIONS, Brief, Charts
from timeline_pdf.model import Category, Event, Period, Report, ReportInfo
from timeline_pdf.palette import category_styles
from timeline_pdf.render.brief import TRIMS, render_brief

ROOT = Path(__file__).resolve().parent.parent
LAYOUT = load_layout(ROOT / "layouts" / "brief.toml")
FONTS = document_fonts(LAYOUT)
WIDTH, HEIGHT = 280.0, 240.0
START, END = date(2020, 1, 1), date(2020, 3, 31)
CATEGORIES = (
    Category("Rocket attack", "attack"),
    Category("Drone attack", "attack"),
    Category("US strike", "response"),
    Category("Iraqi politics", "political"),
)
_rows = itertools.count(2)

# Places (latitude, longitude) of the fixtures.
TAJI, EMBASSY, ASAD, ERBIL, TEHRAN, DAMASCUS = (33.53, 44.25), (33.30, 44.39), (33.80, 42.44), (36.19, 44.01), (35.69, 51.39), (33.51, 36.29)


def event(day: date, category: str = "Rocket attack", location: str = "", at: tuple[float, float] | None = None, key: bool = False) -> Event:
    lat, lon = at if at else (None, None)
    return Event(row=next(_rows), date=day, category=category, description=f"{category} at {location or 'somewhere'}", location=location, latitude=lat, longitude=lon, key=key)


def make_report(events: list[Event], start: date = START, end: date = END) -> Report:
    info = ReportInfo(title="Where test", period=Period(start, end), edition_date=end)
    return Report(info, events=tuple(sorted(events, key=lambda e: (e.date, e.row))), categories=CATEGORIES, groups=("US",))


def with_charts(layout, **changes):
    charts = layout.spec.charts.model_copy(update=changes)
    return replace(layout, spec=layout.spec.model_copy(update={"charts": charts}))


# Ten locations, ties, blank locations, non-attacks and an attack outside the period.
EVENTS = [
    *[event(date(2020, 1, d), location="Camp Taji, Baghdad Province", at=TAJI) for d in (2, 9, 16, 23)],
    *[event(date(2020, 2, d), "Drone attack", location="US Embassy, Baghdad", at=EMBASSY, key=d == 1) for d in (1, 8, 15)],
    *[event(date(2020, 2, d), location="Ain al-Asad  Air Base", at=ASAD) for d in (3, 4, 5)],  # double space: same place
    *[event(date(2020, 3, d), location=f"Outpost {n}") for n, d in enumerate((1, 2, 3, 4, 5, 6, 7), start=1)],
    event(date(2020, 3, 8), location="Erbil", at=ERBIL),
    event(date(2020, 3, 9), location=""),  # an attack with no location
    event(date(2020, 3, 10), location=""),
    event(date(2020, 1, 5), "US strike", location="Camp Taji, Baghdad Province", at=TAJI, key=True),  # not an attack
    event(date(2020, 1, 6), "Iraqi politics", location="Tehran", at=TEHRAN),
    event(date(2019, 12, 30), location="Camp Taji, Baghdad Province", at=TAJI),  # before the period
]
REPORT = make_report(EVENTS)


def independent_ranking(events: list[Event], top: int) -> list[tuple[str, int]]:
    frame = pd.DataFrame([{"date": e.date, "category": e.category, "location": e.location} for e in events])
    frame = frame[(frame["date"] >= START) & (frame["date"] <= END) & frame["category"].str.endswith("attack")]
    frame["location"] = frame["location"].str.split().str.join(" ")
    counts = frame[frame["location"] != ""].groupby("location").size()
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0].lower()))
    return [(name, int(n)) for name, n in ranked[:top]]


def bars(fig) -> list:
    return [p for c in fig.axes[0].containers if isinstance(c, BarContainer) for p in c.patches]


def texts(fig) -> list[Text]:
    fig.draw_without_rendering()
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


# ----------------------------------------------------------------------------- locations chart


@pytest.fixture(scope="module")
def locations():
    return locations_figure(REPORT, LAYOUT, FONTS, WIDTH, HEIGHT)


def test_ranking_matches_an_independent_count() -> None:
    expected = independent_ranking(EVENTS, 8)
    assert expected[:3] == [("Camp Taji, Baghdad Province", 4), ("Ain al-Asad Air Base", 3), ("US Embassy, Baghdad", 3)]
    data = ranked_locations(REPORT, 8)
    assert list(data.ranked) == expected
    assert (data.locations, data.unlocated, data.attacks) == (11, 2, 20)


def test_bars_in_rank_order_with_labels_and_values(locations) -> None:
    expected = independent_ranking(EVENTS, LAYOUT.spec.charts.top_locations)
    patches = bars(locations)
    assert len(patches) == len(expected) == 8
    tops = [p.get_y() for p in patches]
    assert tops == sorted(tops)  # the y axis runs downwards: first bar on top
    assert locations.axes[0].yaxis_inverted()
    assert [p.get_width() for p in patches] == [n for _, n in expected]  # longest on top
    labels = [t for t in locations.axes[0].texts if (t.get_gid() or "").startswith(GID_LABEL)]
    assert [t.get_gid().split(":", 1)[1] for t in labels] == [name for name, _ in expected]
    assert [t.get_text() for t in labels] == [name for name, _ in expected]  # all fit: none cut
    values = [t.get_text() for t in locations.axes[0].texts if t.get_gid() == GID_VALUE]
    assert values == [str(n) for _, n in expected]
    title = locations.axes[0].get_title()
    assert "top 8 of 11" in title
    note = [t.get_text() for t in locations.texts if t.get_gid() == GID_NOTE]
    assert note == ["Not shown: 2 attacks with no location recorded."]


def test_labels_and_values_stay_inside_the_figure(locations) -> None:
    renderer = locations.canvas.get_renderer()
    box = locations.bbox
    for text in texts(locations):
        extent = text.get_window_extent(renderer)
        assert box.x0 - 0.5 <= extent.x0 and extent.x1 <= box.x1 + 0.5 and box.y0 - 0.5 <= extent.y0 and extent.y1 <= box.y1 + 0.5, text.get_text()
    for a, b in itertools.combinations([t for t in locations.axes[0].texts], 2):
        assert not a.get_window_extent(renderer).overlaps(b.get_window_extent(renderer)), (a.get_text(), b.get_text())


def test_top_n_is_a_layout_setting() -> None:
    fig = locations_figure(REPORT, with_charts(LAYOUT, top_locations=3), FONTS, WIDTH, HEIGHT)
    assert [p.get_width() for p in bars(fig)] == [4, 3, 3]
    assert "top 3 of 11" in fig.axes[0].get_title()
    assert Charts().top_locations == 8


def test_no_attacks_says_so() -> None:
    report = make_report([event(date(2020, 1, 5), "Iraqi politics", location="Baghdad", at=EMBASSY)])
    fig = locations_figure(report, LAYOUT, FONTS, WIDTH, HEIGHT)
    assert not bars(fig)
    assert EMPTY_FREQUENCY in [t.get_text() for t in texts(fig)]
    unlocated = locations_figure(make_report([event(date(2020, 1, 5))]), LAYOUT, FONTS, WIDTH, HEIGHT)
    assert not bars(unlocated) and EMPTY_LOCATIONS in [t.get_text() for t in texts(unlocated)]
    assert figure_to_drawing(fig, WIDTH, FONTS).width == pytest.approx(WIDTH)


def test_one_location_is_one_slim_bar_at_the_top() -> None:
    fig = locations_figure(make_report([event(date(2020, 2, 2), location="Erbil")]), LAYOUT, FONTS, WIDTH, HEIGHT)
    (patch,) = bars(fig)
    assert patch.get_width() == 1 and patch.get_height() <= BAR_PT
    ax = fig.axes[0]
    assert patch.get_y() < (ax.get_ylim()[0] - ax.get_ylim()[1]) * 0.25  # near the top
    assert ax.get_title() == "Most-attacked locations"


def test_very_long_names_end_in_an_ellipsis_within_the_width() -> None:
    name = "The logistics hub beside the northern gate of a very long-named coalition air base, Salah al-Din Province"
    fig = locations_figure(make_report([event(date(2020, 2, 2), location=name)]), LAYOUT, FONTS, 160.0, 120.0)
    renderer = fig.canvas.get_renderer()
    (label,) = [t for t in fig.axes[0].texts if t.get_gid() == f"{GID_LABEL}:{name}"]
    assert label.get_text().endswith("…") and len(label.get_text()) < len(name)
    assert name.startswith(label.get_text()[:-1].rstrip())
    assert label.get_window_extent(renderer).x1 <= fig.bbox.x1


# ----------------------------------------------------------------------------- locator map


@pytest.fixture(scope="module")
def the_map():
    return map_figure(REPORT, LAYOUT, FONTS, WIDTH, HEIGHT)


def markers(fig) -> list:
    return [line for line in fig.axes[0].lines if (line.get_gid() or "").startswith(GID_MARKERS)]


def test_one_marker_per_event_with_coordinates(the_map) -> None:
    located = [e for e in EVENTS if START <= e.date <= END and e.latitude is not None]
    assert len(located) == len(located_events(REPORT)) == 13
    lines = markers(the_map)
    assert sum(len(line.get_xdata()) for line in lines) == len(located)
    styles = category_styles(REPORT, LAYOUT)
    counted = Counter()
    for line in lines:
        category = line.get_gid().split(":")[1]
        counted[category] += len(line.get_xdata())
        assert line.get_marker() == MARKERS[styles[category].marker]
        assert to_rgba(line.get_markerfacecolor()) == to_rgba(styles[category].colour)
    assert counted == Counter(e.category for e in located)
    key = [line for line in lines if line.get_gid().endswith(":key")]
    assert sum(len(line.get_xdata()) for line in key) == 2
    def base_size(line) -> float:  # shapes are scaled to look alike in size
        return line.get_markersize() / MARKER_SCALE[line.get_marker()]

    assert all(base_size(line) == pytest.approx(KEY_MARKER_PT) for line in key)
    assert all(base_size(line) == pytest.approx(MARKER_PT) for line in lines if line not in key)


def test_extent_contains_every_event_with_padding(the_map) -> None:
    ax = the_map.axes[0]
    (west, east), (south, north) = ax.get_xlim(), ax.get_ylim()
    for e in located_events(REPORT):
        assert west + MIN_PAD - 1e-9 <= e.longitude <= east - MIN_PAD + 1e-9
        assert south + MIN_PAD - 1e-9 <= e.latitude <= north - MIN_PAD + 1e-9
    for line in markers(the_map):  # markers set side by side stay inside the frame
        assert all(west <= x <= east for x in line.get_xdata()) and all(south <= y <= north for y in line.get_ydata())


def test_markers_set_side_by_side_do_not_cover_one_another(the_map) -> None:
    ax = the_map.axes[0]
    points = []
    for line in markers(the_map):
        size = line.get_markersize()
        points += [(*ax.transData.transform((x, y)), size / 2 * the_map.dpi / 72) for x, y in zip(line.get_xdata(), line.get_ydata())]
    for (x1, y1, r1), (x2, y2, r2) in itertools.combinations(points, 2):
        assert ((x1 - x2) ** 2 + (y1 - y2) ** 2) ** 0.5 >= (r1 + r2) * 0.9


def test_projection_keeps_the_mean_latitude_aspect(the_map) -> None:
    import math

    ax = the_map.axes[0]
    (west, east), (south, north) = ax.get_xlim(), ax.get_ylim()
    box = ax.get_window_extent()
    degree_x = box.width / (east - west)
    degree_y = box.height / (north - south)
    assert degree_x / degree_y == pytest.approx(math.cos(math.radians((south + north) / 2)), rel=0.01)


def test_countries_grey_with_the_busiest_darker(the_map) -> None:
    patches = {p.get_gid().split(":", 1)[1]: p for p in the_map.axes[0].patches if isinstance(p, PathPatch) and (p.get_gid() or "").startswith(GID_COUNTRY)}
    assert {"Iraq", "Iran", "Syria"} <= set(patches)
    assert to_rgba(patches["Iraq"].get_facecolor()) == to_rgba(FOCUS_LAND)
    assert all(to_rgba(p.get_facecolor()) == to_rgba(LAND) for name, p in patches.items() if name != "Iraq")
    assert to_rgba(patches["Iran"].get_edgecolor()) == to_rgba("white")
    syria = make_report([event(date(2020, 1, d), location="Damascus", at=DAMASCUS) for d in (1, 2)] + [event(date(2020, 1, 3), location="Erbil", at=ERBIL)])
    fig = map_figure(syria, LAYOUT, FONTS, WIDTH, HEIGHT)
    darker = [p.get_gid() for p in fig.axes[0].patches if to_rgba(p.get_facecolor()) == to_rgba(FOCUS_LAND)]
    assert darker == [f"{GID_COUNTRY}:Syria"]


def test_country_labels_are_few_inside_and_clear(the_map) -> None:
    renderer = the_map.canvas.get_renderer()
    labels = [t for t in the_map.axes[0].texts if (t.get_gid() or "").startswith(GID_COUNTRY_LABEL)]
    names = [t.get_text() for t in labels]
    assert "IRAQ" in names and 2 <= len(labels) <= 6
    frame = the_map.axes[0].get_window_extent(renderer)
    boxes = [t.get_window_extent(renderer) for t in labels]
    assert all(frame.x0 <= b.x0 and b.x1 <= frame.x1 and frame.y0 <= b.y0 and b.y1 <= frame.y1 for b in boxes)
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b)


def test_legend_caption_and_text_sizes(the_map) -> None:
    legend = the_map.legends[0]
    assert [t.get_text() for t in legend.get_texts()] == ["Rocket attack", "Drone attack", "US strike", "Iraqi politics", "Key event (larger)"]
    caption = next(t for t in the_map.texts if t.get_gid() == GID_CAPTION)
    assert "Natural Earth" in caption.get_text()
    renderer = the_map.canvas.get_renderer()
    for text in texts(the_map):
        assert text.get_fontsize() >= 7, text.get_text()
        extent = text.get_window_extent(renderer)
        assert the_map.bbox.x0 - 0.5 <= extent.x0 and extent.x1 <= the_map.bbox.x1 + 0.5, text.get_text()


# Places outside the Middle East, each with the country that holds it and a neighbour in view.
ELSEWHERE = {
    "Somalia": ([(2.05, 45.32), (3.11, 43.65), (-0.36, 42.55), (4.74, 45.20)], "Ethiopia"),
    "Afghanistan": ([(34.52, 69.18), (31.61, 64.25), (36.71, 67.11)], "Pakistan"),
    "Mali": ([(16.77, -3.01), (14.49, -4.20), (12.64, -8.00)], "Burkina Faso"),
    "Colombia": ([(4.71, -74.07), (7.89, -72.50), (3.45, -76.53)], "Venezuela"),
    "Myanmar": ([(16.87, 96.20), (21.98, 96.08), (19.75, 96.13)], "Thailand"),
}


@pytest.mark.parametrize("country", list(ELSEWHERE))
def test_a_map_anywhere_shows_the_land_around_its_events(country) -> None:
    places, neighbour = ELSEWHERE[country]
    report = make_report([event(date(2020, 1, 1 + i), location=f"Place {i}", at=at) for i, at in enumerate(places)])
    fig = map_figure(report, LAYOUT, FONTS, WIDTH, HEIGHT)
    ax = fig.axes[0]
    drawn = {p.get_gid().split(":", 1)[1]: p for p in ax.patches if (p.get_gid() or "").startswith(GID_COUNTRY)}
    assert land_in_view(ax) and {country, neighbour} <= set(drawn)
    assert to_rgba(drawn[country].get_facecolor()) == to_rgba(FOCUS_LAND)  # the country holding the events
    assert not [t for t in ax.texts if t.get_gid() == GID_NO_LAND]
    (west, east), (south, north) = ax.get_xlim(), ax.get_ylim()
    assert all(west < lon < east and south < lat < north for lat, lon in places)


def test_events_at_sea_are_said_to_be_at_sea() -> None:
    report = make_report([event(date(2020, 1, 1), location="Mid-Pacific", at=(0.0, -140.0)), event(date(2020, 1, 2), location="Mid-Pacific", at=(1.5, -141.0))])
    fig = map_figure(report, LAYOUT, FONTS, WIDTH, HEIGHT)
    ax = fig.axes[0]
    assert not land_in_view(ax)
    (note,) = [t for t in ax.texts if t.get_gid() == GID_NO_LAND]
    assert note.get_text() == "No land lies within this frame: the events are at sea."
    near_land = make_report([event(date(2020, 1, 1), location="Off Mogadishu", at=(1.5, 46.5))])  # at sea, with the coast in the frame
    assert land_in_view(map_figure(near_land, LAYOUT, FONTS, WIDTH, HEIGHT).axes[0])


def test_a_tie_darkens_no_country() -> None:
    """No country is the subject by default: events split evenly leave every country alike."""
    tie = make_report([event(date(2020, 1, 1), location="Erbil", at=ERBIL), event(date(2020, 1, 2), location="Tehran", at=TEHRAN)])
    assert focus_country(located_events(tie)) is None
    fig = map_figure(tie, LAYOUT, FONTS, WIDTH, HEIGHT)
    assert not [p for p in fig.axes[0].patches if to_rgba(p.get_facecolor()) == to_rgba(FOCUS_LAND)]


def test_a_single_event_gets_a_regional_view() -> None:
    fig = map_figure(make_report([event(date(2020, 1, 2), location="Erbil", at=ERBIL)]), LAYOUT, FONTS, WIDTH, HEIGHT)
    ax = fig.axes[0]
    assert ax.get_xlim()[1] - ax.get_xlim()[0] >= 2 * MIN_PAD and ax.get_ylim()[1] - ax.get_ylim()[0] >= 2 * MIN_PAD
    assert sum(len(line.get_xdata()) for line in markers(fig)) == 1


def test_extent_is_clipped_to_the_globe() -> None:
    west, south, east, north = map_extent([(178.0, 83.0), (176.0, 80.0)])
    assert east == 180.0 and north == 85.0 and west < 176.0 - MIN_PAD + 1e-9 and south <= 80.0 - MIN_PAD
    assert map_extent([(44.0, 33.0)]) == (40.0, 29.0, 48.0, 37.0)


def test_no_coordinates_means_no_map() -> None:
    report = make_report([event(date(2020, 1, 2), location="Erbil")])
    assert located_events(report) == []
    assert map_chart(report, LAYOUT, FONTS, WIDTH) is None


def test_outlines_are_shipped_and_nothing_is_downloaded(monkeypatch) -> None:
    def refuse(*args, **kwargs):
        raise AssertionError("the map tried to use the network")

    monkeypatch.setattr(socket, "socket", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    load_countries.cache_clear()
    countries = load_countries()
    assert load_countries() is countries  # parsed once
    names = {c.name for c in countries}
    assert {"Iraq", "Syria", "Iran", "Somalia", "Afghanistan", "Mali", "Colombia", "Ukraine", "Myanmar", "Fiji", "Antarctica"} <= names and len(countries) == 242  # the world
    drawing = map_chart(REPORT, LAYOUT, FONTS, WIDTH, HEIGHT)
    assert drawing is not None and drawing.width == pytest.approx(WIDTH)
    data = ROOT / "src" / "timeline_pdf" / "data"
    assert "Natural Earth" in (data / "SOURCES.md").read_text(encoding="utf-8")
    assert (data / "ne_50m_world_countries.geojson").stat().st_size < 1_000_000  # simplified for print: the wheel stays small


def test_an_archive_is_mapped_as_counted_places(caplog) -> None:
    """Thousands of events: one marker per category and place, sized by count, and the caption
    says how many events the markers stand for; nothing is truncated on conversion."""
    import logging
    import re

    archive = archive_report()
    located = located_events(archive)
    assert len(located) == 8_000 > MAX_SIDE_BY_SIDE
    fig = map_figure(archive, LAYOUT, FONTS, WIDTH, HEIGHT)
    ax = fig.axes[0]
    assert not markers(fig)  # no per-event markers
    (collection,) = [c for c in ax.collections if c.get_gid() == GID_COUNTED]
    caption = next(t for t in fig.texts if t.get_gid() == GID_CAPTION).get_text()
    match = re.search(r"([\d,]+) events in ([\d,]+) markers", caption)
    assert match and int(match[1].replace(",", "")) == 8_000
    assert int(match[2].replace(",", "")) == len(collection.get_offsets()) < 2_000
    assert [t.get_text() for t in next(legend for legend in fig.legends if legend.get_gid() == GID_SIZES).get_texts()][0] == "1 event"
    places = count_places(ax, located, fig.dpi)
    assert sum(p.count for p in places) == len(located)
    categories = Counter(e.category for e in located)
    assert {c: sum(p.count for p in places if p.category == c) for c in categories} == dict(categories)
    assert focus_country(located).name == "Iraq"
    caplog.set_level(logging.WARNING)
    drawing = map_chart(archive, LAYOUT, FONTS, WIDTH, HEIGHT)
    assert drawing is not None and not [r for r in caplog.records if r.levelno >= logging.WARNING]


def test_where_charts_are_vector_in_the_document_font() -> None:
    register_reportlab(FONTS.body)
    buffer = io.BytesIO()
    canvas = Canvas(buffer, initialFontName=FONTS.body.face())
    for drawing, y in ((locations_chart(REPORT, LAYOUT, FONTS, WIDTH, HEIGHT), 500), (map_chart(REPORT, LAYOUT, FONTS, WIDTH, HEIGHT), 200)):
        assert not images(drawing)
        renderPDF.draw(drawing, canvas, 72, y)
    canvas.save()
    pdf = buffer.getvalue()
    assert b"Helvetica" not in pdf and b"/Type3" not in pdf
    assert b"/Subtype /Image" not in pdf and b"/Subtype/Image" not in pdf


# ----------------------------------------------------------------------------- in the brief


@pytest.fixture(scope="module")
def sample_brief(sample_products) -> tuple[str, int]:
    path = sample_products["brief"]
    return text_of(path), len(PdfReader(path).pages)


def test_sample_brief_shows_where(sample_brief) -> None:
    text, _ = sample_brief
    for phrase in ("Where events took place", "Most-attacked locations", "Camp Taji, Baghdad Province", "Events of the period by location", "Natural Earth"):
        assert phrase in text, phrase
    assert text.index("Casualties in attacks") < text.index("Where events took place") < text.index("Notable events")


def test_sample_brief_fits_its_page_budget_with_nothing_left_out(sample_brief) -> None:
    from timeline_pdf.validate import load_report

    _, pages = sample_brief
    assert pages <= LAYOUT.spec.brief.max_pages
    report, _ = load_report(ROOT / "inputs" / "escalation.xlsx")
    rendered = render_brief(report, LAYOUT, FONTS)
    assert rendered.pages == pages and rendered.notes == ()


def test_where_sections_are_the_first_left_out() -> None:
    from timeline_pdf.validate import load_report

    assert [name for name, _ in TRIMS[:2]] == ["locator map", "locations chart"]
    assert {"locations_chart", "map"} <= set(BRIEF_SECTIONS)
    report, _ = load_report(ROOT / "inputs" / "escalation.xlsx")
    tight = replace(LAYOUT, spec=LAYOUT.spec.model_copy(update={"brief": LAYOUT.spec.brief.model_copy(update={"max_pages": 2})}))
    rendered = render_brief(report, tight, FONTS)
    assert rendered.pages <= 2
    assert rendered.notes and rendered.notes[0].startswith("left out the locator map, the locations chart")


def test_max_pages_documents_the_trim_order() -> None:
    description = Brief.model_fields["max_pages"].description
    positions = [description.index(f"the {name}") for name, _ in TRIMS]
    assert positions == sorted(positions)


def test_brief_without_coordinates_omits_the_map_quietly() -> None:
    report = make_report([event(date(2020, 1, d), location="Erbil" if d % 2 else "Camp Taji") for d in range(1, 9)])
    rendered = render_brief(report, LAYOUT, FONTS)
    assert rendered.notes == ()
    text = " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(rendered.data)).pages)
    assert "Most-attacked locations" in text and "Where attacks took place" in text
    assert "Events of the period by location" not in text and "Natural Earth" not in text
