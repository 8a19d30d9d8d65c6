"""The demo plans (manage.py load_demo_plan): the real structure of two plans, invented actions and figures.

Structure from the sources in /work/shared/context/ (see SOURCE_NOTE_*): Lyon's Projet métropolitain des
solidarités 2023-2027 has four thematic axes (Métropole de l'hospitalité, du prendre-soin, de l'inclusion,
de l'émancipation; the inclusion axis with its three orientations) and three "modes de faire" (accueil
inconditionnel, pouvoir d'agir des personnes concernées, pouvoir d'agir des professionnels), declined in
Projets sociaux de territoire; the national strategies it names (Logement d'abord, stratégie pauvreté,
Territoires 100 % inclusifs, protection de l'enfance). The modes de faire cross the thematic axes: they are
tags here (docs/adr/0011-steering.md). Metz's « métropole solidaire » has three postures. Every action, pilot,
date and figure is invented and labelled « (démo) »; the territories are Lyon's CTM when loaded.

Deterministic (a fixed seed and a given day); running it again replaces the demo plans and nothing else.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from relais.accounts.demo_accounts import DEMO_EMAIL_DOMAIN
from relais.accounts.models import User
from relais.accounts.second_factor import install_device
from relais.demo.generate import DEMO_PASSWORD
from relais.demo.load import DEMO_TOTP_SECRET
from relais.offer.models import Service
from relais.steering import ratios
from relais.steering.models import (
    Action,
    ActionTerritory,
    Axis,
    BudgetLine,
    Campaign,
    Indicator,
    IndicatorValue,
    Note,
    Plan,
    PlanRole,
    Step,
    Tag,
)
from relais.territories.models import Territory

SEED = 2023
SOURCE_NOTE_LYON = (
    "Structure (axes, modes de faire, stratégies nationales, déclinaison en Projets sociaux de territoire) : "
    "entretien sur le Projet métropolitain des solidarités 2023-2027 de la Métropole de Lyon. Territoires : "
    "Conférences territoriales des maires du référentiel de Relais. Actions, pilotes, dates et chiffres : "
    "inventés pour la démonstration (démo)."
)
SOURCE_NOTE_METZ = (
    "Structure (trois postures de la métropole solidaire) : page « Vers de nouveaux modes de faire » de "
    "l’Eurométropole de Metz. Actions, pilotes, dates et chiffres : inventés pour la démonstration (démo)."
)

LYON_AXES = [
    ("1", "Métropole de l’hospitalité", None),
    ("2", "Métropole du prendre-soin", None),
    ("3", "Métropole de l’inclusion", None),
    ("3.1", "Favoriser les liens sociaux de proximité", "3"),
    ("3.2", "Développer un habitat adapté à la diversité des besoins", "3"),
    ("3.3", "S’engager pour un territoire plus inclusif", "3"),
    ("4", "Métropole de l’émancipation", None),
]
LYON_TAGS = [
    ("accueillir-sans-conditions", "Accueillir sans conditions", Tag.Kind.MODE),
    ("pouvoir-d-agir-des-personnes", "Pouvoir d’agir des personnes concernées", Tag.Kind.MODE),
    ("pouvoir-d-agir-des-professionnels", "Pouvoir d’agir des professionnels", Tag.Kind.MODE),
    ("logement-d-abord", "Logement d’abord", Tag.Kind.STRATEGY),
    ("strategie-pauvrete", "Stratégie pauvreté", Tag.Kind.STRATEGY),
    ("territoires-100-inclusifs", "Territoires 100 % inclusifs", Tag.Kind.STRATEGY),
    ("protection-de-l-enfance", "Stratégie de protection de l’enfance", Tag.Kind.STRATEGY),
]
# (axis, title, thématique for the linked services, publics, tags)
LYON_ACTIONS = [
    (
        "1",
        "Ouvrir des places d’hébergement d’urgence toute l’année",
        "logement-hebergement",
        ["personnes-en-situation-durgence"],
        ["logement-d-abord", "accueillir-sans-conditions"],
    ),
    (
        "1",
        "Accompagner vers le logement les personnes sortant de la rue",
        "logement-hebergement",
        ["personnes-sans-domicile"],
        ["logement-d-abord"],
    ),
    (
        "1",
        "Aller vers les personnes qui ne demandent pas leurs droits",
        "acces-aux-droits-et-citoyennete",
        ["tous-publics"],
        ["strategie-pauvrete", "accueillir-sans-conditions"],
    ),
    (
        "1",
        "Un accueil social inconditionnel dans chaque Maison de la Métropole",
        "acces-aux-droits-et-citoyennete",
        ["tous-publics"],
        ["accueillir-sans-conditions"],
    ),
    ("2", "Prévenir les troubles de santé mentale des jeunes", "sante", ["jeunes"], ["pouvoir-d-agir-des-personnes"]),
    ("2", "Soutenir les aidants avec une plateforme d’écoute", "famille", ["familles"], []),
    (
        "2",
        "Accès à une alimentation de qualité dans les quartiers",
        "se-nourrir",
        ["tous-publics"],
        ["strategie-pauvrete"],
    ),
    ("2", "Protéger les enfants : visites à domicile renforcées", "famille", ["familles"], ["protection-de-l-enfance"]),
    (
        "3.1",
        "Lutter contre l’isolement des personnes âgées",
        "lien-social",
        ["seniors"],
        ["pouvoir-d-agir-des-personnes"],
    ),
    ("3.1", "Valoriser les solidarités citoyennes et le bénévolat", "lien-social", ["tous-publics"], []),
    (
        "3.2",
        "Développer l’habitat inclusif et les colocations solidaires",
        "logement-hebergement",
        ["personnes-handicapees"],
        ["territoires-100-inclusifs"],
    ),
    (
        "3.3",
        "Rendre les lieux d’accueil du public accessibles",
        "handicap",
        ["personnes-handicapees"],
        ["territoires-100-inclusifs"],
    ),
    (
        "4",
        "Former les professionnels à l’accompagnement participatif",
        "acces-aux-droits-et-citoyennete",
        ["tous-publics"],
        ["pouvoir-d-agir-des-professionnels"],
    ),
    (
        "4",
        "Un temps dédié aux projets innovants des équipes",
        "acces-aux-droits-et-citoyennete",
        ["tous-publics"],
        ["pouvoir-d-agir-des-professionnels"],
    ),
    (
        "4",
        "Ouvrir des parcours vers l’emploi pour les allocataires du RSA",
        "emploi-choisir-un-metier",
        ["beneficiaires-des-minimas-sociaux"],
        ["strategie-pauvrete"],
    ),
    (
        "4",
        "Accompagner les jeunes majeurs sortant de l’aide sociale à l’enfance",
        "logement-hebergement",
        ["jeunes"],
        ["protection-de-l-enfance", "logement-d-abord"],
    ),
]
METZ_AXES = [
    ("1", "La métropole qui agit et initie des coopérations", None),
    ("2", "La métropole qui soutient l’action de ses partenaires", None),
    ("3", "La métropole qui encourage le développement de nouveaux services", None),
]
METZ_ACTIONS = [
    (
        "1",
        "Plan Logement d’abord : repérer les besoins des personnes sans domicile",
        "logement-hebergement",
        ["personnes-sans-domicile"],
        ["logement-d-abord"],
    ),
    (
        "1",
        "Réseau des acteurs économiques pour l’emploi des quartiers prioritaires",
        "emploi-choisir-un-metier",
        ["tous-publics"],
        [],
    ),
    ("2", "Permanence d’accès aux droits par le numérique", "numerique", ["tous-publics"], []),
    ("2", "Forum de l’engagement bénévole", "lien-social", ["tous-publics"], []),
    ("3", "Plateforme de mobilité pour l’insertion", "mobilite", ["tous-publics"], []),
    ("3", "Récupérer les invendus alimentaires pour les épiceries solidaires", "se-nourrir", ["tous-publics"], []),
]
STATUSES = [
    "in_progress",
    "in_progress",
    "in_progress",
    "to_come",
    "done",
    "late",
    "blocked",
    "paused",
    "to_discuss",
    "",
]
METEOS = ["sunny", "sunny", "cloudy", "cloudy", "rainy", "stormy", ""]
PEOPLE = ["Camille", "Dominique", "Sacha", "Alix", "Morgan", "Noa", "Yanis", "Inès"]
FUNCTIONS = ["cheffe de projet", "chef de service", "chargée de mission", "directeur territorial"]


@dataclass
class DemoReport:
    plans: list[str] = field(default_factory=list)
    actions: int = 0
    values: int = 0
    accounts: list[str] = field(default_factory=list)


def _accounts(report: DemoReport) -> dict:
    password = make_password(DEMO_PASSWORD)
    people = {"plan": ("Paloma", "Plan"), "pilote": ("Pierre-Louis", "Pilote"), "territoire": ("Théo", "Territoire")}
    users = {}
    for key, (first, last) in people.items():
        email = f"{key}@{DEMO_EMAIL_DOMAIN}"
        user, _created = User.objects.update_or_create(
            email=email,
            defaults={"first_name": first, "last_name": last, "password": password, "is_active": True},
        )
        install_device(user, DEMO_TOTP_SECRET)
        users[key] = user
        report.accounts.append(email)
    return users


def _services(thematique: str, rng: random.Random) -> list:
    ids = list(
        Service.objects.filter(is_demo=True)
        .with_thematique(thematique)
        .order_by("id")
        .values_list("id", flat=True)[:40]
    )
    rng.shuffle(ids)
    return list(Service.objects.filter(id__in=ids[:3]).select_related("structure"))


def _values(indicator: Indicator, territories: list, start_year: int, today: dt.date, rng: random.Random) -> list:
    values = []
    for territory in [None, *territories]:
        scale = 10 if territory is not None else 100
        initial = rng.randint(2, 8) * scale
        target = initial + rng.randint(3, 10) * scale
        values.append(
            IndicatorValue(
                indicator=indicator,
                territory=territory,
                kind="initial",
                on=dt.date(start_year, 1, 1),
                value=initial,
                comment="(démo)",
            )
        )
        values.append(
            IndicatorValue(
                indicator=indicator,
                territory=territory,
                kind="target",
                on=dt.date(start_year + 4, 12, 31),
                value=target,
                comment="(démo)",
            )
        )
        current = initial
        for year in range(start_year, today.year + 1):
            day = dt.date(year, 12, 31) if year < today.year else today - dt.timedelta(days=rng.choice([10, 40, 400]))
            current += rng.randint(0, (target - initial) // 4 + 1)
            values.append(
                IndicatorValue(
                    indicator=indicator, territory=territory, kind="current", on=day, value=current, source="(démo)"
                )
            )
    return values


def _action(
    plan: Plan,
    n: int,
    row: tuple,
    axes: dict,
    tags: dict,
    users: dict,
    territories: list,
    spec: dict,
    today: dt.date,
    rng: random.Random,
) -> list:
    """One demo action with its steps, budgets, declinations, indicator and note; returns the indicator's values."""
    axis, title, thematique, publics, tag_slugs = row
    status = STATUSES[(n * 7) % len(STATUSES)]
    pilot_is_account = n % 4 == 1
    action = Action.objects.create(
        plan=plan,
        axis=axes[axis],
        code=f"{axis.split('.')[0]}.{n:02d}",
        title=f"{title} (démo)",
        description="Action inventée pour la démonstration (démo).",
        objectives="Objectifs inventés pour la démonstration (démo).",
        publics=publics,
        thematiques=[],
        status=status,
        meteo=METEOS[n % len(METEOS)],
        priority=1 + n % 3,
        participation=["none", "information", "consultation", "concertation", "co_construction"][n % 5],
        pilot_user=users["pilote"] if pilot_is_account else None,
        pilot_name="" if pilot_is_account else f"{PEOPLE[n % len(PEOPLE)]} (démo)",
        pilot_function=FUNCTIONS[n % len(FUNCTIONS)],
        pilot_published=n % 2 == 0,
        starts_on=dt.date(spec["start"], 1 + n % 12, 1),
        ends_on=dt.date(spec["start"] + 2 + n % 3, 12, 31),
        progress_mode=["steps", "steps", "indicators", "manual"][n % 4],
        manual_progress=(n * 13) % 100,
        weight=1 + n % 3,
        last_news_at=timezone.now() - dt.timedelta(days=[3, 20, 45, 120][n % 4]),
    )
    action.tags.set([tags[s] for s in tag_slugs])
    services = _services(thematique, rng)
    action.services.set(services)
    action.partners.set({s.structure for s in services})
    for k in range(3):
        due = dt.date(spec["start"] + k, 6 + k, 30)
        Step.objects.create(
            action=action, title=f"Étape {k + 1} (démo)", due_on=due, done=due < today and (n + k) % 3 != 0, order=k
        )
    for year in range(spec["start"], today.year + 1):
        planned = Decimal(rng.randint(2, 40) * 5000)
        BudgetLine.objects.create(
            action=action, year=year, planned=planned, spent=planned * Decimal(rng.randint(40, 100)) / 100
        )
    declined = rng.sample(territories, min(len(territories), 3)) if territories else []
    ActionTerritory.objects.bulk_create(
        [
            ActionTerritory(
                action=action,
                territory=t,
                status=rng.choice(["", "", status, "in_progress", "late"]),
                notes="(démo)",
            )
            for t in declined
        ]
    )
    indicator = Indicator.objects.create(
        plan=plan,
        code=f"I{n:02d}",
        name=f"Personnes accompagnées : {title.lower()} (démo)",
        unit="personnes",
        source="Relais (démo)",
        method="Comptage annuel (démo).",
        steward=f"{PEOPLE[(n + 3) % len(PEOPLE)]} (démo)",
    )
    action.indicators.add(indicator)
    values = _values(indicator, declined, spec["start"], today, rng)
    Note.objects.create(
        plan=plan,
        action=action,
        text="Comité de suivi réuni, calendrier tenu (démo).",
        state="published",
        published_at=timezone.now(),
        written_on=today - dt.timedelta(days=n * 3),
    )
    return values


