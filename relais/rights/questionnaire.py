"""The rights questionnaire's page flow, as pure functions: no HTTP, no database, no session.

The person first chooses what to check (`TOPICS`: all aids, or some families of aids); the requested
benefit codes and local aid ids give the question groups to ask (`relais.rights.questions.groups_for`),
one group per step, in the questions' order, skipping a group the answers make pointless (no rent to
ask of an owner, no schooling without children). Then a recap, then the results.

The answers are one JSON object that travels in a hidden form field from step to step (`encode`,
`decode`), and that the browser may keep in its localStorage: the server stores nothing.

    {"v": 1, "aides": ["logement"], "faites": ["aides", "commune"], "commune_nom": "Lyon 3e…",
     "menage": {…the household JSON of relais.rights.household, as far as answered…}}

`to_household(answers)` is the household JSON sent to the engine. `problem_place(problem)` says which
step and which form field a problem of `parse_household` belongs to (person fields are named
`<person id>__<field>` in the forms), so that the page can show it where the answer was given.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.rights import questions
from relais.rights.local import catalogue

VERSION = 1
START = "aides"
RECAP = "recapitulatif"
MAX_ANSWERS_CHARS = 40_000  # a household of 12 people with every answer stays far below
SEP = "__"  # form field names of person answers: "<person id>__<field>"

ROLE_DEMANDEUR, ROLE_CONJOINT, ROLE_ENFANT, ROLE_AUTRE = "demandeur", "conjoint", "enfant", "autre"
ADULT_ROLES = (ROLE_DEMANDEUR, ROLE_CONJOINT, ROLE_AUTRE)
GATE_DISABILITY = "handicap_declare"  # asked on the situation step; opens the disability step; not sent
SINGLE = "seul"  # the couple answer « no partner »: kept in the answers, not sent to the engine
RENTING = ("locataire", "locataire_meuble", "locataire_hlm", "locataire_foyer", "accedant")


class AnswersError(ValueError):
    """The hidden answers field is not what the pages wrote (tampered, truncated, from another version)."""


@dataclass(frozen=True)
class Topic:
    key: str
    label: str
    hint: str
    benefits: tuple[str, ...] = ()
    local: bool = False  # every local aid of the catalogue

    def codes(self) -> list[str]:
        return [*self.benefits, *([aid.id for aid in catalogue()] if self.local else [])]


TOPICS: tuple[Topic, ...] = (
    Topic(
        "minima",
        gettext_lazy("RSA, prime d’activité"),
        gettext_lazy(
            "Revenu de solidarité active, prime d’activité, allocation de solidarité spécifique (fin de chômage)"
        ),
        ("rsa", "prime_activite", "ass"),
    ),
    Topic(
        "logement",
        gettext_lazy("Aides au logement"),
        gettext_lazy("APL, ALF, ALS, réduction de loyer de solidarité en HLM"),
        ("apl", "alf", "als", "reduction_loyer_solidarite"),
    ),
    Topic(
        "famille",
        gettext_lazy("Famille et enfants"),
        gettext_lazy("Allocations familiales, complément familial, soutien familial, naissance et jeune enfant"),
        ("allocations_familiales", "complement_familial", "asf", "paje_base", "paje_naissance"),
    ),
    Topic(
        "handicap",
        gettext_lazy("Handicap, invalidité"),
        gettext_lazy("Allocation aux adultes handicapés (AAH), allocation supplémentaire d’invalidité"),
        ("aah", "majoration_vie_autonome", "asi"),
    ),
    Topic(
        "retraite",
        gettext_lazy("Retraite"),
        gettext_lazy("Minimum vieillesse (ASPA) à partir de 65 ans"),
        ("aspa",),
    ),
    Topic(
        "sante",
        gettext_lazy("Santé"),
        gettext_lazy("Complémentaire santé solidaire (CSS), gratuite ou à moins d’un euro par jour"),
        ("css",),
    ),
    Topic(
        "energie", gettext_lazy("Énergie"), gettext_lazy("Chèque énergie pour payer les factures"), ("cheque_energie",)
    ),
    Topic(
        "bourses",
        gettext_lazy("Bourses de collège et de lycée"),
        gettext_lazy("Pour les enfants au collège ou au lycée"),
        ("bourse_college", "bourse_lycee"),
    ),
    Topic(
        "locales",
        gettext_lazy("Aides de la Métropole et de la région"),
        gettext_lazy("Revenu solidarité jeunes, transports à tarif social, fonds de solidarité logement…"),
        local=True,
    ),
)
TOPIC_KEYS = {t.key: t for t in TOPICS}
ALL = "tout"

# Groups the answers may make pointless (the group is then skipped and keeps the schema's defaults).
_NEEDS_CHILDREN = {"scolarite"}
_NEEDS_RENT = {"loyer"}

# Why each group is asked, in plain words (shown under the step's title).
WHY = {
    "commune": gettext_lazy(
        "Les aides locales dépendent de la commune, et nous cherchons les lieux qui aident près de chez vous. "
        "Votre adresse n’est pas demandée."
    ),
    "composition": gettext_lazy(
        "Les aides se calculent pour tout le foyer : la personne qui demande, son conjoint ou sa conjointe, "
        "les enfants à charge. Un autre adulte qui vit avec vous (colocataire, parent) compte à part."
    ),
    "ages": gettext_lazy(
        "Beaucoup d’aides ont des conditions d’âge (25 ans pour le RSA, 3 ans ou 20 ans pour les enfants…). "
        "Une date de naissance est plus précise qu’un âge."
    ),
    "logement": gettext_lazy("Les aides au logement et le RSA dépendent de votre façon d’être logé."),
    "loyer": gettext_lazy("Les aides au logement sont calculées à partir du loyer, sans les charges."),
    "situation_pro": gettext_lazy(
        "Certaines aides sont réservées, ou fermées, aux personnes qui travaillent, étudient ou cherchent un emploi."
    ),
    "scolarite": gettext_lazy("Les bourses et certaines aides dépendent de la classe de chaque enfant."),
    "handicap": gettext_lazy(
        "L’AAH et d’autres aides demandent un taux d’incapacité reconnu par la MDPH ou une invalidité."
    ),
    "grossesse": gettext_lazy("Une naissance prochaine ouvre droit à la prime à la naissance et compte pour le RSA."),
    "nationalite_sejour": gettext_lazy(
        "Pour les personnes étrangères hors Union européenne, le RSA et d’autres aides demandent "
        "quelques années de titre de séjour."
    ),
    "revenus_activite": gettext_lazy(
        "Les aides regardent les revenus des derniers mois : indiquez ce qui est versé chaque mois, en net."
    ),
    "revenus_remplacement": gettext_lazy(
        "L’allocation chômage, les indemnités journalières et une pension d’invalidité comptent comme ressources."
    ),
    "pensions_retraite": gettext_lazy("Les pensions de retraite comptent comme ressources, en net, par mois."),
    "pension_alimentaire": gettext_lazy(
        "Une pension alimentaire reçue compte comme ressource ; sans pension, l’allocation de soutien familial "
        "peut être due à un parent seul."
    ),
    "patrimoine_epargne": gettext_lazy(
        "Certaines aides tiennent compte de l’épargne (livrets) et des loyers que vous percevez."
    ),
    "prestations_percues": gettext_lazy(
        "Une aide que vous recevez déjà n’est pas à redemander, et elle compte dans le calcul des autres."
    ),
    "annee_fiscale": gettext_lazy(
        "Les allocations familiales, le chèque énergie et les bourses regardent les revenus d’il y a deux ans "
        "(ceux de votre dernière déclaration)."
    ),
}


# --- what the person asks for -------------------------------------------------------------------


def chosen_topics(answers: dict) -> list[str]:
    keys = [k for k in answers.get("aides") or [] if k == ALL or k in TOPIC_KEYS]
    return [ALL] if ALL in keys or not keys else keys


def requested_codes(answers: dict) -> list[str]:
    """The benefit codes and local aid ids the person asked about (every one for « tout »)."""
    topics = chosen_topics(answers)
    if topics == [ALL]:
        codes = questions.all_codes()
    else:
        seen, codes = set(), []
        for key in topics:
            for code in TOPIC_KEYS[key].codes():
                if code not in seen:
                    seen.add(code)
                    codes.append(code)
    here = {aid.id for aid in catalogue() if aid_may_apply_here(aid, answers)}
    local = {aid.id for aid in catalogue()}
    return [c for c in codes if c not in local or c in here]


def set_place(answers: dict, departement: str | None, epci: str | None) -> None:
    """Remember where the commune is (département, EPCI) so that only the local aids of the place are asked."""
    answers["lieu"] = {k: v for k, v in (("departement", departement), ("epci", epci)) if v}


def aid_may_apply_here(aid, answers: dict) -> bool:
    """False when the commune is known and outside the aid's zone; an unknown EPCI keeps EPCI aids."""
    commune = (answers.get("menage") or {}).get("commune")
    if not commune:
        return True
    lieu = answers.get("lieu") or {}
    departement = lieu.get("departement") or (commune[:3] if commune.startswith("97") else commune[:2])
    zone = aid.zone
    if commune in (zone.get("communes") or []) or departement in (zone.get("departements") or []):
        return True
    if zone.get("epci"):
        return lieu.get("epci") in zone["epci"] if lieu.get("epci") else True
    return False


