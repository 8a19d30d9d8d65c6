"""The ranking formula (see README.md for the reasons behind each weight).

score = 0.35·fit + 0.20·certainty + 0.17·proximity + 0.12·opening + 0.10·capacity + 0.06·freshness
(urgent needs: 0.30, 0.15, 0.15, 0.30, 0.07, 0.03, and only "open now or within three hours" counts)

Every component is in [0, 1]. Scores are rounded to 3 decimals; services with the same rounded score
are ordered by a hash of (the query, the service id): the same search always gives the same order,
while two different searches do not always favour the same structure.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import math

from relais.matching.types import ServiceRecord, Status

WEIGHTS = {
    "fit": 0.35,
    "certainty": 0.20,
    "proximity": 0.17,
    "opening": 0.12,
    "capacity": 0.10,
    "freshness": 0.06,
}
# When the words typed signal an emergency (violence, nowhere to sleep tonight, suicidal thoughts),
# what is open now matters most, and "opens tomorrow" is worth nothing.
URGENT_WEIGHTS = {
    "fit": 0.30,
    "certainty": 0.15,
    "proximity": 0.15,
    "opening": 0.30,
    "capacity": 0.07,
    "freshness": 0.03,
}

# When the words say when ("ce soir", "aujourd'hui", "maintenant"), being open then counts more.
TIMED_WEIGHTS = {
    "fit": 0.32,
    "certainty": 0.18,
    "proximity": 0.15,
    "opening": 0.22,
    "capacity": 0.08,
    "freshness": 0.05,
}

REMOTE_PROXIMITY = 0.5  # a remote service counts like an on-site one about 5.5 km away
PROXIMITY_SCALE_KM = 8.0  # on site: exp(-d / 8 km), 1 next door, 0.29 at 10 km, 0.08 at 20 km
UNKNOWN_DISTANCE = 0.3


def fit(thematiques: tuple[str, ...], needs: dict[str, float]) -> tuple[float, tuple[str, ...]]:
    """How well the service meets the needs, and which needed thématiques it covers.

    The strongest need met counts fully, each further need met adds 0.1; a generalist service listing
    many thématiques loses up to 20 % against a specialist (2 % per thématique beyond three).
    """
    matched = [t for t in thematiques if t in needs]
    if not matched:
        return 0.0, ()
    best = 0.0
    for t in matched:
        if needs[t] > best:
            best = needs[t]
    base = min(1.0, best + 0.1 * (len(matched) - 1))
    if len(thematiques) > 3:
        base *= 1 - min(0.2, 0.02 * (len(thematiques) - 3))
    return base, tuple(matched)


RESERVED_UNSTATED = 0.3  # certainty factor of a public the service is reserved to and the person did not state


def certainty(status: Status, checks: int, reserved: bool = False) -> float:
    """1 when eligible; each thing to check multiplies by 0.7, except a public the service is reserved to and
    the person did not state (`reserved`: publics_unknown), which multiplies by RESERVED_UNSTATED: a profile
    that is unknown is not a profile that matches, so an open service nearby comes first."""
    if status == Status.EXCLUDED:
        return 0.0
    if reserved:
        return RESERVED_UNSTATED * 0.7 ** (checks - 1)
    return 0.7**checks


def certainty_of(assessment) -> float:
    """`certainty` of an eligibility.Assessment."""
    reserved = any(r.code == "publics_unknown" for r in assessment.to_check)
    return certainty(assessment.status, len(assessment.to_check), reserved)


def proximity(service: ServiceRecord, distance_km: float | None, mode: str | None) -> float:
    remote = REMOTE_PROXIMITY if service.remote else 0.0
    if mode == "a-distance" and service.remote:
        remote = 1.0
    if service.on_site and mode != "a-distance":
        on_site = UNKNOWN_DISTANCE if distance_km is None else math.exp(-distance_km / PROXIMITY_SCALE_KM)
        return max(on_site, remote)
    return remote if service.remote else UNKNOWN_DISTANCE


def opening(open_now: bool | None, next_open: dt.datetime | None, now: dt.datetime, urgent: bool = False) -> float:
    """1 open now, 0.8 opens within a day, 0.6 within three, 0.4 within a week, 0 later; 0.3 unknown.

    Urgent: 1 open now, 0.6 opens within the hour, 0.3 within three hours, 0 later; 0.2 unknown.
    """
    if open_now is None:
        return 0.2 if urgent else 0.3
    if open_now:
        return 1.0
    if next_open is None:
        return 0.0
    hours = (next_open - now).total_seconds() / 3600
    if urgent:
        return 0.6 if hours <= 1 else (0.3 if hours <= 3 else 0.0)
    if hours <= 24:
        return 0.8
    if hours <= 72:
        return 0.6
    if hours <= 168:
        return 0.4
    return 0.0


def opening_value(
    opening_pair: tuple[bool | None, dt.datetime | None], now: dt.datetime, urgent: bool = False
) -> float:
    """`opening` for an (open now?, next opening) pair as given by opening.next_open."""
    return opening(opening_pair[0], opening_pair[1], now, urgent)


def window_opening(open_in_window: bool | None, urgent: bool = False) -> float:
    """The opening component when the person said when: 1 open then, 0 not, unknown 0.3 (0.2 urgent)."""
    if open_in_window is None:
        return 0.2 if urgent else 0.3
    return 1.0 if open_in_window else 0.0


def capacity(service: ServiceRecord, today: dt.date) -> float:
    return {"accepting": 1.0, "waiting_list": 0.4, "full": 0.0}.get(service.capacity_on(today), 0.5)


def freshness(service: ServiceRecord, today: dt.date, stale_after_days: int) -> float:
    """1 while verified within half the staleness limit, then down to 0 at twice the limit; 0 unverified."""
    if service.last_verified_on is None:
        return 0.0
    age = (today - service.last_verified_on).days
    half = stale_after_days / 2
    return max(0.0, min(1.0, 1 - max(0.0, age - half) / (1.5 * stale_after_days)))


def total(components: dict[str, float], weights: dict[str, float] = WEIGHTS) -> float:
    return round(sum(weights[name] * value for name, value in components.items()), 3)


def query_seed(*parts) -> bytes:
    return hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()


def tie_key(seed: bytes, service_id: str) -> bytes:
    return hashlib.blake2b(service_id.encode(), digest_size=8, key=seed).digest()
