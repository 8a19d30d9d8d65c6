"""The session warning's endpoints (relais/web/static/web/session.js): how long is left, and « stay logged in »."""

import time

from django.http import JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from relais.accounts import sessions


def _state(request) -> dict:
    if not request.user.is_authenticated:
        return {"authenticated": False, "idle_remaining": 0, "absolute_remaining": 0}
    left = sessions.remaining(request.session, time.time())
    return {
        "authenticated": True,
        "idle_remaining": max(0, left.idle),
        "absolute_remaining": max(0, left.absolute),
        "warning_seconds": sessions.WARNING_SECONDS,
    }


@never_cache
@require_GET
def status(request):
    """Seconds left; asking does not count as activity (another tab may have kept the session alive)."""
    return JsonResponse(_state(request))


status.session_passive = True


@never_cache
@require_POST
def extend(request):
    """Counts as activity: the idle delay starts again (the absolute limit stays)."""
    if request.user.is_authenticated:
        sessions.touch(request.session, time.time(), force=True)
    if "application/json" in request.headers.get("Accept", ""):
        return JsonResponse(_state(request), status=200 if request.user.is_authenticated else 401)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    return redirect(target)
