"""The admin of communes, EPCI, départements and territories."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from relais.accounts.testing import log_in_verified  # staff pages ask for the second factor
from relais.territories.models import Commune, Territory
from tests.factories import LYON_EPCI, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    call_command("load_territories", "--lyon-metz-only", stdout=io.StringIO())
    log_in_verified(client, make_user(is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "model, query",
    [
        ("commune", ""),
        ("commune", "?q=villeurbane"),
        ("commune", "?q=69383"),
        ("commune", f"?epci={LYON_EPCI}&kind__exact=ARM"),
        ("commune", "?departement__code__exact=57"),
        ("epci", ""),
        ("departement", ""),
        ("territory", ""),
        ("territory", "?to_check__exact=1"),
    ],
)
def test_changelists_render_with_search_and_filters(staff_client, model, query):
    response = staff_client.get(reverse(f"admin:territories_{model}_changelist") + query)
    assert response.status_code == 200


def test_commune_search_finds_by_code_and_filters_by_epci(staff_client):
    url = reverse("admin:territories_commune_changelist")
    assert "Lyon 3e Arrondissement" in staff_client.get(url + "?q=69383").content.decode()
    response = staff_client.get(url + f"?epci={LYON_EPCI}&kind__exact=ARM")
    assert {c.code for c in response.context["cl"].result_list} == {f"6938{n}" for n in range(1, 10)}


def test_commune_page_shows_the_contour_read_only(staff_client):
    response = staff_client.get(reverse("admin:territories_commune_change", args=["69383"]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "MultiPolygon, 1 polygone" in page
    assert 'name="contour"' not in page  # not an input
    assert 'name="code"' not in page


def test_territory_page_offers_only_the_communes_of_its_epci(staff_client):
    territory = Territory.objects.get(slug="ctm-rhone-amont")
    response = staff_client.get(reverse("admin:territories_territory_change", args=[territory.pk]))
    choices = response.context["adminform"].form.fields["communes"].queryset
    assert choices.filter(code="69266").exists()
    assert choices.filter(code="69383").exists()
    assert not choices.filter(code="57463").exists()


def test_admin_can_change_a_territory_composition(staff_client):
    territory = Territory.objects.get(slug="ctm-rhone-amont")
    response = staff_client.post(
        reverse("admin:territories_territory_change", args=[territory.pk]),
        {
            "name": territory.name,
            "slug": territory.slug,
            "kind": territory.kind,
            "epci": LYON_EPCI,
            "communes": ["69256", "69275", "69279", "69282", "69266"],
            "to_check": "on",
            "source": "Décision de test",
        },
    )
    assert response.status_code == 302
    territory.refresh_from_db()
    assert territory.to_check and territory.source == "Décision de test"
    assert set(territory.communes.values_list("code", flat=True)) == {"69256", "69275", "69279", "69282", "69266"}
    assert Commune.objects.get(code="69266").territories.count() == 2


def test_a_new_territory_searches_communes_as_you_type_instead_of_listing_all_of_france(client):
    call_command("load_territories", "--no-territories", stdout=io.StringIO())
    log_in_verified(client, make_user(is_staff=True, is_superuser=True))

    response = client.get(reverse("admin:territories_territory_add"))

    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<option") < 100  # not 35,000 communes
    assert "admin-autocomplete" in page
    found = client.get(
        reverse("admin:autocomplete"),
        {"term": "Villeurb", "app_label": "territories", "model_name": "territory", "field_name": "communes"},
    )
    assert [r["text"] for r in found.json()["results"]] == ["Villeurbanne (69266)"]
