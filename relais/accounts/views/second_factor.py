"""The second factor's pages: set up an authenticator app, enter a code, backup codes, start again.

Accounts reach them when a personal-data page asks (relais/accounts/security.py), with `next` set
to that page.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from relais.accounts import second_factor, security

INCORRECT = gettext_lazy(
    "Code incorrect ou déjà utilisé : vérifiez l’heure de votre téléphone et saisissez le code affiché."
)


def _next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return ""


def _with_next(name: str, next_url: str) -> str:
    return reverse(name) + (f"?{urlencode({'next': next_url})}" if next_url else "")


def _refuse(form, verification):
    if verification.retry_at:
        form.add_error("code", second_factor.throttled_message(verification.retry_at))
    else:
        form.add_error("code", str(INCORRECT))


def _is_demo_account(user) -> bool:
    return settings.RELAIS_DEMO and security.is_demo_account(user)


@never_cache
@login_required
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def setup(request):
    """Set up the authenticator app: QR code and secret, confirmed by a code; then backup codes, shown once."""
    next_url = _next(request)
    if security.has_device(request.user):
        if not security.is_verified(request):
            return redirect(_with_next("accounts:second_factor_verify", next_url))
        return render(
            request,
            "accounts/second_factor_manage.html",
            {"next": next_url, "codes_left": second_factor.backup_codes_left(request.user)},
        )
    device = second_factor.pending_device(request.user)
    form = second_factor_form(request, backup=False)
    if request.method == "POST" and form.is_valid():
        verification, codes = second_factor.confirm(request.user, device, form.cleaned_data["code"])
        if verification.ok:
            security.mark_verified(request, verification.device)
            messages.success(request, _("Double authentification activée pour votre compte."))
            return render(request, "accounts/second_factor_codes.html", {"codes": codes, "next": next_url})
        _refuse(form, verification)
    return render(
        request,
        "accounts/second_factor_setup.html",
        {
            "form": form,
            "next": next_url,
            "required": security.can_see_personal_data(request.user),
            "qr_code": second_factor.qr_code_svg(
                device.config_url, _("QR code à scanner avec votre application d’authentification")
            ),
            "secret": second_factor.secret_text(device),
        },
    )


def second_factor_form(request, *, backup: bool):
    from relais.accounts.forms import SecondFactorCodeForm

    return SecondFactorCodeForm(request.POST if request.method == "POST" else None, backup=backup)


@never_cache
@login_required
@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
def verify(request):
    """Enter a code from the authenticator app, or a backup code, once per session."""
    next_url = _next(request)
    if not security.has_device(request.user):
        return redirect(_with_next("accounts:second_factor_setup", next_url))
    if security.is_verified(request):
        return redirect(next_url or reverse("accounts:second_factor_setup"))
    form = second_factor_form(request, backup=True)
    if request.method == "POST" and form.is_valid():
        verification = second_factor.verify(request.user, form.cleaned_data["code"])
        if verification.ok:
            security.mark_verified(request, verification.device)
            if verification.device.__class__ is not TOTPDevice:
                messages.info(
                    request,
                    _("Code de secours utilisé : il ne servira plus. Il vous en reste %(count)s.")
                    % {"count": second_factor.backup_codes_left(request.user)},
                )
            return redirect(next_url or settings.LOGIN_REDIRECT_URL)
        _refuse(form, verification)
    return render(
        request,
        "accounts/second_factor_verify.html",
        {"form": form, "next": next_url, "demo_code": _demo_code(request.user)},
    )


def _demo_code(user) -> str:
    """Demo accounts only, in demo mode: the current code, so that a reviewer needs no phone (README.md)."""
    if not _is_demo_account(user):
        return ""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        return ""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


@never_cache
@login_required
@require_POST
def backup_codes(request):
    """Ten new backup codes (the old ones stop working); only after a code was verified in this session."""
    if not security.is_verified(request):
        return redirect(_with_next("accounts:second_factor_verify", reverse("accounts:second_factor_setup")))
    codes = second_factor.new_backup_codes(request.user)
    return render(request, "accounts/second_factor_codes.html", {"codes": codes, "next": _next(request)})


@never_cache
@login_required
@require_POST
def reset(request):
    """Forget the authenticator and backup codes (new phone), after a code was verified in this session."""
    if not security.is_verified(request):
        return redirect(_with_next("accounts:second_factor_verify", reverse("accounts:second_factor_setup")))
    second_factor.remove_devices(request.user)
    security.forget_verification(request)
    messages.info(request, _("Votre application d’authentification a été oubliée : configurez la nouvelle."))
    return redirect("accounts:second_factor_setup")
