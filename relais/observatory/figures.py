"""Indicator values of any place: stored cells, sums over communes, ratios of two sums, official values only.

    place = find_place("commune", "69259")            # Vénissieux; "territory" takes a slug
    store = Store.for_places([place, *references(place)])
    cell = store.cell(catalogue.get("taux_pauvrete"), place)   # Cell(status, value, vintage, reason)

A cell keeps the three states apart (secrecy.VALUE, SECRET, NOT_AVAILABLE) and says why a value is not
shown ("non disponible" with a reason, never 0). Official values (a published rate, a median) are never
recomputed from communes: above the commune they exist only if a file gave them for that level.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from django.db.models import Count, Max
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from relais.observatory import catalogue, secrecy
from relais.observatory.catalogue import Indicator
from relais.observatory.models import IndicatorValue, Level
from relais.territories.models import Commune, Departement, Epci, Territory

KINDS = (Level.COMMUNE, Level.ARRONDISSEMENT, Level.TERRITORY, Level.EPCI, Level.DEPARTEMENT)


@dataclass(frozen=True)
class Place:
    kind: str
    code: str  # Insee code, SIREN, département code, or a territory's slug
    name: str
    members: tuple[str, ...] = ()  # codes summed for this place (communes, or arrondissements a territory lists)
    departement: str = ""

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.code}"

    @property
    def kind_label(self) -> str:
        return str(Level(self.kind).label)


@dataclass(frozen=True)
class Cell:
    status: str
    value: float | None = None
    vintage: int | None = None
    reason: str = ""

    @property
    def shown(self) -> bool:
        return self.status == secrecy.VALUE


def _commune_place(commune: Commune) -> Place:
    kind = Level.ARRONDISSEMENT if commune.kind == Commune.Kind.ARRONDISSEMENT else Level.COMMUNE
    return Place(kind, commune.code, commune.name, (commune.code,), commune.departement_id)


def referential_version() -> tuple:
    """Changes when communes, territories or their members change (three COUNTs): the key of cached places."""
    territories = Territory.objects.aggregate(n=Count("id"), last=Max("id"))
    return (Commune.objects.count(), territories["n"], territories["last"], Territory.communes.through.objects.count())


def find_place(kind: str, code: str, version: tuple | None = None) -> Place | None:
    """The place, its members and département; cached while the referential does not change."""
    return _cached_place(version or referential_version(), kind, code)


@functools.lru_cache(maxsize=512)
def _cached_place(version: tuple, kind: str, code: str) -> Place | None:
    return _find_place(kind, code)


def _find_place(kind: str, code: str) -> Place | None:
    if kind in (Level.COMMUNE, Level.ARRONDISSEMENT):
        commune = Commune.objects.filter(code=code).first()
        return _commune_place(commune) if commune else None
    if kind == Level.TERRITORY:
        territory = Territory.objects.filter(slug=code).first()
        if territory is None:
            return None
        members = tuple(sorted(territory.communes.values_list("code", flat=True)))
        epci = territory.epci_id or ""
        departement = Commune.objects.filter(code__in=members).values_list("departement_id", flat=True).first() or ""
        return Place(Level.TERRITORY, territory.slug, territory.name, members, departement or epci)
    if kind == Level.EPCI:
        epci = Epci.objects.filter(code=code).first()
        if epci is None:
            return None
        communes = Commune.objects.communes().filter(epci=epci)
        members = tuple(sorted(communes.values_list("code", flat=True)))
        departement = communes.values_list("departement_id", flat=True).first() or ""
        return Place(Level.EPCI, epci.code, epci.name, members, departement)
    if kind == Level.DEPARTEMENT:
        departement = Departement.objects.filter(code=code).first()
        if departement is None:
            return None
        members = tuple(
            sorted(Commune.objects.communes().filter(departement=departement).values_list("code", flat=True))
        )
        return Place(Level.DEPARTEMENT, departement.code, departement.name, members, departement.code)
    return None


def references(place: Place, version: tuple | None = None) -> list[Place]:
    """What a place is compared with: commune → its local territory → its métropole (EPCI) → its département."""
    return _cached_references(version or referential_version(), place)


@functools.lru_cache(maxsize=512)
def _cached_references(version: tuple, place: Place) -> list[Place]:
    found: list[Place] = []
    commune = None
    if place.kind in (Level.COMMUNE, Level.ARRONDISSEMENT):
        commune = Commune.objects.select_related("parent").get(code=place.code)
        if commune.parent_id:
            found.append(_commune_place(commune.parent))
        codes = [commune.code] + ([commune.parent_id] if commune.parent_id else [])
        territory = Territory.objects.filter(communes__code__in=codes).order_by("name").first()
        if territory:
            found.append(find_place(Level.TERRITORY, territory.slug))
        epci_code = commune.epci_id or (commune.parent.epci_id if commune.parent_id else None)
    elif place.kind == Level.TERRITORY:
        epci_code = Territory.objects.filter(slug=place.code).values_list("epci_id", flat=True).first()
    else:
        epci_code = None
    if epci_code:
        found.append(find_place(Level.EPCI, epci_code))
    if place.kind != Level.DEPARTEMENT and place.departement:
        found.append(find_place(Level.DEPARTEMENT, place.departement))
    return [p for p in found if p is not None]


def _version() -> tuple:
    summary = IndicatorValue.objects.aggregate(n=Count("id"), last=Max("imported_at"))
    return (summary["n"], summary["last"])


@functools.lru_cache(maxsize=4)
def _all_values(version: tuple) -> dict:
    """Every stored cell, (indicator, code) -> {vintage: (status, value)}; cached while nothing is imported."""
    table: dict = {}
    rows = IndicatorValue.objects.values_list("indicator", "code", "vintage", "status", "value").iterator(
        chunk_size=5000
    )
    for indicator_id, code, vintage, status, value in rows:
        table.setdefault((indicator_id, code), {})[vintage] = (status, value)
    return table


@dataclass
class Store:
    """The stored cells, read once per import (a few tens of thousands for two départements)."""

    table: dict = field(default_factory=dict)

    @classmethod
    def load(cls) -> Store:
        return cls(_all_values(_version()))

    @classmethod
    def for_places(cls, places=()) -> Store:
        return cls.load()

    def vintages(self, indicator: Indicator, place: Place | None = None) -> list[int]:
        if indicator.is_ratio:
            numerator = set(self.vintages(catalogue.get(indicator.numerator), place))
            return sorted(numerator & set(self.vintages(catalogue.get(indicator.denominator), place)))
        if place is None:
            return sorted({v for (i, _c), cells in self.table.items() if i == indicator.id for v in cells})
        codes = (place.code, *place.members)
        return sorted({v for code in codes for v in self.table.get((indicator.id, code), {})})

    def cell(self, indicator: Indicator, place: Place, vintage: int | None = None) -> Cell:
        if vintage is None:
            vintages = self.vintages(indicator, place)
            if not vintages:
                return Cell(secrecy.NOT_AVAILABLE, reason=_("aucune donnée chargée pour ce territoire"))
            vintage = vintages[-1]
        if indicator.is_ratio:
            return self._ratio(indicator, place, vintage)
        stored = self.table.get((indicator.id, place.code), {}).get(vintage)
        if stored is not None and place.kind not in (Level.TERRITORY,):
            status, value = stored
            reason = _("secret statistique (Insee)") if status == secrecy.SECRET else ""
            if status == secrecy.NOT_AVAILABLE:
                reason = _("non publiée par la source")
            return Cell(status, value, vintage, reason)
        if indicator.aggregation == "official" or place.kind in (Level.COMMUNE, Level.ARRONDISSEMENT):
            if indicator.aggregation == "official" and place.kind not in (Level.COMMUNE, Level.ARRONDISSEMENT):
                reason = _("valeur officielle non publiée à ce niveau (jamais recalculée à partir des communes)")
            else:
                reason = _("absente de la source pour ce territoire")
            return Cell(secrecy.NOT_AVAILABLE, vintage=vintage, reason=reason)
        return self._sum(indicator, place, vintage)

    def _sum(self, indicator: Indicator, place: Place, vintage: int) -> Cell:
        parts = [self.table.get((indicator.id, code), {}).get(vintage) for code in place.members]
        secret = sum(1 for p in parts if p and p[0] == secrecy.SECRET)
        missing = sum(1 for p in parts if p is None or p[0] == secrecy.NOT_AVAILABLE)
        if not parts:
            return Cell(secrecy.NOT_AVAILABLE, vintage=vintage, reason=_("aucune commune dans ce territoire"))
        if secret:
            return Cell(
                secrecy.SECRET,
                vintage=vintage,
                reason=_("%(n)s commune(s) sous secret statistique") % {"n": secret},
            )
        if missing:
            return Cell(
                secrecy.NOT_AVAILABLE,
                vintage=vintage,
                reason=_("donnée absente pour %(n)s commune(s) sur %(total)s") % {"n": missing, "total": len(parts)},
            )
        return Cell(secrecy.VALUE, sum(p[1] for p in parts), vintage)

    def _ratio(self, indicator: Indicator, place: Place, vintage: int) -> Cell:
        numerator = self.cell(catalogue.get(indicator.numerator), place, vintage)
        denominator = self.cell(catalogue.get(indicator.denominator), place, vintage)
        status = secrecy.combine_status([numerator.status, denominator.status])
        if status != secrecy.VALUE:
            return Cell(status, vintage=vintage, reason=numerator.reason or denominator.reason)
        if not denominator.value:
            return Cell(secrecy.NOT_AVAILABLE, vintage=vintage, reason=_("dénominateur nul"))
        return Cell(secrecy.VALUE, indicator.scale * numerator.value / denominator.value, vintage)


def map_units(place: Place, indicator: Indicator) -> list[Commune]:
    """The communes drawn on a place's map: its communes; Lyon as its arrondissements when the indicator
    exists for arrondissements (else Lyon whole: an official value is never split)."""
    split = "arrondissement" in indicator.levels
    if place.kind in (Level.COMMUNE, Level.ARRONDISSEMENT):
        commune = Commune.objects.get(code=place.code)
        arrondissements = list(commune.arrondissements.all()) if split else []
        return arrondissements or [commune]
    communes = list(
        Commune.objects.filter(code__in=list(place.members)).prefetch_related("arrondissements").order_by("code")
    )
    units = []
    for commune in communes:
        arrondissements = [a for a in commune.arrondissements.all() if a.contour] if split else []
        units.extend(arrondissements if arrondissements else [commune])
    return units


def format_value(indicator: Indicator, cell: Cell) -> str:
    if cell.status == secrecy.SECRET:
        return _("secret")
    if cell.status != secrecy.VALUE:
        return _("non disponible")
    text = number_format(round(cell.value, indicator.decimals), indicator.decimals, use_l10n=True, force_grouping=True)
    return f"{text}\u00a0{indicator.unit}"
