"""The commune a person types: a name, a postal code or a code Insee -> the code Insee the engine needs.

The territory referential answers (communes and Lyon's arrondissements, with their postal codes); a
code Insee it does not hold is accepted when OpenFisca's own list knows it (national benefits only,
relais.rights.places). Five digits are read as a postal code first (`relais.territories.places`), the
other reading kept in `Found.others`; a postal code or a name shared by several communes gives the choice.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from relais.rights.places import resolve
from relais.territories.names import commune_names
from relais.territories.places import DatabaseCommunes, read_place
from relais.territories.text import normalize

MAX_CHOICES = 8
MAX_COMMUNE_CHARS = 100  # the form refuses longer texts; `find` reads no further


@dataclass
class Found:
    matches: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    suggestions: list[str] = field(default_factory=list)  # names close to what was typed
    others: list[tuple[str, str]] = field(default_factory=list)  # the other reading of five digits


def _communes():
    from relais.territories.models import Commune

    return Commune.objects.only("code", "name", "kind", "parent_id", "postal_codes", "search_name")


def find(text: str) -> Found:
    """The territories' resolver (five digits: the postal code first), then OpenFisca's codes, then names."""
    text = (text or "")[:MAX_COMMUNE_CHARS].strip()
    if not text:
        return Found()
    reading = read_place(text, DatabaseCommunes())
    if reading.matches:
        return Found(
            [(row.code, row.name) for row in reading.matches[:MAX_CHOICES]],
            others=[(row.code, row.name) for row in reading.others],
        )
    if reading.is_code:
        code = reading.text.upper()
        place = resolve({code}).get(code)
        return Found([(code, place.name)] if place else [])
    key = normalize(text)
    if len(key) >= 3:
        starting = list(_communes().filter(search_name__startswith=key + " ").order_by("search_name")[:MAX_CHOICES])
        if starting:
            return Found([(c.code, c.name) for c in starting])
    close = commune_names().closest(key, n=5)
    names = dict(_communes().filter(code__in=close).values_list("code", "name"))
    return Found(suggestions=list(dict.fromkeys(names[code] for code in close if code in names)))
