"""The partner forms' opening hours: French words, the grid or the expression, and moderators' plain words."""

import pytest
from django.urls import reverse
from django.utils import translation

from relais.accounts.models import Membership
from relais.accounts.testing import verified_client
from relais.offer.models import Change
from relais.offer.tests.test_partner_views import _world, edit_service, form_data  # noqa: F401 - _world: fixture
from tests.factories import make_commune, make_member, make_moderator, make_service, make_territory

pytestmark = pytest.mark.django_db


@pytest.fixture
def service():
    return make_service(nom="Aide alimentaire", horaires_accueil="Mo-Fr 09:00-12:00", capacity="accepting")


@pytest.fixture
def member(service):
    return make_member(service.structure, role=Membership.Role.ADMIN)


def test_the_grid_shows_the_stored_hours(service, member):
    page = verified_client(member).get(reverse("offer:partner_service_edit", args=[service.pk]))
    form = page.context["form"]
    assert form["hours_0_days"].value() == ["Mo", "Tu", "We", "Th", "Fr"]
    assert (form["hours_0_start1"].value(), form["hours_0_end1"].value()) == ("09:00", "12:00")
    html = page.content.decode()
    assert "Horaires en toutes lettres" in html and "Pour les experts" in html
    assert 'type="time"' in html


def test_hours_typed_in_french_are_saved_as_the_expression(service, member):
    response = edit_service(
        verified_client(member), service, hours_text="du lundi au vendredi 9h-12h et 14h-17h ; fermé les jours fériés"
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.horaires_accueil == "Mo-Fr 09:00-12:00,14:00-17:00; PH off"


def test_french_that_cannot_be_read_is_a_field_error_saying_what_to_write(service, member):
    response = edit_service(verified_client(member), service, hours_text="le matin")
    assert response.status_code == 200
    assert "Écrivez par exemple" in " ".join(response.context["form"].errors["hours_text"])
    service.refresh_from_db()
    assert service.horaires_accueil == "Mo-Fr 09:00-12:00"


def test_the_grid_writes_the_expression_with_holidays_and_closed_dates(service, member):
    response = edit_service(
        verified_client(member),
        service,
        hours_1_days=["Sa"],
        hours_1_start1="10:00",
        hours_1_end1="12:00",
        hours_holidays_closed="on",
        hours_closed_dates="25 décembre",
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.horaires_accueil == "Mo-Fr 09:00-12:00; Sa 10:00-12:00; PH off; Dec 25 off"
    # and it round-trips: the form shows it again in the grid, unchanged when saved again
    page = verified_client(member).get(reverse("offer:partner_service_edit", args=[service.pk]))
    form = page.context["form"]
    assert form["hours_1_days"].value() == ["Sa"] and form["hours_holidays_closed"].value() is True
    assert form["hours_closed_dates"].value() == "25 décembre"
    changes = Change.objects.count()
    assert edit_service(verified_client(member), service).status_code == 302
    assert Change.objects.count() == changes


def test_a_grid_line_with_days_but_no_hours_is_refused_on_that_line(service, member):
    response = edit_service(verified_client(member), service, hours_2_days=["Sa"])
    assert response.status_code == 200
    assert response.context["form"].errors["hours_2_start1"] == ["Indiquez les heures de ces jours."]


def test_the_expression_stays_available_to_experts(service, member):
    response = edit_service(
        verified_client(member), service, horaires_accueil="Mo-Fr 09:00-12:00; week 1-53/2 Sa 10:00-12:00"
    )
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.horaires_accueil == "Mo-Fr 09:00-12:00; week 1-53/2 Sa 10:00-12:00"
    page = verified_client(member).get(reverse("offer:partner_service_edit", args=[service.pk]))
    assert page.context["form"].hours_grid_unavailable
    assert "trop détaillés pour la grille" in page.content.decode()


def test_changing_the_hours_two_ways_at_once_is_refused(service, member):
    response = edit_service(
        verified_client(member), service, hours_text="lundi 9h-12h", horaires_accueil="Sa 10:00-12:00"
    )
    assert response.status_code == 200
    assert "plusieurs endroits" in " ".join(response.context["form"].errors["hours_text"])


def test_moderators_see_the_hours_in_plain_words_before_and_after(service, member):
    moderator = make_moderator(make_territory(communes=[make_commune()]))
    edit_service(verified_client(member), service, hours_text="lundi 9h-12h et 14h-17h ; fermé les jours fériés")

    html = verified_client(moderator).get(reverse("offer:moderation")).content.decode()

    assert "Du lundi au vendredi : 9 h – 12 h (Mo-Fr 09:00-12:00)" in html
    assert "Lundi : 9 h – 12 h et 14 h – 17 h ; fermé les jours fériés (Mo 09:00-12:00,14:00-17:00; PH off)" in html


def test_the_service_form_refuses_tous_publics_with_other_publics(service, member):
    response = edit_service(verified_client(member), service, publics=["tous-publics", "familles"])
    assert response.status_code == 200
    assert "ne se combine pas" in " ".join(response.context["form"].errors["publics"])


def test_closed_dates_saved_unchanged_from_an_english_page_stay_readable(service, member):
    service.horaires_accueil = "Mo-Fr 09:00-12:00; Dec 25,Aug 01-15 off"
    service.save()
    client = verified_client(member)
    with translation.override("en"):
        url = reverse("offer:partner_service_edit", args=[service.pk])
    assert url.startswith("/en/")
    page = client.get(url)
    assert "Opening hours in words" in page.content.decode()
    form = page.context["form"]
    assert form["hours_closed_dates"].value() == "25 décembre, du 1er août au 15 août"
    changes = Change.objects.count()
    assert client.post(url, form_data(form)).status_code == 302
    assert Change.objects.count() == changes
