"""What a moderator is shown before vouching for an account: is its e-mail address confirmed?

E-mail confirmation at sign-up belongs to relais/accounts (its sign-up flow); until it exposes
`relais.accounts.security.email_confirmed(user)`, this reads the account's confirmation field if the
model has one (`email_confirmed_at` or `email_confirmed`), and answers False otherwise: an address
nobody confirmed is never presented as confirmed.
"""

from relais.accounts import security


def email_confirmed(user) -> bool:
    confirmed = getattr(security, "email_confirmed", None)
    if confirmed is not None:
        return bool(confirmed(user))
    return bool(getattr(user, "email_confirmed_at", None) or getattr(user, "email_confirmed", False))
