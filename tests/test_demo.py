import datetime as dt
import re
import time

import pytest
from django.core.management import CommandError, call_command
from opening_hours import OpeningHours

from relais import demo
from relais.accounts.models import Membership, TerritoryModerator, User
from relais.offer.hours import validate
from relais.offer.models import Aid, Closure, Service, Structure
from relais.offer.vocabularies import Frais, ModeAccueil, Public, Thematique, TypeService
from relais.territories.models import Commune, Territory
from tests.factories import LYON_EPCI, make_commune, make_epci, make_service, make_structure, make_territory

TODAY = dt.date(2026, 3, 2)


def lyon_like_places() -> list[demo.Place]:
    """A métropole shaped like Lyon's: 9 arrondissements and 58 communes, 1.4 million people."""
    places = [
        demo.Place(
            code=f"6938{n}",
            name=f"Lyon {n}{'er' if n == 1 else 'e'} Arrondissement",
            postal_codes=(f"6900{n}",),
            population=58000,
            latitude=45.76,
            longitude=4.84,
            is_arrondissement=True,
            parent_code="69123",
        )
        for n in range(1, 10)
    ]
    for n in range(58):
        population = [1200, 3500, 6000, 9000, 14000, 25000][n % 6] if n != 57 else 150000
        places.append(
            demo.Place(
                code=f"69{200 + n}",
                name=f"Commune {n}",
                postal_codes=("69100", "69110"),
                population=population,
                latitude=45.7 + n / 1000,
                longitude=4.8,
            )
        )
    return places


@pytest.fixture(scope="module")
def lyon_offer():
    return demo.generate(lyon_like_places(), demo.LYON, TODAY)


def test_generation_is_deterministic_for_the_same_places_seed_and_day(lyon_offer):
    again = demo.generate(lyon_like_places(), demo.LYON, TODAY)
    assert again == lyon_offer
    other_seed = demo.generate(lyon_like_places(), demo.LYON, TODAY, seed=7)
    assert other_seed.services != lyon_offer.services


def test_a_metropole_gets_a_few_hundred_structures_and_over_five_hundred_services(lyon_offer):
    assert 150 <= len(lyon_offer.structures) <= 260
    assert len(lyon_offer.services) >= 500
    assert len({s["id"] for s in lyon_offer.services}) == len(lyon_offer.services)
    assert len({s["nom"] for s in lyon_offer.structures}) == len(lyon_offer.structures)


def test_every_thematique_and_every_place_has_demo_services(lyon_offer):
    covered = {t for service in lyon_offer.services for t in service["thematiques"]}
    assert covered == {t.value for t in Thematique}
    assert {s["code_insee"] for s in lyon_offer.services} == {p.code for p in lyon_like_places()}


def test_every_opening_hours_expression_parses(lyon_offer):
    expressions = {s["horaires_accueil"] for s in lyon_offer.structures + lyon_offer.services} - {""}
    assert len(expressions) > 15
    for expression in expressions:
        OpeningHours(expression)
        assert validate(expression) is None, expression
    assert any("Sa" in e for e in expressions)
    assert any("PH off" in e for e in expressions)
    assert any(re.search(r"-(19|20|21):\d\d", e) for e in expressions), "some evening hours"


def test_every_value_belongs_to_the_data_inclusion_vocabularies(lyon_offer):
    for service in lyon_offer.services:
        assert set(service["thematiques"]) <= {t.value for t in Thematique}
        assert set(service["publics"]) <= {p.value for p in Public}
        assert set(service["modes_accueil"]) <= {m.value for m in ModeAccueil}
        assert service["frais"] in {f.value for f in Frais}
        assert service["type"] in {t.value for t in TypeService}
        assert service["zone_eligibilite"][0] in {LYON_EPCI, "69", service["code_insee"], "69123", "france"}


def test_the_demo_offer_is_visibly_invented(lyon_offer):
    for structure in lyon_offer.structures:
        assert structure["nom"].endswith("(démo)")
        assert structure["is_demo"] and structure["source"] == "relais-demo"
        assert re.fullmatch(r"01 99 00 \d\d \d\d", structure["telephone"])
        assert structure["courriel"].endswith("@example.org")
        assert "démonstration" in structure["description"]
    for service in lyon_offer.services:
        assert "démonstration" in service["description"]
    assert all(aid["name"].endswith("(démo)") and aid["claim_url"] == "" for aid in lyon_offer.aids)


