"""Offer endpoints: structures, services and vocabularies, named as in the data·inclusion API v1.

Contract, and where Relais differs from data·inclusion: docs/api.md. Only published listings
(moderation = published, for the service and for its structure) are ever shown.
"""

import datetime as dt
import enum
import math
from typing import Annotated

from django.db.models import Prefetch, Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Path, Query, Router, Status
from pydantic import StringConstraints

from relais.apierrors import PARAMETER_FORMATS, parameter_error
from relais.offer import hours
from relais.offer import vocabularies as voc
from relais.offer.models import Closure, Service, Structure
from relais.offer.schemas import (
    ErrorOut,
    ServiceDetailOut,
    ServicePageOut,
    StructureDetailOut,
    StructurePageOut,
    ValidationErrorOut,
    VocabularyValueOut,
)
from relais.territories.models import Commune

router = Router(tags=["offre"])

DEFAULT_PAGE_SIZE = 500
MAX_PAGE_SIZE = 5000
MAX_PAGE = 100_000
MAX_LIST_VALUES = 150  # 6 lists of 150 stay under Django's 1000 parameters

# A category stands for all its thématiques, as in data·inclusion.
ThematiqueOuCategorie = enum.StrEnum(
    "ThematiqueOuCategorie",
    [(value, value) for value in sorted(voc.values(voc.Categorie) | voc.values(voc.Thematique))],
)

LOCATED_FIELDS = [
    "commune",
    "code_postal",
    "code_insee",
    "adresse",
    "complement_adresse",
    "longitude",
    "latitude",
    "telephone",
    "courriel",
    "horaires_accueil",
]
STRUCTURE_FIELDS = LOCATED_FIELDS + [
    "id",
    "source",
    "nom",
    "date_maj",
    "description",
    "lien_source",
    "siret",
    "site_web",
    "accessibilite_lieu",
    "reseaux_porteurs",
    "last_verified_on",
    "is_demo",
]
SERVICE_FIELDS = LOCATED_FIELDS + [
    "id",
    "source",
    "structure_id",
    "nom",
    "description",
    "lien_source",
    "date_maj",
    "type",
    "thematiques",
    "frais",
    "frais_precisions",
    "publics",
    "publics_precisions",
    "conditions_acces",
    "modes_accueil",
    "zone_eligibilite",
    "contact_nom_prenom",
    "lien_mobilisation",
    "modes_mobilisation",
    "mobilisable_par",
    "mobilisation_precisions",
    "volume_horaire_hebdomadaire",
    "nombre_semaines",
    # Relais extensions
    "last_verified_on",
    "is_demo",
    "languages",
    "step_free_access",
    "accessibility_details",
    "capacity",
    "full_until",
    "accepts_referrals",
    "age_min",
    "age_max",
]
_LISTS = {"reseaux_porteurs", "thematiques", "publics", "modes_accueil", "zone_eligibilite"}
_LISTS |= {"modes_mobilisation", "mobilisable_par"}
_EXTENSION = {"last_verified_on", "is_demo", "languages", "step_free_access", "accessibility_details"}
_EXTENSION |= {"capacity", "full_until", "accepts_referrals", "age_min", "age_max"}

SOURCE_PATTERN = r"^[A-Za-z0-9_.-]{1,100}$"
CODE_COMMUNE_PATTERN = r"^(\d{5}|2[AB]\d{3})$"
CODE_DEPARTEMENT_PATTERN = r"^(\d{2}|2[AB]|97\d)$"
MAX_ID_LENGTH = Service._meta.get_field("id").max_length

PARAMETER_FORMATS.update(
    {
        "code_commune": gettext_lazy("un code Insee de commune à 5 caractères, par exemple 69383 ou 2A004"),
        "code_departement": gettext_lazy("un code Insee de département, par exemple 69, 2A ou 974"),
        "sources": gettext_lazy("un identifiant de source : lettres sans accent, chiffres, « - », « _ » ou « . »"),
    }
)
SourceSlug = Annotated[str, StringConstraints(pattern=SOURCE_PATTERN)]

# -- parameters, shared by the two listings ------------------------------------------------

