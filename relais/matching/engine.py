"""The search: place + needs + profile + constraints -> ranked, explained services.

    search(index, place, needs, profile, constraints, now) -> SearchResponse

Named steps over one `_Search` (the input read once): `_read_input` validates (problems name the field,
with suggestions); `_candidates` reads the index (remote services by zone, on-site services ring by ring
around the person until enough are found); `_assess` decides eligibility and scores every component but
the opening (ranking.py); `_score` computes the opening of the best candidates only (an upper bound on the
opening component tells when to stop); `_page` cuts the page and picks the excluded services worth
explaining; `_explain` explains what is shown.

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
from collections import Counter
from operator import itemgetter

from relais.matching import ranking
from relais.matching.eligibility import (
    ELIGIBLE_EVERYWHERE,
    Assessment,
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
from relais.matching.implied import with_implied
from relais.matching.index import OfferIndex
from relais.matching.lexicon import lexicon_for
from relais.matching.opening import next_open, open_between, open_on_day, opening_at_minute, time_window
from relais.matching.places import resolve_place
from relais.matching.types import (
    Constraints,
    Needs,
    Place,
    Profile,
    ResolvedPlace,
    Result,
    SearchResponse,
    Severity,
    Status,
)
from relais.matching.validation import read_needs, validate_constraints, validate_profile
from relais.territories.geo import LocalDistance, haversine_km

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
RADII_KM = (2, 5, 10, 20, 40, 80)  # on-site search widens ring by ring up to the last radius
ENOUGH_FOR_STRONG_NEED = 10  # a need of weight >= STRONG_NEED widens until this many on-site services...
ENOUGH_FOR_WEAK_NEED = 3  # ...a weaker one until this many
STRONG_NEED = 0.8
# ...and, within OPEN_TO_ALL_WITHIN_KM, until this many of them are open to all (no reserved public): ten services reserved to publics the person did not state must not hide an open one 6 km away
ENOUGH_OPEN_TO_ALL = 3
OPEN_TO_ALL_WITHIN_KM = 20
EXCLUDED_SHOWN = 10
MAX_LIMIT = 100
AUDIENCES = ("pro", "resident")
_CLOSED = frozenset({"closed_now", "closed_that_day"})

# (signal of the words, index attribute holding the positions of services wrong for it, reason code)
CONTRAINDICATIONS = (("violence", "family_mediation", "mediation_violence"),)


def _aware(now: dt.datetime | None) -> dt.datetime:
    if now is None:
        return dt.datetime.now(PARIS)
    return now.replace(tzinfo=PARIS) if now.tzinfo is None else now.astimezone(PARIS)


class _Candidate:
    """A service on its way to the page: its base score (all but the opening), then its full score."""

    __slots__ = ("pos", "service", "distance", "matched", "fit", "assessment", "base", "score", "tie")

    def __init__(self, pos: int, service, distance, base: float, assessment, fit: float, matched: tuple, tie: bytes):
        self.pos, self.service, self.distance, self.base, self.assessment = pos, service, distance, base, assessment
        self.fit, self.matched, self.tie = fit, matched, tie
        self.score = 0.0


# A candidate assessed and scored on everything but its opening, as `_assess` builds one per candidate:
#     (base, pos, distance, assessment, fit, matched)
# read by unpacking it under these names, never by index. A plain tuple on purpose: a NamedTuple (even
# built with tuple.__new__) or a slots class costs a few hundred nanoseconds more per row, and hundreds
# of rows are built per search (measured with bench/bench_search.py at 140,000 services).
_Row = tuple[float, int, float | None, Assessment, float, tuple]
_BY_BASE = itemgetter(0)  # the row's `base`


class _Openings:
    """The opening of the services of one search, computed at most once per opening key (hours + closures)."""

    __slots__ = ("keys", "services", "now", "urgent", "open_on", "window", "_next", "_days", "_windows", "_full")

    def __init__(self, index: OfferIndex, now: dt.datetime, urgent: bool, open_on, window):
        self.keys, self.services = index.opening_keys, index.services
        self.now, self.urgent, self.open_on, self.window = now, urgent, open_on, window
        self._next: dict = {}
        self._days: dict = {}
        self._windows: dict = {}
        self._full: dict = {}

    def next_open(self, pos: int) -> tuple:
        key = self.keys[pos]
        found = self._next.get(key)
        if found is None:
            found = self._next[key] = next_open(self.services[pos], self.now)
        return found

    def on_day(self, pos: int):
        """Open on the day the constraints ask for (None when they ask for none)."""
        if self.open_on is None:
            return None
        key = self.keys[pos]
        if key not in self._days:
            self._days[key] = open_on_day(self.services[pos], self.open_on)
        return self._days[key]

    def in_window(self, pos: int):
        key = self.keys[pos]
        if key not in self._windows:
            self._windows[key] = open_between(self.services[pos], *self.window)
        return self._windows[key]

    def score(self, pos: int) -> float:
        if self.window is not None:
            return ranking.window_opening(self.in_window(pos), self.urgent)
        return ranking.opening_value(self.next_open(pos), self.now, self.urgent)

    def at_minute(self, pos: int, language: str):
        key = self.keys[pos]
        if key not in self._full:
            self._full[key] = opening_at_minute(self.services[pos], self.now, language)
        return self._full[key]

    @property
    def computed(self) -> int:
        return len(self._next)


@dataclasses.dataclass(slots=True)
class _Search:
    """One search once its input is read: what every step below reads."""

    index: OfferIndex
    resolved: ResolvedPlace
    query: Query
    profile: Profile
    constraints: Constraints
    need_matches: tuple
    signals: frozenset
    problems: list
    weights: dict[str, float]  # thématique -> weight of the need
    now: dt.datetime
    language: str
    lexicon: object
    everyday: bool  # the resident's wording
    urgent: bool
    limit: int
    offset: int
    hint: str | None  # "now", "tonight", "today" when the words ask for a time
    window: tuple | None
    scoring: dict[str, float]  # the weights of the score components
    seed: bytes
    openings: _Openings

    @property
    def today(self) -> dt.date:
        return self.now.date()


def _on_site_pool(index: OfferIndex, q: Query, needs: dict[str, float], max_km: float | None, target: int):
    """On-site services around the person, {position: distance}, and the widest radius used.

    Each thématique sought widens on its own, ring by ring (RADII_KM), until it has `target` services
    (ENOUGH_FOR_WEAK_NEED for a need weighing less than STRONG_NEED) that their zone does not exclude, of
    which ENOUGH_OPEN_TO_ALL are open to all (up to OPEN_TO_ALL_WITHIN_KM): a rare need reaches further
    without dragging in every service of the common ones.
    """
    place = q.place
    last = max_km or RADII_KM[-1]
    radii = [r for r in RADII_KM if r < last] + [last]
    lat0, lon0 = place.latitude, place.longitude
    cos0 = LocalDistance(lat0, lon0).cos_lat
    km = LocalDistance.KM_PER_DEGREE
    meta, open_to_all = index.meta, index.open_to_all
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
                        _, _, lat, lon, _ = meta[pos]  # index.ServiceMeta
                        dy, dx = lat - lat0, (lon - lon0) * cos0
                        pool[pos] = (km * (dx * dx + dy * dy) ** 0.5, not zone_excludes(index.services[pos], q))
                    found.add(pos)
            within = [pos for pos in found if pool[pos][1] and pool[pos][0] <= radius]
            if len(within) >= want and (
                radius >= OPEN_TO_ALL_WITHIN_KM or sum(1 for pos in within if open_to_all[pos]) >= ENOUGH_OPEN_TO_ALL
            ):
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


def _search(index, place, needs, profile, constraints, now, **options) -> SearchResponse:
    s = _read_input(index, place, needs, profile, constraints, now, **options)
    if isinstance(s, SearchResponse):
        return s
    positions, remote_count, radius = _candidates(s)
    kept, excluded = _assess(s, positions)
    scored = _score(s, kept)
    page, shown_excluded = _page(s, scored, excluded)
    return SearchResponse(
        ok=True,
        problems=tuple(s.problems),
        place=s.resolved,
        needs=s.need_matches,
        results=tuple(_explain(s, c) for c in page),
        excluded=tuple(_explain(s, c, short=True) for c in shown_excluded),
        total=len(kept),
        excluded_total=len(excluded),
        radius_km=radius,
        urgent=s.urgent,
        signals=s.signals,
        extra={
            **_exclusion_counts(excluded),
            "eligible_total": _count_eligible(kept),
            "language": s.lexicon.language.code,
            "candidates": len(kept) + len(excluded),
            "remote_candidates": remote_count,
            "openings_computed": s.openings.computed,
        },
    )


def _exclusion_counts(excluded: list[_Row]) -> dict[str, dict[str, int]]:
    """How many candidates each reason excluded ("excluded_by"), and how many each reason alone excluded
    ("excluded_only_by": lifting that filter would bring them back); empty.py explains an empty page with them."""
    by: Counter[str] = Counter()
    only: Counter[str] = Counter()
    for _, _, _, assessment, _, _ in excluded:
        codes = {reason.code for reason in assessment.excluded_because}
        by.update(codes)
        if len(codes) == 1:
            only.update(codes)
    return {"excluded_by": dict(by), "excluded_only_by": dict(only)}


def _count_eligible(rows: list[_Row]) -> int:
    eligible = Status.ELIGIBLE  # an enum member read once, not once per row
    return sum(1 for _, _, _, assessment, _, _ in rows if assessment.status is eligible)


def _checked(place, needs, profile, constraints, audience) -> tuple[Needs, Profile, Constraints]:
    """The inputs with their collections frozen, or TypeError/ValueError for a programming error."""
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
    return needs, profile, constraints


def _read_input(
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
) -> _Search | SearchResponse:
    """Step 0: the input read and checked; a response listing the problems when it cannot be searched."""
    needs, profile, constraints = _checked(place, needs, profile, constraints, audience)
    language = current_language()
    lexicon = lexicon or lexicon_for(language)
    now = _aware(now)
    today = now.date()
    problems = validate_profile(profile) + validate_constraints(constraints, today)
    need_matches, need_problems, signals = read_needs(needs, lexicon)
    problems += need_problems
    profile = with_implied(profile, needs.text, signals)
    resolved, place_problems = resolve_place(place, index.communes, locate)
    problems += place_problems
    urgent = any(m.urgent for m in need_matches)
    if any(p.severity == Severity.ERROR for p in problems) or resolved is None:
        return SearchResponse(
            ok=False, problems=tuple(problems), place=resolved, needs=need_matches, urgent=urgent, signals=signals
        )
    weights = {m.thematique: m.weight for m in need_matches}
    hint = next((h for h in ("now", "tonight", "today") if h in signals), None)
    window = time_window(hint, now)
    if urgent:
        scoring = ranking.URGENT_WEIGHTS
    else:
        scoring = ranking.TIMED_WEIGHTS if window is not None else ranking.WEIGHTS
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
    return _Search(
        index=index,
        resolved=resolved,
        query=Query(resolved, index.communes, profile, constraints, today),
        profile=profile,
        constraints=constraints,
        need_matches=need_matches,
        signals=signals,
        problems=problems,
        weights=weights,
        now=now,
        language=language,
        lexicon=lexicon,
        everyday=audience == "resident",
        urgent=urgent,
        limit=max(1, min(MAX_LIMIT, int(limit))),
        offset=max(0, int(offset)),
        hint=hint,
        window=window,
        scoring=scoring,
        seed=seed,
        openings=_Openings(index, now, urgent, constraints.open_on, window),
    )


def _candidates(s: _Search) -> tuple[dict[int, float | None], int, float | None]:
    """Step 1: {position: distance or None for remote}, how many came from the zones, the widest radius."""
    positions: dict[int, float | None] = {}
    mode = s.constraints.mode
    if mode != "en-presentiel":
        for pos in s.index.zone_candidates(s.resolved.zone_codes | s.query.arrondissements, s.weights):
            positions[pos] = None
    remote_count = len(positions)
    radius = None
    if mode != "a-distance":
        pool, radius = _on_site_pool(s.index, s.query, s.weights, s.constraints.max_distance_km, ENOUGH_FOR_STRONG_NEED)
        positions.update(pool)
    return positions, remote_count, radius


def _assess(s: _Search, positions: dict[int, float | None]) -> tuple[list[_Row], list[_Row]]:
    """Step 2: eligibility and every score component but the opening; (kept, excluded) rows.

    The hot loop of the search: everything it reads is bound to a local name first.
    """
    index, q, constraints, weights = s.index, s.query, s.constraints, s.weights
    contraindicated = [
        (getattr(index, attribute, ()), code) for signal, attribute, code in CONTRAINDICATIONS if signal in s.signals
    ]
    filters_on_opening = constraints.open_now or constraints.open_on is not None
    opening_of, open_that_day = s.openings.next_open, s.openings.on_day
    w_fit, w_certainty, w_proximity = s.scoring["fit"], s.scoring["certainty"], s.scoring["proximity"]
    static = index.static_scores(s.today, s.scoring)  # capacity and freshness, weighted, computed once a day
    measure = LocalDistance(s.resolved.latitude, s.resolved.longitude)
    max_km, mode = constraints.max_distance_km, constraints.mode
    scale = ranking.PROXIMITY_SCALE_KM
    remote_proximity = 1.0 if mode == "a-distance" else ranking.REMOTE_PROXIMITY
    unknown_proximity = ranking.UNKNOWN_DISTANCE
    zone_codes = s.resolved.zone_codes
    plain = no_constraints(constraints)
    services, meta, zone_sets, simple = index.services, index.meta, index.zone_sets, index.simple
    eligible_base = w_certainty * 1.0
    excluded_status = Status.EXCLUDED
    fits: dict[int, tuple[float, tuple]] = {}
    kept: list[_Row] = []
    excluded: list[_Row] = []
    for pos, distance in positions.items():
        on_site, remote, lat, lon, them_key = meta[pos]  # index.ServiceMeta
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
            base = w_certainty * ranking.certainty_of(a)
        if on_site and mode != "a-distance":
            proximity = unknown_proximity if distance is None else math.exp(-distance / scale)
            if remote and remote_proximity > proximity:
                proximity = remote_proximity
        else:
            proximity = remote_proximity if remote else unknown_proximity
        row = (base + w_fit * fit[0] + w_proximity * proximity + static[pos], pos, distance, a, fit[0], fit[1])
        if a.status is excluded_status:
            excluded.append(row)
        else:
            kept.append(row)
    return kept, excluded


def _candidate(s: _Search, row: _Row) -> _Candidate:
    base, pos, distance, assessment, fit, matched = row
    service = s.index.services[pos]
    return _Candidate(pos, service, distance, base, assessment, fit, matched, ranking.tie_key(s.seed, service.id))


def _score(s: _Search, kept: list[_Row]) -> list[_Candidate]:
    """Step 3: the opening, lazily: best upper bounds first, until no one left can enter the page."""
    wanted = s.offset + s.limit
    w_open = s.scoring["opening"]
    opening_score = s.openings.score
    kept.sort(key=_BY_BASE, reverse=True)
    best: list = []  # min-heap of the `wanted` best (score, inverted tie)
    scored: list[_Candidate] = []
    services, seed, tie_key = s.index.services, s.seed, ranking.tie_key
    for row in kept:
        base, pos, distance, assessment, fit, matched = row
        if len(best) >= wanted and round(base + w_open, 3) < best[0][0]:
            break
        service = services[pos]
        c = _Candidate(pos, service, distance, base, assessment, fit, matched, tie_key(seed, service.id))
        c.score = round(base + w_open * opening_score(pos), 3)
        scored.append(c)
        item = (c.score, bytes(255 - b for b in c.tie))
        if len(best) < wanted:
            heapq.heappush(best, item)
        elif item > best[0]:
            heapq.heapreplace(best, item)
    scored.sort(key=lambda c: (-c.score, c.tie))
    return scored


def _excluded_order(row: _Row) -> tuple[float, float]:
    """Best fit first, then nearest (unknown distances last)."""
    _, _, distance, _, fit, _ = row
    return (-fit, 1e9 if distance is None else distance)


def _page(s: _Search, scored: list[_Candidate], excluded: list[_Row]) -> tuple[list[_Candidate], list[_Candidate]]:
    """Step 4: the page asked for, and the nearest excluded services best fitting the need (to say why)."""
    page = scored[s.offset : s.offset + s.limit]
    nearest_excluded = heapq.nsmallest(2 * EXCLUDED_SHOWN, excluded, key=_excluded_order)
    shown_excluded = sorted(
        (_candidate(s, row) for row in nearest_excluded),
        key=lambda c: (-c.fit, 1e9 if c.distance is None else c.distance, c.tie),
    )[:EXCLUDED_SHOWN]
    for c in shown_excluded:
        c.score = round(c.base, 3)
    return page, shown_excluded


def _explain(s: _Search, c: _Candidate, short: bool = False) -> Result:
    """Step 5: the result shown, with its score components and explanation (short: an excluded service)."""
    service, resolved, today, stale = c.service, s.resolved, s.today, s.index.stale_after_days
    a = with_messages(c.assessment, service, s.query, PLAIN_REASONS if s.everyday else None)
    matched = tuple(m for m in s.need_matches if m.thematique in c.matched)
    components = {
        "fit": c.fit,
        "certainty": ranking.certainty_of(a),
        "proximity": ranking.proximity(service, c.distance, s.constraints.mode),
        "capacity": ranking.capacity(service, today),
        "freshness": ranking.freshness(service, today, stale),
    }
    if c.distance is not None and c.distance > 300:
        c.distance = haversine_km(resolved.latitude, resolved.longitude, service.latitude, service.longitude)
    common = {
        "service": service,
        "status": a.status,
        "score": c.score,
        "components": components,
        "matched": matched,
        "to_check": a.to_check,
        "excluded_because": a.excluded_because,
        "eligible_because": a.eligible_because,
        "distance_km": None if c.distance is None else round(c.distance, 2),
    }
    if short:
        explanation = explain_excluded(service, a, matched, c.distance, resolved, s.everyday)
        if any(r.code in _CLOSED for r in a.excluded_because):  # when it opens next: a way out of an empty page
            return Result(**common, opening=s.openings.at_minute(c.pos, s.language), explanation=explanation)
        return Result(**common, explanation=explanation)
    components["opening"] = s.openings.score(c.pos)
    info = s.openings.at_minute(c.pos, s.language)
    when = window_note(s.hint, s.openings.in_window(c.pos)) if s.window is not None else ""
    explanation = explain(
        service, a, matched, c.distance, info, resolved, s.constraints, today, stale, plain=s.everyday, when=when
    )
    return Result(**common, opening=info, explanation=explanation)
