"""Generation of the demo offer: a pure function of the places, the region, the day and the seed.

`generate(places, region, today)` draws, with `random.Random` seeded by the region and each
commune's code, structures, services, temporary closures and aids, as plain dicts. The same
places, seed and `today` always give the same offer; dates (verification, closures, "full until")
are relative to `today` so the demo always looks current.
"""

from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from dataclasses import dataclass, field

from relais.demo import catalogue as cat
from relais.offer.vocabularies import Thematique

SOURCE = "relais-demo"
SEED = 2026
DEMO_SUFFIX = " (démo)"
DEMO_PASSWORD = "demo-relais-2026"
DEMO_TERRITORY_SLUG = "territoire-de-demonstration"


@dataclass(frozen=True)
class Region:
    key: str
    epci: str
    departement: str
    solidarites: str  # the name of the département's or métropole's social services offices
    inhabitants_per_extra_structure: int


LYON = Region("lyon", "200046977", "69", "Maison de la Métropole", 15000)
METZ = Region("metz", "200039865", "57", "Espace solidarités du Département", 20000)
REGIONS = (LYON, METZ)


@dataclass(frozen=True)
class Place:
    """A commune or municipal arrondissement where demo structures are placed."""

    code: str
    name: str
    postal_codes: tuple[str, ...] = ()
    population: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    is_arrondissement: bool = False
    parent_code: str = ""

    @property
    def label(self) -> str:
        """'Lyon 3e' for 'Lyon 3e Arrondissement'."""
        return re.sub(r"\s+Arrondissement$", "", self.name)


@dataclass
class DemoOffer:
    structures: list[dict] = field(default_factory=list)
    services: list[dict] = field(default_factory=list)
    closures: list[dict] = field(default_factory=list)
    aids: list[dict] = field(default_factory=list)  # each with "claim_service_ids"


# --- generation (pure) ---------------------------------------------------------------------------


def generate(places: list[Place], region: Region, today: dt.date, seed: int = SEED) -> DemoOffer:
    """The demo offer of `region` over `places`: deterministic for the same arguments."""
    offer = DemoOffer()
    used_names: set[str] = set()
    for place in sorted(places, key=lambda p: p.code):
        rng = random.Random(f"{seed}:{region.key}:{place.code}")
        for kind in _kinds_for(place, region, rng):
            structure = _structure(place, region, kind, rng, today, used_names, len(offer.structures) + 1)
            offer.structures.append(structure)
            offer.services.extend(_services(structure, place, region, kind, rng, today))
            offer.closures.extend(_closures(structure, offer.services, rng, today))
    _cover_every_thematique(offer, random.Random(f"{seed}:{region.key}:coverage"))
    _cover_urgent_needs(offer, places, region, random.Random(f"{seed}:{region.key}:urgent"), today)
    if region is LYON and places:
        _national_helpline(offer, min(places, key=lambda p: p.code), today)
    offer.aids = _aids(offer, region)
    return offer


def _national_helpline(offer: DemoOffer, place: Place, today: dt.date) -> None:
    """The one national remote service of the demo (catalogue.NATIONAL_HELPLINE), invented and labelled."""
    spec = cat.NATIONAL_HELPLINE
    structure_id = f"{SOURCE}--{spec['key']}"
    common = {
        "source": SOURCE,
        "date_maj": today,
        "commune": place.name,
        "code_insee": place.code,
        "code_postal": place.postal_codes[0] if place.postal_codes else "",
        "adresse": "",
        "latitude": None,
        "longitude": None,
        "telephone": spec["telephone"],
        "courriel": f"contact.{spec['key']}@example.org",
        "last_verified_on": today,
        "moderation": "published",
        "is_demo": True,
    }
    offer.structures.append(
        {
            **common,
            "id": structure_id,
            "nom": spec["structure"],
            "description": f"{spec['description']} {cat.DEMO_NOTE}",
            "reseaux_porteurs": [],
            "complement_adresse": "",
            "site_web": "",
            "horaires_accueil": spec["hours"],
            "_kind": "national",
        }
    )
    offer.services.append(
        {
            **common,
            "id": f"{structure_id}--ecoute",
            "structure_id": structure_id,
            "nom": spec["nom"],
            "description": f"{spec['description']} {cat.DEMO_NOTE}",
            "type": "accompagnement",
            "thematiques": list(spec["thematiques"]),
            "frais": "gratuit",
            "frais_precisions": "",
            "publics": list(spec["publics"]),
            "publics_precisions": "",
            "conditions_acces": "",
            "modes_accueil": ["a-distance"],
            "zone_eligibilite": ["france"],
            "contact_nom_prenom": "",
            "lien_mobilisation": "",
            "modes_mobilisation": ["telephoner"],
            "mobilisable_par": ["usagers", "professionnels"],
            "volume_horaire_hebdomadaire": None,
            "nombre_semaines": None,
            "complement_adresse": "",
            "horaires_accueil": spec["hours"],
            "languages": ["fr", "en"],
            "step_free_access": None,
            "accessibility_details": "",
            "capacity": "accepting",
            "full_until": None,
            "accepts_referrals": False,
            "age_min": None,
            "age_max": None,
        }
    )


