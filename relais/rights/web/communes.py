"""The commune a person types: a name, a postal code or a code Insee -> the code Insee the engine needs.

The territory referential answers (communes and Lyon's arrondissements, with their postal codes); a
code Insee it does not hold is accepted when OpenFisca's own list knows it (national benefits only,
relais.rights.places). A postal code or a name shared by several communes gives the choice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from relais.territories.cog import is_commune_code, named_code
from relais.territories.names import commune_names
from relais.territories.text import normalize

_ARRONDISSEMENT = re.compile(r"^([a-z ]+?)\s+(\d{1,2})\s*(?:e|eme|er|ere)?(?: arrondissement)?$")
MAX_CHOICES = 8
MAX_COMMUNE_CHARS = 100  # the form refuses longer texts; `find` reads no further


@dataclass
class Found:
    matches: list[tuple[str, str]] = field(default_factory=list)  # (code, name)
    suggestions: list[str] = field(default_factory=list)  # names close to what was typed


def _communes():
    from relais.territories.models import Commune

    return Commune.objects.only("code", "name", "kind", "parent_id", "postal_codes", "search_name")


def find(text: str) -> Found:
    text = (text or "")[:MAX_COMMUNE_CHARS].strip()
    if not text:
        return Found()
    named = named_code(text)  # « Irigny (69100) », as the choices write it
    if named:
        text = named[1]
    if is_commune_code(text):
        code = text.upper()
        by_code = list(_communes().filter(code=code))
        if by_code:
            return Found([(c.code, c.name) for c in by_code])
        by_postal = _by_postal(code)
        if by_postal:
            return Found(by_postal)
        from relais.rights.places import resolve

        place = resolve({code}).get(code)
        return Found([(code, place.name)] if place else [])
    key = normalize(text)
    exact = list(_communes().filter(search_name=key).order_by("code"))
    if exact:
        return Found([(c.code, c.name) for c in exact[:MAX_CHOICES]])
    arrondissement = _ARRONDISSEMENT.match(key)
    if arrondissement:  # « Lyon 3 », « lyon 3eme », « Lyon 1er »
        city, number = arrondissement[1], int(arrondissement[2])
        suffix = "er" if number == 1 else "e"
        found = list(_communes().filter(search_name__startswith=f"{city} {number}{suffix} ").order_by("code"))
        if found:
            return Found([(c.code, c.name) for c in found[:MAX_CHOICES]])
    if len(key) >= 3:
        starting = list(_communes().filter(search_name__startswith=key + " ").order_by("search_name")[:MAX_CHOICES])
        if starting:
            return Found([(c.code, c.name) for c in starting])
    close = commune_names().closest(key, n=5)
    names = dict(_communes().filter(code__in=close).values_list("code", "name"))
    return Found(suggestions=list(dict.fromkeys(names[code] for code in close if code in names)))


def _by_postal(code: str) -> list[tuple[str, str]]:
    rows = list(_communes().filter(postal_codes__icontains=f'"{code}"').order_by("name"))
    # Lyon holds every postal code of its arrondissements: the arrondissement is the precise answer.
    arrondissements = [c for c in rows if c.parent_id]
    if arrondissements:
        rows = [c for c in rows if c.parent_id or c.code not in {a.parent_id for a in arrondissements}]
    return [(c.code, c.name) for c in rows[:MAX_CHOICES]]
