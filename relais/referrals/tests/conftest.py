"""The referral test world: a sending organisation, a receiving structure, and one account per role."""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group

from relais.accounts.models import Membership
from relais.referrals import actions, audit, consent
from relais.referrals.models import ContactChannel, Outcome, Party, RefusalReason, Situation, Status
from tests.factories import make_member, make_moderator, make_service, make_structure, make_user

PERSON = {
    "first_name": "Amandine",
    "last_name": "Zéphyrin",
    "contact_channel": ContactChannel.EMAIL,
    "contact_value": "amandine.zephyrin@example.org",
    "availability": "le matin en semaine",
    "situation": Situation.HOUSING,
    "reason": "Risque d’expulsion, cherche un accompagnement budgétaire urgent.",
}


def log_in(client, user):
    """Log `user` in with a verified second factor (a confirmed TOTP device, as after the TOTP step)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or TOTPDevice.objects.create(
        user=user, name="test", confirmed=True
    )
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return user


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.RELAIS_SITE_URL = "https://relais.example.org"


@pytest.fixture
def world(db):
    sending = make_structure(nom="Maison de la Métropole test")
    receiving = make_structure(nom="Accueil Solidaire test", courriel="accueil@recoit.example.org")
    other = make_structure(nom="Autre structure test")
    steering = make_user(email="pilotage@example.org")
    steering.groups.add(Group.objects.get(name="pilotage"))
    return SimpleNamespace(
        sending=sending,
        receiving=receiving,
        other=other,
        service=make_service(receiving, nom="Accompagnement budget test"),
        professional=make_member(sending, user=make_user(email="pro@example.org")),
        colleague=make_member(sending, user=make_user(email="collegue@example.org")),
        receiver=make_member(receiving, user=make_user(email="membre@recoit.example.org")),
        receiver_admin=make_member(
            receiving, role=Membership.Role.ADMIN, user=make_user(email="admin@recoit.example.org")
        ),
        outsider=make_member(other, user=make_user(email="autre@example.org")),
        moderator=make_moderator(user=make_user(email="moderation@example.org")),
        steering=steering,
        administrator=make_user(email="root@example.org", is_staff=True, is_superuser=True),
    )


def make_referral(world, status=Status.SENT, *, sender=None, service=None, **person):
    """A referral brought to `status` through the real actions (so its log and dates are real)."""
    sender = sender or world.professional
    referral = actions.save_draft(
        sender=sender,
        sender_structure=world.sending,
        service=service or world.service,
        person={**PERSON, **person},
    )
    if status == Status.DRAFT:
        return referral
    if status == Status.CANCELLED:
        return actions.cancel(referral, actor=sender, channel=audit.Channel.WEB)
    actions.send(referral, actor=sender, consent_version=consent.CURRENT)
    if status == Status.SENT:
        return referral
    if status == Status.EXPIRED:
        return actions.expire(referral)
    if status == Status.REFUSED:
        return actions.refuse(
            referral, reason=RefusalReason.NO_CAPACITY, share=True, actor=world.receiver, channel=audit.Channel.WEB
        )
    actions.accept(referral, actor=world.receiver, channel=audit.Channel.WEB)
    if status == Status.ACCEPTED:
        return referral
    return actions.record_outcome(
        referral, outcome=Outcome.GOT_HELP, party=Party.RECEIVER, actor=world.receiver, channel=audit.Channel.WEB
    )


@pytest.fixture
def referral_in(world):
    return lambda status=Status.SENT, **kwargs: make_referral(world, status, **kwargs)
