"""The map of actions by territory: an SVG drawn on the server from the communes' simplified contours.

Each territory is filled by its number of actions (four shades, with the number written on it), with a
<title> per territory; the page always shows the same figures as a table beside the map. When no
commune of the plan has a contour loaded, there is no map (None): the table alone tells it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

WIDTH, HEIGHT, PADDING = 600, 460, 12
SHADES = ["#f1f4f9", "#c6d4ec", "#7f9fd4", "#2f5aa8"]  # light to dark; labels switch to white on the last
MAX_CONTOURS = 400


@dataclass(frozen=True)
class Area:
    name: str
    count: int
    contours: tuple  # GeoJSON geometries of the territory's communes


def _rings(geometry: dict) -> list:
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry.get("type") == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def shade(count: int, most: int) -> str:
    if count <= 0 or most <= 0:
        return SHADES[0]
    return SHADES[min(3, 1 + (count - 1) * 3 // most)]


def draw(areas: list[Area], title: str) -> SafeString | None:
    rings = [(area, ring) for area in areas for geometry in area.contours[:MAX_CONTOURS] for ring in _rings(geometry)]
    if not rings:
        return None
    lons = [p[0] for _area, ring in rings for p in ring]
    lats = [p[1] for _area, ring in rings for p in ring]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    k = math.cos(math.radians((north + south) / 2))
    span_x, span_y = max((east - west) * k, 1e-9), max(north - south, 1e-9)
    scale = min((WIDTH - 2 * PADDING) / span_x, (HEIGHT - 2 * PADDING) / span_y)

    def xy(point) -> tuple[float, float]:
        return PADDING + (point[0] - west) * k * scale, PADDING + (north - point[1]) * scale

    most = max((area.count for area in areas), default=0)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" '
        f'aria-labelledby="map-title map-desc" class="steering-map">',
        f'<title id="map-title">{escape(title)}</title>',
        '<desc id="map-desc">{}</desc>'.format(
            escape(
                _(
                    "Chaque territoire est coloré selon son nombre d’actions ; le tableau qui suit donne les mêmes chiffres."
                )
            )
        ),
    ]
    for area in areas:
        paths = []
        centre = [0.0, 0.0, 0]
        for geometry in area.contours[:MAX_CONTOURS]:
            for ring in _rings(geometry):
                points = [xy(p) for p in ring]
                for x, y in points:
                    centre[0] += x
                    centre[1] += y
                    centre[2] += 1
                paths.append("M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in points) + "Z")
        if not paths:
            continue
        fill = shade(area.count, most)
        label = _("%(name)s : %(count)s action(s)") % {"name": area.name, "count": area.count}
        parts.append(f"<g><title>{escape(label)}</title>")
        parts.append(f'<path d="{" ".join(paths)}" fill="{fill}" stroke="#1d1d1d" stroke-width="0.8"/>')
        cx, cy = centre[0] / centre[2], centre[1] / centre[2]
        text_fill = "#ffffff" if fill == SHADES[3] else "#000000"
        parts.append(
            f'<text x="{cx:.1f}" y="{cy:.1f}" text-anchor="middle" font-size="16" font-weight="bold" '
            f'fill="{text_fill}">{area.count}</text></g>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 (every text is escaped above)
