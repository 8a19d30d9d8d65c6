"""Writing the anonymous trace of a search (docs/data-traces.md).

`record_search(response, profile, channel)` is called by relais.matching.runtime.run_search() after
each search that ran. It keeps the categories of PROFILE_CATEGORIES only: an age band instead of the
age, situations from the engine's closed list, "femme" (a data·inclusion public) and nothing else.
One INSERT; a failure is logged and never fails the search.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from relais.matching.types import Profile, SearchResponse, Status
from relais.observatory.models import Channel, SearchTrace

logger = logging.getLogger(__name__)

AGE_BANDS = ((0, 17, "mineur"), (18, 25, "jeune"), (26, 59, "adulte"), (60, 200, "senior"))

# The engine's situation codes (relais.matching.types.SITUATIONS) -> the observatory's categories.
SITUATION_CATEGORIES = {
    "rsa": "rsa",
    "aah": "aah",
    "ass": "ass",
    "aspa": "aspa",
    "job_seeker": "demandeur-emploi",
    "employed": "en-emploi",
    "student": "etudiant",
    "retired": "retraite",
    "disability": "handicap",
    "exiled": "exile",
    "homeless": "sans-domicile",
    "violence_victim": "victime-violences",
    "qpv_resident": "qpv",
    "justice": "justice",
    "legal_protection": "protection-juridique",
    "single_parent": "parent-seul",
    "pregnant": "enceinte",
    "carer": "aidant",
}

# Every category a trace may hold, with its label: nothing outside this list is ever written.
PROFILE_CATEGORIES = {
    "mineur": _("moins de 18 ans"),
    "jeune": _("18 à 25 ans"),
    "adulte": _("26 à 59 ans"),
    "senior": _("60 ans et plus"),
    "seul": _("vit seul"),
    "couple": _("vit en couple"),
    "enfants": _("enfants à charge"),
    "femme": _("femme"),
    "rsa": _("bénéficiaire du RSA"),
    "aah": _("bénéficiaire de l’AAH"),
    "ass": _("bénéficiaire de l’ASS"),
    "aspa": _("bénéficiaire du minimum vieillesse"),
    "demandeur-emploi": _("demandeur ou demandeuse d’emploi"),
    "en-emploi": _("en emploi"),
    "etudiant": _("étudiant ou étudiante"),
    "retraite": _("retraité ou retraitée"),
    "handicap": _("en situation de handicap"),
    "exile": _("personne exilée"),
    "sans-domicile": _("sans domicile"),
    "victime-violences": _("victime de violences"),
    "qpv": _("habite un quartier prioritaire"),
    "justice": _("sous main de justice"),
    "protection-juridique": _("sous tutelle ou curatelle"),
    "parent-seul": _("parent seul"),
    "enceinte": _("enceinte"),
    "aidant": _("proche aidant"),
}


def profile_categories(profile: Profile) -> list[str]:
    """The profile's categories from PROFILE_CATEGORIES, sorted: never the age itself, never free text."""
    found: set[str] = set()
    age = profile.age
    if isinstance(age, int) and not isinstance(age, bool):
        for low, high, band in AGE_BANDS:
            if low <= age <= high:
                found.add(band)
    if profile.household in ("seul", "couple"):
        found.add(profile.household)
    if isinstance(profile.children, int) and profile.children > 0:
        found.add("enfants")
    if profile.gender == "femme":
        found.add("femme")
    found.update(SITUATION_CATEGORIES[s] for s in profile.situations if s in SITUATION_CATEGORIES)
    return sorted(found & PROFILE_CATEGORIES.keys())


def eligible_count(response: SearchResponse) -> int:
    """Services the person is sure to be eligible for, among all results (the engine's count when it gives
    one, else those of the page returned)."""
    counted = response.extra.get("eligible_total")
    if isinstance(counted, int):
        return counted
    return sum(1 for r in response.results if r.status == Status.ELIGIBLE)


def trace_of(response: SearchResponse, profile: Profile, channel: str) -> SearchTrace:
    if channel not in Channel.values:
        raise ValueError(f"unknown search channel {channel!r}: expected one of {Channel.values}")
    commune = response.place.commune
    eligible = min(eligible_count(response), response.total)
    return SearchTrace(
        day=timezone.localdate(),
        commune_code=commune.code,
        epci_code=commune.epci or "",
        departement_code=commune.departement or "",
        thematiques=sorted({m.thematique for m in response.needs}),
        categories=profile_categories(profile),
        channel=channel,
        urgent=bool(response.urgent),
        eligible=eligible,
        to_check=response.total - eligible,
        total=response.total,
    )


def record_search(response: SearchResponse, profile: Profile, channel: str) -> SearchTrace | None:
    """Save the trace of a search that ran; None (and a warning in the logs) if the database refused it."""
    if not response.ok or response.place is None:
        return None
    trace = trace_of(response, profile, channel)
    connection = connections[router.db_for_write(SearchTrace)]
    try:
        if connection.in_atomic_block:  # inside the caller's transaction: a failure must not break it
            with transaction.atomic(using=connection.alias):
                trace.save(force_insert=True)
        else:
            trace.save(force_insert=True)
    except DatabaseError:
        logger.warning("search trace not recorded", exc_info=True)
        return None
    return trace
