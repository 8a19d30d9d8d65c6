"""Response schemas of the offer API.

Structures and services carry the data·inclusion v1 fields under the same names, so that a
client of the data·inclusion API reads Relais unchanged. What Relais adds sits in one nested
object, `relais`, that such a client simply ignores. Output types are plain strings and lists
(not the vocabulary enums): an old value in the database must never turn a listing into a 500.
The vocabularies are published under /api/v1/doc/<name>.
"""

import datetime as dt

from pydantic import BaseModel, Field


class Schema(BaseModel):
    """Plain pydantic models, fed with dicts: ninja's Schema wraps every nested object in a getter,
    which doubled the time of a 500-item page."""


DOC = "Valeurs : voir /api/v1/doc/{}."


class ClosureOut(Schema):
    starts_on: dt.date = Field(description="Premier jour de la période.")
    ends_on: dt.date = Field(description="Dernier jour de la période (inclus).")
    message: str | None = Field(description="Message affiché pendant la période.")
    is_closed: bool = Field(description="Vrai si la structure ou le service est fermé pendant la période.")


class StructureExtension(Schema):
    """Relais fields that the data·inclusion schema lacks."""

    last_verified_on: dt.date | None = Field(description="Date à laquelle la fiche a été vérifiée en dernier.")
    is_demo: bool = Field(description="Vrai pour une fiche inventée de démonstration.")
    temporarily_closed: bool = Field(description="Vrai si une fermeture temporaire couvre la date du jour.")
    closures: list[ClosureOut] = Field(description="Fermetures temporaires et messages en cours ou à venir.")


class ServiceExtension(StructureExtension):
    languages: list[str] = Field(description="Langues parlées (codes ISO 639-1).")
    step_free_access: bool | None = Field(description="Accès de plain-pied ; null si inconnu.")
    accessibility_details: str | None = Field(description="Précisions sur l’accessibilité.")
    capacity: str = Field(
        description="Places à la date du jour : accepting (accueille), waiting_list (liste d’attente) ou full (complet)."
    )
    full_until: dt.date | None = Field(description="Complet jusqu’à cette date (incluse), si renseignée.")
    accepts_referrals: bool = Field(description="Vrai si le service accepte les orientations envoyées par Relais.")
    age_min: int | None = Field(description="Âge minimum, en années.")
    age_max: int | None = Field(description="Âge maximum, en années.")


class OpeningOut(Schema):
    state: str = Field(description="open, closed, temporarily_closed, unknown (horaires illisibles) ou not_given.")
    label: str = Field(description="La même chose en une phrase, par exemple « Ouvert maintenant, ferme à 17 h ».")
    closes_at: dt.datetime | None = Field(description="Fin de l’ouverture en cours.")
    next_opening: dt.datetime | None = Field(description="Prochaine ouverture connue (dans l’année).")


class StructureDetailExtension(StructureExtension):
    opening: OpeningOut = Field(description="Ouvert ou fermé au moment de la réponse (horaires, fermetures, fériés).")


class ServiceDetailExtension(ServiceExtension):
    opening: OpeningOut = Field(
        description="Ouvert ou fermé au moment de la réponse, selon les horaires du service ou, à défaut, de sa structure."
    )


class Located(Schema):
    commune: str | None = None
    code_postal: str | None = None
    code_insee: str | None = None
    adresse: str | None = None
    complement_adresse: str | None = None
    longitude: float | None = None
    latitude: float | None = None
    telephone: str | None = None
    courriel: str | None = None
    horaires_accueil: str | None = Field(None, description="Syntaxe opening_hours d’OpenStreetMap.")


class StructureOut(Located):
    """A structure (data·inclusion v1) with the Relais extension."""

    source: str
    id: str
    nom: str
    date_maj: dt.date
    description: str | None = None
    lien_source: str | None = None
    siret: str | None = None
    site_web: str | None = None
    accessibilite_lieu: str | None = None
    reseaux_porteurs: list[str] | None = Field(None, description=DOC.format("reseaux-porteurs"))
    relais: StructureExtension


class ServiceOut(Located):
    """A service (data·inclusion v1) with the Relais extension."""

    source: str
    structure_id: str
    id: str
    nom: str
    description: str
    lien_source: str | None = None
    date_maj: dt.date
    type: str | None = Field(None, description=DOC.format("types-services"))
    thematiques: list[str] | None = Field(None, description=DOC.format("thematiques"))
    frais: str | None = Field(None, description=DOC.format("frais"))
    frais_precisions: str | None = None
    publics: list[str] | None = Field(None, description=DOC.format("publics"))
    publics_precisions: str | None = None
    conditions_acces: str | None = None
    modes_accueil: list[str] | None = Field(None, description=DOC.format("modes-accueil"))
    zone_eligibilite: list[str] | None = Field(
        None, description="Codes Insee de commune ou de département, SIREN d’EPCI, code pays, ou « france »."
    )
    contact_nom_prenom: str | None = None
    lien_mobilisation: str | None = None
    modes_mobilisation: list[str] | None = Field(None, description=DOC.format("modes-mobilisation"))
    mobilisable_par: list[str] | None = Field(None, description=DOC.format("personnes-mobilisatrices"))
    mobilisation_precisions: str | None = None
    volume_horaire_hebdomadaire: float | None = None
    nombre_semaines: int | None = None
    relais: ServiceExtension


class ServiceDetailOut(ServiceOut):
    relais: ServiceDetailExtension
    structure: StructureOut


class StructureDetailOut(StructureOut):
    relais: StructureDetailExtension
    services: list[ServiceOut] = Field(description="Les services publiés de la structure.")


class PageOut(Schema):
    total: int = Field(description="Nombre de résultats, toutes pages confondues.")
    page: int = Field(description="Numéro de la page, à partir de 1.")
    size: int = Field(description="Nombre de résultats dans cette page (comme l’API data·inclusion).")
    pages: int = Field(description="Nombre de pages pour la taille demandée.")


class StructurePageOut(PageOut):
    items: list[StructureOut]


class ServicePageOut(PageOut):
    items: list[ServiceOut]


class VocabularyValueOut(Schema):
    value: str
    label: str
    description: str | None = None


class ErrorOut(Schema):
    detail: str


class ParameterErrorOut(Schema):
    type: str = Field(description="Type d’erreur (ceux de pydantic, ou unknown_commune).")
    loc: list[str | int] = Field(description="Emplacement : query, path ou body, puis le nom du paramètre.")
    msg: str = Field(description="Message en français qui nomme le paramètre.")
    param: str = Field(description="Nom du paramètre en cause.")
    input: str | None = Field(None, description="Valeur reçue (tronquée), pour les paramètres d’URL.")


class ValidationErrorOut(Schema):
    detail: list[ParameterErrorOut]
