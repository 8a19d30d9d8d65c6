"""Top-3 relevance over situations: the share of cases whose first three results hold a relevant service.

Written from everyday situations (what people say to a social worker or type on a phone), in French and
English, in Lyon and Metz: not from the offer they are run against. Each case names what would be relevant
as thématique prefixes (a sub-thématique, or a whole catégorie ending with "--"); a result is relevant when
it meets one of them, is not excluded, and is not reserved to a public the person did not state (an unknown
profile is not a matching one). The quality cases of test_quality_cases.py count too: relevant when one of
their expected `first` services is in the top 3.

Used by test_relevance_cases.py (in `make test`) and bench/bench_relevance.py (prints the figure recorded in
docs/performance.md).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import translation

from relais.matching.engine import search
from relais.matching.types import Needs, Place, Profile, Result, Status

FOOD = "equipement-et-alimentation--alimentation"
CLOTHES = "equipement-et-alimentation--habillement"
SHELTER = "logement-hebergement--rechercher-une-solution-dhebergement-temporaire"
HOUSING = "logement-hebergement--"
HEALTH = "sante--"
CARE = "sante--acces-aux-soins"
MIND = "sante--sante-mentale"
ADDICTION = "sante--addictions"
VIOLENCE = "famille--surmonter-conflits-separation-violence"
PARENTS = "famille--soutien-a-la-parentalite-et-a-leducation"
CHILDCARE = "famille--garde-denfants"
FAMILY = "famille--"
JOB = "trouver-un-emploi--"
APPLY = "preparer-sa-candidature--"
TRAINING = "se-former--"
ADMIN = "difficultes-administratives-ou-juridiques--"
RIGHTS = "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"
JUSTICE = "difficultes-administratives-ou-juridiques--prendre-en-compte-une-problematique-judiciaire"
MONEY = "difficultes-financieres--"
DEBT = "difficultes-financieres--situation-dendettement-surendettement"
FRENCH = "lecture-ecriture-calcul--"
DIGITAL = "numerique--"
MOBILITY = "mobilite--"
SOCIAL = "remobilisation--"

LYON3, LYON8, VILLEURBANNE, VENISSIEUX, METZ, WOIPPY = "69383", "69388", "69266", "69259", "57463", "57751"


@dataclass(frozen=True)
class Situation:
    words: str
    commune: str
    relevant: tuple[str, ...]
    language: str = "fr"
    situations: frozenset = frozenset()


def _s(words, commune, *relevant, language="fr", situations=()):
    return Situation(words, commune, relevant, language, frozenset(situations))


SITUATIONS = [
    # ---- food and clothes
    _s("on n'a plus rien à manger à la maison", LYON8, FOOD),
    _s("aliment", LYON3, FOOD),
    _s("colis alimentaire", METZ, FOOD),
    _s("je cherche une épicerie solidaire", VILLEURBANNE, FOOD),
    _s("restos du coeur", LYON8, FOOD),
    _s("mes enfants ont faim", VENISSIEUX, FOOD),
    _s("manger ce midi", METZ, FOOD),
    _s("banque alimentaire", WOIPPY, FOOD),
    _s("I have no food", LYON3, FOOD, language="en"),
    _s("food bank", METZ, FOOD, language="en"),
    _s("hungry", LYON8, FOOD, language="en"),
    _s("des vêtements chauds pour l'hiver", LYON3, CLOTHES),
    _s("vestiaire", METZ, CLOTHES),
    _s("clothes for my baby", LYON8, CLOTHES, language="en"),
    # ---- shelter and housing
    _s("je dors dans la rue", LYON8, SHELTER),
    _s("je dors dans la rue", METZ, SHELTER),
    _s("je dors dans ma voiture", VILLEURBANNE, SHELTER),
    _s("mon propriétaire me met dehors", LYON3, HOUSING),
    _s("on va être expulsés", VENISSIEUX, HOUSING),
    _s("je ne peux plus payer mon loyer", LYON8, HOUSING, MONEY),
    _s("impayés de loyer", METZ, HOUSING, MONEY),
    _s("je cherche un logement social", VILLEURBANNE, HOUSING),
    _s("hébergement d'urgence ce soir", METZ, SHELTER),
    _s("nowhere to sleep tonight", LYON3, SHELTER, language="en"),
    _s("I am homeless", METZ, SHELTER, language="en"),
    _s("eviction", LYON8, HOUSING, language="en"),
    _s("my landlord wants me out", VILLEURBANNE, HOUSING, language="en"),
    _s("rent arrears", LYON3, HOUSING, MONEY, language="en"),
    # ---- health
    _s("dentiste sans mutuelle", METZ, CARE, RIGHTS),
    _s("dentiste sans mutuelle", LYON8, CARE, RIGHTS),
    _s("je n'ai pas de médecin", LYON3, CARE),
    _s("voir un médecin sans carte vitale", VILLEURBANNE, CARE, RIGHTS),
    _s("je suis déprimé", LYON8, MIND),
    _s("je n'arrive plus à dormir, j'angoisse", METZ, MIND),
    _s("je bois trop", LYON3, ADDICTION),
    _s("arrêter la drogue", METZ, ADDICTION, HEALTH),
    _s("dépistage IST", LYON8, HEALTH),
    _s("dossier MDPH pour mon fils handicapé", VENISSIEUX, HEALTH, RIGHTS),
    _s("I need a doctor", LYON3, CARE, language="en"),
    _s("depression", METZ, MIND, language="en"),
    _s("drinking problem", LYON8, ADDICTION, language="en"),
    _s("toothache no insurance", METZ, CARE, RIGHTS, language="en"),
    # ---- violence and family
    _s("mon mari me frappe", LYON8, VIOLENCE),
    _s("mon mari me frappe", METZ, VIOLENCE),
    _s("violences conjugales", VILLEURBANNE, VIOLENCE),
    _s("mon copain me menace", WOIPPY, VIOLENCE),
    _s("je veux divorcer", LYON3, FAMILY, JUSTICE),
    _s("mon fils ne va plus à l'école", LYON8, PARENTS),
    _s("mon ado fugue", METZ, PARENTS),
    _s("faire garder mon bébé", LYON3, CHILDCARE),
    _s("je m'occupe de ma mère malade", VILLEURBANNE, FAMILY),
    _s("my partner hits me", LYON3, VIOLENCE, language="en"),
    _s("domestic violence", METZ, VIOLENCE, language="en"),
    _s("childcare", LYON8, CHILDCARE, language="en"),
    _s("parenting support", VILLEURBANNE, PARENTS, language="en"),
    # ---- work and training
    _s("trouver un travail", LYON8, JOB, APPLY),
    _s("trouver un travail", METZ, JOB, APPLY),
    _s("faire mon CV", LYON3, APPLY),
    _s("préparer un entretien d'embauche", METZ, JOB, APPLY),
    _s("je cherche une formation", LYON8, TRAINING),
    _s("je cherche une formation", METZ, TRAINING),
    _s("je suis au RSA et je cherche du travail", LYON8, JOB, APPLY, situations=("rsa",)),
    _s("créer mon entreprise", LYON3, "creer-une-entreprise--"),
    _s("job search", LYON3, JOB, APPLY, language="en"),
    _s("write a CV", METZ, APPLY, language="en"),
    _s("job interview", LYON8, JOB, APPLY, language="en"),
    _s("training course", VILLEURBANNE, TRAINING, language="en"),
    # ---- papers, rights, money
    _s("j'ai reçu une lettre de la CAF que je ne comprends pas", LYON8, ADMIN),
    _s("faire mes papiers", METZ, ADMIN),
    _s("titre de séjour", LYON3, ADMIN),
    _s("aide pour remplir un dossier", VILLEURBANNE, ADMIN),
    _s("j'ai des dettes partout", LYON8, MONEY),
    _s("surendettement", METZ, MONEY),
    _s("gérer mon budget", LYON3, MONEY),
    _s("j'ai eu une convocation au tribunal", METZ, JUSTICE, ADMIN),
    _s("sortie de prison", LYON8, JUSTICE, ADMIN),
    _s("mes droits", VENISSIEUX, RIGHTS, ADMIN),
    _s("help with paperwork", LYON3, ADMIN, language="en"),
    _s("debt advice", METZ, MONEY, language="en"),
    _s("residence permit", LYON8, ADMIN, language="en"),
    _s("benefits", VILLEURBANNE, RIGHTS, ADMIN, language="en"),
    # ---- language, digital, mobility, isolation
    _s("apprendre le français", LYON8, FRENCH),
    _s("apprendre le français", METZ, FRENCH),
    _s("je ne sais pas lire", LYON3, FRENCH),
    _s("je ne sais pas utiliser internet", VILLEURBANNE, DIGITAL),
    _s("faire mes démarches en ligne", METZ, DIGITAL, ADMIN),
    _s("passer le permis", LYON8, MOBILITY),
    _s("passer le permis", METZ, MOBILITY),
    _s("réparer ma voiture", VENISSIEUX, MOBILITY),
    _s("je me sens seul", LYON3, SOCIAL),
    _s("je me sens seule", METZ, SOCIAL),
    _s("learn French", LYON3, FRENCH, language="en"),
    _s("French classes", METZ, FRENCH, language="en"),
    _s("computer help", LYON8, DIGITAL, language="en"),
    _s("driving licence", METZ, MOBILITY, language="en"),
    _s("lonely", VILLEURBANNE, SOCIAL, language="en"),
]


def relevant(result: Result, situation: Situation) -> bool:
    """The result meets one of the case's needs, is not excluded and not reserved to a public not stated."""
    if result.status == Status.EXCLUDED or any(r.code == "publics_unknown" for r in result.to_check):
        return False
    return any(t.startswith(prefix) for t in result.service.thematiques for prefix in situation.relevant)


