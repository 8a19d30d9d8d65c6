import datetime as dt
import re

import pytest
import time_machine
from django.urls import reverse

from relais.offer.hours import PARIS
from relais.offer.models import Aid, Capacity, Closure, Moderation
from relais.offer.views.public import PAGE_SIZE
from tests.factories import (
    LYON_EPCI,
    make_commune,
    make_epci,
    make_service,
    make_structure,
    make_territory,
    make_user,
)

pytestmark = pytest.mark.django_db

TUESDAY_MORNING = dt.datetime(2026, 3, 10, 10, 0, tzinfo=PARIS)


@pytest.fixture(autouse=True)
def _clock():
    with time_machine.travel(TUESDAY_MORNING, tick=False):
        yield


@pytest.fixture
def world():
    """Lyon 3e, Villeurbanne (Métropole de Lyon) and Metz, each with a structure."""
    lyon3 = make_commune()
    villeurbanne = make_commune("69266", "Villeurbanne", postal_codes=["69100"])
    metz = make_commune("57463", "Metz", postal_codes=["57000"])
    return {
        "lyon3": lyon3,
        "lyon": lyon3.parent,
        "villeurbanne": villeurbanne,
        "metz": metz,
        "lyon3_structure": make_structure(commune_obj=lyon3),
        "villeurbanne_structure": make_structure(commune_obj=villeurbanne),
        "metz_structure": make_structure(commune_obj=metz, horaires_accueil=""),
    }


def names(response) -> list[str]:
    return [service.nom for service in response.context["page"].object_list]


def browse(client, **params):
    return client.get(reverse("offer:browse"), params)


# --- browse -----------------------------------------------------------------------------------


def test_browse_lists_only_published_services_of_published_structures(client, world):
    make_service(world["lyon3_structure"], nom="Publié")
    make_service(world["lyon3_structure"], nom="En attente", moderation=Moderation.PENDING)
    make_service(world["lyon3_structure"], nom="Refusé", moderation=Moderation.REJECTED)
    hidden_structure = make_structure(commune_obj=world["lyon3"], moderation=Moderation.PENDING)
    make_service(hidden_structure, nom="Structure en attente")
    response = browse(client)
    assert response.status_code == 200
    assert names(response) == ["Publié"]


def test_browse_card_shows_structure_commune_status_capacity_fees_languages_and_demo(client, world):
    make_service(
        world["lyon3_structure"],
        nom="Domiciliation",
        languages=["ar", "wo"],
        capacity=Capacity.FULL,
        full_until=dt.date(2026, 4, 3),
        frais="payant",
        is_demo=True,
    )
    html = browse(client).content.decode()
    assert world["lyon3_structure"].nom in html
    assert "Lyon 3e Arrondissement" in html
    assert "Ouvert maintenant, ferme à 12 h" in html
    assert "complet jusqu’au 3 avril" in html
    assert "Payant" in html
    assert "Langues : Arabe, Wolof" in html
    assert "Démo" in html and "données de démonstration inventées" in html


def test_browse_by_commune_includes_services_located_there_or_whose_zone_covers_it(client, world):
    make_service(world["lyon3_structure"], nom="A. Sur place, zone commune", zone_eligibilite=["69383"])
    make_service(world["villeurbanne_structure"], nom="B. Métropole", zone_eligibilite=[LYON_EPCI])
    make_service(world["villeurbanne_structure"], nom="C. Villeurbanne seulement", zone_eligibilite=["69266"])
    make_service(world["villeurbanne_structure"], nom="D. Département", zone_eligibilite=["69"])
    make_service(world["metz_structure"], nom="E. Metz", zone_eligibilite=["57463"])
    make_service(world["metz_structure"], nom="F. France", zone_eligibilite=["france"])

    assert names(browse(client, commune="69383")) == [
        "A. Sur place, zone commune",
        "B. Métropole",
        "D. Département",
        "F. France",
    ]
    # Services located on site come first, then the others by name
    assert names(browse(client, commune="69266")) == [
        "B. Métropole",
        "C. Villeurbanne seulement",
        "D. Département",
        "F. France",
    ]
    assert names(browse(client, commune="57463")) == ["E. Metz", "F. France"]


