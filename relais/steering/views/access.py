"""Who may open the plan team's pages: a verified second factor, always.

Those pages name people (pilots, their e-mails, the authors of every change), so they wait for the second
factor like every other page with personal data (ADR 0006). `personal_data_access` asks it only of the
accounts `relais.accounts.security` knows to have a role; a role on a plan lives here, above accounts, so
this asks it of every account.
"""

from functools import wraps

from django.shortcuts import redirect

from relais.accounts import security
from relais.accounts.decorators import personal_data_access


def second_factor_always(view):
    """personal_data_access, and a verified second factor even for an account whose only role is on a plan
    (relais.accounts.security does not know steering roles: accounts sits below steering)."""

    @personal_data_access
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not security.is_verified(request):
            return redirect(security.second_factor_url(request, request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapper
