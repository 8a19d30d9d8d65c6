"""Great-circle distance. Kept here so matching stays pure; to merge with relais/territories/geo.py."""

from math import asin, cos, radians, sin, sqrt

EARTH_RADIUS_KM = 6371.0088


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Distance in kilometres between two points given in decimal degrees (WGS 84)."""
    p1, p2 = radians(lat1), radians(lat2)
    dlat, dlon = p2 - p1, radians(lon2 - lon1)
    a = sin(dlat / 2) ** 2 + cos(p1) * cos(p2) * sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * asin(min(1.0, sqrt(a)))


def valid_coordinates(lat, lon) -> bool:
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
        from math import cos, radians

        self.lat, self.lon = lat, lon
        self.cos_lat = cos(radians(lat))

    def __call__(self, lat: float, lon: float) -> float:
        dy = lat - self.lat
        dx = (lon - self.lon) * self.cos_lat
        return self.KM_PER_DEGREE * (dx * dx + dy * dy) ** 0.5
