"""« Signaler une erreur »: the public form on every fiche, and the pages where reports are handled.

The form (`report`, `report_sent`) needs no account: CSRF, a hidden trap field for robots, and a per-IP
throttle (relais/offer/error_reports.py). The list of reports (`reports`) and the decision
(`report_handle`) show the report's text and the reporter's address: they wait for the second factor,
and every report shown is written to the access log. The partner space and the moderation queue show
the open reports of their structures and territories with the same partial (offer/partials/error_report.html).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, register_converter, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from relais.accounts.decorators import personal_data_access
from relais.offer import error_reports
from relais.offer.forms import ErrorReportForm, ErrorReportHandleForm
from relais.offer.models import Aid, ErrorReport, Service, Structure
from relais.offer.views.public import OfferIdConverter  # noqa: F401  (registers the offer_id converter)

LIST_SIZE = 100
KINDS = {"structures": "structure", "services": "service", "aides": "aid"}  # the public URLs' words


class ReportTargetConverter:
    """The kind of fiche in the public URL: /offre/structures/…, /offre/services/…, /offre/aides/…"""

    regex = "structures|services|aides"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return value


register_converter(ReportTargetConverter, "report_target")


def _public_listing(target: str, object_id: str):
    """The published structure, visible service or published aid of the URL; anything else is a 404."""
    if target == "services":
        return get_object_or_404(Service.objects.visible().select_related("structure"), pk=object_id)
    if target == "aides":
        return get_object_or_404(Aid.objects.published(), slug=object_id)
    return get_object_or_404(Structure.objects.published(), pk=object_id)


def _fiche_url(target: str, listing) -> str:
    if target == "services":
        return reverse("offer:service", args=[listing.pk])
    if target == "aides":
        return reverse("offer:aid", args=[listing.slug])
    return reverse("offer:structure", args=[listing.pk])


def _context(target: str, listing, **extra) -> dict:
    structure = (
        listing.structure if isinstance(listing, Service) else listing if isinstance(listing, Structure) else None
    )
    return {
        "listing": listing,
        "target": target,
        "object_id": listing.slug if isinstance(listing, Aid) else listing.pk,
        "email_days": settings.RELAIS_ERROR_REPORT_EMAIL_DAYS,
        "kind": KINDS[target],
        "fiche_url": _fiche_url(target, listing),
        "structure": structure,
        "telephone": (getattr(listing, "telephone", "") or (structure.telephone if structure else "")),
        **extra,
    }


# --- the public form ------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@never_cache
def report(request, target, object_id):
    listing = _public_listing(target, object_id)
    form = ErrorReportForm(request.POST if request.method == "POST" else None)  # an empty POST is bound too
    if request.method == "POST":
        if form.is_trapped():  # a robot: the same answer as a person, nothing stored, nobody told
            return redirect("offer:report_sent", target, object_id)
        if form.is_valid():
            refused = ""
            if not error_reports.admitted(request):
                refused = _(
                    "Trop de signalements depuis cette connexion : réessayez dans une heure, "
                    "ou écrivez directement à la structure."
                )
            elif not error_reports.fiche_admitted(listing):
                refused = _(
                    "Cette fiche a déjà reçu beaucoup de signalements aujourd’hui : ils seront traités. "
                    "Réessayez demain, ou écrivez directement à la structure."
                )
            if refused:
                return render(
                    request, "offer/report_form.html", _context(target, listing, form=form, refused=refused), status=429
                )
            data = form.cleaned_data
            error_reports.submit(listing, data["kind"], data["message"], data["email"])
            return redirect("offer:report_sent", target, object_id)
        return render(request, "offer/report_form.html", _context(target, listing, form=form), status=400)
    return render(request, "offer/report_form.html", _context(target, listing, form=form))


@require_safe
def report_sent(request, target, object_id):
    listing = _public_listing(target, object_id)
    return render(request, "offer/report_sent.html", _context(target, listing))


# --- handling -------------------------------------------------------------------------------


def with_display(reports):
    """The reports with what their card shows, in one query."""
    return reports.select_related("structure", "service__structure", "aid", "handled_by")


@require_safe
@personal_data_access
def reports(request):
    handled = request.GET.get("etat") == "traites"
    visible = error_reports.visible_to(request.user)
    chosen = visible.handled() if handled else visible.open()
    order = ("-handled_at", "-id") if handled else ("created_at", "id")
    shown = list(with_display(chosen).order_by(*order)[:LIST_SIZE])
    error_reports.record_views(request.user, shown, "reports")
    context = {
        "reports": shown,
        "handled": handled,
        "count": error_reports.count_of(chosen, shown, LIST_SIZE),
        "open_count": visible.open().count(),
        "limit": LIST_SIZE,
    }
    return render(request, "offer/reports.html", context)


def _back(request) -> str | None:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return None


@require_POST
@personal_data_access
def report_handle(request, report_id):
    report = get_object_or_404(error_reports.visible_to(request.user), pk=report_id)
    form = ErrorReportHandleForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            for error in errors:
                label = form.fields[field].label if field in form.fields and field != "status" else None
                messages.error(request, f"{label} : {error}" if label else str(error))
    else:
        try:
            error_reports.handle(request.user, report, form.cleaned_data["status"], form.cleaned_data["note"])
        except error_reports.AlreadyHandled as error:
            messages.error(request, str(error))
        except PermissionDenied as error:
            raise Http404 from error
        else:
            values = {"name": report.target_name}
            if form.cleaned_data["status"] == ErrorReport.Status.FIXED:
                messages.success(request, _("Signalement sur « %(name)s » marqué corrigé.") % values)
            else:
                messages.success(request, _("Signalement sur « %(name)s » rejeté.") % values)
    return redirect(_back(request) or "offer:reports")


urlpatterns = [
    path("<report_target:target>/<offer_id:object_id>/signaler/", report, name="report"),
    path("<report_target:target>/<offer_id:object_id>/signaler/merci/", report_sent, name="report_sent"),
    path("signalements/", reports, name="reports"),
    path("signalements/<int:report_id>/traiter/", report_handle, name="report_handle"),
]
