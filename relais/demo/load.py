"""Loading the demo offer and the demo accounts into the database (manage.py load_demo)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from relais.accounts.demo_accounts import DEMO_EMAIL_DOMAIN
from relais.demo.generate import (
    DEMO_PASSWORD,
    DEMO_TERRITORY_SLUG,
    LYON,
    METZ,
    REGIONS,
    SEED,
    DemoOffer,
    Place,
    Region,
    generate,
)

# The models are imported inside the functions, not to dodge a cycle (the demo is the top layer and may import
# every app) but because Django imports this package, an installed app whose __init__ re-exports load(), before
# the models are ready.

# The demo accounts' second factor (relais/accounts/security.py): this TOTP secret, known to all (README.md).
DEMO_TOTP_SECRET = "OJSWYYLJOMWWIZLNN4WTEZTBFVVWK6JB"


def places_of(region: Region) -> list[Place]:
    """The communes of `region`'s EPCI, with a commune split into arrondissements replaced by them."""
    from django.db.models import Q

    from relais.territories.models import Commune

    communes = list(
        Commune.objects.filter(
            Q(epci_id=region.epci) | Q(kind=Commune.Kind.ARRONDISSEMENT, parent__epci_id=region.epci)
        ).order_by("code")
    )
    split = {c.parent_id for c in communes if c.kind == Commune.Kind.ARRONDISSEMENT}
    return [
        Place(
            code=c.code,
            name=c.name,
            postal_codes=tuple(c.postal_codes or ()),
            population=c.population,
            latitude=c.latitude,
            longitude=c.longitude,
            is_arrondissement=c.kind == Commune.Kind.ARRONDISSEMENT,
            parent_code=c.parent_id or "",
        )
        for c in communes
        if c.code not in split
    ]


@dataclass
class LoadReport:
    regions: list[str] = field(default_factory=list)
    structures: int = 0
    services: int = 0
    closures: int = 0
    aids: int = 0
    accounts: list[str] = field(default_factory=list)
    territory: str = ""
    referrals: int = 0
    prescriber_organisation: str = ""


def delete_demo_rows() -> None:
    """Delete every demo row (and what cascades from it); non-demo rows stay."""
    from django.db.models import Q

    from relais.accounts.models import Membership, TerritoryModerator
    from relais.offer.models import Aid, Change, Service, Structure
    from relais.referrals.models import Referral

    demo_users = _demo_users()
    Referral.objects.filter(sender__in=demo_users).delete()  # the demo referrals (relais/demo/referrals.py)
    Membership.objects.filter(user__in=demo_users).delete()
    TerritoryModerator.objects.filter(user__in=demo_users).delete()
    # The history outlives deleted listings (Change links are SET_NULL): the demo's goes with it.
    Change.objects.filter(Q(structure__is_demo=True) | Q(service__is_demo=True) | Q(aid__is_demo=True)).delete()
    Aid.objects.filter(is_demo=True).delete()
    Service.objects.filter(is_demo=True).delete()
    Structure.objects.filter(is_demo=True).delete()


def _demo_users():
    from relais.accounts.models import User

    return User.objects.filter(email__endswith="@" + DEMO_EMAIL_DOMAIN)


def load(today: dt.date | None = None, seed: int = SEED) -> LoadReport:
    """Replace the demo offer and accounts, in one transaction. Non-demo rows are never touched."""
    from django.db import transaction
    from django.utils import timezone

    today = today or timezone.localdate()
    report = LoadReport()
    with transaction.atomic():
        delete_demo_rows()
        for region in REGIONS:
            places = places_of(region)
            if not places:
                continue
            offer = generate(places, region, today, seed)
            _write(offer)
            report.regions.append(region.key)
            report.structures += len(offer.structures)
            report.services += len(offer.services)
            report.closures += len(offer.closures)
            report.aids += len(offer.aids)
        _accounts(report, today)
    return report


def _write(offer: DemoOffer) -> None:
    from relais.offer.models import Aid, Closure, Service, Structure

    Structure.objects.bulk_create(
        [Structure(**{k: v for k, v in s.items() if not k.startswith("_")}) for s in offer.structures],
        batch_size=500,
    )
    Service.objects.bulk_create([Service(**s) for s in offer.services], batch_size=500)
    Closure.objects.bulk_create([Closure(**c) for c in offer.closures], batch_size=500)
    Through = Aid.claim_services.through
    links = []
    for spec in offer.aids:
        values = {k: v for k, v in spec.items() if k != "claim_service_ids"}
        aid = Aid.objects.create(last_verified_on=None, **values)
        links.extend(Through(aid_id=aid.pk, service_id=service_id) for service_id in spec["claim_service_ids"])
    Through.objects.bulk_create(links, batch_size=500)


