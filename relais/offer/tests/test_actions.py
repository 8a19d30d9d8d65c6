"""Writes to the offer through relais.offer.actions: diffs, history, memberships, moderation decisions."""

import datetime as dt
import json
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import PermissionDenied

from relais.accounts.models import Membership
from relais.offer import actions
from relais.offer.models import Aid, Change, Closure, Moderation, Service, Structure
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
TODAY = dt.date(2026, 3, 10)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=PARIS), tick=False):
        yield


# --- apply_change ---------------------------------------------------------------------------


def test_update_records_only_changed_fields_with_old_and_new_values():
    service = make_service(nom="Aide alimentaire", capacity="accepting")
    user = make_user()

    change = actions.apply_change(
        user, service, {"nom": "Aide alimentaire", "capacity": "full", "full_until": dt.date(2026, 4, 1)}
    )

    assert change.diff == {"capacity": ["accepting", "full"], "full_until": [None, "2026-04-01"]}
    assert change.actor == user
    assert change.kind == Change.Kind.UPDATE
    assert change.review == Change.Review.TO_REVIEW
    assert change.service == service and change.structure == service.structure
    assert change.code_insee == "69383"
    json.dumps(change.diff)  # serialisable as stored
    service.refresh_from_db()
    assert service.capacity == "full" and service.full_until == dt.date(2026, 4, 1)


def test_update_sets_date_maj_to_today():
    service = make_service(date_maj=dt.date(2025, 1, 1))

    actions.apply_change(make_user(), service, {"description": "Nouvelle description."})

    service.refresh_from_db()
    assert service.date_maj == TODAY


def test_saving_without_any_change_records_nothing_and_keeps_date_maj():
    service = make_service(date_maj=dt.date(2025, 1, 1), languages=["fr", "ar"])

    result = actions.apply_change(
        make_user(),
        service,
        {"nom": service.nom, "languages": ["ar", "fr"], "frais_precisions": "", "modes_mobilisation": []},
    )

    assert result is None
    assert not Change.objects.exists()
    service.refresh_from_db()
    assert service.date_maj == dt.date(2025, 1, 1)


def test_diff_is_computed_against_the_database_not_the_object_in_memory():
    service = make_service(nom="Avant")
    service.nom = "Modifié en mémoire sans être enregistré"

    change = actions.apply_change(make_user(), service, {"nom": "Après"})

    assert change.diff == {"nom": ["Avant", "Après"]}


def test_edit_built_from_an_older_version_is_refused():
    service = make_service(nom="Avant")
    version = actions.version_of(service)
    actions.apply_change(make_user(), service, {"nom": "Modifié par une collègue"})

    with pytest.raises(actions.StaleEdit):
        actions.apply_change(make_user(), service, {"nom": "Mon texte"}, expected_version=version)

    service.refresh_from_db()
    assert service.nom == "Modifié par une collègue"
    assert Change.objects.count() == 1


def test_creation_records_every_filled_field_as_new():
    structure = make_structure()
    user = make_user()

    service = actions.create_service(
        user,
        structure,
        {"nom": "Permanence juridique", "description": "Conseils gratuits.", "thematiques": ["acces-aux-droits"]},
    )

    change = Change.objects.get()
    assert change.kind == Change.Kind.CREATE
    assert change.diff["nom"] == [None, "Permanence juridique"]
    assert change.diff["last_verified_on"] == [None, "2026-03-10"]
    assert "frais_precisions" not in change.diff  # empty fields are not listed
    assert service.code_insee == structure.code_insee  # no address of its own: the structure's
    assert service.date_maj == TODAY


def test_new_service_of_a_published_structure_is_published_but_waits_for_review():
    structure = make_structure()

    service = actions.create_service(make_user(), structure, {"nom": "Épicerie", "description": "Épicerie."})

    assert service.moderation == Moderation.PUBLISHED
    assert Change.objects.get(service=service).review == Change.Review.TO_REVIEW


