"""The offer JSON API: /api/v1/structures, /api/v1/services, details and /api/v1/doc/<vocabulary>."""

import datetime as dt

import pytest
import time_machine
from data_inclusion.schema import v1

from relais.offer import vocabularies as voc
from relais.offer.models import Capacity, Closure, Moderation
from tests.factories import make_commune, make_service, make_structure

pytestmark = pytest.mark.django_db

SERVICES = "/api/v1/services"
STRUCTURES = "/api/v1/structures"


def ids(response):
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def the_error(response):
    assert response.status_code == 422, response.content
    (error,) = response.json()["detail"]
    return error


# -- services: fields ------------------------------------------------------------------------


def test_service_items_carry_every_data_inclusion_field_and_a_relais_extension(client):
    make_service()
    (item,) = client.get(SERVICES).json()["items"]
    assert set(item) == set(v1.Service.model_fields) | {"relais"}
    assert set(item["relais"]) == {
        "last_verified_on",
        "is_demo",
        "temporarily_closed",
        "closures",
        "languages",
        "step_free_access",
        "accessibility_details",
        "capacity",
        "full_until",
        "accepts_referrals",
        "age_min",
        "age_max",
    }


def test_service_fields_keep_data_inclusion_values_and_blank_text_becomes_null(client):
    service = make_service(frais_precisions="", telephone="+33412345678", zone_eligibilite=["69383", "69"])
    (item,) = client.get(SERVICES).json()["items"]
    assert item["id"] == service.id
    assert item["structure_id"] == service.structure_id
    assert item["thematiques"] == service.thematiques
    assert item["frais"] == "gratuit"
    assert item["frais_precisions"] is None
    assert item["telephone"] == "+33412345678"
    assert item["zone_eligibilite"] == ["69383", "69"]
    assert item["modes_mobilisation"] is None
    assert item["date_maj"] == "2026-01-15"


def test_service_extension_shows_capacity_languages_and_verification(client):
    make_service(languages=["fr", "ar"], capacity=Capacity.WAITING_LIST, age_min=16, age_max=25, is_demo=True)
    relais = client.get(SERVICES).json()["items"][0]["relais"]
    assert relais["languages"] == ["fr", "ar"]
    assert relais["capacity"] == "waiting_list"
    assert (relais["age_min"], relais["age_max"]) == (16, 25)
    assert relais["last_verified_on"] == "2026-01-15"
    assert relais["is_demo"] is True


@time_machine.travel(dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC), tick=False)
def test_service_full_until_a_past_date_is_shown_as_accepting_again(client):
    make_service(capacity=Capacity.FULL, full_until=dt.date(2026, 3, 1))
    make_service(capacity=Capacity.FULL, full_until=dt.date(2026, 4, 1))
    capacities = [item["relais"]["capacity"] for item in client.get(SERVICES).json()["items"]]
    assert sorted(capacities) == ["accepting", "full"]


@time_machine.travel(dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC), tick=False)
def test_service_shows_current_and_coming_closures_of_itself_and_its_structure(client):
    service = make_service()
    other = make_service(structure=service.structure)
    structure = service.structure
    Closure.objects.create(structure=structure, starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 5))
    Closure.objects.create(
        structure=structure, starts_on=dt.date(2026, 3, 9), ends_on=dt.date(2026, 3, 12), message="Travaux"
    )
    Closure.objects.create(
        structure=structure, service=other, starts_on=dt.date(2026, 4, 1), ends_on=dt.date(2026, 4, 2)
    )
    items = {item["id"]: item["relais"] for item in client.get(SERVICES).json()["items"]}
    assert items[service.id]["temporarily_closed"] is True
    assert items[service.id]["closures"] == [
        {"starts_on": "2026-03-09", "ends_on": "2026-03-12", "message": "Travaux", "is_closed": True}
    ]
    assert [c["starts_on"] for c in items[other.id]["closures"]] == ["2026-03-09", "2026-04-01"]


def test_services_list_only_published_services_of_published_structures(client):
    shown = make_service()
    make_service(moderation=Moderation.PENDING)
    make_service(moderation=Moderation.REJECTED)
    make_service(structure=make_structure(moderation=Moderation.PENDING))
    assert ids(client.get(SERVICES)) == [shown.id]


# -- services: filters -----------------------------------------------------------------------


