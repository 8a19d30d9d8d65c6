"""GET /api/v1/search/services: data·inclusion's search parameters, our profile and constraints, explained results."""

import datetime as dt

import pytest
import schemathesis
import time_machine
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from relais.observatory.models import SearchTrace
from relais.offer.hours import PARIS
from tests.factories import LYON_EPCI, make_commune, make_service, make_structure

URL = "/api/v1/search/services"
ALIM = "equipement-et-alimentation--alimentation"
LOGEMENT = "logement-hebergement--se-maintenir-dans-le-logement"
NOW = dt.datetime(2026, 3, 4, 10, 0, tzinfo=PARIS)  # a Wednesday morning


@pytest.fixture(autouse=True)
def _wednesday_morning():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def lyon(db):
    """Lyon 3e (the person), Villeurbanne next door, Metz far away."""
    make_commune()
    make_commune("69266", "Villeurbanne", latitude=45.7719, longitude=4.8902, postal_codes=["69100"])
    make_commune("57463", "Metz", latitude=49.1193, longitude=6.1757, postal_codes=["57000"])


def get(client, **params):
    return client.get(URL, {k: v for k, v in params.items() if v is not None})


def errors_by_param(response) -> dict:
    assert response.status_code == 422, response.content
    return {e["param"]: e for e in response.json()["detail"]}


# --- answers ------------------------------------------------------------------------------------


def test_a_search_by_commune_returns_services_with_distance_status_and_explanation(client, lyon):
    here = make_service(nom="Épicerie solidaire", thematiques=[ALIM])
    villeurbanne = make_structure(commune_obj=make_commune("69266"))
    there = make_service(villeurbanne, nom="Restos du quartier", thematiques=[ALIM])
    response = get(client, code_commune="69383", thematiques=ALIM)
    assert response.status_code == 200
    page = response.json()
    assert [item["service"]["id"] for item in page["items"]] == [here.id, there.id]
    first = page["items"][0]
    assert first["service"]["nom"] == "Épicerie solidaire"
    assert first["service"]["thematiques"] == [ALIM]
    assert first["distance"] == 0
    assert page["items"][1]["distance"] == 4  # data·inclusion's rounded kilometres
    assert 3.5 < page["items"][1]["relais"]["distance_km"] < 4.5
    assert first["relais"]["status"] == "eligible"
    assert first["relais"]["explanation"]["need"].startswith("Répond à votre besoin : « Alimentation »")
    assert first["relais"]["explanation"]["opening"] == "Ouvert maintenant, ferme à 12 h."
    assert first["relais"]["opening"]["state"] == "open"
    assert first["relais"]["explanation"]["lines"][0] == first["relais"]["explanation"]["need"]
    assert page["total"] == 2 and page["page"] == 1 and page["size"] == 2 and page["pages"] == 1
    assert page["relais"]["place"]["commune"] == {"code": "69383", "nom": "Lyon 3e Arrondissement"}
    assert page["relais"]["needs"][0]["thematique"] == ALIM


def test_plain_words_in_q_are_understood_as_thematiques(client, lyon):
    food = make_service(thematiques=[ALIM])
    make_service(thematiques=[LOGEMENT])
    page = get(client, code_commune="69383", q="colis alimentaire").json()
    assert [item["service"]["id"] for item in page["items"]] == [food.id]
    assert page["relais"]["needs"][0]["words"]


def test_a_category_stands_for_all_its_thematiques(client, lyon):
    food = make_service(thematiques=[ALIM])
    make_service(thematiques=[LOGEMENT])
    page = get(client, code_commune="69383", thematiques="equipement-et-alimentation").json()
    assert [item["service"]["id"] for item in page["items"]] == [food.id]


def test_datainclusion_filters_keep_only_matching_services_and_totals_stay_exact(client, lyon):
    free_atelier = make_service(thematiques=[ALIM], type="atelier", publics=["jeunes"])
    make_service(thematiques=[ALIM], type="atelier", frais="payant")
    make_service(thematiques=[ALIM], type="information")
    all_publics = make_service(thematiques=[ALIM], type="atelier", publics=["tous-publics"])
    make_service(thematiques=[ALIM], type="atelier", publics=["seniors"])
    page = get(
        client, code_commune="69383", thematiques=ALIM, frais="gratuit", types="atelier", publics="jeunes"
    ).json()
    assert {item["service"]["id"] for item in page["items"]} == {free_atelier.id, all_publics.id}
    assert page["total"] == 2