def _accounts(report: LoadReport, today: dt.date) -> None:
    """The demo accounts (README.md): an admin, a partner, a member, a moderator, a prescriber of another
    organisation, a steering account and a right-of-access agent; then a few demo referrals."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, Permission
    from django.utils import timezone

    from relais.accounts.models import User
    from relais.accounts.second_factor import install_device
    from relais.referrals import roles

    password = make_password(DEMO_PASSWORD)
    people = {
        "admin": ("Admin", "Démo", {"is_staff": True, "is_superuser": True}),
        "partenaire": ("Paula", "Partenaire", {"is_staff": False, "is_superuser": False}),
        "membre": ("Marc", "Membre", {"is_staff": False, "is_superuser": False}),
        "moderation": ("Mona", "Modération", {"is_staff": False, "is_superuser": False}),
        "prescripteur": ("Pierre", "Prescripteur", {"is_staff": False, "is_superuser": False}),
        "pilotage": ("Pia", "Pilotage", {"is_staff": False, "is_superuser": False}),
        "droit-acces": ("Dora", "Droit d’accès", {"is_staff": False, "is_superuser": False}),
    }
    users = {}
    for key, (first, last, flags) in people.items():
        email = f"{key}@{DEMO_EMAIL_DOMAIN}"
        user, _ = User.objects.update_or_create(
            email=email,
            defaults={
                "first_name": first,
                "last_name": last,
                "password": password,
                "is_active": True,
                "email_confirmed_at": timezone.now(),
                **flags,
            },
        )
        users[key] = user
        report.accounts.append(email)
        install_device(user, DEMO_TOTP_SECRET)
    users["pilotage"].groups.add(Group.objects.get_or_create(name=roles.STEERING_GROUP)[0])
    app_label, codename = roles.EXPORT_PERMISSION.split(".")
    users["droit-acces"].user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
    # The prescriber's organisation screens files of households for missed rights (/droits/depistage/).
    users["prescripteur"].user_permissions.add(
        Permission.objects.get(content_type__app_label="rights", codename="screen_households")
    )

    _team(users, report)
    _moderation(users, report)


def _team(users: dict, report: LoadReport) -> None:
    """The demo structure's team (the partner, vouched for by the moderator, and the member), the prescriber's
    organisation, and the demo referrals between them."""
    from django.utils import timezone

    from relais.accounts.models import Membership
    from relais.offer.models import Service, Structure

    referable = Service.objects.visible().filter(accepts_referrals=True, is_demo=True)
    structure = (
        Structure.objects.filter(
            is_demo=True, moderation="published", nom__startswith="Centre social", services__in=referable
        )
        .order_by("id")
        .first()
        or Structure.objects.filter(is_demo=True, moderation="published", nom__startswith="Centre social")
        .order_by("id")
        .first()
        or Structure.objects.filter(is_demo=True).order_by("id").first()
    )
    if structure is not None:
        # Access to referrals counts from the decision (docs/adr/0007-referrals.md): the demo team joined a
        # year ago, before the demo referrals. The partner is the structure's first admin, vouched for by the
        # demo moderator (docs/adr/0002-moderation.md); the partner approved the member.
        now = timezone.now() - dt.timedelta(days=365)
        Membership.objects.create(
            user=users["partenaire"],
            structure=structure,
            role="admin",
            status="active",
            decided_at=now,
            decided_by=users["moderation"],
        )
        Membership.objects.create(
            user=users["membre"],
            structure=structure,
            role="member",
            status="active",
            decided_at=now,
            decided_by=users["partenaire"],
        )
        # The prescriber works for another organisation, a Maison de la Métropole if the demo has one.
        others = Structure.objects.filter(is_demo=True, moderation="published").exclude(pk=structure.pk)
        organisation = (
            others.filter(nom__startswith="Maison de la Métropole").order_by("id").first()
            or others.order_by("id").first()
        )
        service = referable.filter(structure=structure).order_by("id").first()
        if organisation is not None:
            Membership.objects.create(
                user=users["prescripteur"], structure=organisation, role="member", status="active", decided_at=now
            )
            report.prescriber_organisation = organisation.nom
            if service is not None:
                from relais.demo import referrals as demo_referrals

                report.referrals = demo_referrals.create(
                    prescriber=users["prescripteur"],
                    organisation=organisation,
                    service=service,
                    receiver=users["membre"],
                )


def _moderation(users: dict, report: LoadReport) -> None:
    """The demo moderator's territory, with a few changes to review."""
    from django.utils import timezone

    from relais.accounts.models import TerritoryModerator
    from relais.offer.models import Change, Structure

    territory = _moderated_territory()
    if territory is not None:
        TerritoryModerator.objects.create(user=users["moderation"], territory=territory)
        report.territory = territory.name
        codes = set(territory.communes.values_list("code", flat=True))
        # A few changes to review, so the moderator has something to do.
        candidates = Structure.objects.filter(is_demo=True, code_insee__in=codes).order_by("id")[:3]
        for offset, listed in enumerate(candidates):
            Change.objects.create(
                structure=listed,
                object_id=listed.id,
                kind=Change.Kind.UPDATE,
                diff={"horaires_accueil": [listed.horaires_accueil, "Mo-Fr 09:00-12:00; PH off"]},
                actor=users["partenaire"],
                at=timezone.now() - dt.timedelta(hours=3 * (offset + 1)),
                code_insee=listed.code_insee,
            )


def _moderated_territory():
    """A loaded territory of the Métropole de Lyon, else the demo territory (created from demo places)."""
    from relais.territories.models import Commune, Territory

    codes = [p.code for p in places_of(LYON)] or [p.code for p in places_of(METZ)]
    if not codes:
        return None
    real = Territory.objects.filter(is_demo=False, communes__code__in=codes).distinct().order_by("name").first()
    if real is not None:
        # The demo territory of an earlier run is no longer needed, unless someone real moderates it.
        Territory.objects.filter(slug=DEMO_TERRITORY_SLUG, is_demo=True, moderators__isnull=True).delete()
        return real
    territory, _ = Territory.objects.update_or_create(
        slug=DEMO_TERRITORY_SLUG,
        defaults={
            "name": "Territoire de démonstration",
            "kind": "démonstration",
            "source": "Créé par manage.py load_demo : données de démonstration.",
            "is_demo": True,
        },
    )
    territory.communes.set(Commune.objects.filter(code__in=codes))
    return territory
