"""Answering without an account through a signed, single-purpose link that expires after 8 days and can be renewed."""

import datetime as dt
import re

import time_machine
from django.core import mail, signing
from django.urls import reverse
from django.utils import timezone

from relais.referrals import actions, consent, links, retention
from relais.referrals.models import AccessLog, AnswerLink, Referral, Status
from relais.referrals.tests.conftest import make_referral


def sent_with_mail(world, django_capture_on_commit_callbacks, **person):
    referral = make_referral(world, Status.DRAFT, **person)
    with django_capture_on_commit_callbacks(execute=True):
        actions.send(referral, actor=world.professional, consent_version=consent.CURRENT)
    return referral


def link_path_in(message) -> str:
    return re.search(r"https://relais\.example\.org(/orientations/lien/[^\s]+/)", message.body).group(1)


def test_the_structure_answers_from_the_link_in_its_email(client, world, django_capture_on_commit_callbacks):
    referral = sent_with_mail(world, django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if m.to == ["accueil@recoit.example.org"])
    path = link_path_in(message)
    page = client.get(path)
    assert page.status_code == 200
    assert "Amandine" in page.content.decode()
    response = client.post(path, {"decision": "accept"})
    assert (
        response.status_code == 302
        and response["Location"] == "/orientations/lien/reponse-enregistree/?reponse=acceptee"
    )
    done = client.get(response["Location"]).content.decode()
    assert "Réponse enregistrée" in done and "Vous avez accepté" in done and "Amandine" not in done
    referral.refresh_from_db()
    assert referral.status == Status.ACCEPTED
    step = referral.transitions.order_by("id").last()
    assert step.link is not None and step.actor is None and step.party == "receiver"
    assert AccessLog.objects.filter(referral=referral, link_id=step.link_id, action="view").exists()


def test_the_link_works_once_and_a_replay_changes_nothing(client, world, referral_in):
    referral = referral_in(Status.SENT)
    link = AnswerLink.objects.get(referral=referral)
    path = reverse("referrals:link", args=[links.token_for(link)])
    client.post(path, {"decision": "refuse", "refusal_reason": "no_capacity"})
    response = client.post(path, {"decision": "accept"})
    assert response.status_code == 410
    assert "déjà servi" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.REFUSED
    assert "Amandine" not in client.get(path).content.decode()


def test_a_link_of_a_referral_already_answered_in_the_inbox_is_closed(client, world, referral_in):
    referral = referral_in(Status.SENT)
    actions.accept(referral, actor=world.receiver, channel="web")
    link = AnswerLink.objects.get(referral=referral)
    response = client.get(reverse("referrals:link", args=[links.token_for(link)]))
    assert response.status_code == 410
    assert "n’attend plus de réponse" in response.content.decode()
    assert "Amandine" not in response.content.decode()


def test_forged_tokens_are_rejected_with_a_clear_message(client, world, referral_in):
    referral = referral_in(Status.SENT)
    link = AnswerLink.objects.get(referral=referral)
    genuine = links.token_for(link)
    forged = [
        "not-a-token",
        genuine[:-2] + ("AA" if not genuine.endswith("AA") else "BB"),
        signing.TimestampSigner(salt="another-purpose").sign(link.pk.hex),
        links.person_token(referral),  # a person's follow-up token cannot answer
        "x" * 500,
    ]
    for token in forged:
        response = client.get(reverse("referrals:link", args=[token]))
        assert response.status_code == 400, token
        assert "pas valide" in response.content.decode()
        assert "Amandine" not in response.content.decode()
        assert client.post(reverse("referrals:link", args=[token]), {"decision": "accept"}).status_code == 400
    referral.refresh_from_db()
    assert referral.status == Status.SENT