def test_modes_accueil_a_distance_keeps_remote_services_only(client, lyon):
    make_service(thematiques=[ALIM])
    remote = make_service(thematiques=[ALIM], modes_accueil=["a-distance"], latitude=None, longitude=None)
    page = get(client, code_commune="69383", thematiques=ALIM, modes_accueil="a-distance").json()
    assert [item["service"]["id"] for item in page["items"]] == [remote.id]
    assert page["items"][0]["distance"] is None


def test_coordinates_place_the_person_and_distances_start_there(client, lyon):
    villeurbanne = make_structure(commune_obj=make_commune("69266"))
    near = make_service(villeurbanne, thematiques=[ALIM], zone_eligibilite=[LYON_EPCI])
    far = make_service(thematiques=[ALIM])
    page = get(client, lat=45.7719, lon=4.8902, thematiques=ALIM).json()
    assert [item["service"]["id"] for item in page["items"]] == [near.id, far.id]
    assert page["items"][0]["relais"]["distance_km"] == 0
    assert page["relais"]["place"]["commune"]["code"] == "69266"
    assert page["relais"]["place"]["precision"] == "coordinates"


def test_a_service_outside_its_zone_is_listed_apart_with_the_reason(client, lyon):
    make_service(thematiques=[ALIM], zone_eligibilite=["57463"])
    page = get(client, code_commune="69383", thematiques=ALIM).json()
    assert page["items"] == []
    assert page["relais"]["excluded_total"] == 1
    excluded = page["relais"]["excluded"][0]
    assert excluded["excluded_because"][0]["code"]
    assert "Metz" in excluded["explanation"]


def test_what_to_check_is_said_when_the_profile_leaves_it_open(client, lyon):
    make_service(thematiques=[ALIM], age_min=18, age_max=25)
    unknown = get(client, code_commune="69383", thematiques=ALIM).json()["items"][0]["relais"]
    assert unknown["status"] == "to_check"
    assert unknown["to_check"] and unknown["to_check"][0]["message"]
    known = get(client, code_commune="69383", thematiques=ALIM, age=22).json()["items"][0]["relais"]
    assert known["status"] == "eligible"
    too_old = get(client, code_commune="69383", thematiques=ALIM, age=40).json()
    assert too_old["items"] == [] and too_old["relais"]["excluded_total"] == 1


def test_constraints_open_now_and_free_only_narrow_the_results(client, lyon):
    open_now = make_service(thematiques=[ALIM])
    make_service(thematiques=[ALIM], horaires_accueil="Sa 10:00-12:00")
    make_service(thematiques=[ALIM], frais="payant")
    page = get(client, code_commune="69383", thematiques=ALIM, open_now="true", free_only="true").json()
    assert [item["service"]["id"] for item in page["items"]] == [open_now.id]


def test_pages_are_numbered_like_datainclusion(client, lyon):
    for _ in range(5):
        make_service(thematiques=[ALIM])
    first = get(client, code_commune="69383", thematiques=ALIM, size=2).json()
    third = get(client, code_commune="69383", thematiques=ALIM, size=2, page=3).json()
    past = get(client, code_commune="69383", thematiques=ALIM, size=2, page=4).json()
    assert (first["total"], first["pages"], first["size"]) == (5, 3, 2)
    assert third["size"] == 1 and past["items"] == []
    ids = {i["service"]["id"] for i in first["items"]} | {i["service"]["id"] for i in third["items"]}
    assert len(ids) == 3


def test_a_postal_code_is_accepted_with_a_warning(client, lyon):
    make_service(thematiques=[ALIM])
    page = get(client, code_commune="69003", thematiques=ALIM).json()
    assert page["relais"]["place"]["commune"]["code"] == "69383"
    warning = page["relais"]["warnings"][0]
    assert warning["param"] == "code_commune" and "code postal" in warning["msg"]


# --- bad input: a clear message naming the parameter, suggestions where they help ----------------


def test_an_unknown_commune_name_suggests_the_closest_names(client, lyon):
    error = errors_by_param(get(client, code_commune="Villeurbane", thematiques=ALIM))["code_commune"]
    assert error["type"] == "unknown_commune"
    assert error["msg"].startswith("Paramètre « code_commune » : Commune « Villeurbane » inconnue.")
    assert error["suggestions"] == ["Villeurbanne (69266)"]
    assert error["input"] == "Villeurbane"


