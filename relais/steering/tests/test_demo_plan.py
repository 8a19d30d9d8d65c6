import datetime as dt

import pytest
from django.core.management import CommandError, call_command

from relais.demo import plan as demo
from relais.steering import overview
from relais.steering.models import Action, Axis, Plan, PlanRole, Tag
from tests.factories import make_commune, make_territory

pytestmark = pytest.mark.django_db


def test_the_demo_plans_follow_the_sources_structure_and_every_action_says_demo():
    make_territory("Lyon", slug="ctm-lyon", communes=[make_commune("69383")])
    demo.load(today=dt.date(2026, 12, 7))
    lyon = Plan.objects.get(slug="pms-lyon-demo")
    tops = list(Axis.objects.filter(plan=lyon, parent=None).order_by("order").values_list("title", flat=True))
    assert tops == [
        "Métropole de l’hospitalité",
        "Métropole du prendre-soin",
        "Métropole de l’inclusion",
        "Métropole de l’émancipation",
    ]
    modes = set(Tag.objects.filter(plan=lyon, kind=Tag.Kind.MODE).values_list("name", flat=True))
    assert modes == {
        "Accueillir sans conditions",
        "Pouvoir d’agir des personnes concernées",
        "Pouvoir d’agir des professionnels",
    }
    assert Axis.objects.filter(plan__slug="metropole-solidaire-metz-demo").count() == 3
    assert all(title.endswith("(démo)") for title in Action.objects.values_list("title", flat=True))
    assert "inventés" in lyon.source_note
    assert PlanRole.objects.filter(plan=lyon, user__email="plan@demo.relais", role="admin").exists()
    assert Action.objects.filter(plan=lyon, pilot_user__email="pilote@demo.relais").exists()
    assert overview.build(lyon).territories[0].total > 0


def test_loading_the_demo_twice_replaces_it_and_keeps_other_plans():
    Plan.objects.create(slug="vrai-plan", name="Un vrai plan")
    demo.load(today=dt.date(2026, 12, 7))
    count = Action.objects.count()
    demo.load(today=dt.date(2026, 12, 7))
    assert Action.objects.count() == count
    assert Plan.objects.filter(slug="vrai-plan").exists()


def test_the_demo_command_refuses_to_run_when_the_demo_is_off(settings):
    settings.RELAIS_DEMO = False
    with pytest.raises(CommandError, match="RELAIS_DEMO"):
        call_command("load_demo_plan")
