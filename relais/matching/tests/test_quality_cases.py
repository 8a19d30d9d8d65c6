"""Quality: realistic situations over the hand-written offer of Lyon and Metz (tests/world.py).

Each case says what a social worker would expect: the services that must come first, and those that
must not appear at all (outside the person's zone, reserved to publics the person is known not to be
in, or against the person's constraints).
"""

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.utils import translation

from relais.matching.engine import search
from relais.matching.tests.world import NOW, world_index
from relais.matching.types import Constraints, Needs, Place, Profile, Status
from relais.offer.hours import PARIS


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


@dataclass
class Case:
    name: str
    place: Place
    needs: Needs
    profile: Profile = field(default_factory=Profile)
    constraints: Constraints = field(default_factory=Constraints)
    first: tuple[str, ...] = ()  # these, in any order, fill the top len(first) places...
    within: int = 0  # ...or, when set, all appear within the top `within`
    absent: tuple[str, ...] = ()
    statuses: dict = field(default_factory=dict)  # service id -> expected status
    now: dt.datetime = NOW
    urgent: bool | None = None
    language: str = "fr"  # the page's language: its lexicon reads the words first


def text(words: str) -> Needs:
    return Needs(text=words)


def at(code: str) -> Place:
    return Place(commune=code)


def who(**kw) -> Profile:
    situations = frozenset(kw.pop("situations", ()))
    return Profile(situations=situations, **kw)


