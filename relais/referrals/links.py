"""Signed links: a structure answers one referral without an account; a person follows theirs.

An answer link is an `AnswerLink` row (who it was sent to, when it expires, whether it was used,
which link it renews) and a token: the row's id signed with Django's `TimestampSigner` under a
salt of its own, so a token made for another purpose (or another site) never validates. The
expiry is the row's `expires_at` (RELAIS_REFERRAL_LINK_DAYS), the use is `used_at`: a link
answers once.
"""

from __future__ import annotations

import uuid

from django.core import signing
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relais.referrals import config
from relais.referrals.models import AnswerLink, Referral, Status

ANSWER_SALT = "relais.referrals.answer-link"
PERSON_SALT = "relais.referrals.person-status"
MAX_TOKEN_LENGTH = 200


class LinkProblem(Exception):
    """A link that cannot be used: `kind` is forged, expired, used or closed; `link` is known unless forged."""

    MESSAGES = {
        "forged": _("Ce lien n’est pas valide : il a été mal copié ou modifié. Utilisez le lien reçu par courriel."),
        "expired": _("Ce lien a expiré. Vous pouvez demander un nouveau lien, envoyé à la même adresse."),
        "used": _("Ce lien a déjà servi à répondre : il ne peut servir qu’une fois."),
        "closed": _(
            "Cette orientation n’attend plus de réponse : elle a déjà reçu une réponse, expiré ou été annulée."
        ),
    }

    def __init__(self, kind: str, link: AnswerLink | None = None):
        self.kind = kind
        self.link = link
        super().__init__(str(self.MESSAGES[kind]))

    @property
    def message(self) -> str:
        return str(self.MESSAGES[self.kind])


def _signer(salt: str) -> signing.TimestampSigner:
    return signing.TimestampSigner(salt=salt)


def issue(referral: Referral, email: str, renewed_from: AnswerLink | None = None) -> AnswerLink:
    now = timezone.now()
    return AnswerLink.objects.create(
        referral=referral,
        email=email,
        created_at=now,
        expires_at=now + config.link_lifetime(),
        renewed_from=renewed_from,
    )


def token_for(link: AnswerLink) -> str:
    return _signer(ANSWER_SALT).sign(link.pk.hex)


def answer_url(link: AnswerLink) -> str:
    return config.site_url() + reverse("referrals:link", args=[token_for(link)])


def link_for_token(token: str) -> AnswerLink:
    """The link of a genuine token, whatever its state; LinkProblem('forged') otherwise."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise LinkProblem("forged")
    try:
        value = _signer(ANSWER_SALT).unsign(token)
        link_id = uuid.UUID(hex=value)
    except (signing.BadSignature, ValueError):
        raise LinkProblem("forged") from None
    link = AnswerLink.objects.select_related("referral__service", "referral__structure").filter(pk=link_id).first()
    if link is None:
        raise LinkProblem("forged")
    return link


def usable_link(token: str) -> AnswerLink:
    """The link of a token that may answer now; LinkProblem otherwise (used, closed, expired, forged)."""
    link = link_for_token(token)
    if link.used_at is not None:
        raise LinkProblem("used", link)
    if link.referral.status != Status.SENT:
        raise LinkProblem("closed", link)
    if link.expires_at <= timezone.now():
        raise LinkProblem("expired", link)
    return link


# --- the person's follow-up page ---------------------------------------------------------------
# The token names the referral and carries no date: the link lives as long as the person's data do.
# Once the erasure date has passed (whether or not the purge has run yet), it shows nothing.


def person_token(referral: Referral) -> str:
    return signing.Signer(salt=PERSON_SALT).sign(referral.pk.hex)


def person_url(referral: Referral) -> str:
    return config.site_url() + reverse("referrals:person_status", args=[person_token(referral)])


def referral_for_person_token(token: str) -> Referral | None:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        return None
    try:
        referral_id = uuid.UUID(hex=signing.Signer(salt=PERSON_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return Referral.objects.select_related("service").exclude(status=Status.DRAFT).filter(pk=referral_id).first()


def person_link_alive(referral: Referral) -> bool:
    """The follow-up page may show this referral: its personal data are not erased nor due for erasure."""
    if referral.is_anonymised:
        return False
    due = referral.personal_data_purge_after
    return due is None or due > timezone.now()
