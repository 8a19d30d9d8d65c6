"""Start-up guards of production (RELAIS_PRODUCTION=1): the app refuses to start, and says why.

- settings (checked by relais/settings.py as it loads): DEBUG off; a secret key that is neither the
  development key nor short (< 50 characters) nor of low entropy (< 10 distinct characters);
- database: the role the app connects as must not own an append-only table nor be a superuser
  (relais/web/checks.py, run once the apps are loaded).
"""

from django.core.exceptions import ImproperlyConfigured

DEVELOPMENT_SECRET_KEY = "insecure-development-key-do-not-use-in-production"
SECRET_KEY_MIN_LENGTH = 50
SECRET_KEY_MIN_DISTINCT = 10


def settings_problems(*, debug: bool, secret_key: str) -> list[str]:
    """What in these settings forbids production, one sentence each naming the variable."""
    problems = []
    if debug:
        problems.append(
            "RELAIS_DEBUG: must be off when RELAIS_PRODUCTION is on "
            "(debug pages show settings, code and personal data to anyone who triggers an error)"
        )
    if not secret_key or secret_key == DEVELOPMENT_SECRET_KEY or secret_key.startswith("django-insecure-"):
        problems.append(
            "RELAIS_SECRET_KEY: required when RELAIS_PRODUCTION is on, and not the development key "
            "(it is public: anyone could forge sessions and signed links with it)"
        )
    elif len(secret_key) < SECRET_KEY_MIN_LENGTH or len(set(secret_key)) < SECRET_KEY_MIN_DISTINCT:
        problems.append(
            f"RELAIS_SECRET_KEY: too weak for production ({len(secret_key)} characters, "
            f"{len(set(secret_key))} distinct; at least {SECRET_KEY_MIN_LENGTH} and {SECRET_KEY_MIN_DISTINCT}): "
            "it signs sessions and links, a guessable key lets anyone forge them. "
            'Make one with: python3 -c "import secrets; print(secrets.token_urlsafe(64))"'
        )
    return problems


def check_settings(*, production: bool, debug: bool, secret_key: str) -> None:
    if production:
        problems = settings_problems(debug=debug, secret_key=secret_key)
        if problems:
            raise ImproperlyConfigured("Relais refuses to start in production: " + "; ".join(problems))
