"""A simulation result as the results page shows it: grouped, in plain words, with where to claim.

`present(result, codes)` is pure (no database): it sorts the requested aids into « you can claim »,
« you already receive », « check with a professional » and « not for now », each with its estimated
amount and period, what it is, how to claim. `helpers_near(commune)` and `claim_services(ids)` read
the offer: the structures near the person that help with claims, and the services an aid of the
offer catalogue names as where to claim it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.matching import runtime
from relais.matching.types import Needs, Place
from relais.offer.models import Aid
from relais.rights.totals import monthly_totals
from relais.rights.views.display import euros, per_period

ACCESS_TO_RIGHTS = "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
HELPERS = 5

# What each national benefit is, in one plain sentence (the engine says how much and why).
WHAT = {
    "rsa": gettext_lazy("Un revenu minimum pour les personnes de 25 ans ou plus (ou plus jeunes avec un enfant), avec un accompagnement vers l’emploi."),
    "prime_activite": gettext_lazy("Un complément de revenus pour les personnes qui travaillent et gagnent peu, dès 18 ans."),
    "apl": gettext_lazy("Une aide pour payer le loyer d’un logement conventionné, versée le plus souvent au propriétaire."),
    "alf": gettext_lazy("Une aide au loyer pour les familles ou les couples mariés depuis moins de 5 ans, dans un logement non conventionné."),
    "als": gettext_lazy("Une aide au loyer pour les personnes qui n’ont droit ni à l’APL ni à l’ALF (étudiants, personnes seules…)."),
    "allocations_familiales": gettext_lazy("Versées à partir de 2 enfants à charge, sans démarche si vous êtes déjà connu de la CAF."),
    "complement_familial": gettext_lazy("Pour les familles d’au moins 3 enfants de 3 ans ou plus, sous plafond de ressources."),
    "asf": gettext_lazy("Pour un parent qui élève seul un enfant sans pension alimentaire de l’autre parent (ou une pension faible)."),
    "paje_base": gettext_lazy("L’allocation de base de la prestation d’accueil du jeune enfant, pour un enfant de moins de 3 ans."),
    "paje_naissance": gettext_lazy("Une prime versée une fois, avant la naissance ou l’adoption d’un enfant."),
    "aah": gettext_lazy("Un revenu pour les adultes en situation de handicap, après décision de la MDPH."),
    "majoration_vie_autonome": gettext_lazy("Un complément de l’AAH pour les personnes qui vivent dans leur propre logement avec une aide au logement."),
    "aspa": gettext_lazy("Le minimum vieillesse : un complément aux petites retraites, à partir de 65 ans (ou plus tôt en cas d’inaptitude)."),
    "asi": gettext_lazy("Un complément à une pension d’invalidité faible, avant l’âge de la retraite."),
    "ass": gettext_lazy("Une allocation de France Travail quand les droits au chômage sont épuisés."),
    "css": gettext_lazy("Une complémentaire santé (mutuelle) gratuite, ou pour moins d’un euro par jour et par personne."),
    "cheque_energie": gettext_lazy("Un chèque pour payer les factures d’énergie, envoyé chaque printemps d’après la déclaration de revenus."),
    "bourse_college": gettext_lazy("Une aide pour les frais de scolarité des collégiens, versée par trimestre."),
    "bourse_lycee": gettext_lazy("Une aide pour les frais de scolarité des lycéens, versée par trimestre."),
    "reduction_loyer_solidarite": gettext_lazy("Une baisse du loyer en logement social, appliquée par le bailleur avec l’APL."),
}  # fmt: skip
# Where to claim online and what to prepare (documents usually asked), by national benefit.
CAF_ONLINE = "https://www.caf.fr/allocataires/mes-services-en-ligne/faire-une-demande-de-prestation"
ONLINE = {
    **dict.fromkeys(
        ("rsa", "prime_activite", "apl", "alf", "als", "allocations_familiales", "complement_familial", "asf",
         "paje_base", "paje_naissance"),
        CAF_ONLINE,
    ),
    "css": "https://www.complementaire-sante-solidaire.gouv.fr",
    "aspa": "https://www.lassuranceretraite.fr",
    "cheque_energie": "https://chequeenergie.gouv.fr",
    "bourse_college": "https://educonnect.education.gouv.fr",
    "bourse_lycee": "https://educonnect.education.gouv.fr",
}  # fmt: skip
DOCUMENTS = {
    "caf": gettext_lazy("Pièce d’identité (ou titre de séjour), numéro de sécurité sociale, RIB, revenus des derniers mois."),
    "logement": gettext_lazy("Bail ou quittance de loyer, et les coordonnées du propriétaire ou du bailleur."),
    "aah": gettext_lazy("Formulaire de demande MDPH (cerfa 15692) avec un certificat médical de moins d’un an."),
    "css": gettext_lazy("Formulaire cerfa 12504 ou demande en ligne sur ameli.fr, avec les ressources des 12 derniers mois."),
    "aspa": gettext_lazy("Formulaire de demande d’ASPA auprès de votre caisse de retraite, avec vos ressources des 3 derniers mois."),
    "bourse": gettext_lazy("Le dernier avis d’impôt ; la demande se fait en ligne avec ÉduConnect, ou sur papier auprès de l’établissement."),
}  # fmt: skip
DOCUMENTS_OF = {
    **dict.fromkeys(("rsa", "prime_activite", "allocations_familiales", "complement_familial", "asf", "paje_base",
                     "paje_naissance"), ("caf",)),
    **dict.fromkeys(("apl", "alf", "als"), ("caf", "logement")),
    "aah": ("aah",),
    "majoration_vie_autonome": ("aah",),
    "css": ("css",),
    "aspa": ("aspa",),
    "bourse_college": ("bourse",),
    "bourse_lycee": ("bourse",),
}  # fmt: skip


@dataclass
class Shown:
    """One aid on the results page."""

    kind: str  # "prestation" or "aide_locale"
    code: str
    name: str
    amount: str = ""  # « 420 € par mois », or an advantage in words
    monthly: float = 0.0  # for the order, and the total
    what: str = ""
    explanation: str = ""
    organisme: str = ""
    how: str = ""
    url: str = ""
    online: str = ""
    documents: list[str] = field(default_factory=list)
    institution: str = ""
    to_check: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    source: str = ""
    helpers: list = field(default_factory=list)  # services that help to claim this aid (offer catalogue)
    late_law: bool = False  # a parameter it rests on awaits its revaluation in the law in use


@dataclass
class Presented:
    can_claim: list[Shown]
    received: list[Shown]
    to_check: list[Shown]
    not_now: list[Shown]
    total_monthly: float  # relais.rights.totals: total_mensuel_a_demander of the aids shown
    total_to_check: float  # the part of it « to check with a professional »
    estimation: str
    legislation: dict
    commune: dict
    warnings: list[str]
    others: list[dict]
    regime_local: dict = field(default_factory=dict)  # Alsace-Moselle health regime: applied, assumed

    @property
    def total_text(self) -> str:
        return euros(self.total_monthly)

    @property
    def to_check_text(self) -> str:
        return euros(self.total_to_check)

    @property
    def first(self) -> Shown | None:
        """What to claim first: the largest monthly amount, else the first aid to claim or to check."""
        return (self.can_claim or self.to_check or [None])[0]


def _benefit_amount(item: dict) -> tuple[str, float]:
    if item["code"] == "css":
        if item.get("forme") == "sans_participation":
            return _("Gratuite"), 0.0
        if item.get("forme") == "avec_participation":
            return _("Avec une participation de %(p)s par mois") % {
                "p": euros(item.get("participation_mensuelle") or 0)
            }, 0.0
        return "", 0.0
    amount = float(item.get("montant") or 0)
    if item.get("deja_percu") and item.get("montant_declare"):
        amount = float(item["montant_declare"])
    if not amount:
        return "", 0.0
    text = per_period(amount, item.get("periodicite", "mensuelle"), item.get("periode", ""))
    if item["code"] == "paje_naissance" and item.get("periode"):
        text = _("%(amount)s en une fois, vers %(m)s") % {
            "amount": euros(amount),
            "m": f"{item['periode'][5:7]}/{item['periode'][:4]}",
        }
    return text, amount if item.get("periodicite") == "mensuelle" else 0.0


def _notes(item: dict, notes: dict) -> list[str]:
    return [notes[f] for f in item.get("estimation") or [] if f in notes]


def _shown_benefit(item: dict, notes: dict) -> Shown:
    amount, monthly = _benefit_amount(item)
    demarche = item.get("demarche") or {}
    code = item["code"]
    return Shown(
        kind="prestation",
        code=code,
        name=item["nom"],
        amount=amount,
        monthly=monthly,
        what=str(WHAT.get(code, "")),
        explanation=item.get("explication", ""),
        organisme=demarche.get("organisme", ""),
        how=demarche.get("comment", ""),
        url=demarche.get("url", ""),
        online=demarche.get("en_ligne") or ONLINE.get(code, ""),
        documents=[str(DOCUMENTS[k]) for k in DOCUMENTS_OF.get(code, ())],
        notes=_notes(item, notes),
        late_law=bool(item.get("loi_en_retard")),
    )


def _shown_aid(item: dict, notes: dict) -> Shown:
    demarche = item.get("demarche") or {}
    amount, monthly = "", 0.0
    if item.get("montant"):
        amount = per_period(float(item["montant"]), item.get("periodicite", "ponctuelle"))
        monthly = float(item["montant"]) if item.get("periodicite") == "mensuelle" else 0.0
    elif item.get("avantage"):
        amount = item["avantage"]
    aid_notes = _notes(item, notes)
    if item.get("note") and item.get("incertain"):
        aid_notes.append(item["note"])
    return Shown(
        kind="aide_locale",
        code=item["id"],
        name=item["nom"],
        amount=amount,
        monthly=monthly,
        what=item.get("description", ""),
        explanation=item.get("explication", ""),
        organisme=demarche.get("organisme", ""),
        how=demarche.get("comment", ""),
        url=demarche.get("url", ""),
        institution=item.get("institution", ""),
        to_check=list(item.get("conditions_a_verifier") or []),
        notes=aid_notes,
        source=item.get("source", ""),
    )


def present(result: dict, codes: list[str] | None = None) -> Presented:
    """Group the result's aids (only the requested codes, all when `codes` is None)."""
    wanted = set(codes) if codes else None
    notes = result.get("estimation_notes") or {}
    can_claim, received, to_check, not_now = [], [], [], []
    for item in result.get("prestations", []):
        if wanted is not None and item["code"] not in wanted:
            continue
        shown = _shown_benefit(item, notes)
        if item.get("deja_percu"):
            received.append(shown)
        elif item.get("eligible") and item.get("a_verifier"):
            to_check.append(shown)
        elif item.get("eligible"):
            can_claim.append(shown)
        else:
            not_now.append(shown)
    for item in result.get("aides_locales", []):
        if wanted is not None and item["id"] not in wanted:
            continue
        shown = _shown_aid(item, notes)
        if item.get("deja_percu"):
            received.append(shown)
        elif item.get("statut") == "a_examiner" or (
            item.get("eligible") and (item.get("a_verifier_avec_un_professionnel") or item.get("incertain"))
        ):
            to_check.append(shown)
        elif item.get("eligible"):
            can_claim.append(shown)
        else:
            not_now.append(shown)
    can_claim.sort(key=lambda s: -s.monthly)
    to_check.sort(key=lambda s: -s.monthly)
    totals = monthly_totals(result.get("prestations", []), result.get("aides_locales", []), wanted)
    return Presented(
        can_claim=can_claim,
        received=received,
        to_check=to_check,
        not_now=not_now,
        total_monthly=totals["total_mensuel_a_demander"],
        total_to_check=totals["total_mensuel_a_verifier"],
        estimation=result.get("estimation") or _default_estimation(result),
        legislation=result.get("legislation") or {},
        commune=result.get("commune") or {},
        warnings=list(result.get("avertissements") or []),
        others=list(result.get("autres_adultes") or []),
        regime_local=dict(result.get("regime_local") or {}),
    )


