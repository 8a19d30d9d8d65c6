"""The search: place + needs + profile + constraints -> ranked, explained services.

    search(index, place, needs, profile, constraints, now) -> SearchResponse

Steps: validate the input (problems name the field, with suggestions); read candidates from the index
(remote services by zone, on-site services ring by ring around the person until enough are found);
assess eligibility; score (ranking.py); compute the opening of the best candidates only (an upper
bound on the opening component tells when to stop); explain the results shown.

The words are read with the lexicon of the active language (lexicon.lexicon_for). Their signals change
the search: urgent words weigh the opening more; "ce soir", "aujourd'hui", "maintenant" rank services by
being open in that window (opening.time_window) and say so in each result; CONTRAINDICATIONS exclude
services that are wrong for the need (family mediation when the words speak of violence), with the reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import heapq
import math
import zoneinfo
from operator import itemgetter

from relais.matching import ranking
from relais.matching.distance import LocalDistance, haversine_km
from relais.matching.eligibility import (
    ELIGIBLE_EVERYWHERE,
    Query,
    assess,
    no_constraints,
    with_exclusion,
    with_messages,
    with_opening,
    zone_excludes,
)
from relais.matching.explain import PLAIN_REASONS, explain, explain_excluded, window_note
from relais.matching.i18n import current_language, translating
from relais.matching.index import OfferIndex
from relais.matching.lexicon import lexicon_for
from relais.matching.opening import next_open, open_between, open_on_day, opening_at_minute, time_window
from relais.matching.places import resolve_place
from relais.matching.types import (
    Constraints,
    Needs,
    Place,
    Profile,
    Result,
    SearchResponse,
    Severity,
    Status,
)
from relais.matching.validation import read_needs, validate_constraints, validate_profile

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
RADII_KM = (2, 5, 10, 20, 40, 80)  # on-site search widens ring by ring up to the last radius
ENOUGH_FOR_STRONG_NEED = 10  # a need of weight >= STRONG_NEED widens until this many on-site services...
ENOUGH_FOR_WEAK_NEED = 3  # ...a weaker one until this many
STRONG_NEED = 0.8
EXCLUDED_SHOWN = 10
MAX_LIMIT = 100
AUDIENCES = ("pro", "resident")

# (signal of the words, index attribute holding the positions of services wrong for it, reason code)
CONTRAINDICATIONS = (("violence", "family_mediation", "mediation_violence"),)


def _aware(now: dt.datetime | None) -> dt.datetime:
    if now is None:
        return dt.datetime.now(PARIS)
    return now.replace(tzinfo=PARIS) if now.tzinfo is None else now.astimezone(PARIS)


class _Candidate:
    __slots__ = ("pos", "service", "distance", "matched", "fit", "assessment", "base", "opening", "score", "tie")

    def __init__(self, service, distance):
        self.service = service
        self.distance = distance
        self.opening = None
        self.score = 0.0


def _on_site_pool(index: OfferIndex, q: Query, needs: dict[str, float], max_km: float | None, target: int):
    """On-site services around the person, {position: distance}, and the widest radius used.

    Each thématique sought widens on its own, ring by ring (RADII_KM), until it has `target` services
    (5 for a weak need) that their zone does not exclude: a rare need reaches further without dragging
    in every service of the common ones.
    """
    place = q.place
    last = max_km or RADII_KM[-1]
    radii = [r for r in RADII_KM if r < last] + [last]
    lat0, lon0 = place.latitude, place.longitude
    cos0 = LocalDistance(lat0, lon0).cos_lat
    km = LocalDistance.KM_PER_DEGREE
    meta = index.meta
    pool: dict[int, tuple[float, bool]] = {}
    selected: dict[int, float] = {}
    widest = radii[0]
    rings: dict[float, tuple] = {}  # radius -> (grid, size, cells): the same for every thématique

    def ring(radius):
        found_ring = rings.get(radius)
        if found_ring is None:
            grid, size = index.grid_for(radius)
            found_ring = rings[radius] = (grid, size, index.cells_around(place.latitude, place.longitude, radius))
        return found_ring

    for thematique, weight in needs.items():
        want = target if weight >= STRONG_NEED else ENOUGH_FOR_WEAK_NEED
        seen: set = set()
        found: set[int] = set()
        radius = radii[0]
        for radius in radii:
            grid, size, cells = ring(radius)
            for cell in cells:
                if (size, cell) in seen:
                    continue
                seen.add((size, cell))
                for pos in grid[cell].get(thematique, ()):
                    if pos not in pool:
                        m = meta[pos]
                        dy, dx = m[2] - lat0, (m[3] - lon0) * cos0
                        pool[pos] = (km * (dx * dx + dy * dy) ** 0.5, not zone_excludes(index.services[pos], q))
                    found.add(pos)
            if sum(1 for pos in found if pool[pos][1] and pool[pos][0] <= radius) >= want:
                break
        widest = max(widest, radius)
        for pos in found:
            d, ok = pool[pos]
            if ok and d <= radius:
                selected[pos] = d
    # services their zone excludes are kept only to say why, for the nearest few
    outside = sorted((d, pos) for pos, (d, ok) in pool.items() if not ok and d <= widest)
    for d, pos in outside[: 2 * EXCLUDED_SHOWN]:
        selected[pos] = d
    return selected, widest


def search(index: OfferIndex, place: Place, needs: Needs, profile=None, constraints=None, now=None, **options):
    """Rank and explain the services of `index` for this person (see the module docstring).

    Options: limit (page size, default 20, at most 100), offset, lexicon (default: the active language's,
    lexicon.lexicon_for), locate (lat, lon -> commune code), audience ("pro", the default, or "resident":
    explanations in everyday words, explain.py).
    """
    with translating():
        return _search(index, place, needs, profile, constraints, now, **options)


def _search(
    index: OfferIndex,
    place: Place,
    needs: Needs,
    profile: Profile | None,
    constraints: Constraints | None,
    now: dt.datetime | None,
    *,
    limit: int = 20,
    offset: int = 0,
    lexicon=None,
    locate=None,
    audience: str = "pro",
) -> SearchResponse:
    profile = profile or Profile()
    constraints = constraints or Constraints()
    if isinstance(profile, Profile) and not (
        isinstance(profile.situations, frozenset) and isinstance(profile.not_situations, frozenset)
    ):
        profile = dataclasses.replace(
            profile,
            situations=frozenset(profile.situations or ()),
            not_situations=frozenset(profile.not_situations or ()),
        )
    if isinstance(needs, Needs) and not isinstance(needs.thematiques, tuple):
        needs = dataclasses.replace(needs, thematiques=tuple(needs.thematiques or ()))
    for name, value, kind in (("place", place, Place), ("needs", needs, Needs), ("profile", profile, Profile)):
        if not isinstance(value, kind):
            raise TypeError(f"search(): {name} must be a {kind.__name__}, not {type(value).__name__}")
    if not isinstance(constraints, Constraints):
        raise TypeError(f"search(): constraints must be a Constraints, not {type(constraints).__name__}")
    if audience not in AUDIENCES:
        raise ValueError(f"search(): audience must be one of {AUDIENCES}, not {audience!r}")
    everyday = audience == "resident"  # the resident's wording
    language = current_language()
    lexicon = lexicon or lexicon_for(language)
    now = _aware(now)
    today = now.date()
    limit = max(1, min(MAX_LIMIT, int(limit)))
    offset = max(0, int(offset))

    # 0. the input
    problems = validate_profile(profile) + validate_constraints(constraints, today)
    need_matches, need_problems, signals = read_needs(needs, lexicon)
    problems += need_problems
    resolved, place_problems = resolve_place(place, index.communes, locate)
    problems += place_problems
    urgent = any(m.urgent for m in need_matches)
    if any(p.severity == Severity.ERROR for p in problems) or resolved is None:
        return SearchResponse(
            ok=False, problems=tuple(problems), place=resolved, needs=need_matches, urgent=urgent, signals=signals
        )
    weights = {m.thematique: m.weight for m in need_matches}
    q = Query(resolved, index.communes, profile, constraints, today)

    # 1. candidates
    positions: dict[int, float | None] = {}
    if constraints.mode != "en-presentiel":
        for pos in index.zone_candidates(resolved.zone_codes | q.arrondissements, weights):
            positions[pos] = None
    remote_count = len(positions)
    radius = None
    if constraints.mode != "a-distance":
        pool, radius = _on_site_pool(index, q, weights, constraints.max_distance_km, ENOUGH_FOR_STRONG_NEED)
        positions.update(pool)

    # 2. eligibility and every score component but the opening
    seed = ranking.query_seed(
        resolved.commune.code,
        round(resolved.latitude, 4),
        round(resolved.longitude, 4),
        sorted(weights.items()),
        profile.age,
        profile.gender,
        profile.household,
        profile.children,
        sorted(profile.situations),
        sorted(profile.not_situations),
        profile.situations_complete,
        repr(constraints),
        today.isoformat(),
    )
    openings: dict = {}
    days: dict = {}

    opening_keys = index.opening_keys

    def opening_of(pos: int) -> tuple:
        key = opening_keys[pos]
        found = openings.get(key)
        if found is None:
            found = openings[key] = next_open(index.services[pos], now)
        return found

    def open_that_day(pos: int):
        if constraints.open_on is None:
            return None
        key = opening_keys[pos]
        if key not in days:
            days[key] = open_on_day(index.services[pos], constraints.open_on)
        return days[key]

    hint = next((h for h in ("now", "tonight", "today") if h in signals), None)
    window = time_window(hint, now)
    windows: dict = {}

    def open_in_window(pos: int):
        key = opening_keys[pos]
        if key not in windows:
            windows[key] = open_between(index.services[pos], *window)
        return windows[key]

    def opening_score(pos: int) -> float:
        if window is not None:
            return ranking.window_opening(open_in_window(pos), urgent)
        return ranking.opening_value(opening_of(pos), now, urgent)

    contraindicated = [
        (getattr(index, attribute, ()), code) for signal, attribute, code in CONTRAINDICATIONS if signal in signals
    ]
    filters_on_opening = constraints.open_now or constraints.open_on is not None
    if urgent:
        weights_used = ranking.URGENT_WEIGHTS
    else:
        weights_used = ranking.TIMED_WEIGHTS if window is not None else ranking.WEIGHTS
    w_fit, w_certainty, w_proximity = weights_used["fit"], weights_used["certainty"], weights_used["proximity"]
    static = index.static_scores(today, weights_used)  # capacity and freshness, weighted, computed once a day
    measure = LocalDistance(resolved.latitude, resolved.longitude)
    max_km = constraints.max_distance_km
    mode = constraints.mode
    scale = ranking.PROXIMITY_SCALE_KM
    remote_proximity = 1.0 if mode == "a-distance" else ranking.REMOTE_PROXIMITY
    unknown_proximity = ranking.UNKNOWN_DISTANCE
    zone_codes = resolved.zone_codes
    plain = no_constraints(constraints)
    services, meta, zone_sets, simple = index.services, index.meta, index.zone_sets, index.simple
    eligible_base = w_certainty * 1.0
    excluded_status = Status.EXCLUDED
    eligible_status = Status.ELIGIBLE
    fits: dict[int, tuple[float, tuple]] = {}
    kept: list[tuple] = []  # (base score, position, distance, assessment, (fit, matched))
    excluded: list[tuple] = []
    for pos, distance in positions.items():
        on_site, remote, lat, lon, them_key = meta[pos]
        if distance is None and on_site and lat is not None:
            distance = measure(lat, lon)  # beyond ~300 km this drifts; results shown get the great circle
        if max_km is not None and distance is not None and distance > max_km and not remote:
            continue
        fit = fits.get(them_key)
        if fit is None:
            fit = fits[them_key] = ranking.fit(services[pos].thematiques, weights)
        zone = zone_sets[pos]
        if plain and simple[pos] and zone is not None and not zone.isdisjoint(zone_codes):
            a = ELIGIBLE_EVERYWHERE  # the common case, same answer as assess() (tested)
        else:
            a = assess(services[pos], q)
        for positions_wrong, code in contraindicated:
            if pos in positions_wrong:
                a = with_exclusion(a, code)
        if filters_on_opening and a.status is not excluded_status:
            a = with_opening(a, q, opening_of(pos)[0], open_that_day(pos))
        if a is ELIGIBLE_EVERYWHERE:
            base = eligible_base
        else:
            base = w_certainty * ranking.certainty(a.status, len(a.to_check))
        if on_site and mode != "a-distance":
            proximity = unknown_proximity if distance is None else math.exp(-distance / scale)
            if remote and remote_proximity > proximity:
                proximity = remote_proximity
        else:
            proximity = remote_proximity if remote else unknown_proximity
        row = (base + w_fit * fit[0] + w_proximity * proximity + static[pos], pos, distance, a, fit)
        if a.status is excluded_status:
            excluded.append(row)
        else:
            kept.append(row)

    def candidate(row) -> _Candidate:
        c = _Candidate(services[row[1]], row[2])
        c.pos = row[1]
        c.base, c.assessment = row[0], row[3]
        c.fit, c.matched = row[4]
        c.tie = ranking.tie_key(seed, c.service.id)
        return c

    # 3. the opening, lazily: best upper bounds first, until no one left can enter the page
    wanted = offset + limit
    w_open = weights_used["opening"]
    kept.sort(key=itemgetter(0), reverse=True)
    best: list = []  # min-heap of the `wanted` best (score, inverted tie)
    scored: list[_Candidate] = []
    for row in kept:
        if len(best) >= wanted and round(row[0] + w_open, 3) < best[0][0]:
            break
        c = candidate(row)
        c.score = round(c.base + w_open * opening_score(c.pos), 3)
        scored.append(c)
        item = (c.score, bytes(255 - b for b in c.tie))
        if len(best) < wanted:
            heapq.heappush(best, item)
        elif item > best[0]:
            heapq.heapreplace(best, item)
    scored.sort(key=lambda c: (-c.score, c.tie))
    page = scored[offset:wanted]
    nearest_excluded = heapq.nsmallest(
        2 * EXCLUDED_SHOWN, excluded, key=lambda row: (-row[4][0], 1e9 if row[2] is None else row[2])
    )
    shown_excluded = sorted(
        (candidate(row) for row in nearest_excluded),
        key=lambda c: (-c.fit, 1e9 if c.distance is None else c.distance, c.tie),
    )[:EXCLUDED_SHOWN]
    for c in shown_excluded:
        c.score = round(c.base, 3)

    # 4. explanations for what is shown
    full_openings: dict = {}
    stale = index.stale_after_days

    def result(c: _Candidate, short: bool = False) -> Result:
        s = c.service
        a = with_messages(c.assessment, s, q, PLAIN_REASONS if everyday else None)
        matched = tuple(m for m in need_matches if m.thematique in c.matched)
        components = {
            "fit": c.fit,
            "certainty": ranking.certainty(a.status, len(a.to_check)),
            "proximity": ranking.proximity(s, c.distance, constraints.mode),
            "capacity": ranking.capacity(s, today),
            "freshness": ranking.freshness(s, today, stale),
        }
        if c.distance is not None and c.distance > 300:
            c.distance = haversine_km(resolved.latitude, resolved.longitude, s.latitude, s.longitude)
        distance = None if c.distance is None else round(c.distance, 2)
        if short:
            return Result(
                service=s,
                status=a.status,
                score=c.score,
                components=components,
                matched=matched,
                to_check=a.to_check,
                excluded_because=a.excluded_because,
                eligible_because=a.eligible_because,
                distance_km=distance,
                explanation=explain_excluded(s, a, matched, c.distance, resolved, everyday),
            )
        components["opening"] = opening_score(c.pos)
        key = opening_keys[c.pos]
        if key not in full_openings:
            full_openings[key] = opening_at_minute(s, now, language)
        info = full_openings[key]
        return Result(
            service=s,
            status=a.status,
            score=c.score,
            components=components,
            matched=matched,
            to_check=a.to_check,
            excluded_because=a.excluded_because,
            eligible_because=a.eligible_because,
            distance_km=distance,
            opening=info,
            explanation=explain(
                s,
                a,
                matched,
                c.distance,
                info,
                resolved,
                constraints,
                today,
                stale,
                plain=everyday,
                when=window_note(hint, open_in_window(c.pos)) if window is not None else "",
            ),
        )

    return SearchResponse(
        ok=True,
        problems=tuple(problems),
        place=resolved,
        needs=need_matches,
        results=tuple(result(c) for c in page),
        excluded=tuple(result(c, short=True) for c in shown_excluded),
        total=len(kept),
        excluded_total=len(excluded),
        radius_km=radius,
        urgent=urgent,
        signals=signals,
        extra={
            "eligible_total": sum(1 for row in kept if row[3].status is eligible_status),
            "language": lexicon.language.code,
            "candidates": len(kept) + len(excluded),
            "remote_candidates": remote_count,
            "openings_computed": len(openings),
        },
    )
