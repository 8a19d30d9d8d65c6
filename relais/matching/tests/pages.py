"""A small offer on the real referential (communes and contours of relais/territories/data), for the
tests of the orientation pages."""

import datetime as dt
import functools
from dataclasses import dataclass

import pytest
import time_machine

from relais.offer.hours import PARIS
from relais.territories import loaders
from relais.territories.models import Commune
from tests.factories import LYON_EPCI, make_service, make_structure

NOW = dt.datetime(2026, 3, 4, 10, 0, tzinfo=PARIS)  # a Wednesday morning
ALIM = "equipement-et-alimentation--alimentation"
VIOLENCE = "famille--surmonter-conflits-separation-violence"
DROITS = "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits"


@functools.cache
def referential() -> loaders.Referential:
    return loaders.read_lyon_metz()


def load_communes() -> None:
    """The communes of the Métropole de Lyon and Metz Métropole, with their contours (as load_territories)."""
    loaders.load_referential(referential())


@dataclass
class Offer:
    grocery: object
    restaurant: object
    youth: object
    helpline: object
    villeurbanne: object
    services: list


@pytest.fixture
def wednesday():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def offer(db, wednesday) -> Offer:
    load_communes()
    lyon3 = Commune.objects.get(code="69383")
    lyon7 = Commune.objects.get(code="69387")
    villeurbanne = Commune.objects.get(code="69266")
    centre = make_structure(nom="Centre social Les Tilleuls", commune_obj=lyon3, telephone="04 72 00 00 01")
    grocery = make_service(
        centre,
        nom="Épicerie solidaire des Tilleuls",
        thematiques=[ALIM],
        languages=["fr", "ar"],
    )
    restaurant = make_service(
        make_structure(nom="Restaurant social", commune_obj=lyon7),
        nom="Repas du midi",
        thematiques=[ALIM],
        horaires_accueil="Mo-Su 11:30-13:30",
        publics=["personnes-en-situation-durgence"],
    )
    youth = make_service(
        centre,
        nom="Point jeunes",
        thematiques=[ALIM, DROITS],
        publics=["jeunes"],
        age_min=16,
        age_max=25,
        conditions_acces="Selon le quotient familial.",
    )
    helpline = make_service(
        make_structure(nom="Écoute nationale (démo)", commune_obj=lyon3),
        nom="Ligne d’écoute violences",
        thematiques=[VIOLENCE],
        modes_accueil=["a-distance"],
        zone_eligibilite=["france"],
        horaires_accueil="24/7",
        latitude=None,
        longitude=None,
    )
    there = make_service(
        make_structure(nom="Banque alimentaire", commune_obj=villeurbanne),
        nom="Colis alimentaires",
        thematiques=[ALIM],
        zone_eligibilite=[LYON_EPCI],
    )
    extra = [make_service(centre, nom=f"Atelier cuisine {n}", thematiques=[ALIM], type="atelier") for n in range(1, 6)]
    return Offer(grocery, restaurant, youth, helpline, there, [grocery, restaurant, youth, helpline, there, *extra])
