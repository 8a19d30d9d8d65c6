"""Addresses -> positions, through the national address API (Base Adresse Nationale), when it is configured.

    geocode("12 rue Paul Bert 69003 Lyon")   # Located(45.76, 4.85, "69383", "12 Rue Paul Bert 69003 Lyon", 0.97) or None

Off by default: with `RELAIS_GEOCODER_URL` empty nothing leaves the machine and `geocode` returns None (the
caller falls back to the commune's position and says the distance is approximate). When set, the address
is sent as `GET {url}/search/?q=…&limit=1` (the api-adresse.data.gouv.fr / addok protocol: a GeoJSON
FeatureCollection whose features carry `geometry.coordinates` = [longitude, latitude] and `properties`
`label`, `score`, `citycode`, `type`) with a timeout of `RELAIS_GEOCODER_TIMEOUT` seconds.

- Answers (found or not) are kept in Django's default cache for CACHE_SECONDS, under a hash of the
  normalised address (not the address itself): shared by every process when the cache is shared.
- After FAILURES_BEFORE_PAUSE failures in a row (timeout, refused connection, HTTP error, bad JSON) the
  geocoder is not called for PAUSE_SECONDS (the pause is in the cache too, so all processes pause): a
  slow or broken server costs one timeout, not one per search.
- Answers scoring under MIN_SCORE, or of a commune only (`type` municipality), give None: the commune's
  centre is what the engine already knows.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache

from relais.territories.cog import is_commune_code
from relais.territories.geo import valid_coordinates
from relais.territories.text import normalize

MAX_ADDRESS_CHARS = 200
MIN_SCORE = 0.5
CACHE_SECONDS = 7 * 24 * 3600
FAILURES_BEFORE_PAUSE = 3
PAUSE_SECONDS = 60
_PAUSE_KEY = "geocoder:paused-until"
_MISS = "-"  # an address the API does not know, cached too


@dataclass(frozen=True)
class Located:
    latitude: float
    longitude: float
    citycode: str  # code Insee (arrondissement for Lyon, Marseille, Paris)
    label: str
    score: float


@dataclass
class Stats:
    """Counters of this process (the benchmark reads them)."""

    calls: int = 0
    cache_hits: int = 0
    failures: int = 0
    paused: int = 0

    def reset(self) -> None:
        self.calls = self.cache_hits = self.failures = self.paused = 0


stats = Stats()
_failures_in_a_row = 0
_lock = threading.Lock()


def enabled() -> bool:
    return bool(settings.RELAIS_GEOCODER_URL)


def _key(address: str) -> str:
    return "geocoder:" + hashlib.sha256(normalize(address).encode()).hexdigest()[:32]


def parse(payload: bytes) -> Located | None:
    """The first feature of a GeoJSON answer, if it is an address or a street with a good enough score."""
    data = json.loads(payload)
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list) or not features:
        return None
    feature = features[0]
    properties = feature.get("properties") or {}
    coordinates = (feature.get("geometry") or {}).get("coordinates") or []
    if len(coordinates) != 2 or properties.get("type") == "municipality":
        return None
    longitude, latitude = (float(value) for value in coordinates)
    score = float(properties.get("score") or 0)
    citycode = str(properties.get("citycode") or "")
    if score < MIN_SCORE or not is_commune_code(citycode) or not valid_coordinates(latitude, longitude):
        return None
    return Located(latitude, longitude, citycode.upper(), str(properties.get("label") or ""), score)


def _fetch(address: str) -> Located | None:
    query = urllib.parse.urlencode({"q": address, "limit": 1})
    url = f"{settings.RELAIS_GEOCODER_URL.rstrip('/')}/search/?{query}"
    request = urllib.request.Request(url, headers={"Accept": "application/json", "User-Agent": "Relais"})
    with urllib.request.urlopen(request, timeout=settings.RELAIS_GEOCODER_TIMEOUT) as response:  # noqa: S310
        return parse(response.read(1_000_000))


def _failed() -> None:
    global _failures_in_a_row
    with _lock:
        stats.failures += 1
        _failures_in_a_row += 1
        if _failures_in_a_row >= FAILURES_BEFORE_PAUSE:
            cache.set(_PAUSE_KEY, time.time() + PAUSE_SECONDS, PAUSE_SECONDS)
            _failures_in_a_row = 0


def geocode(address: str) -> Located | None:
    """The position of an address, or None (off, unknown, paused or failing: the caller falls back)."""
    global _failures_in_a_row
    address = (address or "")[:MAX_ADDRESS_CHARS].strip()
    if not enabled() or not address:
        return None
    key = _key(address)
    cached = cache.get(key)
    if cached is not None:
        stats.cache_hits += 1
        return None if cached == _MISS else Located(*cached)
    if (cache.get(_PAUSE_KEY) or 0) > time.time():
        stats.paused += 1
        return None
    stats.calls += 1
    try:
        located = _fetch(address)
    except (OSError, ValueError, TypeError, AttributeError, urllib.error.URLError):
        _failed()  # timeouts are OSError; bad JSON is ValueError
        return None
    with _lock:
        _failures_in_a_row = 0
    cache.set(key, _MISS if located is None else tuple(vars(located).values()), CACHE_SECONDS)
    return located


def reset() -> None:
    """Forget this process's counters and the pause (tests, benchmark)."""
    global _failures_in_a_row
    stats.reset()
    _failures_in_a_row = 0
    cache.delete(_PAUSE_KEY)
