"""Maps: an accessible SVG drawn on the server, and the data of the interactive map that enhances it.

The SVG needs no script, no CDN and no tile server: the points are drawn over the outlines of the communes
around (`Commune.contour`, the shipped simplified contours), with a <title> and a <desc>; pages put the list
of places beside it. The projection is Web Mercator at a whole zoom level, so that when `RELAIS_TILE_URL` is
set its tiles line up under the drawing; without it the map works offline and prints.

With JavaScript, `web/map.js` replaces the drawing on screen by an interactive map (the vendored Leaflet,
docs/adr/0018-interactive-map.md) built from `interactive_data`, read from a json_script element: the same
points, the same outlines, tiles only when a tile server is set.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from html import escape
from urllib.parse import quote, urlsplit

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from relais.territories.geo import valid_coordinates
from relais.territories.models import Commune

TILE = 256
WIDTH, HEIGHT = 640, 420
PADDING = 36
MIN_ZOOM, MAX_ZOOM, ALONE_ZOOM = 5, 16, 13
MAX_AREAS = 250  # commune outlines drawn at most
MAX_LAT = 85.05112878
MARKER_RADIUS = 11
POSITION_ZOOM, POSITION_HEIGHT = 14, 320  # the map of one place (a service fiche)
OUTLINE_DECIMALS = 5  # about a metre: the contours are simplified far beyond that


@dataclass(frozen=True)
class MapPoint:
    number: int
    name: str
    latitude: float
    longitude: float
    to_check: bool = False


@dataclass(frozen=True)
class MapArea:
    code: str
    name: str
    contour: dict
    home: bool = False


@dataclass
class Map:
    svg: SafeString
    title: str
    description: str
    zoom: int
    points: list[MapPoint] = field(default_factory=list)
    tiles: int = 0
    tile_attribution: str = ""
    areas: list[MapArea] = field(default_factory=list)


def world_xy(lat: float, lon: float, zoom: int) -> tuple[float, float]:
    """Web Mercator pixel coordinates of a point at a zoom level (256-pixel tiles)."""
    size = TILE * 2**zoom
    lat = max(-MAX_LAT, min(MAX_LAT, lat))
    s = math.sin(math.radians(lat))
    x = (lon + 180.0) / 360.0 * size
    y = (0.5 - math.log((1 + s) / (1 - s)) / (4 * math.pi)) * size
    return x, y


def world_latlon(x: float, y: float, zoom: int) -> tuple[float, float]:
    size = TILE * 2**zoom
    lon = x / size * 360.0 - 180.0
    lat = math.degrees(math.atan(math.sinh(math.pi * (1 - 2 * y / size))))
    return lat, lon


def fit_zoom(points: list[tuple[float, float]], width: int = WIDTH, height: int = HEIGHT) -> int:
    """The largest whole zoom at which every point fits inside the map, margins kept."""
    if len(points) < 2:
        return ALONE_ZOOM
    for zoom in range(MAX_ZOOM, MIN_ZOOM - 1, -1):
        xs, ys = zip(*(world_xy(lat, lon, zoom) for lat, lon in points), strict=True)
        if max(xs) - min(xs) <= width - 2 * PADDING and max(ys) - min(ys) <= height - 2 * PADDING:
            return zoom
    return MIN_ZOOM


@dataclass(frozen=True)
class Frame:
    """The visible window: a zoom and the world pixel at the top-left corner."""

    zoom: int
    left: float
    top: float
    width: int = WIDTH
    height: int = HEIGHT

    def xy(self, lat: float, lon: float) -> tuple[float, float]:
        x, y = world_xy(lat, lon, self.zoom)
        return x - self.left, y - self.top

    def bbox(self) -> tuple[float, float, float, float]:
        """(west, south, east, north) of the window in degrees."""
        north, west = world_latlon(self.left, self.top, self.zoom)
        south, east = world_latlon(self.left + self.width, self.top + self.height, self.zoom)
        return west, south, east, north


def frame_for(home: tuple[float, float], points: list[tuple[float, float]]) -> Frame:
    """A window around the place and the results, the place kept inside when the results are far apart."""
    every = [home, *points]
    zoom = fit_zoom(every)
    xs, ys = zip(*(world_xy(lat, lon, zoom) for lat, lon in every), strict=True)
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return Frame(zoom, cx - WIDTH / 2, cy - HEIGHT / 2)


def _path(contour: dict, frame: Frame) -> str:
    """SVG path data for a GeoJSON Polygon or MultiPolygon; points closer than a pixel are merged."""
    kind = contour.get("type") if isinstance(contour, dict) else None
    if kind == "Polygon":
        polygons = [contour.get("coordinates") or []]
    elif kind == "MultiPolygon":
        polygons = contour.get("coordinates") or []
    else:
        return ""
    parts = []
    for polygon in polygons:
        for ring in polygon:
            last = None
            points = []
            for point in ring:
                try:
                    x, y = frame.xy(float(point[1]), float(point[0]))
                except (TypeError, ValueError, IndexError):
                    continue
                if last is None or abs(x - last[0]) + abs(y - last[1]) >= 1.0:
                    points.append(f"{x:.1f} {y:.1f}")
                    last = (x, y)
            if len(points) >= 3:
                parts.append("M" + " L".join(points) + " Z")
    return " ".join(parts)


def _spread(positions: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Markers at the same spot (services of one building) fanned out around it so each number shows."""
    out: list[tuple[float, float]] = []
    for x, y in positions:
        step = 0
        nx, ny = x, y
        while any(abs(nx - ox) < 2 * MARKER_RADIUS - 2 and abs(ny - oy) < 2 * MARKER_RADIUS - 2 for ox, oy in out):
            step += 1
            angle = step * 2.4  # golden angle: successive markers do not line up
            radius = (2 * MARKER_RADIUS) * math.sqrt(step) * 0.9
            nx, ny = x + radius * math.cos(angle), y + radius * math.sin(angle)
            if step > 40:
                break
        out.append((nx, ny))
    return out


