"""Who may see and do what with referrals (need to know).

- professional: an account with an active membership of a structure (its organisation); sees the
  referrals their organisation sent (others' drafts excepted), as long as the membership is active:
  having sent a referral gives no access of its own once the membership ended or was rejected;
- structure member or admin: sees the referrals sent to their structure, answers them;
- steering staff: the permission `referrals.view_statistics` (the group « pilotage » has it):
  anonymous figures only;
- authorised agent: the permission `referrals.export_personal_data` (right of access), granted
  explicitly to the account or one of its groups: a superuser does not have it by being one;
- territory moderators and administrators have no access to referrals as such (404).
"""

from relais.accounts.models import Membership
from relais.referrals.models import Party, Status

STEERING_GROUP = "pilotage"
STATISTICS_PERMISSION = "referrals.view_statistics"
EXPORT_PERMISSION = "referrals.export_personal_data"


def structure_ids(user) -> list[str]:
    """The structures the user is an active member of (cached on the user object for the request)."""
    if not user.is_authenticated:
        return []
    cached = getattr(user, "_referral_structure_ids", None)
    if cached is None:
        cached = list(
            Membership.objects.filter(user=user, status=Membership.Status.ACTIVE)
            .order_by("structure_id")
            .values_list("structure_id", flat=True)
        )
        user._referral_structure_ids = cached
    return cached


def parties(user, referral) -> set[str]:
    """The sides the user stands on for this referral (both when a structure refers to itself)."""
    ids = set(structure_ids(user))
    found = set()
    # The sending side is the organisation: its active members, the author alone for a draft (never the
    # author once their membership ended).
    if referral.sender_structure_id in ids and (referral.sender_id == user.pk or referral.status != Status.DRAFT):
        found.add(Party.SENDER)
    if referral.structure_id in ids and referral.status != Status.DRAFT:
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
