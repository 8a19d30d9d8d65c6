"""Optional login through an OpenID Connect provider compatible with ProConnect (mozilla-django-oidc).

On only when RELAIS_OIDC_ISSUER, RELAIS_OIDC_CLIENT_ID and RELAIS_OIDC_CLIENT_SECRET are all set.
The provider's endpoints come from its discovery document (`<issuer>/.well-known/openid-configuration`,
cached an hour), so the issuer is the only address to configure. The authorization code flow uses
state and nonce; the ID token's signature (JWKS), issuer, audience, expiry and nonce are checked;
ProConnect's userinfo answer is itself a signed JWT and is checked the same way. People are matched
by e-mail address (ignoring case), so the address must be one the provider vouches for: the claim
`email_verified` must be true, unless RELAIS_OIDC_TRUST_PROVIDER_EMAILS says that every address the
provider gives is verified (a federation of professional identity providers such as ProConnect;
docs/adr/0006-accounts-and-security.md). An unknown address gets a new account when
RELAIS_OIDC_CREATE_USERS is on. Logging in this way does not replace the second factor
(relais/accounts/security.py): personal data still ask for the TOTP code. Logging out also ends the
session at the provider (ProConnect requires it).
"""

import logging
from urllib.parse import urlencode

import jwt
import requests
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache
from django.core.exceptions import SuspiciousOperation
from django.core.validators import validate_email
from django.http import Http404
from django.shortcuts import redirect, resolve_url
from django.utils import timezone, translation
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from django.views import View
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
DISCOVERY_CACHE_SECONDS = 3600
_REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")


class ProviderError(Exception):
    """The provider's discovery document is missing, unreachable or inconsistent."""


def enabled() -> bool:
    return bool(settings.RELAIS_OIDC_ISSUER and settings.RELAIS_OIDC_CLIENT_ID and settings.RELAIS_OIDC_CLIENT_SECRET)


def provider() -> dict:
    """The provider's discovery document (cached): its endpoints. Raises ProviderError."""
    issuer = settings.RELAIS_OIDC_ISSUER
    key = f"relais:oidc-discovery:{issuer}"
    document = cache.get(key)
    if document is None:
        try:
            response = requests.get(f"{issuer}/.well-known/openid-configuration", timeout=TIMEOUT_SECONDS)
            response.raise_for_status()
            document = response.json()
        except (requests.RequestException, ValueError) as error:
            raise ProviderError(f"discovery document of {issuer}: {error}") from error
        if not isinstance(document, dict) or str(document.get("issuer", "")).rstrip("/") != issuer:
            raise ProviderError(f"discovery document of {issuer}: its issuer is {document.get('issuer')!r}")
        missing = [name for name in _REQUIRED_ENDPOINTS if not document.get(name)]
        if missing:
            raise ProviderError(f"discovery document of {issuer}: missing {', '.join(missing)}")
        cache.set(key, document, DISCOVERY_CACHE_SECONDS)
    return document