def _plan(spec: dict, users: dict, territories: list, today: dt.date, rng: random.Random, report: DemoReport) -> Plan:
    plan = Plan.objects.create(
        slug=spec["slug"],
        name=spec["name"],
        owner=spec["owner"],
        starts_on=dt.date(spec["start"], 1, 1),
        ends_on=dt.date(spec["start"] + 4, 12, 31),
        description=spec["description"],
        source_note=spec["source_note"],
        is_demo=True,
        news_after_days=60,
    )
    plan.territories.set(territories)
    axes = {}
    for order, (code, title, parent) in enumerate(spec["axes"], start=1):
        axes[code] = Axis.objects.create(plan=plan, code=code, title=title, parent=axes.get(parent), order=order)
    tags = {slug: Tag.objects.create(plan=plan, slug=slug, name=name, kind=kind) for slug, name, kind in spec["tags"]}
    values = []
    for n, row in enumerate(spec["actions"], start=1):
        values.extend(_action(plan, n, row, axes, tags, users, territories, spec, today, rng))
        report.actions += 1
    if territories:
        Action.objects.create(
            plan=plan,
            axis=axes[spec["axes"][0][0]],
            code="L.01",
            title="Action locale du territoire (démo)",
            local_territory=territories[0],
            pilot_name="Coordination territoriale (démo)",
            status="in_progress",
            progress_mode="manual",
            manual_progress=35,
            last_news_at=timezone.now(),
        )
        report.actions += 1
        PlanRole.objects.create(
            plan=plan, user=users["territoire"], role=PlanRole.Role.EDITOR, territory=territories[0]
        )
    IndicatorValue.objects.bulk_create(values, batch_size=500)
    ratios.refresh({v.indicator_id for v in values})
    report.values += len(values)
    PlanRole.objects.create(plan=plan, user=users["plan"], role=PlanRole.Role.ADMIN)
    Note.objects.create(
        plan=plan,
        kind=Note.Kind.SYNTHESIS,
        text="Synthèse de l’année : une démonstration de compte rendu public (démo).",
        state="published",
        published_at=timezone.now(),
    )
    Campaign.objects.create(
        plan=plan,
        title="Point d’étape avant le 15 mars (démo)",
        due_on=dt.date(today.year + 1, 3, 15),
        created_by=users["plan"],
    )
    report.plans.append(plan.slug)
    return plan


