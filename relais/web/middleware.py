"""Middleware of the whole site: security headers Django's own middleware does not set (a strict
Content-Security-Policy, no inline scripts or styles, and a permissions policy), and the API's language."""

import functools

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers

from relais.territories.maps import tile_origin


@functools.lru_cache(maxsize=8)
def content_security_policy(tile_url: str) -> str:
    """The site's CSP: everything from the site itself; images also from the tile server, when one is set."""
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            f"img-src 'self' data: {tile_origin(tile_url)}".strip(),
            "font-src 'self'",
            "connect-src 'self'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "object-src 'none'",
        ]
    )


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        csp = content_security_policy(settings.RELAIS_TILE_URL)
        if request.path.startswith("/api/v1/docs"):
            # The OpenAPI viewer (Swagger UI) comes from django-ninja's static files, served by us:
            # scripts stay 'self' only; the viewer sets inline styles.
            response.headers.setdefault(
                "Content-Security-Policy", csp.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
            )
        elif request.path.startswith("/admin/"):
            # Django's admin (5.x) has no inline script, its scripts stay 'self' only; some widgets set
            # inline styles.
            response.headers.setdefault(
                "Content-Security-Policy", csp.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")
            )
        else:
            response.headers.setdefault("Content-Security-Policy", csp)
        # Static files answer before Django's XFrameOptionsMiddleware runs: deny framing here too.
        response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        response.headers.setdefault("Permissions-Policy", "geolocation=(self), camera=(), microphone=()")
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


class ApiLanguageMiddleware:
    """The JSON API speaks the language the client asks for (Accept-Language, or the language cookie).

    Pages carry their language in the address (/en/...), so Django's LocaleMiddleware gives every
    address without a prefix the default language, the API's included. API clients cannot put a
    prefix in /api/v1/, so for them the request's own preference decides (French by default)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info.startswith("/api/"):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        response = self.get_response(request)
        if request.path_info.startswith("/api/"):
            patch_vary_headers(response, ("Accept-Language",))
        return response
