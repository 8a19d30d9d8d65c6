"""Reporting campaigns, and the plan's files: import (upload), open-data export, the point d'étape PDF."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from relais.steering import actions, exporter, importer, pdf, planfiles, roles
from relais.steering.forms import CampaignForm, ImportForm
from relais.steering.models import Campaign, Plan
from relais.steering.views.access import second_factor_always
from relais.steering.views.internal import plan_for

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


def _admin_plan(request, slug) -> Plan:
    plan, access = plan_for(request, slug)
    if not access.admin:
        raise PermissionDenied(_("Réservé aux administrateurs du plan."))
    return plan


@require_http_methods(["GET", "HEAD", "POST"])
@second_factor_always
def campaigns(request, slug):
    plan, access = plan_for(request, slug)
    form = CampaignForm(request.POST or None)
    if request.method == "POST":
        if not access.admin:
            raise PermissionDenied(_("Seuls les administrateurs du plan lancent une campagne."))
        if form.is_valid():
            campaign = actions.launch_campaign(request.user, plan, **form.cleaned_data)
            sent = actions.send_campaign_requests(campaign)
            messages.success(request, _("Campagne lancée : %(n)s pilote(s) prévenu(s) par courriel.") % {"n": sent})
            return redirect("steering:campaign", slug=plan.slug, pk=campaign.pk)
    listed = []
    for campaign in plan.campaigns.all():
        requests = list(campaign.requests.values_list("answered_at", flat=True))
        listed.append({"campaign": campaign, "asked": len(requests), "answered": sum(1 for a in requests if a)})
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "steering/campaigns.html",
        {"plan": plan, "access": access, "form": form, "campaigns": listed},
        status=status,
    )


@require_safe
@second_factor_always
def campaign(request, slug, pk):
    """Who answered: pilots' names and e-mail addresses, hence the second factor."""
    plan = _admin_plan(request, slug)
    item = get_object_or_404(Campaign, pk=pk, plan=plan)
    requests = item.requests.select_related("action", "action__pilot_user").order_by("action__code")
    return render(request, "steering/campaign.html", {"plan": plan, "campaign": item, "requests": requests})


@require_safe
@second_factor_always
def files(request, slug):
    plan, access = plan_for(request, slug)
    return render(request, "steering/files.html", {"plan": plan, "access": access, "form": ImportForm()})


@require_POST
@second_factor_always
def import_upload(request, slug):
    plan = _admin_plan(request, slug)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(
            request,
            "steering/files.html",
            {"plan": plan, "access": roles.access(request.user, plan), "form": form},
            status=400,
        )
    uploads = form.cleaned_data["files"]
    if sum(f.size for f in uploads) > MAX_UPLOAD_BYTES:
        form.add_error("files", _("Fichiers trop lourds (20 Mo au plus)."))
        return render(
            request,
            "steering/files.html",
            {"plan": plan, "access": roles.access(request.user, plan), "form": form},
            status=400,
        )
    report = importer.import_plan(
        planfiles.from_uploads(uploads), plan_slug=plan.slug, dry_run=form.cleaned_data["dry_run"], actor=request.user
    )
    return render(
        request, "steering/import_report.html", {"plan": plan, "report": report}, status=200 if report.ok else 400
    )


def _may_export(request, plan: Plan) -> bool:
    return plan.is_public or roles.access(request.user, plan).can_view


@require_safe
def export(request, slug, fmt):
    plan = get_object_or_404(Plan, slug=slug)
    if fmt not in exporter.FORMATS or not _may_export(request, plan):
        raise Http404
    content, content_type, name = exporter.export(plan, fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
@second_factor_always
def point_d_etape(request, slug):
    plan, _access = plan_for(request, slug)
    content, _pages = pdf.point_d_etape(plan, request)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="point-d-etape-{plan.slug}.pdf"'
    return response
