"""Where: a locator map of the period's events over the world's country outlines.

The outlines are Natural Earth 1:50m Admin-0 countries of the whole world, simplified for print
and shipped with the package (``data/ne_50m_world_countries.geojson``, public domain; see
``data/SOURCES.md`` and ``tools/make_world_outlines.py``). They are read with the json module,
once per process, and nothing is ever downloaded. The map knows no theatre: it is framed on the
events, wherever they are, and a frame that holds no land (events at sea) says so.

The projection is equirectangular with the aspect of the map's mean latitude (one degree of
longitude is ``cos(latitude)`` degrees of latitude wide), which is accurate enough for a
region a few hundred kilometres across. The view is the events' bounding box padded by at least
:data:`MIN_PAD` degrees and widened to fill the frame.

Up to :data:`MAX_SIDE_BY_SIDE` events, each event with coordinates is one marker in its
category's colour and shape (key events larger); markers that would cover one another are set
side by side around their true place, so every event stays visible and countable. More events
than that (an archive of years) cannot all be set apart in a few square inches: events of one
category that fall within :data:`PLACE_PT` points of one another on the map are then one marker
whose area is proportional to their number, with a key of marker sizes, and the caption says how
many events the markers count.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from importlib import resources

import matplotlib
import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.markers import MarkerStyle
from matplotlib.patches import PathPatch
from matplotlib.path import Path
from matplotlib.ticker import NullLocator
from matplotlib.transforms import Bbox, IdentityTransform
from reportlab.graphics.shapes import Drawing

from timeline_pdf.charts.style import MIN_TEXT, TITLE_SIZE, ChartStyle, chart_style
from timeline_pdf.charts.drawing import figure_to_drawing
from timeline_pdf.fonts import DocumentFonts
from timeline_pdf.layout.load import LoadedLayout
from timeline_pdf.model import Event, Report
from timeline_pdf.palette import category_styles

OUTLINES = "ne_50m_world_countries.geojson"
ATTRIBUTION = "Outlines: Natural Earth (public domain)."
NO_LAND = "No land lies within this frame: the events are at sea."
SIDE_BY_SIDE = "Events at one place are set side by side."
COUNTED = "Marker area: events at one place ({events:,} events in {markers:,} markers)."
MAX_SIDE_BY_SIDE = 150  # events drawn one marker each; more are counted per place
PLACE_PT = 6.0  # counted mode: events of a category within this many points are one place
MAX_COUNT_PT = 24.0  # counted mode: diameter of the marker of the most events at one place
MIN_COUNT_PT = 3.0  # and of a single event, at least
MIN_PAD = 4.0  # degrees of margin around the events, at least
PAD_SHARE = 0.15  # or this share of the events' span, when larger
LAND = "#E4E7EB"
FOCUS_LAND = "#CBD1D8"  # the country holding most events
BORDER = "white"
LABEL_COLOUR = "#7A8592"
MARKER_PT = 5.5  # marker size of an ordinary event, points
KEY_MARKER_PT = 8.0  # of a key event
MARKERS = {"circle": "o", "square": "s", "diamond": "D", "triangle": "^", "star": "*"}
MARKER_SCALE = {"o": 1.0, "s": 0.9, "D": 0.8, "^": 1.05, "*": 1.6}  # so shapes look the same size
MAX_COUNTRY_LABELS = 5

GID_COUNTRY = "country"
GID_MARKERS = "event-markers"
GID_COUNTED = "event-markers:counted"
GID_COUNTRY_LABEL = "country-label"
GID_CAPTION = "map-caption"
GID_LEGEND = "map-legend"
GID_SIZES = "map-sizes"
GID_NO_LAND = "map-no-land"


# --------------------------------------------------------------------------- outlines


@dataclass(frozen=True, eq=False)
class Country:
    name: str
    code: str  # ADM0_A3
    polygons: tuple[tuple[np.ndarray, ...], ...]  # each: exterior ring, then holes; (lon, lat) rows
    box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # (west, south, east, north) of the exteriors

    @cached_property
    def path(self) -> Path:
        """All rings as one path, exteriors anticlockwise and holes clockwise (nonzero fill); made once."""
        return _compound([ring for polygon in self.polygons for ring in _oriented(polygon)])

    def bounds(self) -> tuple[float, float, float, float]:
        return self.box


def _box(polygons: tuple[tuple[np.ndarray, ...], ...]) -> tuple[float, float, float, float]:
    points = np.concatenate([p[0] for p in polygons])
    return float(points[:, 0].min()), float(points[:, 1].min()), float(points[:, 0].max()), float(points[:, 1].max())


@cache
def load_countries() -> tuple[Country, ...]:
    """The shipped country outlines, parsed once."""
    text = (resources.files("timeline_pdf") / "data" / OUTLINES).read_text(encoding="utf-8")
    countries = []
    for feature in json.loads(text)["features"]:
        geometry, props = feature["geometry"], feature["properties"]
        parts = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        polygons = tuple(tuple(np.asarray(ring, dtype=float)[:, :2] for ring in part) for part in parts)
        countries.append(Country(props.get("NAME") or props.get("NAME_EN", ""), props.get("ADM0_A3", ""), polygons, _box(polygons)))
    return tuple(countries)


def _signed_area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return 0.5 * float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))


def _oriented(polygon: Sequence[np.ndarray]) -> list[np.ndarray]:
    exterior, *holes = polygon
    rings = [exterior if _signed_area(exterior) > 0 else exterior[::-1]]
    rings += [h if _signed_area(h) < 0 else h[::-1] for h in holes]
    return rings


def _compound(rings: Sequence[np.ndarray]) -> Path:
    vertices, codes = [], []
    for ring in rings:
        vertices.extend(ring.tolist() + [ring[0].tolist()])
        codes.extend([Path.MOVETO] + [Path.LINETO] * (len(ring) - 1) + [Path.CLOSEPOLY])
    return Path(vertices, codes)


# --------------------------------------------------------------------------- data


def located_events(report: Report) -> list[Event]:
    """Events of the period with both coordinates, in date order."""
    period = report.period
    return [e for e in report.events if e.date in period and e.latitude is not None and e.longitude is not None]


def map_extent(points: Sequence[tuple[float, float]]) -> tuple[float, float, float, float]:
    """(west, south, east, north): the points' bounding box padded, within the globe."""
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    pad_x = max(MIN_PAD, (max(lons) - min(lons)) * PAD_SHARE)
    pad_y = max(MIN_PAD, (max(lats) - min(lats)) * PAD_SHARE)
    west, east = max(-180.0, min(lons) - pad_x), min(180.0, max(lons) + pad_x)
    south, north = max(-85.0, min(lats) - pad_y), min(85.0, max(lats) + pad_y)
    return west, south, east, north


