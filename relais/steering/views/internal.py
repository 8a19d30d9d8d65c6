"""The plan team's pages: dashboard, action page with the pilot's quick update, territory page (PST), history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from relais.steering import actions, overview, roles
from relais.steering.forms import DeclinationForm, QuickUpdateForm
from relais.steering.models import Action, ActionTerritory, Change, Indicator, Plan, Step
from relais.steering.views.access import second_factor_always

HISTORY_LIMIT = 200


def plan_for(request, slug: str) -> tuple[Plan, roles.Access]:
    """The plan and the person's access to it; 403 for those without a role on it."""
    plan = get_object_or_404(Plan, slug=slug)
    access = roles.access(request.user, plan)
    if not access.can_view:
        raise PermissionDenied(_("Vous n’avez pas de rôle sur ce plan."))
    return plan, access


@require_safe
@second_factor_always
def my_actions(request):
    """Where pilots land from the campaign e-mail: their plans and actions."""
    plans = list(roles.plans_of(request.user).order_by("name"))
    mine = Action.objects.filter(pilot_user=request.user).select_related("plan", "axis").order_by("plan__name", "code")
    return render(request, "steering/my_actions.html", {"plans": plans, "actions": mine})


@require_safe
@second_factor_always
def dashboard(request, slug):
    plan, access = plan_for(request, slug)
    view = overview.build(plan)
    return render(request, "steering/dashboard.html", {"plan": plan, "access": access, "view": view})


@require_safe
@second_factor_always
def action_page(request, slug, code):
    plan, access = plan_for(request, slug)
    action = get_object_or_404(
        Action.objects.select_related("axis", "pilot_user", "local_territory"), plan=plan, code=code
    )
    view = overview.build(plan)
    row = next(r for r in view.actions if r.action.pk == action.pk)
    declinations = action.declinations.select_related("territory").order_by("territory__name")
    context = {
        "plan": plan,
        "access": access,
        "action": action,
        "row": row,
        "can_edit": access.can_edit_action(action),
        "form": QuickUpdateForm(
            action=action,
            initial={"status": action.status, "meteo": action.meteo, "manual_progress": action.manual_progress},
        ),
        "steps": action.steps.all(),
        "declinations": [(d, access.can_edit_declination(d, action)) for d in declinations],
        "indicators": overview.indicator_rows(action),
        "budget": action.budget_lines.all(),
        "notes": action.notes.select_related("author").all()[:20],
        "partners": action.partners.order_by("nom"),
        "services": action.services.select_related("structure").order_by("nom"),
        "tags": action.tags.all(),
    }
    return render(request, "steering/action.html", context)


@require_POST
@second_factor_always
def action_update(request, slug, code):
    plan, access = plan_for(request, slug)
    action = get_object_or_404(Action, plan=plan, code=code)
    if not access.can_edit_action(action):
        raise PermissionDenied(_("Vous ne pouvez pas modifier cette action."))
    form = QuickUpdateForm(request.POST, action=action)
    if not form.is_valid():
        return render(
            request,
            "steering/action_update_errors.html",
            {"plan": plan, "action": action, "form": form},
            status=400,
        )
    changes = actions.update_action(
        request.user,
        action,
        form.values(),
        note=form.cleaned_data["note"],
        publish_note=form.cleaned_data["publish_note"],
    )
    if changes or form.cleaned_data["note"].strip():
        messages.success(request, _("Action mise à jour."))
    else:
        messages.info(request, _("Rien n’a changé."))
    return redirect("steering:action", slug=plan.slug, code=action.code)


@require_POST
@second_factor_always
def step_toggle(request, slug, code, step_id):
    plan, _access = plan_for(request, slug)
    step = get_object_or_404(Step, pk=step_id, action__plan=plan, action__code=code)
    actions.set_step_done(request.user, step, request.POST.get("done") == "1")
    messages.success(request, _("Étape mise à jour."))
    return redirect("steering:action", slug=plan.slug, code=code)


@require_POST
@second_factor_always
def note_publish(request, slug, code, note_id):
    plan, _access = plan_for(request, slug)
    note = get_object_or_404(plan.notes, pk=note_id, action__code=code)
    actions.publish_note(request.user, note)
    messages.success(request, _("Note publiée."))
    return redirect("steering:action", slug=plan.slug, code=code)


@require_http_methods(["GET", "HEAD", "POST"])
@second_factor_always
def declination(request, slug, code, territory):
    plan, access = plan_for(request, slug)
    item = get_object_or_404(
        ActionTerritory.objects.select_related("action", "territory"),
        action__plan=plan,
        action__code=code,
        territory__slug=territory,
    )
    if not access.can_edit_declination(item, item.action):
        raise PermissionDenied(_("Vous ne pouvez pas modifier la déclinaison de ce territoire."))
    form = DeclinationForm(request.POST or None, instance=ActionTerritory.objects.get(pk=item.pk))
    if request.method == "POST" and form.is_valid():
        actions.update_declination(request.user, item, {k: form.cleaned_data[k] for k in DeclinationForm.Meta.fields})
        messages.success(request, _("Déclinaison mise à jour."))
        return redirect("steering:territory", slug=plan.slug, territory=item.territory.slug)
    status = 400 if request.method == "POST" else 200
    context = {
        "plan": plan,
        "item": item,
        "form": form,
        "indicators": overview.indicator_rows(item.action, item.territory),
    }
    return render(request, "steering/declination.html", context, status=status)


@require_safe
@second_factor_always
def territory_page(request, slug, territory):
    """The Projet social de territoire: the territory's declinations and its local-only actions."""
    plan, access = plan_for(request, slug)
    place = get_object_or_404(plan.territories, slug=territory)
    view = overview.build(plan)
    rows = sorted(view.declinations.get(place.pk, []), key=lambda r: (r.local, r.action.code))
    group = next(g for g in view.territories if g.key.pk == place.pk)
    context = {
        "plan": plan,
        "access": access,
        "territory": place,
        "group": group,
        "rows": rows,
        "can_edit": access.can_edit_territory(place.pk),
        "notes": plan.notes.filter(territory=place).order_by("-written_on")[:20],
    }
    return render(request, "steering/territory.html", context)


@require_safe
@second_factor_always
def history(request, slug, code=None):
    plan, _access = plan_for(request, slug)
    changes = Change.objects.filter(plan=plan).select_related("actor")
    action = None
    if code is not None:
        action = get_object_or_404(Action, plan=plan, code=code)
        changes = changes.filter(action=action)
    return render(
        request,
        "steering/history.html",
        {"plan": plan, "action": action, "changes": changes[:HISTORY_LIMIT], "limit": HISTORY_LIMIT},
    )


@require_safe
@second_factor_always
def indicators(request, slug):
    plan, _access = plan_for(request, slug)
    today = timezone.localdate()
    rows = []
    for indicator in Indicator.objects.filter(plan=plan).order_by("code"):
        last = indicator.values.filter(kind="current").order_by("-on").first()
        rows.append(
            {
                "indicator": indicator,
                "last": last,
                "to_update": indicator.is_to_update(last.on if last else None, today),
            }
        )
    return render(request, "steering/indicators.html", {"plan": plan, "rows": rows})