def test_new_service_of_a_pending_structure_stays_hidden():
    structure = make_structure(moderation=Moderation.PENDING)

    service = actions.create_service(make_user(), structure, {"nom": "Épicerie", "description": "Épicerie."})

    assert service.moderation == Moderation.PENDING


def test_marking_verified_sets_date_and_person_without_review():
    service = make_service(last_verified_on=dt.date(2025, 1, 1))
    user = make_user()

    change = actions.mark_verified(user, service)

    service.refresh_from_db()
    assert service.last_verified_on == TODAY and service.last_verified_by == user
    assert change.review == Change.Review.NOT_NEEDED
    assert change.diff["last_verified_on"] == ["2025-01-01", "2026-03-10"]
    assert actions.mark_verified(user, service) is None  # twice the same day: nothing new


# --- memberships ----------------------------------------------------------------------------


def test_the_first_member_of_a_structure_is_a_pending_admin_request_not_an_admin():
    structure = make_structure()
    user = make_user()

    membership = actions.request_membership(user, structure)

    assert membership.role == Membership.Role.ADMIN
    assert membership.status == Membership.Status.PENDING
    assert not user.is_admin_of(structure) and not user.is_member_of(structure)


def test_a_moderator_of_the_structures_commune_approves_the_first_admin_and_other_claims_go_to_that_admin():
    commune = make_commune()
    structure = make_structure(code_insee=commune.code)
    moderator = make_moderator(make_territory(communes=[commune]))
    elsewhere = make_moderator(make_territory(communes=[make_commune("57463", "Metz")]))
    first, second = make_user(), make_user()
    claim = actions.request_membership(first, structure)
    other_claim = actions.request_membership(second, structure)

    with pytest.raises(PermissionDenied):
        actions.decide_claim(elsewhere, claim, approve=True)
    actions.decide_claim(moderator, claim, approve=True)

    claim.refresh_from_db()
    other_claim.refresh_from_db()
    assert first.is_admin_of(structure) and claim.decided_by == moderator and claim.decided_at is not None
    assert other_claim.status == Membership.Status.PENDING and other_claim.role == Membership.Role.MEMBER
    with pytest.raises(actions.AlreadyDecided):
        actions.decide_claim(moderator, claim, approve=False)


def test_a_structure_admin_cannot_decide_a_first_admin_claim():
    structure = make_structure()
    claim = actions.request_membership(make_user(), structure)
    admin = make_member(structure, role=Membership.Role.ADMIN)  # an admin appeared meanwhile (by the admin site)

    with pytest.raises(PermissionDenied):
        actions.decide_membership(admin, claim, approve=True)


def test_second_member_waits_for_the_admin_approval():
    structure = make_structure()
    make_member(structure, role=Membership.Role.ADMIN)

    membership = actions.request_membership(make_user(), structure)

    assert membership.role == Membership.Role.MEMBER
    assert membership.status == Membership.Status.PENDING


def test_asking_again_returns_the_same_request():
    structure = make_structure()
    make_member(structure, role=Membership.Role.ADMIN)
    user = make_user()
    first = actions.request_membership(user, structure)

    assert actions.request_membership(user, structure).pk == first.pk
    assert Membership.objects.filter(user=user).count() == 1


def test_admin_approves_a_pending_member():
    structure = make_structure()
    admin = make_member(structure, role=Membership.Role.ADMIN)
    membership = actions.request_membership(make_user(), structure)

    actions.decide_membership(admin, membership, approve=True)

    membership.refresh_from_db()
    assert membership.status == Membership.Status.ACTIVE
    assert membership.decided_by == admin
    with pytest.raises(actions.AlreadyDecided):
        actions.decide_membership(admin, membership, approve=False)


def test_a_plain_member_cannot_decide_on_requests():
    structure = make_structure()
    make_member(structure, role=Membership.Role.ADMIN)
    member = make_member(structure)
    membership = actions.request_membership(make_user(), structure)

    with pytest.raises(PermissionDenied):
        actions.decide_membership(member, membership, approve=True)


