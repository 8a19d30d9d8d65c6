"""« Signaler une erreur »: the public form on every fiche (views/reports.py `report`, `report_sent`).

No account; CSRF; every field checked with a message naming it; a trap field for robots; a per-IP throttle.
"""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from relais.offer.models import Aid, ErrorReport, Moderation
from tests.factories import make_service, make_structure

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def service():
    return make_service(nom="Aide aux démarches", telephone="04 78 00 00 01")


@pytest.fixture
def aid():
    return Aid.objects.create(
        slug="aide-test", name="Aide de test", institution="Métropole", summary="Une aide inventée."
    )


def form_url(target, object_id):
    return reverse("offer:report", args=[target, object_id])


def valid(**overrides):
    data = {"kind": "hours", "message": "Fermé le mercredi après-midi.", "email": "", "site": ""}
    data.update(overrides)
    return data


def test_every_public_fiche_links_to_its_report_form(client, service, aid):
    pages = {
        reverse("offer:service", args=[service.pk]): form_url("services", service.pk),
        reverse("offer:structure", args=[service.structure.pk]): form_url("structures", service.structure.pk),
        reverse("offer:aid", args=[aid.slug]): form_url("aides", aid.slug),
    }
    for fiche, form in pages.items():
        html = client.get(fiche).content.decode()
        assert f'href="{form}"' in html, fiche
        assert "Signaler une erreur sur cette fiche" in html


def test_the_form_shows_the_fiche_the_kinds_and_the_warning_about_personal_data(client, service):
    response = client.get(form_url("services", service.pk))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Signaler une erreur sur « Aide aux démarches »" in html
    for label in ("Fermé définitivement", "Horaires erronés", "Téléphone ou adresse erronés", "Autre erreur"):
        assert label in html
    assert "Ne donnez aucune information personnelle ni de santé" in html
    assert "Seulement si vous souhaitez une réponse" in html and "après 90 jours" in html
    assert "appelez la structure au 04 78 00 00 01" in html  # not a help desk: where to get help instead
    assert 'class="field trap"' in html and 'name="site"' in html
    assert response["Cache-Control"].startswith("max-age=0")


def test_a_report_on_a_service_is_stored_and_the_person_sees_a_confirmation(client, service):
    response = client.post(form_url("services", service.pk), valid(email="Lea@Example.org"))
    assert response.status_code == 302
    assert response["Location"] == reverse("offer:report_sent", args=["services", service.pk])
    report = ErrorReport.objects.get()
    assert (report.target, report.service, report.structure, report.aid) == ("service", service, None, None)
    assert (report.kind, report.message, report.reporter_email) == (
        "hours",
        "Fermé le mercredi après-midi.",
        "Lea@Example.org",
    )
    assert report.status == ErrorReport.Status.NEW and report.handled_at is None
    confirmation = client.get(response["Location"])
    assert "Merci, votre signalement est envoyé" in confirmation.content.decode()
    assert f'href="{reverse("offer:service", args=[service.pk])}"' in confirmation.content.decode()


def test_reports_on_a_structure_and_on_an_aid_point_to_them(client, service, aid):
    client.post(form_url("structures", service.structure.pk), valid(kind="closed", message=""))
    client.post(form_url("aides", aid.slug), valid(kind="eligibility"))
    on_structure, on_aid = ErrorReport.objects.order_by("id")
    assert (on_structure.target, on_structure.structure, on_structure.service) == ("structure", service.structure, None)
    assert (on_aid.target, on_aid.aid, on_aid.structure) == ("aid", aid, None)


def test_no_kind_is_refused_with_a_message_naming_the_field(client, service):
    response = client.post(form_url("services", service.pk), valid(kind=""))
    html = response.content.decode()
    assert response.status_code == 400
    assert 'href="#id_kind_0">Qu’est-ce qui est faux ?</a> : Choisissez ce qui est faux.' in html
    assert not ErrorReport.objects.exists()


def test_an_empty_post_gets_the_messages_too(client, service):
    response = client.post(form_url("services", service.pk), {})
    assert response.status_code == 400
    assert "Qu’est-ce qui est faux ?</a> : Choisissez ce qui est faux." in response.content.decode()


def test_an_unknown_kind_is_refused(client, service):
    response = client.post(form_url("services", service.pk), valid(kind="spam"))
    assert response.status_code == 400
    assert "Choisissez ce qui est faux dans la liste." in response.content.decode()
    assert not ErrorReport.objects.exists()


def test_other_needs_a_message(client, service):
    response = client.post(form_url("services", service.pk), valid(kind="other", message="   "))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Précisions</a> : Dites ce qui est faux : vous avez choisi « Autre erreur »." in html
    assert not ErrorReport.objects.exists()


def test_a_message_of_more_than_1000_characters_is_refused_and_1000_are_accepted(client, service):
    response = client.post(form_url("services", service.pk), valid(message="x" * 1001))
    assert response.status_code == 400
    assert "Précisions</a> : Écrivez au plus 1000 caractères (il y en a 1001)" in response.content.decode()
    assert not ErrorReport.objects.exists()
    assert client.post(form_url("services", service.pk), valid(message="x" * 1000)).status_code == 302
    assert len(ErrorReport.objects.get().message) == 1000


