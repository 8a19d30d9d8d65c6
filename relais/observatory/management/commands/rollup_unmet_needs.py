"""Add the search traces of the days since the last run to the monthly unmet-needs counts (incremental).

Run daily from cron, before rollup_search_traces deletes old traces (docs/data-traces.md).
"""

from django.core.management.base import BaseCommand

from relais.observatory.signals import rollup_unmet_needs


class Command(BaseCommand):
    help = "Add the search traces of the days since the last run (up to yesterday) to the monthly unmet needs."

    def handle(self, *args, **options):
        cells, until = rollup_unmet_needs()
        self.stdout.write(f"{cells} monthly cell(s) updated; traces counted up to {until}.")
