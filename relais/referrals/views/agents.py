"""Steering staff read anonymous figures; an authorised agent exports what is held about one person."""

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from relais.accounts.decorators import personal_data_access
from relais.referrals import audit, roles, stats
from relais.referrals.actions import person_key
from relais.referrals.forms import RightOfAccessForm, StatisticsForm
from relais.referrals.models import AccessLog, Referral


@require_safe
@login_required
def statistics(request):
    if not roles.is_steering(request.user):
        raise PermissionDenied
    form = StatisticsForm(request.GET or None)
    figures = None
    if not request.GET or form.is_valid():
        data = form.cleaned_data if request.GET else {}
        figures = stats.referral_statistics(data.get("since"), data.get("until"), data.get("territory"))
    return render(request, "referrals/statistics.html", {"form": form, "figures": figures})


REFERRAL_FIELDS = [
    "id",
    "status",
    "created_at",
    "sent_at",
    "answer_due_at",
    "answered_at",
    "ended_at",
    "refusal_reason",
    "share_reason_with_person",
    "outcome",
    "consent_wording_version",
    "consent_at",
    "first_name",
    "last_name",
    "contact_channel",
    "contact_value",
    "availability",
    "situation",
    "reason",
    "personal_data_purge_after",
    "anonymised_at",
]


def export_person(referrals) -> dict:
    """Everything held about the person of these referrals, as JSON-ready data."""
    items = []
    for referral in referrals:
        item = {name: getattr(referral, name) for name in REFERRAL_FIELDS}
        item["service"] = referral.service.nom if referral.service else None
        item["receiving_structure"] = referral.structure.nom if referral.structure else None
        item["sending_structure"] = referral.sender_structure.nom if referral.sender_structure else None
        item["sent_by"] = referral.sender.email if referral.sender else None
        item["attachment"] = {"kind": referral.attachment_kind} if referral.attachment else None
        item["transitions"] = [
            {"at": t.at, "from": t.from_status, "to": t.to_status, "by": t.actor_label, "reason": t.reason}
            for t in referral.transitions.select_related("actor")
        ]
        item["answer_links"] = [
            {
                "sent_to": link.email,
                "created_at": link.created_at,
                "expires_at": link.expires_at,
                "used_at": link.used_at,
            }
            for link in referral.answer_links.order_by("created_at")
        ]
        item["access_log"] = [
            {"at": e.at, "who": e.actor, "action": e.action, "channel": e.channel}
            for e in AccessLog.objects.filter(referral=referral).order_by("at", "id")
        ]
        items.append(item)
    return {"exported_at": timezone.now(), "referrals": items}


@never_cache
@require_http_methods(["GET", "POST"])
@personal_data_access
def right_of_access(request):
    if not roles.can_export(request.user):
        raise PermissionDenied
    form = RightOfAccessForm(request.POST or None)
    not_found = False
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        referrals = Referral.objects.filter(
            person_key=person_key(data["first_name"], data["last_name"]), anonymised_at__isnull=True
        ).select_related("service", "structure", "sender_structure", "sender")
        if data["contact"]:
            referrals = referrals.filter(contact_value__iexact=data["contact"].strip())
        referrals = list(referrals.order_by("created_at"))
        if referrals:
            audit.record(referrals, audit.Action.EXPORT, audit.Channel.WEB, user=request.user)
            body = json.dumps(
                export_person(referrals), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, default=str
            )
            response = HttpResponse(body, content_type="application/json; charset=utf-8")
            stamp = timezone.localdate().isoformat()
            response["Content-Disposition"] = f'attachment; filename="droit-d-acces-{stamp}.json"'
            return response
        not_found = True
    return render(request, "referrals/right_of_access.html", {"form": form, "not_found": not_found})
