"""The catalogue of indicators (relais/observatory/data/indicators.toml), read once and checked.

    indicator = get("taux_pauvrete")      # an Indicator, or KeyError
    for indicator in indicators(): ...    # in the file's order

The file is data reviewed like code: a malformed entry fails at start-up with its id and field.
"""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import get_language

DATA = Path(__file__).resolve().parent / "data"
CATALOGUE = DATA / "indicators.toml"

LEVELS = ("commune", "arrondissement", "territory", "epci", "departement")
PUBLICS = ("all", "children-families", "young", "seniors", "disability", "precarity")
DIRECTIONS = ("higher-worse", "higher-better", "neutral")
AGGREGATIONS = ("sum", "ratio", "official")
SECRECY = ("insee", "platform", "none")
REQUIRED = (
    "id",
    "label_fr",
    "label_en",
    "definition_fr",
    "definition_en",
    "unit",
    "decimals",
    "source",
    "licence",
    "levels",
    "public",
    "direction",
    "aggregation",
    "secrecy",
)


@dataclass(frozen=True)
class Indicator:
    id: str
    label_fr: str
    label_en: str
    definition_fr: str
    definition_en: str
    unit: str
    decimals: int
    source: str
    licence: str
    levels: tuple[str, ...]
    public: str
    direction: str
    aggregation: str
    secrecy: str
    columns: dict[str, int] = field(default_factory=dict)
    numerator: str = ""
    denominator: str = ""
    scale: int = 1

    @property
    def label(self) -> str:
        return self.label_en if (get_language() or "fr").startswith("en") else self.label_fr

    @property
    def definition(self) -> str:
        return self.definition_en if (get_language() or "fr").startswith("en") else self.definition_fr

    @property
    def is_ratio(self) -> bool:
        return self.aggregation == "ratio"

    @property
    def is_stored(self) -> bool:
        """Stored values (sum and official); ratios are computed from their two counts when read."""
        return not self.is_ratio

    def as_dict(self) -> dict:
        return {
            "id": self.id,
            "label_fr": self.label_fr,
            "label_en": self.label_en,
            "definition_fr": self.definition_fr,
            "definition_en": self.definition_en,
            "unit": self.unit,
            "decimals": self.decimals,
            "source": self.source,
            "licence": self.licence,
            "levels": list(self.levels),
            "public": self.public,
            "direction": self.direction,
            "aggregation": self.aggregation,
            "secrecy": self.secrecy,
            "numerator": self.numerator or None,
            "denominator": self.denominator or None,
        }


class CatalogueError(ValueError):
    pass


def _check(entry: dict, position: int) -> Indicator:
    where = f"{CATALOGUE.name}, indicator #{position} ({entry.get('id', '?')})"
    missing = [name for name in REQUIRED if name not in entry]
    if missing:
        raise CatalogueError(f"{where}: missing {', '.join(missing)}")
    for name, allowed in (
        ("public", PUBLICS),
        ("direction", DIRECTIONS),
        ("aggregation", AGGREGATIONS),
        ("secrecy", SECRECY),
    ):
        if entry[name] not in allowed:
            raise CatalogueError(f"{where}: {name} {entry[name]!r} is not one of {allowed}")
    unknown_levels = set(entry["levels"]) - set(LEVELS)
    if unknown_levels:
        raise CatalogueError(f"{where}: unknown levels {sorted(unknown_levels)}")
    if entry["aggregation"] == "ratio" and not (entry.get("numerator") and entry.get("denominator")):
        raise CatalogueError(f"{where}: a ratio needs a numerator and a denominator")
    values = dict(entry)
    values["levels"] = tuple(entry["levels"])
    values["columns"] = dict(entry.get("columns", {}))
    return Indicator(**values)


def parse(text: str) -> dict[str, Indicator]:
    found: dict[str, Indicator] = {}
    for position, entry in enumerate(tomllib.loads(text).get("indicator", []), start=1):
        indicator = _check(entry, position)
        if indicator.id in found:
            raise CatalogueError(f"{CATALOGUE.name}: indicator {indicator.id!r} is listed twice")
        found[indicator.id] = indicator
    for indicator in found.values():
        for part in (indicator.numerator, indicator.denominator):
            if part and (part not in found or found[part].aggregation != "sum"):
                raise CatalogueError(f"{CATALOGUE.name}: {indicator.id}: {part!r} is not a summed indicator")
    return found


@functools.cache
def catalogue() -> dict[str, Indicator]:
    return parse(CATALOGUE.read_text(encoding="utf-8"))


def indicators() -> list[Indicator]:
    return list(catalogue().values())


def get(indicator_id: str) -> Indicator:
    return catalogue()[indicator_id]


def insee_columns() -> dict[str, list[tuple[str, int]]]:
    """Insee column -> [(indicator id, vintage)] for every stored indicator read from Insee files."""
    columns: dict[str, list[tuple[str, int]]] = {}
    for indicator in indicators():
        for column, vintage in indicator.columns.items():
            columns.setdefault(column, []).append((indicator.id, vintage))
    return columns
