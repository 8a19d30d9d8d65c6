"""Steering staff read anonymous figures; an authorised agent exports what is held about one person."""

import io
import json
import zipfile

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from relais.accounts.decorators import personal_data_access
from relais.referrals import audit, contact, roles, stats
from relais.referrals.actions import person_key
from relais.referrals.forms import RightOfAccessChoiceForm, RightOfAccessForm, StatisticsForm
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


def masked(value: str) -> str:
    """Enough of an address or number to tell namesakes apart, not to contact anyone: am…@example.org, 06…78."""
    if not value:
        return ""
    if "@" in value:
        name, _at, domain = value.partition("@")
        return f"{name[:2]}…@{domain}"
    digits = "".join(c for c in value if c.isdigit())
    return f"{digits[:2]}…{digits[-2:]}"


def attachment_path(referral) -> str:
    return f"pieces-jointes/{referral.pk}.{referral.attachment_kind}"


def export_person(referrals) -> dict:
    """Everything held about the person of these referrals, as JSON-ready data (attachments: see `export_zip`)."""
    items = []
    for referral in referrals:
        item = {name: getattr(referral, name) for name in REFERRAL_FIELDS}
        item["service"] = referral.service.nom if referral.service else None
        item["receiving_structure"] = referral.structure.nom if referral.structure else None
        item["sending_structure"] = referral.sender_structure.nom if referral.sender_structure else None
        item["sent_by"] = referral.sender.email if referral.sender else None
        item["attachment"] = (
            {"kind": referral.attachment_kind, "file": attachment_path(referral)} if referral.attachment else None
        )
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


def export_zip(referrals) -> bytes:
    """A ZIP: donnees.json (export_person) and each attachment itself under pieces-jointes/."""
    data = export_person(referrals)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for referral, item in zip(referrals, data["referrals"], strict=True):
            if not referral.attachment:
                continue
            try:
                with referral.attachment.open("rb") as handle:
                    archive.writestr(attachment_path(referral), handle.read())
            except FileNotFoundError:
                item["attachment"]["file"] = None
                item["attachment"]["missing"] = True
        body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2, default=str)
        archive.writestr("donnees.json", body)
    return buffer.getvalue()


def _candidates(data) -> list[Referral]:
    """Referrals bearing the name, still holding personal data, oldest first."""
    return list(
        Referral.objects.filter(
            person_key=person_key(data["first_name"], data["last_name"]), anonymised_at__isnull=True
        )
        .select_related("service", "structure", "sender_structure", "sender")
        .order_by("created_at", "pk")
    )


def _choice_label(referral) -> str:
    date = formats.date_format(timezone.localtime(referral.sent_at or referral.created_at), "j F Y")
    label = _("%(date)s : « %(service)s » (%(structure)s), orientée par %(sender)s ; contact : %(channel)s") % {
        "date": date,
        "service": referral.service.nom if referral.service else _("service supprimé"),
        "structure": referral.structure.nom if referral.structure else "—",
        "sender": referral.sender_structure.nom if referral.sender_structure else "—",
        "channel": referral.get_contact_channel_display() or "—",
    }
    shown = masked(referral.contact_value)
    return f"{label} {shown}" if shown else label


def _export(request, referrals):
    # Logged first, so that the export lists its own access-log rows too.
    detail = "zip"
    audit.record(referrals, audit.Action.EXPORT, audit.Channel.WEB, user=request.user, detail=detail)
    response = HttpResponse(export_zip(referrals), content_type="application/zip")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="droit-d-acces-{stamp}.zip"'
    return response


@never_cache
@require_http_methods(["GET", "POST"])
@personal_data_access
def right_of_access(request):
    """Find the person (name and contact; without the contact, the agent ticks their referrals), then a ZIP."""
    if not roles.can_export(request.user):
        raise PermissionDenied
    form = RightOfAccessForm(request.POST or None)
    context = {"form": form, "not_found": False, "choice": None}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        candidates = _candidates(data)
        if data["contact"]:
            wanted = contact.normalized(data["contact"])
            matches = [r for r in candidates if r.contact_value and contact.normalized(r.contact_value) == wanted]
            if matches:
                return _export(request, matches)
            context["not_found"] = True
        elif candidates:
            choices = [(str(r.pk), _choice_label(r)) for r in candidates]
            choice = RightOfAccessChoiceForm(
                request.POST if request.POST.get("step") == "export" else None, choices=choices
            )
            if choice.is_bound and choice.is_valid():
                chosen = set(choice.cleaned_data["referrals"])
                return _export(request, [r for r in candidates if str(r.pk) in chosen])
            # The list is shown (first time, or again when nothing was ticked): each showing is a read, logged.
            audit.record(candidates, audit.Action.LIST, audit.Channel.WEB, user=request.user, detail="right_of_access")
            context["choice"] = choice
        else:
            context["not_found"] = True
    return render(request, "referrals/right_of_access.html", context)