def test_a_commune_includes_services_located_in_its_arrondissements(client, world):
    make_service(world["lyon3_structure"], nom="Dans le 3e", zone_eligibilite=["69383"])
    response = browse(client, commune="69123")
    assert names(response) == ["Dans le 3e"]
    assert "L’offre à Lyon" in response.content.decode()


def test_browse_by_thematique_filters_by_thematique_or_whole_category(client, world):
    structure = world["lyon3_structure"]
    make_service(structure, nom="Logement", thematiques=["logement-hebergement--louer-un-logement"])
    make_service(
        structure,
        nom="Hébergement",
        thematiques=["logement-hebergement--rechercher-une-solution-dhebergement-temporaire"],
    )
    make_service(structure, nom="Santé", thematiques=["sante--acces-aux-soins"])
    assert names(browse(client, thematique="logement-hebergement")) == ["Hébergement", "Logement"]
    assert names(
        browse(client, thematique="logement-hebergement--rechercher-une-solution-dhebergement-temporaire")
    ) == ["Hébergement"]
    assert names(browse(client, thematique="sante", commune="69383")) == ["Santé"]


def test_filters_keep_their_values_in_the_form(client, world):
    make_service(world["lyon3_structure"])
    html = browse(client, commune="69383", thematique="logement-hebergement").content.decode()
    assert re.search(r'<option value="69383" selected>', html)
    assert re.search(r'<option value="logement-hebergement" selected>', html)


def test_commune_select_is_grouped_by_epci_with_arrondissements_after_their_commune(client, world):
    make_service(world["lyon3_structure"])
    make_territory(name="Metz centre", communes=[world["metz"]], epci=make_epci("200039865", "Metz Métropole"))
    html = browse(client).content.decode()
    assert '<optgroup label="Métropole de Lyon">' in html
    assert '<optgroup label="Metz Métropole">' in html
    lyon_group = html.split('<optgroup label="Métropole de Lyon">')[1].split("</optgroup>")[0]
    codes = re.findall(r'<option value="(\d+)"', lyon_group)
    assert codes == ["69123", "69383", "69266"]


def test_unknown_commune_and_thematique_give_a_message_not_an_error(client, world):
    make_service(world["lyon3_structure"], nom="Un service")
    response = browse(client, commune="99999", thematique="pas-une-thematique", page="abc")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Commune inconnue : « 99999 »" in html
    assert "Thématique inconnue : « pas-une-thematique »" in html
    assert 'aria-invalid="true"' in html
    assert names(response) == ["Un service"]  # the invalid filters are ignored


@pytest.mark.parametrize(
    "params",
    [{"commune": "x" * 5000}, {"commune": "\x00"}, {"thematique": "%' OR 1=1 --"}, {"page": "-1"}, {"page": "9999"}],
)
def test_odd_query_strings_never_break_the_page(client, world, params):
    make_service(world["lyon3_structure"])
    assert browse(client, **params).status_code == 200


def test_a_commune_outside_the_listed_epcis_is_still_accepted(client, world):
    other = make_commune("01001", "L’Abergement-Clémenciat", epci=None)
    response = browse(client, commune=other.code)
    assert response.status_code == 200
    assert response.context["commune"] == other
    assert '<option value="01001" selected>' in response.content.decode()


def test_browse_paginates_and_keeps_filters_in_page_links(client, world):
    for n in range(PAGE_SIZE + 5):
        make_service(world["lyon3_structure"], nom=f"Service {n:02d}")
    first = browse(client, commune="69383", thematique="logement-hebergement")
    assert len(names(first)) == PAGE_SIZE
    html = first.content.decode()
    assert "Page 1 sur 2" in html
    assert "commune=69383" in html and "thematique=logement-hebergement" in html and "page=2" in html
    second = browse(client, commune="69383", thematique="logement-hebergement", page=2)
    assert names(second) == [f"Service {n:02d}" for n in range(PAGE_SIZE, PAGE_SIZE + 5)]