def focus_country(events: Sequence[Event]) -> Country | None:
    """The country holding most events; none on a tie (no country is the subject by default).

    An event on a shared border counts for the first country of the outlines file holding it.
    """
    if not events:
        return None
    places, weights = np.unique(np.array([(e.longitude, e.latitude) for e in events], dtype=float), axis=0, return_counts=True)
    unclaimed = np.ones(len(places), dtype=bool)
    counts: Counter[str] = Counter()
    countries = load_countries()
    for country in countries:
        x0, y0, x1, y1 = country.bounds()
        candidates = unclaimed & (places[:, 0] >= x0) & (places[:, 0] <= x1) & (places[:, 1] >= y0) & (places[:, 1] <= y1)
        if not candidates.any():
            continue
        inside = np.zeros(len(places), dtype=bool)
        for polygon in country.polygons:
            hit = candidates & ~inside
            if not hit.any():
                break
            within = Path(polygon[0]).contains_points(places[hit])
            for hole in polygon[1:]:
                within &= ~Path(hole).contains_points(places[hit])
            inside[np.flatnonzero(hit)[within]] = True
        if inside.any():
            counts[country.code] += int(weights[inside].sum())
            unclaimed &= ~inside
    if not counts:
        return None
    best = max(counts.values())
    leaders = [c for c in countries if counts[c.code] == best]
    return leaders[0] if len(leaders) == 1 else None


# --------------------------------------------------------------------------- the figure


