import datetime as dt
import json

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.db.models import BooleanField, JSONField
from django.urls import reverse

from relais.accounts.testing import log_in_verified  # staff pages ask for the second factor
from relais.offer.hours import PARIS
from relais.offer.models import Aid, Change, Closure, Moderation, Service
from tests.factories import make_service, make_structure, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = make_user(is_staff=True, is_superuser=True)
    log_in_verified(client, user)
    client.user = user
    return client


@pytest.fixture
def offer():
    service = make_service(id="dora--svc:1")
    Closure.objects.create(structure=service.structure, starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 2))
    aid = Aid.objects.create(slug="aide", name="Une aide", institution="Métropole", summary="Pour tester.")
    aid.claim_services.add(service)
    change = Change.objects.create(
        structure=service.structure, service=service, object_id=service.pk, kind=Change.Kind.UPDATE, diff={}
    )
    return {"structure": service.structure, "service": service, "aid": aid, "change": change}


CHANGELIST_QUERIES = {
    "structure": ["", "?moderation__exact=pending", "?stale=yes", "?stale=no", "?is_demo__exact=1", "?q=dora"],
    "service": ["", "?moderation__exact=published", "?capacity__exact=full", "?stale=yes", "?is_demo__exact=0"],
    "aid": ["", "?moderation__exact=published", "?stale=no", "?q=aide"],
    "change": ["", "?review__exact=to_review", "?kind__exact=update", "?q=dora"],
}


@pytest.mark.parametrize("model", CHANGELIST_QUERIES)
def test_staff_can_open_each_changelist_with_its_filters(staff_client, offer, model):
    url = reverse(f"admin:offer_{model}_changelist")
    for query in CHANGELIST_QUERIES[model]:
        response = staff_client.get(url + query)
        assert response.status_code == 200, query


@pytest.mark.parametrize("model", ["structure", "service", "aid", "change"])
def test_staff_can_open_each_change_page(staff_client, offer, model):
    response = staff_client.get(reverse(f"admin:offer_{model}_change", args=[offer[model].pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("model", ["structure", "service", "aid"])
def test_staff_can_open_each_add_page(staff_client, db, model):
    assert staff_client.get(reverse(f"admin:offer_{model}_add")).status_code == 200


def test_service_search_finds_identifiers_with_special_characters(staff_client, offer):
    response = staff_client.get(reverse("admin:offer_service_changelist") + "?q=svc:1")
    assert list(response.context["cl"].result_list) == [offer["service"]]


def test_stale_filter_keeps_old_and_never_verified_listings(staff_client, db):
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=PARIS), tick=False):
        fresh = make_service(last_verified_on=dt.date(2026, 3, 1))
        old = make_service(last_verified_on=dt.date(2025, 1, 1))
        never = make_service(last_verified_on=None)
        url = reverse("admin:offer_service_changelist")
        stale = staff_client.get(url + "?stale=yes").context["cl"].result_list
        recent = staff_client.get(url + "?stale=no").context["cl"].result_list
    assert set(stale) == {old, never}
    assert set(recent) == {fresh}


def test_change_history_is_read_only(staff_client, offer):
    response = staff_client.get(reverse("admin:offer_change_change", args=[offer["change"].pk]))
    assert 'name="_save"' not in response.content.decode()
    assert staff_client.get(reverse("admin:offer_change_add")).status_code == 403
    url = reverse("admin:offer_change_delete", args=[offer["change"].pk])
    assert staff_client.post(url, {"post": "yes"}).status_code == 403
    assert Change.objects.filter(pk=offer["change"].pk).exists()


@pytest.mark.parametrize("url_name", ["admin:offer_service_changelist", "admin:offer_structure_changelist"])
def test_non_staff_are_redirected_to_the_admin_login(client, db, url_name):
    client.force_login(make_user())
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_anonymous_visitors_are_redirected_to_the_admin_login(client, db):
    response = client.get(reverse("admin:offer_aid_changelist"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def run_action(client, model: str, action: str, objects):
    return client.post(
        reverse(f"admin:offer_{model}_changelist"),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
        follow=True,
    )


def test_mark_verified_records_today_and_who(staff_client, db):
    services = [make_service(last_verified_on=None), make_service(last_verified_on=dt.date(2024, 1, 1))]
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=PARIS), tick=False):
        response = run_action(staff_client, "service", "mark_verified", services)
    assert "2 fiches marquées comme vérifiées." in response.content.decode()
    for service in services:
        service.refresh_from_db()
        assert service.last_verified_on == dt.date(2026, 3, 10)
        assert service.last_verified_by == staff_client.user
    assert LogEntry.objects.filter(object_id=services[0].pk, user=staff_client.user).exists()
    change = Change.objects.get(service=services[0])
    assert change.actor == staff_client.user
    assert change.review == Change.Review.NOT_NEEDED
    assert change.diff["last_verified_on"] == [None, "2026-03-10"]


def test_approve_and_reject_change_moderation(staff_client, db):
    pending = make_structure(moderation=Moderation.PENDING)
    published = make_structure()
    response = run_action(staff_client, "structure", "approve", [pending, published])
    assert "1 fiche publiée." in response.content.decode()
    pending.refresh_from_db()
    assert pending.moderation == Moderation.PUBLISHED

    run_action(staff_client, "structure", "reject", [published])
    published.refresh_from_db()
    assert published.moderation == Moderation.REJECTED


def test_approving_a_proposed_structure_publishes_its_pending_services(staff_client, db):
    structure = make_structure(moderation=Moderation.PENDING)
    service = make_service(structure, moderation=Moderation.PENDING)
    run_action(staff_client, "structure", "approve", [structure])
    service.refresh_from_db()
    assert service.moderation == Moderation.PUBLISHED
    assert Change.objects.filter(structure=structure, actor=staff_client.user).count() == 2


def test_an_admin_edit_is_recorded_in_the_change_history(staff_client, db):
    service = make_service(nom="Ancien nom")
    data = service_form_data(service, [])
    data["nom"] = "Nouveau nom"
    response = staff_client.post(reverse("admin:offer_service_change", args=[service.pk]), data)
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.nom == "Nouveau nom"
    change = Change.objects.get(service=service)
    assert change.diff == {"nom": ["Ancien nom", "Nouveau nom"]}
    assert change.actor == staff_client.user


def test_a_service_added_in_the_admin_is_recorded_as_a_creation(staff_client, db):
    structure = make_structure()
    template = make_service(structure, id="modele--1")
    data = service_form_data(template, [])
    data["id"] = "admin--nouveau"
    data["nom"] = "Créé dans l’admin"
    response = staff_client.post(reverse("admin:offer_service_add"), data)
    assert response.status_code == 302
    created = Service.objects.get(pk="admin--nouveau")
    assert Change.objects.get(service=created).kind == Change.Kind.CREATE


def test_aid_actions_work_too(staff_client, offer):
    aid = offer["aid"]
    run_action(staff_client, "aid", "reject", [aid])
    aid.refresh_from_db()
    assert aid.moderation == Moderation.REJECTED


def inline_data(prefix: str, rows, initial: int = 0) -> dict:
    data = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }
    for index, row in enumerate(rows):
        data.update({f"{prefix}-{index}-{key}": value for key, value in row.items()})
    return data