# --- steps --------------------------------------------------------------------------------------


def people(answers: dict) -> list[dict]:
    return answers.get("menage", {}).get("personnes") or []


def has_children(answers: dict) -> bool:
    return any(p.get("role") == ROLE_ENFANT for p in people(answers))


def pays_rent(answers: dict) -> bool:
    statut = (answers.get("menage", {}).get("logement") or {}).get("statut") or "locataire"
    return statut in RENTING


def _known_ages(answers: dict, roles) -> list[int | None]:
    import datetime as dt

    out = []
    today = dt.date.today()
    for p in people(answers):
        if p.get("role") not in roles:
            continue
        if isinstance(p.get("age"), int):
            out.append(p["age"])
        elif isinstance(p.get("date_naissance"), str) and len(p["date_naissance"]) >= 7:
            try:
                out.append(today.year - int(p["date_naissance"][:4]))
            except ValueError:
                out.append(None)
        else:
            out.append(None)
    return out


def replacement_incomes(p: dict) -> list[str]:
    """The replacement incomes worth asking of one adult, from their situation and disability answer."""
    situation = p.get("situation")
    kinds = []
    if situation in (None, "chomeur"):
        kinds.append("chomage_net")
    if situation in (None, "inactif"):
        kinds.append("indemnites_journalieres")
    if situation is None or declares_disability(p):
        kinds.append("pension_invalidite")
    return kinds