def map_figure(report: Report, layout: LoadedLayout, fonts: DocumentFonts, width_pt: float, height_pt: float) -> Figure:
    """Events of the period with coordinates as markers over the region's countries."""
    style = chart_style(layout, fonts)
    events = located_events(report)
    styles = category_styles(report, layout)
    with style.rc():
        fig = style.new_figure(width_pt, height_pt)
        ax = fig.add_subplot()
        style.title(ax, "Events of the period by location")
        for spine in ax.spines.values():
            spine.set_visible(True)
            spine.set_color(style.rule)
            spine.set_linewidth(0.6)
        ax.xaxis.set_major_locator(NullLocator())
        ax.yaxis.set_major_locator(NullLocator())
        ax.set_facecolor("white")

        points = [(e.longitude, e.latitude) for e in events] or [(0.0, 0.0)]  # an empty map is never part of a brief
        west, south, east, north = map_extent(points)
        ax.set_xlim(west, east)
        ax.set_ylim(south, north)

        focus = focus_country(events)
        counted = len(events) > MAX_SIDE_BY_SIDE
        handles, labels = _legend_entries(events, styles, style)
        places: list[Place] = []
        if counted:  # count places in a first frame, then add the key of marker sizes and lay out again
            _frame_layout(fig, ax, style, handles, labels, events=True, caption=COUNTED.format(events=len(events), markers=0), sizes=[(MAX_COUNT_PT, "")])
            _fill_frame(fig, ax, (west, south, east, north))
            places = count_places(ax, events, fig.dpi)
            peak = max(p.count for p in places)
            sizes = [(_count_diameter(n, peak), f"{n:,} event{'s' if n > 1 else ''}") for n in _size_key(peak)]
            for artist in [*fig.legends, *fig.texts]:
                artist.remove()
            _frame_layout(fig, ax, style, handles, labels, events=True, caption=COUNTED.format(events=len(events), markers=len(places)), sizes=sizes)
        else:
            _frame_layout(fig, ax, style, handles, labels, events=bool(events))
        _fill_frame(fig, ax, (west, south, east, north))
        _draw_countries(ax, focus)
        if events and not land_in_view(ax):  # never a blank frame that leaves the reader guessing
            ax.text(0.5, 0.04, NO_LAND, transform=ax.transAxes, ha="center", va="bottom", fontsize=MIN_TEXT, color=style.muted, fontfamily=style.family, zorder=5, gid=GID_NO_LAND)
        if not events:
            ax.text(0.5, 0.5, "No event locations in this period", transform=ax.transAxes, ha="center", va="center", fontsize=style.size + 0.5, color=style.muted, fontfamily=style.family, zorder=5)
            return fig
        if counted:
            placed = _draw_places(ax, places, styles, style)
        else:
            placed, moved = _place_markers(fig, ax, events, styles, style)
            if not moved:  # every marker at its true place: nothing to explain
                next(t for t in fig.texts if t.get_gid() == GID_CAPTION).set_text(ATTRIBUTION)
        _country_labels(fig, ax, focus, placed, style)
    return fig


def _draw_countries(ax: Axes, focus: Country | None) -> None:
    """The countries within the map's final frame (the world's others would only weigh on the
    drawing), the one holding most events darker."""
    (west, east), (south, north) = ax.get_xlim(), ax.get_ylim()
    view = Bbox.from_extents(west - 1, south - 1, east + 1, north + 1)
    for country in load_countries():
        x0, y0, x1, y1 = country.bounds()
        if not view.overlaps(Bbox.from_extents(x0, y0, x1, y1)):
            continue
        colour = FOCUS_LAND if focus is not None and country.code == focus.code else LAND
        ax.add_artist(PathPatch(country.path, facecolor=colour, edgecolor=BORDER, linewidth=0.6, gid=f"{GID_COUNTRY}:{country.name}", zorder=1))


def land_in_view(ax: Axes) -> bool:
    """Does any country's outline cross the map's frame (its view after framing)?"""
    (west, east), (south, north) = ax.get_xlim(), ax.get_ylim()
    frame = Path([(west, south), (east, south), (east, north), (west, north), (west, south)], closed=True)
    for country in load_countries():
        x0, y0, x1, y1 = country.bounds()
        if x1 < west or x0 > east or y1 < south or y0 > north:
            continue
        for polygon in country.polygons:
            ring = Path(polygon[0])
            inside = (polygon[0][:, 0] >= west) & (polygon[0][:, 0] <= east) & (polygon[0][:, 1] >= south) & (polygon[0][:, 1] <= north)
            if inside.any() or ring.intersects_path(frame, filled=True):
                return True
    return False


