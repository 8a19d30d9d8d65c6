"""Every write made in the Django admin lands in the change history (who, when, old, new):
aids and their claim services, closures edited inline, moderation actions, deletions; the admin's
« Historique » page shows it, and the changelists link to the import and export pages."""

import datetime as dt

import pytest
from django.urls import reverse

from relais.accounts.testing import log_in_verified
from relais.offer.actions import CLOSURE_KEY, apply_change
from relais.offer.models import Aid, Change, Closure, Moderation, Service, Structure
from relais.offer.tests.test_admin import inline_data, run_action, service_form_data
from tests.factories import make_service, make_structure, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = make_user(is_staff=True, is_superuser=True)
    log_in_verified(client, user)
    client.user = user
    return client


def aid_form_data(aid: Aid, services) -> dict:
    data = {
        "slug": aid.slug,
        "name": aid.name,
        "kind": aid.kind,
        "institution": aid.institution,
        "summary": aid.summary,
        "conditions": aid.conditions,
        "amount": aid.amount,
        "periodicity": aid.periodicity,
        "thematiques": "[]",
        "publics": "[]",
        "zone_eligibilite": "null",
        "how_to_claim": aid.how_to_claim,
        "claim_url": aid.claim_url,
        "source_url": aid.source_url,
        "claim_services": [s.pk for s in services],
        "moderation": aid.moderation,
    }
    return data


def make_aid(**overrides):
    values = {"slug": "aide-admin", "name": "Aide admin", "institution": "Métropole", "summary": "Pour tester."}
    return Aid.objects.create(**{**values, **overrides})


def structure_form_data(structure: Structure, closures, initial: int = 0) -> dict:
    data = {}
    for field in Structure._meta.concrete_fields:
        if field.name in ("id", "date_maj", "created_at", "updated_at"):
            continue
        value = getattr(structure, field.attname)
        if field.name == "reseaux_porteurs":
            data[field.name] = "[]"
        elif field.name == "is_demo":
            if value:
                data[field.name] = "on"
        elif value is not None:
            data[field.name] = str(value)
    data.update(inline_data("closures", closures, initial))
    return data


def test_editing_an_aid_in_the_admin_records_its_fields_and_claim_services(staff_client):
    aid = make_aid(amount="100 €")
    service = make_service()
    data = aid_form_data(aid, [service])
    data["amount"] = "120 € par mois"

    response = staff_client.post(reverse("admin:offer_aid_change", args=[aid.pk]), data)

    assert response.status_code == 302, response.context["adminform"].errors if response.context else ""
    change = Change.objects.get(aid=aid)
    assert change.diff == {"amount": ["100 €", "120 € par mois"], "claim_services": [[], [service.pk]]}
    assert (change.actor, change.target, change.review) == (
        staff_client.user,
        Change.Target.AID,
        Change.Review.NOT_NEEDED,
    )
    assert list(aid.claim_services.all()) == [service]


def test_an_aid_added_in_the_admin_is_recorded_as_a_creation_with_its_links(staff_client):
    service = make_service()
    data = aid_form_data(Aid(slug="nouvelle", name="Nouvelle aide", institution="CCAS", summary="Une aide."), [service])

    response = staff_client.post(reverse("admin:offer_aid_add"), data)

    assert response.status_code == 302
    change = Change.objects.get(target=Change.Target.AID)
    assert change.kind == Change.Kind.CREATE
    assert change.diff["name"] == [None, "Nouvelle aide"]
    assert change.diff["claim_services"] == [None, [service.pk]]


def test_moderating_and_verifying_an_aid_in_the_admin_are_recorded(staff_client):
    aid = make_aid()

    run_action(staff_client, "aid", "reject", [aid])
    run_action(staff_client, "aid", "mark_verified", [aid])

    diffs = [c.diff for c in Change.objects.filter(aid=aid).order_by("id")]
    assert diffs[0] == {"moderation": [Moderation.PUBLISHED, Moderation.REJECTED]}
    assert diffs[1]["last_verified_by_id"] == [None, staff_client.user.pk]


