"""Control characters in names and texts are refused wherever the offer is written: the import (a field error
naming the row and the field), the partner forms and the admin (validators on the model fields)."""

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from relais.accounts.models import Membership
from relais.accounts.testing import log_in_verified
from relais.offer.importer import import_offer
from relais.offer.models import Service, Structure
from relais.offer.offerfiles import sources_from_paths
from relais.offer.tests.datainclusion_samples import make_communes, sample, write_csv, write_json
from relais.textinput import control_character, one_line
from tests.factories import make_member, make_service

pytestmark = pytest.mark.django_db

SINGLE_LINE_ATTACKS = {
    "line feed": ("Épicerie\nsolidaire", "saut de ligne"),
    "carriage return": ("Épicerie\rsolidaire", "retour chariot"),
    "tab": ("Épicerie\tsolidaire", "tabulation"),
    "NUL": ("Épicerie\x00solidaire", "U+0000"),
    "escape": ("Épicerie\x1b[31m", "U+001B"),
    "DEL": ("Épicerie\x7f", "U+007F"),
    "C1 next line": ("Épicerie\x85solidaire", "U+0085"),
    "line separator": ("Épicerie\u2028solidaire", "U+2028"),
}


@pytest.fixture(autouse=True)
def communes():
    make_communes()


@pytest.mark.parametrize("attack", SINGLE_LINE_ATTACKS, ids=list(SINGLE_LINE_ATTACKS))
def test_the_import_refuses_a_control_character_in_a_name_naming_the_row_the_field_and_the_character(tmp_path, attack):
    value, shown = SINGLE_LINE_ATTACKS[attack]
    data = sample()
    data["services"][0]["nom"] = value
    report = import_offer(sources_from_paths([write_json(tmp_path / "offre.json", data)]))
    assert not report.ok and Service.objects.count() == 0
    [error] = [str(e) for e in report.errors]
    assert error.startswith("offre.json, services, élément 1, nom : ") and shown in error


def test_the_import_refuses_a_line_break_in_a_csv_address_cell(tmp_path):
    data = sample()
    data["structures"][0]["adresse"] = "1 rue de la Paix\nBcc: victime@example.org"
    report = import_offer(sources_from_paths([write_csv(tmp_path, data)]))
    assert not report.ok and Structure.objects.count() == 0
    assert any("adresse" in str(e) and "saut de ligne" in str(e) for e in report.errors)


@pytest.mark.parametrize("text", ["Première ligne\nDeuxième ligne", "Première ligne\r\nDeuxième ligne"])
def test_the_import_keeps_line_breaks_in_a_description(tmp_path, text):
    data = sample()
    data["services"][0]["description"] = text
    report = import_offer(sources_from_paths([write_json(tmp_path / "offre.json", data)]))
    assert report.ok, [str(e) for e in report.errors]
    assert Service.objects.get(pk=data["services"][0]["id"]).description == text


@pytest.mark.parametrize("text", ["Une\ttabulation", "Un retour\rseul", "Un \x00 nul", "Un \x85 C1"])
def test_the_import_refuses_other_control_characters_in_a_description(tmp_path, text):
    data = sample()
    data["services"][0]["description"] = text
    report = import_offer(sources_from_paths([write_json(tmp_path / "offre.json", data)]))
    assert not report.ok
    assert "seuls les sauts de ligne sont admis" in str(report.errors[0])


def _form_data(form, **overrides) -> dict:
    data = {}
    for bound in form:
        value, widget = bound.value(), bound.field.widget
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
    return data | overrides


def test_the_partner_form_refuses_a_line_break_in_the_service_name_and_keeps_it_in_the_description():
    service = make_service(nom="Aide alimentaire", horaires_accueil="Mo-Fr 09:00-12:00", capacity="accepting")
    client = Client()
    log_in_verified(client, make_member(service.structure, role=Membership.Role.ADMIN))
    url = reverse("offer:partner_service_edit", args=[service.pk])
    form = client.get(url).context["form"]
    response = client.post(url, _form_data(form, nom="Aide\r\nalimentaire", description="Ligne 1\r\nLigne 2"))
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["nom"]
    assert "seule ligne" in response.context["form"].errors["nom"][0]
    service.refresh_from_db()
    assert service.nom == "Aide alimentaire"


def test_the_model_validators_refuse_control_characters_for_the_admin_and_every_model_form():
    service = make_service(nom="Aide alimentaire")
    service.nom = "Aide\nalimentaire"
    service.contact_nom_prenom = "Jeanne\tMartin"
    service.description = "Ligne 1\nLigne 2"
    with pytest.raises(ValidationError) as raised:
        service.full_clean()
    assert set(raised.value.message_dict) == {"nom", "contact_nom_prenom"}


def test_the_admin_change_page_refuses_a_line_break_in_a_structure_name(client):
    from relais.accounts.models import User

    admin = User.objects.create_superuser(email="root@example.org", password="x-long-password-1")
    log_in_verified(client, admin)
    structure = make_service().structure
    url = reverse("admin:offer_structure_change", args=[structure.pk])
    form = client.get(url).context["adminform"].form
    response = client.post(url, _form_data(form, nom="Centre\nsocial"))
    assert response.status_code == 200 and "nom" in response.context["adminform"].form.errors
    structure.refresh_from_db()
    assert "\n" not in structure.nom


def test_one_line_turns_any_text_into_a_single_safe_line():
    assert one_line("Aide\r\nalimentaire\t\x00 (démo)") == "Aide alimentaire (démo)"
    assert one_line("x" * 300, max_length=10) == "x" * 9 + "…"
    assert control_character(one_line("a\u2028b\x85c")) is None
