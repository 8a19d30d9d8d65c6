"""The sharing page of a result list or a fiche: what will be sent, the link to copy, and the two forms (e-mail;
SMS when a gateway is set). GET shows it; POST sends to the one recipient typed, then confirms.

No login: residents share too. CSRF as every form. Throttled per client IP (RELAIS_SHARE_PER_HOUR) and per
recipient (RELAIS_SHARE_PER_RECIPIENT_PER_HOUR), in the cache (relais/quota.py); a honeypot field stops
simple robots. Nothing is written: no model, no log line holds the recipient (docs/adr/0020-sharing.md).
"""

from __future__ import annotations

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from relais import quota, sms
from relais.accounts.throttling import client_ip
from relais.matching.forms import MAX_SELECTION
from relais.sharing.forms import EmailShareForm, SmsShareForm
from relais.sharing.sending import EMAIL_RESULTS, NotSent, send
from relais.sharing.subjects import SUBJECTS


def _admitted(request, recipient: str, channel: str) -> bool:
    """Within the hour's quota of this IP and of this recipient (both counted: cache only, keyed hash)."""
    # The recipient is counted only when the IP is within its quota: a refused sender must not use up
    # someone else's address (three refused posts an hour would block that address for everyone).
    # Text messages cost money: all senders together get RELAIS_SHARE_SMS_PER_DAY a day.
    return (
        quota.admit("share-ip", quota.sender(client_ip(request)), settings.RELAIS_SHARE_PER_HOUR)
        and (channel != "sms" or quota.admit("share-sms", "all", settings.RELAIS_SHARE_SMS_PER_DAY, quota.DAY))
        and quota.admit("share-to", quota.private_key(recipient), settings.RELAIS_SHARE_PER_RECIPIENT_PER_HOUR)
    )


@require_http_methods(["GET", "HEAD", "POST"])
@never_cache
def share(request, kind: str, service_id: str = ""):
    subject = SUBJECTS[kind]
    shared = subject.build(request.GET, service_id, MAX_SELECTION if kind == "fiche" else EMAIL_RESULTS)
    back = subject.back_path(request.GET, service_id)
    if shared is None:
        if kind == "service":
            raise Http404
        return render(request, "sharing/nothing.html", {"back": back, "subject": subject}, status=400)
    context = {
        "subject": subject,
        "shared": shared,
        "back": back,
        "link": request.build_absolute_uri(subject.link_path(request.GET, service_id)),
        "email_form": EmailShareForm(),
        "sms_form": SmsShareForm() if sms.enabled() else None,
        "sms_on": sms.enabled(),
        "refused": "",
    }
    if request.method != "POST":
        return render(request, "sharing/share.html", context)

    channel = request.POST.get("canal", "")
    if channel == "sms" and not sms.enabled():
        context["refused"] = _("L’envoi par SMS n’est pas proposé ici : envoyez un e-mail, ou copiez le lien.")
        return render(request, "sharing/share.html", context, status=400)
    form = SmsShareForm(request.POST) if channel == "sms" else EmailShareForm(request.POST)
    context["sms_form" if channel == "sms" else "email_form"] = form
    context["form"] = form
    if not form.is_valid():
        return render(request, "sharing/share.html", context, status=400)
    done = {"subject": subject, "shared": shared, "back": back, "channel": form.channel}
    if form.is_robot:
        return render(request, "sharing/sent.html", done)  # nothing sent, nothing said
    recipient = form.cleaned_data["telephone" if form.channel == "sms" else "courriel"]
    if not _admitted(request, recipient, form.channel):
        context["refused"] = _(
            "Trop d’envois depuis cette connexion ou vers ce destinataire : réessayez dans une heure. "
            "Vous pouvez aussi copier le lien ou imprimer."
        )
        return render(request, "sharing/share.html", context, status=429)
    try:
        send(form.channel, recipient, shared, subject.name)
    except NotSent:
        context["refused"] = _("L’envoi n’a pas abouti : réessayez plus tard, ou copiez le lien.")
        return render(request, "sharing/share.html", context, status=503)
    return render(request, "sharing/sent.html", done)
