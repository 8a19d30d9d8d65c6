"""Where the person is: a commune code or name, coordinates, or an address in a known commune.

The engine gets a plain `CommuneTable` (built from the territories referential by
`build_commune_table_from_db()`), so resolving a place never touches the database.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable

from relais.matching.i18n import _
from relais.matching.types import CommuneInfo, Place, Problem, ResolvedPlace, Severity
from relais.territories.cog import postal_codes_in
from relais.territories.geo import LocalDistance, haversine_km, valid_coordinates
from relais.territories.names import NameIndex
from relais.territories.places import PlaceRow, read_place
from relais.territories.text import normalize

# Coordinates further than this from every commune centre are outside the territory we know.
MAX_KM_FROM_A_COMMUNE = 25.0
_CELL = 0.2  # degrees, for the nearest-commune grid


class CommuneTable:
    """Communes by code, postal code and name, with the names of EPCI and départements for zone labels."""

    def __init__(self, communes: Iterable[CommuneInfo]):
        self.by_code: dict[str, CommuneInfo] = {}
        self.children: dict[str, list[str]] = defaultdict(list)
        self.by_postal: dict[str, list[str]] = defaultdict(list)
        self.by_name: dict[str, list[str]] = defaultdict(list)
        self.zone_names: dict[str, str] = {}
        for commune in communes:
            self.by_code[commune.code] = commune
            if commune.parent:
                self.children[commune.parent].append(commune.code)
            for postal in commune.postal_codes:
                self.by_postal[postal].append(commune.code)
            self.by_name[normalize(commune.name)].append(commune.code)
            self.zone_names[commune.code] = commune.name
            if commune.epci and commune.epci_name:
                self.zone_names[commune.epci] = commune.epci_name
            if commune.departement_name:
                self.zone_names[commune.departement] = commune.departement_name
        self.names = NameIndex((c.code, normalize(c.name), c.population) for c in self.by_code.values())
        self._centres = self._departement_centres()
        self._grid: dict[tuple[int, int], list[str]] = defaultdict(list)
        for commune in self.by_code.values():
            if commune.latitude is not None and commune.code not in self.children:
                self._grid[self._cell(commune.latitude, commune.longitude)].append(commune.code)

    def __len__(self) -> int:
        return len(self.by_code)

    def get(self, code: str) -> CommuneInfo | None:
        return self.by_code.get(code)

    @staticmethod
    def _cell(lat: float, lon: float) -> tuple[int, int]:
        return (math.floor(lat / _CELL), math.floor(lon / _CELL))

    def _departement_centres(self) -> dict[str, tuple[float, float]]:
        sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0, 0])
        for c in self.by_code.values():
            if c.latitude is not None:
                s = sums[c.departement]
                s[0] += c.latitude
                s[1] += c.longitude
                s[2] += 1
        return {d: (s[0] / s[2], s[1] / s[2]) for d, s in sums.items() if s[2]}

    def position(self, commune: CommuneInfo) -> tuple[float, float, str] | None:
        """The commune's centre, else its département's mean centre."""
        if commune.latitude is not None and commune.longitude is not None:
            return commune.latitude, commune.longitude, "commune"
        centre = self._centres.get(commune.departement)
        return (*centre, "departement") if centre else None

    def nearest(self, lat: float, lon: float) -> tuple[CommuneInfo, float] | None:
        """The commune (or arrondissement) whose centre is nearest, within MAX_KM_FROM_A_COMMUNE."""
        cy, cx = self._cell(lat, lon)
        distance = LocalDistance(lat, lon)
        best: tuple[float, str] | None = None
        reach = 1 + int(MAX_KM_FROM_A_COMMUNE / (111 * _CELL * max(0.2, math.cos(math.radians(lat)))))
        for ring in range(reach + 1):  # ring by ring; stop once the best found is closer than the next ring
            for dy in range(-ring, ring + 1):
                for dx in range(-ring, ring + 1):
                    if max(abs(dy), abs(dx)) != ring:
                        continue
                    for code in self._grid.get((cy + dy, cx + dx), ()):
                        c = self.by_code[code]
                        d = distance(c.latitude, c.longitude)
                        if best is None or (d, code) < best:
                            best = (d, code)
            if best is not None and best[0] < ring * _CELL * 111 * max(0.2, math.cos(math.radians(lat))):
                break
        if best is None:
            return None
        commune = self.by_code[best[1]]
        d = haversine_km(lat, lon, commune.latitude, commune.longitude)
        return (commune, d) if d <= MAX_KM_FROM_A_COMMUNE else None

    # --- the territories resolver's CommuneSource -------------------------------------------------
    def _row(self, code: str) -> PlaceRow:
        c = self.by_code[code]
        return PlaceRow(c.code, c.name, c.parent)

    def commune(self, code: str) -> PlaceRow | None:
        return self._row(code) if code in self.by_code else None

    def with_postal_code(self, postal: str) -> list[PlaceRow]:
        return [self._row(code) for code in self.by_postal.get(postal, ())]

    def named(self, key: str) -> list[PlaceRow]:
        return [self._row(code) for code in sorted(self.by_name.get(key, ()))]

    def arrondissements_starting(self, prefix: str) -> list[PlaceRow]:
        codes = (code for children in self.children.values() for code in children)
        return sorted(row for row in map(self._row, codes) if normalize(row.name).startswith(prefix))

    def describe(self, code: str) -> str:
        c = self.by_code[code]
        return f"{c.name} ({c.code})"

    def suggest(self, text: str, limit: int = 5) -> list[str]:
        """The commune names closest to what was typed, as 'Name (code)'."""
        return [self.describe(code) for code in self.names.closest(text, n=limit)]

    def zone_label(self, code: str) -> str:
        if code in ("france", "99100"):
            return _("toute la France")
        return self.zone_names.get(code, code)


def _resolved(table: CommuneTable, commune: CommuneInfo, lat=None, lon=None) -> ResolvedPlace | None:
    """The place for a commune; None only when neither it nor its département has a known position."""
    if lat is not None and lon is not None:
        latitude, longitude, precision = float(lat), float(lon), "coordinates"
    else:
        position = table.position(commune)
        if position is None:
            return None
        latitude, longitude, precision = position
    return ResolvedPlace(
        commune=commune,
        latitude=latitude,
        longitude=longitude,
        precision=precision,
        zone_codes=commune.zone_codes,
        arrondissement_unknown=commune.code in table.children,
    )


def _describe(row: PlaceRow) -> str:
    return f"{row.name} ({row.code})"


def _from_commune_text(
    table: CommuneTable, text: str, field: str, code_is_insee: bool = False
) -> tuple[CommuneInfo | None, list[Problem]]:
    """A commune as typed, read by the territories' one resolver (postal code first, unless an Insee code)."""
    reading = read_place(text, table, insee_first=code_is_insee)
    value = reading.text
    found = reading.found
    others = tuple(_describe(row) for row in reading.others[:10])
    if found is not None:
        commune = table.get(found.code)
        if reading.how == "code" and others:  # the API: a code Insee that is also a postal code
            return commune, [
                Problem(
                    field,
                    "insee_and_postal_code",
                    _(
                        "« %(value)s » est le code Insee de %(commune)s, retenu ici ; c’est aussi le code postal de "
                        "%(others)s : pour cette commune-là, donnez son code Insee."
                    )
                    % {"value": value, "commune": _describe(found), "others": ", ".join(others[:5])},
                    others,
                    severity=Severity.WARNING,
                )
            ]
        if reading.how == "postal" and others:  # the pages: a postal code that is also a code Insee
            return commune, [
                Problem(
                    field,
                    "postal_code_also_insee",
                    _("« %(value)s » est le code postal de %(commune)s.")
                    % {"value": value, "commune": _describe(found)},
                    others,
                    severity=Severity.WARNING,
                )
            ]
        if reading.how == "postal" and code_is_insee:  # the API asked for a code Insee
            return commune, [
                Problem(
                    field,
                    "postal_code",
                    _("« %(value)s » est un code postal : nous avons retenu %(commune)s.")
                    % {"value": value, "commune": _describe(found)},
                    severity=Severity.WARNING,
                )
            ]
        return commune, []
    choices = tuple(_describe(row) for row in reading.matches) + others
    if reading.how == "postal":
        return None, [
            Problem(
                field,
                "ambiguous_postal_code",
                _("Plusieurs communes ont le code postal « %(value)s » : laquelle est la vôtre ?") % {"value": value},
                choices,
            )
        ]
    if reading.matches:
        return None, [
            Problem(
                field,
                "ambiguous_commune",
                _("Plusieurs communes s’appellent « %(value)s » : laquelle est la vôtre ?") % {"value": value},
                choices,
            )
        ]
    if reading.is_code:
        return None, [
            Problem(field, "unknown_commune", _("Aucune commune n’a le code « %(value)s ».") % {"value": value})
        ]
    return None, [
        Problem(
            field,
            "unknown_commune",
            _("Commune « %(value)s » inconnue.") % {"value": value},
            tuple(table.suggest(value)),
        )
    ]


