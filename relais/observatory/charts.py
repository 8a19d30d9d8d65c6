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
    points = [pt for a in areas for ring in _rings(a.geometry) for pt in ring]
    if not points:
        return None, 0
    west = min(p[0] for p in points)
    east = max(p[0] for p in points)
    south = min(p[1] for p in points)
    north = max(p[1] for p in points)
    kx = math.cos(math.radians((north + south) / 2))
    span_x = max((east - west) * kx, 1e-9)
    span_y = max(north - south, 1e-9)
    scale = (width - 20) / span_x
    height = int(span_y * scale) + 20

    def project(lon: float, lat: float) -> tuple[float, float]:
        return 10 + (lon - west) * kx * scale, 10 + (north - lat) * scale

    return project, height


def _path(geometry: dict, project) -> str:
    parts = []
    for ring in _rings(geometry):
        coords = [project(lon, lat) for lon, lat in ring]
        parts.append("M" + "L".join(f"{x:.1f} {y:.1f}" for x, y in coords) + "Z")
    return "".join(parts)


def classes(values: list[float], method: str = "quantiles", k: int = 5) -> list[float]:
    return (classify.jenks if method == "jenks" else classify.quantiles)(values, k)


def choropleth(areas: list[Area], breaks: list[float], title: str, desc: str, width: int = WIDTH) -> str:
    project, height = _projection(areas, width)
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="map-title map-desc" '
        f'viewBox="0 0 {width} {max(height, 40)}" class="choropleth">'
        f'<title id="map-title">{escape(title)}</title><desc id="map-desc">{escape(desc)}</desc>'
        "<defs>"
        '<pattern id="hatch-secret" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">'
        '<rect width="6" height="6" fill="#fff"/><line x1="0" y1="0" x2="0" y2="6" stroke="#555" stroke-width="2"/></pattern>'
        '<pattern id="hatch-na" patternUnits="userSpaceOnUse" width="6" height="6">'
        '<rect width="6" height="6" fill="#eee"/><circle cx="3" cy="3" r="1.2" fill="#555"/></pattern>'
        "</defs>"
    )
    if project is None:
        return head + '<text x="10" y="25">—</text></svg>'
    body = []
    for area in areas:
        if not area.geometry:
            continue
        if area.status == "value" and breaks:
            fill = PALETTE[classify.class_of(area.value, breaks) * len(PALETTE) // max(len(breaks), 1)]
        else:
            fill = "url(#hatch-secret)" if area.status == "secret" else "url(#hatch-na)"
        body.append(
            f'<path d="{_path(area.geometry, project)}" fill="{fill}" stroke="#fff" stroke-width="0.6">'
            f"<title>{escape(area.name)} : {escape(area.shown)}</title></path>"
        )
    return head + "".join(body) + "</svg>"


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
