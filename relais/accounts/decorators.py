"""Access decorators, one per concern."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from relais.accounts import confirmation


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


def confirmed_email_required(view):
    """Views that claim a link to a structure (join, propose): login required, and a confirmed address.

    An account whose address is not confirmed yet is sent to the page that sends the link again.
    """

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not confirmation.is_confirmed(request.user):
            messages.warning(
                request,
                _(
                    "Confirmez d’abord votre adresse électronique : ouvrez le lien reçu à l’inscription, "
                    "ou demandez-en un nouveau ci-dessous."
                ),
            )
            return redirect("accounts:email_resend")
        return view(request, *args, **kwargs)

    return wrapper
