"""The fiche de services: the HTML preview and the one-page PDF, with no personal data but a first name."""

import datetime as dt
import re
import zlib
from html import unescape

import pytest
from django.urls import reverse
from django.utils import translation

from relais.matching.forms import MAX_SELECTION
from relais.matching.tests.pages import ALIM
from relais.offer.models import Closure
from relais.territories.models import Commune
from tests.factories import make_service, make_structure

LONG = (
    "Accueil, écoute et accompagnement des personnes dans toutes leurs démarches, avec ou sans rendez-vous, par une "
    "équipe de travailleurs sociaux et de bénévoles formés, en lien avec les partenaires du quartier. "
)


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def pdf_pages(content: bytes) -> int:
    """Pages of a PDF, counted in its objects (compressed object streams included), without a PDF library."""
    page = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
    count = len(page.findall(content))
    for stream in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", content, re.S):
        try:
            count += len(page.findall(zlib.decompress(stream.group(1))))
        except zlib.error:
            pass
    return count


def longest_services(n: int) -> list:
    """n services whose every text is as long as a listing allows, or longer than any real one."""
    lyon3 = Commune.objects.get(code="69383")
    services = []
    for i in range(n):
        structure = make_structure(
            nom=(f"Association d’entraide, d’accueil et de solidarité des habitants du quartier n° {i} " * 3)[:150],
            commune_obj=lyon3,
            adresse="Bâtiment B, escalier 4, 12 avenue du Maréchal de Lattre de Tassigny, résidence Les Jardins",
            courriel=f"accueil-social-et-permanences-{i}@association-exemple.example.org",
            telephone="04 72 00 00 00",
        )
        service = make_service(
            structure,
            nom=(f"Accompagnement global vers le logement, l’emploi et l’insertion sociale des familles {i} " * 3)[
                :150
            ],
            thematiques=[ALIM],
            publics=["jeunes", "familles"],
            age_min=18,
            age_max=30,
            conditions_acces=LONG * 4,
            mobilisation_precisions=LONG * 3,
            publics_precisions=LONG * 3,
            frais="payant",
            frais_precisions=LONG,
            horaires_accueil="Mo 09:00-12:00,14:00-17:00; Tu 09:30-12:00; We 14:00-18:00; Th 09:00-12:00,13:30-16:30; "
            "Fr 10:00-16:00; Sa 10:00-12:00",
            modes_mobilisation=["se-presenter", "telephoner", "envoyer-un-courriel", "utiliser-lien-mobilisation"],
            lien_mobilisation="https://example.org/demande/" + "formulaire-en-ligne-" * 20,
            last_verified_on=dt.date(2024, 1, 1),
        )
        Closure.objects.create(
            structure=structure, starts_on=dt.date(2026, 3, 10), ends_on=dt.date(2026, 3, 20), message=LONG[:300]
        )
        Closure.objects.create(
            structure=structure, starts_on=dt.date(2026, 4, 10), ends_on=dt.date(2026, 4, 20), message=LONG[:300]
        )
        services.append(service)
    return services


def search_params(selection, **extra):
    return {"lieu": "69383", "besoins": "manger", "age": "34", "selection": [s.id for s in selection], **extra}


def test_the_preview_shows_each_selected_service_with_why_what_to_check_and_hours(client, offer):
    response = client.get(reverse("matching:fiche"), search_params([offer.grocery, offer.youth]))
    assert response.status_code == 200
    html = unescape(response.content.decode())
    entries = response.context["entries"]
    assert [e["service"].id for e in entries] == [offer.grocery.id, offer.youth.id]
    assert "Répond à votre besoin : « Alimentation »" in html
    assert "Du lundi au vendredi : 9 h – 12 h, 14 h – 17 h" in html
    assert "Âge demandé : de 16 à 25 ans ; c’est votre cas." not in html  # 34 is not 16-25: excluded, said so
    assert "Distances comptées depuis Lyon 3e Arrondissement." in html


def test_the_fiche_holds_no_personal_data_and_the_first_name_never_travels_in_an_address(client, offer):
    typed_in_address = client.get(reverse("matching:fiche"), search_params([offer.grocery], prenom="Camille"))
    assert typed_in_address.status_code == 302 and "Camille" not in typed_in_address["Location"]
    response = client.get(typed_in_address["Location"])
    html = response.content.decode()
    assert "Camille" not in html
    assert "34 ans" not in html and "34" not in re.sub(r"<[^>]+>", "", html).split("Fiche en ligne")[0]
    form = re.search(r'<form method="post" action="([^"]+)"', html)
    assert form and form[1] == reverse("matching:fiche_pdf")
    assert not re.search(r'href="[^"]*prenom=', html)
    pdf = client.get(reverse("matching:fiche_pdf"), search_params([offer.grocery], prenom="Camille"), follow=True)
    assert pdf.redirect_chain and "Camille" not in pdf.redirect_chain[0][0]
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.context["prenom"] == ""


def test_the_first_name_typed_is_printed_on_the_pdf_only(client, offer):
    response = client.post(reverse("matching:fiche_pdf"), search_params([offer.grocery], prenom="Camille"))
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("no-store, private")
    assert response.context["prenom"] == "Camille"
    assert b"Camille" not in response.content  # not in the metadata: only drawn on the page
    assert pdf_pages(response.content) == 1


def test_a_first_name_with_digits_or_markup_is_refused_without_being_echoed_in_an_address(client, offer):
    response = client.post(reverse("matching:fiche_pdf"), search_params([offer.grocery], prenom="<b>Cam1lle"))
    assert response.status_code == 400
    html = unescape(response.content.decode())
    assert "Prénom : seulement des lettres" in html
    assert "prenom" not in {name for name, _value in response.context["hidden"]}


def test_the_longest_selection_fits_one_a4_page(client, offer):
    selection = longest_services(MAX_SELECTION)
    response = client.post(reverse("matching:fiche_pdf"), search_params(selection, prenom="Marie-Hélène"))
    assert response.status_code == 200
    assert pdf_pages(response.content) == 1
    assert len(response.context["entries"]) == MAX_SELECTION


def test_past_the_maximum_only_the_first_services_are_kept_and_the_page_says_so(client, offer):
    selection = offer.services[: MAX_SELECTION + 1]
    response = client.get(reverse("matching:fiche"), search_params(selection))
    assert response.context["too_many"]
    assert len(response.context["entries"]) == MAX_SELECTION
    assert f"seuls les {MAX_SELECTION} premiers services retenus" in unescape(response.content.decode())


def test_an_empty_selection_explains_how_to_fill_it_and_the_pdf_is_refused(client, offer):
    response = client.get(reverse("matching:fiche"), {"lieu": "69383", "besoins": "manger"})
    assert "Aucun service retenu" in unescape(response.content.decode())
    assert client.post(reverse("matching:fiche_pdf"), {"lieu": "69383"}).status_code == 400