def test_the_offer_is_varied_like_a_real_one(lyon_offer):
    services = lyon_offer.services
    assert {s["capacity"] for s in services} == {"accepting", "waiting_list", "full"}
    assert any(s["full_until"] and s["full_until"] > TODAY for s in services)
    assert any(len(s["languages"]) > 1 for s in services)
    assert all(s["languages"][0] == "fr" for s in services)
    assert {s["step_free_access"] for s in services} == {True, False, None}
    assert any(s["age_min"] == 16 and s["age_max"] == 25 for s in services)
    assert any(s["age_min"] == 60 for s in services)
    zones = {s["zone_eligibilite"][0] for s in services}
    assert {LYON_EPCI, "69"} <= zones and len(zones) > 10
    stale = [s for s in lyon_offer.structures if (TODAY - s["last_verified_on"]).days > 180]
    assert 0.1 < len(stale) / len(lyon_offer.structures) < 0.35
    closures = lyon_offer.closures
    assert any(c["starts_on"] <= TODAY <= c["ends_on"] for c in closures), "a closure going on today"
    assert any(c["starts_on"] > TODAY for c in closures), "a coming closure"
    assert any(not c["is_closed"] for c in closures), "a simple message"
    assert all(c["starts_on"] <= c["ends_on"] for c in closures)
    assert len(lyon_offer.aids) >= 5 and all(aid["claim_service_ids"] for aid in lyon_offer.aids)


# --- loading into the database ---------------------------------------------------------------


def small_lyon():
    make_epci()
    make_commune("69383")
    make_commune("69381", "Lyon 1er Arrondissement", postal_codes=["69001"])
    make_commune("69266", "Villeurbanne", postal_codes=["69100"], population=160000, latitude=45.77, longitude=4.88)
    make_commune("69029", "Bron", postal_codes=["69500"], population=42000, latitude=45.73, longitude=4.91)


def snapshot():
    def rows(queryset, *exclude):
        fields = [f.attname for f in queryset.model._meta.concrete_fields if f.attname not in exclude]
        return sorted(queryset.values_list(*fields))

    return {
        "structures": rows(Structure.objects.all(), "created_at", "updated_at"),
        "services": rows(Service.objects.all(), "created_at", "updated_at"),
        "closures": rows(Closure.objects.all(), "id"),
        "aids": rows(Aid.objects.all(), "id", "created_at", "updated_at"),
        "aid_links": sorted(Aid.claim_services.through.objects.values_list("aid__slug", "service_id")),
        "memberships": sorted(Membership.objects.values_list("user__email", "structure_id", "role", "status")),
        "moderators": sorted(TerritoryModerator.objects.values_list("user__email", "territory__slug")),
    }


@pytest.mark.django_db
def test_load_demo_fills_the_communes_given_and_is_idempotent():
    small_lyon()
    call_command("load_demo", "--today", TODAY.isoformat())
    first = snapshot()
    assert set(Service.objects.values_list("code_insee", flat=True)) == {"69383", "69381", "69266", "69029"}
    assert Structure.objects.filter(is_demo=False).count() == 0
    call_command("load_demo", "--today", TODAY.isoformat())
    assert snapshot() == first


@pytest.mark.django_db
def test_load_demo_never_touches_rows_that_are_not_demo():
    small_lyon()
    real_service = make_service(nom="Vrai service")
    real_structure = real_service.structure
    real_aid = Aid.objects.create(slug="vraie-aide", name="Vraie aide", institution="CCAS", summary="Une vraie aide.")
    real_aid.claim_services.add(real_service)
    real_user = User.objects.create_user(email="vraie@example.org", password="un-mot-de-passe-solide")
    real_territory = make_territory("Lyon Centre", communes=[Commune.objects.get(code="69383")])
    before = (
        list(Structure.objects.filter(pk=real_structure.pk).values()),
        list(Service.objects.filter(pk=real_service.pk).values()),
        list(Aid.objects.filter(pk=real_aid.pk).values()),
        list(User.objects.filter(pk=real_user.pk).values()),
    )
    call_command("load_demo")
    call_command("load_demo")
    after = (
        list(Structure.objects.filter(pk=real_structure.pk).values()),
        list(Service.objects.filter(pk=real_service.pk).values()),
        list(Aid.objects.filter(pk=real_aid.pk).values()),
        list(User.objects.filter(pk=real_user.pk).values()),
    )
    assert after == before
    assert list(real_aid.claim_services.all()) == [real_service]
    assert Structure.objects.filter(is_demo=True).count() > 0
    # The loaded territory is the one the demo moderator moderates; no demo territory is made.
    assert TerritoryModerator.objects.get(user__email="moderation@demo.relais").territory == real_territory
    assert not Territory.objects.filter(is_demo=True).exists()


