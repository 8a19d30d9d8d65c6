"""Rights endpoint: POST /api/v1/rights/simulate, a household in, national benefits and local aids out.

The request body is the household JSON of relais.rights.household (documented in the OpenAPI
schema and docs/adr/0004-rights-engine.md). Invalid answers get a 422 whose messages name the
person and the field; unknown communes and months the loaded law does not cover too. Simultaneous
requests share one simulation (relais.rights.batching), where each household succeeds or fails alone.
"""

from ninja import Field, Router, Schema, Status

from relais.api_guard import BodyProblem, problem_for_exception, request_json
from relais.rights.batching import batcher
from relais.rights.household import Household

router = Router(tags=["droits"])


def _inline(schema: dict) -> dict:
    """The household JSON schema with its $defs inlined (OpenAPI cannot resolve #/$defs here)."""
    defs = schema.pop("$defs", {})

    def resolve(node):
        if isinstance(node, dict):
            if "$ref" in node:
                return resolve(dict(defs[node["$ref"].rsplit("/", 1)[1]]))
            return {k: resolve(v) for k, v in node.items()}
        if isinstance(node, list):
            return [resolve(v) for v in node]
        return node

    return resolve(schema)


HOUSEHOLD_EXAMPLE = {
    "mois": "2026-11",
    "commune": "69383",
    "logement": {"statut": "locataire", "loyer": 550},
    "personnes": [
        {"id": "parent", "role": "demandeur", "date_naissance": "1991-03", "situation": "salarie",
         "revenus": {"salaire_net": {"mensuel": 1100, "depuis": "2026-06"}}},
        {"id": "enfant", "role": "enfant", "date_naissance": "2014-09", "scolarite": "college"},
    ],
}  # fmt: skip


class DemarcheOut(Schema):
    organisme: str
    url: str


class PrestationOut(Schema):
    code: str
    nom: str
    eligible: bool
    montant: float
    periodicite: str = Field(description="mensuelle, annuelle ou ponctuelle (versée une fois).")
    periode: str = Field(description="Mois (AAAA-MM) ou année (AAAA) sur lequel porte le montant.")
    explication: str
    demarche: DemarcheOut
    a_verifier: bool
    deja_percu: bool = Field(description="Déclarée dans prestations_percues.")
    montant_declare: float | None = Field(description="Montant mensuel déclaré comme déjà perçu.")
    estimation: list[str] = Field(
        description="Ce qui fait de ce montant une estimation (codes expliqués dans estimation_notes)."
    )
    forme: str | None = None
    participation_mensuelle: float | None = None
    par_personne: dict[str, float] | None = None
    loi_en_retard: list[str] = Field(
        default_factory=list, description="Familles de paramètres de cette aide qui attendent leur revalorisation."
    )


class AutreAdulteOut(Schema):
    personnes: list[str] = Field(description="Identifiants des personnes de ce foyer de prestations.")
    prestations: list[PrestationOut] = Field(description="Prestations auxquelles ce foyer a probablement droit.")
    total_mensuel: float


class AideLocaleOut(Schema):
    id: str
    nom: str
    institution: str
    description: str
    eligible: bool
    statut: str = Field(description="eligible, non_eligible ou a_examiner (règles d’attribution non publiées ici).")
    montant: float | None
    avantage: str | None
    periodicite: str
    explication: str
    conditions_a_verifier: list[str]
    demarche: dict[str, str]
    source: str
    autres_sources: list[str]
    verifie_le: str
    incertain: bool
    note: str
    a_verifier_avec_un_professionnel: bool
    deja_percu: bool
    estimation: list[str]


class LegislationOut(Schema):
    moteur: str
    version: str
    openfisca_core: str
    mois: str
    date_legislation: str
    derniere_revalorisation_rsa: str | None
    parametres_en_retard: list[dict] = Field(
        default_factory=list,
        description="Paramètres dont une revalorisation attendue manque à la législation utilisée (check_law).",
    )


class CommuneOut(Schema):
    code: str
    nom: str
    departement: str
    epci: str | None


class SimulationOut(Schema):
    legislation: LegislationOut
    mois: str
    commune: CommuneOut
    estimation: str = Field(description="Avertissement : le résultat est une estimation (texte à afficher).")
    estimation_notes: dict[str, str] = Field(description="Explication de chaque code d’estimation utilisé.")
    prestations: list[PrestationOut] = Field(description="Prestations du foyer du demandeur (conjoint, enfants).")
    total_mensuel: float = Field(
        description="Montants mensuels des prestations et aides locales probablement dues, « à vérifier » comprises "
        "(hors annuels, ponctuels et CSS) : la même définition sur toutes les pages (relais/rights/totals.py)."
    )
    total_mensuel_a_demander: float = Field(description="Idem, sans les prestations déjà perçues.")
    total_mensuel_a_verifier: float = Field(
        0, description="Part de total_mensuel_a_demander à vérifier avec un professionnel (relais/rights/totals.py)."
    )
    regime_local: dict | None = Field(
        None, description="Régime local d’Alsace-Moselle : applique, suppose (non indiqué), question (à poser)."
    )
    autres_adultes: list[AutreAdulteOut] = Field(description="Droits propres des autres adultes (rôle « autre »).")
    aides_locales: list[AideLocaleOut]
    avertissements: list[str]


class ProblemOut(Schema):
    type: str
    loc: list[str | int]
    msg: str
    param: str
    personne: str | None = None


class ProblemsOut(Schema):
    detail: list[ProblemOut]


def _problems(problems: list[dict]) -> dict:
    return {
        "detail": [
            {
                "type": "invalid_household",
                "loc": ["body", *[part for part in p["champ"].split(".") if part]],
                "msg": p["message"],
                "param": p["champ"] or "body",
                "personne": p["personne"],
            }
            for p in problems
        ]
    }


@router.post(
    "/simulate",
    response={200: SimulationOut, 422: ProblemsOut},
    summary="Simuler les droits d’un ménage",
    description=(
        "Prestations nationales calculées avec OpenFisca-France (version et date de législation dans "
        "`legislation`) et aides locales du catalogue. Montants en euros ; `periodicite` et `periode` disent "
        "sur quoi porte chaque montant. Réponse 422 si une réponse est invalide : chaque message nomme la "
        "personne et le champ."
    ),
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": _inline(Household.model_json_schema()), "example": HOUSEHOLD_EXAMPLE}
            },
        }
    },
)
def simulate(request):
    try:
        payload = request_json(request)
    except BodyProblem as problem:
        return Status(422, _problems([{"champ": "", "personne": None, "message": problem.message}]))
    outcome = batcher.simulate(payload)
    if outcome.failed:  # valid answers the engine failed on (logged): this request alone gets a 500
        return problem_for_exception(None)
    if outcome.problems:
        return Status(422, _problems(outcome.problems))
    return Status(200, outcome.result)
