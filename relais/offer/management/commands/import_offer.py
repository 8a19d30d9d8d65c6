"""./manage.py import_offer PATH [PATH …] [--dry-run] [--extensions] [--actor EMAIL]

Imports structures and services in the data·inclusion v1 formats (JSON, CSV, XLSX, a directory or
a ZIP of them). All or nothing: with any error, nothing is written and every error is listed.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from relais.accounts.models import User
from relais.offer.importer import import_offer
from relais.offer.offerfiles import sources_from_paths


class Command(BaseCommand):
    help = _("Importe des structures et services au format data·inclusion v1 (JSON, CSV, XLSX), tout ou rien.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help=_("fichiers .json, .csv, .xlsx, .zip ou dossiers"))
        parser.add_argument("--dry-run", action="store_true", help=_("vérifier et compter sans rien enregistrer"))
        parser.add_argument(
            "--extensions", action="store_true", help=_("importer aussi les champs Relais (colonnes relais_*)")
        )
        parser.add_argument("--actor", help=_("adresse électronique de la personne qui importe (historique)"))

    def handle(self, *args, **options):
        actor = None
        if options["actor"]:
            actor = User.objects.filter(email__iexact=options["actor"]).first()
            if actor is None:
                raise CommandError(_("--actor : aucun compte avec l’adresse {email}").format(email=options["actor"]))
        sources = sources_from_paths(options["paths"])
        report = import_offer(sources, dry_run=options["dry_run"], extensions=options["extensions"], actor=actor)
        for warning in report.warnings:
            self.stderr.write(_("attention : {w}").format(w=warning))
        for error in report.errors:
            self.stderr.write(str(error))
        if report.hidden_errors:
            self.stderr.write(_("… et {n} autres erreurs").format(n=report.hidden_errors))
        if not report.ok:
            raise CommandError(_("{n} erreur(s) : rien n’a été enregistré.").format(n=report.error_count))
        prefix = _("Simulation, rien n’a été enregistré. ") if report.dry_run else ""
        self.stdout.write(prefix + report.summary() + _(" ({s:.1f} s)").format(s=report.seconds))
