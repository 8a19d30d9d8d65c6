"""A small plan for the steering tests: two territories, two top axes (one with a sub-axis), three actions."""

import datetime as dt
from dataclasses import dataclass

from relais.steering.models import Action, ActionTerritory, Axis, Indicator, Plan, PlanRole, Step, Tag
from tests.factories import make_commune, make_territory, make_user


@dataclass
class PlanWorld:
    plan: Plan
    north: object
    south: object
    axis1: Axis
    axis11: Axis
    axis2: Axis
    tag: Tag
    a1: Action
    a2: Action
    local: Action
    admin: object
    editor_north: object
    editor_south: object
    pilot: object
    reader: object
    outsider: object
    indicator: Indicator


def make_action(plan, axis, code, **overrides):
    defaults = {"title": f"Action {code}", "pilot_name": "Claire Martin", "pilot_function": "cheffe de projet"}
    defaults.update(overrides)
    return Action.objects.create(plan=plan, axis=axis, code=code, **defaults)


def build_plan_world(slug="pms") -> PlanWorld:
    north = make_territory("Territoire Nord", communes=[make_commune("69383")], slug=f"{slug}-nord")
    south = make_territory(
        "Territoire Sud",
        communes=[make_commune("69259", "Vénissieux", latitude=45.69, longitude=4.88)],
        slug=f"{slug}-sud",
    )
    plan = Plan.objects.create(slug=slug, name="Plan des solidarités", owner="Métropole de test")
    plan.territories.set([north, south])
    axis1 = Axis.objects.create(plan=plan, code="1", title="Métropole de l’hospitalité", order=1)
    axis11 = Axis.objects.create(plan=plan, code="1.1", title="Accès au logement", parent=axis1, order=1)
    axis2 = Axis.objects.create(plan=plan, code="2", title="Métropole du prendre-soin", order=2)
    tag = Tag.objects.create(plan=plan, slug="logement-d-abord", name="Logement d’abord", kind=Tag.Kind.STRATEGY)
    pilot = make_user(first_name="Paul", last_name="Pilote")
    a1 = make_action(plan, axis11, "A1", pilot_user=pilot, pilot_name="", status="in_progress", publics=["familles"])
    a1.tags.add(tag)
    a2 = make_action(plan, axis2, "A2", status="to_come", thematiques=["sante--acces-aux-soins"])
    local = make_action(plan, axis2, "L1", local_territory=north, status="in_progress")
    for action in (a1, a2):
        ActionTerritory.objects.create(action=action, territory=north)
        ActionTerritory.objects.create(action=action, territory=south)
    Step.objects.create(action=a1, title="Étape 1", done=True, due_on=dt.date(2026, 1, 1))
    Step.objects.create(action=a1, title="Étape 2", done=False, due_on=dt.date(2027, 1, 1))
    indicator = Indicator.objects.create(plan=plan, code="I1", name="Ménages relogés", unit="ménages")
    a2.indicators.add(indicator)
    admin, editor_north, editor_south, reader, outsider = (make_user() for _ in range(5))
    PlanRole.objects.create(plan=plan, user=admin, role=PlanRole.Role.ADMIN)
    PlanRole.objects.create(plan=plan, user=editor_north, role=PlanRole.Role.EDITOR, territory=north)
    PlanRole.objects.create(plan=plan, user=editor_south, role=PlanRole.Role.EDITOR, territory=south)
    PlanRole.objects.create(plan=plan, user=reader, role=PlanRole.Role.READER)
    return PlanWorld(
        plan,
        north,
        south,
        axis1,
        axis11,
        axis2,
        tag,
        a1,
        a2,
        local,
        admin,
        editor_north,
        editor_south,
        pilot,
        reader,
        outsider,
        indicator,
    )