def test_thematiques_filter_matches_services_having_any_listed_thematique(client):
    health = make_service(thematiques=["sante--acces-aux-soins"])
    family = make_service(thematiques=["famille--garde-denfants", "mobilite--louer-un-vehicule"])
    make_service(thematiques=["numerique--acceder-a-du-materiel"])
    response = client.get(SERVICES, {"thematiques": ["sante--acces-aux-soins", "famille--garde-denfants"]})
    assert sorted(ids(response)) == sorted([health.id, family.id])


def test_thematiques_filter_with_a_category_matches_all_its_thematiques(client):
    addictions = make_service(thematiques=["sante--addictions"])
    mental = make_service(thematiques=["sante--sante-mentale"])
    make_service(thematiques=["famille--garde-denfants"])
    assert sorted(ids(client.get(SERVICES, {"thematiques": "sante"}))) == sorted([addictions.id, mental.id])


def test_publics_filter_also_matches_services_open_to_everyone(client):
    youth = make_service(publics=["jeunes"])
    everyone = make_service(publics=["tous-publics"])
    make_service(publics=["seniors"])
    assert sorted(ids(client.get(SERVICES, {"publics": "jeunes"}))) == sorted([youth.id, everyone.id])


def test_publics_filter_with_tous_publics_does_not_filter(client):
    make_service(publics=["seniors"])
    make_service(publics=["tous-publics"])
    assert len(ids(client.get(SERVICES, {"publics": ["tous-publics", "jeunes"]}))) == 2


def test_frais_filter_matches_any_listed_frais(client):
    free = make_service(frais="gratuit")
    make_service(frais="payant")
    make_service(frais="")
    assert ids(client.get(SERVICES, {"frais": "gratuit"})) == [free.id]
    assert len(ids(client.get(SERVICES, {"frais": ["gratuit", "payant"]}))) == 2


def test_modes_accueil_filter_matches_any_listed_mode(client):
    remote = make_service(modes_accueil=["a-distance"])
    both = make_service(modes_accueil=["en-presentiel", "a-distance"])
    make_service(modes_accueil=["en-presentiel"])
    assert sorted(ids(client.get(SERVICES, {"modes_accueil": "a-distance"}))) == sorted([remote.id, both.id])


def test_types_and_sources_filters_match_any_listed_value(client):
    workshop = make_service(type="atelier", source="dora")
    make_service(type="formation", source="dora")
    make_service(type="atelier", source="autre")
    assert ids(client.get(SERVICES, {"types": "atelier", "sources": "dora"})) == [workshop.id]


def test_code_commune_matches_services_located_in_the_commune_not_their_eligibility_zone(client):
    lyon3 = make_service()
    metz = make_commune("57463", "Metz", latitude=49.1, longitude=6.2)
    make_service(structure=make_structure(commune_obj=metz), zone_eligibilite=["69383", "57463"])
    assert ids(client.get(SERVICES, {"code_commune": "69383"})) == [lyon3.id]


def test_code_commune_of_lyon_also_matches_its_municipal_arrondissements(client):
    lyon3 = make_service()
    lyon7 = make_service(structure=make_structure(commune_obj=make_commune("69387", "Lyon 7e Arrondissement")))
    villeurbanne = make_commune("69266", "Villeurbanne")
    make_service(structure=make_structure(commune_obj=villeurbanne))
    assert sorted(ids(client.get(SERVICES, {"code_commune": "69123"}))) == sorted([lyon3.id, lyon7.id])
    assert ids(client.get(SERVICES, {"code_commune": "69387"})) == [lyon7.id]


def test_code_departement_matches_services_located_in_the_departement(client):
    lyon = make_service()
    metz = make_commune("57463", "Metz")
    make_service(structure=make_structure(commune_obj=metz))
    assert ids(client.get(SERVICES, {"code_departement": "69"})) == [lyon.id]


def test_unknown_commune_is_refused_with_a_message_naming_code_commune(client):
    make_service()
    error = the_error(client.get(SERVICES, {"code_commune": "75056"}))
    assert error["type"] == "unknown_commune"
    assert error["param"] == "code_commune"
    assert error["loc"] == ["query", "code_commune"]
    assert "code_commune" in error["msg"] and "75056" in error["msg"]


# -- bad input -------------------------------------------------------------------------------


def test_unknown_thematique_is_refused_naming_the_parameter_the_value_and_close_values(client):
    error = the_error(client.get(SERVICES, {"thematiques": "sante--addiction"}))
    assert error["param"] == "thematiques"
    assert error["input"] == "sante--addiction"
    assert error["msg"].startswith("Paramètre « thematiques » : « sante--addiction » n’est pas une valeur admise.")
    assert "sante--addictions" in error["msg"]