def test_proposed_structure_is_pending_and_its_proposer_is_admin():
    user = make_user()
    commune = make_commune()

    structure = actions.propose_structure(
        user, {"nom": "Nouvelle association", "commune": commune.name, "code_insee": commune.code}
    )

    assert structure.moderation == Moderation.PENDING
    assert structure.id.startswith("relais--") and structure.source == "relais"
    assert user.is_admin_of(structure)
    assert not Structure.objects.published().filter(pk=structure.pk).exists()
    assert Change.objects.get(structure=structure).kind == Change.Kind.CREATE


# --- moderation -----------------------------------------------------------------------------


def test_moderators_moderate_arrondissements_of_a_commune_of_their_territory():
    lyon = make_commune("69123", "Lyon")
    make_commune("69383", "Lyon 3e Arrondissement")
    moderator = make_moderator(make_territory(communes=[lyon]))

    assert actions.can_moderate(moderator, "69383")
    assert actions.can_moderate(moderator, "69123")
    assert not actions.can_moderate(moderator, "57463")


def test_validating_a_structure_publishes_it_with_its_services_and_approves_its_changes():
    structure = make_structure(moderation=Moderation.PENDING)
    partner = make_member(structure, role=Membership.Role.ADMIN)
    service = actions.create_service(partner, structure, {"nom": "Épicerie", "description": "Épicerie."})
    moderator = make_moderator(make_territory(communes=[make_commune()]))

    actions.decide_structure(moderator, structure, approve=True)

    structure.refresh_from_db()
    service.refresh_from_db()
    assert structure.moderation == Moderation.PUBLISHED
    assert service.moderation == Moderation.PUBLISHED
    assert not Change.objects.filter(review=Change.Review.TO_REVIEW).exists()
    with pytest.raises(actions.AlreadyDecided):
        actions.decide_structure(moderator, structure, approve=False)


def test_moderator_of_another_territory_cannot_decide():
    structure = make_structure(moderation=Moderation.PENDING)
    metz = make_commune("57463", "Metz")
    moderator = make_moderator(make_territory(communes=[metz]))

    with pytest.raises(PermissionDenied):
        actions.decide_structure(moderator, structure, approve=True)


def test_reverting_a_change_restores_the_old_values_and_records_the_revert():
    service = make_service(nom="Avant", full_until=None, capacity="accepting")
    change = actions.apply_change(
        make_user(), service, {"nom": "Après", "capacity": "full", "full_until": dt.date(2026, 5, 1)}
    )
    moderator = make_moderator(make_territory(communes=[make_commune()]))

    reverted, skipped = actions.review_change(moderator, change, approve=False)

    service.refresh_from_db()
    assert (service.nom, service.capacity, service.full_until) == ("Avant", "accepting", None)
    assert skipped == []
    assert reverted.kind == Change.Kind.REVERT and reverted.actor == moderator
    assert reverted.diff["nom"] == ["Après", "Avant"]
    assert reverted.diff["full_until"] == ["2026-05-01", None]
    change.refresh_from_db()
    assert change.review == Change.Review.REVERTED and change.reviewed_by == moderator


def test_revert_keeps_fields_changed_again_since():
    service = make_service(nom="Avant", description="Texte d’origine.")
    first = actions.apply_change(make_user(), service, {"nom": "Après", "description": "Texte modifié."})
    actions.apply_change(make_user(), service, {"nom": "Encore après"})
    moderator = make_moderator(make_territory(communes=[make_commune()]))

    _reverted, skipped = actions.review_change(moderator, first, approve=False)

    service.refresh_from_db()
    assert service.nom == "Encore après"
    assert service.description == "Texte d’origine."
    assert skipped == ["nom"]


