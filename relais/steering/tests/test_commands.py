"""The scheduled commands: reminders of a reporting campaign, computed indicators. Dry run unless --wet-run."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from relais.steering import actions
from relais.steering.models import CampaignRequest, IndicatorValue
from relais.steering.tests.world import build_plan_world
from tests.factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_plan_world()


def test_reminders_are_a_dry_run_by_default_and_sent_with_wet_run_to_pilots_who_did_not_answer(world, capsys):
    campaign = actions.launch_campaign(world.admin, world.plan, title="Point d’étape", due_on=dt.date(2099, 3, 15))
    actions.send_campaign_requests(campaign)
    mail.outbox.clear()
    call_command("send_plan_reminders")
    assert "1 relance(s) à envoyer" in capsys.readouterr().out
    assert mail.outbox == []
    call_command("send_plan_reminders", "--wet-run")
    assert len(mail.outbox) == 1 and mail.outbox[0].subject.startswith("Rappel")
    assert CampaignRequest.objects.get(action=world.a1).reminders == 1
    call_command("send_plan_reminders", "--wet-run")  # not again within a week
    assert len(mail.outbox) == 1


def test_a_pilot_who_answered_is_not_reminded(world):
    campaign = actions.launch_campaign(world.admin, world.plan, title="Point d’étape", due_on=dt.date(2099, 3, 15))
    actions.update_action(world.pilot, world.a1, {"meteo": "sunny"})
    assert actions.remind(campaign, wet_run=True) == []
    assert mail.outbox == []


def test_a_campaign_past_its_due_date_reminds_nobody(world):
    campaign = actions.launch_campaign(world.admin, world.plan, title="Ancienne", due_on=dt.date(2000, 3, 15))
    assert list(actions.campaigns_to_remind(timezone.localdate())) == []
    assert campaign.requests.count() == 3


def test_refresh_plan_indicators_writes_only_with_wet_run(world):
    world.indicator.computed_source = "services_in_thematique"
    world.indicator.computed_parameter = "sante"
    world.indicator.save()
    make_service(thematiques=["sante--acces-aux-soins"])
    call_command("refresh_plan_indicators")
    assert not IndicatorValue.objects.exists()
    call_command("refresh_plan_indicators", "--wet-run")
    assert IndicatorValue.objects.filter(territory=None).get().value == 1