def _kinds_for(place: Place, region: Region, rng: random.Random) -> list[cat.StructureKind]:
    population = place.population or 3000
    kinds = [cat.KINDS_BY_KEY["ccas" if population >= 1500 or place.is_arrondissement else "mairie"]]
    if population >= 12000 or place.is_arrondissement:
        kinds.append(cat.KINDS_BY_KEY["solidarites"])
    if population >= 8000:
        kinds.append(cat.KINDS_BY_KEY["centre-social"])
    extra = round(population / region.inhabitants_per_extra_structure * rng.uniform(0.8, 1.2))
    drawable = [kind for kind in cat.KINDS if kind.weight]
    weights = [kind.weight for kind in drawable]
    for _ in range(extra):
        kinds.append(rng.choices(drawable, weights)[0])
    return kinds


def _phone(rng: random.Random) -> str:
    return f"01 99 00 {rng.randrange(100):02d} {rng.randrange(100):02d}"


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _structure(place, region, kind, rng, today, used_names, number) -> dict:
    pattern = rng.choice(kind.names)
    for _ in range(len(cat.WORDS)):
        name = pattern.format(word=rng.choice(cat.WORDS), place=place.label, solidarites=region.solidarites)
        if "{place}" not in pattern:
            name = f"{name}, {place.label}"
        if name not in used_names:
            break
    name = name if name not in used_names else f"{name} {number}"
    used_names.add(name)
    spread = 0.004 if place.is_arrondissement else 0.008
    latitude = round(place.latitude + rng.uniform(-spread, spread), 6) if place.latitude is not None else None
    longitude = round(place.longitude + rng.uniform(-spread, spread) * 1.4, 6) if place.longitude is not None else None
    verified = today - dt.timedelta(days=_verified_age(rng))
    structure_id = f"{SOURCE}--{region.key}-s{number:03d}"
    return {
        "id": structure_id,
        "source": SOURCE,
        "nom": name + DEMO_SUFFIX,
        "date_maj": verified,
        "description": f"{kind.description} {cat.DEMO_NOTE}",
        "reseaux_porteurs": list(kind.reseaux),
        "commune": place.name,
        "code_insee": place.code,
        "code_postal": rng.choice(place.postal_codes) if place.postal_codes else "",
        "adresse": f"{rng.randrange(1, 120)} {rng.choice(cat.STREETS)}",
        "complement_adresse": rng.choice(cat.COMPLEMENTS),
        "latitude": latitude,
        "longitude": longitude,
        "telephone": _phone(rng),
        "courriel": f"contact.{_slug(kind.key)}-{number:03d}@example.org",
        "site_web": f"https://example.org/demo/{region.key}-s{number:03d}" if rng.random() < 0.4 else "",
        "horaires_accueil": rng.choice(cat.STRUCTURE_HOURS),
        "last_verified_on": verified,
        "moderation": "pending" if rng.random() < 0.03 else "published",
        "is_demo": True,
        "_kind": kind.key,
    }


def _verified_age(rng: random.Random) -> int:
    """Days since the last verification: most recent, about one in five stale (over 180 days)."""
    if rng.random() < 0.2:
        return rng.randrange(190, 600)
    return rng.randrange(0, 170)


def _zone(place: Place, region: Region, kind: cat.StructureKind, rng: random.Random) -> list[str]:
    if kind.local_zone:  # a CCAS serves its whole commune, Lyon's serves every arrondissement
        return [place.parent_code or place.code]
    draw = rng.random()
    if draw < 0.2:
        return [place.code]
    if draw < 0.85:
        return [region.epci]
    return [region.departement]


