"""Partner pages: joining and proposing structures, editing listings, closures, verification, history."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django import forms
from django.test import Client
from django.urls import reverse

from relais.accounts.models import Membership
from relais.accounts.testing import verified_client
from relais.offer import actions
from relais.offer.models import Change, Closure, Moderation, Service, Structure
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
def _world():
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, 0, tzinfo=PARIS), tick=False):
        yield


def form_data(form, **overrides) -> dict:
    """What a browser would post back for `form` as rendered, with some fields changed."""
    data = {}
    for bound in form:
        value = bound.value()
        widget = bound.field.widget
        if isinstance(widget, forms.NullBooleanSelect):
            data[bound.html_name] = {True: "true", False: "false"}.get(value, "unknown")
        elif isinstance(widget, forms.CheckboxInput):
            if value:
                data[bound.html_name] = "on"
        elif isinstance(widget, forms.CheckboxSelectMultiple):
            data[bound.html_name] = value or []
        else:
            prepared = bound.field.prepare_value(value)
            data[bound.html_name] = "" if prepared is None else str(prepared)
    for name, value in overrides.items():
        if value is None:
            data.pop(name, None)
        else:
            data[name] = value
    return data


@pytest.fixture
def service():
    return make_service(nom="Aide alimentaire", horaires_accueil="Mo-Fr 09:00-12:00", capacity="accepting")


@pytest.fixture
def member(service):
    return make_member(service.structure, role=Membership.Role.ADMIN)


def edit_service(client, service, **overrides):
    url = reverse("offer:partner_service_edit", args=[service.pk])
    page = client.get(url)
    assert page.status_code == 200
    return client.post(url, form_data(page.context["form"], **overrides))


# --- the "done when" ----------------------------------------------------------------


def test_partner_can_edit_own_service_and_the_territory_moderator_sees_the_change(service, member):
    moderator = make_moderator(make_territory(communes=[make_commune()]))

    response = edit_service(verified_client(member), service, capacity="full", full_until="2026-04-15")

    assert response.status_code == 302
    service.refresh_from_db()
    assert service.capacity == "full" and service.full_until == dt.date(2026, 4, 15)
    change = Change.objects.get()
    assert change.actor == member and change.review == Change.Review.TO_REVIEW
    assert change.diff == {"capacity": ["accepting", "full"], "full_until": [None, "2026-04-15"]}

    queue = verified_client(moderator).get(reverse("offer:moderation"))
    assert queue.status_code == 200
    assert [c.pk for c in queue.context["changes"]] == [change.pk]
    html = queue.content.decode()
    assert "Aide alimentaire" in html
    assert "Places" in html  # the field's label
    assert "accueille de nouvelles personnes" in html and "complet" in html  # old and new values
    assert "15 avril 2026" in html


# --- editing --------------------------------------------------------------------------------


def test_invalid_hours_give_a_form_error_naming_the_field(service, member):
    response = edit_service(verified_client(member), service, horaires_accueil="lundi 9h-12h")

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert list(errors) == ["horaires_accueil"]
    assert "horaires d’accueil" in response.content.decode().lower()
    service.refresh_from_db()
    assert service.horaires_accueil == "Mo-Fr 09:00-12:00"
    assert not Change.objects.exists()


def test_saving_the_form_unchanged_records_nothing(service, member):
    before = service.date_maj

    response = edit_service(verified_client(member), service)

    assert response.status_code == 302
    assert not Change.objects.exists()
    service.refresh_from_db()
    assert service.date_maj == before


def test_a_form_opened_before_a_colleague_edit_is_refused_with_an_error(service, member):
    client = verified_client(member)
    url = reverse("offer:partner_service_edit", args=[service.pk])
    stale_form = client.get(url).context["form"]
    actions.apply_change(make_user(), service, {"description": "Mis à jour par une collègue."})

    response = client.post(url, form_data(stale_form, nom="Mon nouveau nom"))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    service.refresh_from_db()
    assert service.nom == "Aide alimentaire"


def test_replaying_a_successful_form_changes_nothing_more(service, member):
    client = verified_client(member)
    url = reverse("offer:partner_service_edit", args=[service.pk])
    data = form_data(client.get(url).context["form"], nom="Épicerie solidaire")
    assert client.post(url, data).status_code == 302

    replay = client.post(url, data)

    assert replay.status_code == 302  # identical values: nothing to save
    assert Change.objects.count() == 1


def test_nonsense_input_gives_field_errors_not_a_server_error(service, member):
    response = edit_service(
        verified_client(member),
        service,
        thematiques=["pas-une-thematique"],
        age_min="douze",
        capacity="plein",
        zone_eligibilite="99999, 200046977",
        full_until="31/02/2026",
        courriel="pas une adresse",
        code_postal="6900",
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    for name in ("thematiques", "age_min", "capacity", "zone_eligibilite", "full_until", "courriel", "code_postal"):
        assert name in errors, name
    assert "99999" in " ".join(errors["zone_eligibilite"])


def test_the_eligibility_zone_takes_every_data_inclusion_kind_of_code(service, member):
    response = edit_service(verified_client(member), service, zone_eligibilite="69383; 200046977, 69, France, 99100")

    assert response.status_code == 302, response.context["form"].errors
    service.refresh_from_db()
    assert sorted(service.zone_eligibilite) == sorted(["69383", "200046977", "69", "france", "99100"])


def test_an_unknown_code_of_the_zone_says_what_kind_of_code_it_is_not(service, member):
    response = edit_service(verified_client(member), service, zone_eligibilite="200000000, 999")

    errors = " ".join(response.context["form"].errors["zone_eligibilite"])
    assert "code EPCI (SIREN) « 200000000 » inconnu" in errors
    assert "code département « 999 » inconnu" in errors


def test_age_range_error_names_the_maximum_age(service, member):
    response = edit_service(verified_client(member), service, age_min="30", age_max="18")

    assert "age_max" in response.context["form"].errors


def test_moving_a_service_to_another_commune_updates_its_insee_code(service, member):
    make_commune("69266", "Villeurbanne", postal_codes=["69100"], latitude=45.77, longitude=4.88)

    edit_service(
        verified_client(member), service, code_postal="69100", commune="Villeurbanne", adresse="3 rue Léon Blum"
    )

    service.refresh_from_db()
    assert (service.code_insee, service.commune, service.latitude) == ("69266", "Villeurbanne", 45.77)
    assert Change.objects.get().diff["code_insee"] == ["69383", "69266"]


def test_unknown_commune_is_a_field_error(service, member):
    response = edit_service(verified_client(member), service, code_postal="69100", commune="Atlantide")

    assert "commune" in response.context["form"].errors


def test_partner_edits_structure_facts(service, member):
    structure = service.structure
    url = reverse("offer:partner_structure_edit", args=[structure.pk])
    client = verified_client(member)

    response = client.post(url, form_data(client.get(url).context["form"], telephone="04 72 00 00 00"))

    assert response.status_code == 302
    structure.refresh_from_db()
    assert structure.telephone == "04 72 00 00 00"
    assert Change.objects.get().diff == {"telephone": ["", "04 72 00 00 00"]}


def test_invalid_siret_is_a_field_error(service, member):
    url = reverse("offer:partner_structure_edit", args=[service.structure.pk])
    client = verified_client(member)

    response = client.post(url, form_data(client.get(url).context["form"], siret="12345678901234"))

    assert list(response.context["form"].errors) == ["siret"]


def test_partner_adds_a_service_to_own_structure(service, member):
    structure = service.structure
    url = reverse("offer:partner_service_create", args=[structure.pk])
    client = verified_client(member)
    blank = client.get(url).context["form"]

    response = client.post(
        url,
        form_data(
            blank,
            nom="Permanence logement",
            description="Conseils pour trouver un logement.",
            thematiques=["logement-hebergement--louer-un-logement"],
            capacity="accepting",
            languages=["fr", "ar"],
            step_free_access="true",
        ),
    )

    assert response.status_code == 302, response.context["form"].errors
    created = Service.objects.get(nom="Permanence logement")
    assert created.structure == structure and created.moderation == Moderation.PUBLISHED
    assert created.code_insee == structure.code_insee
    assert created.languages == ["ar", "fr"] and created.step_free_access is True
    assert Change.objects.get(service=created).kind == Change.Kind.CREATE


def test_still_correct_button_sets_last_verified(service, member):
    service.last_verified_on = dt.date(2025, 1, 1)
    service.save()

    response = verified_client(member).post(reverse("offer:partner_service_verify", args=[service.pk]))

    assert response.status_code == 302
    service.refresh_from_db()
    assert service.last_verified_on == TODAY and service.last_verified_by == member
    assert not service.is_stale()


def test_partner_adds_and_removes_a_closure(service, member):
    structure = service.structure
    client = verified_client(member)
    url = reverse("offer:partner_closures", args=[structure.pk])

    response = client.post(
        url, {"service": service.pk, "starts_on": "2026-04-01", "ends_on": "2026-04-05", "message": "Travaux"}
    )

    assert response.status_code == 302
    closure = Closure.objects.get()
    assert (closure.service, closure.is_closed) == (service, False)
    assert "Travaux" in client.get(url).content.decode()

    client.post(reverse("offer:partner_closure_delete", args=[closure.pk]))

    assert not Closure.objects.exists()
    assert Change.objects.count() == 2


def test_closure_ending_before_it_starts_is_an_error_on_the_end_date(service, member):
    response = verified_client(member).post(
        reverse("offer:partner_closures", args=[service.structure.pk]),
        {"starts_on": "2026-04-05", "ends_on": "2026-04-01", "is_closed": "on"},
    )

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["ends_on"]
    assert not Closure.objects.exists()


# --- permissions ----------------------------------------------------------------------------


def test_non_member_gets_404_on_pages_of_another_structure(service, member):
    other = verified_client(make_member(make_structure(), role=Membership.Role.ADMIN))
    structure = service.structure
    closure = Closure.objects.create(structure=structure, starts_on=TODAY, ends_on=TODAY, message="Fermé")
    read_only = [
        reverse("offer:partner_structure", args=[structure.pk]),
        reverse("offer:structure_history", args=[structure.pk]),
        reverse("offer:service_history", args=[service.pk]),
    ]
    forms_pages = [
        reverse("offer:partner_structure_edit", args=[structure.pk]),
        reverse("offer:partner_service_create", args=[structure.pk]),
        reverse("offer:partner_closures", args=[structure.pk]),
        reverse("offer:partner_service_edit", args=[service.pk]),
    ]
    for url in read_only + forms_pages:
        assert other.get(url).status_code == 404, url
    for url in forms_pages:
        assert other.post(url, {"nom": "Piraté"}).status_code == 404, url
    for url in [
        reverse("offer:partner_structure_verify", args=[structure.pk]),
        reverse("offer:partner_service_verify", args=[service.pk]),
        reverse("offer:partner_closure_delete", args=[closure.pk]),
    ]:
        assert other.post(url).status_code == 404, url
    service.refresh_from_db()
    assert service.nom == "Aide alimentaire"
    assert Closure.objects.exists() and not Change.objects.exists()


def test_pending_member_cannot_edit_yet(service, member):
    pending = make_user()
    actions.request_membership(pending, service.structure)

    assert verified_client(pending).get(reverse("offer:partner_service_edit", args=[service.pk])).status_code == 404


def test_anonymous_visitors_are_sent_to_login(service):
    response = Client().get(reverse("offer:partner_service_edit", args=[service.pk]))

    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_writes_are_post_only(service, member):
    client = verified_client(member)

    assert client.get(reverse("offer:partner_service_verify", args=[service.pk])).status_code == 405
    assert client.get(reverse("offer:partner_join_structure", args=[service.structure.pk])).status_code == 405


def test_posts_without_csrf_token_are_refused(service, member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    response = client.post(reverse("offer:partner_service_verify", args=[service.pk]))

    assert response.status_code == 403


# --- joining and proposing ------------------------------------------------------------------


def test_first_joiner_waits_for_the_territory_moderator_then_approves_the_second():
    commune = make_commune()
    structure = make_structure(
        nom="Maison des solidarités", code_insee=commune.code, courriel="accueil@mds.example.org"
    )
    moderator = make_moderator(make_territory(communes=[commune]))
    first, second = make_user(email="directrice@mds.example.org"), make_user()

    verified_client(first).post(reverse("offer:partner_join_structure", args=[structure.pk]))
    claim = Membership.objects.get(user=first)
    assert claim.status == Membership.Status.PENDING and not first.is_admin_of(structure)
    assert verified_client(first).get(reverse("offer:partner_structure", args=[structure.pk])).status_code == 404
    queue = verified_client(moderator).get(reverse("offer:moderation")).content.decode()
    assert first.email in queue and "correspond à la fiche de la structure" in queue

    verified_client(moderator).post(reverse("offer:moderate_claim", args=[claim.pk]), {"decision": "approve"})
    verified_client(second).post(reverse("offer:partner_join_structure", args=[structure.pk]))

    assert first.is_admin_of(structure)
    request = Membership.objects.get(user=second)
    assert request.status == Membership.Status.PENDING
    dashboard = verified_client(first).get(reverse("offer:partner_dashboard"))
    assert [m.pk for m in dashboard.context["requests"]] == [request.pk]
    assert second.email in dashboard.content.decode()

    verified_client(first).post(reverse("offer:partner_membership_decide", args=[request.pk]), {"decision": "approve"})

    request.refresh_from_db()
    assert request.status == Membership.Status.ACTIVE and request.role == Membership.Role.MEMBER
    assert verified_client(second).get(reverse("offer:partner_structure", args=[structure.pk])).status_code == 200


def test_a_moderator_of_another_territory_neither_sees_nor_decides_a_first_admin_claim():
    structure = make_structure(code_insee=make_commune().code)
    elsewhere = make_moderator(make_territory(communes=[make_commune("57463", "Metz")]))
    claim = actions.request_membership(make_user(email="quelquun@example.org"), structure)

    assert "quelquun@example.org" not in verified_client(elsewhere).get(reverse("offer:moderation")).content.decode()
    response = verified_client(elsewhere).post(
        reverse("offer:moderate_claim", args=[claim.pk]), {"decision": "approve"}
    )

    assert response.status_code == 404
    claim.refresh_from_db()
    assert claim.status == Membership.Status.PENDING


def test_only_admins_of_the_structure_decide_on_requests():
    structure = make_structure()
    make_member(structure, role=Membership.Role.ADMIN)
    plain_member = make_member(structure)
    request = actions.request_membership(make_user(), structure)

    response = verified_client(plain_member).post(
        reverse("offer:partner_membership_decide", args=[request.pk]), {"decision": "approve"}
    )

    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == Membership.Status.PENDING


def test_bad_or_repeated_membership_decisions_give_a_message_not_an_error():
    structure = make_structure()
    admin = make_member(structure, role=Membership.Role.ADMIN)
    request = actions.request_membership(make_user(), structure)
    client = verified_client(admin)
    url = reverse("offer:partner_membership_decide", args=[request.pk])

    assert client.post(url, {"decision": "peut-être"}).status_code == 302
    assert client.post(url, {"decision": "reject"}).status_code == 302
    assert client.post(url, {"decision": "approve"}).status_code == 302

    request.refresh_from_db()
    assert request.status == Membership.Status.REJECTED


def test_search_finds_structures_by_name_siret_and_commune():
    structure = make_structure(nom="Secours de quartier", siret="35600000000048")
    make_structure(nom="Autre chose", commune="Metz", code_insee="57463")
    client = verified_client(make_user())
    url = reverse("offer:partner_join")

    for q in ("secours", "356000000", "Lyon 3e"):
        results = client.get(url, {"q": q}).context["results"]
        assert [s.pk for s in results] == [structure.pk], q
    assert client.get(url, {"q": "x" * 500}).status_code == 200  # too long: a field error, not a crash


def test_pending_structures_cannot_be_joined():
    structure = make_structure(moderation=Moderation.PENDING)

    response = verified_client(make_user()).post(reverse("offer:partner_join_structure", args=[structure.pk]))

    assert response.status_code == 404


def test_proposed_structure_is_hidden_until_validated_and_its_proposer_is_admin():
    make_commune()
    user = make_user()
    client = verified_client(user)
    url = reverse("offer:partner_propose")

    response = client.post(
        url,
        form_data(
            client.get(url).context["form"],
            nom="Épicerie du 3e",
            code_postal="69003",
            commune="Lyon",
            adresse="10 cours Gambetta",
        ),
    )

    assert response.status_code == 302, response.context["form"].errors
    structure = Structure.objects.get(nom="Épicerie du 3e")
    assert structure.moderation == Moderation.PENDING
    assert structure.code_insee == "69383"  # Lyon + 69003: the 3rd arrondissement
    assert user.is_admin_of(structure)
    assert Client().get(reverse("offer:structure", args=[structure.pk])).status_code == 404


def test_proposal_without_a_commune_names_the_missing_fields():
    client = verified_client(make_user())
    url = reverse("offer:partner_propose")

    response = client.post(url, form_data(client.get(url).context["form"], nom="Sans adresse"))

    errors = response.context["form"].errors
    assert "commune" in errors and "code_postal" in errors
    assert not Structure.objects.exists()


# --- dashboard and history ------------------------------------------------------------------


def test_dashboard_flags_listings_not_verified_for_too_long(settings, member, service):
    settings.RELAIS_STALE_AFTER_DAYS = 180
    old = make_service(service.structure, nom="Vestiaire", last_verified_on=dt.date(2025, 6, 1))

    response = verified_client(member).get(reverse("offer:partner_dashboard"))

    structure = response.context["structures"][0]
    flags = {s.nom: s.is_stale() for s in structure.services.all()}
    assert flags == {"Aide alimentaire": False, "Vestiaire": True}
    html = response.content.decode()
    row = html[html.index(old.nom) :]
    assert "à revérifier" in row[: row.index("</tr>")]


def test_dashboard_shows_my_pending_requests():
    structure = make_structure(nom="Centre social")
    make_member(structure, role=Membership.Role.ADMIN)
    user = make_user()
    actions.request_membership(user, structure)

    response = verified_client(user).get(reverse("offer:partner_dashboard"))

    assert [m.structure_id for m in response.context["my_pending"]] == [structure.pk]
    assert "Centre social" in response.content.decode()


def test_history_shows_who_when_field_old_and_new(service, member):
    member.first_name, member.last_name = "Awa", "Diallo"
    member.save()
    edit_service(verified_client(member), service, nom="Épicerie solidaire")

    response = verified_client(member).get(reverse("offer:service_history", args=[service.pk]))

    html = response.content.decode()
    assert "Awa Diallo" in html
    assert "10 mars 2026" in html
    assert "Nom" in html and "Aide alimentaire" in html and "Épicerie solidaire" in html
    structure_history = verified_client(member).get(reverse("offer:structure_history", args=[service.structure.pk]))
    assert "Épicerie solidaire" in structure_history.content.decode()


def test_history_is_visible_to_the_territory_moderator_and_staff_only(service, member):
    edit_service(verified_client(member), service, nom="Épicerie solidaire")
    url = reverse("offer:service_history", args=[service.pk])
    moderator = make_moderator(make_territory(communes=[make_commune()]))
    metz_moderator = make_moderator(make_territory(communes=[make_commune("57463", "Metz")]))

    assert verified_client(moderator).get(url).status_code == 200
    assert verified_client(make_user(is_staff=True)).get(url).status_code == 200
    assert verified_client(metz_moderator).get(url).status_code == 404
    assert verified_client(make_user()).get(url).status_code == 404