def test_an_unknown_commune_code_is_refused(client, lyon):
    error = errors_by_param(get(client, code_commune="69999", thematiques=ALIM))["code_commune"]
    assert error["msg"] == "Paramètre « code_commune » : Aucune commune n’a le code « 69999 »."


def test_a_contradictory_profile_is_refused_naming_the_age(client, lyon):
    error = errors_by_param(get(client, code_commune="69383", thematiques=ALIM, age=12, situations="rsa"))["age"]
    assert error["type"] == "contradiction"
    assert "12 ans et bénéficiaire du RSA" in error["msg"]


def test_an_unknown_thematique_suggests_the_thematiques_its_words_match(client, lyon):
    error = errors_by_param(get(client, code_commune="69383", thematiques="alimentation"))["thematiques"]
    assert error["type"] == "unknown_thematique"
    assert f"Alimentation ({ALIM})" in error["suggestions"]


def test_an_unknown_situation_suggests_known_ones(client, lyon):
    error = errors_by_param(get(client, code_commune="69383", thematiques=ALIM, situations="rssa"))["situations"]
    assert "rsa" in error["suggestions"]


def test_a_search_by_place_alone_returns_the_services_of_every_thematique_as_datainclusion_does(client, lyon):
    food = make_service(thematiques=[ALIM])
    housing = make_service(thematiques=[LOGEMENT])
    response = get(client, code_commune="69383")
    assert response.status_code == 200, response.content
    page = response.json()
    assert {item["service"]["id"] for item in page["items"]} == {food.id, housing.id}
    assert page["total"] == 2
    assert page["relais"]["needs"] == []  # none was asked


@pytest.mark.parametrize(
    ("params", "param", "kind"),
    [
        ({"lat": 200, "lon": 4.8}, "lat", "invalid_coordinates"),
        ({"lat": 45.7, "lon": 999}, "lon", "invalid_coordinates"),
        ({"lat": 45.7}, "lon", "invalid_coordinates"),
        ({"lat": "nan", "lon": 4.8}, "lat", "invalid_coordinates"),
        ({"lat": -45.0, "lon": 170.0}, "lat", "outside_territory"),
        ({}, "code_commune", "missing_place"),
    ],
)
def test_absurd_or_missing_coordinates_are_refused_naming_them(client, lyon, params, param, kind):
    error = errors_by_param(get(client, thematiques=ALIM, **params))[param]
    assert error["type"] == kind
    assert error["msg"].startswith(f"Paramètre « {param} » : ")


def test_every_problem_is_reported_at_once(client, lyon):
    errors = errors_by_param(get(client, code_commune="Lyonn", age=12, situations="rsa"))
    assert set(errors) == {"code_commune", "age"}  # thematiques are optional, as in data·inclusion


def test_malformed_values_are_refused_by_type_with_french_messages(client, lyon):
    errors = errors_by_param(
        get(client, code_commune="69383", thematiques=ALIM, age="douze", frais="gratos", size=10001)
    )
    assert errors["age"]["msg"] == "Paramètre « age » : « douze » n’est pas un nombre entier."
    assert "n’est pas une valeur admise" in errors["frais"]["msg"]
    assert "size" in errors


# --- traces, cost, contract --------------------------------------------------------------------


def test_each_search_leaves_one_anonymous_trace_and_paging_does_not_count_again(client, lyon):
    make_service(thematiques=[ALIM])
    get(client, code_commune="69383", q="colis alimentaire", age=22, situations="rsa")
    get(client, code_commune="69383", q="colis alimentaire", age=22, situations="rsa", page=2)
    get(client, code_commune="Lyonn", q="colis alimentaire")  # refused: not a search
    trace = SearchTrace.objects.get()
    assert (trace.commune_code, trace.epci_code, trace.channel) == ("69383", LYON_EPCI, "api")
    assert trace.thematiques == [ALIM]
    assert trace.categories == ["jeune", "rsa"]
    assert (trace.eligible, trace.to_check, trace.total) == (1, 0, 1)
    assert trace.day == NOW.date()