def activity_incomes(p: dict) -> list[str]:
    """The activity incomes worth asking of one adult: a wage unless retired, pupil or without activity;
    a micro-enterprise turnover for the self-employed."""
    situation = p.get("situation")
    kinds = []
    if situation in (None, "salarie", "chomeur", "etudiant"):
        kinds.append("salaire_net")
    if situation in (None, "independant"):
        kinds.append("chiffre_affaires")
    return kinds


_FAMILY_CODES = frozenset(
    {"allocations_familiales", "complement_familial", "asf", "paje_base", "bourse_college", "bourse_lycee"}
)
_HOUSING_CODES = frozenset({"apl", "alf", "als", "reduction_loyer_solidarite"})


def could_receive(code: str, answers: dict) -> bool:
    """False when the answers exclude that the household already receives this benefit (not asked then)."""
    ages = _known_ages(answers, ADULT_ROLES)
    if code in _FAMILY_CODES:
        return has_children(answers)
    if code == "paje_naissance":
        return has_children(answers) or _any_adult(answers, lambda p: bool(p.get("enceinte")))
    if code in _HOUSING_CODES:
        return pays_rent(answers)
    if code == "aspa":
        return not ages or any(a is None or a >= 60 for a in ages)
    if code in ("aah", "majoration_vie_autonome", "asi"):
        return "situation_pro" not in done(answers) or _any_adult(answers, declares_disability)
    if code == "ass":
        return "situation_pro" not in done(answers) or _any_adult(answers, lambda p: p.get("situation") == "chomeur")
    return True


