"""The evidence a moderator sees before approving the first admin of a structure (docs/adr/0002-moderation.md).

Nothing here decides: it lays out facts a person can check. The requester's e-mail domain is compared
with the domain of the structure's listed e-mail (`courriel`) and of its web site; a webmail domain
(gmail.com…) proves nothing and is said so.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from relais.accounts.models import Membership
from relais.accounts.security import email_confirmed

# Mailbox providers open to anyone: sharing one of these domains with the structure proves nothing.
PUBLIC_MAIL_DOMAINS = frozenset(
    {
        "gmail.com",
        "googlemail.com",
        "hotmail.com",
        "hotmail.fr",
        "outlook.com",
        "outlook.fr",
        "live.fr",
        "live.com",
        "msn.com",
        "yahoo.com",
        "yahoo.fr",
        "orange.fr",
        "wanadoo.fr",
        "free.fr",
        "sfr.fr",
        "neuf.fr",
        "laposte.net",
        "icloud.com",
        "me.com",
        "proton.me",
        "protonmail.com",
        "gmx.fr",
        "gmx.com",
        "aol.com",
        "bbox.fr",
    }
)


def email_domain(address: str) -> str:
    return address.rpartition("@")[2].strip().lower() if "@" in (address or "") else ""


def site_domain(url: str) -> str:
    host = (urlsplit(url or "").hostname or "").lower()
    return host.removeprefix("www.")


def _same_organisation(domain: str, listed: str) -> bool:
    """`domain` is `listed` or one of its sub-domains (ccas.ville.fr matches ville.fr)."""
    return bool(domain and listed) and (domain == listed or domain.endswith("." + listed))


@dataclass(frozen=True)
class Evidence:
    requester_domain: str
    listed_domains: tuple[str, ...]  # of the structure's e-mail and web site, as listed in the offer
    domain_matches: bool
    public_mail_domain: bool  # the requester's domain is a webmail: a match proves nothing
    siret: str
    account_created: object  # datetime
    email_confirmed: bool


def evidence(membership: Membership) -> Evidence:
    user, structure = membership.user, membership.structure
    domain = email_domain(user.email)
    listed = tuple(dict.fromkeys(d for d in (email_domain(structure.courriel), site_domain(structure.site_web)) if d))
    public = domain in PUBLIC_MAIL_DOMAINS
    return Evidence(
        requester_domain=domain,
        listed_domains=listed,
        domain_matches=not public and any(_same_organisation(domain, d) for d in listed),
        public_mail_domain=public,
        siret=structure.siret,
        account_created=user.date_joined,
        email_confirmed=email_confirmed(user),
    )
