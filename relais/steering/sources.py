"""Figures Relais computes itself, for indicators whose value updates itself.

A registry of named sources: each reads other apps only through their public querysets (steering sits
above referrals, matching, rights, offer and territories) and answers one number for a territory (or the
whole plan when the territory is None) on a day. `Indicator.computed_source` holds a name from SOURCES,
`Indicator.computed_parameter` its parameter (a thématique, …).

The observatory (being built beside this app) is not imported: an indicator links to an observatory
indicator by id (`Indicator.observatory_indicator`); reading its values belongs to a layer above both.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from relais.offer.models import Service
from relais.referrals.models import Referral, Status
from relais.territories.models import Commune


@dataclass(frozen=True)
class ComputedSource:
    name: str
    label: str
    compute: Callable[[object, str, dt.date], Decimal]  # (territory or None, parameter, day) -> value
    needs_parameter: bool = False


def commune_codes(territory) -> list[str] | None:
    """The codes of a territory's communes with their arrondissements; None for the whole plan."""
    if territory is None:
        return None
    listed = territory.communes.values("code")
    return sorted(Commune.objects.filter(Q(code__in=listed) | Q(parent__in=listed)).values_list("code", flat=True))


def referrals_accepted(territory, parameter: str, day: dt.date) -> Decimal:
    """Referrals accepted (or closed after acceptance) by services of the territory, sent in the 12 months to `day`."""
    since = dt.datetime.combine(day - dt.timedelta(days=365), dt.time.min, tzinfo=dt.UTC)
    until = dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min, tzinfo=dt.UTC)
    queryset = Referral.objects.filter(
        status__in=[Status.ACCEPTED, Status.CLOSED], sent_at__gte=since, sent_at__lt=until
    )
    codes = commune_codes(territory)
    if codes is not None:
        queryset = queryset.filter(commune_code__in=codes)
    return Decimal(queryset.count())


def services_in_thematique(territory, parameter: str, day: dt.date) -> Decimal:
    """Published services listed in a thématique (or a whole category) and located in the territory."""
    queryset = Service.objects.published().filter(structure__moderation="published")
    if parameter:
        queryset = queryset.with_thematique(parameter)
    codes = commune_codes(territory)
    if codes is not None:
        queryset = queryset.in_communes(codes)
    return Decimal(queryset.count())


SOURCES: dict[str, ComputedSource] = {
    source.name: source
    for source in (
        ComputedSource("referrals_accepted", _("orientations acceptées sur 12 mois"), referrals_accepted),
        ComputedSource(
            "services_in_thematique",
            _("services publiés dans une thématique"),
            services_in_thematique,
            needs_parameter=True,
        ),
    )
}


def compute(name: str, territory, parameter: str, day: dt.date) -> Decimal:
    try:
        source = SOURCES[name]
    except KeyError:
        raise ValueError(_("Source calculée inconnue : « %(name)s ».") % {"name": name}) from None
    return source.compute(territory, parameter, day)
