"""Reviewed parameter updates applied on top of the pinned OpenFisca-France (law_updates.toml).

The pinned package lags behind the law: a revaluation published in the Journal officiel may reach
OpenFisca-France months later, and upgrading the package is a reviewed change of its own (ADR 0004,
"Law freshness"). Until it catches up, `law_updates.toml` carries the missing values, each with
its legal source and its reviewer; `apply(system)` writes them into the system's parameters when
the law is built (relais.rights.system). An update the package already has is skipped and
reported, never applied twice.

`[[en_attente]]` entries record a revaluation that is due but whose value could not be found with
a source: nothing is invented, the results keep their warning (relais.rights.freshness).
"""

from __future__ import annotations

import datetime as dt
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from openfisca_core import periods

UPDATES_FILE = Path(__file__).with_name("law_updates.toml")
UPDATE_KEYS = {"parametre", "valeur", "debut", "source", "reference", "relu_par", "relu_le"}
PENDING_KEYS = {"parametre", "echeance", "motif", "relu_par", "relu_le"}


class LawUpdateError(ValueError):
    """A malformed entry of the reviewed file: the message names the entry and the key."""


@dataclass(frozen=True)
class Update:
    parametre: str
    valeur: float
    debut: dt.date
    source: str
    reference: str
    relu_par: str
    relu_le: dt.date


@dataclass(frozen=True)
class Pending:
    parametre: str
    echeance: dt.date
    motif: str
    relu_par: str
    relu_le: dt.date


@dataclass(frozen=True)
class Applied:
    update: Update
    applied: bool  # False: the package already has a value from that date on (skipped)


def _entry(kind: str, index: int, raw: dict, keys: set[str], dates: tuple[str, ...]) -> dict:
    where = f"{UPDATES_FILE.name}, [[{kind}]] n° {index + 1}"
    unknown = set(raw) - keys
    missing = keys - set(raw)
    if unknown:
        raise LawUpdateError(f"{where} : clé inconnue {sorted(unknown)}")
    if missing:
        raise LawUpdateError(f"{where} : clé manquante {sorted(missing)}")
    for key in dates:
        if not isinstance(raw[key], dt.date):
            raise LawUpdateError(f"{where} : « {key} » doit être une date AAAA-MM-JJ")
    for key in keys - set(dates) - {"valeur"}:
        if not isinstance(raw[key], str) or not raw[key].strip():
            raise LawUpdateError(f"{where} : « {key} » doit être un texte non vide")
    return raw


def read(path: Path = UPDATES_FILE) -> tuple[list[Update], list[Pending]]:
    """The reviewed file, validated (a bad entry stops with its position and key)."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    unknown = set(data) - {"mise_a_jour", "en_attente"}
    if unknown:
        raise LawUpdateError(f"{path.name} : section inconnue {sorted(unknown)}")
    updates = []
    for i, raw in enumerate(data.get("mise_a_jour", [])):
        raw = _entry("mise_a_jour", i, raw, UPDATE_KEYS, ("debut", "relu_le"))
        if not isinstance(raw["valeur"], int | float) or isinstance(raw["valeur"], bool):
            raise LawUpdateError(f"{path.name}, [[mise_a_jour]] n° {i + 1} : « valeur » doit être un nombre")
        if not raw["source"].startswith("https://"):
            raise LawUpdateError(f"{path.name}, [[mise_a_jour]] n° {i + 1} : « source » doit être une adresse https")
        updates.append(Update(**{**raw, "valeur": float(raw["valeur"])}))
    pending = [
        Pending(**_entry("en_attente", i, raw, PENDING_KEYS, ("echeance", "relu_le")))
        for i, raw in enumerate(data.get("en_attente", []))
    ]
    return updates, pending


@cache
def reviewed() -> tuple[tuple[Update, ...], tuple[Pending, ...]]:
    updates, pending = read()
    return tuple(updates), tuple(pending)


def node_at(parameters, path: str):
    node = parameters
    for part in path.split("."):
        try:
            node = getattr(node, part)
        except AttributeError:
            raise LawUpdateError(f"{UPDATES_FILE.name} : paramètre inconnu « {path} »") from None
    return node


def apply(system, updates: tuple[Update, ...] | list[Update] | None = None) -> list[Applied]:
    """Write the reviewed values into the system's parameters; returns what was applied or skipped."""
    updates = reviewed()[0] if updates is None else updates
    out = []
    for update in updates:
        node = node_at(system.parameters, update.parametre)
        if not hasattr(node, "values_list"):
            raise LawUpdateError(f"{UPDATES_FILE.name} : « {update.parametre} » n’est pas une valeur simple")
        known = {dt.date.fromisoformat(item.instant_str) for item in node.values_list}
        if any(start >= update.debut for start in known):
            out.append(Applied(update, False))
            continue
        node.update(start=periods.instant(update.debut.isoformat()), value=update.valeur)
        out.append(Applied(update, True))
    return out
