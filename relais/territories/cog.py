"""The syntax of the codes of the Code officiel géographique (COG) and of postal codes: the one place of it.

    is_commune_code("2A004")        # True: a code Insee of a commune or arrondissement (Corsica: 2A, 2B)
    is_postal_code("69003")         # True: five digits (a code Insee of mainland France looks the same)
    named_code("Irigny (69100)")    # ("Irigny", "69100"): a name followed by a code, as suggestions write it
    postal_codes_in("12 rue X, 69003 Lyon")  # ["69003"]

Pure (no database): whether a code exists is the referential's business (`relais.territories.codes`).
"""

from __future__ import annotations

import re

_COMMUNE = r"(?:\d{5}|2[AB]\d{3})"
COMMUNE_CODE = re.compile(rf"^{_COMMUNE}\Z", re.IGNORECASE)
POSTAL_CODE = re.compile(r"^\d{5}\Z")
EPCI_CODE = re.compile(r"^\d{9}\Z")  # SIREN of the EPCI
DEPARTEMENT_CODE = re.compile(r"^(?:\d{2,3}|2[AB])\Z", re.IGNORECASE)  # 01…95, 2A, 2B, 971…976
PAYS_CODE = re.compile(r"^99[0-5]\d{2}\Z")  # 99100 is France
_NAMED_CODE = re.compile(rf"^(.*?\S)\s*\(({_COMMUNE})\)\s*\Z", re.IGNORECASE)
_POSTAL_IN_TEXT = re.compile(r"\b(\d{5})\b")


def is_commune_code(text: str) -> bool:
    """A code Insee of a commune or municipal arrondissement, by its form (case aside: 2a004 = 2A004)."""
    return bool(COMMUNE_CODE.match(text or ""))


def is_postal_code(text: str) -> bool:
    return bool(POSTAL_CODE.match(text or ""))


def looks_like_a_code(text: str) -> bool:
    """A code Insee or a postal code (the two overlap: 69003 is both)."""
    text = (text or "").strip()
    return is_commune_code(text) or is_postal_code(text)


def named_code(text: str) -> tuple[str, str] | None:
    """(name, code in capitals) for « Irigny (69100) », the way the pages write a suggestion; else None."""
    match = _NAMED_CODE.match((text or "").strip())
    return (match[1], match[2].upper()) if match else None


def postal_codes_in(text: str) -> list[str]:
    """The five-digit numbers of an address, in order."""
    return _POSTAL_IN_TEXT.findall(text or "")
