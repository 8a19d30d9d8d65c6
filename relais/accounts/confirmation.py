"""E-mails that prove an address: confirmation at sign-up, notice to an owner that someone tried to sign
up with their address, password reset (docs/adr/0006-accounts-and-security.md).

Links are signed and expire: a confirmation link after RELAIS_EMAIL_CONFIRMATION_HOURS, a password
reset link after RELAIS_PASSWORD_RESET_MINUTES (Django's PASSWORD_RESET_TIMEOUT). Both are single-use:
the signature covers the state they change (the confirmation date; the password hash and last login).
Links start with RELAIS_SITE_URL, as the referral e-mails do. A failing mail server is logged and
never changes the answer of the page (which must not tell whether an account exists).
"""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator, default_token_generator
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class EmailConfirmationTokenGenerator(PasswordResetTokenGenerator):
    """Django's signed, timestamped token, for another purpose: valid RELAIS_EMAIL_CONFIRMATION_HOURS,
    and once only (the confirmation date is part of what is signed)."""

    key_salt = "relais.accounts.confirmation.EmailConfirmationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{user.pk}{user.email}{user.email_confirmed_at}{timestamp}"

    def check_token(self, user, token):
        if user is None or not token or "-" not in token:
            return False
        try:
            timestamp = base36_to_int(token.split("-", 1)[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > settings.RELAIS_EMAIL_CONFIRMATION_HOURS * 3600:
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


confirmation_tokens = EmailConfirmationTokenGenerator()


def is_confirmed(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.email_confirmed_at is not None)


def confirm(user) -> None:
    """The owner proved the address (a link sent to it, a password reset, a provider that verified it)."""
    if user.email_confirmed_at is None:
        user.email_confirmed_at = timezone.now()
        user.save(update_fields=["email_confirmed_at"])


def _uid(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def _link(name: str, **kwargs) -> str:
    return settings.RELAIS_SITE_URL.rstrip("/") + reverse(name, kwargs=kwargs)


def _send(to: str, subject: str, lines: list[str]) -> None:
    platform = settings.RELAIS_PLATFORM_NAME
    body = "\n\n".join([_("Bonjour,"), *lines, _("L’équipe %(platform)s") % {"platform": platform}])
    message = mail.EmailMessage(subject=f"{platform} : {subject}", body=body + "\n", to=[to])
    try:
        message.send()
    except (OSError, smtplib.SMTPException):
        logger.exception("an account e-mail could not be sent")


def send_confirmation(user) -> None:
    link = _link("accounts:email_confirm", uidb64=_uid(user), token=confirmation_tokens.make_token(user))
    hours = settings.RELAIS_EMAIL_CONFIRMATION_HOURS
    _send(
        user.email,
        _("confirmez votre adresse électronique"),
        [
            _("Un compte vient d’être créé avec cette adresse. Pour la confirmer, ouvrez ce lien :"),
            link,
            _("Le lien est valable %(hours)s heures et ne sert qu’une fois.") % {"hours": hours},
            _("Si vous n’avez pas créé ce compte, ignorez ce message : l’adresse ne sera pas confirmée."),
        ],
    )


def send_signup_attempt_notice(user) -> None:
    """Someone tried to sign up with the address of an existing account: tell its owner, not the visitor."""
    _send(
        user.email,
        _("tentative d’inscription avec votre adresse"),
        [
            _(
                "Quelqu’un a demandé à créer un compte avec votre adresse électronique, qui a déjà un compte. "
                "Aucun compte n’a été créé."
            ),
            _("Si c’était vous, connectez-vous :"),
            _link("accounts:login"),
            _("Mot de passe oublié ? Choisissez-en un nouveau :"),
            _link("accounts:password_reset"),
            _("Si ce n’était pas vous, vous n’avez rien à faire."),
        ],
    )


def send_password_reset(user) -> None:
    link = _link("accounts:password_reset_confirm", uidb64=_uid(user), token=default_token_generator.make_token(user))
    minutes = settings.PASSWORD_RESET_TIMEOUT // 60
    _send(
        user.email,
        _("choisir un nouveau mot de passe"),
        [
            _(
                "Une demande de nouveau mot de passe a été faite pour votre compte. Pour en choisir un, ouvrez ce lien :"
            ),
            link,
            _("Le lien est valable %(minutes)s minutes et ne sert qu’une fois.") % {"minutes": minutes},
            _("Si vous n’avez rien demandé, ignorez ce message : votre mot de passe ne change pas."),
        ],
    )
