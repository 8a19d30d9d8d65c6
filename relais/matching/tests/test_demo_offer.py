"""The search on the demo offer (relais/demo) over the real communes: what a visitor of the demo sees."""

import datetime as dt
import json

import pytest
from django.utils import translation

from relais import demo
from relais.matching.engine import search
from relais.matching.index import OfferIndex
from relais.matching.tests.pages import NOW
from relais.matching.tests.world import REFERENTIAL, referential_table
from relais.matching.types import ClosureRecord, Needs, Place, Profile, ServiceRecord, Status
from relais.offer.hours import PARIS


def demo_places(region) -> list[demo.Place]:
    """The region's communes from the shipped referential, arrondissements instead of their city (as
    demo.places_of does from the database)."""
    data = json.loads(REFERENTIAL.read_text(encoding="utf-8"))
    rows = {c["code"]: c for c in data["communes"]}
    split = {c["parent"] for c in rows.values() if c["parent"]}
    places = []
    for c in rows.values():
        epci = c["epci"] or rows.get(c["parent"], {}).get("epci")
        if epci != region.epci or c["code"] in split:
            continue
        places.append(
            demo.Place(
                code=c["code"],
                name=c["name"],
                postal_codes=tuple(c["postal_codes"]),
                population=c["population"],
                latitude=c["latitude"],
                longitude=c["longitude"],
                is_arrondissement=bool(c["parent"]),
                parent_code=c["parent"],
            )
        )
    return places


def records(offer: demo.DemoOffer) -> list[ServiceRecord]:
    """The generated rows as the engine's records (what build_index_from_db makes of them once loaded)."""
    structures = {s["id"]: s for s in offer.structures}
    closures: dict[str, list] = {}
    for c in offer.closures:
        record = ClosureRecord(c["starts_on"], c["ends_on"], c["message"], c["is_closed"])
        closures.setdefault(c["service_id"] or c["structure_id"], []).append(record)
    out = []
    for s in offer.services:
        if s["moderation"] != "published" or structures[s["structure_id"]]["moderation"] != "published":
            continue
        st = structures[s["structure_id"]]
        out.append(
            ServiceRecord(
                id=s["id"],
                structure_id=st["id"],
                structure_name=st["nom"],
                name=s["nom"],
                thematiques=tuple(s["thematiques"]),
                publics=tuple(s["publics"]),
                zone_eligibilite=tuple(s["zone_eligibilite"]) or None,
                modes_accueil=tuple(s["modes_accueil"]),
                frais=s["frais"],
                type=s["type"],
                latitude=s["latitude"],
                longitude=s["longitude"],
                code_insee=s["code_insee"],
                commune=s["commune"],
                adresse=s["adresse"],
                telephone=s["telephone"],
                languages=tuple(s["languages"]),
                step_free_access=s["step_free_access"],
                capacity=s["capacity"],
                full_until=s["full_until"],
                accepts_referrals=s["accepts_referrals"],
                age_min=s["age_min"],
                age_max=s["age_max"],
                conditions_acces=s["conditions_acces"],
                last_verified_on=s["last_verified_on"],
                horaires=s["horaires_accueil"] or st["horaires_accueil"],
                closures=tuple([*closures.get(st["id"], ()), *closures.get(s["id"], ())]),
                modes_mobilisation=tuple(s["modes_mobilisation"]),
                mobilisable_par=tuple(s["mobilisable_par"]),
                is_demo=s["is_demo"],
            )
        )
    return out


@pytest.fixture(scope="module")
def demo_index():
    services = []
    for region in demo.REGIONS:
        services += records(demo.generate(demo_places(region), region, NOW.date()))
    return OfferIndex(services, referential_table())


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


