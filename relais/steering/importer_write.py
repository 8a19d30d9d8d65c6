"""The writing half of the plan import: upserts of checked rows, inside the importer's transaction.

Rows are compared with what is stored: unchanged ones are counted and left alone, others are created or
updated; each created or changed action gets one `Change` (origin: the files) in the plan's history.
"""

from __future__ import annotations

from relais.steering.actions import diff_of, record
from relais.steering.models import Action, ActionTerritory, Axis, BudgetLine, Indicator, IndicatorValue, Plan, Tag


def _upsert(model, lookup: dict, values: dict, counts, kind: str):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        counts[kind]["created"] += 1
        return obj, {name: [None, str(value)] for name, value in values.items() if value not in (None, "", [])}
    changes = diff_of(obj, values)
    if changes:
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()
        counts[kind]["updated"] += 1
    else:
        counts[kind]["unchanged"] += 1
    return obj, changes


def _plan(parsed: dict) -> Plan:
    plan = parsed["plan"]
    if plan is None:
        plan = Plan.objects.create(slug=parsed["slug"], **parsed["plan_values"])
    elif parsed["plan_values"]:
        for name, value in parsed["plan_values"].items():
            setattr(plan, name, value)
        plan.save()
    if parsed["territories"]:
        plan.territories.add(*parsed["territories"].values())
    return plan


def _axes(plan: Plan, parsed: dict, counts) -> dict:
    axes = {axis.code: axis for axis in plan.axes.all()}
    for code, spec in parsed["axes"].items():
        values = {"title": spec["title"], "order": spec["order"], "description": spec["description"]}
        axes[code], _changes = _upsert(Axis, {"plan": plan, "code": code}, values, counts, "axes")
    for code, spec in parsed["axes"].items():  # parents once every axis exists
        parent = axes.get(spec["parent"]) if spec["parent"] else None
        if axes[code].parent_id != (parent.pk if parent else None):
            axes[code].parent = parent
            axes[code].save(update_fields=["parent"])
    return axes


def _links(action: Action, spec: dict, plan: Plan, tags: dict) -> dict:
    """Partners, territories and tags as listed in the file (a re-import sets them to the file's lists)."""
    changes = {}
    partners = sorted(s.pk for s in spec["partners"])
    if sorted(action.partners.values_list("pk", flat=True)) != partners:
        changes["partners"] = [sorted(action.partners.values_list("pk", flat=True)), partners]
        action.partners.set(spec["partners"])
    wanted = {t.pk for t in spec["territories"]}
    present = set(action.declinations.values_list("territory_id", flat=True))
    if wanted != present:
        changes["territories"] = [sorted(present), sorted(wanted)]
        action.declinations.exclude(territory_id__in=wanted).delete()
        ActionTerritory.objects.bulk_create(
            [ActionTerritory(action=action, territory_id=pk) for pk in sorted(wanted - present)]
        )
    tag_objects = []
    for slug, name in spec["tags"]:
        if slug not in tags:
            tags[slug] = Tag.objects.create(plan=plan, slug=slug, name=name)
        tag_objects.append(tags[slug])
    if {t.pk for t in tag_objects} != set(action.tags.values_list("pk", flat=True)):
        changes["tags"] = [sorted(action.tags.values_list("slug", flat=True)), sorted(t.slug for t in tag_objects)]
        action.tags.set(tag_objects)
    return changes


def _actions(plan: Plan, parsed: dict, axes: dict, counts, actor, origin: str) -> dict:
    actions = {action.code: action for action in plan.actions.all()}
    tags = {tag.slug: tag for tag in plan.tags.all()}
    for code, spec in parsed["actions"].items():
        values = {**spec["values"], "axis": axes[spec["axis"]], "local_territory": spec["local"]}
        action, changes = _upsert(Action, {"plan": plan, "code": code}, values, counts, "actions")
        actions[code] = action
        links = _links(action, spec, plan, tags)
        if links and not changes:
            counts["actions"]["unchanged"] -= 1
            counts["actions"]["updated"] += 1
        changes.update(links)
        if changes:
            record(actor, plan, action, changes, action=action, origin=origin)
    return actions


def _indicators(plan: Plan, parsed: dict, actions: dict, counts) -> dict:
    indicators = {indicator.code: indicator for indicator in plan.indicators.all()}
    for code, spec in parsed["indicators"].items():
        indicator, _changes = _upsert(Indicator, {"plan": plan, "code": code}, spec["values"], counts, "indicateurs")
        indicators[code] = indicator
        linked = [actions[c] for c in spec["actions"]]
        if {a.pk for a in linked} != set(indicator.actions.values_list("pk", flat=True)):
            indicator.actions.set(linked)
    return indicators


def write(parsed: dict, counts, *, actor, origin: str) -> Plan:
    plan = _plan(parsed)
    axes = _axes(plan, parsed, counts)
    actions = _actions(plan, parsed, axes, counts, actor, origin)
    for (code, year), values in parsed["budgets"].items():
        _upsert(BudgetLine, {"action": actions[code], "year": year}, values, counts, "budgets")
    indicators = _indicators(plan, parsed, actions, counts)
    for (code, _territory, kind, on), spec in parsed["values"].items():
        lookup = {"indicator": indicators[code], "territory": spec["territory"], "kind": kind, "on": on}
        values = {"value": spec["value"], "comment": spec["comment"], "source": spec["source"]}
        _upsert(IndicatorValue, lookup, values, counts, "valeurs")
    return plan