def test_a_warm_search_costs_the_page_records_and_the_trace_insert(client, lyon, settings):
    settings.RELAIS_SEARCH_INDEX_CHECK_SECONDS = 3600  # a slow machine must not see the periodic offer check
    make_service(thematiques=[ALIM])
    get(client, code_commune="69383", thematiques=ALIM)  # builds the index
    with CaptureQueriesContext(connection) as queries:
        assert get(client, code_commune="69383", thematiques=ALIM).status_code == 200
    # the test runs in a transaction, so the insert is wrapped in a savepoint; in production it is alone
    statements = [q["sql"] for q in queries.captured_queries if "SAVEPOINT" not in q["sql"]]
    # the data·inclusion records of the page: one query for its services, one for their structures
    assert len(statements) == 3
    assert statements[0].startswith('INSERT INTO "observatory_searchtrace"')
    assert statements[1].startswith('SELECT "offer_service"') and statements[2].startswith('SELECT "offer_structure"')


def test_the_operation_and_its_parameters_are_in_the_openapi_document(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/search/services"]["get"]
    names = {p["name"] for p in operation["parameters"]}
    datainclusion = {"code_commune", "lat", "lon", "thematiques", "frais", "publics", "modes_accueil", "types"}
    assert datainclusion | {"page", "size", "q", "age", "situations", "open_now", "languages"} <= names
    assert set(operation["responses"]) == {"200", "422"}


# --- fuzzing from the OpenAPI document (bounded, deterministic) ----------------------------------

CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"mode": "all", "deterministic": True, "database": "none"},
        # The engine refuses well-formed but meaningless input (no place, no need...) with a 422.
        "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "422"]}},
    }
)
# Django's own WSGI handler, not relais.wsgi: no start-up warm-ups in tests.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application(), config=CONFIG).include(
    operation_id="search_services"
)


@pytest.fixture
def fuzz_world(lyon):
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    make_service(thematiques=[ALIM], age_min=18)
    make_service(thematiques=[LOGEMENT], modes_accueil=["a-distance"], frais="payant", publics=["jeunes"])
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@schema.parametrize()
@hypothesis_settings(
    max_examples=80, derandomize=True, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)
def test_the_search_answers_every_generated_request_as_documented_and_never_with_a_server_error(case, fuzz_world):
    case.call_and_validate()


# --- languages, wording, time, ambiguous codes ------------------------------------------------------


def test_english_words_are_read_with_langue_en_and_understood_without_it(client, lyon):
    food = make_service(thematiques=[ALIM], horaires_accueil="Mo-Su 18:00-21:00")
    make_service(thematiques=[LOGEMENT])
    page = get(client, code_commune="69383", q="I need food tonight", langue="en").json()
    assert [item["service"]["id"] for item in page["items"]] == [food.id]
    assert page["relais"]["language"] == "en" and page["relais"]["when"] == "tonight"
    assert "Ouvert ce soir ou cette nuit." in page["items"][0]["relais"]["explanation"]["notes"]
    without = get(client, code_commune="69383", q="I need food").json()  # French first, English for the rest
    assert without["relais"]["language"] == "fr"
    assert [item["service"]["id"] for item in without["items"]] == [food.id]


def test_simple_explanations_speak_to_the_person(client, lyon):
    make_service(thematiques=[ALIM])
    pro = get(client, code_commune="69383", thematiques=ALIM).json()["items"][0]["relais"]["explanation"]
    simple = get(client, code_commune="69383", thematiques=ALIM, explications="simple").json()
    lines = simple["items"][0]["relais"]["explanation"]
    assert "Zone d’éligibilité" in pro["eligibility"] and "Zone d’éligibilité" not in lines["eligibility"]
    assert lines["need"].startswith("Peut vous aider pour")
    errors = errors_by_param(get(client, code_commune="69383", thematiques=ALIM, explications="jargon"))
    assert "explications" in errors


def test_a_code_that_is_an_insee_code_and_another_communes_postal_code_keeps_insee_semantics_with_a_warning(
    client, lyon
):
    make_commune("69003", "Albigny-sur-Saône", latitude=45.86396, longitude=4.83052, postal_codes=["69250"])
    make_service(thematiques=[ALIM])
    page = get(client, code_commune="69003", thematiques=ALIM).json()
    assert page["relais"]["place"]["commune"] == {"code": "69003", "nom": "Albigny-sur-Saône"}
    warning = page["relais"]["warnings"][0]
    assert warning["type"] == "insee_and_postal_code" and warning["param"] == "code_commune"
    assert "Lyon 3e Arrondissement (69383)" in warning["msg"]
    assert warning["suggestions"] == ["Lyon 3e Arrondissement (69383)"]