def _services(structure, place, region, kind, rng, today) -> list[dict]:
    low, high = kind.services
    count = min(rng.randint(low, high), len(kind.templates))
    keys = rng.sample(kind.templates, count)
    return [_service(structure, place, region, kind, key, rng, today) for key in keys]


def _service(structure, place, region, kind, key, rng, today) -> dict:
    """One demo service of `structure` from the template `key`."""
    template = cat.TEMPLATES_BY_KEY[key]
    verified = structure["last_verified_on"] - dt.timedelta(days=rng.randrange(0, 30))
    capacity, full_until = _capacity(rng, today)
    languages = ["fr"] + sorted(rng.sample(cat.LANGUAGES, rng.choice([0, 0, 0, 1, 1, 2, 3])))
    publics = list(template.publics)
    if rng.random() < 0.15 and "tous-publics" not in publics and "residents-qpv-frr" not in publics:
        publics.append("residents-qpv-frr")
    modes = list(template.modes_mobilisation)
    lien = ""
    if "utiliser-lien-mobilisation" in modes:
        lien = f"https://example.org/demo/{structure['id'].split('--')[1]}/{key}"
    step_free = rng.choice([True, True, True, False, None])
    return {
        "id": f"{structure['id']}--{key}",
        "source": SOURCE,
        "structure_id": structure["id"],
        "nom": template.nom,
        "description": f"{template.description} {cat.DEMO_NOTE}",
        "date_maj": verified,
        "type": template.type,
        "thematiques": list(template.thematiques),
        "frais": template.frais,
        "frais_precisions": template.frais_precisions,
        "publics": publics,
        "publics_precisions": _publics_precisions(template),
        "conditions_acces": template.conditions_acces,
        "modes_accueil": list(template.modes_accueil),
        "zone_eligibilite": _zone(place, region, kind, rng),
        "contact_nom_prenom": rng.choice(cat.CONTACTS),
        "lien_mobilisation": lien,
        "modes_mobilisation": modes,
        "mobilisable_par": list(template.mobilisable_par),
        "volume_horaire_hebdomadaire": template.volume_horaire_hebdomadaire,
        "nombre_semaines": template.nombre_semaines,
        "commune": structure["commune"],
        "code_insee": structure["code_insee"],
        "code_postal": structure["code_postal"],
        "adresse": structure["adresse"],
        "complement_adresse": structure["complement_adresse"],
        "latitude": structure["latitude"],
        "longitude": structure["longitude"],
        "telephone": structure["telephone"] if rng.random() < 0.7 else _phone(rng),
        "courriel": structure["courriel"],
        "horaires_accueil": rng.choice(template.hours) if template.hours and rng.random() < 0.8 else "",
        "languages": languages,
        "step_free_access": step_free,
        "accessibility_details": rng.choice(cat.ACCESSIBILITY_DETAILS) if step_free is not None else "",
        "capacity": capacity,
        "full_until": full_until,
        "accepts_referrals": rng.random() < 0.9,
        "age_min": template.age_min,
        "age_max": template.age_max,
        "last_verified_on": verified,
        "moderation": structure["moderation"],
        "is_demo": True,
    }


def _publics_precisions(template: cat.ServiceTemplate) -> str:
    if template.age_min is not None and template.age_max is not None:
        return f"De {template.age_min} à {template.age_max} ans."
    if template.age_min is not None:
        return f"À partir de {template.age_min} ans."
    if template.age_max is not None:
        return f"Jusqu’à {template.age_max} ans."
    return ""


def _capacity(rng: random.Random, today: dt.date) -> tuple[str, dt.date | None]:
    draw = rng.random()
    if draw < 0.72:
        return "accepting", None
    if draw < 0.86:
        return "waiting_list", None
    if draw < 0.95:
        return "full", today + dt.timedelta(days=rng.randrange(5, 75))
    if draw < 0.98:
        return "full", None
    return "full", today - dt.timedelta(days=rng.randrange(1, 20))  # a past date: accepting again


