"""Ends sessions that were idle too long or are too old (relais/accounts/sessions.py), and the sessions of
demo accounts once the demo is off (relais/accounts/security.py)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse
from django.utils.translation import gettext as _

from relais.accounts import security, sessions


class SessionTimeoutMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware. An expired session is logged out and the
    person is sent to the login page, which says why; the API just answers as to anyone logged out.

    Views marked `session_passive = True` (the warning's status check) do not count as activity.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if SESSION_KEY in session and not settings.RELAIS_DEMO and security.demo_account_refused(request.user):
            logout(request)  # a demo account's session, opened while the demo was on
        if SESSION_KEY in session:
            now = time.time()
            if sessions.LOGIN_AT not in session:  # a session opened before this rule, or by a test helper
                sessions.start(session, now)
            else:
                left = sessions.remaining(session, now)
                if left.expired:
                    return self._expire(request, left.reason)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if SESSION_KEY in request.session and not getattr(view_func, "session_passive", False):
            sessions.touch(request.session, time.time())
        return None

    def _expire(self, request, reason):
        logout(request)
        if request.path.startswith("/api/"):
            return self.get_response(request)
        if reason == "absolute":
            text = _(
                "Votre session a atteint sa durée maximale de %(hours)s heures : reconnectez-vous pour continuer."
            ) % {"hours": sessions.max_seconds() // 3600}
        else:
            text = _(
                "Votre session a expiré après %(minutes)s minutes sans activité : reconnectez-vous pour continuer."
            ) % {"minutes": sessions.idle_seconds() // 60}
        messages.warning(request, text)
        login_url = reverse("accounts:login")
        if request.path == login_url:
            return self.get_response(request)
        return redirect_to_login(request.get_full_path(), login_url)
