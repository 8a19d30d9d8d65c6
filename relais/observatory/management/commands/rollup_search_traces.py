"""Turn search traces older than RELAIS_SEARCH_TRACE_DAYS into monthly counts, and forget old counts.

Dry run unless --wet-run. Run it daily or monthly from cron (docs/data-traces.md).
"""

import datetime as dt
from collections import defaultdict

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from relais.observatory.models import SearchNeedMonth, SearchTrace

AGGREGATE_YEARS = 5


def _months_ago(day: dt.date, years: int) -> dt.date:
    return day.replace(day=1, year=day.year - years)


class Command(BaseCommand):
    help = (
        "Add search traces older than RELAIS_SEARCH_TRACE_DAYS to the monthly counts and delete them; delete "
        f"monthly counts older than {AGGREGATE_YEARS} years (dry run unless --wet-run)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--wet-run",
            action="store_true",
            help="Apply the changes. Without it, the command only prints what it would do (dry run).",
        )

    def handle(self, *args, wet_run=False, **options):
        today = timezone.localdate()
        cutoff = today - dt.timedelta(days=settings.RELAIS_SEARCH_TRACE_DAYS)
        old = SearchTrace.objects.filter(day__lt=cutoff)
        cells: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
        rows = old.values_list(
            "day", "commune_code", "epci_code", "departement_code", "thematiques", "channel", "eligible"
        )
        traces = 0
        for day, commune, epci, departement, thematiques, channel, eligible in rows.iterator(chunk_size=5000):
            traces += 1
            for thematique in thematiques or ():
                cell = cells[(day.replace(day=1), commune, epci, departement, thematique, channel)]
                cell[0] += 1
                cell[1] += eligible == 0
        expired = SearchNeedMonth.objects.filter(month__lt=_months_ago(today, AGGREGATE_YEARS))
        if not wet_run:
            self.stdout.write(
                f"[dry run] {traces} search trace(s) older than {cutoff} would be added to {len(cells)} monthly "
                f"count(s) and deleted; {expired.count()} monthly count(s) older than {AGGREGATE_YEARS} years "
                "would be deleted. Add --wet-run to apply."
            )
            return
        with transaction.atomic():
            for (month, commune, epci, departement, thematique, channel), (searches, unmet) in cells.items():
                row, created = SearchNeedMonth.objects.get_or_create(
                    month=month,
                    commune_code=commune,
                    thematique=thematique,
                    channel=channel,
                    defaults={"epci_code": epci, "departement_code": departement, "searches": searches, "unmet": unmet},
                )
                if not created:
                    SearchNeedMonth.objects.filter(pk=row.pk).update(
                        searches=F("searches") + searches, unmet=F("unmet") + unmet
                    )
            deleted_traces = old.delete()[0]
            deleted_counts = expired.delete()[0]
        self.stdout.write(
            f"{deleted_traces} search trace(s) older than {cutoff} added to {len(cells)} monthly count(s) and deleted; "
            f"{deleted_counts} monthly count(s) older than {AGGREGATE_YEARS} years deleted."
        )