def test_reverting_a_new_service_unpublishes_it():
    structure = make_structure()
    service = actions.create_service(make_user(), structure, {"nom": "Doublon", "description": "Doublon."})
    moderator = make_moderator(make_territory(communes=[make_commune()]))

    actions.review_change(moderator, Change.objects.get(service=service), approve=False)

    service.refresh_from_db()
    assert service.moderation == Moderation.REJECTED
    assert not Service.objects.published().filter(pk=service.pk).exists()


def test_reverting_a_new_closure_removes_it():
    structure = make_structure()
    closure = actions.add_closure(
        make_user(),
        structure,
        {"starts_on": dt.date(2026, 4, 1), "ends_on": dt.date(2026, 4, 3), "message": "Travaux", "is_closed": True},
    )
    change = Change.objects.get()
    assert change.diff["closure"][0] is None and change.diff["closure"][1]["starts_on"] == "2026-04-01"
    moderator = make_moderator(make_territory(communes=[make_commune()]))

    reverted, _skipped = actions.review_change(moderator, change, approve=False)

    assert not Closure.objects.filter(pk=closure.pk).exists()
    assert reverted.kind == Change.Kind.REVERT


def test_reverting_a_closure_deletion_brings_it_back():
    structure = make_structure()
    service = make_service(structure)
    closure = Closure.objects.create(
        structure=structure, service=service, starts_on=TODAY, ends_on=TODAY, message="Formation"
    )
    change = actions.delete_closure(make_user(), closure)
    moderator = make_moderator(make_territory(communes=[make_commune()]))

    actions.review_change(moderator, change, approve=False)

    restored = Closure.objects.get()
    assert (restored.service, restored.message, restored.starts_on) == (service, "Formation", TODAY)


def test_a_change_is_reviewed_once():
    service = make_service()
    change = actions.apply_change(make_user(), service, {"nom": "Autre nom"})
    moderator = make_moderator(make_territory(communes=[make_commune()]))
    actions.review_change(moderator, change, approve=True)

    with pytest.raises(actions.AlreadyDecided):
        actions.review_change(moderator, change, approve=False)
    change.refresh_from_db()
    assert change.review == Change.Review.APPROVED


# --- aids, closures edited in place, moves and deletions ------------------------------------


def make_aid(**overrides):
    values = {"slug": "aide-test", "name": "Aide test", "institution": "Métropole", "summary": "Pour tester."}
    values.update(overrides)
    return Aid.objects.create(**values)


def test_an_aid_change_records_old_and_new_values_and_its_claim_services():
    aid = make_aid(amount="100 €")
    first, second = make_service(), make_service()
    aid.claim_services.add(first)
    staff = make_user(is_staff=True)

    change = actions.apply_change(staff, aid, {"amount": "150 €", "claim_services": [second, first]})

    assert change.target == Change.Target.AID and change.aid == aid and change.object_id == str(aid.pk)
    assert change.structure is None and change.service is None and change.code_insee == ""
    assert change.diff == {"amount": ["100 €", "150 €"], "claim_services": [[first.pk], sorted([first.pk, second.pk])]}
    assert set(aid.claim_services.all()) == {first, second}
    assert actions.apply_change(staff, aid, {"amount": "150 €", "claim_services": [first, second]}) is None


def test_creating_an_aid_records_every_value_and_link():
    service = make_service()
    aid = Aid(slug="nouvelle-aide", name="Nouvelle aide", institution="CCAS", summary="Une aide.")

    change = actions.apply_change(make_user(is_staff=True), aid, {"claim_services": [service]})

    assert change.kind == Change.Kind.CREATE
    assert change.diff["name"] == [None, "Nouvelle aide"]
    assert change.diff["claim_services"] == [None, [service.pk]]
    assert list(Aid.objects.get(slug="nouvelle-aide").claim_services.all()) == [service]


