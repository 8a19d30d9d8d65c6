"""The matching engine inside the running application: one offer index per process, and traced searches.

    from relais.matching.runtime import get_index, get_places, run_search

    response = run_search(Place(commune="69383"), Needs(text="manger ce soir"), profile, constraints, channel="pro")

- `get_index()` returns this process's `OfferIndex`, built from the database on first use. At most once
  every `RELAIS_SEARCH_INDEX_CHECK_SECONDS` (monotonic clock) it runs one aggregate query over the offer
  (`offer_version()`: counts and latest changes of services, structures, closures, the change history and
  the communes, plus today's date) and rebuilds the index when the answer differs. Every process does this
  on its own: nothing assumes a single process, a change made through another one is seen within the
  interval. A small offer is rebuilt in the request that noticed the change; a large one (its last build
  took over `BACKGROUND_AFTER_SECONDS`) in a background thread, the previous index serving meanwhile.
- `get_places()` is the commune lookup table (`CommuneTable`) of the same build.
- `run_search()` runs `engine.search()` on that index and records the anonymous trace of the search
  (relais.observatory, docs/data-traces.md) when `trace` is true and `RELAIS_TRACE_SEARCHES` is on.
- `warm_up()` builds the index and runs one search before the first request (`RELAIS_SEARCH_WARMUP`,
  called from relais/wsgi.py and relais/asgi.py; with `gunicorn --preload` once for all workers).
"""

from __future__ import annotations

import functools
import logging
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import connections, router
from django.dispatch import Signal
from django.utils import timezone

from relais.matching.engine import search
from relais.matching.index import OfferIndex, build_index_from_db
from relais.matching.places import CommuneTable
from relais.matching.types import Constraints, Needs, Place, Profile, SearchResponse, ServiceRecord
from relais.offer.models import Change, Closure, Service, Structure
from relais.territories.geo import commune_at
from relais.territories.models import Commune

logger = logging.getLogger(__name__)

# Sent by run_search() for the first page of a search that ran, when RELAIS_TRACE_SEARCHES is on, with
# `response`, `profile`, `channel` and `token` (the token a page carried back). The observatory, a layer
# above matching, records the anonymous trace and answers the token that designates it (or None): matching
# never imports the observatory (docs/adr/0009-house-rules.md).
search_done = Signal()

BACKGROUND_AFTER_SECONDS = 1.0  # an index that took longer than this to build is rebuilt in the background
LOCATE_CACHE = 4096  # coordinates (rounded to ~10 m) -> commune, per process


class _State:
    def __init__(self):
        self.index: OfferIndex | None = None
        self.version: tuple | None = None
        self.checked_at = float("-inf")
        self.build_seconds = 0.0
        self.builds = 0
        self.builder: threading.Thread | None = None


_state = _State()
_lock = threading.Lock()


def reset() -> None:
    """Forget this process's index (as a new process would start); the next `get_index()` builds it again."""
    global _state
    with _lock:
        _state = _State()
    _commune_at.cache_clear()


