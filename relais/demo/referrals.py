"""Demo referrals (manage.py load_demo): a few orientations in every state, so that a reviewer logging in
with the demo accounts (README.md) finds an inbox, a sent list and steering figures that are not empty.

They go through the real actions (state machine, transitions, access log), with e-mails muted, then
their dates are spread over the last weeks. The people are invented and labelled « (démo) »; their
phone numbers are in the 01 99 00 xx xx range reserved for fiction, their addresses @example.org.
Sent by the demo prescriber, so `delete_demo_rows` finds and replaces them.
"""

from __future__ import annotations

import datetime as dt

# The referrals' models and actions are imported inside the functions: Django imports this package (an
# installed app) before the models are ready (relais/demo/load.py).

# (first name, last name, channel, contact, situation, reason, state, days ago for each step after the draft)
PEOPLE = [
    (
        "Camille",
        "Bernard (démo)",
        "phone",
        "01 99 00 41 10",
        "budget",
        "Factures en retard, souhaite un point budget.",
        "sent",
        [2],
    ),
    (
        "Yanis",
        "Morel (démo)",
        "email",
        "yanis.morel.demo@example.org",
        "rights",
        "Dossier de RSA à compléter, a besoin d’aide pour les pièces.",
        "sent",
        [24],
    ),
    (
        "Inès",
        "Garnier (démo)",
        "professional",
        "",
        "housing",
        "Cherche un accompagnement pour une demande de logement.",
        "accepted",
        [12, 10],
    ),
    (
        "Lucas",
        "Fontaine (démo)",
        "phone",
        "01 99 00 41 12",
        "food",
        "Besoin d’un accès à l’aide alimentaire ce mois-ci.",
        "refused",
        [20, 17],
    ),
    (
        "Sarah",
        "Lemoine (démo)",
        "email",
        "sarah.lemoine.demo@example.org",
        "digital",
        "Veut apprendre à faire ses démarches en ligne.",
        "closed",
        [40, 37, 20],
    ),
    (
        "Mehdi",
        "Rousseau (démo)",
        "phone",
        "01 99 00 41 14",
        "employment",
        "Recherche un atelier CV et candidature.",
        "expired",
        [45, 15],
    ),
    (
        "Léa",
        "Chevalier (démo)",
        "phone",
        "01 99 00 41 16",
        "family",
        "Souhaite rencontrer une conseillère famille.",
        "draft",
        [],
    ),
]


def create(*, prescriber, organisation, service, receiver) -> int:
    """The demo referrals from `prescriber` (member of `organisation`) to `service`; returns how many."""
    from django.conf import settings
    from django.utils import timezone

    from relais.referrals import actions, audit, consent, notifications
    from relais.referrals.models import Outcome, Party, Referral, ReferralTransition, RefusalReason, Status

    now = timezone.now()
    made = 0
    with notifications.muted():
        for first, last, channel, value, situation, reason, state, ago in PEOPLE:
            referral = actions.save_draft(
                sender=prescriber,
                sender_structure=organisation,
                service=service,
                person={
                    "first_name": first,
                    "last_name": last,
                    "contact_channel": channel,
                    "contact_value": value,
                    "availability": "en semaine, le matin",
                    "situation": situation,
                    "reason": reason,
                },
            )
            made += 1
            if state == "draft":
                continue
            actions.send(referral, actor=prescriber, consent_version=consent.CURRENT)
            if state == "accepted" or state == "closed":
                actions.accept(referral, actor=receiver, channel=audit.Channel.WEB)
            elif state == "refused":
                actions.refuse(
                    referral, reason=RefusalReason.NO_CAPACITY, share=True, actor=receiver, channel=audit.Channel.WEB
                )
            elif state == "expired":
                actions.expire(referral)
            if state == "closed":
                actions.record_outcome(
                    referral,
                    outcome=Outcome.GOT_HELP,
                    party=Party.RECEIVER,
                    actor=receiver,
                    channel=audit.Channel.WEB,
                )
            # Spread the steps over the past weeks: one date per transition, in order.
            times = [now - dt.timedelta(days=days, hours=2) for days in ago]
            transitions = list(ReferralTransition.objects.filter(referral=referral).order_by("at", "id"))
            for transition, at in zip(transitions, times, strict=True):
                ReferralTransition.objects.filter(pk=transition.pk).update(at=at)
            sent_at = times[0]
            answered = times[1] if state in ("accepted", "refused", "closed") else None
            ended = times[-1] if state in ("refused", "closed", "expired") else None
            start = answered or ended  # when the retention clock starts (actions._apply_dates)
            Referral.objects.filter(pk=referral.pk).update(
                created_at=sent_at - dt.timedelta(minutes=20),
                sent_at=sent_at,
                consent_at=sent_at,
                answer_due_at=sent_at + dt.timedelta(days=settings.RELAIS_REFERRAL_EXPIRY_DAYS),
                answered_at=answered,
                ended_at=ended,
                personal_data_purge_after=_purge_after(answered, ended, state),
                attachment_purge_after=(
                    start + dt.timedelta(days=settings.RELAIS_REFERRAL_ATTACHMENT_DAYS) if start else None
                ),
            )
            assert Referral.objects.get(pk=referral.pk).status == Status(state)
    return made


def _purge_after(answered, ended, state):
    """As actions._apply_dates: the retention after the end; an accepted referral, the open bound at most."""
    from django.conf import settings  # as in `create`: the demo package reads settings at call time

    retention = dt.timedelta(days=settings.RELAIS_REFERRAL_RETENTION_DAYS)
    bound = None
    if answered is not None and state != "refused":
        bound = answered + dt.timedelta(days=settings.RELAIS_REFERRAL_OPEN_RETENTION_DAYS)
    dates = [date for date in (ended + retention if ended else None, bound) if date]
    return min(dates) if dates else None