def _scale_bar(frame: Frame, lat: float) -> str:
    """A scale bar of a round length (100 m, 1 km, 5 km…), bottom left."""
    metres_per_px = 156543.03392 * math.cos(math.radians(lat)) / 2**frame.zoom
    for metres in (20000, 10000, 5000, 2000, 1000, 500, 200, 100, 50):
        px = metres / metres_per_px
        if px <= 140:
            break
    label = _("%(n)s km") % {"n": metres // 1000} if metres >= 1000 else _("%(n)s m") % {"n": metres}
    x0, y0 = 12, frame.height - 14
    return (
        f'<g class="map-scale"><path d="M{x0} {y0 - 6} V{y0} H{x0 + px:.1f} V{y0 - 6}"/>'
        f'<text x="{x0}" y="{y0 - 10}">{escape(label)}</text></g>'
    )


def _tiles(frame: Frame, url: str) -> list[str]:
    if not url:
        return []
    n = 2**frame.zoom
    images = []
    for tx in range(math.floor(frame.left / TILE), math.floor((frame.left + frame.width) / TILE) + 1):
        for ty in range(math.floor(frame.top / TILE), math.floor((frame.top + frame.height) / TILE) + 1):
            if not 0 <= ty < n:
                continue
            href = url.replace("{z}", str(frame.zoom)).replace("{x}", str(tx % n)).replace("{y}", str(ty))
            href = href.replace("{s}", "a")
            images.append(
                f'<image href="{escape(href)}" x="{tx * TILE - frame.left:.1f}" y="{ty * TILE - frame.top:.1f}" '
                f'width="{TILE}" height="{TILE}" preserveAspectRatio="none"/>'
            )
    return images


def render(
    home: tuple[float, float],
    home_name: str,
    points: list[MapPoint],
    areas: list[MapArea],
    *,
    title: str,
    description: str,
    tile_url: str = "",
    frame: Frame | None = None,
    uid: str = "map",
) -> Map:
    """The SVG of the map (pure: the outlines are given)."""
    frame = frame or frame_for(home, [(p.latitude, p.longitude) for p in points])
    tiles = _tiles(frame, tile_url)
    parts = [
        f'<svg class="results-map{" has-tiles" if tiles else ""}" viewBox="0 0 {frame.width} {frame.height}" '
        f'role="img" aria-labelledby="{uid}-title {uid}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{uid}-title">{escape(title)}</title>',
        f'<desc id="{uid}-desc">{escape(description)}</desc>',
        f'<rect class="map-background" width="{frame.width}" height="{frame.height}"/>',
        *tiles,
    ]
    for area in sorted(areas, key=lambda a: a.home):  # the person's commune last, on top
        d = _path(area.contour, frame)
        if d:
            parts.append(f'<path class="map-commune{" map-commune-home" if area.home else ""}" d="{d}"/>')
    hx, hy = frame.xy(*home)
    parts.append(
        f'<g class="map-home"><path d="M{hx:.1f} {hy - 13:.1f} L{hx + 11:.1f} {hy:.1f} L{hx:.1f} {hy + 13:.1f} '
        f'L{hx - 11:.1f} {hy:.1f} Z"/><text x="{hx + 15:.1f}" y="{hy + 5:.1f}">{escape(home_name)}</text></g>'
    )
    positions = _spread([frame.xy(p.latitude, p.longitude) for p in points])
    # drawn last to first, so that number 1 ends on top
    for point, (x, y) in reversed(list(zip(points, positions, strict=True))):
        kind = " map-marker-check" if point.to_check else ""
        parts.append(
            f'<g class="map-marker{kind}"><circle cx="{x:.1f}" cy="{y:.1f}" r="{MARKER_RADIUS}"/>'
            f'<text x="{x:.1f}" y="{y + 4.5:.1f}" text-anchor="middle">{point.number}</text></g>'
        )
    parts.append(_scale_bar(frame, home[0]))
    parts.append("</svg>")
    return Map(
        svg=mark_safe("".join(parts)),  # noqa: S308 -- every text and attribute above is escaped
        title=title,
        description=description,
        zoom=frame.zoom,
        points=points,
        tiles=len(tiles),
        areas=areas,
    )


def communes_in(frame: Frame, home_code: str, limit: int = MAX_AREAS) -> list[MapArea]:
    """Outlines of the communes (arrondissements rather than their city) the window shows: one query."""
    west, south, east, north = frame.bbox()
    rows = list(
        Commune.objects.filter(bbox_west__lte=east, bbox_east__gte=west, bbox_south__lte=north, bbox_north__gte=south)
        .exclude(contour=None)
        .order_by("-population", "code")
        .values_list("code", "name", "parent_id", "contour")[:limit]
    )
    parents = {parent for _, _, parent, _ in rows if parent}
    return [
        MapArea(code, name, contour, home=home_code in (code, parent))
        for code, name, parent, contour in rows
        if code not in parents and isinstance(contour, dict)
    ]


def frame_at(lat: float, lon: float, zoom: int = POSITION_ZOOM, height: int = POSITION_HEIGHT) -> Frame:
    """A window centred on one point."""
    x, y = world_xy(lat, lon, zoom)
    return Frame(zoom, x - WIDTH / 2, y - height / 2, WIDTH, height)


def position_map(
    lat: float,
    lon: float,
    name: str,
    commune_code: str,
    *,
    title: str,
    description: str,
    tile_url: str = "",
    uid: str = "map",
) -> Map:
    """The map of one place (a service fiche): the place over the outlines of its commune and those around."""
    frame = frame_at(lat, lon)
    return render(
        (lat, lon),
        name,
        [],
        communes_in(frame, commune_code),
        title=title,
        description=description,
        tile_url=tile_url,
        frame=frame,
        uid=uid,
    )


# --- the interactive map --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Marker:
    """A place on the interactive map: what its pin shows, its accessible name, and where its popup links."""

    pin: str  # the text in the pin: the number of the list, or empty
    name: str
    latitude: float
    longitude: float
    label: str  # the accessible name of the pin, e.g. "Lieu 3 : Épicerie solidaire"
    href: str = ""  # the entry of the list this place is (an anchor), if any
    note: str = ""  # a line under the name in the popup, e.g. "position de la structure"
    to_check: bool = False


def _rings(contour: dict) -> list[list[list[float]]]:
    """The rings of a GeoJSON Polygon or MultiPolygon as [lat, lon] pairs (Leaflet's order), rounded."""
    kind = contour.get("type") if isinstance(contour, dict) else None
    if kind not in ("Polygon", "MultiPolygon"):
        return []
    polygons = [contour.get("coordinates") or []] if kind == "Polygon" else contour.get("coordinates") or []
    rings = []
    for polygon in polygons:
        for ring in polygon:
            points = []
            for point in ring:
                try:
                    points.append([round(float(point[1]), OUTLINE_DECIMALS), round(float(point[0]), OUTLINE_DECIMALS)])
                except (TypeError, ValueError, IndexError):
                    continue
            if len(points) >= 3:
                rings.append(points)
    return rings


def interactive_data(
    chart: Map,
    markers: list[Marker],
    *,
    home: tuple[float, float] | None = None,
    home_name: str = "",
    tile_url: str = "",
    tile_attribution: str = "",
    cluster: bool = True,
) -> dict:
    """What `web/map.js` needs to build the interactive map, for a json_script element: plain data only.

    The markers and the outlines of the drawing, the tile layer only when a tile server is set, and every
    text the map shows or reads aloud, already translated.
    """
    return {
        "label": _("%(title)s (carte interactive)") % {"title": chart.title},
        "tiles": {"url": tile_url, "attribution": tile_attribution} if tile_url else None,
        "home": {"lat": home[0], "lon": home[1], "name": home_name} if home else None,
        "cluster": cluster,
        "markers": [
            {
                "pin": m.pin,
                "name": m.name,
                "lat": m.latitude,
                "lon": m.longitude,
                "label": m.label,
                "href": m.href,
                "note": m.note,
                "check": m.to_check,
            }
            for m in markers
        ],
        "areas": [
            {"name": a.name, "home": a.home, "rings": rings} for a in chart.areas if (rings := _rings(a.contour))
        ],
        "text": {
            "zoom_in": _("Zoomer"),
            "zoom_out": _("Dézoomer"),
            "close": _("Fermer la bulle"),
            "see_in_list": _("Voir dans la liste"),
            # %(count)s is replaced by the script: the number of places the cluster holds (at least 2)
            "cluster": _("%(count)s lieux ici : appuyer pour zoomer"),
            "cluster_face": _("%(count)s lieux"),
            "help": _(
                "Carte interactive : les flèches déplacent la carte, + et − zooment ; Tab passe d’un lieu à "
                "l’autre, Entrée ouvre sa bulle."
            ),
        },
    }


_TILE_HOST = re.compile(r"(\*\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?")


def tile_origin(url: str) -> str:
    """The origin a Content-Security-Policy must allow for the tiles of a tile URL template.

    `https://{s}.tile.example.org/{z}/{x}/{y}.png` gives `https://*.tile.example.org`. Anything else in the host
    (another placeholder, `;`, a space, a user name) gives nothing: no tiles are allowed rather than a wider
    policy (the setting is checked at start-up, relais/settings.py, so this is a second guard).
    """
    if not url:
        return ""
    parts = urlsplit(url)
    host = parts.netloc
    if host.startswith("{s}."):
        host = "*." + host[4:]
    if parts.scheme not in ("https", "http") or not _TILE_HOST.fullmatch(host):
        return ""
    return f"{parts.scheme}://{host}"


def route_url(template: str, lat: float | None, lon: float | None) -> str:
    """The route planner's link to a place: `{lat}` and `{lon}` of the template replaced, URL-encoded.

    Empty when no template is set or the position is not a valid one. The link is only a link: nothing is
    sent anywhere until the person follows it.
    """
    if not template or lat is None or lon is None or not valid_coordinates(lat, lon):
        return ""
    return template.replace("{lat}", quote(f"{float(lat):.6f}", safe="")).replace(
        "{lon}", quote(f"{float(lon):.6f}", safe="")
    )
