"""Where a service receives people: its own position, or its structure's when it has no place of its own.

One rule for the search index (`relais/matching/index.py`) and the service fiche: a service with neither
coordinates nor an address of its own (or with its structure's address) is at its structure, as its phone,
e-mail and hours already fall back to the structure's. A service with an address of its own but no
coordinates has no known position (the search then places it at its commune's centre, flagged approximate).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Position:
    latitude: float
    longitude: float
    of_structure: bool = False  # the structure's position, the service having none of its own


def takes_structure_position(
    latitude: float | None,
    longitude: float | None,
    address: str | None,
    structure_latitude: float | None,
    structure_longitude: float | None,
    structure_address: str | None,
) -> bool:
    """True when a service without coordinates is at its structure (which has some)."""
    own_address = (address or "").strip()
    return (
        (latitude is None or longitude is None)
        and structure_latitude is not None
        and structure_longitude is not None
        and (not own_address or own_address == (structure_address or "").strip())
    )


def position_of(service, structure) -> Position | None:
    """The position of a service (a `Service` and its `Structure`, or any objects with the same fields)."""
    if service.latitude is not None and service.longitude is not None:
        return Position(service.latitude, service.longitude)
    if takes_structure_position(
        service.latitude,
        service.longitude,
        service.adresse,
        structure.latitude,
        structure.longitude,
        structure.adresse,
    ):
        return Position(structure.latitude, structure.longitude, of_structure=True)
    return None