def offer_version() -> tuple:
    """One query that changes whenever the published offer may have changed.

    Counts catch deletions; latest `updated_at` catch edits and imports (the importer sets it); the change
    history's latest id catches moderation and closures edited through `relais.offer.actions`; the
    closures' count and latest id catch closures added or removed anyway; the communes' count catches a
    new referential. Today's date is part of it: closures and freshness depend on the day.
    """
    connection = connections[router.db_for_read(Service)]
    quote = connection.ops.quote_name

    def table(model):
        return quote(model._meta.db_table)

    parts = []
    for model in (Service, Structure):
        parts += [f"(SELECT COUNT(*) FROM {table(model)})", f"(SELECT MAX({quote('updated_at')}) FROM {table(model)})"]
    parts += [f"(SELECT COUNT(*) FROM {table(Closure)})", f"(SELECT MAX({quote('id')}) FROM {table(Closure)})"]
    parts += [f"(SELECT MAX({quote('id')}) FROM {table(Change)})", f"(SELECT COUNT(*) FROM {table(Commune)})"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        row = cursor.fetchone()
    return (timezone.localdate().isoformat(), *(str(value) for value in row))


def _build(version: tuple) -> None:
    started = time.perf_counter()
    index = build_index_from_db()
    seconds = time.perf_counter() - started
    with _lock:
        _state.index, _state.version, _state.build_seconds = index, version, seconds
        _state.builds += 1
    _commune_at.cache_clear()
    logger.info("search index built: %d services in %.2f s", len(index), seconds)


def _build_in_background(state: _State, version: tuple) -> None:
    try:
        if state is _state:
            _build(version)
    except Exception:  # the previous index keeps serving; the next check tries again
        logger.exception("search index: rebuild failed")
        with _lock:
            state.checked_at = float("-inf")
    finally:
        state.builder = None
        connections.close_all()  # this thread's connections only


def get_index() -> OfferIndex:
    """This process's index of the published offer, rebuilt when the offer changed (see the module docstring)."""
    state = _state
    now = time.monotonic()
    if state.index is not None and now - state.checked_at < settings.RELAIS_SEARCH_INDEX_CHECK_SECONDS:
        return state.index
    with _lock:
        if state.index is not None and now - state.checked_at < settings.RELAIS_SEARCH_INDEX_CHECK_SECONDS:
            return state.index
        state.checked_at = now
        if state.builder is not None:  # a rebuild is under way: keep serving the previous index
            return state.index
    version = offer_version()
    if state.index is not None and version == state.version:
        return state.index
    if state.index is not None and state.build_seconds > BACKGROUND_AFTER_SECONDS:
        with _lock:
            if state.builder is None:
                state.builder = threading.Thread(
                    target=_build_in_background, args=(state, version), name="search-index", daemon=True
                )
                state.builder.start()
        return state.index
    _build(version)
    return _state.index


def get_places() -> CommuneTable:
    """The commune lookup table (codes, postal codes, names, positions) of the current index."""
    return get_index().communes


def index_info() -> dict:
    """What this process holds, for logs and benchmarks."""
    state = _state
    return {
        "services": len(state.index) if state.index is not None else None,
        "version": state.version,
        "build_seconds": state.build_seconds,
        "builds": state.builds,
        "rebuilding": state.builder is not None,
    }


@functools.lru_cache(maxsize=LOCATE_CACHE)
def _commune_at(lat: float, lon: float) -> str | None:
    commune = commune_at(lat, lon)
    return commune.code if commune is not None else None


def locate(lat: float, lon: float) -> str | None:
    """The commune (or arrondissement) whose contour holds the point, when contours are loaded; else None
    and the engine takes the nearest commune centre."""
    return _commune_at(round(float(lat), 4), round(float(lon), 4))


# -- a view of the index restricted by a predicate on services ------------------------------------


class _FilteredCell:
    __slots__ = ("cell", "kept")

    def __init__(self, cell, kept):
        self.cell, self.kept = cell, kept

    def get(self, thematique, default=()):
        positions = self.cell.get(thematique)
        if not positions:
            return default
        kept = self.kept
        return [p for p in positions if kept(p)]


class _FilteredGrid:
    __slots__ = ("grid", "kept")

    def __init__(self, grid, kept):
        self.grid, self.kept = grid, kept

    def __getitem__(self, cell):
        return _FilteredCell(self.grid[cell], self.kept)

    def __contains__(self, cell):
        return cell in self.grid

    def get(self, cell, default=None):
        found = self.grid.get(cell)
        return default if found is None else _FilteredCell(found, self.kept)


class FilteredIndex:
    """The index as if it held only the services `keep(service)` accepts (the data·inclusion filters:
    frais, publics, modes_accueil, types). Candidates are filtered where the engine reads them (the zone
    lists and the grid cells: `zone_candidates`, `grid_for`, `cell_candidates`), each service tested at most
    once per search: pages and totals stay exact. Covered by test_runtime.py; an engine option taking
    the predicate would make this view unnecessary."""

    def __init__(self, index: OfferIndex, keep: Callable[[ServiceRecord], bool]):
        self._index = index
        services = index.services
        memo: dict[int, bool] = {}

        def kept(position: int) -> bool:
            found = memo.get(position)
            if found is None:
                found = memo[position] = bool(keep(services[position]))
            return found

        self._kept = kept

    def __getattr__(self, name):
        return getattr(self._index, name)

    def __len__(self) -> int:
        return len(self._index)

    def grid_for(self, radius_km: float):
        grid, size = self._index.grid_for(radius_km)
        return _FilteredGrid(grid, self._kept), size

    def zone_candidates(self, zone_codes, thematiques) -> set[int]:
        kept = self._kept
        return {p for p in self._index.zone_candidates(zone_codes, thematiques) if kept(p)}

    def cell_candidates(self, cell, thematiques, *args, **kwargs) -> set[int]:
        kept = self._kept
        return {p for p in self._index.cell_candidates(cell, thematiques, *args, **kwargs) if kept(p)}


# -- searching -----------------------------------------------------------------------------------


def run_search(
    place: Place,
    needs: Needs,
    profile: Profile | None = None,
    constraints: Constraints | None = None,
    *,
    now=None,
    limit: int = 20,
    offset: int = 0,
    channel: str = "resident",
    trace: bool = True,
    trace_token: str | None = None,
    keep: Callable[[ServiceRecord], bool] | None = None,
    audience: str = "pro",
    lexicon=None,
) -> SearchResponse:
    """`engine.search()` on this process's index, then the anonymous trace of the search.

    `channel`: "pro" (a professional's orientation page), "resident" (the public page) or "api".
    `keep`: an optional predicate on services (see FilteredIndex). `audience`: the engine's wording
    ("resident": everyday words); `lexicon`: the engine's (default: the active language's). Only the first page of a search that ran (no input error) is traced, so
    paging through results does not count the search again; `trace_token`, the token a page carried back
    (relais.observatory.traces), updates the trace of the same search instead of adding one. The token to
    carry on is `response.extra["trace_token"]`.
    """
    profile = profile or Profile()
    index = get_index()
    if keep is not None:
        index = FilteredIndex(index, keep)
    response = search(
        index,
        place,
        needs,
        profile,
        constraints,
        now,
        limit=limit,
        offset=offset,
        locate=locate,
        audience=audience,
        lexicon=lexicon,
    )
    response.extra["trace_token"] = trace_token or ""
    if trace and response.ok and offset == 0 and settings.RELAIS_TRACE_SEARCHES:
        answers = search_done.send(
            sender=run_search, response=response, profile=profile, channel=channel, token=trace_token
        )
        for _receiver, token in answers:
            if token and channel != "api":  # pages carry it on
                response.extra["trace_token"] = token
    return response


def warm_up() -> float:
    """Build the index and run one search, so that the first request does not pay for it; seconds taken.

    Closes the database connections it opened: with `gunicorn --preload` the workers are forked after
    this and must not share the master's connection.
    """
    started = time.perf_counter()
    try:
        index = get_index()
        code = next(iter(index.communes.by_code), None)
        if code is not None:
            search(index, Place(commune=code), Needs(text="manger ce soir"), limit=5)
    finally:
        connections.close_all()
    return time.perf_counter() - started


def warm_up_if_enabled() -> None:
    if getattr(settings, "RELAIS_SEARCH_WARMUP", False):
        try:
            warm_up()
        except Exception as exc:  # e.g. no tables yet (before `migrate`), or no database access (tests)
            reset()
            logger.warning("search index not built at start-up (%s): the first search will build it", exc)
