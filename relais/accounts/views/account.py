"""Sign-up (confirmed by e-mail, revealing no account), login (throttled, with the optional OIDC button)
and logout (also at the OIDC provider)."""

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from relais.accounts import confirmation, oidc, throttling
from relais.accounts.forms import LoginForm, SignupForm, too_many_emails_error
from relais.accounts.models import LoginAttempt, User


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@sensitive_post_parameters("password1", "password2")
@require_http_methods(["GET", "POST"])
def signup(request):
    """A new account, whose address is confirmed by a link sent to it. The answer is the same whether the
    address already has an account or not (its owner gets an e-mail instead), so it tells nothing."""
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        admission = throttling.admit(email, throttling.client_ip(request), kind=LoginAttempt.Kind.EMAIL)
        if not admission.allowed:
            form.add_error(None, too_many_emails_error(admission.locked_until))
        else:
            _create_or_notify(form)
            return redirect("accounts:email_sent")
    return render(request, "accounts/signup.html", {"form": form})


def _create_or_notify(form) -> None:
    existing = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
    if existing is None:
        try:
            with transaction.atomic():
                user = form.save()
        except IntegrityError:  # the same address signed up at the same instant
            existing = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        else:
            confirmation.send_confirmation(user)
            return
    make_password(form.cleaned_data["password1"])  # the same work as a new account: the delay tells nothing
    if existing is not None:
        confirmation.send_signup_attempt_notice(existing)


class LoginView(auth_views.LoginView):
    """Django's login with our form: e-mail in any case, failures counted and locked (throttling.py).

    The second factor is asked where personal data begin (security.py), not here: editing the offer
    needs the password only.
    """

    template_name = "accounts/login.html"
    authentication_form = LoginForm

    def form_valid(self, form):
        throttling.clear(form.cleaned_data["username"])
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        return {
            **super().get_context_data(**kwargs),
            "oidc_enabled": oidc.enabled(),
            "oidc_provider_name": settings.RELAIS_OIDC_PROVIDER_NAME,
        }


@require_POST
def logout_view(request):
    """Log out here, then at the OIDC provider when the session came from it (ProConnect requires it)."""
    id_token = request.session.get("oidc_id_token")
    logout(request)
    if id_token and oidc.enabled():
        provider_logout = oidc.end_session_url(request, id_token)
        if provider_logout:
            return redirect(provider_logout)
    return redirect(settings.LOGOUT_REDIRECT_URL)