def _frame_layout(fig: Figure, ax: Axes, style: ChartStyle, handles: list, labels: list[str], events: bool, caption: str = SIDE_BY_SIDE, sizes: Sequence[tuple[float, str]] = ()) -> None:
    """Title on top, the map, then the legend in as many columns as fit, the key of marker
    sizes (``sizes``: diameter and label of each, when markers count events) and the caption last."""
    fig.set_layout_engine("none")
    width, height = fig.get_size_inches() * 72
    renderer = fig.canvas.get_renderer()
    explanation = caption
    caption = fig.text(0.0, 0.0, ATTRIBUTION, ha="left", va="bottom", fontsize=MIN_TEXT, linespacing=1.25, color=style.muted, fontfamily=style.family, gid=GID_CAPTION)
    if events:
        caption.set_text(f"{ATTRIBUTION} {explanation}")
        if caption.get_window_extent(renderer).width * 72 / fig.dpi > width:
            caption.set_text(f"{ATTRIBUTION}\n{explanation}")
    bottom = caption.get_window_extent(renderer).height * 72 / fig.dpi + 3.0
    options = {"loc": "lower left", "prop": {"family": style.family, "size": style.size}, "labelcolor": style.text, "handletextpad": 0.3, "columnspacing": 1.2, "labelspacing": 0.35}
    if sizes:
        biggest = max(d for d, _ in sizes)
        key = [Line2D([], [], linestyle="none", marker="o", markersize=d, markerfacecolor=LAND, markeredgecolor=style.muted, markeredgewidth=0.5) for d, _ in sizes]
        legend = fig.legend(key, [label for _, label in sizes], bbox_to_anchor=(0.0, bottom / height), ncols=len(sizes), handlelength=(biggest + 1) / style.size, handleheight=biggest / style.size, **options)
        legend.set_gid(GID_SIZES)
        bottom += legend.get_window_extent(renderer).height * 72 / fig.dpi + 3.0
    if handles:
        for columns in range(_legend_columns(fig, labels, style, width), 0, -1):
            legend = fig.legend(handles, labels, bbox_to_anchor=(0.0, bottom / height), ncols=columns, **options)
            legend.set_gid(GID_LEGEND)
            box = legend.get_window_extent(renderer)
            if box.width * 72 / fig.dpi <= width or columns == 1:
                break
            legend.remove()
        bottom += box.height * 72 / fig.dpi + 6.0
    top = TITLE_SIZE * 1.35 + 5.0
    ax.set_position([0.5 / width, bottom / height, (width - 1.0) / width, (height - bottom - top) / height])
    ax.title.set_x(0.0)


def _legend_columns(fig: Figure, labels: list[str], style: ChartStyle, width: float) -> int:
    """How many columns to try first: one more than the labels' widths suggest fit (the legend is
    then built and checked, from there down), so few trial legends are built."""
    renderer = fig.canvas.get_renderer()
    probe = fig.text(0, 0, "", fontsize=style.size, fontfamily=style.family)
    widths = []
    for label in labels:
        probe.set_text(label)
        widths.append(probe.get_window_extent(renderer).width * 72 / fig.dpi + (matplotlib.rcParams["legend.handlelength"] + 0.3) * style.size)
    probe.remove()
    fits = 1
    for columns in range(1, len(labels) + 1):
        parts = np.array_split(np.array(widths), columns)
        if sum(float(part.max()) for part in parts if len(part)) + 1.2 * style.size * (columns - 1) <= width:
            fits = columns
    return min(len(labels), fits + 1)


def _fill_frame(fig: Figure, ax: Axes, extent: tuple[float, float, float, float]) -> None:
    """Widen the extent (about its centre) to the frame's shape at the mean latitude's aspect."""
    west, south, east, north = extent
    box = ax.get_window_extent()
    squeeze = max(0.2, math.cos(math.radians((south + north) / 2)))
    wide = (east - west) * squeeze  # the extent's width in degrees of latitude
    if wide / (north - south) < box.width / box.height:
        grow = ((north - south) * box.width / box.height / squeeze - (east - west)) / 2
        west, east = west - grow, east + grow
    else:
        grow = (wide * box.height / box.width - (north - south)) / 2
        south, north = south - grow, north + grow
    ax.set_xlim(west, east)
    ax.set_ylim(south, north)


