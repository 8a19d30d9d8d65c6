"""The one bridge from the database to the engine: build_index_from_db()."""

import datetime as dt

import pytest
from django.utils import translation

from relais.matching.engine import search
from relais.matching.index import build_commune_table_from_db, build_index_from_db
from relais.matching.types import Needs, Place
from relais.offer.hours import PARIS
from relais.offer.models import Closure, Moderation
from tests.factories import LYON_EPCI, make_commune, make_service, make_structure

ALIM = "equipement-et-alimentation--alimentation"
TODAY = dt.date(2026, 3, 4)


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


@pytest.mark.django_db
def test_the_commune_table_knows_arrondissements_their_parent_and_its_epci():
    make_commune()  # Lyon 3e, with Lyon as parent
    make_commune("69266", "Villeurbanne", latitude=45.7667, longitude=4.8803)
    table = build_commune_table_from_db()
    lyon3 = table.get("69383")
    assert lyon3.parent == "69123"
    assert lyon3.zone_codes == {"69383", "69123", LYON_EPCI, "69", "france", "99100"}
    assert table.zone_label(LYON_EPCI) == "Métropole de Lyon"
    assert table.get("69123").code in table.children


@pytest.mark.django_db
def test_the_index_holds_published_services_of_published_structures_only(django_assert_num_queries):
    shown = make_service(thematiques=[ALIM])
    make_service(thematiques=[ALIM], moderation=Moderation.PENDING)
    hidden_structure = make_structure(moderation=Moderation.REJECTED)
    make_service(hidden_structure, thematiques=[ALIM])
    with django_assert_num_queries(3):  # communes, closures, services
        index = build_index_from_db(today=TODAY)
    assert [s.id for s in index.services] == [shown.id]


@pytest.mark.django_db
def test_records_take_the_structure_hours_and_current_closures():
    structure = make_structure(horaires_accueil="Mo-Fr 09:00-12:00", telephone="04 72 00 00 00")
    service = make_service(structure, thematiques=[ALIM], horaires_accueil="", telephone="")
    own = make_service(structure, thematiques=[ALIM], horaires_accueil="Sa 10:00-12:00")
    Closure.objects.create(structure=structure, starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 10))
    Closure.objects.create(
        structure=structure,
        service=service,
        starts_on=dt.date(2026, 4, 1),
        ends_on=dt.date(2026, 4, 2),
        message="Inventaire",
    )
    Closure.objects.create(structure=structure, starts_on=dt.date(2025, 1, 1), ends_on=dt.date(2025, 1, 2))  # over
    records = {s.id: s for s in build_index_from_db(today=TODAY).services}
    assert records[service.id].horaires == "Mo-Fr 09:00-12:00"
    assert records[service.id].telephone == "04 72 00 00 00"
    assert [c.message for c in records[service.id].closures] == ["", "Inventaire"]
    assert records[own.id].horaires == "Sa 10:00-12:00"
    assert len(records[own.id].closures) == 1
    assert records[service.id].zone_eligibilite == (LYON_EPCI,)
    assert records[service.id].thematiques == (ALIM,)


@pytest.mark.django_db
def test_a_search_runs_on_an_index_built_from_the_database():
    structure = make_structure(nom="Épicerie solidaire de test")
    service = make_service(structure, nom="Colis alimentaires", thematiques=[ALIM])
    index = build_index_from_db(today=TODAY)
    response = search(
        index, Place(commune="69383"), Needs(text="colis alimentaire"), now=dt.datetime(2026, 3, 4, 10, tzinfo=PARIS)
    )
    assert response.ok
    assert [r.service.id for r in response.results] == [service.id]
    assert response.results[0].explanation.opening == "Ouvert maintenant, ferme à 12 h."


@pytest.mark.django_db
def test_a_service_without_a_place_of_its_own_is_placed_at_its_structure_and_says_so():
    make_commune("69266", "Villeurbanne", latitude=45.7667, longitude=4.8803)
    structure = make_structure(
        nom="Accueil de jour",
        code_insee="69266",
        commune="Villeurbanne",
        adresse="8 rue Francis de Pressensé",
        latitude=45.7701,
        longitude=4.8790,
    )
    service = make_service(
        structure,
        nom="Douches",
        thematiques=[ALIM],
        latitude=None,
        longitude=None,
        adresse="",
        code_insee="69266",
        commune="Villeurbanne",
    )
    elsewhere = make_service(
        structure,
        nom="Colis",
        thematiques=[ALIM],
        latitude=None,
        longitude=None,
        adresse="3 rue Autre",
        code_insee="69266",
        commune="Villeurbanne",
    )
    index = build_index_from_db(today=TODAY)
    records = {s.id: s for s in index.services}
    assert (records[service.id].latitude, records[service.id].longitude) == (45.7701, 4.8790)
    assert records[service.id].adresse == "8 rue Francis de Pressensé"
    assert records[service.id].located_at_structure
    assert not records[elsewhere.id].located_at_structure  # its own address: its commune's centre, approximate

    response = search(
        index, Place(commune="69383"), Needs(thematiques=(ALIM,)), now=dt.datetime(2026, 3, 4, 10, tzinfo=PARIS)
    )
    result = next(r for r in response.results if r.service.id == service.id)
    assert result.distance_km is not None
    assert "8 rue Francis de Pressensé" in result.explanation.distance
    assert "Adresse de la structure : le service n’indique pas la sienne." in result.explanation.distance


@pytest.mark.django_db
def test_the_data_s_own_date_of_change_is_kept_and_shown_when_relais_never_verified_it():
    service = make_service(thematiques=[ALIM], last_verified_on=None, date_maj=dt.date(2026, 2, 10), source="dora")
    index = build_index_from_db(today=TODAY)
    (record,) = index.services
    assert (record.date_maj, record.source) == (dt.date(2026, 2, 10), "dora")
    response = search(
        index, Place(commune="69383"), Needs(thematiques=(ALIM,)), now=dt.datetime(2026, 3, 4, 10, tzinfo=PARIS)
    )
    (result,) = [r for r in response.results if r.service.id == service.id]
    assert "Informations jamais vérifiées sur Relais ; mises à jour par leur source le 10 février 2026." in (
        result.explanation.notes
    )
