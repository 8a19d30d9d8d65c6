"""The steering pages: who sees what, the quick update, the territory page, the public account, the files."""

import io
import json
import zipfile

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse

from relais.accounts.testing import log_in_verified
from relais.steering import pdf
from relais.steering.models import Action, ActionTerritory, Campaign, Note
from relais.steering.tests.world import build_plan_world
from tests.factories import make_service

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return build_plan_world()


def url(name, world, *args):
    return reverse(f"steering:{name}", args=[world.plan.slug, *args])


def test_the_dashboard_shows_progress_by_axis_and_territory_to_plan_members_only(world, client):
    log_in_verified(client, world.outsider)
    assert client.get(url("dashboard", world)).status_code == 403
    log_in_verified(client, world.reader)
    page = client.get(url("dashboard", world))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Métropole de l’hospitalité" in html and "Territoire Sud" in html


def test_anonymous_visitors_are_sent_to_log_in_for_internal_pages(world, client):
    response = client.get(url("dashboard", world))
    assert response.status_code == 302 and "connexion" in response["Location"]


def test_dashboard_counts_by_axis_and_territory_match_the_territory_page(world, client):
    log_in_verified(client, world.admin)
    dashboard = client.get(url("dashboard", world)).context["view"]
    north_row = next(g for g in dashboard.territories if g.key == world.north)
    page = client.get(url("territory", world, world.north.slug))
    assert page.status_code == 200
    assert len(page.context["rows"]) == north_row.total == 3
    assert page.context["group"].counts == north_row.counts


def test_the_dashboard_runs_a_fixed_number_of_queries(world, client, django_assert_num_queries):
    log_in_verified(client, world.admin)
    client.get(url("dashboard", world))  # warm: content types
    # session, user, the verified second factor, plan, roles (3), the overview's 8 queries, the menu's moderator check
    with django_assert_num_queries(16):
        assert client.get(url("dashboard", world)).status_code == 200
    for n in range(30):  # a bigger plan costs no more queries
        action = Action.objects.create(plan=world.plan, axis=world.axis2, code=f"B{n}", title="b", pilot_name="X")
        ActionTerritory.objects.create(action=action, territory=world.south)
        action.steps.create(title="s")
        action.tags.add(world.tag)
    with django_assert_num_queries(16):
        assert client.get(url("dashboard", world)).status_code == 200


def test_a_pilot_updates_an_action_in_one_form_and_it_answers_the_open_campaign(world, client):
    campaign = Campaign.objects.create(plan=world.plan, title="Point d’étape", due_on="2099-03-15")
    request = campaign.requests.create(action=world.a1)
    log_in_verified(client, world.pilot)
    response = client.post(
        url("action_update", world, "A1"), {"status": "done", "meteo": "sunny", "note": "Livré.", "publish_note": "on"}
    )
    assert response.status_code == 302
    world.a1.refresh_from_db()
    assert (world.a1.status, world.a1.meteo) == ("done", "sunny")
    assert Note.objects.get(action=world.a1).state == Note.State.PUBLISHED
    request.refresh_from_db()
    assert request.answered_at is not None and request.answered_by == world.pilot


def test_a_quick_update_with_a_status_outside_the_list_is_refused_with_the_field_named(world, client):
    log_in_verified(client, world.pilot)
    response = client.post(url("action_update", world, "A1"), {"status": "fini", "meteo": ""})
    assert response.status_code == 400
    assert "status" in response.context["form"].errors
    world.a1.refresh_from_db()
    assert world.a1.status == "in_progress"


def test_progress_by_hand_is_asked_only_for_actions_whose_progress_is_set_by_hand(world, client):
    log_in_verified(client, world.pilot)
    assert "manual_progress" not in client.get(url("action", world, "A1")).context["form"].fields
    Action.objects.filter(pk=world.a1.pk).update(progress_mode="manual")
    client.post(url("action_update", world, "A1"), {"status": "in_progress", "meteo": "", "manual_progress": "40"})
    world.a1.refresh_from_db()
    assert world.a1.manual_progress == 40


def test_an_editor_of_the_north_edits_the_north_declination_and_is_refused_the_south(world, client):
    log_in_verified(client, world.editor_north)
    ok = client.post(url("declination", world, "A2", world.north.slug), {"status": "blocked", "meteo": "rainy"})
    assert ok.status_code == 302
    refused = client.post(url("declination", world, "A2", world.south.slug), {"status": "blocked", "meteo": "rainy"})
    assert refused.status_code == 403
    assert ActionTerritory.objects.get(action=world.a2, territory=world.south).status == ""


def test_the_history_shows_who_changed_what_from_what_to_what(world, client):
    log_in_verified(client, world.pilot)
    client.post(url("action_update", world, "A1"), {"status": "blocked", "meteo": ""})
    html = client.get(url("action_history", world, "A1")).content.decode()
    assert "Paul Pilote" in html and "in_progress" in html and "blocked" in html


