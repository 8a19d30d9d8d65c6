"""What a person or a machine typed as a place -> the communes it designates: the one place resolver.

    reading = read_place("69003", DatabaseCommunes())          # people type postal codes: postal code first
    reading.matches    # (PlaceRow('69383', 'Lyon 3e Arrondissement', '69123'),)
    reading.others     # (PlaceRow('69003', 'Albigny-sur-Saône', None),): the other reading, offered as a link
    read_place("69003", source, insee_first=True)              # machines send codes Insee (the API)
    read_postal_and_name("69003", "Lyon", source)              # a partner's address: postal code and name

Five digits are read as a postal code first (people type postal codes; 69001-69009 and 69100 are also
the codes Insee of villages), unless the caller says the text is a code Insee (`insee_first`, the API's
`code_commune`, as data·inclusion means it). Either way the other reading is returned in `others`, never
hidden. A postal code or a name shared by several communes returns them all: the caller asks which.
Where a city has arrondissements (Lyon, Marseille, Paris), a postal code designates the arrondissement.

The resolver is pure: it reads communes through a `CommuneSource`, which the engine's in-memory table
(`relais.matching.places.CommuneTable`) and the database (`DatabaseCommunes`) both provide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from relais.territories.cog import is_commune_code, is_postal_code, named_code
from relais.territories.text import normalize

MAX_PLACE_CHARS = 200  # an address; a commune name or code is far shorter
MAX_CHOICES = 10
_ARRONDISSEMENT = re.compile(r"^([a-z -]+?)\s+(\d{1,2})\s*(?:e|eme|er|ere)?(?: arrondissement)?$")


class PlaceRow(NamedTuple):
    code: str  # code Insee of a commune or municipal arrondissement
    name: str
    parent: str | None = None  # the city of an arrondissement


class CommuneSource(Protocol):
    def commune(self, code: str) -> PlaceRow | None: ...

    def with_postal_code(self, postal: str) -> list[PlaceRow]: ...

    def named(self, key: str) -> list[PlaceRow]:
        """Communes whose normalised name is exactly `key`."""
        ...

    def arrondissements_starting(self, prefix: str) -> list[PlaceRow]:
        """Arrondissements whose normalised name starts with `prefix` ('lyon 3e ')."""
        ...


@dataclass(frozen=True)
class Reading:
    """The communes a text designates (one: found; several: ask which; none: unknown) and how it was read."""

    text: str
    how: str  # "code" (code Insee), "postal" (postal code), "name", "arrondissement", "" (not understood)
    matches: tuple[PlaceRow, ...] = ()
    others: tuple[PlaceRow, ...] = ()  # the other reading of five digits (Insee when read as postal, and back)

    @property
    def found(self) -> PlaceRow | None:
        return self.matches[0] if len(self.matches) == 1 else None

    @property
    def is_code(self) -> bool:
        return self.how in ("code", "postal") or is_commune_code(self.text)


def prefer_arrondissements(rows: list[PlaceRow]) -> list[PlaceRow]:
    """Lyon holds every postal code of its arrondissements: the arrondissement is the precise answer."""
    parents = {row.parent for row in rows if row.parent}
    return [row for row in rows if row.code not in parents]


def _postal(source: CommuneSource, code: str) -> list[PlaceRow]:
    if not is_postal_code(code):
        return []
    return sorted(prefer_arrondissements(source.with_postal_code(code)), key=lambda r: (normalize(r.name), r.code))


def read_code(code: str, source: CommuneSource, insee_first: bool = False) -> Reading:
    """Five digits (or a Corsican code): the postal code first, unless `insee_first`; the other in `others`."""
    code = code.strip().upper()
    insee = source.commune(code)
    postal = _postal(source, code)
    other_postal = tuple(row for row in postal if insee is None or row.code != insee.code)
    if insee is not None and (insee_first or not postal):
        return Reading(code, "code", (insee,), other_postal)
    if postal:
        others = (insee,) if insee is not None and insee not in postal else ()
        return Reading(code, "postal", tuple(postal[:MAX_CHOICES]), others)
    return Reading(code, "code")


def read_place(text: str, source: CommuneSource, insee_first: bool = False) -> Reading:
    """A commune as typed: « 69003 », « Lyon 3 », « Villeurbanne », « Irigny (69100) » (our choices' form)."""
    value = (text or "")[:MAX_PLACE_CHARS].strip()
    if not value:
        return Reading(value, "")
    named = named_code(value)
    if named:  # « Albigny-sur-Saône (69003) », as our choices and links write it: the code Insee
        row = source.commune(named[1])
        if row is not None:
            return Reading(value, "code", (row,))
        value = named[1]
    if is_commune_code(value):
        return read_code(value, source, insee_first)
    key = normalize(value)
    homonyms = source.named(key)
    if homonyms:
        return Reading(value, "name", tuple(homonyms[:MAX_CHOICES]))
    arrondissement = _ARRONDISSEMENT.match(key)
    if arrondissement:  # « Lyon 3 », « lyon 3eme », « Lyon 1er »
        city, number = arrondissement[1], int(arrondissement[2])
        rows = source.arrondissements_starting(f"{city} {number}{'er' if number == 1 else 'e'} ")
        if rows:
            return Reading(value, "arrondissement", tuple(rows[:MAX_CHOICES]))
    return Reading(value, "")


def read_postal_and_name(postal: str, name: str, source: CommuneSource) -> Reading:
    """A postal address's postal code and commune name (partner forms): the name picks among the communes.

    A code Insee typed as the postal code is recognised when the name agrees with it.
    """
    postal, key = (postal or "").strip(), normalize(name or "")
    if not postal:
        return read_place(name, source)
    rows = _postal(source, postal)
    if key:
        exact = [row for row in rows if normalize(row.name) == key]
        rows = exact or [row for row in rows if key in normalize(row.name)]
        if not rows:
            insee = source.commune(postal)
            if insee is not None and normalize(insee.name) == key:
                return Reading(postal, "code", (insee,))
    return Reading(postal, "postal", tuple(rows[:MAX_CHOICES]))


class DatabaseCommunes:
    """The referential's communes and arrondissements, read from the database (the pages' source)."""

    @staticmethod
    def _rows(queryset) -> list[PlaceRow]:
        return [PlaceRow(*row) for row in queryset.values_list("code", "name", "parent_id")]

    @staticmethod
    def _all():
        from relais.territories.models import Commune

        return Commune.objects.order_by("code")

    def commune(self, code: str) -> PlaceRow | None:
        rows = self._rows(self._all().filter(code=code))
        return rows[0] if rows else None

    def with_postal_code(self, postal: str) -> list[PlaceRow]:
        if not is_postal_code(postal):
            return []
        rows = self._rows(self._all().filter(postal_codes__icontains=f'"{postal}"'))
        return rows

    def named(self, key: str) -> list[PlaceRow]:
        return self._rows(self._all().filter(search_name=key))

    def arrondissements_starting(self, prefix: str) -> list[PlaceRow]:
        return self._rows(self._all().filter(parent__isnull=False, search_name__startswith=prefix))