def declares_disability(p: dict) -> bool:
    """The adult said a disability or an invalidity is recognised (or answered the disability step)."""
    return bool(p.get(GATE_DISABILITY)) or any(
        p.get(k) for k in ("taux_incapacite", "restriction_emploi", "invalidite", "inapte_travail")
    )


def _any_adult(answers: dict, wanted) -> bool:
    return any(wanted(p) for p in adults(answers))


def _per_person(group: str, answers: dict) -> bool | None:
    """For the groups whose need is answered on the situation step: None until it is answered."""
    if "situation_pro" not in done(answers):
        return None
    if group == "handicap":
        return _any_adult(answers, declares_disability)
    if group == "grossesse":
        return _any_adult(answers, lambda p: bool(p.get("enceinte")))
    if group == "nationalite_sejour":
        return _any_adult(answers, lambda p: p.get("nationalite") == "hors_ue")
    if group == "revenus_activite":
        return _any_adult(answers, lambda p: bool(activity_incomes(p)))
    if group == "revenus_remplacement":
        return _any_adult(answers, lambda p: bool(replacement_incomes(p)) or p.get("situation") == "etudiant")
    return None


def applicable(group: str, answers: dict) -> bool:
    """False when the answers already make the group pointless (its fields keep their defaults)."""
    known = _per_person(group, answers)
    if known is not None:
        return known
    if group in _NEEDS_CHILDREN:
        return has_children(answers)
    if group in _NEEDS_RENT:
        return pays_rent(answers)
    if group == "pensions_retraite" and "situation_pro" in done(answers):
        # no retired adult and every adult under 55: nobody receives a retirement pension
        retired = any(p.get("situation") == "retraite" for p in adults(answers))
        ages = _known_ages(answers, ADULT_ROLES)
        return retired or not ages or any(a is None or a >= 55 for a in ages)
    if group == "grossesse":
        ages = _known_ages(answers, (ROLE_DEMANDEUR, ROLE_CONJOINT))
        return not ages or any(a is None or a < 55 for a in ages)
    return True


# A group asked on the screen of another (its host) when both are asked: fewer screens, same questions.
FOLDS = {"loyer": "logement", "scolarite": "ages", "pension_alimentaire": "patrimoine_epargne"}


def _asked(answers: dict) -> list[str]:
    return [g for g in questions.groups_for(requested_codes(answers)) if applicable(g, answers)]


def groups(answers: dict) -> list[str]:
    """The question groups with a screen of their own, in order, for what was requested and answered so far."""
    asked = _asked(answers)
    return [g for g in asked if FOLDS.get(g) not in asked]


def guests(host: str, answers: dict) -> list[str]:
    """The groups asked on the screen of `host` (FOLDS)."""
    asked = _asked(answers)
    return [g for g in asked if FOLDS.get(g) == host and host in asked]


def screen_of(group: str, answers: dict) -> str:
    """The step (screen) where the questions of `group` are asked."""
    host = FOLDS.get(group)
    return host if host and group in guests(host, answers) else group


def steps(answers: dict) -> list[str]:
    return [START, *groups(answers), RECAP]


