"""The territory Relais covers, said in words to a person whose commune is outside it.

    covered_areas()   # [("200046977", "Métropole de Lyon"), ("200039865", "Metz Métropole")]

The covered areas are the EPCI of the loaded territories (`Territory`) and of the communes loaded with their
contours (`load_territories` loads contours for the territory served, names only for the rest of France).
Read from the database at most once a minute per process.
"""

from __future__ import annotations

import threading
import time

REFRESH_SECONDS = 60.0

_lock = threading.Lock()
_cached: tuple[float, list[tuple[str, str]]] = (float("-inf"), [])


def _read() -> list[tuple[str, str]]:
    from relais.territories.models import Epci

    with_territories = Epci.objects.filter(territories__isnull=False).values_list("code", "name")
    with_contours = Epci.objects.filter(communes__contour__isnull=False).values_list("code", "name")
    rows = [*with_territories.order_by().distinct(), *with_contours.order_by().distinct()]
    return sorted(set(rows), key=lambda row: row[1])


def covered_areas() -> list[tuple[str, str]]:
    """(code, name) of each EPCI Relais covers, by name."""
    global _cached
    at, areas = _cached
    if time.monotonic() - at > REFRESH_SECONDS:
        areas = _read()
        with _lock:
            _cached = (time.monotonic(), areas)
    return areas


def reset() -> None:
    global _cached
    with _lock:
        _cached = (float("-inf"), [])


def covers(epci: str | None) -> bool:
    """Whether a commune of this EPCI is in the covered territory (True when nothing says what is covered)."""
    areas = covered_areas()
    return not areas or epci in {code for code, _name in areas}