def test_a_message_with_control_characters_is_refused(client, service):
    response = client.post(form_url("services", service.pk), valid(message="Fermé\x00 le lundi"))
    assert response.status_code == 400
    assert "Caractère de contrôle interdit" in response.content.decode()


def test_a_wrong_email_is_refused_with_a_message_naming_the_field(client, service):
    response = client.post(form_url("services", service.pk), valid(email="pas-une-adresse"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Votre adresse e-mail (facultatif)</a> : Cette adresse e-mail n’est pas valide" in html
    assert not ErrorReport.objects.exists()


@pytest.mark.parametrize("address", ["a@\u3002example.org", "a@\uffff.org"])
def test_an_address_the_mail_cannot_encode_is_refused(client, service, address):
    response = client.post(form_url("services", service.pk), valid(email=address))
    assert response.status_code == 400
    assert "Votre adresse e-mail (facultatif)</a>" in response.content.decode()
    assert not ErrorReport.objects.exists()


def test_the_email_is_optional(client, service):
    assert client.post(form_url("services", service.pk), valid(email="")).status_code == 302
    assert ErrorReport.objects.get().reporter_email == ""


def test_a_robot_that_fills_the_trap_gets_the_same_answer_and_nothing_is_stored_nor_sent(client, service):
    response = client.post(form_url("services", service.pk), valid(site="http://spam.example"))
    assert response.status_code == 302
    assert response["Location"] == reverse("offer:report_sent", args=["services", service.pk])
    assert not ErrorReport.objects.exists()
    assert mail.outbox == []


def test_the_form_needs_the_csrf_token(service):
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(form_url("services", service.pk), valid()).status_code == 403
    page = strict.get(form_url("services", service.pk))
    token = page.cookies["csrftoken"].value
    assert strict.post(form_url("services", service.pk), valid(csrfmiddlewaretoken=token)).status_code == 302
    assert ErrorReport.objects.count() == 1


def test_one_ip_gets_its_quota_then_a_clear_refusal_while_another_ip_still_can(client, service, settings):
    settings.RELAIS_ERROR_REPORTS_PER_HOUR = 2
    url = form_url("services", service.pk)
    for _ in range(2):
        assert client.post(url, valid(), REMOTE_ADDR="203.0.113.5").status_code == 302
    refused = client.post(url, valid(), REMOTE_ADDR="203.0.113.5")
    assert refused.status_code == 429
    assert "Trop de signalements depuis cette connexion : réessayez dans une heure" in refused.content.decode()
    assert client.post(url, valid(), REMOTE_ADDR="203.0.113.6").status_code == 302
    assert ErrorReport.objects.count() == 3


def test_invalid_posts_do_not_use_up_the_quota(client, service, settings):
    settings.RELAIS_ERROR_REPORTS_PER_HOUR = 1
    url = form_url("services", service.pk)
    for _ in range(3):
        assert client.post(url, valid(kind=""), REMOTE_ADDR="203.0.113.5").status_code == 400
    assert client.post(url, valid(), REMOTE_ADDR="203.0.113.5").status_code == 302


def test_the_quota_is_per_hour(client, service, settings):
    settings.RELAIS_ERROR_REPORTS_PER_HOUR = 1
    url = form_url("services", service.pk)
    assert client.post(url, valid(), REMOTE_ADDR="203.0.113.5").status_code == 302
    assert client.post(url, valid(), REMOTE_ADDR="203.0.113.5").status_code == 429
    with time_machine.travel(dt.timedelta(hours=1, seconds=1)):
        assert client.post(url, valid(), REMOTE_ADDR="203.0.113.5").status_code == 302


def test_one_fiche_gets_a_few_reports_a_day_whoever_sends_them(client, service, settings):
    """Each report e-mails the structure, its members and its moderators: many senders cannot flood them."""
    settings.RELAIS_ERROR_REPORTS_PER_FICHE_PER_DAY = 2
    url = form_url("services", service.pk)
    statuses = [client.post(url, valid(), REMOTE_ADDR=f"203.0.113.{n}").status_code for n in range(3)]
    assert statuses == [302, 302, 429] and ErrorReport.objects.count() == 2
    refused = client.post(url, valid(), REMOTE_ADDR="203.0.113.9").content.decode()
    assert "Cette fiche a déjà reçu beaucoup de signalements aujourd’hui" in refused
    other = make_service(service.structure, nom="Autre service")
    assert client.post(form_url("services", other.pk), valid(), REMOTE_ADDR="203.0.113.9").status_code == 302


@pytest.mark.parametrize("moderation", [Moderation.PENDING, Moderation.REJECTED])
def test_listings_the_public_cannot_see_cannot_be_reported(client, moderation):
    hidden_service = make_service(moderation=moderation)
    hidden_structure = make_structure(moderation=moderation)
    for target, pk in (("services", hidden_service.pk), ("structures", hidden_structure.pk)):
        assert client.get(form_url(target, pk)).status_code == 404
        assert client.post(form_url(target, pk), valid()).status_code == 404
        assert client.get(reverse("offer:report_sent", args=[target, pk])).status_code == 404
    assert not ErrorReport.objects.exists()


def test_unknown_fiches_are_a_404(client):
    for target in ("services", "structures", "aides"):
        assert client.get(form_url(target, "inconnu")).status_code == 404