SOURCES = Query(
    None,
    description="Identifiants de source. Chaque résultat vient de l’une de ces sources.",
    max_length=MAX_LIST_VALUES,
)
CODE_DEPARTEMENT = Query(
    None,
    description="Code Insee d’un département (69, 2A, 974…) : résultats situés dans ce département.",
    pattern=CODE_DEPARTEMENT_PATTERN,
)
CODE_COMMUNE = Query(
    None,
    description=(
        "Code Insee d’une commune (5 caractères) : résultats situés dans cette commune, ou dans l’un de ses "
        "arrondissements municipaux (Lyon 69123, Paris, Marseille). Commune inconnue du référentiel : erreur 422."
    ),
    pattern=CODE_COMMUNE_PATTERN,
)
PAGE = Query(1, ge=1, le=MAX_PAGE, description="Numéro de page, à partir de 1.")
SIZE = Query(DEFAULT_PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE, description="Nombre de résultats par page.")


def _any_of(description: str):
    return Query(None, description=description, max_length=MAX_LIST_VALUES)


RESEAUX_PORTEURS = _any_of("Réseaux porteurs. Chaque résultat a (au moins) un réseau porteur dans cette liste.")

THEMATIQUES = _any_of(
    "Thématiques ou catégories de thématiques. Chaque résultat a (au moins) une thématique dans cette "
    "liste ; une catégorie vaut toutes ses thématiques."
)

FRAIS = _any_of("Frais. Chaque résultat a l’un de ces frais.")

PUBLICS = _any_of(
    "Publics. Chaque résultat a (au moins) un public dans cette liste, ou est ouvert à tous "
    "(tous-publics). Demander tous-publics ne filtre pas."
)

MODES_ACCUEIL = _any_of("Modes d’accueil. Chaque résultat a (au moins) un mode d’accueil dans cette liste.")

TYPES = _any_of("Types de service. Chaque résultat a l’un de ces types.")

LISTING_ERRORS = {422: ValidationErrorOut}


# -- querysets -----------------------------------------------------------------------------
# Whole rows, not .only(): the columns we skip are four small ones, and Django builds instances
# with deferred fields twice as slowly (measured on 2,000-service pages).


def published_structures():
    return Structure.objects.published()


def published_services():
    return Service.objects.visible()


def _commune_codes(code: str) -> list[str]:
    """The commune and its municipal arrondissements; 422 if the referential does not know it."""
    codes = list(Commune.objects.filter(Q(code=code) | Q(parent_id=code)).values_list("code", flat=True))
    if code not in codes:
        raise parameter_error(
            "query",
            "code_commune",
            "unknown_commune",
            _("la commune « %(code)s » n’existe pas dans le référentiel des communes.") % {"code": code},
            code,
        )
    return codes


def _located(queryset, code_commune: str | None, code_departement: str | None):
    if code_commune:
        queryset = queryset.filter(code_insee__in=_commune_codes(code_commune))
    if code_departement:
        queryset = queryset.filter(code_insee__startswith=code_departement)
    return queryset


def _json_list_has_any(queryset, field: str, needles):
    """Rows whose JSON list `field` holds a string starting with one of the needles ('"value"' for an
    exact value, '"categorie--' for any thématique of a category): one case-sensitive LIKE per needle
    on the JSON text, the same SQL on SQLite and PostgreSQL (half the cost of icontains' UPPER)."""
    alias = f"_{field}_text"
    query = Q()
    for needle in sorted(set(needles)):
        query |= Q(**{f"{alias}__contains": needle})
    return queryset.alias(**{alias: Cast(field, TextField())}).filter(query)


def _exact(values) -> list[str]:
    return [f'"{value}"' for value in values]


def _thematique_needles(values) -> list[str]:
    """A category matches itself and all its thématiques, as in data·inclusion."""
    return [f'"{value}"' if "--" in value else f'"{value}--' for value in values] + _exact(values)


# -- output --------------------------------------------------------------------------------


def _closures_by_structure(structure_ids, today: dt.date) -> dict[str, list[Closure]]:
    """Current and coming closures of these structures and their services: one query."""
    by_structure: dict[str, list[Closure]] = {}
    if not structure_ids:
        return by_structure
    closures = Closure.objects.filter(structure_id__in=set(structure_ids), ends_on__gte=today).order_by(
        "starts_on", "id"
    )
    for closure in closures:
        by_structure.setdefault(closure.structure_id, []).append(closure)
    return by_structure