@pytest.mark.parametrize(
    ("params", "param", "words"),
    [
        ({"page": "deux"}, "page", "nombre entier"),
        ({"page": "0"}, "page", "supérieur ou égal à 1"),
        ({"size": "100000"}, "size", "inférieur ou égal à 5000"),
        ({"code_commune": "6938"}, "code_commune", "5 caractères"),
        ({"code_departement": "rhone"}, "code_departement", "département"),
        ({"frais": "cher"}, "frais", "n’est pas une valeur admise"),
        ({"publics": "tous"}, "publics", "n’est pas une valeur admise"),
        ({"modes_accueil": "sur-place"}, "modes_accueil", "n’est pas une valeur admise"),
        ({"types": "conseil"}, "types", "n’est pas une valeur admise"),
        ({"sources": "a b"}, "sources", "identifiant de source"),
    ],
)
def test_services_bad_parameter_is_refused_with_a_french_message_naming_it(client, params, param, words):
    error = the_error(client.get(SERVICES, params))
    assert error["param"] == param
    assert error["msg"].startswith(f"Paramètre « {param} » : ")
    assert words in error["msg"]


def test_structures_bad_reseau_porteur_is_refused_naming_the_parameter(client):
    error = the_error(client.get(STRUCTURES, {"reseaux_porteurs": "caf-"}))
    assert error["param"] == "reseaux_porteurs"
    assert "caf" in error["msg"]


def test_every_bad_parameter_is_reported_at_once(client):
    response = client.get(SERVICES, {"page": "x", "size": "0", "thematiques": "nope"})
    assert response.status_code == 422
    assert {error["param"] for error in response.json()["detail"]} == {"page", "size", "thematiques"}


# -- pagination ------------------------------------------------------------------------------


def test_pagination_returns_pages_in_id_order_like_data_inclusion(client):
    structure = make_structure()
    created = sorted(make_service(structure=structure, id=f"test--s{n:02}").id for n in range(7))
    first = client.get(SERVICES, {"size": 3}).json()
    assert (first["total"], first["page"], first["size"], first["pages"]) == (7, 1, 3, 3)
    last = client.get(SERVICES, {"size": 3, "page": 3}).json()
    assert (last["page"], last["size"]) == (3, 1)
    seen = [
        item["id"] for page in (1, 2, 3) for item in client.get(SERVICES, {"size": 3, "page": page}).json()["items"]
    ]
    assert seen == created


def test_page_past_the_end_is_empty_not_an_error(client):
    make_service()
    body = client.get(SERVICES, {"page": 5}).json()
    assert (body["items"], body["total"], body["size"], body["pages"]) == ([], 1, 0, 1)


# -- structures ------------------------------------------------------------------------------


def test_structure_items_carry_every_data_inclusion_field_and_a_relais_extension(client):
    make_structure(reseaux_porteurs=["france-travail"], siret="")
    (item,) = client.get(STRUCTURES).json()["items"]
    assert set(item) == set(v1.Structure.model_fields) | {"relais"}
    assert set(item["relais"]) == {"last_verified_on", "is_demo", "temporarily_closed", "closures"}
    assert item["reseaux_porteurs"] == ["france-travail"]
    assert item["siret"] is None


def test_structures_list_only_published_structures_filtered_by_place_source_and_network(client):
    lyon = make_structure(source="dora", reseaux_porteurs=["mission-locale"])
    make_structure(source="dora", moderation=Moderation.PENDING)
    make_structure(source="autre", reseaux_porteurs=["mission-locale"])
    metz = make_structure(source="dora", commune_obj=make_commune("57463", "Metz"))
    assert sorted(ids(client.get(STRUCTURES, {"sources": "dora"}))) == sorted([lyon.id, metz.id])
    assert ids(client.get(STRUCTURES, {"sources": "dora", "code_commune": "69383"})) == [lyon.id]
    assert ids(client.get(STRUCTURES, {"sources": "dora", "code_departement": "57"})) == [metz.id]
    assert ids(client.get(STRUCTURES, {"sources": "dora", "reseaux_porteurs": "mission-locale"})) == [lyon.id]


# -- details ---------------------------------------------------------------------------------


def test_structure_detail_lists_its_published_services_only(client):
    structure = make_structure()
    shown = make_service(structure=structure)
    make_service(structure=structure, moderation=Moderation.PENDING)
    body = client.get(f"{STRUCTURES}/{structure.id}").json()
    assert body["id"] == structure.id
    assert [s["id"] for s in body["services"]] == [shown.id]


