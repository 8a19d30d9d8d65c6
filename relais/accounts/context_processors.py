"""Template context for account security: the session warning (relais/web/static/web/session.js)."""

import time

from django.contrib.auth import SESSION_KEY

from relais.accounts import sessions


def account_security(request):
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session or sessions.LOGIN_AT not in session:
        return {"session_timeout": None}
    left = sessions.remaining(session, time.time())
    return {
        "session_timeout": {
            "idle_remaining": max(0, left.idle),
            "absolute_remaining": max(0, left.absolute),
            "warning_seconds": sessions.WARNING_SECONDS,
        }
    }