def _from_address(table: CommuneTable, address: str) -> tuple[CommuneInfo | None, list[Problem]]:
    key = normalize(address)
    words = key.split()
    found: list[str] = []
    for postal in postal_codes_in(address):
        found += table.by_postal.get(postal, [])
    found = [c for c in found if c not in table.children] or found  # Lyon's postal code: its arrondissement
    if len(set(found)) > 1:  # several communes share the postal code: the name in the address decides
        found = [c for c in found if normalize(table.by_code[c].name) in key] or found
    if not found:  # a commune name in the address, longest first ("Saint-Priest" before "Priest")
        for size in range(min(6, len(words)), 0, -1):
            for i in range(len(words) - size, -1, -1):
                candidates = table.by_name.get(" ".join(words[i : i + size]), [])
                if candidates:
                    found = candidates
                    break
            if found:
                break
    found = sorted(set(found))
    if len(found) == 1:
        return table.get(found[0]), []
    if found:
        return None, [
            Problem(
                "place.address",
                "ambiguous_address",
                _("L’adresse « %(value)s » peut désigner plusieurs communes : précisez le code postal.")
                % {"value": address},
                tuple(table.describe(c) for c in found[:10]),
            )
        ]
    return None, [
        Problem(
            "place.address",
            "unknown_address",
            _("Nous ne trouvons pas de commune connue dans l’adresse « %(value)s ».") % {"value": address},
            tuple(table.suggest(words[-1]) if words else ()),
        )
    ]


