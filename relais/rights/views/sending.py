"""A resident sends their results to themselves by e-mail, with nothing stored on the server.

The message is built from the answers posted with the request (the hidden field of the results page),
simulated again, and sent to the one address typed: a fixed text and the results, no free text, so the
form cannot relay anybody's message. Throttled per client IP (RELAIS_RIGHTS_EMAIL_PER_HOUR) in the
cache, never in the database (relais/quota.py, shared with the sharing pages); the address is neither
logged nor kept.
"""

from __future__ import annotations

import logging

from django import forms
from django.conf import settings
from django.core.mail import send_mail
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from relais import quota
from relais.accounts.throttling import client_ip
from relais.rights import questionnaire as q
from relais.rights import warmup
from relais.rights.views.resident import (
    RESIDENT,
    _answers_or_restart,
    _show_problems,
    render_step,
    results_context,
    simulate_answers,
    warming_page,
)

logger = logging.getLogger(__name__)


class SendForm(forms.Form):
    email = forms.EmailField(label=gettext_lazy("Votre adresse e-mail"), max_length=254)


def _admitted(request) -> bool:
    """One more message from this IP within the hour, or False when its quota is spent (cache only)."""
    return quota.admit("rights-send", quota.sender(client_ip(request)), settings.RELAIS_RIGHTS_EMAIL_PER_HOUR)


@require_POST
@never_cache
def send_results(request):
    answers, failed = _answers_or_restart(request, RESIDENT)
    if failed:
        return failed
    if q.missing(answers):
        return render_step(request, answers, q.missing(answers)[0], RESIDENT)
    form = SendForm(request.POST)
    context = {"hidden": {"reponses": q.encode(answers), "etape": "resultats", "mode": RESIDENT}, "form": form}
    if not form.is_valid():
        return render(request, "rights/send.html", context, status=400)
    if not _admitted(request):
        context["refused"] = _("Trop d’envois depuis cette connexion : réessayez dans une heure, ou imprimez la page.")
        return render(request, "rights/send.html", context, status=429)
    if warmup.is_warming():
        return warming_page(request, answers, RESIDENT, "rights:results")
    result, problems = simulate_answers(answers)
    if problems:
        return _show_problems(request, answers, problems, RESIDENT)
    results = results_context(request, answers, result, RESIDENT)
    body = render_to_string("rights/results_email.txt", results, request=request)
    send_mail(_("Vos droits estimés (Relais)"), body, None, [form.cleaned_data["email"]])
    logger.info("rights results sent by e-mail (address not logged)")
    context["sent"] = True
    return render(request, "rights/send.html", context)
