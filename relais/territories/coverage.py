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
from collections.abc import Callable
from typing import Generic, NamedTuple, TypeVar

from relais.territories.text import normalize

REFRESH_SECONDS = 60.0
T = TypeVar("T")


class CoveredCommune(NamedTuple):
    """One option of a place field's list: the value as our choices write it, and its postal codes."""

    value: str  # « Lyon 8e Arrondissement (69388) »: read back by territories.places.read_place as that code
    postal_codes: str  # « 69008 », shown beside the value so that a postal code finds it too


class _Refreshed(Generic[T]):
    """A value read from the database at most once every REFRESH_SECONDS in this process."""

    def __init__(self, read: Callable[[], T], empty: T):
        self._read, self._empty = read, empty
        self._lock = threading.Lock()
        self._state: tuple[float, T] = (float("-inf"), empty)

    def get(self) -> T:
        at, value = self._state
        if time.monotonic() - at > REFRESH_SECONDS:
            value = self._read()
            with self._lock:
                self._state = (time.monotonic(), value)
        return value

    def reset(self) -> None:
        self._state = (float("-inf"), self._empty)


def _read_areas() -> list[tuple[str, str]]:
    from relais.territories.models import Epci

    with_territories = Epci.objects.filter(territories__isnull=False).values_list("code", "name")
    with_contours = Epci.objects.filter(communes__contour__isnull=False).values_list("code", "name")
    rows = [*with_territories.order_by().distinct(), *with_contours.order_by().distinct()]
    return sorted(set(rows), key=lambda row: row[1])


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


_areas: _Refreshed[list[tuple[str, str]]] = _Refreshed(_read_areas, [])
_communes: _Refreshed[list[CoveredCommune]] = _Refreshed(_read_communes, [])


def covered_areas() -> list[tuple[str, str]]:
    """(code, name) of each EPCI Relais covers, by name."""
    return _areas.get()


def covered_communes() -> list[CoveredCommune]:
    """Every commune and arrondissement of the covered territory, by name: what a place field proposes
    without JavaScript (a server-filled <datalist>), a few KB for a métropole or two."""
    return _communes.get()


def reset() -> None:
    _areas.reset()
    _communes.reset()


def covers(epci: str | None) -> bool:
    """Whether a commune of this EPCI is in the covered territory (True when nothing says what is covered)."""
    areas = covered_areas()
    return not areas or epci in {code for code, _name in areas}