def is_step(name: str) -> bool:
    return name in (START, RECAP) or name in questions.QUESTION_GROUPS


def done(answers: dict) -> list[str]:
    return list(answers.get("faites") or [])


def mark_done(answers: dict, step: str) -> dict:
    """The step, and the groups asked on its screen, are answered."""
    for name in [step, *(guests(step, answers) if step in questions.QUESTION_GROUPS else [])]:
        if name not in done(answers):
            answers["faites"] = [*done(answers), name]
    return answers


def is_answered(answers: dict, step: str) -> bool:
    """The step and every group asked on its screen were answered."""
    finished = set(done(answers))
    guests_of = guests(step, answers) if step in questions.QUESTION_GROUPS else []
    return step in finished and all(g in finished for g in guests_of)


def missing(answers: dict) -> list[str]:
    """The steps (screens) not answered yet, in order."""
    return [s for s in steps(answers) if s != RECAP and not is_answered(answers, s)]


def first_missing(answers: dict) -> str:
    """The first step not answered yet, or the recap when all are."""
    return next(iter(missing(answers)), RECAP)


def next_step(answers: dict, current: str, *, editing: bool = False) -> str:
    """After `current` was answered: the following step; when correcting from the recap, back to the
    recap unless the correction opened a step never answered (e.g. children added: their schooling)."""
    if editing:
        return first_missing(answers)
    order = steps(answers)
    if current not in order:
        return first_missing(answers)
    return order[min(order.index(current) + 1, len(order) - 1)]


def previous_step(answers: dict, current: str) -> str:
    order = steps(answers)
    if current not in order:
        return START
    return order[max(order.index(current) - 1, 0)]


def position(answers: dict, current: str) -> tuple[int, int]:
    """(number of this step, number of steps), the recap included, the choice of aids excluded."""
    order = steps(answers)[1:]
    if current not in order:
        return (0, len(order))
    return (order.index(current) + 1, len(order))


def label(step: str) -> str:
    if step == START:
        return _("Les aides à vérifier")
    if step == RECAP:
        return _("Vérifier vos réponses")
    return questions.label(step)


# --- the answers in a hidden field --------------------------------------------------------------


def empty() -> dict:
    return {"v": VERSION, "aides": [], "faites": [], "menage": {"personnes": [{"id": "vous", "role": ROLE_DEMANDEUR}]}}


