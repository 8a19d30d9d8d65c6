"""The shape of a demo service template (the invented services in services_work.py and services_life.py)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class ServiceTemplate:
    key: str
    nom: str
    type: str
    thematiques: tuple[str, ...]
    description: str
    publics: tuple[str, ...] = ("tous-publics",)
    frais: str = "gratuit"
    frais_precisions: str = ""
    conditions_acces: str = ""
    modes_accueil: tuple[str, ...] = ("en-presentiel",)
    modes_mobilisation: tuple[str, ...] = ("se-presenter", "telephoner")
    mobilisable_par: tuple[str, ...] = ("usagers", "professionnels")
    age_min: int | None = None
    age_max: int | None = None
    volume_horaire_hebdomadaire: float | None = None
    nombre_semaines: int | None = None
    hours: tuple[str, ...] = ()  # service-specific hours to pick from; empty: the structure's hours