def test_violence_words_exclude_family_mediation_with_the_reason(client, lyon):
    violence = "famille--surmonter-conflits-separation-violence"
    support = make_service(nom="Aide aux victimes", thematiques=[violence])
    mediation = make_service(nom="Médiation familiale", thematiques=[violence])
    page = get(client, code_commune="69383", q="violences conjugales").json()
    assert [item["service"]["id"] for item in page["items"]] == [support.id]
    excluded = {e["service"]["id"]: e for e in page["relais"]["excluded"]}
    assert excluded[mediation.id]["excluded_because"][0]["code"] == "mediation_violence"


def test_zero_zero_is_refused_as_far_from_any_commune(client, lyon):
    error = errors_by_param(get(client, lat=0, lon=0, thematiques=ALIM))["lat"]
    assert error["type"] == "outside_territory" and "loin de toute commune" in error["msg"]


def test_the_answer_served_without_revalidation_is_exactly_what_the_schema_describes(client, lyon):
    from relais.matching.api import SearchPageOut

    make_service(thematiques=[ALIM], age_min=18)
    make_service(thematiques=[ALIM], zone_eligibilite=["57463"])
    response = get(client, code_commune="69003", q="colis alimentaire ce soir")
    assert response["Content-Type"].startswith("application/json")
    page = response.json()
    assert page["items"] and page["relais"]["excluded"] and page["relais"]["warnings"]
    validated = SearchPageOut.model_validate(page).model_dump(mode="json", exclude_unset=True)
    assert validated == page


def test_each_result_is_a_full_datainclusion_service_with_its_quality_score_and_structure(client, lyon):
    from data_inclusion.schema import v1

    service = make_service(
        thematiques=[ALIM], source="dora", lien_source="https://dora.example.org/s/1", complement_adresse="Bât. B"
    )
    item = get(client, code_commune="69383", thematiques=ALIM).json()["items"][0]
    assert set(v1.Service.model_fields) | {"score_qualite", "structure"} == set(item["service"])
    assert item["service"]["source"] == "dora"
    assert item["service"]["lien_source"] == "https://dora.example.org/s/1"
    assert item["service"]["complement_adresse"] == "Bât. B"
    assert item["service"]["date_maj"] == service.date_maj.isoformat()
    assert 0 <= item["service"]["score_qualite"] <= 1
    assert set(v1.Structure.model_fields) == set(item["service"]["structure"])
    assert item["service"]["structure"]["id"] == service.structure_id


def test_the_quality_score_is_datainclusion_s_own_method():
    import datetime as dt

    from relais.matching.serializers import quality_score

    base = {
        "id": "s",
        "source": "x",
        "structure_id": "st",
        "nom": "Aide",
        "description": "d" * 250,
        "date_maj": dt.date(2026, 3, 1),
        "thematiques": [ALIM],
        "publics": ["jeunes"],
        "frais": "gratuit",
        "modes_accueil": ["en-presentiel"],
        "adresse": "1 rue",
        "modes_mobilisation": ["telephoner"],
        "mobilisable_par": ["usagers"],
        "telephone": "04 00 00 00 00",
        "courriel": None,
        "lien_mobilisation": None,
        "frais_precisions": None,
    }
    assert quality_score(base) == 1.0  # every criterion that applies is met
    # no phone while one is to call: two criteria of nine fall (telephone_bien_defini, au_moins_un_moyen_de_contact)
    assert quality_score({**base, "telephone": None}) == round(7 / 9, 2)


def test_sources_keep_only_the_services_of_those_sources(client, lyon):
    dora = make_service(thematiques=[ALIM], source="dora")
    make_service(thematiques=[ALIM], source="soliguide")
    page = get(client, code_commune="69383", thematiques=ALIM, sources="dora").json()
    assert [item["service"]["id"] for item in page["items"]] == [dora.id]
    assert page["total"] == 1


def test_size_goes_beyond_the_engine_s_page_of_100_as_datainclusion_allows(client, lyon):
    for _ in range(105):
        make_service(thematiques=[ALIM])
    page = get(client, code_commune="69383", thematiques=ALIM, size=150).json()
    assert page["total"] == 105 and page["size"] == 105 and len(page["items"]) == 105
    assert len({item["service"]["id"] for item in page["items"]}) == 105
    assert get(client, code_commune="69383", size=10001).status_code == 422