def _null_island(lat, lon) -> bool:
    try:
        return float(lat) == 0 and float(lon) == 0
    except (TypeError, ValueError):
        return False


def resolve_place(place: Place, table: CommuneTable, locate=None) -> tuple[ResolvedPlace | None, list[Problem]]:
    resolved, problems = _resolve(place, table, locate)
    if resolved is None and not any(p.severity == Severity.ERROR for p in problems):
        problems.append(Problem("place", "no_position", _("Nous ne connaissons pas la position de cette commune."), ()))
    return resolved, problems


def _resolve(place: Place, table: CommuneTable, locate=None) -> tuple[ResolvedPlace | None, list[Problem]]:
    """Turn a Place into a commune and a position, or explain what is wrong with it.

    `locate(lat, lon) -> commune code | None` may place coordinates exactly (contours); without it the
    nearest commune centre is used.
    """
    has_coords = place.latitude is not None or place.longitude is not None
    if has_coords:
        if _null_island(place.latitude, place.longitude):
            return None, [
                Problem(
                    "place.coordinates",
                    "outside_territory",
                    _(
                        "Les coordonnées (0, 0) sont loin de toute commune connue (dans l’océan Atlantique) : ce sont "
                        "souvent des coordonnées manquantes. Indiquez la commune ou de vraies coordonnées."
                    ),
                )
            ]
        if place.latitude is None or place.longitude is None or not valid_coordinates(place.latitude, place.longitude):
            return None, [
                Problem(
                    "place.coordinates",
                    "invalid_coordinates",
                    _(
                        "Coordonnées impossibles (latitude %(lat)s, longitude %(lon)s) : la latitude va de -90 à 90 "
                        "et la longitude de -180 à 180, en degrés décimaux."
                    )
                    % {"lat": place.latitude, "lon": place.longitude},
                )
            ]
        lat, lon = float(place.latitude), float(place.longitude)
    if place.commune:
        commune, problems = _from_commune_text(table, str(place.commune), "place.commune", place.code_is_insee)
        if commune is None:
            return None, problems
        return _resolved(table, commune, *((lat, lon) if has_coords else ())), problems
    if has_coords:
        code = locate(lat, lon) if locate else None
        commune = table.get(code) if code else None
        if commune is None:
            near = table.nearest(lat, lon)
            if near is None:
                return None, [
                    Problem(
                        "place.coordinates",
                        "outside_territory",
                        _("Les coordonnées (%(lat).5f, %(lon).5f) ne sont proches d’aucune commune connue.")
                        % {"lat": lat, "lon": lon},
                    )
                ]
            commune = near[0]
        return _resolved(table, commune, lat, lon), []
    if place.address and place.address.strip():
        commune, problems = _from_address(table, place.address)
        if commune is None:
            return None, problems
        approximate = Problem(
            "place.address",
            "address_at_commune_centre",
            _(
                "Distances mesurées depuis le centre de %(commune)s, pas depuis l’adresse « %(value)s » : "
                "elles sont approximatives."
            )
            % {"commune": commune.name, "value": place.address.strip()},
            severity=Severity.WARNING,
        )
        return _resolved(table, commune), [*problems, approximate]
    return None, [Problem("place", "missing_place", _("Indiquez une commune, une adresse ou des coordonnées."), ())]
