"""Load the Insee data shipped in relais/observatory/data/ (SOURCE.md) into the observatory.

Idempotent and fast: a file already loaded (same SHA-256) is skipped; a changed file is upserted.
`make run` calls it after load_territories. Rows of codes the referential does not know (the source's
known gaps, SOURCE.md) are listed and skipped.
"""

import hashlib

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from relais.observatory import importers
from relais.observatory.catalogue import DATA
from relais.observatory.models import Dataset
from relais.territories.models import Commune

# The dossier first: the base file then gives P16_POP of the communes as published (the dossier adds float noise).
SHIPPED = ("dossier_complet_light_57_69.csv", "base_cc_comparateur_57_69.csv")


class Command(BaseCommand):
    help = "Load the Insee indicators shipped with Relais (Lyon, Metz: départements 57 and 69); idempotent."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Read the files even if already loaded.")

    def handle(self, *args, force=False, **options):
        if not Commune.objects.exists():
            raise CommandError("the commune referential is empty: run ./manage.py load_territories first")
        referential = None
        for name in SHIPPED:
            content = (DATA / name).read_bytes()
            digest = hashlib.sha256(content).hexdigest()
            if not force and Dataset.objects.filter(sha256=digest).exists():
                self.stdout.write(f"{name}: already loaded")
                continue
            referential = referential or importers.Referential()
            plan = importers.parse_insee(name, content.decode("utf-8"), referential, skip_unknown=True)
            if plan.faults:
                for line in importers.report(plan, dry_run=True):
                    self.stderr.write(line)
                raise CommandError(f"{name}: refused")
            with transaction.atomic():
                importers.apply(plan, source=f"Insee ({name})")
                Dataset.objects.update_or_create(sha256=digest, defaults={"name": name, "cells": len(plan.cells)})
            for line in importers.report(plan, dry_run=False):
                self.stdout.write(line)