@pytest.mark.parametrize("hour", [10, 23])
def test_domestic_violence_in_lyon_3e_shows_the_helpline_first_and_never_family_mediation(demo_index, hour):
    now = dt.datetime(2026, 3, 4, hour, 0, tzinfo=PARIS)
    response = search(
        demo_index,
        Place(commune="69383"),
        Needs(text="violences conjugales"),
        Profile(gender="femme", situations=frozenset({"violence_victim"})),
        now=now,
    )
    first = response.results[0]
    if hour == 23:  # at night the helpline, open day and night, comes first
        assert first.service.id == "relais-demo--national-ecoute-violences--ecoute"
        assert "(démo, numéro fictif)" in first.service.name
    else:  # by day, the walk-in service of the local territory, open now, comes before a phone line
        assert "violence" in first.service.thematiques[0] and first.distance_km < 1
    assert first.service.is_demo
    assert first.status == Status.ELIGIBLE and first.opening.state == "open"
    assert not any("Médiation" in r.service.name for r in response.results)
    assert any(r.excluded_because[0].code == "mediation_violence" for r in response.excluded)


def test_the_national_helpline_answers_in_metz_too(demo_index):
    response = search(demo_index, Place(commune="57463"), Needs(text="mon mari me frappe"), now=NOW)
    assert "relais-demo--national-ecoute-violences--ecoute" in [r.service.id for r in response.results[:3]]


def test_food_tonight_in_lyon_3e_puts_what_opens_tonight_before_the_rest(demo_index):
    response = search(demo_index, Place(commune="69383"), Needs(text="manger ce soir"), now=NOW)
    assert response.ok and response.when == "tonight"
    openings = [r.components["opening"] for r in response.results]
    if 1.0 in openings:
        assert openings[0] == 1.0


URGENT_NEEDS = {
    "shelter": "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
    "food": "equipement-et-alimentation--alimentation",
    "health": "sante--acces-aux-soins",
    "violence": "famille--surmonter-conflits-separation-violence",
}


@pytest.mark.parametrize("region", demo.REGIONS, ids=lambda r: r.key)
def test_every_local_territory_of_the_demo_answers_every_urgent_need_on_site_for_everyone(region):
    places = demo_places(region)
    offer = demo.generate(places, region, NOW.date())
    local = {s["code_insee"] for s in offer.structures if s.get("_kind") == "solidarites"}
    assert len(local) >= 3
    published = [
        s
        for s in offer.services
        if s["moderation"] == "published" and "en-presentiel" in s["modes_accueil"] and "tous-publics" in s["publics"]
    ]
    for code in local:
        for need, thematique in URGENT_NEEDS.items():
            assert any(s["code_insee"] == code and thematique in s["thematiques"] for s in published), (code, need)


@pytest.mark.parametrize("commune", ["69388", "69381", "57463"])
def test_sleeping_in_the_street_finds_a_shelter_nearby_in_the_demo(demo_index, commune):
    response = search(demo_index, Place(commune=commune), Needs(text="je dors dans la rue"), now=NOW)
    shelters = [
        r
        for r in response.results[:3]
        if URGENT_NEEDS["shelter"] in r.service.thematiques and r.distance_km is not None and r.distance_km < 5
    ]
    assert shelters, [(r.service.name, r.distance_km) for r in response.results[:3]]


@pytest.mark.parametrize("commune", ["69388", "57463"])
def test_finding_a_job_in_the_demo_puts_a_service_open_to_all_first_for_a_person_who_did_not_say_rsa(
    demo_index, commune
):
    response = search(demo_index, Place(commune=commune), Needs(text="trouver un travail"), now=NOW)
    first = response.results[0]
    assert "tous-publics" in first.service.publics and first.status == Status.ELIGIBLE
    reserved = [r for r in response.results if "beneficiaires-des-minimas-sociaux" in r.service.publics]
    assert all(r.status == Status.TO_CHECK for r in reserved)


def test_a_dentist_without_insurance_in_metz_is_not_sent_first_to_a_mother_and_child_clinic(demo_index):
    response = search(demo_index, Place(commune="57463"), Needs(text="dentiste sans mutuelle"), now=NOW)
    assert "familles" not in response.results[0].service.publics
