"""Write the locator map's world outlines, ``src/timeline_pdf/data/ne_50m_world_countries.geojson``,
from Natural Earth's 1:50m Admin-0 countries (see ``src/timeline_pdf/data/SOURCES.md``).

The map frames a region some hundreds of kilometres across on a few inches of paper, where a
point is a few kilometres: the outlines are simplified (Douglas-Peucker, shapely's
``simplify`` with topology kept, ``TOLERANCE`` degrees) and rounded to ``DECIMALS`` places, so
the package stays small. Islands too small to keep a shape are kept as the simplest ring that
still covers them, so no land disappears from the map. Only each country's name and code are
kept.

    pip install shapely
    python tools/make_world_outlines.py NE_50M_ADMIN_0_COUNTRIES.geojson

The output is the same for the same input.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from shapely.geometry import Polygon, shape

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "timeline_pdf" / "data" / "ne_50m_world_countries.geojson"
TOLERANCE = 0.02  # degrees, about 2 km: well under a printed point at the map's scales
DECIMALS = 2  # about 1 km
KEEP = ("NAME", "ADM0_A3")


def _ring(coords, tolerance: float) -> list[list[float]]:
    """A ring simplified and rounded; a ring that would collapse is kept less simplified."""
    for factor in (1.0, 0.25, 0.0):
        simple = Polygon(coords).simplify(tolerance * factor, preserve_topology=True) if factor else Polygon(coords)
        points = _rounded(simple.exterior.coords if not simple.is_empty else [])
        if len(points) >= 4:
            return points
    return _rounded(coords)


def _rounded(coords) -> list[list[float]]:
    points: list[list[float]] = []
    for x, y, *_ in coords:
        point = [round(x, DECIMALS), round(y, DECIMALS)]
        if not points or point != points[-1]:
            points.append(point)
    if points and points[0] != points[-1]:
        points.append(points[0])
    return points


def simplified(feature: dict) -> dict:
    geometry = shape(feature["geometry"])
    polygons = list(geometry.geoms) if geometry.geom_type == "MultiPolygon" else [geometry]
    parts = []
    for polygon in polygons:
        exterior = _ring(polygon.exterior.coords, TOLERANCE)
        holes = [_ring(h.coords, TOLERANCE) for h in polygon.interiors]
        parts.append([exterior, *[h for h in holes if len(h) >= 4]])
    geometry_out = {"type": "Polygon", "coordinates": parts[0]} if len(parts) == 1 else {"type": "MultiPolygon", "coordinates": parts}
    properties = {key: feature["properties"].get(key) for key in KEEP}
    return {"type": "Feature", "properties": properties, "geometry": geometry_out}


def main(source: Path) -> None:
    data = json.loads(source.read_text(encoding="utf-8"))
    features = [simplified(f) for f in sorted(data["features"], key=lambda f: f["properties"]["ADM0_A3"])]
    text = json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"), ensure_ascii=False)
    OUT.write_text(text + "\n", encoding="utf-8")
    vertices = sum(len(ring) for f in features for part in ([f["geometry"]["coordinates"]] if f["geometry"]["type"] == "Polygon" else f["geometry"]["coordinates"]) for ring in part)
    print(f"wrote {OUT.relative_to(ROOT)}: {len(features)} countries, {vertices:,} vertices, {OUT.stat().st_size:,} bytes")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(Path(sys.argv[1]))
