"""The territory Relais covers, said in words to a person whose commune is outside it.

    covered_areas()   # [("200046977", "Métropole de Lyon"), ("200039865", "Metz Métropole")]
    covered_communes()  # [CoveredCommune("Bron (69029)", "69500"), ...]: the place fields' <datalist>

The covered areas are the EPCI of the loaded territories (`Territory`) and of the communes loaded with their
contours (`load_territories` loads contours for the territory served, names only for the rest of France).
Read from the database at most once a minute per process.
"""

from __future__ import annotations

import threading
import time
from typing import NamedTuple

from relais.territories.text import normalize

REFRESH_SECONDS = 60.0

_lock = threading.Lock()
_cached: tuple[float, list[tuple[str, str]]] = (float("-inf"), [])
_cached_communes: tuple[float, list[CoveredCommune]] = (float("-inf"), [])


class CoveredCommune(NamedTuple):
    """One option of a place field's list: the value as our choices write it, and its postal codes."""

    value: str  # « Lyon 8e Arrondissement (69388) »: read back by territories.places.read_place as that code
    postal_codes: str  # « 69008 », shown beside the value so that a postal code finds it too


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


def _read_communes() -> list[CoveredCommune]:
    from django.db.models import Q

    from relais.territories.models import Commune

    epcis = [code for code, _name in covered_areas()]
    if not epcis:
        return []
    rows = Commune.objects.filter(Q(epci__in=epcis) | Q(parent__epci__in=epcis)).values_list(
        "code", "name", "postal_codes"
    )
    options = [CoveredCommune(f"{name} ({code})", " ".join(postal or [])) for code, name, postal in rows]
    return sorted(options, key=lambda option: normalize(option.value))


def covered_communes() -> list[CoveredCommune]:
    """Every commune and arrondissement of the covered territory, by name: what a place field proposes
    without JavaScript (a server-filled <datalist>), a few KB for a métropole or two."""
    global _cached_communes
    at, communes = _cached_communes
    if time.monotonic() - at > REFRESH_SECONDS:
        communes = _read_communes()
        with _lock:
            _cached_communes = (time.monotonic(), communes)
    return communes


def reset() -> None:
    global _cached, _cached_communes
    with _lock:
        _cached = (float("-inf"), [])
        _cached_communes = (float("-inf"), [])


def covers(epci: str | None) -> bool:
    """Whether a commune of this EPCI is in the covered territory (True when nothing says what is covered)."""
    areas = covered_areas()
    return not areas or epci in {code for code, _name in areas}
