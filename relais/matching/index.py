"""An in-memory index of the published offer, so a search touches only its candidates.

- remote services (and services without a position) are filed by zone code and thématique: a search
  reads only the lists for the person's zone codes and the thématiques needed;
- on-site services with a position are filed in grids of 0.02° and 0.1° cells, then by thématique: a
  search reads only the cells around the person, ring after ring until it has enough results (the fine
  grid for the first rings, so a dense city centre is read a few km² at a time).

`build_index_from_db()` is the only function here that reads the database; everything else works on
plain records, so tests and benchmarks build indexes from hand-written or generated lists.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
import math
import re
from collections import defaultdict
from collections.abc import Iterable

from relais.matching import ranking
from relais.matching.eligibility import is_simple
from relais.matching.opening import memo_key
from relais.matching.places import CommuneTable
from relais.matching.types import ClosureRecord, CommuneInfo, ServiceRecord
from relais.offer.position import takes_structure_position

# Family or couple mediation: contraindicated when the words speak of violence (engine.CONTRAINDICATIONS).
FAMILY_MEDIATION = re.compile(r"m[ée]diation\s+(familiale|conjugale|parentale|de\s+couple|intrafamiliale)", re.I)

CELL_DEGREES = 0.1  # about 11 × 8 km in mainland France
FINE_CELL_DEGREES = 0.02  # about 2 × 1.5 km, for the first rings in dense cities
FINE_UP_TO_KM = 10  # rings up to this radius read the fine grid, wider ones the coarse grid


def cell_of(lat: float, lon: float, size: float = CELL_DEGREES) -> tuple[int, int]:
    return (math.floor(lat / size), math.floor(lon / size))


# What the search loop reads of a service, by position: (on_site, remote, latitude, longitude,
# thematiques_key), services with the same thématiques sharing one key (their fit is computed once). Read
# by unpacking under these names, never by index. A plain tuple on purpose: unpacking a NamedTuple takes
# the interpreter's slow path, and this is read for thousands of candidates per search (measured: the
# search was 5-10 % slower at 140,000 services with a NamedTuple here).
ServiceMeta = tuple[bool, bool, float | None, float | None, int]


class OfferIndex:
    def __init__(self, services: Iterable[ServiceRecord], communes: CommuneTable, stale_after_days: int = 180):
        self.communes = communes
        self.stale_after_days = stale_after_days
        self.services: list[ServiceRecord] = []
        self.zone_sets: list[frozenset[str] | None] = []  # zone_eligibilite as a set, by position
        self.simple: list[bool] = []  # eligibility.is_simple, by position
        self.open_to_all: list[bool] = []  # no reserved public (tous-publics or none), by position
        self.opening_keys: list[tuple] = []  # opening.memo_key, by position: services sharing one share openings
        self.meta: list[ServiceMeta] = []  # by position: what the search loop reads
        self._thematiques_keys: dict[tuple[str, ...], int] = {}
        self.by_zone: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        self.grid: dict[tuple[int, int], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        self.fine_grid: dict[tuple[int, int], dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        self._static: dict[tuple, list[float]] = {}
        self.unplaced: list[str] = []  # ids of services no search can reach (no zone, no position, no commune)
        self.family_mediation: set[int] = set()  # positions of family mediation services (FAMILY_MEDIATION)
        for service in services:
            self._add(self._placed(service))
        self.by_zone = {k: dict(v) for k, v in self.by_zone.items()}
        self.grid = {k: dict(v) for k, v in self.grid.items()}
        self.fine_grid = {k: dict(v) for k, v in self.fine_grid.items()}

    def __len__(self) -> int:
        return len(self.services)

    def static_scores(self, today: dt.date, weights: dict[str, float] = ranking.WEIGHTS) -> list[float]:
        """Weighted capacity + freshness of every service for `today` (they change with the date only)."""
        w_cap, w_fresh, stale = weights["capacity"], weights["freshness"], self.stale_after_days
        key = (today, w_cap, w_fresh)
        cached = self._static.get(key)
        if cached is not None:
            return cached
        if len(self._static) > 4:
            self._static.clear()
        scores = [
            w_cap * ranking.capacity(s, today) + w_fresh * ranking.freshness(s, today, stale) for s in self.services
        ]
        self._static[key] = scores
        return scores

    def _placed(self, service: ServiceRecord) -> ServiceRecord:
        """A service without coordinates takes its commune's centre (flagged approximate)."""
        if service.located or not service.code_insee:
            return service
        commune = self.communes.get(service.code_insee)
        if commune is None or commune.latitude is None:
            return service
        return dataclasses.replace(
            service, latitude=commune.latitude, longitude=commune.longitude, approximate_location=True
        )

    def _add(self, service: ServiceRecord) -> None:
        position = len(self.services)
        self.services.append(service)
        self.zone_sets.append(frozenset(service.zone_eligibilite) if service.zone_eligibilite else None)
        self.simple.append(is_simple(service))
        self.open_to_all.append(not service.publics or "tous-publics" in service.publics)
        self.opening_keys.append(memo_key(service))
        key = self._thematiques_keys.setdefault(service.thematiques, len(self._thematiques_keys))
        self.meta.append((service.on_site, service.remote, service.latitude, service.longitude, key))
        if FAMILY_MEDIATION.search(service.name):
            self.family_mediation.add(position)
        reachable = False
        if service.on_site and service.located:
            for grid, size in ((self.grid, CELL_DEGREES), (self.fine_grid, FINE_CELL_DEGREES)):
                cell = grid[cell_of(service.latitude, service.longitude, size)]
                for t in service.thematiques:
                    cell[t].append(position)
            reachable = True
        if service.remote or not service.located:
            zones = service.zone_eligibilite or self._own_departement(service)
            for zone in zones:
                by_them = self.by_zone[zone]
                for t in service.thematiques:
                    by_them[t].append(position)
            reachable = reachable or bool(zones)
        if not reachable:
            self.unplaced.append(service.id)

    def _own_departement(self, service: ServiceRecord) -> tuple[str, ...]:
        """Where to file a service with no zone: its own département, where it will be 'to check'."""
        commune = self.communes.get(service.code_insee)
        if commune:
            return (commune.departement,)
        if service.code_insee:
            return (service.code_insee[:3] if service.code_insee.startswith("97") else service.code_insee[:2],)
        return ()

    def zone_candidates(self, zone_codes: Iterable[str], thematiques: Iterable[str]) -> set[int]:
        out: set[int] = set()
        thematiques = tuple(thematiques)
        for zone in zone_codes:
            by_them = self.by_zone.get(zone)
            if by_them:
                for t in thematiques:
                    out.update(by_them.get(t, ()))
        return out

    def grid_for(self, radius_km: float) -> tuple[dict, float]:
        """The grid to read for a ring of this radius, and its cell size."""
        if radius_km <= FINE_UP_TO_KM:
            return self.fine_grid, FINE_CELL_DEGREES
        return self.grid, CELL_DEGREES

    def cells_around(self, lat: float, lon: float, radius_km: float) -> list[tuple[int, int]]:
        """Cells of the grid for this radius (`grid_for`) that may hold points within `radius_km` of (lat, lon)."""
        grid, size = self.grid_for(radius_km)
        dlat = radius_km / 111.0
        dlon = radius_km / (111.0 * max(0.05, math.cos(math.radians(lat))))
        y0, x0 = cell_of(lat - dlat, lon - dlon, size)
        y1, x1 = cell_of(lat + dlat, lon + dlon, size)
        return [(y, x) for y in range(y0, y1 + 1) for x in range(x0, x1 + 1) if (y, x) in grid]

    def cell_candidates(self, cell: tuple[int, int], thematiques: Iterable[str], radius_km: float = 80) -> set[int]:
        by_them = self.grid_for(radius_km)[0].get(cell)
        out: set[int] = set()
        if by_them:
            for t in thematiques:
                out.update(by_them.get(t, ()))
        return out


