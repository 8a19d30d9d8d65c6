"""Who may see and do what with referrals (need to know).

- professional: an account with an active membership of a structure (its organisation); sees the
  referrals their organisation sent (others' drafts excepted), as long as the membership is active:
  having sent a referral gives no access of its own once the membership ended or was rejected;
- structure member or admin: sees the referrals sent to their structure, answers them;
- vouched access (docs/adr/0007-referrals.md, 2026-12-07): a membership opens referrals only once the
  structure is published (validated by moderation), and only those sent from the moment the access was
  granted (`Membership.decided_at`: an admin approved the member, a moderator the first admin or the
  structure its creator proposed); older ones stay with those who had access then. `access` is the one
  place that says so; the queryset (`Referral.objects.visible_to`, `received_by`, `sent_by_side`) and
  `parties` read it, so every page, API route, answer, attachment and print obeys it;
- steering staff: the permission `referrals.view_statistics` (the group « pilotage » has it):
  anonymous figures only;
- authorised agent: the permission `referrals.export_personal_data` (right of access), granted
  explicitly to the account or one of its groups: a superuser does not have it by being one;
- territory moderators and administrators have no access to referrals as such (404).
"""

import datetime as dt

from relais.accounts.models import Membership
from relais.offer.models import Moderation
from relais.referrals.models import Party, Status

STEERING_GROUP = "pilotage"
STATISTICS_PERMISSION = "referrals.view_statistics"
EXPORT_PERMISSION = "referrals.export_personal_data"


def access(user) -> dict[str, dt.datetime]:
    """{structure id: since when} for the published structures the user is an active member of.

    `since` is when the access was granted (`decided_at`; a membership created active without a decision,
    as by older data or a test factory, counts from its creation). Cached on the user object for the request.
    """
    if not user.is_authenticated:
        return {}
    cached = getattr(user, "_referral_access", None)
    if cached is None:
        rows = (
            Membership.objects.filter(
                user=user, status=Membership.Status.ACTIVE, structure__moderation=Moderation.PUBLISHED
            )
            .order_by("structure_id")
            .values_list("structure_id", "decided_at", "created_at")
        )
        cached = {structure_id: decided_at or created_at for structure_id, decided_at, created_at in rows}
        user._referral_access = cached
    return cached


def structure_ids(user) -> list[str]:
    """The structures the user acts for in referrals (published, active membership), sorted."""
    return list(access(user))


def referral_date(referral) -> dt.datetime:
    """The moment a referral counts from for vouched access: when it was sent (a draft: when written)."""
    return referral.sent_at or referral.created_at


def parties(user, referral) -> set[str]:
    """The sides the user stands on for this referral (both when a structure refers to itself)."""
    granted = access(user)
    when = referral_date(referral)
    found = set()
    # The sending side is the organisation: its active members, the author alone for a draft (never the
    # author once their membership ended), and only what it sent since the member's access was granted.
    since = granted.get(referral.sender_structure_id)
    if since is not None and when >= since and (referral.sender_id == user.pk or referral.status != Status.DRAFT):
        found.add(Party.SENDER)
    since = granted.get(referral.structure_id)
    if since is not None and when >= since and referral.status != Status.DRAFT:
        found.add(Party.RECEIVER)
    return found


def is_steering(user) -> bool:
    return user.is_authenticated and user.has_perm(STATISTICS_PERMISSION)


def can_export(user) -> bool:
    """An explicit grant only: Django's `has_perm` answers True to any superuser, this does not."""
    if not user.is_authenticated or not user.is_active:
        return False
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    app_label, codename = EXPORT_PERMISSION.split(".")
    return (
        Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        .filter(Q(user=user) | Q(group__user=user))
        .exists()
    )


def ensure_steering_group(sender, using="default", **kwargs):
    """post_migrate: the group « pilotage » exists and may read the anonymous statistics."""
    from django.contrib.auth.models import Group, Permission

    permission = (
        Permission.objects.using(using).filter(content_type__app_label="referrals", codename="view_statistics").first()
    )
    if permission is None:
        return
    group, _ = Group.objects.using(using).get_or_create(name=STEERING_GROUP)
    group.permissions.add(permission)
