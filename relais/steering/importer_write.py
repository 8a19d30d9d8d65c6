"""The writing half of the plan import: upserts of checked rows, inside the importer's transaction.

Rows are compared with what is stored: unchanged ones are counted and left alone, others are created or
updated; each created or changed action gets one `Change` (origin: the files) in the plan's history.
"""

from __future__ import annotations

from django.db import connection

from relais.steering import ratios
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
    """Indicators in bulk (six per action make hundreds), and their links to actions as listed in the file."""
    indicators = {indicator.code: indicator for indicator in plan.indicators.all()}
    new, changed, fields = [], [], set()
    for code, spec in parsed["indicators"].items():
        stored = indicators.get(code)
        if stored is None:
            indicators[code] = Indicator(plan=plan, code=code, **spec["values"])
            new.append(indicators[code])
            counts["indicateurs"]["created"] += 1
        elif diff := diff_of(stored, spec["values"]):
            for name, value in spec["values"].items():
                setattr(stored, name, value)
            changed.append(stored)
            fields.update(diff)
            counts["indicateurs"]["updated"] += 1
        else:
            counts["indicateurs"]["unchanged"] += 1
    Indicator.objects.bulk_create(new, batch_size=500)
    if changed:
        Indicator.objects.bulk_update(changed, sorted(fields), batch_size=500)
    if new:  # primary keys of the new rows (not returned by every database's bulk insert)
        indicators.update({i.code: i for i in plan.indicators.filter(code__in=[i.code for i in new])})
    Through = Action.indicators.through
    present = set(Through.objects.filter(indicator__plan=plan).values_list("action_id", "indicator_id"))
    listed = {code: spec for code, spec in parsed["indicators"].items()}
    wanted = {(actions[a].pk, indicators[code].pk) for code, spec in listed.items() for a in spec["actions"]}
    concerned = {indicators[code].pk for code in listed}
    stale = {pair for pair in present if pair[1] in concerned} - wanted
    for action_id, indicator_id in stale:
        Through.objects.filter(action_id=action_id, indicator_id=indicator_id).delete()
    Through.objects.bulk_create(
        [Through(action_id=a, indicator_id=i) for a, i in sorted(wanted - present)], batch_size=1000
    )
    return indicators


def _values(plan: Plan, parsed: dict, indicators: dict, counts) -> None:
    """Values in bulk (a plan holds tens of thousands): compared with the stored ones, then inserted or updated."""
    existing = {
        (v.indicator_id, v.territory_id, v.kind, v.on): v for v in IndicatorValue.objects.filter(indicator__plan=plan)
    }
    new, changed = [], []
    for (code, _territory, kind, on), spec in parsed["values"].items():
        territory_id = spec["territory"].pk if spec["territory"] else None
        values = {"value": spec["value"], "comment": spec["comment"], "source": spec["source"]}
        stored = existing.get((indicators[code].pk, territory_id, kind, on))
        if stored is None:
            new.append((indicators[code].pk, territory_id, kind, on, spec["value"], spec["comment"], spec["source"]))
            counts["valeurs"]["created"] += 1
        elif (stored.value, stored.comment, stored.source) != (spec["value"], spec["comment"], spec["source"]):
            for name, value in values.items():
                setattr(stored, name, value)
            changed.append(stored)
            counts["valeurs"]["updated"] += 1
        else:
            counts["valeurs"]["unchanged"] += 1
    _insert_values(new)
    IndicatorValue.objects.bulk_update(changed, ["value", "comment", "source"], batch_size=500)
    if new or changed:
        ratios.refresh({row[0] for row in new} | {v.indicator_id for v in changed})


VALUE_COLUMNS = ("indicator", "territory", "kind", "on", "value", "comment", "source")


def _insert_values(rows: list[tuple]) -> None:
    """One prepared INSERT run for every new value: a plan holds tens of thousands, and building a model
    instance per row (bulk_create) cost more than reading the file. Values are adapted as the ORM does."""
    if not rows:
        return
    meta, ops = IndicatorValue._meta, connection.ops
    columns = ", ".join(ops.quote_name(meta.get_field(name).column) for name in VALUE_COLUMNS)
    placeholders = ", ".join(["%s"] * len(VALUE_COLUMNS))
    sql = f"INSERT INTO {ops.quote_name(meta.db_table)} ({columns}) VALUES ({placeholders})"
    field = meta.get_field("value")
    params = [
        (
            indicator_id,
            territory_id,
            kind,
            ops.adapt_datefield_value(on),
            ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places),
            comment,
            source,
        )
        for indicator_id, territory_id, kind, on, value, comment, source in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(sql, params)


def write(parsed: dict, counts, *, actor, origin: str) -> Plan:
    plan = _plan(parsed)
    axes = _axes(plan, parsed, counts)
    actions = _actions(plan, parsed, axes, counts, actor, origin)
    for (code, year), values in parsed["budgets"].items():
        _upsert(BudgetLine, {"action": actions[code], "year": year}, values, counts, "budgets")
    indicators = _indicators(plan, parsed, actions, counts)
    _values(plan, parsed, indicators, counts)
    return plan
