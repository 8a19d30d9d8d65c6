"""Referring a person from a service fiche: the minimum, a health warning, one safe attachment, consent, no replay."""

import re
import uuid

import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from relais.referrals import consent
from relais.referrals.models import AccessLog, Referral, ReferralTransition, Status
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


def test_the_same_form_sent_again_with_changes_revises_its_draft(client, world):
    log_in(client, world.professional)
    data = form_data(world)
    first = client.post(reverse("referrals:new", args=[world.service.pk]), data)
    data.update(first_name="Amandina", contact_phone="06 98 76 54 32")  # back button, corrected, sent again
    second = client.post(reverse("referrals:new", args=[world.service.pk]), data)
    assert first.url == second.url
    referral = Referral.objects.get()
    assert (referral.first_name, referral.contact_value) == ("Amandina", "06 98 76 54 32")
    page = client.get(second.url).content.decode()
    assert "Amandina" in page and "06 98 76 54 32" in page  # the consent page shows what will be sent
    assert AccessLog.objects.filter(referral=referral, detail="draft revised").count() == 1


def test_a_replayed_consent_form_sends_once_and_says_so(client, world):
    log_in(client, world.professional)
    post(client, world)
    referral = Referral.objects.get()
    url = reverse("referrals:confirm", args=[referral.pk])
    client.post(url, {"wording_version": consent.CURRENT, "informed": "on"})
    response = client.post(url, {"wording_version": consent.CURRENT, "informed": "on"}, follow=True)
    assert "déjà été envoyée" in response.content.decode()
    assert ReferralTransition.objects.filter(referral=referral, to_status=Status.SENT).count() == 1


def test_the_form_and_the_referral_say_honestly_that_no_sms_is_sent(client, world):
    log_in(client, world.professional)
    page = client.get(reverse("referrals:new", args=[world.service.pk])).content.decode()
    assert "la plateforme n’envoie pas de SMS" in page
    post(client, world)  # the person chose the phone
    referral = Referral.objects.get()
    client.post(
        reverse("referrals:confirm", args=[referral.pk]), {"wording_version": consent.CURRENT, "informed": "on"}
    )
    detail = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "aucun message automatique de la plateforme (pas de SMS)" in detail


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
        ("gros.pdf", PDF + b"0" * (2 * 1024 * 1024), "pèse plus de 2 Mo"),
    ],
)
def test_oversized_or_disguised_attachments_are_refused_with_a_clear_message(client, world, name, content, message):
    log_in(client, world.professional)
    response = post(client, world, attachment=SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Referral.objects.exists()


def test_an_attachment_is_stored_under_a_random_name_never_its_own(client, world):
    log_in(client, world.professional)
    post(client, world, attachment=SimpleUploadedFile("Zéphyrin Amandine - avis.pdf", PDF))
    name = Referral.objects.get().attachment.name
    assert re.fullmatch(r"referrals/\d{4}/\d{2}/[0-9a-f]{32}\.pdf", name), name
    assert default_storage.exists(name)


class CountingInput:
    """A request body of `size` bytes that counts what the server reads of it."""

    def __init__(self, size):
        self.size, self.read_bytes = size, 0

    def read(self, size=-1):
        size = self.size - self.read_bytes if size is None or size < 0 else min(size, self.size - self.read_bytes)
        self.read_bytes += size
        return b"x" * size

    def readline(self, size=-1):
        return self.read(size)


def test_a_request_announcing_more_than_the_limit_is_refused_before_its_body_is_read(client, world):
    log_in(client, world.professional)
    body = CountingInput(30 * 1024 * 1024)
    response = client.generic(
        "POST",
        reverse("referrals:new", args=[world.service.pk]),
        b"",
        content_type="multipart/form-data; boundary=xyz",
        **{"CONTENT_LENGTH": str(body.size), "wsgi.input": body},
    )
    assert response.status_code == 413
    assert "pièce jointe doit peser 2 Mo au plus" in response.content.decode()
    assert body.read_bytes == 0
    assert not Referral.objects.exists()


def test_an_oversized_attachment_never_reaches_the_disk_and_the_other_fields_are_kept(
    client, world, settings, monkeypatch
):
    from django.core.files import uploadhandler

    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 512 * 1024  # Django would stream anything larger to a temporary file
    used = []
    original = uploadhandler.TemporaryFileUploadHandler.new_file

    def spy(self, *args, **kwargs):
        used.append(args)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(uploadhandler.TemporaryFileUploadHandler, "new_file", spy)
    log_in(client, world.professional)
    big = post(client, world, attachment=SimpleUploadedFile("gros.pdf", PDF + b"0" * (2 * 1024 * 1024 + 10)))
    medium = post(client, world, attachment=SimpleUploadedFile("moyen.pdf", PDF + b"0" * (1024 * 1024)))
    page = big.content.decode()
    assert big.status_code == 200 and "« gros.pdf » pèse plus de 2 Mo" in page
    assert 'value="Amandine"' in page  # nothing to type again
    assert medium.status_code == 302  # 1 MB: accepted, read in memory
    assert used == []
    assert Referral.objects.count() == 1


def test_the_form_still_needs_its_csrf_token_behind_the_upload_limits(world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    log_in(client, world.professional)
    url = reverse("referrals:new", args=[world.service.pk])
    assert client.post(url, form_data(world)).status_code == 403
    assert not Referral.objects.exists()
    page = client.get(url)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    assert client.post(url, {**form_data(world), "csrfmiddlewaretoken": token}).status_code == 302
    assert Referral.objects.count() == 1


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
