import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from relais.offer.models import Service
from relais.referrals.models import Referral
from relais.steering import actions, overview, sources
from relais.steering.models import Action, ActionTerritory, Change, IndicatorValue, Note, ValueKind
from relais.steering.tests.world import build_plan_world
from tests.factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_plan_world()


def test_an_action_needs_a_pilot_account_or_a_pilot_name_the_database_refuses_neither(world):
    with pytest.raises(IntegrityError), transaction.atomic():
        Action.objects.create(plan=world.plan, axis=world.axis2, code="X", title="Sans pilote", pilot_name="")


def test_a_quick_update_records_author_time_old_and_new_values_and_the_news(world):
    changes = actions.update_action(world.pilot, world.a1, {"status": "blocked", "meteo": "stormy"}, note="Bloqué.")
    assert changes == {"status": ["in_progress", "blocked"], "meteo": ["", "stormy"]}
    change = Change.objects.filter(target="action").get()
    assert change.actor == world.pilot and change.diff["status"] == ["in_progress", "blocked"]
    world.a1.refresh_from_db()
    assert world.a1.last_news_at is not None
    assert Note.objects.get(action=world.a1).state == Note.State.DRAFT


def test_an_update_that_changes_nothing_records_nothing(world):
    assert actions.update_action(world.pilot, world.a1, {"status": "in_progress"}) == {}
    assert not Change.objects.exists()


def test_notes_go_from_draft_to_published_and_only_published_ones_are_public(world, client):
    note = actions.add_note(world.pilot, world.plan, "Premier comité réuni.", action=world.a1)
    page = client.get(f"/plan/{world.plan.slug}/a/{world.a1.code}/")
    assert "Premier comité réuni." not in page.content.decode()
    actions.publish_note(world.pilot, note)
    note.refresh_from_db()
    assert note.state == Note.State.PUBLISHED and note.published_at is not None
    assert "Premier comité réuni." in client.get(f"/plan/{world.plan.slug}/a/{world.a1.code}/").content.decode()


def test_a_reader_cannot_publish_a_note(world):
    from django.core.exceptions import PermissionDenied

    note = actions.add_note(world.admin, world.plan, "Synthèse", kind=Note.Kind.SYNTHESIS)
    with pytest.raises(PermissionDenied):
        actions.publish_note(world.reader, note)


def test_an_indicator_value_can_be_corrected_and_the_old_value_stays_in_the_history(world):
    day = dt.date(2026, 6, 1)
    actions.set_indicator_value(world.admin, world.indicator, territory=None, kind="current", on=day, value=Decimal(5))
    actions.set_indicator_value(world.admin, world.indicator, territory=None, kind="current", on=day, value=Decimal(7))
    assert IndicatorValue.objects.get().value == 7
    diffs = list(Change.objects.filter(target="indicator_value").order_by("at", "id").values_list("diff", flat=True))
    assert diffs[-1]["value"] == ["5.0000", "7"]


def test_an_editor_may_write_an_indicator_value_of_their_territory_only(world):
    from django.core.exceptions import PermissionDenied

    day = dt.date(2026, 6, 1)
    actions.set_indicator_value(
        world.editor_north, world.indicator, territory=world.north, kind="current", on=day, value=1
    )
    with pytest.raises(PermissionDenied):
        actions.set_indicator_value(
            world.editor_north, world.indicator, territory=world.south, kind="current", on=day, value=1
        )


def test_progress_from_indicators_follows_the_latest_values(world):
    world.a2.progress_mode = "indicators"
    world.a2.save()
    for kind, value, day in (
        ("initial", 10, "2024-01-01"),
        ("target", 30, "2024-01-01"),
        ("current", 15, "2025-01-01"),
        ("current", 20, "2026-01-01"),
    ):
        IndicatorValue.objects.create(indicator=world.indicator, kind=kind, value=value, on=day)
    view = overview.build(world.plan)
    row = next(r for r in view.actions if r.action == world.a2)
    assert row.percent == 50


def test_an_indicator_is_to_update_when_its_current_value_is_older_than_its_periodicity(world):
    today = dt.date(2026, 12, 7)
    assert world.indicator.is_to_update(None, today)
    assert world.indicator.is_to_update(dt.date(2025, 12, 1), today)
    assert not world.indicator.is_to_update(dt.date(2026, 6, 1), today)


def test_overview_rolls_progress_up_to_axes_and_the_plan(world):
    view = overview.build(world.plan)
    by_code = {g.key.code: g for g in view.axes}
    assert by_code["1.1"].percent == 50  # a1: one step of two done
    assert by_code["1"].percent == 50  # rolled up from its sub-axis
    assert by_code["2"].percent is None  # a2 and the local action: no steps
    assert view.percent == 50


def test_overview_counts_by_territory_use_the_local_status_else_the_action_status(world):
    ActionTerritory.objects.filter(action=world.a2, territory=world.north).update(status="done")
    view = overview.build(world.plan)
    north = next(g for g in view.territories if g.key == world.north)
    south = next(g for g in view.territories if g.key == world.south)
    assert north.counts == {"in_progress": 2, "done": 1}  # a1 (action status), local action, a2 (local status)
    assert south.counts == {"in_progress": 1, "to_come": 1}


def test_late_and_without_news_actions_are_flagged_but_never_done_ones(world):
    Action.objects.filter(pk=world.a2.pk).update(ends_on=dt.date(2020, 1, 1))
    Action.objects.filter(pk=world.a1.pk).update(last_news_at=timezone.now())
    Action.objects.filter(pk=world.local.pk).update(status="done")
    view = overview.build(world.plan, today=dt.date(2026, 12, 7))
    assert {r.action.code for r in view.late} == {"A2"}
    assert {r.action.code for r in view.without_news} == {"A2"}


def test_a_computed_indicator_reads_the_offer_and_the_referrals_of_the_territory(world):
    make_service(thematiques=["sante--acces-aux-soins"])
    make_service(thematiques=["numerique--acceder-a-une-connexion-internet"])
    assert sources.compute("services_in_thematique", world.north, "sante", dt.date(2026, 12, 7)) == 1
    assert sources.compute("services_in_thematique", world.south, "sante", dt.date(2026, 12, 7)) == 0
    service = Service.objects.first()
    Referral.objects.create(
        service=service, structure=service.structure, commune_code="69383", status="accepted", sent_at=timezone.now()
    )
    assert sources.compute("referrals_accepted", world.north, "", timezone.localdate()) == 1
    assert sources.compute("referrals_accepted", world.south, "", timezone.localdate()) == 0


def test_refreshing_a_computed_indicator_writes_todays_value_for_the_plan_and_each_territory(world):
    world.indicator.computed_source = "services_in_thematique"
    world.indicator.computed_parameter = "sante"
    world.indicator.save()
    make_service(thematiques=["sante--acces-aux-soins"])
    day = dt.date(2026, 12, 7)
    actions.refresh_computed(world.indicator, day, world.plan.territories.all())
    values = {(v.territory_id, v.value) for v in IndicatorValue.objects.filter(kind=ValueKind.CURRENT, on=day)}
    assert values == {(None, 1), (world.north.pk, 1), (world.south.pk, 0)}


def test_an_unknown_computed_source_is_named():
    with pytest.raises(ValueError, match="inexistante"):
        sources.compute("inexistante", None, "", dt.date(2026, 1, 1))