def test_browse_query_count_does_not_grow_with_results(client, world, django_assert_num_queries):
    for n in range(PAGE_SIZE + 5):
        service = make_service(world["lyon3_structure"] if n % 2 else world["villeurbanne_structure"])
        Closure.objects.create(
            structure=service.structure, service=service, starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 3, 31)
        )
    # commune choices, selected commune, count, page of services, closures
    with django_assert_num_queries(5):
        response = browse(client, commune="69383", thematique="logement-hebergement")
    assert len(names(response)) == PAGE_SIZE
    with django_assert_num_queries(4):
        browse(client)


def test_empty_results_suggest_widening_the_search(client, world):
    make_service(world["lyon3_structure"], thematiques=["sante--acces-aux-soins"])
    html = browse(client, commune="69383", thematique="logement-hebergement").content.decode()
    assert "Aucun service publié ne correspond à ces critères." in html
    assert "Voir toutes les thématiques pour cette commune" in html
    assert "Voir cette thématique dans toutes les communes" in html


def test_empty_offer_says_so(client, db):
    html = browse(client).content.decode()
    assert "Aucun service n’est encore publié." in html


# --- structure page ---------------------------------------------------------------------------


def test_structure_page_shows_facts_hours_closures_and_services(client, world):
    structure = world["lyon3_structure"]
    structure.telephone = "04 72 00 00 00"
    structure.save()
    make_service(structure, nom="Service publié")
    make_service(structure, nom="Service caché", moderation=Moderation.PENDING)
    Closure.objects.create(
        structure=structure, starts_on=dt.date(2026, 3, 20), ends_on=dt.date(2026, 3, 27), message="Inventaire"
    )
    Closure.objects.create(
        structure=structure,
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 31),
        message="Nouveau numéro",
        is_closed=False,
    )
    response = client.get(reverse("offer:structure", args=[structure.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"<h1>{structure.nom}" in html
    assert "04 72 00 00 00" in html
    assert "Ouvert maintenant, ferme à 12 h" in html
    assert "Horaires de la semaine du 9 mars" in html
    assert "9 h – 12 h, 14 h – 17 h" in html
    assert "du 20 mars au 27 mars : Inventaire" in html
    assert "Nouveau numéro" in html
    assert "Service publié" in html and "Service caché" not in html


@pytest.mark.parametrize("moderation", [Moderation.PENDING, Moderation.REJECTED])
def test_unpublished_structures_are_not_found(client, world, moderation):
    structure = make_structure(moderation=moderation)
    assert client.get(reverse("offer:structure", args=[structure.pk])).status_code == 404


def test_stale_structure_is_flagged_and_verifier_shown_without_email(client, world):
    verifier = make_user(email="camille.dupont@example.org", first_name="Camille", last_name="Dupont")
    structure = make_structure(last_verified_on=dt.date(2025, 6, 1), last_verified_by=verifier)
    html = client.get(reverse("offer:structure", args=[structure.pk])).content.decode()
    assert "n’ont pas été vérifiées depuis le 1 juin 2025" in html
    assert "Informations vérifiées par Camille D. le 1 juin 2025." in html
    assert "camille.dupont@example.org" not in html


def test_recently_verified_structure_is_not_flagged(client, world):
    html = client.get(reverse("offer:structure", args=[world["lyon3_structure"].pk])).content.decode()
    assert "n’ont pas été vérifiées" not in html
    assert "Informations vérifiées le 15 janvier 2026." in html


def test_never_verified_structure_is_flagged(client, world):
    structure = make_structure(last_verified_on=None)
    html = client.get(reverse("offer:structure", args=[structure.pk])).content.decode()
    assert "Ces informations n’ont jamais été vérifiées" in html


# --- service fiche ----------------------------------------------------------------------------


@pytest.fixture
def fiche_service(world):
    structure = world["lyon3_structure"]
    service = make_service(
        structure,
        nom="Accompagnement au logement",
        description="Nous aidons à constituer le dossier de demande de logement social.",
        publics=["familles", "personnes-en-situation-durgence"],
        publics_precisions="Priorité aux familles monoparentales.",
        conditions_acces="Habiter la métropole.",
        modes_mobilisation=["telephoner", "envoyer-un-courriel"],
        mobilisable_par=["professionnels"],
        mobilisation_precisions="Appeler le matin.",
        lien_mobilisation="https://example.org/orienter",
        contact_nom_prenom="Alex Martin",
        telephone="04 78 11 22 33",
        courriel="logement@example.org",
        languages=["ar", "en"],
        step_free_access=True,
        accessibility_details="Ascenseur au fond de la cour.",
        frais="gratuit",
        frais_precisions="Aucun frais de dossier.",
        capacity=Capacity.WAITING_LIST,
        age_min=18,
        zone_eligibilite=[LYON_EPCI],
    )
    Closure.objects.create(
        structure=structure,
        service=service,
        starts_on=dt.date(2026, 3, 16),
        ends_on=dt.date(2026, 3, 18),
        message="Formation de l’équipe",
    )
    return service


def test_fiche_shows_everything_a_professional_needs(client, fiche_service):
    response = client.get(reverse("offer:service", args=[fiche_service.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for fact in [
        "<h1>Accompagnement au logement",
        "Nous aidons à constituer le dossier",
        "Familles, Personnes en situation d’urgence",
        "Priorité aux familles monoparentales.",
        "à partir de 18 ans",
        "Habiter la métropole.",
        "Téléphoner, Envoyer un courriel",
        "Professionnels",
        "Appeler le matin.",
        "https://example.org/orienter",
        "Alex Martin",
        "04 78 11 22 33",
        "logement@example.org",
        "Arabe, Anglais",
        "Accès de plain-pied",
        "Ascenseur au fond de la cour.",
        "Gratuit",
        "Aucun frais de dossier.",
        "Places : liste d’attente",
        "Métropole de Lyon",
        "Ouvert maintenant, ferme à 12 h",
        "9 h – 12 h, 14 h – 17 h",
        "Horaires de la structure.",
        "du 16 mars au 18 mars : Formation de l’équipe",
        "Informations vérifiées le 15 janvier 2026.",
    ]:
        assert fact in html, fact


def test_fiche_prints_with_the_print_stylesheet_and_a_static_print_button(client, fiche_service):
    html = client.get(reverse("offer:service", args=[fiche_service.pk])).content.decode()
    assert re.search(r'<link rel="stylesheet" href="/static/web/print\.css" media="print">', html)
    assert '<script src="/static/web/print.js" defer></script>' in html
    assert re.search(r"<button[^>]*data-print hidden>Imprimer cette fiche</button>", html)
    assert "style=" not in html
    # no inline script (the interactive map's data is a JSON data block: read, never run)
    assert not re.search(r'<script(?![^>]*\b(?:src=|type="application/json"))[^>]*>', html)


def static_text(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    return text


def test_print_assets_are_served(client, db):
    assert "window.print()" in static_text(client, "/static/web/print.js")
    css = static_text(client, "/static/web/print.css")
    assert "@page { size: A4" in css
    assert ".fiche-sections" in css


@pytest.mark.parametrize("moderation", [Moderation.PENDING, Moderation.REJECTED])
def test_unpublished_services_are_not_found(client, world, moderation):
    service = make_service(world["lyon3_structure"], moderation=moderation)
    assert client.get(reverse("offer:service", args=[service.pk])).status_code == 404


def test_a_published_service_of_an_unpublished_structure_is_not_found(client, world):
    service = make_service(make_structure(moderation=Moderation.PENDING))
    assert client.get(reverse("offer:service", args=[service.pk])).status_code == 404


@pytest.mark.parametrize(
    "identifier", ["dora--4f2e-aa", "soliguide:1234", "source--a:b--c", "avec espace", "accentué--é", "a?b#c%d"]
)
def test_identifiers_with_special_characters_reach_their_pages(client, world, identifier):
    structure = make_structure(id=f"s-{identifier}")
    service = make_service(structure, id=identifier)
    assert client.get(reverse("offer:structure", args=[structure.pk])).status_code == 200
    response = client.get(reverse("offer:service", args=[service.pk]))
    assert response.status_code == 200
    assert response.context["service"] == service


def test_unknown_identifiers_are_not_found(client, db):
    assert client.get("/offre/services/nope--1/").status_code == 404
    assert client.get("/offre/structures/nope:1/").status_code == 404


def test_temporarily_closed_service_says_until_when(client, fiche_service):
    with time_machine.travel(dt.datetime(2026, 3, 17, 10, 0, tzinfo=PARIS), tick=False):
        html = client.get(reverse("offer:service", args=[fiche_service.pk])).content.decode()
    assert "Fermé temporairement jusqu’au 18 mars" in html


def test_fiche_in_metz_follows_alsace_moselle_holidays(client, world):
    service = make_service(world["metz_structure"], horaires_accueil="Mo-Fr 09:00-17:00; PH off")
    with time_machine.travel(dt.datetime(2026, 4, 3, 10, 0, tzinfo=PARIS), tick=False):  # Good Friday
        html = client.get(reverse("offer:service", args=[service.pk])).content.decode()
    assert "Fermé aujourd’hui, ouvre mardi à 9 h" in html
    assert "Fermé (jour férié)" in html


def test_fiche_without_hours_says_so(client, world):
    service = make_service(world["metz_structure"])
    html = client.get(reverse("offer:service", args=[service.pk])).content.decode()
    assert "Horaires non renseignés" in html


# --- aids -------------------------------------------------------------------------------------


def make_aid(**overrides):
    defaults = {
        "slug": "revenu-solidarite-jeunes",
        "name": "Revenu de solidarité jeunes",
        "institution": "Métropole de Lyon",
        "summary": "Une aide mensuelle pour les jeunes sans ressources.",
        "amount": "jusqu’à 420 € par mois",
        "periodicity": Aid.Periodicity.MONTHLY,
        "conditions": "Avoir entre 18 et 24 ans.",
        "zone_eligibilite": [LYON_EPCI],
        "last_verified_on": dt.date(2026, 1, 10),
    }
    defaults.update(overrides)
    return Aid.objects.create(**defaults)


def test_aid_list_shows_published_aids_only(client, world):
    make_aid()
    make_aid(slug="cachee", name="Aide en attente", moderation=Moderation.PENDING)
    html = client.get(reverse("offer:aids")).content.decode()
    assert "Revenu de solidarité jeunes" in html
    assert "Aide en attente" not in html


def test_aid_page_links_to_published_places_to_claim_it(client, world):
    aid = make_aid()
    place = make_service(world["lyon3_structure"], nom="Maison de la Métropole")
    hidden = make_service(world["lyon3_structure"], nom="Antenne cachée", moderation=Moderation.PENDING)
    aid.claim_services.set([place, hidden])
    response = client.get(reverse("offer:aid", args=[aid.slug]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "jusqu’à 420 € par mois" in html
    assert "Avoir entre 18 et 24 ans." in html
    assert "Métropole de Lyon" in html
    assert "Maison de la Métropole" in html and "Antenne cachée" not in html
    assert reverse("offer:service", args=[place.pk]) in html
    # and the service fiche links back to the aid
    assert (
        reverse("offer:aid", args=[aid.slug]) in client.get(reverse("offer:service", args=[place.pk])).content.decode()
    )


def test_unpublished_or_unknown_aids_are_not_found(client, world):
    make_aid(moderation=Moderation.REJECTED)
    assert client.get(reverse("offer:aid", args=["revenu-solidarite-jeunes"])).status_code == 404
    assert client.get("/offre/aides/inconnue/").status_code == 404


def test_public_pages_answer_get_only(client, world):
    assert client.post(reverse("offer:browse")).status_code == 405


def test_every_public_list_and_fiche_of_the_offer_has_a_print_button(client, fiche_service):
    for url in (
        reverse("offer:browse"),
        reverse("offer:aids"),
        reverse("offer:structure", args=[fiche_service.structure_id]),
        reverse("offer:service", args=[fiche_service.pk]),
    ):
        html = client.get(url).content.decode()
        assert '<script src="/static/web/print.js" defer></script>' in html, url
        assert re.search(r"<button[^>]*data-print hidden>Imprimer (cette fiche|la liste)</button>", html), url