def test_reverting_an_aid_change_gives_back_its_fields_and_links():
    aid = make_aid(amount="100 €")
    service = make_service()
    staff = make_user(is_staff=True)
    change = actions.apply_change(staff, aid, {"amount": "0 €", "claim_services": [service]})

    reverted, skipped = actions.review_change(staff, change, approve=False)

    aid.refresh_from_db()
    assert (aid.amount, list(aid.claim_services.all()), skipped) == ("100 €", [], [])
    assert reverted.kind == Change.Kind.REVERT and reverted.diff["claim_services"] == [[service.pk], []]


def test_editing_a_closure_in_place_records_it_as_it_was_and_as_it_becomes():
    structure = make_structure()
    user = make_user()
    closure = actions.add_closure(
        user, structure, {"starts_on": dt.date(2026, 4, 1), "ends_on": dt.date(2026, 4, 2), "message": "Travaux"}
    )

    change = actions.update_closure(user, closure, {"ends_on": dt.date(2026, 4, 5), "message": "Travaux prolongés"})

    old, new = change.diff[actions.CLOSURE_KEY]
    assert (old["ends_on"], old["message"]) == ("2026-04-02", "Travaux")
    assert (new["ends_on"], new["message"]) == ("2026-04-05", "Travaux prolongés")
    assert change.actor == user and change.target == Change.Target.STRUCTURE
    assert actions.update_closure(user, closure, {"message": "Travaux prolongés"}) is None


def test_reverting_a_closure_edit_gives_back_the_old_dates():
    structure = make_structure()
    closure = actions.add_closure(make_user(), structure, {"starts_on": TODAY, "ends_on": TODAY})
    change = actions.update_closure(make_user(), closure, {"ends_on": TODAY + dt.timedelta(days=9)})

    actions.review_change(make_user(is_staff=True), change, approve=False)

    closure.refresh_from_db()
    assert closure.ends_on == TODAY


def test_moving_a_service_to_another_structure_is_recorded():
    service = make_service()
    first, other = service.structure, make_structure()

    change = actions.apply_change(make_user(is_staff=True), service, {"structure": other})

    assert change.diff == {"structure_id": [first.pk, other.pk]}
    assert change.structure == other  # the history of its new structure shows the move
    assert Service.objects.get(pk=service.pk).structure == other


def test_deleting_a_structure_records_it_its_services_and_closures_and_keeps_earlier_history():
    structure = make_structure(nom="Fermée définitivement")
    service = make_service(structure, nom="Service supprimé")
    user = make_user(is_staff=True)
    earlier = actions.apply_change(user, service, {"telephone": "0478000000"})
    actions.add_closure(user, structure, {"starts_on": TODAY, "ends_on": TODAY, "message": "Dernier jour"})

    actions.delete_listing(user, structure)

    assert not Structure.objects.filter(pk=structure.pk).exists()
    deletions = Change.objects.filter(kind=Change.Kind.DELETE)
    by_target = {(c.target, c.object_id): c for c in deletions if actions.CLOSURE_KEY not in c.diff}
    assert by_target[(Change.Target.STRUCTURE, structure.pk)].diff["nom"] == ["Fermée définitivement", None]
    assert by_target[(Change.Target.SERVICE, service.pk)].diff["nom"] == ["Service supprimé", None]
    assert [c.diff[actions.CLOSURE_KEY][0]["message"] for c in deletions if actions.CLOSURE_KEY in c.diff] == [
        "Dernier jour"
    ]
    assert {c.actor for c in deletions} == {user}
    earlier.refresh_from_db()  # still there, its links emptied
    assert (earlier.structure, earlier.service, earlier.object_id, earlier.target) == (
        None,
        None,
        service.pk,
        Change.Target.SERVICE,
    )


def test_a_deleted_listing_cannot_be_reverted_but_the_change_stays():
    service = make_service()
    change = actions.apply_change(make_user(), service, {"nom": "Renommé"})
    actions.delete_listing(make_user(is_staff=True), service)

    with pytest.raises(actions.ActionError):
        actions.review_change(make_user(is_staff=True), Change.objects.get(pk=change.pk), approve=False)