def load(today: dt.date | None = None, seed: int = SEED) -> DemoReport:
    today = today or timezone.localdate()
    rng = random.Random(seed)
    report = DemoReport()
    with transaction.atomic():
        Action.objects.filter(plan__is_demo=True).delete()  # first: an axis is protected while it has actions
        Plan.objects.filter(is_demo=True).delete()
        users = _accounts(report)
        ctm = list(Territory.objects.filter(slug__startswith="ctm-").order_by("name"))
        _plan(
            {
                "slug": "pms-lyon-demo",
                "name": "Projet métropolitain des solidarités 2023-2027 (démo)",
                "owner": "Métropole de Lyon",
                "start": 2023,
                "axes": LYON_AXES,
                "tags": LYON_TAGS,
                "actions": LYON_ACTIONS,
                "description": "Quatre axes thématiques et trois modes de faire, déclinés en Projets sociaux de territoire (démo).",
                "source_note": SOURCE_NOTE_LYON,
            },
            users,
            ctm,
            today,
            rng,
            report,
        )
        _plan(
            {
                "slug": "metropole-solidaire-metz-demo",
                "name": "Métropole solidaire (démo)",
                "owner": "Eurométropole de Metz",
                "start": 2024,
                "axes": METZ_AXES,
                "tags": [("logement-d-abord", "Logement d’abord", Tag.Kind.STRATEGY)],
                "actions": METZ_ACTIONS,
                "description": "Faire autrement, aider à faire, faciliter les initiatives locales (démo).",
                "source_note": SOURCE_NOTE_METZ,
            },
            users,
            [],
            today,
            rng,
            report,
        )
    return report
