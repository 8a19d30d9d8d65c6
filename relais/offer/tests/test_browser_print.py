"""The service fiche and the structure page print on exactly one A4 page, however full they are.

Chromium prints each page to PDF (print media, A4) and the pages of the PDF are counted.
"""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from relais.offer.models import Aid, Closure
from tests.factories import LYON_EPCI, make_commune, make_service, make_structure

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?![a-zA-Z])")
LANGUAGES = (
    "fr en ar es pt it de nl ru uk pl ro bg sq sr hy ka tr ku fa ps ur hi bn ta zh vi ti am so sw bm wo ff ln".split()
)
LOREM = (
    "Accueil inconditionnel, écoute et accompagnement dans les démarches du quotidien : accès aux droits, "
    "logement, santé, emploi, budget, numérique. Les professionnels orientent vers les partenaires du quartier. "
)


def text(length: int) -> str:
    return (LOREM * (length // len(LOREM) + 1))[:length]


def pdf_pages(page, url: str) -> int:
    page.goto(url)
    page.emulate_media(media="print")
    pdf = page.pdf(format="A4")
    return len(PAGE_OBJECT.findall(pdf))


def full_structure(services: int):
    lyon3 = make_commune("69383")
    structure = make_structure(
        nom=text(150),
        description=text(10_000),
        commune_obj=lyon3,
        adresse=text(255),
        complement_adresse=text(255),
        telephone="04 78 00 00 00",
        courriel="un-nom-d-adresse-tres-long-pour-le-test@centre-social-de-la-metropole.example.org",
        site_web="https://centre-social-de-la-metropole.example.org/" + "page/" * 60,
        accessibilite_lieu="https://acceslibre.beta.gouv.fr/app/69-lyon/a/centre/erp/" + "x" * 300,
        siret="13003013300016",
        reseaux_porteurs=["caf", "france-travail", "ccas-cias", "fcsf", "mission-locale", "restos-du-coeur"],
        horaires_accueil="Mo 08:30-12:00,13:30-17:00; Tu-Th 08:30-12:00,13:30-19:00; Fr 08:30-12:00; Sa 09:00-12:00",
    )
    made = [
        make_service(
            structure,
            nom=f"{n} " + text(146),
            description=text(10_000),
            languages=LANGUAGES,
            thematiques=[
                "logement-hebergement--se-maintenir-dans-le-logement",
                "logement-hebergement--louer-un-logement",
                "numerique--acceder-a-des-services-en-ligne",
                "numerique--maitriser-les-fondamentaux-du-numerique",
                "famille--garde-denfants",
                "sante--acces-aux-soins",
                "gestion-financiere--gerer-son-budget",
                "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
            ],
            publics=["familles", "seniors", "jeunes", "etudiants", "personnes-handicapees", "femmes"],
            modes_accueil=["a-distance", "en-presentiel"],
            modes_mobilisation=["se-presenter", "telephoner", "envoyer-un-courriel", "utiliser-le-lien-mobilisation"],
            mobilisable_par=["professionnels", "usagers"],
            zone_eligibilite=[LYON_EPCI, "69383", "69", "69123", "69381", "69382", "69384", "69385", "69386", "69387"],
            frais="payant",
            frais_precisions=text(3_000),
            publics_precisions=text(3_000),
            conditions_acces=text(3_000),
            mobilisation_precisions=text(3_000),
            accessibility_details=text(3_000),
            contact_nom_prenom=text(150),
            lien_mobilisation="https://rendez-vous.example.org/" + "creneau/" * 50,
            step_free_access=True,
            capacity="full",
            full_until=timezone.localdate() + dt.timedelta(days=40),
            age_min=16,
            age_max=99,
        )
        for n in range(services)
    ]
    today = timezone.localdate()
    for n in range(8):
        Closure.objects.create(
            structure=structure,
            service=made[0] if n % 2 else None,
            starts_on=today + dt.timedelta(days=3 * n),
            ends_on=today + dt.timedelta(days=3 * n + 1),
            message=text(300),
            is_closed=n % 3 != 2,
        )
    for n in range(8):
        aid = Aid.objects.create(
            slug=f"aide-{n}",
            name=f"{n} " + text(198),
            institution=text(200),
            summary="Une aide.",
            publics=["tous-publics"],
        )
        aid.claim_services.add(made[0])
    return structure, made[0]


def test_a_service_fiche_filled_to_the_maximum_prints_on_one_a4_page(page):
    _structure, service = full_structure(services=1)

    assert pdf_pages(page, reverse("offer:service", args=[service.pk])) == 1


@pytest.mark.parametrize("services", [3, 40])
def test_a_structure_page_filled_to_the_maximum_prints_on_one_a4_page(page, services):
    structure, _service = full_structure(services=services)

    assert pdf_pages(page, reverse("offer:structure", args=[structure.pk])) == 1


def test_the_page_count_is_honest_the_same_page_printed_without_its_print_rules_takes_several(page):
    structure, _service = full_structure(services=3)
    page.goto(reverse("offer:structure", args=[structure.pk]))
    page.emulate_media(media="screen")  # print.css is media="print": not applied

    assert len(PAGE_OBJECT.findall(page.pdf(format="A4"))) > 3