CASES = [
    # ---- food
    Case(
        "homeless man wants to eat in Lyon 3e: the social restaurant comes among the first two",
        at("69383"),
        text("manger"),
        who(age=35, gender="homme", situations={"homeless"}, situations_complete=True),
        first=("lyon-restaurant-bon-repas",),
        within=2,
        absent=("lyon-epicerie-etudiante", "villeurbanne-banque-alimentaire", "miribel-epicerie"),
    ),
    Case(
        "'manger ce soir' at 10:00: the evening meal comes first, the lunchtime restaurant after it",
        at("69383"),
        text("manger ce soir"),
        who(age=35, gender="homme", situations={"homeless"}, situations_complete=True),
        first=("lyon-repas-du-soir",),
        absent=("lyon-epicerie-etudiante", "villeurbanne-banque-alimentaire", "miribel-epicerie"),
    ),
    Case(
        "'aujourd'hui' at 20:00: only the evening meal is still open today",
        at("69383"),
        text("à manger aujourd'hui"),
        first=("lyon-repas-du-soir",),
        now=dt.datetime(2026, 3, 4, 20, 0, tzinfo=PARIS),
    ),
    Case(
        "English page, 'I need food tonight': the evening meal first",
        at("69383"),
        text("I need food tonight"),
        first=("lyon-repas-du-soir",),
        language="en",
    ),
    Case(
        "English page, 'I have to leave my home': housing advice and eviction prevention first",
        at("69383"),
        text("I have to leave my home"),
        who(age=22, gender="femme"),
        first=("rhone-adil", "lyon-prevention-expulsions"),
        language="en",
    ),
    Case(
        "food aid in Villeurbanne: Villeurbanne's own food bank, not Lyon-only services",
        at("69266"),
        text("aide alimentaire"),
        who(age=45),
        first=("villeurbanne-banque-alimentaire",),
        absent=("lyon-restaurant-bon-repas", "lyon-epicerie-etudiante", "venissieux-ccas"),
    ),
    Case(
        "a student in Lyon 7e gets the student grocery first",
        at("69387"),
        text("épicerie solidaire"),
        who(age=21, situations={"student"}),
        first=("lyon-epicerie-etudiante",),
    ),
    Case(
        "food parcels in Vénissieux: the CCAS of Vénissieux, never the Ain grocery next door",
        at("69259"),
        text("colis alimentaire"),
        first=("venissieux-ccas",),
        absent=("miribel-epicerie", "villefranche-epicerie", "metz-epicerie-borny"),
    ),
    Case(
        "food in Metz: Metz services only, the Thionville grocery is out of zone",
        at("57463"),
        text("manger"),
        first=("metz-epicerie-borny", "moselle-restos"),
        absent=("thionville-epicerie", "lyon-epicerie-passerelle", "villeurbanne-banque-alimentaire"),
    ),
    Case(
        "food in Woippy: the Borny grocery serves Metz only",
        at("57751"),
        text("nourriture"),
        first=("moselle-restos",),
        absent=("metz-epicerie-borny",),
    ),
    Case(
        "a grocery closed for works does not come first even next door",
        at("69383"),
        text("aide alimentaire"),
        who(age=40, situations={"homeless"}),
        within=3,
        first=("lyon-restaurant-bon-repas",),
        statuses={"lyon-epicerie-fermee": Status.ELIGIBLE},
    ),
    Case(
        "open now at 10:00: the social restaurant (opens 11:30) and the closed grocery are left out",
        at("69383"),
        text("manger"),
        who(age=40),
        Constraints(open_now=True),
        absent=("lyon-restaurant-bon-repas", "lyon-epicerie-fermee"),
        first=("lyon-epicerie-croix-rousse",),
        within=4,
    ),
    # ---- shelter and housing
    Case(
        "a young woman who must leave her home: housing advice and eviction prevention first",
        at("69383"),
        text("je dois quitter mon logement"),
        who(age=22, gender="femme"),
        first=("rhone-adil", "lyon-prevention-expulsions"),
    ),
    Case(
        "nowhere to sleep tonight in Lyon 2e: the day shelter and the 115",
        at("69382"),
        text("dormir ce soir"),
        who(age=50, situations={"homeless"}),
        first=("lyon-accueil-jour-refuge", "rhone-115"),
        urgent=True,
    ),
    Case(
        "nowhere to sleep in Metz: Metz's day shelter and Moselle's 115, nothing from Lyon",
        at("57463"),
        text("sans abri"),
        who(situations={"homeless"}),
        first=("metz-accueil-jour", "moselle-115"),
        absent=("rhone-115", "lyon-accueil-jour-refuge"),
        urgent=True,
    ),
    Case(
        "at 23:00 on a Tuesday, the 115 (24/7) comes before the closed day shelter",
        at("69382"),
        text("hébergement d'urgence"),
        who(situations={"homeless"}),
        first=("rhone-115",),
        now=dt.datetime(2026, 3, 3, 23, 0, tzinfo=PARIS),
    ),
    Case(
        "a 24-year-old looking for housing is eligible to the young workers' hostel",
        at("69387"),
        text("hébergement"),
        who(age=24),
        statuses={"lyon-fjt-jeunes": Status.ELIGIBLE},
    ),
    Case(
        "a 45-year-old does not see the young workers' hostel",
        at("69387"),
        text("hébergement"),
        who(age=45),
        absent=("lyon-fjt-jeunes",),
    ),
    Case(
        "eviction notice in Lyon 1er: eviction prevention first (through a professional)",
        at("69381"),
        text("avis d'expulsion"),
        first=("lyon-prevention-expulsions",),
    ),
    Case(
        "rent arrears: eviction prevention among the first two",
        at("69383"),
        text("je ne peux plus payer mon loyer"),
        first=("lyon-prevention-expulsions",),
        within=2,
    ),
    # ---- violence, justice, rights
    Case(
        "a woman facing domestic violence in Lyon 2e: the CIDFF, then the 3919",
        at("69382"),
        text("violences conjugales"),
        who(gender="femme", situations={"violence_victim"}),
        first=("rhone-cidff", "national-violences-ecoute"),
        urgent=True,
    ),
    Case(
        "domestic violence in Lyon 3e: never family mediation, which the law rules out; the helpline and CIDFF first",
        at("69383"),
        text("violences conjugales"),
        who(gender="femme", situations={"violence_victim"}),
        first=("rhone-cidff", "national-violences-ecoute"),
        absent=("lyon-mediation-familiale",),
        statuses={"lyon-mediation-familiale": Status.EXCLUDED},
        urgent=True,
    ),
    Case(
        "a separation without violence: family mediation is offered",
        at("69383"),
        text("séparation garde des enfants"),
        who(children=2),
        first=("lyon-mediation-familiale",),
        within=3,
    ),
    Case(
        "'mon copain me frappe': violence services, nothing about drugs (copain is not cocaïne)",
        at("69382"),
        text("mon copain me frappe"),
        who(gender="femme"),
        first=("rhone-cidff", "national-violences-ecoute"),
        absent=("lyon-mediation-familiale",),
        urgent=True,
    ),
    Case(
        "'il me bat': urgent, violence services first",
        at("69382"),
        text("il me bat"),
        who(gender="femme"),
        first=("rhone-cidff", "national-violences-ecoute"),
        urgent=True,
    ),
    Case(
        "'je me sens en danger': urgent, violence services first",
        at("69382"),
        text("je me sens en danger"),
        who(gender="femme"),
        first=("rhone-cidff", "national-violences-ecoute"),
        within=3,
        urgent=True,
    ),
    Case(
        "'je dors dans ma voiture': shelter, not cars or dance classes",
        at("69382"),
        text("je dors dans ma voiture"),
        who(situations={"homeless"}),
        first=("lyon-accueil-jour-refuge", "rhone-115"),
        urgent=True,
    ),
    Case(
        "'à la rue' alone is urgent shelter",
        at("69382"),
        text("à la rue"),
        first=("lyon-accueil-jour-refuge", "rhone-115"),
        within=3,
        urgent=True,
    ),
    Case(
        "a man facing violence: services for women are left out, the justice desk remains",
        at("69382"),
        text("violences"),
        who(gender="homme"),
        absent=("rhone-cidff", "national-violences-ecoute"),
        first=("lyon-point-justice",),
        within=3,
    ),
    Case(
        "gender unknown: services for women stay, to check, never silently dropped",
        at("69382"),
        text("violences"),
        statuses={"rhone-cidff": Status.TO_CHECK, "national-violences-ecoute": Status.TO_CHECK},
    ),
    Case(
        "'my husband hits me' in Metz: Moselle's CIDFF first",
        at("57463"),
        text("mon mari me frappe"),
        who(gender="femme"),
        first=("moselle-cidff",),
        absent=("rhone-cidff",),
        urgent=True,
    ),
    Case(
        "paperwork in Lyon 3e: the Maison de la Métropole of the 3e first",
        at("69383"),
        text("papiers"),
        first=("lyon3-mdm",),
    ),
    Case(
        "CAF in Vaulx-en-Velin: France Services, not the Lyon 3e Maison de la Métropole",
        at("69256"),
        text("CAF"),
        first=("vaulx-france-services",),
        absent=("lyon3-mdm", "metz-ccas"),
    ),
    Case(
        "residence permit for an exiled person speaking Arabic: the foreigners' rights desk",
        at("69387"),
        text("titre de séjour"),
        who(situations={"exiled"}),
        Constraints(languages=("ar",)),
        first=("lyon-cimade",),
    ),
    Case(
        "residence permit, person known not to be exiled: the exiles-only desk is left out",
        at("69387"),
        text("titre de séjour"),
        who(age=30, situations={"employed"}, situations_complete=True),
        absent=("lyon-cimade",),
    ),
    # ---- money
    Case(
        "debts in Lyon 3e: the budget advice point, then the over-indebtedness help",
        at("69383"),
        text("dettes"),
        first=("lyon-point-conseil-budget", "rhone-surendettement"),
    ),
    Case(
        "a typo ('surendetement') in Metz still finds the budget advice point",
        at("57463"),
        text("surendetement"),
        first=("metz-budget",),
        absent=("lyon-point-conseil-budget", "rhone-surendettement"),
    ),
    # ---- mobility and work
    Case(
        "a job seeker wants a driving licence: the social driving school",
        at("69256"),
        text("permis de conduire"),
        who(situations={"job_seeker"}),
        first=("vaulx-auto-ecole-sociale",),
    ),
    Case(
        "driving licence, free only: the paying driving school is left out",
        at("69256"),
        text("permis"),
        who(situations={"job_seeker"}),
        Constraints(free_only=True),
        absent=("vaulx-auto-ecole-sociale",),
    ),
    Case(
        "driving licence for a 40-year-old in work (nothing else): reserved to job seekers and minima, left out",
        at("69256"),
        text("permis"),
        who(age=40, situations={"employed"}, situations_complete=True),
        absent=("vaulx-auto-ecole-sociale",),
    ),
    Case(
        "a broken-down car in Vénissieux: the solidarity garage",
        at("69259"),
        text("voiture en panne"),
        first=("venissieux-garage-solidaire",),
    ),
    Case(
        "licence in Metz for a young person: the Marly driving school",
        at("57480"),
        text("passer le permis"),
        who(age=19),
        first=("metz-auto-ecole-sociale",),
        absent=("vaulx-auto-ecole-sociale",),
    ),
    Case(
        "a 19-year-old needs a CV in Lyon 7e: the mission locale first, remote coaching too",
        at("69387"),
        text("faire mon CV"),
        who(age=19),
        first=("lyon-mission-locale",),
        statuses={"lyon-coach-emploi-distance": Status.ELIGIBLE},
    ),
    Case(
        "a 45-year-old needs a CV: the mission locale (16-25) is left out",
        at("69387"),
        text("faire mon CV"),
        who(age=45),
        first=("lyon-coach-emploi-distance",),
        absent=("lyon-mission-locale",),
    ),
    Case(
        "CV help at a distance from Metz: the remote coaching, not the on-site Maison de l'emploi",
        at("57463"),
        text("CV"),
        who(age=40),
        Constraints(mode="a-distance"),
        first=("lyon-coach-emploi-distance",),
        absent=("metz-maison-emploi",),
    ),
    Case(
        "a 20-year-old looking for work in Metz: mission locale and Maison de l'emploi",
        at("57463"),
        text("je cherche du travail"),
        who(age=20),
        first=("metz-mission-locale", "metz-maison-emploi"),
    ),
    Case(
        "working in Luxembourg, from Metz: the cross-border workers' desk",
        at("57463"),
        text("travailler au Luxembourg"),
        first=("moselle-frontaliers",),
    ),
    Case(
        "starting a business from Woippy: the national remote service is always considered",
        at("57751"),
        text("créer mon entreprise"),
        first=("national-creation-entreprise",),
    ),
    # ---- French, digital
    Case(
        "an exiled person wants to learn French in Lyon 4e: the Croix-Rousse ASL",
        at("69384"),
        text("apprendre le français"),
        who(situations={"exiled"}),
        first=("lyon-asl-croix-rousse",),
    ),
    Case(
        "French classes in Villeurbanne: Villeurbanne's classes, not Lyon-only ones",
        at("69266"),
        text("cours de français"),
        first=("villeurbanne-asl",),
        absent=("lyon-asl-croix-rousse",),
    ),
    Case(
        "learning French in Metz for a Turkish speaker: the Metz classes, Woippy's are for Woippy",
        at("57463"),
        text("apprendre le francais"),
        constraints=Constraints(languages=("tr",)),
        first=("metz-asl",),
        absent=("woippy-asl",),
    ),
    Case(
        "computer help with step-free access: the library's adviser, not the atelier with steps",
        at("69388"),
        text("apprendre l'informatique"),
        constraints=Constraints(step_free=True),
        absent=("lyon8-atelier-numerique",),
        first=("lyon9-conseiller-numerique",),
    ),
    # ---- health
    Case(
        "no doctor in Lyon 3e: the hospital's PASS",
        at("69383"),
        text("pas de médecin"),
        first=("lyon-pass-hopital",),
    ),
    Case(
        "a psychologist from Lyon 3e: the southern CMP of the sector, not the northern one",
        at("69383"),
        text("psychologue"),
        first=("lyon-cmp-sud",),
        absent=("lyon-cmp-nord",),
    ),
    Case(
        "a psychologist from 'Lyon' without arrondissement: both CMP, to check",
        at("69123"),
        text("psychologue"),
        statuses={"lyon-cmp-sud": Status.TO_CHECK, "lyon-cmp-nord": Status.TO_CHECK},
    ),
    Case(
        "a depressed 15-year-old in Lyon 2e: the Maison des adolescents",
        at("69382"),
        text("déprime"),
        who(age=15),
        first=("lyon-maison-ados",),
    ),
    Case(
        "alcohol in Lyon: the CSAPA",
        at("69383"),
        text("alcool"),
        first=("lyon-csapa",),
    ),
    Case(
        "contraception in Lyon 1er: family planning",
        at("69381"),
        text("contraception"),
        first=("rhone-planning-familial",),
    ),
    Case(
        "a disability file: the MDMPH",
        at("69383"),
        text("dossier MDPH"),
        first=("rhone-mdmph",),
    ),
    # ---- family, social ties, clothes
    Case(
        "a mother of two in Lyon 8e needs childcare: the solidarity crèche",
        at("69388"),
        text("faire garder mon enfant"),
        who(gender="femme", children=2),
        first=("lyon8-halte-garderie",),
    ),
    Case(
        "caring for one's mother: the carers' respite platform",
        at("69383"),
        text("je m'occupe de ma mère"),
        first=("lyon-aidants",),
    ),
    Case(
        "a lonely 70-year-old in Lyon 3e: the seniors' club",
        at("69383"),
        text("je me sens seul"),
        who(age=70),
        first=("lyon3-club-seniors",),
    ),
    Case(
        "a lonely 30-year-old: the seniors' club is left out",
        at("69383"),
        text("je me sens seul"),
        who(age=30),
        absent=("lyon3-club-seniors",),
    ),
    Case(
        "clothes in Lyon 8e: the open shop before the full cloakroom next door",
        at("69388"),
        text("vêtements"),
        first=("lyon7-vestiaire",),
        statuses={"lyon8-vestiaire": Status.ELIGIBLE},
    ),
    Case(
        "clothes in Woippy on Saturday: the Saturday cloakroom",
        at("57751"),
        text("vêtements"),
        constraints=Constraints(open_on=dt.date(2026, 3, 7)),
        first=("metz-vestiaire",),
    ),
    Case(
        "'je veux mourir' is urgent and finds mental health care",
        at("69383"),
        text("je veux mourir"),
        first=("lyon-cmp-sud",),
        urgent=True,
    ),
    Case(
        "'je veux en finir' is urgent too, while 'finir ma formation' is not",
        at("69383"),
        text("je veux en finir"),
        first=("lyon-cmp-sud",),
        within=3,
        urgent=True,
    ),
    # ---- places given otherwise
    Case(
        "coordinates near the Part-Dieu: placed in Lyon 3e",
        Place(latitude=45.7605, longitude=4.8590),
        text("papiers"),
        first=("lyon3-mdm",),
    ),
    Case(
        "an address with its postal code: placed in Lyon 3e",
        Place(address="12 rue Garibaldi, 69003 Lyon"),
        text("démarches administratives"),
        first=("lyon3-mdm",),
    ),
    Case(
        "a thématique code instead of words",
        at("69383"),
        Needs(thematiques=("sante--acces-aux-soins",)),
        first=("lyon-pass-hopital",),
        absent=("lyon-cmp-sud", "metz-cmp"),
    ),
]


def ids(results):
    return [r.service.id for r in results]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_quality_case(case):
    with translation.override(case.language):
        response = search(world_index(), case.place, case.needs, case.profile, case.constraints, case.now)
    assert response.ok, response.problems
    found = ids(response.results)
    top = found[: case.within or len(case.first)]
    for service_id in case.first:
        assert service_id in top, f"{service_id} not in the top {len(top)}: {found}"
    for service_id in case.absent:
        assert service_id not in found, f"{service_id} should not appear: {found}"
    for service_id, status in case.statuses.items():
        by_id = {r.service.id: r for r in (*response.results, *response.excluded)}
        assert service_id in by_id, f"{service_id} missing: {found}"
        assert by_id[service_id].status == status
    if case.urgent is not None:
        assert response.urgent is case.urgent
    for result in response.results:
        assert result.explanation.need and result.explanation.eligibility and result.explanation.distance


def test_there_are_at_least_forty_quality_cases():
    assert len(CASES) >= 40
    assert len({c.name for c in CASES}) == len(CASES)
