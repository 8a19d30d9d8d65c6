"""The platform's own signals, for steering staff: unmet needs, offer coverage, referral outcomes, missed rights.

Every count is the platform's own: published only through secrecy (RELAIS_OBSERVATORY_MIN_COUNT).
Referral figures stay computed in relais.referrals.stats; this module reads them.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, Sum
from django.utils import timezone

from relais.observatory import secrecy
from relais.observatory.figures import Place
from relais.observatory.models import MissedRightsMonth, RollupMark, SearchTrace, UnmetNeedMonth
from relais.offer.models import Service
from relais.referrals import stats as referral_stats
from relais.territories.models import Commune, Territory

ROLLUP = "unmet_needs"
REMOTE = "a-distance"


def threshold() -> int:
    return settings.RELAIS_OBSERVATORY_MIN_COUNT


def _cells_python(traces) -> dict:
    cells: dict = defaultdict(lambda: [0, 0, 0])
    rows = traces.values_list("day", "commune_code", "thematiques", "eligible", "words_not_understood")
    for day, commune, thematiques, eligible, not_understood in rows.iterator(chunk_size=10000):
        for thematique in thematiques or ():
            cell = cells[(day.replace(day=1), commune, thematique)]
            cell[0] += 1
            cell[1] += eligible == 0
            cell[2] += bool(not_understood)
    return cells


def _cells_postgres(start: dt.date, end: dt.date) -> dict:
    table = SearchTrace._meta.db_table
    sql = f"""
        SELECT date_trunc('month', day)::date, commune_code, t.thematique,
               count(*), count(*) FILTER (WHERE eligible = 0), count(*) FILTER (WHERE words_not_understood)
        FROM {table}, jsonb_array_elements_text(thematiques) AS t(thematique)
        WHERE day > %s AND day <= %s
        GROUP BY 1, 2, 3"""
    with connection.cursor() as cursor:
        cursor.execute(sql, [start, end])
        return {(m, c, t): [s, u, n] for m, c, t, s, u, n in cursor.fetchall()}


def rollup_unmet_needs(until: dt.date | None = None) -> tuple[int, dt.date | None]:
    """Add the traces of the days after the last rollup, up to `until` (default yesterday: today's traces may
    still be updated by their page), to UnmetNeedMonth. Incremental: each day is counted once."""
    until = until or timezone.localdate() - dt.timedelta(days=1)
    with transaction.atomic():
        mark = RollupMark.objects.select_for_update().filter(name=ROLLUP).first()
        start = mark.last_day if mark else dt.date(1900, 1, 1)
        if start >= until:
            return 0, start
        if connection.vendor == "postgresql":
            cells = _cells_postgres(start, until)
        else:
            cells = _cells_python(SearchTrace.objects.filter(day__gt=start, day__lte=until))
        existing = {
            (r.month, r.commune_code, r.thematique): r
            for r in UnmetNeedMonth.objects.filter(month__gte=start.replace(day=1), month__lte=until)
        }
        new = []
        for key, (searches, unmet, not_understood) in cells.items():
            if key in existing:
                UnmetNeedMonth.objects.filter(pk=existing[key].pk).update(
                    searches=F("searches") + searches,
                    unmet=F("unmet") + unmet,
                    not_understood=F("not_understood") + not_understood,
                )
            else:
                month, commune, thematique = key
                new.append(
                    UnmetNeedMonth(
                        month=month,
                        commune_code=commune,
                        thematique=thematique,
                        searches=searches,
                        unmet=unmet,
                        not_understood=not_understood,
                    )
                )
        UnmetNeedMonth.objects.bulk_create(new, batch_size=5000)
        RollupMark.objects.update_or_create(name=ROLLUP, defaults={"last_day": until})
    return len(cells), until


def _commune_to_place(place: Place) -> set[str]:
    codes = set(place.members) | {place.code}
    codes |= set(Commune.objects.filter(parent__in=list(codes)).values_list("code", flat=True))
    return codes


def unmet_needs(place: Place, month: dt.date | None = None) -> dict:
    """Per thématique (and month when none is given): searches, unmet, share unmet, not understood; small
    cells hidden, with secondary suppression against the published totals."""
    rows = UnmetNeedMonth.objects.filter(commune_code__in=sorted(_commune_to_place(place)))
    if month:
        rows = rows.filter(month=month.replace(day=1))
    grouped = rows.values("thematique").annotate(s=Sum("searches"), u=Sum("unmet"), n=Sum("not_understood"))
    searches = {r["thematique"]: r["s"] for r in grouped}
    unmet = {r["thematique"]: r["u"] for r in grouped}
    not_understood = {r["thematique"]: r["n"] for r in grouped}
    limit = threshold()
    shown_searches, total = secrecy.publish_line(searches, limit)
    shown_unmet, total_unmet = secrecy.publish_line(unmet, limit)
    shown_nu, total_nu = secrecy.publish_line(not_understood, limit)
    table = []
    for thematique in sorted(searches, key=lambda t: (-unmet[t], t)):
        s, u = shown_searches[thematique], shown_unmet[thematique]
        table.append(
            {
                "thematique": thematique,
                "searches": s,
                "unmet": u,
                "share": round(u / s, 3) if s and u is not None else None,
                "not_understood": shown_nu[thematique],
            }
        )
    months = sorted({m.isoformat()[:7] for m in rows.values_list("month", flat=True).distinct()})
    return {
        "rows": table,
        "total": total,
        "total_unmet": total_unmet,
        "total_not_understood": total_nu,
        "months": months,
        "threshold": limit,
    }


def _thematique(code: str) -> str:
    return code.split("--", 1)[0]


def coverage(place: Place, population: float | None) -> dict:
    """On-site services per thématique located in the place, per 10,000 inhabitants; remote ones apart."""
    codes = _commune_to_place(place)
    services = Service.objects.filter(code_insee__in=sorted(codes)).exclude(moderation="rejected")
    on_site: dict = defaultdict(lambda: {"services": 0, "hours": 0.0})
    remote: dict = defaultdict(int)
    for thematiques, modes, hours in services.values_list(
        "thematiques", "modes_accueil", "volume_horaire_hebdomadaire"
    ):
        only_remote = bool(modes) and set(modes) == {REMOTE}
        for thematique in sorted({_thematique(t) for t in thematiques or ()}):
            if only_remote:
                remote[thematique] += 1
            else:
                on_site[thematique]["services"] += 1
                on_site[thematique]["hours"] += hours or 0
    rows = []
    for thematique in sorted(set(on_site) | set(remote)):
        count = on_site[thematique]["services"] if thematique in on_site else 0
        rows.append(
            {
                "thematique": thematique,
                "services": count,
                "per_10000": round(count * 10000 / population, 2) if population else None,
                "hours_per_week": round(on_site[thematique]["hours"], 1) if thematique in on_site else 0,
                "remote": remote.get(thematique, 0),
            }
        )
    return {"rows": rows, "population": population}


def _hide(value, limit: int):
    return f"< {limit}" if value is None else value


def referral_outcomes(
    place: Place | None, since: dt.date | None = None, until: dt.date | None = None, exact: bool = False
) -> dict:
    """relais.referrals.stats figures for a local territory (or every territory for another place).

    `exact`: steering staff read the exact anonymous counts, as they always did; anyone else (signals made
    public by RELAIS_OBSERVATORY_PUBLIC_SIGNALS) reads them with small counts hidden, and what would reveal
    them. A hidden count reads « < threshold »."""
    territory = Territory.objects.filter(slug=place.code).first() if place and place.kind == "territory" else None
    figures = referral_stats.referral_statistics(since, until, territory)
    figures["for_territory"] = territory is not None
    for row in figures["by_service"]:
        row["accepted_total"] = row["accepted"] + row["closed"]
    if exact:
        return figures
    limit = threshold()
    for name in ("by_status", "refusal_reasons", "outcomes", "situations"):
        shown, _total = secrecy.publish_line({i: row["count"] for i, row in enumerate(figures[name])}, limit)
        for i, row in enumerate(figures[name]):
            row["count"] = _hide(shown[i], limit)
    for row in figures["by_territory"] + figures["by_service"]:
        if secrecy.is_primary(row["total"], limit):
            for key in (
                "total",
                "sent",
                "accepted",
                "accepted_total",
                "refused",
                "expired",
                "closed",
                "cancelled",
                "refusal_rate",
            ):
                if key in row:
                    row[key] = None if key == "refusal_rate" else _hide(None, limit)
    totals = figures["totals"]
    totals["total"] = _hide(secrecy.published(totals["total"], limit), limit)
    delay = figures["response_delay"]
    if delay["answered"] and secrecy.is_primary(delay["answered"], limit):
        figures["response_delay"] = {k: None for k in delay} | {"answered": 0}
    return figures


def missed_rights(place: Place) -> list[dict]:
    rows = (
        MissedRightsMonth.objects.filter(commune_code__in=sorted(_commune_to_place(place)))
        .values("benefit")
        .annotate(screened=Sum("screened"), missed=Sum("missed"), amount=Sum("amount"))
        .order_by("benefit")
    )
    limit = threshold()
    out = []
    for row in rows:
        hidden = secrecy.is_primary(row["missed"], limit)
        out.append(
            {
                "benefit": row["benefit"],
                "screened": secrecy.published(row["screened"], limit),
                "missed": None if hidden else row["missed"],
                "amount": None if hidden else round(row["amount"]),
            }
        )
    return out


def record_missed_rights(month: dt.date, counts: dict[tuple[str, str], tuple[int, int, float]]) -> None:
    """Add a batch screening's aggregate: (commune, benefit) -> (screened, missed, monthly amount). Nothing
    about a household is given or kept."""
    with transaction.atomic():
        for (commune, benefit), (screened, missed, amount) in counts.items():
            row, created = MissedRightsMonth.objects.get_or_create(
                month=month.replace(day=1),
                commune_code=commune,
                benefit=benefit,
                defaults={"screened": screened, "missed": missed, "amount": amount},
            )
            if not created:
                MissedRightsMonth.objects.filter(pk=row.pk).update(
                    screened=F("screened") + screened, missed=F("missed") + missed, amount=F("amount") + amount
                )


def screening_done(sender, month: dt.date, table: list[dict], screened: dict[str, int], **kwargs) -> None:
    """Receiver of relais.rights.screening.screening_done: a batch screening's aggregates become missed rights
    per commune and benefit (households that seem entitled: the file cannot say they already receive it)."""
    counts = {
        (row["commune"], row["prestation"]): (
            screened.get(row["commune"], 0),
            row["menages"],
            row["montant_mensuel_total"],
        )
        for row in table
    }
    if counts:
        record_missed_rights(month, counts)