def _closures(structure, services, rng, today) -> list[dict]:
    draw = rng.random()
    if draw >= 0.16:
        return []
    own_services = [s for s in services if s["structure_id"] == structure["id"]]
    is_closed, message = rng.choice(cat.CLOSURE_MESSAGES)
    if draw < 0.05:  # going on now
        starts = today - dt.timedelta(days=rng.randrange(0, 4))
        ends = today + dt.timedelta(days=rng.randrange(1, 10))
    elif draw < 0.12:  # coming
        starts = today + dt.timedelta(days=rng.randrange(3, 30))
        ends = starts + dt.timedelta(days=rng.randrange(0, 15))
    else:  # over
        ends = today - dt.timedelta(days=rng.randrange(2, 30))
        starts = ends - dt.timedelta(days=rng.randrange(0, 10))
    service_id = rng.choice(own_services)["id"] if own_services and rng.random() < 0.3 else None
    return [
        {
            "structure_id": structure["id"],
            "service_id": service_id,
            "starts_on": starts,
            "ends_on": ends,
            "message": message,
            "is_closed": is_closed,
        }
    ]


def _cover_every_thematique(offer: DemoOffer, rng: random.Random) -> None:
    """Make sure every data·inclusion thématique has at least one demo service."""
    covered = {t for service in offer.services for t in service["thematiques"]}
    for thematique in Thematique:
        if thematique.value in covered or not offer.services:
            continue
        category = thematique.value.split("--")[0]
        same_category = [s for s in offer.services if any(t.startswith(category + "--") for t in s["thematiques"])]
        target = rng.choice(same_category or offer.services)
        target["thematiques"].append(thematique.value)
        covered.add(thematique.value)


def _cover_urgent_needs(offer: DemoOffer, places: list[Place], region: Region, rng: random.Random, today) -> None:
    """Every local territory (a place with a local solidarity office: an arrondissement or a large commune)
    answers every urgent need (catalogue.URGENT: shelter, food, health, violence) and work (catalogue.EVERYDAY)
    on site, open to everyone.
    The office gets the services its place lacks, with their own hours; while its listing awaits moderation,
    the CCAS, the mairie or another published structure of the place does."""
    by_code = {place.code: place for place in places}
    preferred = ("solidarites", "ccas", "mairie", "centre-social")
    for code in sorted({s["code_insee"] for s in offer.structures if s.get("_kind") == "solidarites"}):
        place = by_code.get(code)
        published = [s for s in offer.structures if s["code_insee"] == code and s["moderation"] == "published"]
        if place is None or not published:
            continue
        # the office itself, or (while its own listing awaits moderation) the CCAS, the mairie…
        structure = min(published, key=lambda s: preferred.index(s["_kind"]) if s["_kind"] in preferred else 9)
        kind = cat.KINDS_BY_KEY[structure["_kind"]]
        here = [
            s
            for s in offer.services
            if s["code_insee"] == place.code
            and "en-presentiel" in s["modes_accueil"]
            and "tous-publics" in s["publics"]
            and s["moderation"] == "published"
        ]
        for template in (*cat.URGENT, *cat.EVERYDAY):
            need = template.thematiques[0]
            if any(need in s["thematiques"] for s in here):
                continue
            service = _service(structure, place, region, kind, template.key, rng, today)
            service["horaires_accueil"] = template.hours[0]
            service["zone_eligibilite"] = [region.epci]  # an emergency is answered for the whole métropole
            offer.services.append(service)


def _aids(offer: DemoOffer, region: Region) -> list[dict]:
    aids = []
    for spec in cat.AIDS:
        if spec["region"] and spec["region"] != region.key:
            continue
        claim_ids = []  # the services of the first template first, at most 12 in all
        for key in spec["claim_templates"]:
            claim_ids += sorted(s["id"] for s in offer.services if s["id"].endswith(f"--{key}"))
        claim_ids = claim_ids[:12]
        if not claim_ids:
            continue
        slug = spec["slug"] if region is LYON else f"{spec['slug']}-{region.key}"
        aids.append(
            {
                "slug": slug,
                "name": spec["name"],
                "kind": spec["kind"],
                "institution": spec["institution"],
                "summary": spec["summary"],
                "conditions": spec["conditions"],
                "amount": spec["amount"],
                "periodicity": spec["periodicity"],
                "thematiques": list(spec["thematiques"]),
                "publics": list(spec["publics"]),
                "zone_eligibilite": [region.epci],
                "how_to_claim": spec["how_to_claim"],
                "claim_url": "",
                "source_url": "",
                "is_demo": True,
                "claim_service_ids": claim_ids,
                "rights_aid": spec.get("rights_aid", {}).get(region.key, ""),
            }
        )
    return aids
