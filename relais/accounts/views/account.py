"""Sign-up, login (throttled, with the optional OIDC button) and logout (also at the OIDC provider)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods, require_POST

from relais.accounts import oidc, throttling
from relais.accounts.forms import LoginForm, SignupForm


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
    if request.user.is_authenticated:
        return redirect(_next_url(request))
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _(
                "Compte créé. Rejoignez maintenant votre structure, ou proposez-la si elle n’est pas encore dans l’offre."
            ),
        )
        return redirect(_next_url(request))
    return render(request, "accounts/signup.html", {"form": form, "next": request.GET.get("next", "")})


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
