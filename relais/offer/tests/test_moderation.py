"""The moderation queue: territory scope, approving and reverting changes, validating new structures."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from relais.accounts.models import Membership
from relais.accounts.testing import verified_client
from relais.offer import actions
from relais.offer.models import Change, Moderation, Service, Structure
from tests.factories import (
    make_commune,
    make_member,
    make_moderator,
    make_service,
    make_structure,
    make_territory,
    make_user,
)

pytestmark = pytest.mark.django_db

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
QUEUE = "/offre/moderation/"


@pytest.fixture(autouse=True)
def _world():
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=PARIS), tick=False):
        yield


@pytest.fixture
def lyon_moderator():
    return make_moderator(make_territory(name="Lyon Centre", communes=[make_commune()]))


@pytest.fixture
def metz_moderator():
    return make_moderator(make_territory(name="Metz", communes=[make_commune("57463", "Metz")]))


@pytest.fixture
def edited_service():
    """A service in Lyon 3e whose name a partner changed: one change to review."""
    service = make_service(nom="Avant")
    partner = make_member(service.structure, role=Membership.Role.ADMIN)
    actions.apply_change(partner, service, {"nom": "Après"})
    return service


def test_queue_url_is_the_one_promised():
    assert reverse("offer:moderation") == QUEUE


def test_moderator_sees_changes_and_new_structures_of_their_territory(lyon_moderator, edited_service):
    pending = make_structure(nom="Nouvelle épicerie", moderation=Moderation.PENDING)
    make_member(pending, role=Membership.Role.ADMIN, user=make_user(email="fondatrice@example.org"))

    response = verified_client(lyon_moderator).get(QUEUE)

    assert response.status_code == 200
    assert [s.pk for s in response.context["structures"]] == [pending.pk]
    assert [c.service_id for c in response.context["changes"]] == [edited_service.pk]
    html = response.content.decode()
    assert "Nouvelle épicerie" in html and "fondatrice@example.org" in html
    assert "Avant" in html and "Après" in html


def test_moderator_of_another_territory_sees_nothing_and_gets_404(metz_moderator, edited_service):
    pending = make_structure(moderation=Moderation.PENDING)
    change = Change.objects.get()
    client = verified_client(metz_moderator)

    response = client.get(QUEUE)

    assert response.context["changes"] == [] and response.context["structures"] == []
    assert client.post(reverse("offer:moderate_change", args=[change.pk]), {"decision": "revert"}).status_code == 404
    assert (
        client.post(reverse("offer:moderate_structure", args=[pending.pk]), {"decision": "approve"}).status_code == 404
    )
    change.refresh_from_db()
    pending.refresh_from_db()
    assert change.review == Change.Review.TO_REVIEW and pending.moderation == Moderation.PENDING


def test_moderator_of_a_whole_city_sees_changes_in_its_arrondissements(edited_service):
    moderator = make_moderator(make_territory(communes=[make_commune("69123", "Lyon")]))

    response = verified_client(moderator).get(QUEUE)

    assert [c.service_id for c in response.context["changes"]] == [edited_service.pk]


def test_people_who_moderate_nothing_get_404():
    assert verified_client(make_user()).get(QUEUE).status_code == 404


def test_staff_see_every_territory(edited_service):
    metz_structure = make_structure(commune_obj=make_commune("57463", "Metz"), moderation=Moderation.PENDING)

    response = verified_client(make_user(is_staff=True)).get(QUEUE)

    assert [s.pk for s in response.context["structures"]] == [metz_structure.pk]
    assert len(response.context["changes"]) == 1


def test_approving_a_change_takes_it_out_of_the_queue(lyon_moderator, edited_service):
    change = Change.objects.get()
    client = verified_client(lyon_moderator)

    response = client.post(reverse("offer:moderate_change", args=[change.pk]), {"decision": "approve"})

    assert response.status_code == 302
    change.refresh_from_db()
    assert change.review == Change.Review.APPROVED and change.reviewed_by == lyon_moderator
    edited_service.refresh_from_db()
    assert edited_service.nom == "Après"
    assert client.get(QUEUE).context["changes"] == []


def test_reverting_a_change_restores_the_old_value(lyon_moderator, edited_service):
    change = Change.objects.get()

    verified_client(lyon_moderator).post(reverse("offer:moderate_change", args=[change.pk]), {"decision": "revert"})

    edited_service.refresh_from_db()
    assert edited_service.nom == "Avant"
    revert = Change.objects.get(kind=Change.Kind.REVERT)
    assert revert.actor == lyon_moderator and revert.diff == {"nom": ["Après", "Avant"]}
    assert revert.review == Change.Review.NOT_NEEDED


def test_deciding_twice_or_nonsense_gives_a_message_not_an_error(lyon_moderator, edited_service):
    change = Change.objects.get()
    client = verified_client(lyon_moderator)
    url = reverse("offer:moderate_change", args=[change.pk])

    assert client.post(url, {"decision": "supprimer"}).status_code == 302
    assert client.post(url, {"decision": "approve"}).status_code == 302
    assert client.post(url, {"decision": "revert"}).status_code == 302
    assert client.get(url).status_code == 405

    change.refresh_from_db()
    assert change.review == Change.Review.APPROVED
    edited_service.refresh_from_db()
    assert edited_service.nom == "Après"


def test_validating_a_new_structure_publishes_it(lyon_moderator):
    structure = actions.propose_structure(
        make_user(), {"nom": "Épicerie du 3e", "code_insee": "69383", "commune": "Lyon 3e Arrondissement"}
    )
    assert Client().get(reverse("offer:structure", args=[structure.pk])).status_code == 404

    response = verified_client(lyon_moderator).post(
        reverse("offer:moderate_structure", args=[structure.pk]), {"decision": "approve"}
    )

    assert response.status_code == 302
    structure.refresh_from_db()
    assert structure.moderation == Moderation.PUBLISHED
    assert Client().get(reverse("offer:structure", args=[structure.pk])).status_code == 200


def test_rejecting_a_new_structure_keeps_it_hidden(lyon_moderator):
    make_commune()
    structure = actions.propose_structure(make_user(), {"nom": "Doublon", "code_insee": "69383"})
    service = actions.create_service(
        structure.memberships.get().user, structure, {"nom": "Service du doublon", "description": "Doublon."}
    )

    verified_client(lyon_moderator).post(
        reverse("offer:moderate_structure", args=[structure.pk]), {"decision": "reject"}
    )

    structure.refresh_from_db()
    service.refresh_from_db()
    assert structure.moderation == Moderation.REJECTED and service.moderation == Moderation.REJECTED
    assert not Structure.objects.published().filter(pk=structure.pk).exists()
    assert not Service.objects.published().filter(pk=service.pk).exists()


def test_changes_of_a_structure_awaiting_validation_are_reviewed_with_it(lyon_moderator):
    structure = actions.propose_structure(make_user(), {"nom": "En attente", "code_insee": "69383"})
    actions.apply_change(structure.memberships.get().user, structure, {"telephone": "04 00 00 00 00"})

    response = verified_client(lyon_moderator).get(QUEUE)

    assert [s.pk for s in response.context["structures"]] == [structure.pk]
    assert response.context["changes"] == []


def test_queue_query_count_does_not_grow_with_the_number_of_changes(lyon_moderator, django_assert_max_num_queries):
    client = verified_client(lyon_moderator)
    partner = make_user()
    for n in range(3):
        actions.apply_change(partner, make_service(), {"nom": f"Nouveau nom {n}", "last_verified_by": partner})
    with django_assert_max_num_queries(17):  # 16, and the open error reports of the territory
        small = client.get(QUEUE)
    for n in range(10):
        actions.apply_change(partner, make_service(), {"nom": f"Autre nom {n}", "last_verified_by": partner})

    with django_assert_max_num_queries(17):
        large = client.get(QUEUE)

    assert len(small.context["changes"]) == 3 and len(large.context["changes"]) == 13