def _extension(obj, closures: list[Closure], today: dt.date, fields) -> dict:
    data = {name: getattr(obj, name) for name in fields}
    data["temporarily_closed"] = any(c.is_closed and c.covers(today) for c in closures)
    data["closures"] = [
        {"starts_on": c.starts_on, "ends_on": c.ends_on, "message": c.message or None, "is_closed": c.is_closed}
        for c in closures
    ]
    return data


def _shared(obj, fields, required=("id", "source", "structure_id", "nom", "date_maj")) -> dict:
    """The data·inclusion fields: empty text and empty lists become null, as in data·inclusion."""
    data = {}
    for name in fields:
        if name in _EXTENSION:
            continue
        value = getattr(obj, name)
        if name in _LISTS:
            value = [str(item) for item in value] if isinstance(value, list) and value else None
        elif value == "" and name not in required:
            value = None
        data[name] = value
    return data


def _own(closures: dict, structure_id: str, service_id: str | None = None) -> list[Closure]:
    """A structure's own closures, or a service's: its own and its structure's."""
    return [c for c in closures.get(structure_id, []) if c.service_id in (None, service_id)]


def structure_out(structure: Structure, closures: dict, today: dt.date) -> dict:
    own = _own(closures, structure.id)
    data = _shared(structure, STRUCTURE_FIELDS)
    data["relais"] = _extension(structure, own, today, ["last_verified_on", "is_demo"])
    return data


def service_out(service: Service, closures: dict, today: dt.date) -> dict:
    own = _own(closures, service.structure_id, service.id)
    data = _shared(service, SERVICE_FIELDS, required=("id", "source", "structure_id", "nom", "date_maj", "description"))
    extension = _extension(service, own, today, sorted(_EXTENSION))
    extension["languages"] = [str(code) for code in service.languages] if isinstance(service.languages, list) else []
    extension["accessibility_details"] = service.accessibility_details or None
    extension["capacity"] = service.capacity_on(today)
    data["relais"] = extension
    return data


def opening_out(expression: str, closures: list[Closure], code_insee: str) -> dict:
    """Open or closed now; only on detail endpoints (parsing hours for a whole page is not worth it)."""
    status = hours.status(expression, closures, code_insee=code_insee)
    return {
        "state": status.state,
        "label": status.label,
        "closes_at": status.closes_at,
        "next_opening": status.next_opening,
    }


def _usable_id(value: str) -> bool:
    """Ids longer than the column or holding a NUL character (refused by PostgreSQL) match nothing."""
    return len(value) <= MAX_ID_LENGTH and "\x00" not in value


def _page(queryset, page: int, size: int) -> tuple[list, dict]:
    total = queryset.count()
    offset = (page - 1) * size
    objects = list(queryset[offset : offset + size]) if offset < total else []
    return objects, {"total": total, "page": page, "size": len(objects), "pages": math.ceil(total / size)}


# -- endpoints -----------------------------------------------------------------------------


@router.get(
    "/structures",
    response={200: StructurePageOut, **LISTING_ERRORS},
    summary="Lister les structures",
    operation_id="list_structures",
)
def list_structures(
    request,
    sources: list[SourceSlug] = SOURCES,
    reseaux_porteurs: list[voc.ReseauPorteur] = RESEAUX_PORTEURS,
    code_departement: str = CODE_DEPARTEMENT,
    code_commune: str = CODE_COMMUNE,
    page: int = PAGE,
    size: int = SIZE,
):
    """Structures publiées, triées par identifiant."""
    queryset = published_structures().order_by("id")
    queryset = _located(queryset, code_commune, code_departement)
    if sources:
        queryset = queryset.filter(source__in=sources)
    if reseaux_porteurs:
        queryset = _json_list_has_any(queryset, "reseaux_porteurs", _exact(reseaux_porteurs))
    structures, meta = _page(queryset, page, size)
    today = timezone.localdate()
    closures = _closures_by_structure([s.id for s in structures], today)
    return {**meta, "items": [structure_out(s, closures, today) for s in structures]}