def run_situation(index, situation: Situation, now):
    with translation.override(situation.language):
        return search(
            index,
            Place(commune=situation.commune),
            Needs(text=situation.words),
            Profile(situations=situation.situations),
            now=now,
            limit=3,
        )


def situation_hit(index, situation: Situation, now) -> bool:
    response = run_situation(index, situation, now)
    return response.ok and any(relevant(r, situation) for r in response.results[:3])


def case_hit(index, case) -> bool | None:
    """A quality case: one of its expected first services in the top 3 (None when it expects none)."""
    if not case.first:
        return None
    with translation.override(case.language):
        response = search(index, case.place, case.needs, case.profile, case.constraints, case.now, limit=3)
    found = {r.service.id for r in response.results[:3]}
    return any(service_id in found for service_id in case.first)


def measure(index, cases, now) -> tuple[int, int, list[str]]:
    """(hits, cases measured, what missed) over the situations and the quality cases."""
    hits, total, missed = 0, 0, []
    for situation in SITUATIONS:
        total += 1
        if situation_hit(index, situation, now):
            hits += 1
        else:
            missed.append(f"{situation.words} ({situation.commune}, {situation.language})")
    for case in cases:
        hit = case_hit(index, case)
        if hit is None:
            continue
        total += 1
        hits += hit
        if not hit:
            missed.append(case.name)
    return hits, total, missed
