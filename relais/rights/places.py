"""Where a household lives: commune code -> OpenFisca depcom, département, EPCI.

The territory referential (relais.territories.Commune) answers first: it knows arrondissements
and EPCI. A code it does not hold is looked up in the commune list shipped with OpenFisca-France
(zonage ABC of July 2024, COG 2024): enough to compute national benefits, not local aids tied
to an EPCI. A code found in neither is unknown, and the household is rejected with that message.
"""

import csv
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

# Municipal arrondissements -> their commune, for OpenFisca (zones are set per commune).
ARRONDISSEMENTS = {
    **{f"751{n:02d}": "75056" for n in range(1, 21)},
    **{f"6938{n}": "69123" for n in range(1, 10)},
    **{f"132{n:02d}": "13055" for n in range(1, 17)},
}


@dataclass(frozen=True)
class Place:
    code: str  # as given (commune or arrondissement)
    name: str
    depcom: str  # the commune code OpenFisca uses
    departement: str
    epci: str | None  # SIREN, when the referential knows it
    in_referential: bool


@cache
def _openfisca_communes() -> dict[str, tuple[str, str]]:
    path = files("openfisca_france").joinpath("assets/zonage-communes/zonage-abc-juillet-2024.csv")
    with path.open(encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter=";")
        next(reader)
        return {row[0]: (row[3], row[2]) for row in reader if row}


def _departement(code: str) -> str:
    return code[:3] if code.startswith("97") else code[:2]


def resolve(codes) -> dict[str, Place]:
    """Known places for the given codes (unknown codes are absent from the answer)."""
    from relais.territories.models import Commune

    wanted = set(codes)
    found: dict[str, Place] = {}
    try:
        rows = Commune.objects.filter(code__in=wanted).select_related("parent", "epci")
        for commune in rows:
            parent = commune.parent
            epci = commune.epci_id or (parent.epci_id if parent else None)
            found[commune.code] = Place(
                code=commune.code,
                name=commune.name,
                depcom=parent.code if parent else ARRONDISSEMENTS.get(commune.code, commune.code),
                departement=commune.departement_id,
                epci=epci,
                in_referential=True,
            )
    except Exception:  # noqa: BLE001 - no database (e.g. a bare script): fall back to OpenFisca's list
        pass
    shipped = _openfisca_communes()
    for code in wanted - found.keys():
        depcom = ARRONDISSEMENTS.get(code, code)
        if depcom in shipped:
            name, departement = shipped[depcom]
            found[code] = Place(code, name, depcom, departement or _departement(code), None, False)
    return found
