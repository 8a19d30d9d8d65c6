"""Roles × what they may change: a generated matrix, checked through the write actions themselves."""

import itertools

import pytest
from django.core.exceptions import PermissionDenied

from relais.steering import actions, roles
from relais.steering.models import ActionTerritory, Change
from relais.steering.tests.world import build_plan_world

pytestmark = pytest.mark.django_db

PEOPLE = ["admin", "editor_north", "editor_south", "pilot", "reader", "outsider", "anonymous"]
# What each may change: the metropolitan actions a1 (piloted by `pilot`) and a2, the local action of the
# north, and the declinations of a1 and a2 in each territory.
TARGETS = ["a1", "a2", "local", "a1@north", "a1@south", "a2@north", "a2@south"]
ALLOWED = {
    "admin": set(TARGETS),
    "editor_north": {"local", "a1@north", "a2@north"},
    "editor_south": {"a1@south", "a2@south"},
    "pilot": {"a1", "a1@north", "a1@south"},
    "reader": set(),
    "outsider": set(),
    "anonymous": set(),
}


@pytest.fixture
def world():
    return build_plan_world()


def _person(world, name):
    if name == "anonymous":
        from django.contrib.auth.models import AnonymousUser

        return AnonymousUser()
    return getattr(world, name)


def _write(world, person, target):
    if "@" in target:
        code, place = target.split("@")
        declination = ActionTerritory.objects.get(action=getattr(world, code), territory=getattr(world, place))
        return actions.update_declination(person, declination, {"meteo": "cloudy"})
    return actions.update_action(person, getattr(world, target), {"status": "blocked"})


@pytest.mark.parametrize(("name", "target"), list(itertools.product(PEOPLE, TARGETS)))
def test_each_role_changes_exactly_what_it_is_allowed_to(world, name, target):
    person = _person(world, name)
    if target in ALLOWED[name]:
        assert _write(world, person, target)
        assert Change.objects.filter(plan=world.plan).count() == 1
    else:
        with pytest.raises(PermissionDenied):
            _write(world, person, target)
        assert not Change.objects.exists()


def test_an_editor_of_the_north_cannot_change_the_south_even_on_an_action_it_may_edit_in_the_north(world):
    declination_south = ActionTerritory.objects.get(action=world.a2, territory=world.south)
    with pytest.raises(PermissionDenied):
        actions.update_declination(world.editor_north, declination_south, {"status": "done"})
    declination_south.refresh_from_db()
    assert declination_south.status == ""


def test_a_pilot_of_an_action_reads_the_plan_and_a_stranger_does_not(world):
    assert roles.access(world.pilot, world.plan).can_view
    assert roles.access(world.editor_south, world.plan).can_view
    assert not roles.access(world.outsider, world.plan).can_view
    assert list(roles.plans_of(world.pilot)) == [world.plan]
    assert list(roles.plans_of(world.outsider)) == []