def service_form_data(service: Service, closures) -> dict:
    """The change form as the admin shows it for `service`, unchanged, with `closures` in the inline."""
    data = {}
    for field in Service._meta.concrete_fields:
        if field.name in ("id", "date_maj", "created_at", "updated_at"):
            continue
        value = getattr(service, field.attname)
        if isinstance(field, JSONField):
            data[field.name] = json.dumps(value)
        elif isinstance(field, BooleanField) and not field.null:
            if value:
                data[field.name] = "on"
        elif field.null and isinstance(field, BooleanField):
            data[field.name] = {True: "true", False: "false", None: "unknown"}[value]
        elif value is not None:
            data[field.name] = str(value)
    data.update(inline_data("closures", closures))
    return data


def test_a_closure_added_on_a_service_belongs_to_its_structure(staff_client, db):
    service = make_service()
    url = reverse("admin:offer_service_change", args=[service.pk])
    data = service_form_data(
        service, [{"starts_on": "2026-04-01", "ends_on": "2026-04-03", "is_closed": "on", "message": "Travaux"}]
    )
    response = staff_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].errors if response.context else ""
    closure = Closure.objects.get(service=service)
    assert closure.structure_id == service.structure_id
    assert closure.message == "Travaux"


def test_a_closure_ending_before_it_starts_is_refused_with_a_french_message(staff_client, db):
    service = make_service()
    url = reverse("admin:offer_service_change", args=[service.pk])
    data = service_form_data(service, [{"starts_on": "2026-04-03", "ends_on": "2026-04-01", "is_closed": "on"}])
    response = staff_client.post(url, data)
    assert response.status_code == 200
    assert "précède le début" in response.content.decode()
    assert not Closure.objects.exists()


def test_impossible_opening_hours_are_refused_in_the_admin(staff_client, db):
    service = make_service()
    data = service_form_data(service, [])
    data["horaires_accueil"] = "Lu-Ve 9h-12h"
    response = staff_client.post(reverse("admin:offer_service_change", args=[service.pk]), data)
    assert response.status_code == 200
    assert "Les jours s’écrivent en abrégé anglais" in response.content.decode()
    service.refresh_from_db()
    assert service.horaires_accueil != "Lu-Ve 9h-12h"
