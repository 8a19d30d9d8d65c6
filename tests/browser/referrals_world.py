"""The referral part of the browser pages' world (tests/browser/test_pages.py): accounts and referrals in
the states the referral and second-factor pages need, made through the real actions, e-mails muted.

`without_second_factor` and `with_unverified_second_factor` are for page addresses: the page's account
is logged in (second factor verified) before its address is computed, so they undo that on purpose to
reach the enrolment and the code pages.
"""

import datetime as dt
from types import SimpleNamespace

from django.contrib.auth.models import Group, Permission
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from relais.accounts.models import Membership
from relais.referrals import actions, consent, links, notifications, roles
from relais.referrals.models import AnswerLink
from tests.factories import make_member, make_service, make_structure, make_user

PERSON = {
    "first_name": "Amandine",
    "last_name": "Zéphyrin",
    "contact_channel": "email",
    "contact_value": "amandine.zephyrin@example.org",
    "availability": "le matin en semaine",
    "situation": "housing",
    "reason": "Cherche un accompagnement pour son budget.",
}


def build(commune):
    sending = make_structure(nom="Maison de la Métropole de Lyon 3e", commune_obj=commune)
    receiving = make_structure(nom="Accueil Solidaire", commune_obj=commune, courriel="accueil@example.org")
    service = make_service(receiving, nom="Accompagnement budget")
    professional = make_member(sending, user=make_user(email="pro@example.org", first_name="Paul", last_name="Pro"))
    receiver = make_member(receiving, role=Membership.Role.ADMIN, user=make_user(email="accueil-membre@example.org"))
    steering = make_user(email="pilotage@example.org")
    steering.groups.add(Group.objects.get(name=roles.STEERING_GROUP))
    agent = make_user(email="dpo@example.org")
    agent.user_permissions.add(Permission.objects.get(codename="export_personal_data"))
    newcomer = make_member(sending, user=make_user(email="nouvelle@example.org"))  # enrols an authenticator
    returning = make_member(sending, user=make_user(email="retour@example.org"))  # enters a code
    with notifications.muted():
        draft = actions.save_draft(sender=professional, sender_structure=sending, service=service, person=PERSON)
        sent = actions.save_draft(sender=professional, sender_structure=sending, service=service, person=PERSON)
        actions.send(sent, actor=professional, consent_version=consent.CURRENT)
        answered = actions.save_draft(sender=professional, sender_structure=sending, service=service, person=PERSON)
        actions.send(answered, actor=professional, consent_version=consent.CURRENT)
        used = AnswerLink.objects.get(referral=answered)
        actions.answer_by_link(used, decision="refuse", reason="no_capacity", share=True)
        late = actions.save_draft(sender=professional, sender_structure=sending, service=service, person=PERSON)
        actions.send(late, actor=professional, consent_version=consent.CURRENT)
        expired = AnswerLink.objects.get(referral=late)
        AnswerLink.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    return SimpleNamespace(
        professional=professional,
        receiver=receiver,
        steering=steering,
        agent=agent,
        newcomer=newcomer,
        returning=returning,
        draft=draft,
        sent=sent,
        answer_token=links.token_for(AnswerLink.objects.get(referral=sent)),
        used_token=links.token_for(used),
        expired_token=links.token_for(expired),
        person_token=links.person_token(answered),
    )


def without_second_factor(user, url: str) -> str:
    """The account is logged in but has no authenticator yet: the enrolment page."""
    TOTPDevice.objects.filter(user=user).delete()
    return url


def with_unverified_second_factor(user, url: str) -> str:
    """The account has an authenticator, not yet verified in this session: the code page."""
    TOTPDevice.objects.filter(user=user).delete()
    TOTPDevice.objects.create(user=user, name="application", confirmed=True)
    return url