def test_a_link_expires_after_eight_days_and_can_be_renewed_to_the_same_address(
    client, world, referral_in, django_capture_on_commit_callbacks
):
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        referral = referral_in(Status.SENT)
    link = AnswerLink.objects.get(referral=referral)
    token = links.token_for(link)
    assert link.expires_at == start + dt.timedelta(days=8)
    with time_machine.travel(start + dt.timedelta(days=8, seconds=1), tick=False):
        response = client.get(reverse("referrals:link", args=[token]))
        assert response.status_code == 410
        page = response.content.decode()
        assert "a expiré" in page and "Amandine" not in page
        assert reverse("referrals:link_renew", args=[token]) in page
        assert client.post(reverse("referrals:link", args=[token]), {"decision": "accept"}).status_code == 410
        mail.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("referrals:link_renew", args=[token]), follow=True)
        assert response.status_code == 200 and "Nouveau lien envoyé" in response.content.decode()
        new = AnswerLink.objects.get(renewed_from=link)
        assert new.email == link.email
        assert [m.to for m in mail.outbox] == [[link.email]]
        assert links.token_for(new) in mail.outbox[0].body
        renewal = AccessLog.objects.get(action=AccessLog.Action.RENEW_LINK)
        assert (renewal.referral_id, renewal.link_id, renewal.detail) == (referral.pk, link.pk, str(new.pk))
        # A second renewal of the same link is refused: the new link is in the structure's mailbox.
        response = client.post(reverse("referrals:link_renew", args=[token]))
        assert response.status_code == 409
        assert AnswerLink.objects.count() == 2
        assert client.get(reverse("referrals:link", args=[links.token_for(new)])).status_code == 200
    assert Referral.objects.get(pk=referral.pk).status == Status.SENT


def test_a_valid_link_cannot_be_renewed(client, world, referral_in):
    referral = referral_in(Status.SENT)
    link = AnswerLink.objects.get(referral=referral)
    response = client.post(reverse("referrals:link_renew", args=[links.token_for(link)]))
    assert response.status_code == 409 and "encore valable" in response.content.decode()
    assert AnswerLink.objects.count() == 1


def test_the_attachment_downloads_through_a_usable_link_only(client, world, referral_in, tmp_path):
    from django.core.files.base import ContentFile

    referral = referral_in(Status.SENT)
    referral.attachment.save("courrier.pdf", ContentFile(b"%PDF-1.4 test"), save=False)
    Referral.objects.filter(pk=referral.pk).update(attachment=referral.attachment.name, attachment_kind="pdf")
    link = AnswerLink.objects.get(referral=referral)
    url = reverse("referrals:link_attachment", args=[links.token_for(link)])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert AccessLog.objects.filter(referral=referral, action="download", link_id=link.pk).exists()
    actions.accept(referral, actor=world.receiver, channel="web")
    assert client.get(url).status_code == 410


def test_the_person_follows_their_referral_and_sees_a_shared_refusal_reason(client, world, referral_in):
    referral = referral_in(Status.SENT)
    url = reverse("referrals:person_status", args=[links.person_token(referral)])
    assert "pas encore répondu" in client.get(url).content.decode()
    actions.refuse(referral, reason="out_of_zone", share=True, actor=world.receiver, channel="web")
    page = client.get(url).content.decode()
    assert "hors de la zone d’intervention" in page
    assert "Amandine" not in page  # the page names no one
    assert AccessLog.objects.filter(referral=referral, action="person_view").count() == 2


def test_a_refusal_reason_not_shared_stays_hidden_from_the_person(client, world, referral_in):
    referral = referral_in(Status.SENT)
    actions.refuse(referral, reason="not_eligible", share=False, actor=world.receiver, channel="web")
    page = client.get(reverse("referrals:person_status", args=[links.person_token(referral)])).content.decode()
    assert "ne peut pas donner suite" in page
    assert "conditions d’accès" not in page


def test_a_forged_follow_up_link_is_rejected(client, world, referral_in):
    referral = referral_in(Status.SENT)
    link = AnswerLink.objects.get(referral=referral)
    for token in ["abc", links.token_for(link), links.person_token(referral)[:-3] + "zzz"]:
        response = client.get(reverse("referrals:person_status", args=[token]))
        assert response.status_code == 400


def test_the_follow_up_link_ends_with_the_retention_of_the_persons_data(client, world, referral_in, settings):
    settings.RELAIS_REFERRAL_RETENTION_DAYS = 90
    referral = referral_in(Status.SENT)
    url = reverse("referrals:person_status", args=[links.person_token(referral)])
    actions.accept(referral, actor=world.receiver, channel="web")
    referral.refresh_from_db()
    due = referral.personal_data_purge_after
    with time_machine.travel(due - dt.timedelta(minutes=1)):
        assert client.get(url).status_code == 200
    with time_machine.travel(due + dt.timedelta(minutes=1)):  # due, the purge has not run yet: nothing shown
        response = client.get(url)
        assert response.status_code == 410 and "n’est plus disponible" in response.content.decode()
        assert world.service.nom not in response.content.decode()
        retention.purge()
    response = client.get(url)
    assert response.status_code == 410 and world.service.nom not in response.content.decode()
    assert AccessLog.objects.filter(referral=referral, action="person_view").count() == 1
