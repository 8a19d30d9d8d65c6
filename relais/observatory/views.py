"""The observatory's pages: public statistics for everyone, the platform's signals for steering staff.

Every chart has its data table and a text summary beside it; every table is downloadable as CSV (UTF-8 with
BOM, `;`, decimal comma: opens in Excel), every chart as SVG. PNG is not offered (docs/adr/0010-observatory.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import io

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from relais.matching.pdf import html_to_pdf
from relais.observatory import catalogue, figures, importers, pages, secrecy, signals
from relais.observatory.forms import ImportForm, SignalsForm
from relais.referrals import roles

MAX_UPLOAD = 20 * 1024 * 1024


def can_see_signals(user) -> bool:
    return settings.RELAIS_OBSERVATORY_PUBLIC_SIGNALS or roles.is_steering(user)


def _indicator(indicator_id: str):
    try:
        return catalogue.get(indicator_id)
    except KeyError:
        raise Http404(_("Indicateur inconnu.")) from None


def _place(request, default: str = pages.DEFAULT_PLACE):
    place = pages.parse_place(request.GET.get("territoire") or default)
    if place is None:
        raise Http404(_("Territoire inconnu : attendu par exemple « epci:200046977 » ou « commune:69259 »."))
    return place


def _method(request) -> str:
    return "jenks" if request.GET.get("classes") == "jenks" else "quantiles"


def home(request):
    groups: dict = {}
    for indicator in catalogue.indicators():
        groups.setdefault(indicator.public, []).append(indicator)
    return render(
        request,
        "observatory/home.html",
        {
            "groups": [{"label": pages.public_label(p), "indicators": i} for p, i in groups.items()],
            "places": pages.places_menu(),
            "can_see_signals": can_see_signals(request.user),
        },
    )


def indicator(request, indicator_id: str):
    view = pages.indicator_view(_indicator(indicator_id), _place(request), _method(request))
    return render(
        request,
        "observatory/indicator.html",
        {
            **view,
            "map_svg": pages.map_svg(view),
            "ranking_svg": pages.ranking_svg(view),
            "series_svg": pages.series_svg(view) if len(view["series"]) > 1 else "",
            "places": pages.places_menu(),
            "query": request.GET.urlencode(),
        },
    )


def _svg(content: str, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="image/svg+xml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.svg"'
    return response


def indicator_svg(request, indicator_id: str, chart: str):
    view = pages.indicator_view(_indicator(indicator_id), _place(request), _method(request))
    draw = {"carte": pages.map_svg, "classement": pages.ranking_svg, "serie": pages.series_svg}.get(chart)
    if draw is None:
        raise Http404
    return _svg(draw(view), f"{indicator_id}-{chart}-{slugify(view['place'].name)}")


def _number(value, decimals: int = 3) -> str:
    if value is None:
        return ""
    return f"{round(value, decimals):.{decimals}f}".rstrip("0").rstrip(".").replace(".", ",")


def csv_response(name: str, header: list[str], rows: list[list]) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _status_text(cell) -> str:
    return {secrecy.VALUE: "", secrecy.SECRET: "s", secrecy.NOT_AVAILABLE: "nd"}[cell.status]


def indicator_csv(request, indicator_id: str):
    view = pages.indicator_view(_indicator(indicator_id), _place(request), _method(request))
    header = [_("code"), _("territoire"), _("millésime"), _("valeur"), _("statut"), _("raison")]
    rows = [
        [
            r["code"],
            r["name"],
            r["cell"].vintage or "",
            _number(r["cell"].value),
            _status_text(r["cell"]),
            r["cell"].reason,
        ]
        for r in view["rows"]
    ]
    rows += [
        [
            c["place"].code,
            c["place"].name,
            c["cell"].vintage or "",
            _number(c["cell"].value),
            _status_text(c["cell"]),
            c["cell"].reason,
        ]
        for c in view["comparison"]
    ]
    return csv_response(f"{indicator_id}-{slugify(view['place'].name)}", header, rows)


def _portrait_place(kind: str, code: str):
    place = figures.find_place(kind, code)
    if place is None:
        raise Http404(_("Territoire inconnu."))
    return place


def portrait(request, kind: str, code: str):
    place = _portrait_place(kind, code)
    view = pages.portrait(place)
    map_view = pages.indicator_view(catalogue.get("taux_pauvrete"), place)
    context = {
        **view,
        "map_view": map_view,
        "map_svg": pages.map_svg(map_view),
        "can_see_signals": can_see_signals(request.user),
    }
    if context["can_see_signals"]:
        population = view["population"].value if view["population"].shown else None
        context["unmet"] = signals.unmet_needs(place, timezone.localdate())
        context["coverage"] = signals.coverage(place, population)
    return render(request, "observatory/portrait.html", context)


def portrait_pdf(request, kind: str, code: str):
    place = _portrait_place(kind, code)
    view = pages.portrait(place)
    indicator = catalogue.get("taux_pauvrete")
    map_view = pages.indicator_view(indicator, place)
    html = render_to_string(
        "observatory/portrait_pdf.html",
        {**view, "map_svg": pages.map_svg(map_view), "map_view": map_view, "today": timezone.localdate(), "density": 0},
        request=request,
    )
    content, _pages = html_to_pdf(html)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="portrait-{slugify(place.name)}.pdf"'
    return response


def portrait_csv(request, kind: str, code: str):
    place = _portrait_place(kind, code)
    view = pages.portrait(place)
    header = [_("indicateur"), _("public"), _("millésime"), place.name, _("statut")]
    header += [ref.name for ref in view["references"]]
    rows = []
    for group in view["groups"]:
        for row in group["rows"]:
            rows.append(
                [
                    row["indicator"].label,
                    group["label"],
                    row["cell"].vintage or "",
                    _number(row["cell"].value),
                    _status_text(row["cell"]),
                ]
                + [_number(r["cell"].value) or _status_text(r["cell"]) for r in row["references"]]
            )
    return csv_response(f"portrait-{slugify(place.name)}", header, rows)


def _signals_context(request) -> dict:
    form = SignalsForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    place = figures.find_place(*(data.get("territoire") or pages.DEFAULT_PLACE).split(":", 1))
    month = data.get("mois") or timezone.localdate().replace(day=1)
    population_cell = figures.Store.load().cell(catalogue.get("population"), place)
    population = population_cell.value if population_cell.shown else None
    return {
        "form": form,
        "place": place,
        "month": month,
        "unmet": signals.unmet_needs(place, month),
        "coverage": signals.coverage(place, population),
        "referrals": signals.referral_outcomes(
            place, data.get("du"), data.get("au"), exact=roles.is_steering(request.user)
        ),
        "missed_rights": signals.missed_rights(place),
        "threshold": settings.RELAIS_OBSERVATORY_MIN_COUNT,
    }


def _check_signals(request):
    """None when the user may read the signals; else the login page (anonymous) or PermissionDenied."""
    if can_see_signals(request.user):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def signals_page(request):
    return _check_signals(request) or render(request, "observatory/signals.html", _signals_context(request))


def signals_csv(request, table: str):
    refused = _check_signals(request)
    if refused:
        return refused
    context = _signals_context(request)
    if table == "besoins":
        header = [_("thématique"), _("recherches"), _("sans résultat éligible"), _("part"), _("mots non compris")]
        rows = [
            [
                r["thematique"],
                r["searches"] if r["searches"] is not None else "<" + str(context["threshold"]),
                r["unmet"] if r["unmet"] is not None else "<" + str(context["threshold"]),
                _number(r["share"]),
                r["not_understood"] if r["not_understood"] is not None else "",
            ]
            for r in context["unmet"]["rows"]
        ]
    elif table == "couverture":
        header = [
            _("thématique"),
            _("services sur place"),
            _("pour 10 000 habitants"),
            _("heures par semaine"),
            _("services à distance"),
        ]
        rows = [
            [r["thematique"], r["services"], _number(r["per_10000"]), _number(r["hours_per_week"]), r["remote"]]
            for r in context["coverage"]["rows"]
        ]
    elif table == "orientations":
        header = [_("statut"), _("orientations")]
        rows = [[r["label"], r["count"]] for r in context["referrals"]["by_status"]]
    else:
        raise Http404
    return csv_response(f"{table}-{slugify(context['place'].name)}", header, rows)


@require_http_methods(["GET", "POST"])
def import_page(request):
    if not roles.is_steering(request.user):
        raise PermissionDenied
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        plan = importers.parse_file(upload.name, upload.read())
        dry_run = form.cleaned_data["dry_run"] or bool(plan.faults)
        if not dry_run:
            importers.apply(
                plan, source=_("import de %(user)s le %(day)s") % {"user": request.user.email, "day": dt.date.today()}
            )
            messages.success(request, _("Import enregistré."))
        report = importers.report(plan, dry_run)
    return render(request, "observatory/import.html", {"form": form, "report": report})
