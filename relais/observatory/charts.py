"""Server-side SVG: choropleth maps, ranking bars, time series. Accessible: role="img", <title>, <desc>;
every chart is shown beside its data table and a text summary (templates). No JavaScript, no tiles.

Palette: viridis in 5 steps (colour-blind safe, ordered by lightness, readable in greyscale). A secret
commune is hatched with diagonal lines, a commune without data with dots: never a colour of the scale.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

from relais.observatory import classify

PALETTE = ("#fde725", "#5ec962", "#21918c", "#3b528b", "#440154")
TEXT_ON = ("#000", "#000", "#fff", "#fff", "#fff")
WIDTH = 640


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    geometry: dict | None
    value: float | None
    status: str  # secrecy.VALUE, SECRET, NOT_AVAILABLE
    shown: str  # the value as text


def _rings(geometry: dict) -> list[list]:
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def _projection(areas: list[Area], width: int):
    """(west, north, x scale, y scale, height) of an equirectangular projection scaled by cos(latitude)."""
    west = south = math.inf
    east = north = -math.inf
    for area in areas:
        for ring in _rings(area.geometry):
            for lon, lat in ring:
                west, east = min(west, lon), max(east, lon)
                south, north = min(south, lat), max(north, lat)
    if west == math.inf:
        return None
    kx = math.cos(math.radians((north + south) / 2))
    scale = (width - 20) / max((east - west) * kx, 1e-9)
    height = int((north - south) * scale) + 20
    return west, north, kx * scale, scale, height


def _path(geometry: dict, projection, decimals: int) -> str:
    """Absolute first point, then relative moves; consecutive points equal at this precision are dropped."""
    west, north, sx, sy, _height = projection
    factor = 10**decimals
    parts = []
    for ring in _rings(geometry):
        points = []
        last = None
        for lon, lat in ring:
            point = (round((10 + (lon - west) * sx) * factor), round((10 + (north - lat) * sy) * factor))
            if point != last:
                points.append(point)
                last = point
        if len(points) < 3:
            continue
        x0, y0 = points[0]
        moves = [f"{x - px} {y - py}" for (px, py), (x, y) in zip(points, points[1:], strict=False)]
        parts.append(f"M{x0} {y0}l" + " ".join(moves) + "z")
    return "".join(parts)


def classes(values: list[float], method: str = "quantiles", k: int = 5) -> list[float]:
    return (classify.jenks if method == "jenks" else classify.quantiles)(values, k)


DETAILED = 2000  # above this many areas: whole-pixel coordinates and no per-area tooltip (the table has them)


_PATHS: dict = {}  # (width, decimals, codes) -> (projection, {code: path}): contours do not change between requests
MAX_CACHED_MAPS = 16


def _first_point(geometry: dict | None):
    rings = _rings(geometry) if geometry else []
    return tuple(rings[0][0]) if rings and rings[0] else None


def _paths(areas: list[Area], width: int, decimals: int):
    key = (width, decimals, tuple((a.code, _first_point(a.geometry)) for a in areas))
    if key not in _PATHS:
        projection = _projection(areas, width)
        paths = {a.code: _path(a.geometry, projection, decimals) for a in areas if a.geometry} if projection else {}
        if len(_PATHS) >= MAX_CACHED_MAPS:
            _PATHS.pop(next(iter(_PATHS)))
        _PATHS[key] = (projection, paths)
    return _PATHS[key]


def choropleth(areas: list[Area], breaks: list[float], title: str, desc: str, width: int = WIDTH) -> str:
    detailed = len(areas) <= DETAILED
    decimals = 1 if detailed else 0
    projection, paths = _paths(areas, width, decimals)
    height = projection[4] if projection else 40
    scale = 10**decimals
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="map-title map-desc" '
        f'viewBox="0 0 {width * scale} {height * scale}" class="choropleth">'
        f'<title id="map-title">{escape(title)}</title><desc id="map-desc">{escape(desc)}</desc>'
        "<defs>"
        f'<pattern id="hatch-secret" patternUnits="userSpaceOnUse" width="{6 * scale}" height="{6 * scale}" '
        f'patternTransform="rotate(45)"><rect width="{6 * scale}" height="{6 * scale}" fill="#fff"/>'
        f'<line x1="0" y1="0" x2="0" y2="{6 * scale}" stroke="#555" stroke-width="{2 * scale}"/></pattern>'
        f'<pattern id="hatch-na" patternUnits="userSpaceOnUse" width="{6 * scale}" height="{6 * scale}">'
        f'<rect width="{6 * scale}" height="{6 * scale}" fill="#eee"/>'
        f'<circle cx="{3 * scale}" cy="{3 * scale}" r="{1.2 * scale:g}" fill="#555"/></pattern>'
        "</defs>"
    )
    if projection is None:
        return head + '<text x="10" y="25">—</text></svg>'
    groups: dict[str, list[str]] = {}
    for area in areas:
        if not area.geometry:
            continue
        if area.status == "value" and breaks:
            fill = class_colour(classify.class_of(area.value, breaks), len(breaks))
        else:
            fill = "url(#hatch-secret)" if area.status == "secret" else "url(#hatch-na)"
        path = paths.get(area.code)
        if not path:
            continue
        if detailed:
            groups.setdefault(fill, []).append(
                f'<path d="{path}"><title>{escape(area.name)} : {escape(area.shown)}</title></path>'
            )
        else:
            groups.setdefault(fill, []).append(f'<path d="{path}"/>')
    stroke = 0.6 * scale
    body = "".join(
        f'<g fill="{fill}" stroke="#fff" stroke-width="{stroke:g}">{"".join(paths)}</g>'
        for fill, paths in groups.items()
    )
    return head + body + "</svg>"


def class_colour(index: int, count: int) -> str:
    return PALETTE[index * len(PALETTE) // max(count, 1)]


def bars(rows: list[tuple[str, float, str]], title: str, desc: str, width: int = WIDTH) -> str:
    """Horizontal bars (label, value, value as text), in the given order."""
    top = max((v for _l, v, _s in rows), default=0) or 1
    row_h, label_w = 22, 200
    height = row_h * len(rows) + 10
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="bars-title bars-desc" '
        f'viewBox="0 0 {width} {height}" class="bars">'
        f'<title id="bars-title">{escape(title)}</title><desc id="bars-desc">{escape(desc)}</desc>'
    ]
    for i, (label, value, shown) in enumerate(rows):
        y = 5 + i * row_h
        length = (width - label_w - 110) * value / top
        out.append(
            f'<text x="{label_w - 6}" y="{y + 15}" text-anchor="end" font-size="12">{escape(label[:32])}</text>'
            f'<rect x="{label_w}" y="{y + 3}" width="{length:.1f}" height="{row_h - 6}" fill="#3b528b"/>'
            f'<text x="{label_w + length + 4:.1f}" y="{y + 15}" font-size="12">{escape(shown)}</text>'
        )
    return "".join(out) + "</svg>"


def series(points: list[tuple[int, float, str]], title: str, desc: str, width: int = WIDTH) -> str:
    """A line over vintages (year, value, value as text)."""
    height, pad = 220, 50
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="series-title series-desc" '
        f'viewBox="0 0 {width} {height}" class="series">'
        f'<title id="series-title">{escape(title)}</title><desc id="series-desc">{escape(desc)}</desc>'
    ]
    if not points:
        return out[0] + "</svg>"
    years = [p[0] for p in points]
    values = [p[1] for p in points]
    low, high = min(values + [0]), max(values) or 1
    x0, x1 = min(years), max(years)

    def xy(year, value):
        x = pad + (width - 2 * pad) * ((year - x0) / (x1 - x0) if x1 > x0 else 0.5)
        y = height - pad + (pad * 2 - height) * ((value - low) / ((high - low) or 1))
        return x, y

    coords = [xy(year, value) for year, value, _s in points]
    out.append(
        f'<polyline fill="none" stroke="#21918c" stroke-width="3" points="{" ".join(f"{x:.1f},{y:.1f}" for x, y in coords)}"/>'
    )
    for (year, _value, shown), (x, y) in zip(points, coords, strict=True):
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="5" fill="#440154"/>'
            f'<text x="{x:.1f}" y="{height - 15}" text-anchor="middle" font-size="13">{year}</text>'
            f'<text x="{x:.1f}" y="{y - 10:.1f}" text-anchor="middle" font-size="13">{escape(shown)}</text>'
        )
    return "".join(out) + "</svg>"
