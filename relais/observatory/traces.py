"""Writing the anonymous trace of a search (docs/data-traces.md).

`record_search(response, profile, channel, token)` is called (through trace_search, the receiver of relais.matching.runtime.search_done) after
each search that ran. It keeps the categories of PROFILE_CATEGORIES only: an age band instead of the
age, situations from the engine's closed list, "femme" (a data·inclusion public) and nothing else.
One INSERT; a failure is logged and never fails the search.

One trace per search, not per page view: the pages carry a signed `trace` token in their forms. It holds
the trace's row number and a short hash of what makes the search the same search (day, commune,
thématiques, channel), nothing about the person. When a filter changes or a profile question is
answered, the request brings the token back and the same row is updated (one UPDATE) with the latest
categories and counts; a new place or a new need is a new search, with a new trace.
"""

from __future__ import annotations

import hashlib
import logging

from django.core import signing
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
    """Services the person is sure to be eligible for, among all results (`extra["eligible_total"]`, which
    the engine sets; a response built otherwise counts the page it holds)."""
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
        words_not_understood=any(p.code == "words_not_understood" for p in response.problems),
    )


TOKEN_SALT = "relais.observatory.search-trace"
MAX_TOKEN = 120


def search_key(trace: SearchTrace) -> str:
    """What makes two page views the same search: the day, the commune, the thématiques, the channel."""
    text = "|".join((trace.day.isoformat(), trace.commune_code, ",".join(trace.thematiques), trace.channel))
    return hashlib.blake2b(text.encode(), digest_size=6).hexdigest()


def token_for(trace: SearchTrace) -> str:
    """The signed token a page carries to update this trace instead of adding one (no personal data)."""
    return signing.Signer(salt=TOKEN_SALT).sign(f"{trace.pk}.{search_key(trace)}")


def _traced_pk(token: str | None, trace: SearchTrace) -> int | None:
    """The row this token designates, when it is genuine and for the same search; else None."""
    if not token or len(token) > MAX_TOKEN:
        return None
    try:
        pk, _sep, key = signing.Signer(salt=TOKEN_SALT).unsign(token).partition(".")
    except signing.BadSignature:
        return None
    return int(pk) if pk.isdigit() and key == search_key(trace) else None


_COLUMNS = (
    "day",
    "commune_code",
    "epci_code",
    "departement_code",
    "thematiques",
    "categories",
    "channel",
    "urgent",
    "eligible",
    "to_check",
    "total",
    "words_not_understood",
)


def _insert(trace: SearchTrace, connection) -> None:
    """One plain INSERT (a search's only query): what Model.save() does, without its ~0.4 ms of machinery."""
    fields = [SearchTrace._meta.get_field(name) for name in _COLUMNS]
    quote = connection.ops.quote_name
    returning = connection.features.can_return_columns_from_insert
    sql = (
        f"INSERT INTO {quote(SearchTrace._meta.db_table)} ({', '.join(quote(f.column) for f in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})" + (f" RETURNING {quote('id')}" if returning else "")
    )
    params = [f.get_db_prep_save(getattr(trace, f.attname), connection) for f in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        trace.pk = cursor.fetchone()[0] if returning else cursor.lastrowid
    trace._state.adding = False
    trace._state.db = connection.alias


def _save(trace: SearchTrace, pk: int | None, connection) -> None:
    if pk is not None:
        fields = ("categories", "urgent", "eligible", "to_check", "total")
        updated = SearchTrace.objects.filter(pk=pk, day=trace.day, commune_code=trace.commune_code).update(
            **{name: getattr(trace, name) for name in fields}
        )
        if updated:
            trace.pk = pk
            return
    _insert(trace, connection)


def record_search(
    response: SearchResponse, profile: Profile, channel: str, token: str | None = None
) -> SearchTrace | None:
    """Save the trace of a search that ran, or update the one `token` designates (same search, same day);
    None (and a warning in the logs) if the database refused it. `token_for(trace)` gives the next token."""
    if not response.ok or response.place is None:
        return None
    trace = trace_of(response, profile, channel)
    pk = _traced_pk(token, trace)
    connection = connections[router.db_for_write(SearchTrace)]
    try:
        if connection.in_atomic_block:  # inside the caller's transaction: a failure must not break it
            with transaction.atomic(using=connection.alias):
                _save(trace, pk, connection)
        else:
            _save(trace, pk, connection)
    except DatabaseError:
        logger.warning("search trace not recorded", exc_info=True)
        return None
    return trace


def trace_search(sender, response: SearchResponse, profile: Profile, channel: str, token: str | None = None, **kwargs):
    """The receiver of relais.matching.runtime.search_done: records the search, answers the token of its trace
    (None when nothing was recorded)."""
    recorded = record_search(response, profile, channel, token)
    if recorded is None or recorded.pk is None:
        return None
    return token_for(recorded)