def _marker(event: Event, styles: dict) -> tuple[str, float]:
    style = styles.get(event.category)
    symbol = MARKERS.get(style.marker if style else "circle", "o")
    size = (KEY_MARKER_PT if event.key else MARKER_PT) * MARKER_SCALE[symbol]
    return symbol, size


def _colour(event: Event, styles: dict, style: ChartStyle) -> str:
    found = styles.get(event.category)
    return found.colour if found else style.muted


def _legend_entries(events: Sequence[Event], styles: dict, style: ChartStyle) -> tuple[list, list[str]]:
    order = [name for name in styles if any(e.category == name for e in events)]
    order += sorted({e.category for e in events} - set(order))
    handles: list = []
    for name in order:
        found = styles.get(name)
        symbol = MARKERS.get(found.marker if found else "circle", "o")
        handles.append(Line2D([], [], linestyle="none", marker=symbol, markersize=MARKER_PT * MARKER_SCALE[symbol], markerfacecolor=found.colour if found else style.muted, markeredgecolor="white", markeredgewidth=0.5))
    labels = [style.printed(name) for name in order]
    if any(e.key for e in events):
        handles.append(Line2D([], [], linestyle="none", marker="o", markersize=KEY_MARKER_PT, markerfacecolor="white", markeredgecolor=style.text, markeredgewidth=0.8))
        labels.append("Key event (larger)")
    return handles, labels


def _place_markers(fig: Figure, ax: Axes, events: Sequence[Event], styles: dict, style: ChartStyle) -> tuple[list[tuple[float, float, float]], bool]:
    """Draw one marker per event, nudging markers that would overlap to free spots nearby.

    Key events are placed first so they keep their true positions. Returns each marker's
    centre and radius in points, for keeping labels clear of them, and whether any was moved.
    """
    scale = fig.dpi / 72
    order = sorted(range(len(events)), key=lambda i: (not events[i].key, events[i].date, events[i].row))
    placed = np.zeros((0, 3))
    positions: dict[int, tuple[float, float]] = {}
    moved = False
    for i in order:
        event = events[i]
        symbol, size = _marker(event, styles)
        radius = size / 2
        x, y = ax.transData.transform((event.longitude, event.latitude)) / scale
        spot = _free_spot(x, y, radius, placed)
        moved = moved or spot != (x, y)
        placed = np.vstack([placed, (spot[0], spot[1], radius)])
        positions[i] = spot
    inverse = ax.transData.inverted()
    groups: dict[tuple[str, bool], list[int]] = {}
    for i in range(len(events)):
        groups.setdefault((events[i].category, events[i].key), []).append(i)
    for (category, key), members in sorted(groups.items(), key=lambda item: item[0][1]):  # key events drawn on top
        symbol, size = _marker(events[members[0]], styles)
        data = inverse.transform([(positions[i][0] * scale, positions[i][1] * scale) for i in members])
        colour = _colour(events[members[0]], styles, style)
        ax.plot(data[:, 0], data[:, 1], linestyle="none", marker=symbol, markersize=size, markerfacecolor=colour, markeredgecolor="white" if not key else style.text, markeredgewidth=0.5 if not key else 0.8, zorder=4 if not key else 5, clip_on=True, gid=f"{GID_MARKERS}:{category}{':key' if key else ''}")
    return [tuple(row) for row in placed.tolist()], moved


def _free_spot(x: float, y: float, radius: float, placed: np.ndarray) -> tuple[float, float]:
    """The true position if free, else the nearest free spot on rings around it.

    ``placed`` holds (x, y, radius) rows; each ring's candidates are tested at once.
    """

    def free(px: np.ndarray, py: np.ndarray) -> np.ndarray:
        if not len(placed):
            return np.ones(len(px), dtype=bool)
        gaps = np.hypot(px[:, None] - placed[:, 0], py[:, None] - placed[:, 1]) - (radius + placed[:, 2]) * 0.92
        return (gaps >= 0).all(axis=1)

    if free(np.array([x]), np.array([y]))[0]:
        return x, y
    step = radius * 1.9
    for ring in range(1, 12):
        angles = math.pi / 2 + 2 * math.pi * np.arange(6 * ring) / (6 * ring)
        px, py = x + ring * step * np.cos(angles), y + ring * step * np.sin(angles)
        ok = np.flatnonzero(free(px, py))
        if len(ok):
            return float(px[ok[0]]), float(py[ok[0]])
    return x, y


