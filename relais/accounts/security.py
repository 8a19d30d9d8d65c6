"""Who must use a second factor, and the gate in front of personal data.

One definition (docs/adr/0006-accounts-and-security.md): an account **can see personal data** when it is
active and has any role beyond a resident's:

- an active membership of a structure (professionals send and receive referrals);
- a territory it moderates;
- staff or superuser (the admin shows people's accounts);
- any group or permission of its own (steering staff « pilotage », agents handling the right of access).

Such an account must verify a TOTP code (or a backup code) once per session before any view that
shows personal data (`relais.accounts.decorators.personal_data_access`, the referrals API, the
admin). An account that enrolled a device of its own accord is held to it too. Other accounts
(residents, partners with a pending request only) never need one.
"""

from django.contrib.auth.models import Permission
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp import login as otp_login
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice

from relais.accounts import confirmation
from relais.accounts.demo_accounts import DEMO_EMAIL_DOMAIN
from relais.accounts.models import Membership, TerritoryModerator, User

_VERIFIED_CACHE = "_relais_second_factor_device"


def can_see_personal_data(user) -> bool:
    """The one definition of the accounts held to a second factor (see the module's docstring)."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_staff or user.is_superuser:
        return True
    cached = getattr(user, "_relais_can_see_personal_data", None)
    if cached is None:
        roles = (
            Q(Exists(Membership.objects.filter(user=OuterRef("pk"), status=Membership.Status.ACTIVE)))
            | Q(Exists(TerritoryModerator.objects.filter(user=OuterRef("pk"))))
            | Q(Exists(User.groups.through.objects.filter(user=OuterRef("pk"))))
            | Q(Exists(Permission.objects.filter(user=OuterRef("pk"))))
        )
        cached = User.objects.filter(pk=user.pk).filter(roles).exists()
        user._relais_can_see_personal_data = cached
    return cached


def email_confirmed(user) -> bool:
    """The account proved its e-mail address (link sent at sign-up, password reset, OIDC with a verified
    address, created by an administrator or the demo). Required to ask to join or to propose a structure."""
    return confirmation.is_confirmed(user)


def is_demo_account(user) -> bool:
    """An account of the demo (README.md): its password and TOTP secret are public."""
    return bool(getattr(user, "email", "")) and user.email.lower().endswith("@" + DEMO_EMAIL_DOMAIN)


def demo_account_refused(user) -> bool:
    """Demo accounts may log in only while RELAIS_DEMO is on: their password and second factor are public,
    so a database that once held the demo must not open to them once the demo is off (production)."""
    from django.conf import settings

    return not settings.RELAIS_DEMO and is_demo_account(user)


def has_device(user) -> bool:
    """The account has a confirmed authenticator app (TOTP)."""
    return user.is_authenticated and TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def verified_device(request):
    """The device that verified this session's second factor, or None (one query, cached on the request)."""
    if hasattr(request, _VERIFIED_CACHE):
        return getattr(request, _VERIFIED_CACHE)
    device = None
    user = request.user
    persistent_id = request.session.get(DEVICE_ID_SESSION_KEY) if user.is_authenticated else None
    if persistent_id:
        device = Device.from_persistent_id(persistent_id)
        if device is None or device.user_id != user.pk or not device.confirmed:
            device = None
            request.session.pop(DEVICE_ID_SESSION_KEY, None)
    setattr(request, _VERIFIED_CACHE, device)
    return device


def is_verified(request) -> bool:
    return verified_device(request) is not None


def mark_verified(request, device) -> None:
    """This session passed the second factor with `device`; a new session key guards against fixation."""
    request.session.cycle_key()
    otp_login(request, device)
    setattr(request, _VERIFIED_CACHE, device)


def forget_verification(request) -> None:
    request.session.pop(DEVICE_ID_SESSION_KEY, None)
    request.session.cycle_key()
    setattr(request, _VERIFIED_CACHE, None)


def second_factor_expected(request) -> bool:
    """The account must verify a second factor before seeing personal data in this session."""
    user = request.user
    if not user.is_authenticated or is_verified(request):
        return False
    return can_see_personal_data(user) or has_device(user)


def second_factor_url(request, next_url: str) -> str:
    """Where to go for the second factor: enrolment when the account has no device yet, else the code."""
    name = "accounts:second_factor_verify" if has_device(request.user) else "accounts:second_factor_setup"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def require_verified_second_factor(request):
    """Return a redirect response when the user must (re)verify a second factor, else None."""
    if not second_factor_expected(request):
        return None
    return redirect(second_factor_url(request, request.get_full_path()))