def _closures_by_owner(today: dt.date):
    from relais.offer.models import Closure

    by_service: dict[str, list[ClosureRecord]] = defaultdict(list)
    by_structure: dict[str, list[ClosureRecord]] = defaultdict(list)
    rows = Closure.objects.filter(ends_on__gte=today).values_list(
        "structure_id", "service_id", "starts_on", "ends_on", "message", "is_closed"
    )
    for structure_id, service_id, starts_on, ends_on, message, is_closed in rows:
        record = ClosureRecord(starts_on, ends_on, message, is_closed)
        (by_service[service_id] if service_id else by_structure[structure_id]).append(record)
    return by_service, by_structure


def build_commune_table_from_db() -> CommuneTable:
    """The place lookup table from the territories referential (communes and arrondissements)."""
    from relais.territories.models import Commune

    rows = Commune.objects.values_list(
        "code",
        "name",
        "latitude",
        "longitude",
        "departement_id",
        "departement__name",
        "epci_id",
        "epci__name",
        "parent_id",
        "parent__epci_id",
        "parent__epci__name",
        "postal_codes",
        "population",
    )
    communes = []
    for code, name, lat, lon, dep, dep_name, epci, epci_name, parent, p_epci, p_epci_name, postal, pop in rows:
        communes.append(
            CommuneInfo(
                code=code,
                name=name,
                latitude=lat,
                longitude=lon,
                departement=dep,
                epci=epci or p_epci,
                parent=parent,
                postal_codes=tuple(postal or ()),
                population=pop,
                departement_name=dep_name or "",
                epci_name=(epci_name if epci else p_epci_name) or "",
            )
        )
    return CommuneTable(communes)


