"""Steering figures without identities: where the offer is missing or saturated.

Counts of sent referrals by service, territory, status, refusal reason, outcome and situation, and
the structures' response delay. Only anonymous columns are read (never a name, contact, reason or
attachment), so anonymised referrals count exactly like the others. The observatory reads
`referral_statistics`; steering staff see it at /orientations/pilotage/ and /api/v1/referrals/statistics.
"""

from __future__ import annotations

import datetime as dt
import statistics as pystats
from collections import defaultdict

from django.db.models import Count
from django.utils import timezone

from relais.referrals.models import Outcome, Referral, RefusalReason, Situation, Status
from relais.territories.models import Commune, Territory

COUNTED = [Status.SENT, Status.ACCEPTED, Status.REFUSED, Status.EXPIRED, Status.CLOSED, Status.CANCELLED]


def _start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _territory_codes(territory: Territory) -> set[str]:
    listed = set(territory.communes.values_list("code", flat=True))
    return listed | set(Commune.objects.filter(parent__in=listed).values_list("code", flat=True))


# Dates outside these bounds select the same referrals as the bounds themselves, and stay convertible to UTC
# in every engine (year 1 or 9999 would overflow).
EARLIEST, LATEST = dt.date(1900, 1, 1), dt.date(9000, 12, 31)


def sent_referrals(since: dt.date | None = None, until: dt.date | None = None, territory: Territory | None = None):
    since = min(max(since, EARLIEST), LATEST) if since else None
    until = min(max(until, EARLIEST), LATEST) if until else None
    queryset = Referral.objects.filter(sent_at__isnull=False)
    if since:
        queryset = queryset.filter(sent_at__gte=_start(since))
    if until:
        queryset = queryset.filter(sent_at__lt=_start(until + dt.timedelta(days=1)))
    if territory is not None:
        queryset = queryset.filter(commune_code__in=sorted(_territory_codes(territory)))
    return queryset


def _by_status_row(counts: dict) -> dict:
    row = {status: counts.get(status, 0) for status in COUNTED}
    row["total"] = sum(row.values())
    answered = row[Status.ACCEPTED] + row[Status.CLOSED] + row[Status.REFUSED]
    row["refusal_rate"] = round(row[Status.REFUSED] / answered, 3) if answered else None
    return row


def _delays(queryset) -> dict:
    pairs = queryset.filter(answered_at__isnull=False).values_list("sent_at", "answered_at")
    days = sorted((answered - sent).total_seconds() / 86400 for sent, answered in pairs)
    if not days:
        return {"answered": 0, "median_days": None, "p90_days": None, "mean_days": None}
    p90 = days[min(len(days) - 1, int(round(0.9 * (len(days) - 1))))]
    return {
        "answered": len(days),
        "median_days": round(pystats.median(days), 1),
        "p90_days": round(p90, 1),
        "mean_days": round(pystats.fmean(days), 1),
    }


def _labelled(rows, field: str, choices) -> list[dict]:
    labels = dict(choices)
    return [
        {"value": row[field], "label": str(labels.get(row[field], row[field])), "count": row["n"]}
        for row in rows
        if row[field]
    ]


def referral_statistics(
    since: dt.date | None = None, until: dt.date | None = None, territory: Territory | None = None
) -> dict:
    """Anonymous aggregates of the referrals sent between `since` and `until` (inclusive)."""
    queryset = sent_referrals(since, until, territory)

    by_status = dict(queryset.values_list("status").annotate(n=Count("pk")).order_by())

    services: dict = defaultdict(lambda: {"counts": {}})
    for row in (
        queryset.values("service_id", "service__nom", "structure__nom", "status").annotate(n=Count("pk")).order_by()
    ):
        entry = services[row["service_id"]]
        entry.update(
            service_id=row["service_id"], service=row["service__nom"] or "", structure=row["structure__nom"] or ""
        )
        entry["counts"][row["status"]] = entry["counts"].get(row["status"], 0) + row["n"]
    by_service = sorted(
        ({k: v for k, v in e.items() if k != "counts"} | _by_status_row(e["counts"]) for e in services.values()),
        key=lambda r: (-r["total"], r["service"]),
    )

    by_commune: dict = defaultdict(dict)
    for row in queryset.values("commune_code", "status").annotate(n=Count("pk")).order_by():
        by_commune[row["commune_code"]][row["status"]] = row["n"]
    by_territory = []
    territories = [territory] if territory is not None else list(Territory.objects.order_by("name"))
    for item in territories:
        counts: dict = defaultdict(int)
        for code in _territory_codes(item) & set(by_commune):
            for status, n in by_commune[code].items():
                counts[status] += n
        by_territory.append({"territory": item.name, "slug": item.slug} | _by_status_row(counts))

    refusal = queryset.filter(status=Status.REFUSED).values("refusal_reason").annotate(n=Count("pk")).order_by("-n")
    outcomes = queryset.filter(status=Status.CLOSED).values("outcome").annotate(n=Count("pk")).order_by("-n")
    situations = queryset.values("situation").annotate(n=Count("pk")).order_by("-n")
    return {
        "since": since,
        "until": until,
        "territory": territory.slug if territory is not None else None,
        "totals": _by_status_row(by_status),
        "by_status": [
            {"value": status.value, "label": str(status.label), "count": by_status.get(status, 0)} for status in COUNTED
        ],
        "by_service": by_service,
        "by_territory": by_territory,
        "refusal_reasons": _labelled(refusal, "refusal_reason", RefusalReason.choices),
        "outcomes": _labelled(outcomes, "outcome", Outcome.choices),
        "situations": _labelled(situations, "situation", Situation.choices),
        "response_delay": _delays(queryset),
    }