def test_closures_added_changed_and_deleted_inline_are_recorded(staff_client):
    structure = make_structure()
    url = reverse("admin:offer_structure_change", args=[structure.pk])
    added = {"starts_on": "2026-04-01", "ends_on": "2026-04-03", "is_closed": "on", "message": "Travaux"}
    assert staff_client.post(url, structure_form_data(structure, [added])).status_code == 302
    closure = Closure.objects.get(structure=structure)

    changed = {**added, "id": closure.pk, "structure": structure.pk, "ends_on": "2026-04-10"}
    assert staff_client.post(url, structure_form_data(structure, [changed], initial=1)).status_code == 302
    deleted = {**changed, "DELETE": "on"}
    assert staff_client.post(url, structure_form_data(structure, [deleted], initial=1)).status_code == 302

    assert not Closure.objects.exists()
    pairs = [c.diff[CLOSURE_KEY] for c in Change.objects.filter(structure=structure).order_by("id")]
    assert [(old and old["ends_on"], new and new["ends_on"]) for old, new in pairs] == [
        (None, "2026-04-03"),
        ("2026-04-03", "2026-04-10"),
        ("2026-04-10", None),
    ]
    assert set(Change.objects.values_list("actor", flat=True)) == {staff_client.user.pk}


def test_a_closure_added_inline_on_a_service_is_in_the_service_history(staff_client):
    service = make_service()
    closure = {"starts_on": "2026-04-01", "ends_on": "2026-04-03", "is_closed": "on", "message": "Congés"}

    staff_client.post(reverse("admin:offer_service_change", args=[service.pk]), service_form_data(service, [closure]))

    change = Change.objects.get(service=service)
    assert change.target == Change.Target.SERVICE
    assert change.diff[CLOSURE_KEY][1]["message"] == "Congés"


def test_deleting_a_service_in_the_admin_records_its_last_values_and_keeps_its_history(staff_client):
    service = make_service(nom="À supprimer")
    service_id = service.pk
    run_action(staff_client, "service", "mark_verified", [service])

    response = staff_client.post(reverse("admin:offer_service_delete", args=[service_id]), {"post": "yes"})

    assert response.status_code == 302
    assert not Service.objects.filter(pk=service_id).exists()
    history = list(Change.objects.filter(object_id=service_id).order_by("id"))
    assert [c.kind for c in history] == [Change.Kind.UPDATE, Change.Kind.DELETE]
    assert history[1].diff["nom"] == ["À supprimer", None]
    assert history[1].actor == staff_client.user


def test_the_delete_selected_action_records_each_deleted_structure(staff_client):
    structures = [make_structure(nom="Première"), make_structure(nom="Seconde")]
    make_service(structures[0])

    staff_client.post(
        reverse("admin:offer_structure_changelist"),
        {"action": "delete_selected", "_selected_action": [s.pk for s in structures], "post": "yes"},
    )

    assert not Structure.objects.exists()
    deleted = Change.objects.filter(kind=Change.Kind.DELETE)
    assert sorted(c.diff["nom"][0] for c in deleted if c.target == Change.Target.STRUCTURE) == ["Première", "Seconde"]
    assert deleted.filter(target=Change.Target.SERVICE).count() == 1


@pytest.mark.parametrize("model", ["structure", "service", "aid"])
def test_the_history_page_of_the_admin_shows_who_changed_what_from_what_to_what(staff_client, model):
    obj = {"structure": make_structure, "service": make_service, "aid": make_aid}[model]()
    field = "name" if model == "aid" else "nom"

    apply_change(staff_client.user, obj, {field: "Nom après modification"})

    response = staff_client.get(reverse(f"admin:offer_{model}_history", args=[obj.pk]))

    content = response.content.decode()
    assert response.status_code == 200
    assert "Historique des modifications" in content
    assert "Nom après modification" in content
    assert str(staff_client.user) in content


@pytest.mark.parametrize("model", ["structure", "service"])
def test_the_changelists_link_to_the_import_and_export_page(staff_client, model):
    response = staff_client.get(reverse(f"admin:offer_{model}_changelist"))

    content = response.content.decode()
    assert f'href="{reverse("offer:import")}"' in content
    assert f'href="{reverse("offer:import")}#export-heading"' in content
    assert "Importer des fichiers data·inclusion" in content


def test_the_offer_admin_page_links_to_the_import_and_export_page(staff_client):
    response = staff_client.get(reverse("admin:app_list", args=["offer"]))

    content = response.content.decode()
    assert response.status_code == 200
    assert f'href="{reverse("offer:import")}"' in content
    assert reverse("admin:offer_structure_changelist") in content  # the models are still listed


def test_the_import_page_reached_from_the_admin_answers_for_staff(staff_client):
    assert staff_client.get(reverse("offer:import")).status_code == 200


def test_dates_in_the_history_are_shown_in_french(staff_client):
    structure = make_structure()

    apply_change(staff_client.user, structure, {"last_verified_on": dt.date(2026, 2, 3)})

    content = staff_client.get(reverse("admin:offer_structure_history", args=[structure.pk])).content.decode()
    assert "3 février 2026" in content