def encode(answers: dict) -> str:
    return json.dumps(answers, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def decode(text: str | None) -> dict:
    """The answers posted back; empty ones when nothing was posted. AnswersError when unreadable."""
    if not text:
        return empty()
    if len(text) > MAX_ANSWERS_CHARS:
        raise AnswersError(_("Les réponses envoyées sont trop longues."))
    try:
        data = json.loads(text)
    except ValueError:
        raise AnswersError(_("Les réponses envoyées sont illisibles.")) from None
    if not isinstance(data, dict) or data.get("v") != VERSION:
        raise AnswersError(_("Les réponses envoyées viennent d’une autre version du questionnaire."))
    menage = data.get("menage")
    if not isinstance(menage, dict) or not isinstance(menage.get("personnes", []), list):
        raise AnswersError(_("Les réponses envoyées sont incomplètes."))
    if not all(isinstance(p, dict) and isinstance(p.get("id"), str) for p in menage.get("personnes", [])):
        raise AnswersError(_("Les réponses envoyées sont incomplètes."))
    answers = empty()
    answers["aides"] = [str(k) for k in data.get("aides") or [] if isinstance(k, str)][:20]
    answers["faites"] = [str(s) for s in data.get("faites") or [] if isinstance(s, str) and is_step(s)]
    answers["menage"] = menage
    if not menage.get("personnes"):
        menage["personnes"] = empty()["menage"]["personnes"]
    if isinstance(data.get("commune_nom"), str):
        answers["commune_nom"] = data["commune_nom"][:100]
    if isinstance(data.get("lieu"), dict):
        lieu = data["lieu"]
        set_place(answers, str(lieu.get("departement") or "")[:3] or None, str(lieu.get("epci") or "")[:9] or None)
    return answers


def to_household(answers: dict) -> dict:
    """The household JSON for the engine: the answers' `menage`, without empty values."""
    menage = copy.deepcopy(answers.get("menage") or {})
    if menage.get("couple") == SINGLE:
        menage.pop("couple")
    for p in menage.get("personnes") or []:
        if isinstance(p, dict):
            p.pop(GATE_DISABILITY, None)
    return _without_empty(menage)


def _without_empty(value):
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = _without_empty(item)
            if item is None or item == {} or (item == [] and key != "personnes"):
                continue
            out[key] = item
        return out
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    return value


# --- people -------------------------------------------------------------------------------------


def person(answers: dict, person_id: str) -> dict | None:
    return next((p for p in people(answers) if p.get("id") == person_id), None)


def adults(answers: dict) -> list[dict]:
    return [p for p in people(answers) if p.get("role") in ADULT_ROLES]


def children(answers: dict) -> list[dict]:
    return [p for p in people(answers) if p.get("role") == ROLE_ENFANT]


def _new_id(answers: dict, role: str) -> str:
    if role == ROLE_CONJOINT:
        return "conjoint"
    prefix = "enfant" if role == ROLE_ENFANT else "adulte"
    taken = {p.get("id") for p in people(answers)}
    n = 1
    while f"{prefix}-{n}" in taken:
        n += 1
    return f"{prefix}-{n}"


def add_person(answers: dict, role: str) -> dict:
    """A new member of the household (a conjoint only once); returns it."""
    if role == ROLE_CONJOINT:
        found = next((p for p in people(answers) if p.get("role") == ROLE_CONJOINT), None)
        if found:
            return found
    new = {"id": _new_id(answers, role), "role": role}
    menage = answers.setdefault("menage", {})
    menage.setdefault("personnes", []).append(new)
    return new


def remove_person(answers: dict, person_id: str) -> bool:
    """Remove a member (never the person who asks); their answers go with them."""
    menage = answers.setdefault("menage", {})
    before = menage.get("personnes") or []
    kept = [p for p in before if p.get("id") != person_id or p.get("role") == ROLE_DEMANDEUR]
    menage["personnes"] = kept
    if not any(p.get("role") == ROLE_CONJOINT for p in kept) and menage.get("couple") not in (None, SINGLE):
        menage["couple"] = SINGLE
    return len(kept) != len(before)


def person_label(answers: dict, p: dict) -> str:
    """« Vous », « Votre conjoint ou conjointe », « Enfant 1 », « Autre adulte 2 »."""
    role = p.get("role")
    if role == ROLE_DEMANDEUR:
        return _("Vous")
    if role == ROLE_CONJOINT:
        return _("Votre conjoint ou conjointe")
    same = [q for q in people(answers) if q.get("role") == role]
    n = same.index(p) + 1 if p in same else len(same) + 1
    if role == ROLE_ENFANT:
        return _("Enfant %(n)s") % {"n": n}
    return _("Autre adulte %(n)s") % {"n": n}


def labels(answers: dict) -> dict[str, str]:
    return {p["id"]: person_label(answers, p) for p in people(answers)}


# --- problems of parse_household -> where to show them ---------------------------------------------


def _group_of_path(path: str) -> str | None:
    best, length = None, -1
    for group, paths in questions.FIELDS.items():
        for prefix in paths:
            if (path == prefix or path.startswith(prefix + ".")) and len(prefix) > length:
                best, length = group, len(prefix)
    return best


def problem_place(problem: dict) -> tuple[str, str]:
    """(step, form field name) where a problem of parse_household is shown; field "" for the whole step.

    Person fields are named "<person id>__<field>": "vous__age", "enfant-1__scolarite",
    "vous__salaire_net", "vous__salaire_net_depuis", "vous__annuel_salaire_net"; household fields by
    their last part: "commune", "loyer", "statut", "epargne", "couple"; prestations_percues by code.
    """
    champ = (problem.get("champ") or "").strip(".")
    who = problem.get("personne")
    parts = [p for p in champ.split(".") if p and not p.isdigit()]
    if who:
        if not parts:  # the person as a whole: the only such rule is « an age or a birth date »
            return "ages", f"{who}{SEP}age"
        group = _group_of_path("personnes[]." + ".".join(parts))
        if parts[0] == "revenus" and len(parts) >= 2:
            name = parts[1]
            if len(parts) >= 3 and parts[2] in ("depuis", "jusqu_a"):
                name = f"{name}_{parts[2]}"
            return group or "revenus_activite", f"{who}{SEP}{name}"
        if parts[0] == "revenus_annuels":
            leaf = parts[1] if len(parts) >= 2 else ""
            return "annee_fiscale", f"{who}{SEP}annuel_{leaf}" if leaf else ""
        if parts[0] in ("role", "id"):
            return "composition", ""
        return group or "composition", f"{who}{SEP}{parts[0]}"
    if not parts or parts[0] == "personnes":
        return "composition", ""
    group = _group_of_path(".".join(parts)) or "commune"
    if parts[0] == "prestations_percues":
        return group, parts[1] if len(parts) >= 2 else ""
    return group, parts[-1]


def short_message(problem: dict) -> str:
    """The problem's message without the « personne « x » (n° 2), champ y : » prefix the page shows
    otherwise (with the person's label and the field's label)."""
    message = problem.get("message") or ""
    head, sep, tail = message.partition(" : ")
    if sep and (problem.get("personne") or problem.get("champ")) and len(head) < 120:
        return tail[:1].upper() + tail[1:]
    return message


# --- invented examples (demo pages, tests) --------------------------------------------------------

EXAMPLES = {
    "famille": {
        "aides": [ALL],
        "commune_nom": "Lyon 3e Arrondissement",
        "menage": {
            "commune": "69383",
            "logement": {"statut": "locataire", "loyer": 620.0},
            "personnes": [
                {"id": "vous", "role": ROLE_DEMANDEUR, "date_naissance": "1990-04-15", "situation": "salarie",
                 "revenus": {"salaire_net": 1150.0, "pension_alimentaire_recue": 150.0}},
                {"id": "enfant-1", "role": ROLE_ENFANT, "date_naissance": "2014-09-02", "scolarite": "college"},
                {"id": "enfant-2", "role": ROLE_ENFANT, "age": 7, "scolarite": "primaire"},
            ],
        },
    },
    "jeune": {
        "aides": ["minima", "logement", "locales"],
        "commune_nom": "Villeurbanne",
        "menage": {
            "commune": "69266",
            "logement": {"statut": "locataire_meuble", "loyer": 430.0, "colocation": True},
            "personnes": [{"id": "vous", "role": ROLE_DEMANDEUR, "age": 22, "situation": "chomeur"}],
        },
    },
}  # fmt: skip


def example(key: str) -> dict | None:
    """An invented household with every step answered (for the demo links and the page tests)."""
    if key not in EXAMPLES:
        return None
    answers = {**empty(), **copy.deepcopy(EXAMPLES[key])}
    for step in steps(answers):
        if step != RECAP:
            mark_done(answers, step)
    return answers


def mark_all_answered(answers: dict) -> dict:
    """Every step of the path, and every question group asked on its screens, marked answered (a household
    given whole, as the API or a test gives it, goes straight to the results)."""
    for _round in range(len(steps(answers)) + 1):  # a step marked answered may open others
        left = missing(answers)
        if not left:
            break
        groups = [g for step in left for g in guests(step, answers)]
        answers["faites"] = list(dict.fromkeys([*done(answers), *left, *groups]))
    return answers