@router.get(
    "/structures/{id}",
    response={200: StructureDetailOut, 404: ErrorOut},
    summary="Détailler une structure",
    operation_id="retrieve_structure",
)
def retrieve_structure(request, id: str = Path(..., description="Identifiant de la structure.")):  # noqa: A002
    """Une structure publiée et ses services publiés."""
    services = Service.objects.visible().order_by("id")
    structure = _usable_id(id) and (
        published_structures().prefetch_related(Prefetch("services", queryset=services)).filter(id=id).first()
    )
    if not structure:
        return Status(404, {"detail": _("Aucune structure publiée n’a l’identifiant « %(id)s ».") % {"id": id}})
    today = timezone.localdate()
    closures = _closures_by_structure([structure.id], today)
    data = structure_out(structure, closures, today)
    data["relais"]["opening"] = opening_out(
        structure.horaires_accueil, _own(closures, structure.id), structure.code_insee
    )
    data["services"] = [service_out(s, closures, today) for s in structure.services.all()]
    return data


@router.get(
    "/services",
    response={200: ServicePageOut, **LISTING_ERRORS},
    summary="Lister les services",
    operation_id="list_services",
)
def list_services(
    request,
    sources: list[SourceSlug] = SOURCES,
    thematiques: list[ThematiqueOuCategorie] = THEMATIQUES,
    code_departement: str = CODE_DEPARTEMENT,
    code_commune: str = CODE_COMMUNE,
    frais: list[voc.Frais] = FRAIS,
    publics: list[voc.Public] = PUBLICS,
    modes_accueil: list[voc.ModeAccueil] = MODES_ACCUEIL,
    types: list[voc.TypeService] = TYPES,
    page: int = PAGE,
    size: int = SIZE,
):
    """Services publiés (de structures publiées), triés par identifiant."""
    queryset = published_services().order_by("id")
    queryset = _located(queryset, code_commune, code_departement)
    if sources:
        queryset = queryset.filter(source__in=sources)
    if thematiques:
        queryset = _json_list_has_any(queryset, "thematiques", _thematique_needles(thematiques))
    if frais:
        queryset = queryset.filter(frais__in=frais)
    if publics and voc.Public.TOUS_PUBLICS not in publics:
        queryset = _json_list_has_any(queryset, "publics", _exact([*publics, voc.Public.TOUS_PUBLICS]))
    if modes_accueil:
        queryset = _json_list_has_any(queryset, "modes_accueil", _exact(modes_accueil))
    if types:
        queryset = queryset.filter(type__in=types)
    services, meta = _page(queryset, page, size)
    today = timezone.localdate()
    closures = _closures_by_structure([s.structure_id for s in services], today)
    return {**meta, "items": [service_out(s, closures, today) for s in services]}


@router.get(
    "/services/{id}",
    response={200: ServiceDetailOut, 404: ErrorOut},
    summary="Détailler un service",
    operation_id="retrieve_service",
)
def retrieve_service(request, id: str = Path(..., description="Identifiant du service.")):  # noqa: A002
    """Un service publié, avec sa structure."""
    service = _usable_id(id) and published_services().select_related("structure").filter(id=id).first()
    if not service:
        return Status(404, {"detail": _("Aucun service publié n’a l’identifiant « %(id)s ».") % {"id": id}})
    today = timezone.localdate()
    closures = _closures_by_structure([service.structure_id], today)
    data = service_out(service, closures, today)
    own = _own(closures, service.structure_id, service.id)
    place = service.code_insee or service.structure.code_insee
    data["relais"]["opening"] = opening_out(service.effective_hours(), own, place)
    data["structure"] = structure_out(service.structure, closures, today)
    return data


# -- vocabularies: /doc/<name>, as in data·inclusion ------------------------------------------

VOCABULARY_TITLES = {
    "categories": "des catégories de thématiques (extension Relais)",
    "thematiques": "des thématiques",
    "publics": "des publics",
    "frais": "des frais",
    "modes-accueil": "des modes d’accueil",
    "modes-mobilisation": "des modes de mobilisation",
    "personnes-mobilisatrices": "des personnes mobilisatrices",
    "types-services": "des types de services",
    "reseaux-porteurs": "des réseaux porteurs",
}


def _vocabulary_view(vocabulary):
    values = vocabulary.as_dict_list()

    def view(request):
        return values

    return view


for _name, _vocabulary in voc.BY_API_NAME.items():
    router.add_api_operation(
        f"/doc/{_name}",
        ["GET"],
        _vocabulary_view(_vocabulary),
        response=list[VocabularyValueOut],
        summary=f"Récupérer le référentiel {VOCABULARY_TITLES[_name]}",
        operation_id=f"doc_{_name.replace('-', '_')}",
        tags=["référentiels"],
    )
