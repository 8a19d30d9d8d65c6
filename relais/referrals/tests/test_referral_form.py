"""Referring a person from a service fiche: the minimum, a health warning, one safe attachment, consent, no replay."""

import uuid

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from relais.referrals import consent
from relais.referrals.models import Referral, ReferralTransition, Status
from relais.referrals.tests.conftest import log_in
from tests.factories import make_user

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def form_data(world, **overrides):
    data = {
        "organisation": world.sending.pk,
        "first_name": "Amandine",
        "last_name": "Zéphyrin",
        "contact_channel": "phone",
        "contact_phone": "06 12 34 56 78",
        "contact_email": "",
        "availability": "le matin",
        "situation": "housing",
        "reason": "Cherche un accompagnement pour son budget.",
        "key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def post(client, world, **overrides):
    return client.post(reverse("referrals:new", args=[world.service.pk]), form_data(world, **overrides))


def test_the_service_fiche_links_to_the_referral_form(client, world):
    response = client.get(reverse("offer:service", args=[world.service.pk]))
    assert reverse("referrals:new", args=[world.service.pk]) in response.content.decode()


def test_the_form_warns_not_to_write_health_details(client, world):
    log_in(client, world.professional)
    page = client.get(reverse("referrals:new", args=[world.service.pk])).content.decode()
    assert "Aucune information de santé" in page
    assert 'maxlength="500"' in page


def test_a_professional_makes_a_draft_then_confirms_consent_and_sends(
    client, world, django_capture_on_commit_callbacks
):
    log_in(client, world.professional)
    response = post(client, world)
    referral = Referral.objects.get()
    assert response.status_code == 302 and response.url == reverse("referrals:confirm", args=[referral.pk])
    assert referral.status == Status.DRAFT
    assert (referral.contact_channel, referral.contact_value) == ("phone", "06 12 34 56 78")
    page = client.get(response.url).content.decode()
    assert consent.current_wording()[:40] in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("referrals:confirm", args=[referral.pk]), {"wording_version": consent.CURRENT, "informed": "on"}
        )
    referral.refresh_from_db()
    assert response.status_code == 302
    assert referral.status == Status.SENT
    assert referral.consent_wording_version == consent.CURRENT and referral.consent_at is not None
    assert {m.to[0] for m in mail.outbox} == {
        "accueil@recoit.example.org",
        "membre@recoit.example.org",
        "admin@recoit.example.org",
    }


def test_sending_without_confirming_consent_is_refused_with_a_message(client, world):
    log_in(client, world.professional)
    post(client, world)
    referral = Referral.objects.get()
    response = client.post(reverse("referrals:confirm", args=[referral.pk]), {"wording_version": consent.CURRENT})
    assert response.status_code == 200
    assert "sans son accord, l’orientation ne part pas" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.DRAFT


def test_a_replayed_creation_form_makes_no_second_referral(client, world):
    log_in(client, world.professional)
    data = form_data(world)
    first = client.post(reverse("referrals:new", args=[world.service.pk]), data)
    second = client.post(reverse("referrals:new", args=[world.service.pk]), data)
    assert first.url == second.url
    assert Referral.objects.count() == 1


def test_a_replayed_consent_form_sends_once_and_says_so(client, world):
    log_in(client, world.professional)
    post(client, world)
    referral = Referral.objects.get()
    url = reverse("referrals:confirm", args=[referral.pk])
    client.post(url, {"wording_version": consent.CURRENT, "informed": "on"})
    response = client.post(url, {"wording_version": consent.CURRENT, "informed": "on"}, follow=True)
    assert "déjà été envoyée" in response.content.decode()
    assert ReferralTransition.objects.filter(referral=referral, to_status=Status.SENT).count() == 1


def test_the_chosen_channel_needs_its_value(client, world):
    log_in(client, world.professional)
    response = post(client, world, contact_channel="email", contact_email="")
    assert "La personne a choisi le courriel" in response.content.decode()
    assert not Referral.objects.exists()


def test_only_the_chosen_channel_is_kept(client, world):
    log_in(client, world.professional)
    post(client, world, contact_channel="email", contact_email="a@example.org", contact_phone="06 00 00 00 00")
    referral = Referral.objects.get()
    assert (referral.contact_channel, referral.contact_value) == ("email", "a@example.org")


def test_a_situation_outside_the_list_is_refused(client, world):
    log_in(client, world.professional)
    response = post(client, world, situation="maladie")
    assert response.status_code == 200 and not Referral.objects.exists()
    assert "Situation" in response.content.decode()


def test_a_reason_longer_than_500_characters_is_refused(client, world):
    log_in(client, world.professional)
    response = post(client, world, reason="x" * 501)
    assert "500" in response.content.decode() and not Referral.objects.exists()


def test_health_words_need_an_explicit_confirmation(client, world):
    log_in(client, world.professional)
    response = post(client, world, reason="Sortie d’hospitalisation, diabète.")
    page = response.content.decode()
    assert "information de santé" in page and "hospitalisation" in page
    assert 'name="no_health_details"' in page
    assert not Referral.objects.exists()
    post(client, world, reason="Sortie d’hospitalisation, diabète.", no_health_details="on")
    assert Referral.objects.count() == 1


def test_a_small_pdf_is_kept_and_only_visible_parties_download_it(client, world):
    log_in(client, world.professional)
    post(client, world, attachment=SimpleUploadedFile("courrier.pdf", PDF, content_type="application/pdf"))
    referral = Referral.objects.get()
    assert referral.attachment_kind == "pdf"
    response = client.get(reverse("referrals:attachment", args=[referral.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    log_in(client, world.outsider)
    assert client.get(reverse("referrals:attachment", args=[referral.pk])).status_code == 404


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("photo.png", b"<html><script>alert(1)</script></html>", "pas un vrai fichier PNG"),
        ("document.pdf", b"MZ\x90\x00 this is an executable", "pas un vrai fichier PDF"),
        ("programme.exe", b"MZ\x90\x00", "Seuls les fichiers PDF, JPEG et PNG"),
        ("page.html", b"<html></html>", "Seuls les fichiers PDF, JPEG et PNG"),
        ("vide.pdf", b"", "vide"),
        ("gros.pdf", PDF + b"0" * (2 * 1024 * 1024), "2 Mo au plus"),
    ],
)
def test_oversized_or_disguised_attachments_are_refused_with_a_clear_message(client, world, name, content, message):
    log_in(client, world.professional)
    response = post(client, world, attachment=SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Referral.objects.exists()


def test_a_png_attachment_is_accepted(client, world):
    log_in(client, world.professional)
    post(client, world, attachment=SimpleUploadedFile("plan.png", PNG))
    assert Referral.objects.get().attachment_kind == "png"


def test_an_account_without_organisation_is_told_to_join_its_structure(client, world):
    log_in(client, make_user())
    response = client.get(reverse("referrals:new", args=[world.service.pk]))
    assert response.status_code == 403
    assert reverse("offer:partner_join") in response.content.decode()


def test_a_service_that_does_not_accept_referrals_has_no_form(client, world):
    world.service.accepts_referrals = False
    world.service.save()
    log_in(client, world.professional)
    assert client.get(reverse("referrals:new", args=[world.service.pk])).status_code == 404
    page = client.get(reverse("offer:service", args=[world.service.pk])).content.decode()
    assert reverse("referrals:new", args=[world.service.pk]) not in page


def test_a_professional_cannot_refer_on_behalf_of_a_structure_they_do_not_belong_to(client, world):
    log_in(client, world.professional)
    response = post(client, world, organisation=world.other.pk)
    assert response.status_code == 200 and not Referral.objects.exists()