@pytest.mark.django_db
def test_demo_accounts_can_log_in_with_their_roles(client):
    small_lyon()
    call_command("load_demo")
    admin = User.objects.get(email="admin@demo.relais")
    assert admin.is_superuser and admin.is_staff
    partner = User.objects.get(email="partenaire@demo.relais")
    structure = Structure.objects.get(pk=next(iter(partner.admin_structure_ids())))
    assert structure.is_demo
    member = User.objects.get(email="membre@demo.relais")
    assert member.is_member_of(structure) and not member.is_admin_of(structure)
    moderator = User.objects.get(email="moderation@demo.relais")
    assert moderator.is_moderator
    assert moderator.moderated_commune_codes() == {"69383", "69381", "69266", "69029"}
    assert Territory.objects.get(slug=demo.DEMO_TERRITORY_SLUG).is_demo
    for user in (admin, partner, member, moderator):
        assert client.login(username=user.email, password=demo.DEMO_PASSWORD)
        client.logout()


@pytest.mark.django_db
def test_the_demo_territory_gives_way_to_a_loaded_one():
    small_lyon()
    call_command("load_demo")
    assert Territory.objects.filter(slug=demo.DEMO_TERRITORY_SLUG).exists()
    loaded = make_territory("Lyon Est", communes=[Commune.objects.get(code="69029")])
    call_command("load_demo")
    assert not Territory.objects.filter(slug=demo.DEMO_TERRITORY_SLUG).exists()
    assert User.objects.get(email="moderation@demo.relais").moderations.get().territory == loaded


@pytest.mark.django_db
def test_load_demo_refuses_to_run_when_demo_mode_is_off(settings):
    small_lyon()
    settings.RELAIS_DEMO = False
    with pytest.raises(CommandError, match="RELAIS_DEMO"):
        call_command("load_demo")
    assert not Structure.objects.exists()


@pytest.mark.django_db
def test_load_demo_asks_for_the_territories_when_no_commune_is_loaded():
    with pytest.raises(CommandError, match="load_territories"):
        call_command("load_demo")


@pytest.mark.django_db
def test_load_demo_rejects_a_malformed_date():
    small_lyon()
    with pytest.raises(CommandError, match="--today"):
        call_command("load_demo", "--today", "02/03/2026")


@pytest.mark.django_db
def test_load_demo_of_a_whole_metropole_takes_under_ten_seconds():
    epci = make_epci()
    lyon = make_commune("69123", "Lyon")
    for place in lyon_like_places():
        Commune.objects.create(
            code=place.code,
            name=place.name,
            kind=Commune.Kind.ARRONDISSEMENT if place.is_arrondissement else Commune.Kind.COMMUNE,
            parent=lyon if place.is_arrondissement else None,
            epci=None if place.is_arrondissement else epci,
            departement=lyon.departement,
            postal_codes=list(place.postal_codes),
            population=place.population,
            latitude=place.latitude,
            longitude=place.longitude,
        )
    make_structure(nom="Une vraie structure")
    started = time.monotonic()
    report = demo.load(today=TODAY)
    seconds = time.monotonic() - started
    assert seconds < 10
    assert report.services == Service.objects.filter(is_demo=True).count() >= 500
    assert set(Service.objects.filter(is_demo=True).values_list("code_insee", flat=True)) == {
        p.code for p in lyon_like_places()
    }


@pytest.mark.django_db
def test_demo_aids_name_the_same_aid_of_the_rights_catalogue_so_results_say_where_to_claim():
    from relais.demo import catalogue
    from relais.rights.local import catalogue as rights_catalogue

    small_lyon()
    call_command("load_demo", "--today", TODAY.isoformat())
    linked = dict(Aid.objects.exclude(rights_aid="").values_list("slug", "rights_aid"))
    assert linked == {
        "demo-revenu-solidarite-jeunes": "lyon-revenu-solidarite-jeunes",
        "demo-aide-maintien-logement": "lyon-fonds-solidarite-logement",
    }
    known = {aid.id for aid in rights_catalogue()}
    named = {code for spec in catalogue.AIDS for code in spec.get("rights_aid", {}).values()}
    assert named <= known, named - known