def test_the_public_account_needs_no_account_and_filters_by_axis_tag_territory_public_and_status(world, client):
    page = client.get(url("public_plan", world))
    assert page.status_code == 200 and len(page.context["rows"]) == 3
    assert len(client.get(url("public_plan", world), {"axe": "1"}).context["rows"]) == 1
    assert len(client.get(url("public_plan", world), {"etiquette": "logement-d-abord"}).context["rows"]) == 1
    assert len(client.get(url("public_plan", world), {"territoire": world.south.slug}).context["rows"]) == 2
    assert len(client.get(url("public_plan", world), {"public": "familles"}).context["rows"]) == 1
    assert len(client.get(url("public_plan", world), {"statut": "to_come"}).context["rows"]) == 1


def test_a_plan_that_is_not_public_has_no_public_account(world, client):
    world.plan.is_public = False
    world.plan.save()
    assert client.get(url("public_plan", world)).status_code == 404
    assert client.get(url("export", world, "json")).status_code == 404


def test_the_public_map_draws_the_territories_from_the_commune_contours(world, client):
    square = {"type": "Polygon", "coordinates": [[[4.8, 45.7], [4.9, 45.7], [4.9, 45.8], [4.8, 45.8], [4.8, 45.7]]]}
    world.north.communes.update(contour=square)
    html = client.get(url("public_plan", world)).content.decode()
    assert "<svg" in html and "Territoire Nord : 3 action(s)" in html


def test_without_contours_the_public_account_shows_the_table_only(world, client):
    page = client.get(url("public_plan", world))
    assert page.context["map"] is None
    assert "<svg" not in page.content.decode()


def test_the_public_action_page_shows_the_services_that_carry_it_and_hides_an_unpublished_pilot(world, client):
    service = make_service(nom="Permanence logement")
    world.a1.services.add(service)
    html = client.get(url("public_action", world, "A1")).content.decode()
    assert "Permanence logement" in html
    assert "Paul Pilote" not in html
    Action.objects.filter(pk=world.a2.pk).update(pilot_published=True)
    assert "Claire Martin, cheffe de projet" in client.get(url("public_action", world, "A2")).content.decode()


def test_a_service_fiche_links_to_the_actions_it_serves(world, client):
    service = make_service(nom="Permanence logement")
    world.a1.services.add(service)
    page = client.get(reverse("steering:service_actions", args=[service.id]))
    assert [a.code for a in page.context["actions"]] == ["A1"]
    assert (
        reverse("steering:service_actions", args=[service.id])
        in client.get(reverse("offer:service", args=[service.id])).content.decode()
    )


def test_launching_a_campaign_emails_each_pilot_with_an_account_once(world, client):
    Action.objects.filter(pk=world.a2.pk).update(pilot_user=world.pilot)
    log_in_verified(client, world.admin)
    response = client.post(url("campaigns", world), {"title": "Point d’étape 2027", "due_on": "2099-03-15"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [world.pilot.email]
    assert "A1" in mail.outbox[0].body and "A2" in mail.outbox[0].body
    assert Campaign.objects.get().requests.count() == 3


def test_a_reader_cannot_launch_a_campaign(world, client):
    log_in_verified(client, world.reader)
    assert client.post(url("campaigns", world), {"title": "x", "due_on": "2099-03-15"}).status_code == 403
    assert not Campaign.objects.exists()


def test_who_answered_shows_pilots_emails_only_after_the_second_factor(world, client):
    campaign = Campaign.objects.create(plan=world.plan, title="Point", due_on="2099-03-15")
    campaign.requests.create(action=world.a1)
    client.force_login(world.admin)  # a password only
    response = client.get(url("campaign", world, campaign.pk))
    assert response.status_code == 302 and world.pilot.email not in response.content.decode()
    log_in_verified(client, world.admin)
    html = client.get(url("campaign", world, campaign.pk)).content.decode()
    assert world.pilot.email in html and "pas encore" in html


def test_the_open_data_export_holds_no_personal_data(world, client):
    document = json.loads(client.get(url("export", world, "json")).content)
    assert {a["code"] for a in document["actions"]} == {"A1", "A2", "L1"}
    assert world.pilot.email not in json.dumps(document)
    assert all(a["pilote_nom"] == "" for a in document["actions"])  # no pilot published
    archive = zipfile.ZipFile(io.BytesIO(client.get(url("export", world, "csv")).content))
    assert "actions.csv" in archive.namelist()
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(url("export", world, "xlsx")).content))
    assert workbook.sheetnames == ["plan", "axes", "actions", "budgets", "indicateurs", "valeurs"]


def test_the_point_d_etape_is_a_pdf_with_one_page_per_action(world, client):
    log_in_verified(client, world.reader)
    response = client.get(url("point_d_etape", world))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    content, pages = pdf.point_d_etape(world.plan, compress=False)
    assert b"/StructTreeRoot" in content and b"/Lang" in content  # tagged, language set
    assert pages == 2 + 3  # cover, summary by axis and territory, one page per action


def test_the_admin_lists_plans_with_their_roles_and_actions_read_only(world, client):
    from tests.factories import make_user

    superuser = make_user(is_superuser=True, is_staff=True)
    log_in_verified(client, superuser)
    assert client.get(reverse("admin:steering_plan_change", args=[world.plan.pk])).status_code == 200
    assert client.get(reverse("admin:steering_action_changelist")).status_code == 200
    assert client.get(reverse("admin:steering_action_add")).status_code == 403
