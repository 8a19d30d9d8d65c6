"""The small test world shared by every test: plain functions that create valid objects.

Each takes keyword overrides; defaults are a published, verified service in Lyon 3e.
"""

import datetime as dt
import itertools

from django.utils import timezone

from relais.accounts.models import Membership, TerritoryModerator, User
from relais.offer.models import Service, Structure
from relais.territories.models import Commune, Departement, Epci, Territory

_seq = itertools.count(1)

LYON_EPCI = "200046977"
METZ_EPCI = "200039865"


def make_departement(code="69", name="Rhône"):
    return Departement.objects.get_or_create(code=code, defaults={"name": name})[0]


def make_epci(code=LYON_EPCI, name="Métropole de Lyon", kind="MET"):
    return Epci.objects.get_or_create(code=code, defaults={"name": name, "kind": kind})[0]


def make_commune(code="69383", name="Lyon 3e Arrondissement", **overrides):
    """A commune; Lyon's arrondissements get Lyon (69123) as parent, like the COG."""
    if Commune.objects.filter(code=code).exists():
        return Commune.objects.get(code=code)
    departement = overrides.pop("departement", None) or make_departement(
        code[:2], "Moselle" if code[:2] == "57" else "Rhône"
    )
    defaults = {
        "name": name,
        "departement": departement,
        "postal_codes": overrides.pop("postal_codes", ["69003"] if code == "69383" else [code[:2] + "000"]),
        "population": 100000,
        "population_year": 2022,
        "latitude": 45.7597,
        "longitude": 4.8422,
    }
    if code.startswith("6938"):
        parent = make_commune("69123", "Lyon", latitude=45.7578, longitude=4.8320)
        defaults.update(kind=Commune.Kind.ARRONDISSEMENT, parent=parent)
    elif "epci" not in overrides:
        defaults["epci"] = make_epci(METZ_EPCI, "Metz Métropole") if code.startswith("57") else make_epci()
    defaults.update(overrides)
    return Commune.objects.create(code=code, **defaults)


def make_territory(name="Lyon Centre", communes=(), **overrides):
    slug = overrides.pop("slug", f"territoire-{next(_seq)}")
    territory = Territory.objects.create(name=name, slug=slug, **overrides)
    territory.communes.set(communes or [make_commune()])
    return territory


def make_user(email=None, password="un-mot-de-passe-solide", **overrides):
    email = email or f"personne{next(_seq)}@example.org"
    overrides.setdefault("email_confirmed_at", timezone.now())  # an established account; pass None for a new one
    return User.objects.create_user(email=email, password=password, **overrides)


def make_structure(**overrides):
    n = next(_seq)
    commune = overrides.pop("commune_obj", None) or make_commune()
    defaults = {
        "id": f"test--structure-{n}",
        "source": "test",
        "nom": f"Structure de test {n}",
        "date_maj": dt.date(2026, 1, 15),
        "commune": commune.name,
        "code_insee": commune.code,
        "code_postal": (commune.postal_codes or [""])[0],
        "adresse": "1 rue de la Paix",
        "latitude": commune.latitude,
        "longitude": commune.longitude,
        "horaires_accueil": "Mo-Fr 09:00-12:00,14:00-17:00",
        "last_verified_on": dt.date(2026, 1, 15),
    }
    defaults.update(overrides)
    return Structure.objects.create(**defaults)


def make_service(structure=None, **overrides):
    n = next(_seq)
    structure = structure or make_structure()
    defaults = {
        "id": f"test--service-{n}",
        "source": "test",
        "structure": structure,
        "nom": f"Service de test {n}",
        "description": "Un service inventé pour les tests.",
        "date_maj": dt.date(2026, 1, 15),
        "type": "accompagnement",
        "thematiques": ["logement-hebergement--se-maintenir-dans-le-logement"],
        "frais": "gratuit",
        "publics": ["tous-publics"],
        "modes_accueil": ["en-presentiel"],
        "zone_eligibilite": [LYON_EPCI],
        "commune": structure.commune,
        "code_insee": structure.code_insee,
        "code_postal": structure.code_postal,
        "adresse": structure.adresse,
        "latitude": structure.latitude,
        "longitude": structure.longitude,
        "last_verified_on": dt.date(2026, 1, 15),
    }
    defaults.update(overrides)
    return Service.objects.create(**defaults)


def make_member(structure, role=Membership.Role.MEMBER, status=Membership.Status.ACTIVE, user=None):
    user = user or make_user()
    Membership.objects.create(user=user, structure=structure, role=role, status=status)
    return user


def make_moderator(territory=None, user=None):
    user = user or make_user()
    TerritoryModerator.objects.create(user=user, territory=territory or make_territory())
    return user
