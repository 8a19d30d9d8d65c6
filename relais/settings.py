"""Relais settings: one module, driven by environment variables (docs/environment.md)."""

import re
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from relais.env import env_bool, env_int, env_list, env_str
from relais.production import DEVELOPMENT_SECRET_KEY
from relais.production import check_settings as check_production_settings

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("RELAIS_DEBUG", False)
PRODUCTION = env_bool("RELAIS_PRODUCTION", False)
SECRET_KEY = env_str("RELAIS_SECRET_KEY", "") or DEVELOPMENT_SECRET_KEY
# Production refuses DEBUG, the development key and a weak key, and says why (relais/production.py).
check_production_settings(production=PRODUCTION, debug=DEBUG, secret_key=SECRET_KEY)
ALLOWED_HOSTS = env_list("RELAIS_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("RELAIS_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "relais.accounts.apps.AdminConfig",  # Django's admin, behind the second factor (relais/accounts/admin_site.py)
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "relais.accounts",
    "relais.territories",
    "relais.offer",
    "relais.web",
    "relais.rights",
    "relais.referrals",
    "relais.observatory",
    "relais.steering",
    "relais.matching",  # orientation pages (templates), the engine itself has no models
    "relais.sharing",  # sharing a result list or a fiche by link, e-mail, SMS or print (no models)
    "relais.demo",  # manage.py load_demo
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "ninja",  # serves the OpenAPI viewer's assets from our own static files (no CDN)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "relais.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "relais.web.middleware.ApiLanguageMiddleware",
    # /api/: JSON bodies bounded (415, 413, depth), every error in JSON, in the request's language
    "relais.api_guard.ApiGuardMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "relais.accounts.middleware.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "relais.urls"
WSGI_APPLICATION = "relais.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "relais.web.context_processors.platform",
                "relais.accounts.context_processors.account_security",
            ],
            "string_if_invalid": "",
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'relais.sqlite3'}"),
        conn_max_age=env_int("RELAIS_DB_CONN_MAX_AGE", 0, minimum=0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "relais.accounts.oidc.OIDCBackend",  # answers only in the OIDC callback, when RELAIS_OIDC_* are set
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "offer:partner_dashboard"
LOGOUT_REDIRECT_URL = "web:home"

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("Anglais"))]
LOCALE_PATHS = [BASE_DIR / "relais" / "locale"]
TIME_ZONE = env_str("RELAIS_TIME_ZONE", "Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
MEDIA_ROOT = Path(env_str("RELAIS_MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
# Stored files hold personal data (referral attachments, screening files): readable by the app's user only.
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION

# Security: Django's own middleware and settings, tightened in production.
SESSION_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = PRODUCTION
CSRF_COOKIE_SECURE = PRODUCTION
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_HSTS_SECONDS = 31536000 if PRODUCTION else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = PRODUCTION
SECURE_SSL_REDIRECT = env_bool("RELAIS_SSL_REDIRECT", False)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if PRODUCTION else None
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024

# Platform
RELAIS_PLATFORM_NAME = env_str("RELAIS_PLATFORM_NAME", "Relais")
RELAIS_DEMO = env_bool("RELAIS_DEMO", not PRODUCTION)  # off in production unless explicitly on (docs/environment.md)
RELAIS_STALE_AFTER_DAYS = env_int("RELAIS_STALE_AFTER_DAYS", 180, minimum=1)
# « Signaler une erreur » on public fiches (relais/offer/error_reports.py, docs/adr/0019-error-reports.md):
# reports per client IP and hour, days the reporter's optional address is kept, days a handled report is kept.
RELAIS_ERROR_REPORTS_PER_HOUR = env_int("RELAIS_ERROR_REPORTS_PER_HOUR", 5, minimum=1)
RELAIS_ERROR_REPORTS_PER_FICHE_PER_DAY = env_int("RELAIS_ERROR_REPORTS_PER_FICHE_PER_DAY", 10, minimum=1)
RELAIS_ERROR_REPORT_EMAIL_DAYS = env_int("RELAIS_ERROR_REPORT_EMAIL_DAYS", 90, minimum=1)
RELAIS_ERROR_REPORT_RETENTION_DAYS = env_int("RELAIS_ERROR_REPORT_RETENTION_DAYS", 365, minimum=1)
# Maps (relais/territories/maps.py, docs/adr/0018-interactive-map.md): no tile server unless set.
RELAIS_TILE_URL = env_str("RELAIS_TILE_URL", "")
RELAIS_TILE_ATTRIBUTION = env_str("RELAIS_TILE_ATTRIBUTION", "")  # shown under maps drawn over tiles
# The host becomes the CSP's img-src origin: a plain host name (optionally `{s}.` first, for sub-domains) and
# port, nothing that could widen or end the policy (`;`, spaces, commas, quotes, another placeholder).
_TILE_URL_SHAPE = r"(https|http)://(\{s\}\.)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?/[^\s;,'\"]*"
if RELAIS_TILE_URL and not (
    re.fullmatch(_TILE_URL_SHAPE, RELAIS_TILE_URL)
    and all(p in RELAIS_TILE_URL for p in ("{z}", "{x}", "{y}"))
    and (RELAIS_TILE_URL.startswith("https://") or not PRODUCTION)
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "RELAIS_TILE_URL: expected an https:// address (http:// outside production) whose host is a plain name "
        "(optionally {s}. first), with {z}, {x} and {y} and no space, « ; » or « , », "
        f"e.g. https://{{s}}.tiles.example.org/{{z}}/{{x}}/{{y}}.png; got {RELAIS_TILE_URL!r}"
    )
# The "Itinéraire" link of a service fiche: {lat} and {lon} are replaced; empty, no link. A link only: nothing
# leaves the site unless the person follows it.
RELAIS_ROUTE_URL = env_str("RELAIS_ROUTE_URL", "https://www.openstreetmap.org/directions?route=%3B{lat}%2C{lon}")
if RELAIS_ROUTE_URL and not (
    RELAIS_ROUTE_URL.startswith(("https://", "http://", "geo:"))
    and "{lat}" in RELAIS_ROUTE_URL
    and "{lon}" in RELAIS_ROUTE_URL
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "RELAIS_ROUTE_URL: expected an https:// or geo: address with {lat} and {lon}, e.g. geo:{lat},{lon}; "
        f"got {RELAIS_ROUTE_URL!r}"
    )
# Build the law and run a first simulation before serving (relais/wsgi.py, relais/asgi.py).
RELAIS_RIGHTS_WARMUP = env_bool("RELAIS_RIGHTS_WARMUP", not DEBUG)
RELAIS_RIGHTS_EMAIL_PER_HOUR = env_int("RELAIS_RIGHTS_EMAIL_PER_HOUR", 5, minimum=1)
# Sharing a result list or a fiche by e-mail or SMS (relais/sharing): messages per client IP per hour, and per
# recipient per hour (counted in the cache under a keyed hash, never in the database).
RELAIS_SHARE_PER_HOUR = env_int("RELAIS_SHARE_PER_HOUR", 10, minimum=1)
RELAIS_SHARE_PER_RECIPIENT_PER_HOUR = env_int("RELAIS_SHARE_PER_RECIPIENT_PER_HOUR", 3, minimum=1)
RELAIS_SHARE_SMS_PER_DAY = env_int("RELAIS_SHARE_SMS_PER_DAY", 200, minimum=1)  # all senders together: SMS cost money
# Batch screening uploads (relais/rights/jobs.py): hours their files are kept once the job has run.
RELAIS_SCREENING_RETENTION_HOURS = env_int("RELAIS_SCREENING_RETENTION_HOURS", 24, minimum=1)

# Search (relais/matching/runtime.py) and its anonymous traces (relais/observatory, docs/data-traces.md).
RELAIS_SEARCH_INDEX_CHECK_SECONDS = env_int("RELAIS_SEARCH_INDEX_CHECK_SECONDS", 10, minimum=0)
RELAIS_SEARCH_WARMUP = env_bool("RELAIS_SEARCH_WARMUP", not DEBUG)
RELAIS_TRACE_SEARCHES = env_bool("RELAIS_TRACE_SEARCHES", True)
RELAIS_SEARCH_TRACE_DAYS = env_int("RELAIS_SEARCH_TRACE_DAYS", 395, minimum=1)
# Observatory (relais/observatory): platform counts below this are never published; signals public or not.
RELAIS_OBSERVATORY_MIN_COUNT = env_int("RELAIS_OBSERVATORY_MIN_COUNT", 11, minimum=2)
RELAIS_OBSERVATORY_PUBLIC_SIGNALS = env_bool("RELAIS_OBSERVATORY_PUBLIC_SIGNALS", False)

# Accounts security (relais/accounts, docs/adr/0006-accounts-and-security.md): sessions, throttling, second factor, OIDC.
RELAIS_SESSION_IDLE_MINUTES = env_int("RELAIS_SESSION_IDLE_MINUTES", 30, minimum=3)
RELAIS_SESSION_MAX_HOURS = env_int("RELAIS_SESSION_MAX_HOURS", 12, minimum=1)
SESSION_COOKIE_AGE = RELAIS_SESSION_MAX_HOURS * 3600  # the cookie never outlives the session's absolute limit
RELAIS_LOGIN_MAX_FAILURES = env_int("RELAIS_LOGIN_MAX_FAILURES", 5, minimum=1)
RELAIS_LOGIN_MAX_FAILURES_PER_IP = env_int("RELAIS_LOGIN_MAX_FAILURES_PER_IP", 30, minimum=1)
RELAIS_LOGIN_LOCKOUT_MINUTES = env_int("RELAIS_LOGIN_LOCKOUT_MINUTES", 15, minimum=1)
RELAIS_CLIENT_IP_HEADER = env_str("RELAIS_CLIENT_IP_HEADER", "")
# Links sent by e-mail: confirming the address of a new account, choosing a new password (single-use, expiring).
RELAIS_EMAIL_CONFIRMATION_HOURS = env_int("RELAIS_EMAIL_CONFIRMATION_HOURS", 72, minimum=1)
RELAIS_PASSWORD_RESET_MINUTES = env_int("RELAIS_PASSWORD_RESET_MINUTES", 60, minimum=5)
PASSWORD_RESET_TIMEOUT = RELAIS_PASSWORD_RESET_MINUTES * 60
OTP_TOTP_ISSUER = RELAIS_PLATFORM_NAME  # the name shown in authenticator apps
OTP_ADMIN_HIDE_SENSITIVE_DATA = True  # the admin never shows a TOTP secret
RELAIS_OIDC_ISSUER = env_str("RELAIS_OIDC_ISSUER", "").rstrip("/")
RELAIS_OIDC_CLIENT_ID = env_str("RELAIS_OIDC_CLIENT_ID", "")
RELAIS_OIDC_CLIENT_SECRET = env_str("RELAIS_OIDC_CLIENT_SECRET", "")
RELAIS_OIDC_SCOPES = env_str("RELAIS_OIDC_SCOPES", "openid email given_name usual_name")
RELAIS_OIDC_SIGN_ALGO = env_str("RELAIS_OIDC_SIGN_ALGO", "RS256")
RELAIS_OIDC_CREATE_USERS = env_bool("RELAIS_OIDC_CREATE_USERS", True)
RELAIS_OIDC_PROVIDER_NAME = env_str("RELAIS_OIDC_PROVIDER_NAME", "ProConnect")
# Accounts are matched by e-mail: only an address the provider says is verified, unless it vouches for all of them.
RELAIS_OIDC_TRUST_PROVIDER_EMAILS = env_bool("RELAIS_OIDC_TRUST_PROVIDER_EMAILS", False)
if RELAIS_OIDC_SIGN_ALGO not in {"RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "HS256"}:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"RELAIS_OIDC_SIGN_ALGO: expected RS256, ES256 or HS256 (…), got {RELAIS_OIDC_SIGN_ALGO!r}"
    )
if PRODUCTION and RELAIS_OIDC_ISSUER and not RELAIS_OIDC_ISSUER.startswith("https://"):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("RELAIS_OIDC_ISSUER: must be an https:// address when RELAIS_PRODUCTION is on")

EMAIL_BACKEND = env_str("RELAIS_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("RELAIS_EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("RELAIS_EMAIL_PORT", 25, minimum=1)
DEFAULT_FROM_EMAIL = env_str("RELAIS_DEFAULT_FROM_EMAIL", "relais@localhost")

# Text messages (relais/sms.py): to the person of a referral who chose the phone, and shared results; off
# unless a backend is set.
RELAIS_SMS_BACKEND = env_str("RELAIS_SMS_BACKEND", "")
RELAIS_SMS_URL = env_str("RELAIS_SMS_URL", "")
RELAIS_SMS_TOKEN = env_str("RELAIS_SMS_TOKEN", "")
RELAIS_SMS_SENDER = env_str("RELAIS_SMS_SENDER", "Relais")
if RELAIS_SMS_BACKEND.startswith("relais.referrals.sms."):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"RELAIS_SMS_BACKEND: the SMS backends moved to relais.sms (docs/adr/0020-sharing.md): write "
        f"{RELAIS_SMS_BACKEND.replace('relais.referrals.sms.', 'relais.sms.')!r}"
    )
if RELAIS_SMS_BACKEND == "relais.sms.HttpBackend" and not (
    RELAIS_SMS_URL.startswith("https://") or (not PRODUCTION and RELAIS_SMS_URL.startswith("http://"))
):
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        "RELAIS_SMS_URL: the gateway's address is required with the HTTP SMS backend, https:// in production"
    )

# Addresses -> positions through the national address API (relais/territories/geocoder.py): off when empty.
RELAIS_GEOCODER_URL = env_str("RELAIS_GEOCODER_URL", "")
RELAIS_GEOCODER_TIMEOUT = env_int("RELAIS_GEOCODER_TIMEOUT_MS", 800, minimum=50) / 1000

# Referrals (relais/referrals): deadlines, signed links, reminders, retention; links in e-mails use RELAIS_SITE_URL.
RELAIS_SITE_URL = env_str("RELAIS_SITE_URL", "http://127.0.0.1:8000")
RELAIS_REFERRAL_EXPIRY_DAYS = env_int("RELAIS_REFERRAL_EXPIRY_DAYS", 30, minimum=1)
RELAIS_REFERRAL_LINK_DAYS = env_int("RELAIS_REFERRAL_LINK_DAYS", 8, minimum=1)
RELAIS_REFERRAL_REMINDER_DAYS = env_list("RELAIS_REFERRAL_REMINDER_DAYS", ["20", "7", "1"])  # checked at start-up
RELAIS_REFERRAL_RETENTION_DAYS = env_int("RELAIS_REFERRAL_RETENTION_DAYS", 90, minimum=1)
RELAIS_REFERRAL_OPEN_RETENTION_DAYS = env_int("RELAIS_REFERRAL_OPEN_RETENTION_DAYS", 180, minimum=1)
RELAIS_REFERRAL_ATTACHMENT_DAYS = env_int("RELAIS_REFERRAL_ATTACHMENT_DAYS", 30, minimum=0)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("RELAIS_LOG_LEVEL", "WARNING")},
}