def test_service_detail_includes_its_structure(client):
    service = make_service()
    body = client.get(f"{SERVICES}/{service.id}").json()
    assert body["id"] == service.id
    assert body["structure"]["id"] == service.structure_id
    assert set(body["structure"]) == set(v1.Structure.model_fields) | {"relais"}


@time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC), tick=False)  # a Tuesday, 10:00 in Paris
def test_details_say_whether_the_place_is_open_now_and_listings_do_not(client):
    structure = make_structure(horaires_accueil="Mo-Fr 09:00-12:00")
    service = make_service(structure=structure, horaires_accueil="")
    shut = make_service(structure=structure, horaires_accueil="Sa 09:00-12:00")
    assert client.get(f"{SERVICES}/{service.id}").json()["relais"]["opening"]["state"] == "open"
    assert client.get(f"{STRUCTURES}/{structure.id}").json()["relais"]["opening"]["state"] == "open"
    opening = client.get(f"{SERVICES}/{shut.id}").json()["relais"]["opening"]
    assert opening["state"] == "closed"
    assert opening["next_opening"].startswith("2026-03-14T09:00")
    assert "opening" not in client.get(SERVICES).json()["items"][0]["relais"]


@time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC), tick=False)
def test_service_detail_under_a_temporary_closure_is_temporarily_closed(client):
    service = make_service()
    Closure.objects.create(structure=service.structure, starts_on=dt.date(2026, 3, 9), ends_on=dt.date(2026, 3, 11))
    assert client.get(f"{SERVICES}/{service.id}").json()["relais"]["opening"]["state"] == "temporarily_closed"


@pytest.mark.parametrize("moderation", [Moderation.PENDING, Moderation.REJECTED])
def test_unpublished_structure_and_its_services_are_not_found(client, moderation):
    structure = make_structure(moderation=moderation)
    service = make_service(structure=structure)
    response = client.get(f"{STRUCTURES}/{structure.id}")
    assert response.status_code == 404
    assert structure.id in response.json()["detail"]
    assert client.get(f"{SERVICES}/{service.id}").status_code == 404


def test_unpublished_service_is_not_found(client):
    service = make_service(moderation=Moderation.PENDING)
    response = client.get(f"{SERVICES}/{service.id}")
    assert response.status_code == 404
    assert response.json()["detail"] == f"Aucun service publié n’a l’identifiant « {service.id} »."


@pytest.mark.parametrize("unknown", ["nope", "x" * 300, "a%00b"])
def test_unknown_ids_are_not_found(client, unknown):
    make_service()
    assert client.get(f"{SERVICES}/{unknown}").status_code == 404
    assert client.get(f"{STRUCTURES}/{unknown}").status_code == 404


# -- vocabularies ----------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(voc.BY_API_NAME))
def test_vocabulary_endpoint_lists_values_labels_and_descriptions(client, name):
    response = client.get(f"/api/v1/doc/{name}")
    assert response.status_code == 200
    assert response.json() == voc.BY_API_NAME[name].as_dict_list()
    assert {"value", "label", "description"} == set(response.json()[0])


# -- query counts (pinned: they must not grow with the number of results) --------------------


def test_services_listing_runs_four_queries_whatever_the_page_size(client, django_assert_num_queries):
    for _ in range(5):
        make_service(structure=make_structure(), thematiques=["sante--addictions"], publics=["jeunes"])
    params = {"code_commune": "69383", "thematiques": "sante", "publics": "jeunes", "frais": "gratuit"}
    with django_assert_num_queries(4):  # commune, count, page, closures
        assert len(ids(client.get(SERVICES, params))) == 5


def test_structures_listing_runs_three_queries(client, django_assert_num_queries):
    for _ in range(5):
        make_service()
    with django_assert_num_queries(3):  # count, page, closures
        assert len(ids(client.get(STRUCTURES))) == 5


def test_details_run_a_fixed_number_of_queries(client, django_assert_num_queries):
    structure = make_structure()
    services = [make_service(structure=structure) for _ in range(4)]
    with django_assert_num_queries(3):  # structure, its services, closures
        assert len(client.get(f"{STRUCTURES}/{structure.id}").json()["services"]) == 4
    with django_assert_num_queries(2):  # service with its structure, closures
        assert client.get(f"{SERVICES}/{services[0].id}").status_code == 200
