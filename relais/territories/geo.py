"""Geographic helpers: distances (the one haversine), point-in-polygon on commune contours, place-name suggestions.

The functions on plain data (coordinates, GeoJSON geometries, name lists) are pure, so that matching can use
them without a database; `commune_at`, `suggest_communes` and `resolve_place` are thin database wrappers.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from relais.territories.cog import is_commune_code, is_postal_code
from relais.territories.names import NameIndex, commune_names
from relais.territories.text import normalize

EARTH_RADIUS_KM = 6371.0088  # mean Earth radius (IUGG)

BBox = tuple[float, float, float, float]  # west, south, east, north (longitudes and latitudes in degrees)


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS 84 points."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi = phi2 - phi1
    dlambda = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlambda / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


def valid_coordinates(lat, lon) -> bool:
    """Numbers within the globe's ranges, and not (0, 0) (coordinates left empty, as often)."""
    try:
        lat, lon = float(lat), float(lon)
    except (TypeError, ValueError):
        return False
    if lat != lat or lon != lon:  # NaN
        return False
    return -90 <= lat <= 90 and -180 <= lon <= 180 and not (lat == 0 and lon == 0)


class LocalDistance:
    """Fast distance from one point, exact enough within a few hundred km (equirectangular projection)."""

    __slots__ = ("lat", "lon", "cos_lat")

    KM_PER_DEGREE = 111.195  # 2·π·R / 360

    def __init__(self, lat: float, lon: float):
        self.lat, self.lon = lat, lon
        self.cos_lat = math.cos(math.radians(lat))

    def __call__(self, lat: float, lon: float) -> float:
        dy = lat - self.lat
        dx = (lon - self.lon) * self.cos_lat
        return self.KM_PER_DEGREE * (dx * dx + dy * dy) ** 0.5


def _polygons(geometry: dict) -> list:
    """The polygons of a GeoJSON Polygon or MultiPolygon, each a list of rings of [lon, lat] points."""
    kind = geometry.get("type") if isinstance(geometry, dict) else None
    if kind == "Polygon":
        return [geometry["coordinates"]]
    if kind == "MultiPolygon":
        return list(geometry["coordinates"])
    raise ValueError(f"unsupported geometry type: {kind!r}")


def geometry_bbox(geometry: dict | None) -> BBox | None:
    """(west, south, east, north) of a GeoJSON Polygon or MultiPolygon, None for no geometry."""
    if not geometry:
        return None
    lons, lats = [], []
    for polygon in _polygons(geometry):
        for ring in polygon:
            for lon, lat in ring:
                lons.append(lon)
                lats.append(lat)
    if not lons:
        return None
    return min(lons), min(lats), max(lons), max(lats)


def bbox_contains(bbox: BBox | None, lat: float, lon: float) -> bool:
    if bbox is None:
        return False
    west, south, east, north = bbox
    return west <= lon <= east and south <= lat <= north


def _in_ring(x: float, y: float, ring: Sequence[Sequence[float]]) -> bool:
    """Even-odd ray casting: is (x, y) inside the closed ring?"""
    inside = False
    j = len(ring) - 1
    for i in range(len(ring)):
        xi, yi = ring[i][0], ring[i][1]
        xj, yj = ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def point_in_geometry(lat: float, lon: float, geometry: dict | None) -> bool:
    """Is the point inside the GeoJSON Polygon or MultiPolygon (outer ring minus its holes)?"""
    if not geometry:
        return False
    for polygon in _polygons(geometry):
        if polygon and _in_ring(lon, lat, polygon[0]) and not any(_in_ring(lon, lat, hole) for hole in polygon[1:]):
            return True
    return False


def locate(lat: float, lon: float, places: Iterable) -> object | None:
    """The most specific of `places` whose contour holds the point (pure).

    Each place has `code`, `kind` ("COM" or "ARM"), `contour` and optionally `bbox`; a municipal
    arrondissement wins over its commune, then the smallest bounding box wins.
    """
    found = []
    for place in places:
        bbox = getattr(place, "bbox", None) or geometry_bbox(place.contour)
        if bbox is not None and bbox_contains(bbox, lat, lon) and point_in_geometry(lat, lon, place.contour):
            west, south, east, north = bbox
            found.append((place.kind != "ARM", (east - west) * (north - south), place.code, place))
    return min(found, key=lambda item: item[:3])[3] if found else None


def commune_at(lat: float, lon: float, queryset=None):
    """The commune or arrondissement whose contour holds the point, or None (only loaded contours count)."""
    from relais.territories.models import Commune

    queryset = Commune.objects.all() if queryset is None else queryset
    candidates = queryset.filter(
        bbox_west__lte=lon, bbox_east__gte=lon, bbox_south__lte=lat, bbox_north__gte=lat
    ).select_related("parent")
    return locate(lat, lon, candidates)


def rank_names(text: str, names: Iterable[tuple[object, str, int | None]], n: int = 5, cutoff: float = 0.6) -> list:
    """Keys of the `n` names closest to `text` (pure): `names` holds (key, normalized name, population).

    The ranking is `relais.territories.names.NameIndex.closest`, bounded in time whatever the text.
    """
    return NameIndex(names).closest(text, n=n, cutoff=cutoff)


def suggest_communes(text: str, n: int = 5, queryset=None) -> list:
    """The communes and arrondissements whose names are closest to `text` ('Villeurbane' -> Villeurbanne)."""
    from relais.territories.models import Commune

    if queryset is None:
        queryset, index = Commune.objects.all(), commune_names()
    else:
        index = NameIndex(queryset.values_list("code", "search_name", "population"))
    codes = index.closest(text, n=n)
    by_code = queryset.select_related("parent").in_bulk(codes)
    return [by_code[code] for code in codes]


def resolve_place(code_or_name: str, queryset=None):
    """The commune meant by an INSEE code, a postal code or an unambiguous name; None when unknown.

    An INSEE code wins over a postal code; a postal code shared by several places gives the
    arrondissement, else the most populous commune; a name matches exactly (accents and case aside),
    then as the unique start of a name ('Lyon 3e'); homonyms go to the most populous.
    """
    from relais.territories.models import Commune

    queryset = Commune.objects.all() if queryset is None else queryset
    text = (code_or_name or "").strip()
    if not text:
        return None
    if is_commune_code(text):
        commune = queryset.filter(code=text.upper()).first()
        if commune:
            return commune
    if is_postal_code(text):
        matches = queryset.filter(postal_codes__icontains=f'"{text}"').order_by("kind", "-population", "code")
        # "ARM" sorts before "COM", so 69003 gives Lyon 3e rather than Lyon
        return next((c for c in matches if text in c.postal_codes), None)
    key = normalize(text)
    if not key:
        return None
    exact = queryset.filter(search_name=key).order_by("-population", "code").first()
    if exact:
        return exact
    starts = list(queryset.filter(search_name__startswith=key).order_by("-population", "code")[:2])
    return starts[0] if len(starts) == 1 else None
