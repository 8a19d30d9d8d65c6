"""The public account of a plan (anonymous): progress by axis, filters, each action's page, the map,
and, from a service fiche of the offer, the actions that service carries.

Only what is public shows here: published notes, pilots' names and functions when published, never an
account or an e-mail address.
"""

from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from relais.offer.models import Service
from relais.steering import mapsvg, overview
from relais.steering.forms import PublicFilterForm
from relais.steering.models import Action, Note, Plan
from relais.territories.models import Commune


def public_plan_or_404(slug: str) -> Plan:
    return get_object_or_404(Plan, slug=slug, is_public=True)


@require_safe
def plans(request):
    return render(request, "steering/public_plans.html", {"plans": Plan.objects.filter(is_public=True)})


def _descendants(axes, code: str) -> set:
    by_parent = {}
    for axis in axes:
        by_parent.setdefault(axis.parent_id, []).append(axis)
    start = [a for a in axes if a.code == code]
    found = set()
    while start:
        axis = start.pop()
        found.add(axis.pk)
        start.extend(by_parent.get(axis.pk, []))
    return found


def filtered(view: overview.Overview, form: PublicFilterForm, axes, territories) -> list:
    rows = view.actions
    if not form.is_valid():
        return rows
    data = form.cleaned_data
    if data["axe"]:
        keep = _descendants(axes, data["axe"])
        rows = [r for r in rows if r.action.axis_id in keep]
    if data["etiquette"]:
        tag_ids = {t.pk for t in view.plan.tags.all() if t.slug == data["etiquette"]}
        rows = [r for r in rows if r.tag_ids & tag_ids]
    if data["territoire"]:
        ids = {t.pk for t in territories if t.slug == data["territoire"]}
        rows = [r for r in rows if r.territory_ids & ids]
    if data["public"]:
        rows = [r for r in rows if data["public"] in r.action.publics]
    if data["statut"]:
        wanted = "" if data["statut"] == "none" else data["statut"]
        rows = [r for r in rows if r.action.status == wanted]
    return rows


def _map(plan: Plan, view: overview.Overview):
    territories = [group.key for group in view.territories]
    counts = {group.key.pk: group.total for group in view.territories}
    links = Commune.territories.through.objects.filter(territory__in=territories).values_list(
        "territory_id", "commune_id"
    )
    by_territory = {}
    for territory_id, code in links:
        by_territory.setdefault(territory_id, []).append(code)
    contours = dict(
        Commune.objects.filter(
            Q(code__in=[c for codes in by_territory.values() for c in codes])
            | Q(parent__in=[c for codes in by_territory.values() for c in codes])
        )
        .exclude(contour=None)
        .values_list("code", "contour")
    )
    areas = [
        mapsvg.Area(
            t.name, counts.get(t.pk, 0), tuple(contours[c] for c in by_territory.get(t.pk, []) if c in contours)
        )
        for t in territories
    ]
    return mapsvg.draw(areas, plan.name)


@require_safe
def public_plan(request, slug):
    plan = public_plan_or_404(slug)
    view = overview.build(plan)
    axes = [group.key for group in view.axes]
    territories = [group.key for group in view.territories]
    form = PublicFilterForm(request.GET or None, plan=plan, axes=axes, territories=territories)
    rows = filtered(view, form, axes, territories) if request.GET else view.actions
    texts = plan.notes.filter(state=Note.State.PUBLISHED, action=None).order_by("-written_on")[:5]
    context = {
        "plan": plan,
        "view": view,
        "form": form,
        "rows": rows,
        "map": _map(plan, view),
        "texts": texts,
        "filtered": bool(request.GET),
    }
    return render(request, "steering/public_plan.html", context)


@require_safe
def public_action(request, slug, code):
    plan = public_plan_or_404(slug)
    action = get_object_or_404(Action.objects.select_related("axis", "pilot_user"), plan=plan, code=code)
    view = overview.build(plan)
    row = next(r for r in view.actions if r.action.pk == action.pk)
    context = {
        "plan": plan,
        "action": action,
        "row": row,
        "steps": action.steps.all(),
        "indicators": overview.indicator_rows(action),
        "services": action.services.published().select_related("structure").order_by("nom"),
        "partners": action.partners.published().order_by("nom"),
        "notes": action.notes.filter(state=Note.State.PUBLISHED).order_by("-written_on")[:10],
        "territories": action.declinations.select_related("territory").order_by("territory__name"),
        "tags": action.tags.all(),
    }
    return render(request, "steering/public_action.html", context)


@require_safe
def service_actions(request, service_id):
    """The actions of public plans that a service of the offer carries (linked from the service fiche)."""
    service = Service.objects.published().filter(pk=service_id).select_related("structure").first()
    if service is None:
        raise Http404
    found = (
        Action.objects.filter(plan__is_public=True)
        .filter(Q(services=service) | Q(partners=service.structure))
        .select_related("plan", "axis")
        .distinct()
        .order_by("plan__name", "code")
    )
    return render(request, "steering/service_actions.html", {"service": service, "actions": found})
