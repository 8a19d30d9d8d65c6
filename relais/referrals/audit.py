"""The append-only access log: every read or change of a referral by a person, a link or a job."""

from django.utils import timezone

from relais.referrals.models import AccessLog

Action = AccessLog.Action
Channel = AccessLog.Channel


def actor_label(user=None, link=None) -> str:
    if user is not None and user.is_authenticated:
        return user.email
    if link is not None:
        return f"lien:{link.email}"
    return "personne"


def record(referrals, action: str, channel: str, *, user=None, link=None, actor: str = "", detail: str = "") -> None:
    """One row per referral, written in one query."""
    referrals = [r for r in referrals if r is not None]
    if not referrals:
        return
    now = timezone.now()
    user = user if user is not None and user.is_authenticated else None
    label = actor or actor_label(user, link)
    AccessLog.objects.bulk_create(
        [
            AccessLog(
                at=now,
                referral_id=referral.pk,
                user=user,
                link_id=link.pk if link is not None else None,
                actor=label[:254],
                action=action,
                channel=channel,
                detail=detail[:60],
            )
            for referral in referrals
        ]
    )
