"""Access decorators, one per concern."""

from functools import wraps

from django.contrib.auth.decorators import login_required


def personal_data_access(view):
    """Views that show personal data (referrals): login required, and a verified second factor.

    The second-factor check is enforced by relais.accounts.security (TOTP through django-otp);
    until an account has verified its device in this session it is sent to the TOTP step.
    """

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        from relais.accounts import security

        redirect = security.require_verified_second_factor(request)
        if redirect is not None:
            return redirect
        return view(request, *args, **kwargs)

    return wrapper