@dataclass(frozen=True)
class Place:
    """Events of one category (and key or not) counted at one place of the map."""

    category: str
    key: bool
    count: int
    longitude: float  # mean of the events'
    latitude: float


def count_places(ax: Axes, events: Sequence[Event], dpi: float = 72.0) -> list[Place]:
    """Events grouped by category, key flag and a grid of :data:`PLACE_PT` points over the map.

    The counts add up to the number of events; each place sits at its events' mean position.
    """
    lonlat = np.array([(e.longitude, e.latitude) for e in events], dtype=float)
    points = ax.transData.transform(lonlat) * 72 / dpi
    cells = np.floor(points / PLACE_PT).astype(np.int64)
    groups: dict[tuple, list[int]] = {}
    for i, (event, (cx, cy)) in enumerate(zip(events, cells.tolist())):
        groups.setdefault((event.category, event.key, cx, cy), []).append(i)
    places = []
    for (category, key, _cx, _cy), members in groups.items():
        lon, lat = lonlat[members].mean(axis=0)
        places.append(Place(category, key, len(members), float(lon), float(lat)))
    return places


def _count_diameter(count: int, peak: int) -> float:
    """Marker diameter in points: area proportional to the count, the peak at MAX_COUNT_PT."""
    if peak <= 1:
        return MARKER_PT
    unit = max(1.0, peak * (MARKER_PT / MAX_COUNT_PT) ** 2)  # events a marker of MARKER_PT stands for
    return max(MIN_COUNT_PT, MARKER_PT * math.sqrt(count / unit))


def _size_key(peak: int) -> list[int]:
    """Up to three round counts to show the marker sizes with: 1, a middle power of ten, the peak's."""
    steps = [10**k for k in range(0, 7) if 10**k <= peak]
    keys = sorted({1, steps[len(steps) // 2], steps[-1]}) if steps else [1]
    return keys[-3:]


def _draw_places(ax: Axes, places: Sequence[Place], styles: dict, style: ChartStyle) -> list[tuple[float, float, float]]:
    """All places as one collection, the largest drawn first so smaller ones stay visible; key
    events outlined dark and on top. Returns each marker's centre and radius in points."""
    peak = max(p.count for p in places)
    order = sorted(places, key=lambda p: (p.key, -p.count))
    paths, sizes, faces, edges, widths = [], [], [], [], []
    for place in order:
        found = styles.get(place.category)
        symbol = MARKERS.get(found.marker if found else "circle", "o")
        marker = MarkerStyle(symbol)
        paths.append(marker.get_path().transformed(marker.get_transform()))
        sizes.append((_count_diameter(place.count, peak) * MARKER_SCALE[symbol]) ** 2)
        faces.append(found.colour if found else style.muted)
        edges.append(style.text if place.key else "white")
        widths.append(0.8 if place.key else 0.5)
    offsets = np.array([(p.longitude, p.latitude) for p in order])
    collection = PathCollection(paths, sizes=sizes, offsets=offsets, offset_transform=ax.transData, transform=IdentityTransform(), facecolors=faces, edgecolors=edges, linewidths=widths, zorder=4, gid=GID_COUNTED)
    collection.set_clip_path(ax.patch)
    ax.add_collection(collection, autolim=False)
    centres = ax.transData.transform(offsets) * 72 / ax.get_figure().dpi
    return [(float(x), float(y), math.sqrt(size) / 2) for (x, y), size in zip(centres.tolist(), sizes)]


def _country_labels(fig: Figure, ax: Axes, focus: Country | None, markers: Sequence[tuple[float, float, float]], style: ChartStyle) -> None:
    """Name a few countries, inside their outline, clear of markers and of one another."""
    renderer = fig.canvas.get_renderer()
    scale = fig.dpi / 72
    box = ax.get_window_extent(renderer)
    frame = Bbox.from_extents(box.x0 / scale + 3, box.y0 / scale + 3, box.x1 / scale - 3, box.y1 / scale - 3)
    (west, east), (south, north) = ax.get_xlim(), ax.get_ylim()
    view = Bbox.from_extents(west, south, east, north)
    candidates = []
    for country in load_countries():
        x0, y0, x1, y1 = country.bounds()
        shown = Bbox.intersection(view, Bbox.from_extents(x0, y0, x1, y1))
        if shown is None or shown.width <= 0 or shown.height <= 0:
            continue
        priority = (0 if focus is not None and country.code == focus.code else 1, -shown.width * shown.height)
        candidates.append((priority, country, shown))
    taken: list[Bbox] = []
    for _, country, shown in sorted(candidates, key=lambda c: c[0]):
        if len(taken) >= MAX_COUNTRY_LABELS:
            break
        focus_label = focus is not None and country.code == focus.code
        text = ax.text(0, 0, country.name.upper(), ha="center", va="center", fontsize=MIN_TEXT, fontweight="bold" if focus_label else "normal", color=style.muted if focus_label else LABEL_COLOUR, fontfamily=style.family, zorder=3, gid=f"{GID_COUNTRY_LABEL}:{country.name}")
        extent = text.get_window_extent(renderer)
        w, h = extent.width / scale + 2, extent.height / scale + 1
        spot = _label_spot(ax, country, shown, w, h, frame, markers, taken, scale)
        if spot is None:
            text.remove()
            continue
        text.set_position(ax.transData.inverted().transform((spot[0] * scale, spot[1] * scale)))
        taken.append(Bbox.from_extents(spot[0] - w / 2, spot[1] - h / 2, spot[0] + w / 2, spot[1] + h / 2))


def _label_spot(ax: Axes, country: Country, shown: Bbox, w: float, h: float, frame: Bbox, markers, taken, scale: float) -> tuple[float, float] | None:
    """Centre (points) of a free label box inside the country's visible part, near its middle."""
    to_pt = ax.transData
    # only the parts of the country in view (a country of many islands has hundreds of rings)
    outline = [Path(polygon[0]) for polygon in country.polygons if shown.overlaps(Bbox.from_extents(*polygon[0].min(axis=0), *polygon[0].max(axis=0)))]
    xs, ys = np.linspace(shown.x0, shown.x1, 17)[1:-1], np.linspace(shown.y0, shown.y1, 13)[1:-1]
    points = np.array([(gx, gy) for gx in xs for gy in ys])
    inside = np.zeros(len(points), dtype=bool)
    for path in outline:
        inside |= path.contains_points(points)
    grid = [tuple(point) for point in points[inside].tolist()]
    if not grid:
        return None
    cx, cy = np.mean(grid, axis=0)
    inverse = to_pt.inverted()
    marks = np.asarray(markers, dtype=float).reshape(-1, 3)
    best = None
    for gx, gy in sorted(grid, key=lambda g: (g[0] - cx) ** 2 + ((g[1] - cy) * 1.5) ** 2):
        px, py = to_pt.transform((gx, gy)) / scale
        label = Bbox.from_extents(px - w / 2, py - h / 2, px + w / 2, py + h / 2)
        if not (frame.x0 <= label.x0 and label.x1 <= frame.x1 and frame.y0 <= label.y0 and label.y1 <= frame.y1):
            continue
        corners = inverse.transform([(label.x0 * scale, label.y0 * scale), (label.x1 * scale, label.y0 * scale), (label.x0 * scale, label.y1 * scale), (label.x1 * scale, label.y1 * scale)])
        if not all(any(p.contains_point(c) for p in outline) for c in corners):
            continue
        if len(marks) and ((label.x0 - marks[:, 2] - 1 < marks[:, 0]) & (marks[:, 0] < label.x1 + marks[:, 2] + 1) & (label.y0 - marks[:, 2] - 1 < marks[:, 1]) & (marks[:, 1] < label.y1 + marks[:, 2] + 1)).any():
            continue
        if any(label.overlaps(other.expanded(1.0, 1.0)) or other.overlaps(label) for other in taken):
            continue
        best = (px, py)
        break
    return best


def map_chart(report: Report, layout: LoadedLayout, fonts: DocumentFonts, width: float, height: float | None = None) -> Drawing | None:
    """The locator map as a ReportLab Drawing ``width`` points wide; None when no event has coordinates."""
    if not located_events(report):
        return None
    fig = map_figure(report, layout, fonts, width, height or layout.spec.charts.height)
    return figure_to_drawing(fig, width, fonts)