def oidc_setting(attr, *default):
    """mozilla-django-oidc's settings, from ours (RELAIS_OIDC_*) and the discovery document."""
    discovered = {
        "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
        "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
        "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
        "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    }
    if attr in discovered:
        return provider()[discovered[attr]]
    values = {
        "OIDC_RP_CLIENT_ID": settings.RELAIS_OIDC_CLIENT_ID,
        "OIDC_RP_CLIENT_SECRET": settings.RELAIS_OIDC_CLIENT_SECRET,
        "OIDC_RP_SCOPES": settings.RELAIS_OIDC_SCOPES,
        "OIDC_RP_SIGN_ALGO": settings.RELAIS_OIDC_SIGN_ALGO,
        "OIDC_RP_IDP_SIGN_KEY": None,
        "OIDC_CREATE_USER": settings.RELAIS_OIDC_CREATE_USERS,
        "OIDC_AUTHENTICATION_CALLBACK_URL": "accounts:oidc_callback",
        "OIDC_REDIRECT_FIELD_NAME": "next",
        "OIDC_USE_NONCE": True,
        "OIDC_VERIFY_SSL": True,
        "OIDC_TIMEOUT": TIMEOUT_SECONDS,
        "OIDC_STORE_ID_TOKEN": True,  # for the logout at the provider
        "OIDC_ALLOW_UNSECURED_JWT": False,
        "LOGIN_REDIRECT_URL": settings.LOGIN_REDIRECT_URL,
        "LOGIN_REDIRECT_URL_FAILURE": "accounts:login",
    }
    if attr in values:
        return values[attr]
    return import_from_settings(attr, *default)


class OIDCBackend(OIDCAuthenticationBackend):
    """Answers only in the callback view (which passes a nonce) and only when OIDC is on."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        # Django builds a backend for every request of a logged-in person: no setting or network here.
        self.UserModel = get_user_model()

    OIDC_OP_TOKEN_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_TOKEN_ENDPOINT"))
    OIDC_OP_USER_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_USER_ENDPOINT"))
    OIDC_OP_JWKS_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_JWKS_ENDPOINT"))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.RELAIS_OIDC_CLIENT_ID)
    OIDC_RP_CLIENT_SECRET = property(lambda self: settings.RELAIS_OIDC_CLIENT_SECRET)
    OIDC_RP_SIGN_ALGO = property(lambda self: settings.RELAIS_OIDC_SIGN_ALGO)
    OIDC_RP_IDP_SIGN_KEY = None

    def authenticate(self, request, **kwargs):
        if not enabled() or "nonce" not in kwargs:
            return None
        with translation.override(settings.LANGUAGE_CODE):  # the registered redirect URI has no language prefix
            return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        """The signature and nonce (mozilla-django-oidc), the expiry (PyJWT), then issuer and audience.

        The ID token (called with a nonce) must name both; a signed userinfo answer is checked on
        those it names.
        """
        payload = super().verify_token(token, **kwargs)
        strict = "nonce" in kwargs
        if strict or "iss" in payload:
            if str(payload.get("iss", "")).rstrip("/") != settings.RELAIS_OIDC_ISSUER:
                raise SuspiciousOperation("OIDC token: unexpected issuer")
        if strict or "aud" in payload:
            audience = payload.get("aud")
            audiences = [audience] if isinstance(audience, str) else list(audience or [])
            if settings.RELAIS_OIDC_CLIENT_ID not in audiences:
                raise SuspiciousOperation("OIDC token: not issued for this client")
        return payload

    def get_userinfo(self, access_token, id_token, payload):
        claims = super().get_userinfo(access_token, id_token, payload)
        if not isinstance(claims, dict) or claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("OIDC userinfo: not about the person of the ID token")
        return claims

    def verify_claims(self, claims):
        email = str(claims.get("email") or "")
        try:
            validate_email(email)
        except Exception:
            return False
        if settings.RELAIS_OIDC_TRUST_PROVIDER_EMAILS or claims.get("email_verified") is True:
            return True
        # An unverified address could be anybody's: never link it to an account, nor create one.
        logger.warning("OIDC login refused: the provider does not say the address is verified")
        if getattr(self, "request", None) is not None:
            self.request.relais_oidc_unverified_email = True
        return False

    def create_user(self, claims):
        return self.UserModel.objects.create_user(
            email=claims["email"].strip(),
            password=None,
            email_confirmed_at=timezone.now(),  # verify_claims: the provider vouched for the address
            first_name=str(claims.get("given_name") or "")[:150],
            last_name=str(claims.get("usual_name") or claims.get("family_name") or "")[:150],
        )

    def update_user(self, user, claims):
        changed = []
        if user.email_confirmed_at is None:  # verify_claims: the provider vouched for the address
            user.email_confirmed_at = timezone.now()
            changed.append("email_confirmed_at")
        if not user.first_name and claims.get("given_name"):
            user.first_name = str(claims["given_name"])[:150]
            changed.append("first_name")
        last = claims.get("usual_name") or claims.get("family_name")
        if not user.last_name and last:
            user.last_name = str(last)[:150]
            changed.append("last_name")
        if changed:
            user.save(update_fields=changed)
        return user

    def get_user(self, user_id):
        return ModelBackend.get_user(self, user_id)  # inactive accounts are refused, as with passwords


def _unavailable(request):
    messages.error(
        request,
        _("La connexion avec %(provider)s n’a pas abouti. Réessayez, ou connectez-vous avec votre mot de passe.")
        % {"provider": settings.RELAIS_OIDC_PROVIDER_NAME},
    )
    return redirect("accounts:login")


class LoginView(OIDCAuthenticationRequestView):
    """Sends the person to the provider, with state and nonce kept in the session."""

    get_settings = staticmethod(oidc_setting)

    def __init__(self, *args, **kwargs):
        View.__init__(self, *args, **kwargs)  # the endpoints are read when needed, not at construction

    OIDC_OP_AUTH_ENDPOINT = property(lambda self: oidc_setting("OIDC_OP_AUTHORIZATION_ENDPOINT"))
    OIDC_RP_CLIENT_ID = property(lambda self: settings.RELAIS_OIDC_CLIENT_ID)

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            provider()
        except ProviderError as error:
            logger.warning("OIDC login unavailable: %s", error)
            return _unavailable(request)
        with translation.override(settings.LANGUAGE_CODE):
            return super().get(request)


class CallbackView(OIDCAuthenticationCallbackView):
    """The provider's answer: code exchanged for tokens on the server side, tokens checked, person logged in."""

    get_settings = staticmethod(oidc_setting)

    def get(self, request):
        if not enabled():
            raise Http404
        try:
            return super().get(request)
        except (
            ProviderError,
            requests.RequestException,
            jwt.PyJWTError,
            SuspiciousOperation,
            ValueError,
            KeyError,
            TypeError,
        ) as error:
            logger.warning("OIDC login refused: %s", error)
            return self.login_failure()

    def login_failure(self):
        if getattr(self.request, "relais_oidc_unverified_email", False):
            messages.error(
                self.request,
                _(
                    "%(provider)s ne confirme pas que votre adresse électronique est vérifiée : la connexion est "
                    "refusée. Connectez-vous avec votre mot de passe, ou faites vérifier votre adresse."
                )
                % {"provider": settings.RELAIS_OIDC_PROVIDER_NAME},
            )
            return redirect("accounts:login")
        return _unavailable(self.request)


def end_session_url(request, id_token: str) -> str | None:
    """The provider's logout address for this ID token, coming back to our home page; None if it has none."""
    try:
        endpoint = provider().get("end_session_endpoint")
    except ProviderError as error:
        logger.warning("OIDC logout at the provider skipped: %s", error)
        return None
    if not endpoint:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        back = request.build_absolute_uri(resolve_url(settings.LOGOUT_REDIRECT_URL))
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": get_random_string(32),
            "post_logout_redirect_uri": back,
        }
    )
    return f"{endpoint}?{query}"
