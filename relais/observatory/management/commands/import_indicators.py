"""Import indicator values from Insee files or `code,indicator,vintage,value` CSV/XLSX (relais/observatory/importers.py).

    ./manage.py import_indicators fichier.csv [autre.xlsx ...] [--dry-run] [--verbose]

One transaction for all the files: one bad cell anywhere and nothing is written (every fault is listed).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from relais.observatory import importers


class Command(BaseCommand):
    help = "Import indicator values (Insee CSV, or code,indicator,vintage,value CSV/XLSX); --dry-run writes nothing."

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+")
        parser.add_argument("--dry-run", action="store_true", help="Read and check only; write nothing.")
        parser.add_argument("--verbose", action="store_true", help="One line per cell read.")

    def handle(self, *args, files, dry_run=False, verbose=False, **options):
        referential = importers.Referential()
        plans = []
        for name in files:
            path = Path(name)
            if not path.is_file():
                raise CommandError(f"{name}: file not found")
            plans.append(importers.parse_file(path.name, path.read_bytes(), referential))
        refused = any(plan.faults for plan in plans)
        if not refused and not dry_run:
            with transaction.atomic():
                for plan in plans:
                    importers.apply(plan)
        for plan in plans:
            for line in importers.report(plan, dry_run or refused, verbose):
                self.stdout.write(line)
        if refused:
            raise CommandError("refused: nothing was written (see the faults above)")