def _default_estimation(result: dict) -> str:
    law = result.get("legislation") or {}
    return _(
        "Estimation indicative d’après vos réponses et la législation au %(date)s (%(engine)s %(version)s) : "
        "seul l’organisme qui verse chaque aide décide."
    ) % {
        "date": law.get("date_legislation", ""),
        "engine": law.get("moteur", "OpenFisca-France"),
        "version": law.get("version", ""),
    }


# --- the offer: who helps near the person ------------------------------------------------------------


def helpers_near(commune_code: str, limit: int = HELPERS) -> list:
    """Services near the commune that help with access to rights (the offer, through matching).

    Not traced: the rights pages store nothing, not even an anonymous search trace.
    """
    try:
        response = runtime.run_search(
            Place(commune=commune_code), Needs(thematiques=(ACCESS_TO_RIGHTS,)), limit=limit, trace=False
        )
    except Exception:  # noqa: BLE001 - no offer index (empty database): the page shows the national contacts
        return []
    return list(response.results) if response.ok else []


def claim_services(aid_ids: list[str]) -> dict[str, list]:
    """Published services that the offer catalogue's aids name as where to claim, by local aid id.

    An aid of the offer catalogue is the same as a local aid of the rights catalogue when its
    `rights_aid` names it (set by the structure or a moderator, checked against the catalogue).
    """
    if not aid_ids:
        return {}
    out: dict[str, list] = {}
    aids = Aid.objects.published().filter(rights_aid__in=aid_ids).prefetch_related("claim_services__structure")
    for aid in aids.order_by("pk"):
        services = [s for s in aid.claim_services.all() if s.is_visible]
        out.setdefault(aid.rights_aid, []).extend(services)
    return {aid_id: services[:HELPERS] for aid_id, services in out.items() if services}
