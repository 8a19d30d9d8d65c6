"""./manage.py purge_screening_jobs --wet-run: delete the files of expired screening jobs (cron).

The uploaded households and their results are personal data: they expire
`RELAIS_SCREENING_RETENTION_HOURS` after the job ends (one hour after the first download of the
results). Dry run unless --wet-run: it then only says what it would delete.
"""

from django.core.management.base import BaseCommand

from relais.rights import jobs


class Command(BaseCommand):
    help = "Supprime les fichiers des dépistages expirés (simulation sans --wet-run)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--wet-run", action="store_true", help="Supprimer vraiment. Sans cette option : dire ce qui le serait."
        )

    def handle(self, *args, wet_run=False, **options):
        report = jobs.purge_expired(wet_run=wet_run)
        if wet_run:
            self.stdout.write(f"{report.files} file(s) of {report.jobs} expired screening job(s) deleted.")
        else:
            self.stdout.write(
                f"[dry run] {report.files} file(s) of {report.jobs} expired screening job(s) would be deleted. "
                "Add --wet-run to apply."
            )