def _tuple(value) -> tuple[str, ...]:
    if not value:
        return ()
    return tuple(str(v) for v in value)


def _at_structure(row: dict) -> bool:
    """A service placed at its structure (`relais/offer/position.py`: the one rule, shared with the fiche)."""
    return takes_structure_position(
        row["latitude"],
        row["longitude"],
        row["adresse"],
        row["structure__latitude"],
        row["structure__longitude"],
        row["structure__adresse"],
    )


def build_index_from_db(today: dt.date | None = None, communes: CommuneTable | None = None) -> OfferIndex:
    """The index of every published service of a published structure, with current closures."""
    from django.conf import settings
    from django.utils import timezone

    from relais.offer.models import Service

    today = today or timezone.localdate()
    communes = communes or build_commune_table_from_db()
    closures_of_service, closures_of_structure = _closures_by_owner(today)
    fields = (
        "id",
        "structure_id",
        "structure__nom",
        "structure__horaires_accueil",
        "nom",
        "thematiques",
        "publics",
        "publics_precisions",
        "zone_eligibilite",
        "modes_accueil",
        "frais",
        "frais_precisions",
        "type",
        "latitude",
        "longitude",
        "code_insee",
        "commune",
        "adresse",
        "telephone",
        "courriel",
        "structure__telephone",
        "structure__courriel",
        "structure__latitude",
        "structure__longitude",
        "structure__adresse",
        "structure__commune",
        "structure__code_insee",
        "source",
        "date_maj",
        "languages",
        "step_free_access",
        "capacity",
        "full_until",
        "accepts_referrals",
        "age_min",
        "age_max",
        "conditions_acces",
        "last_verified_on",
        "horaires_accueil",
        "modes_mobilisation",
        "mobilisable_par",
        "mobilisation_precisions",
        "lien_mobilisation",
        "is_demo",
    )
    rows = Service.objects.visible().order_by("id").values(*fields).iterator(chunk_size=5000)
    records = []
    for row in rows:
        closures = tuple(closures_of_structure.get(row["structure_id"], ())) + tuple(
            closures_of_service.get(row["id"], ())
        )
        zone = row["zone_eligibilite"]
        at_structure = _at_structure(row)
        records.append(
            ServiceRecord(
                id=row["id"],
                structure_id=row["structure_id"],
                structure_name=row["structure__nom"],
                name=row["nom"],
                thematiques=_tuple(row["thematiques"]),
                publics=_tuple(row["publics"]),
                publics_precisions=row["publics_precisions"],
                zone_eligibilite=_tuple(zone) if zone else None,
                modes_accueil=_tuple(row["modes_accueil"]),
                frais=row["frais"],
                frais_precisions=row["frais_precisions"],
                type=row["type"],
                latitude=row["structure__latitude" if at_structure else "latitude"],
                longitude=row["structure__longitude" if at_structure else "longitude"],
                code_insee=row["structure__code_insee" if at_structure else "code_insee"],
                commune=row["structure__commune" if at_structure else "commune"],
                adresse=row["structure__adresse" if at_structure else "adresse"],
                telephone=row["telephone"] or row["structure__telephone"],
                courriel=row["courriel"] or row["structure__courriel"],
                languages=_tuple(row["languages"]),
                step_free_access=row["step_free_access"],
                capacity=row["capacity"],
                full_until=row["full_until"],
                accepts_referrals=row["accepts_referrals"],
                age_min=row["age_min"],
                age_max=row["age_max"],
                conditions_acces=row["conditions_acces"],
                last_verified_on=row["last_verified_on"],
                horaires=row["horaires_accueil"] or row["structure__horaires_accueil"],
                closures=tuple(sorted(closures, key=lambda c: (c.starts_on, c.ends_on))),
                modes_mobilisation=_tuple(row["modes_mobilisation"]),
                mobilisable_par=_tuple(row["mobilisable_par"]),
                mobilisation_precisions=row["mobilisation_precisions"],
                lien_mobilisation=row["lien_mobilisation"],
                is_demo=row["is_demo"],
                located_at_structure=at_structure,
                source=row["source"],
                date_maj=row["date_maj"],
            )
        )
    index = OfferIndex(records, communes, stale_after_days=settings.RELAIS_STALE_AFTER_DAYS)
    # Hundreds of thousands of long-lived objects: keep the garbage collector from walking them again
    # (a full collection over them would add ~100 ms to an unlucky search).
    gc.freeze()
    return index
