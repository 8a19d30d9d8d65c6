"""./manage.py import_plan PATH [PATH …] [--plan SLUG] [--dry-run] [--actor EMAIL]

Imports a whole plan from its spreadsheet (XLSX, or CSV files named by sheet). All or nothing: with any
fault, nothing is written and every fault is listed by file, sheet, row and column.
"""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from relais.accounts.models import User
from relais.steering import planfiles
from relais.steering.importer import import_plan


class Command(BaseCommand):
    help = _("Importe un plan (axes, actions, pilotes, partenaires, territoires, budgets, indicateurs), tout ou rien.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", help=_("un classeur .xlsx, ou des fichiers .csv nommés par feuille"))
        parser.add_argument("--plan", help=_("identifiant du plan (sinon : feuille plan, clé identifiant)"))
        parser.add_argument("--dry-run", action="store_true", help=_("vérifier et compter sans rien enregistrer"))
        parser.add_argument("--actor", help=_("adresse électronique de la personne qui importe (historique)"))

    def handle(self, *args, **options):
        actor = None
        if options["actor"]:
            actor = User.objects.filter(email__iexact=options["actor"]).first()
            if actor is None:
                raise CommandError(_("--actor : aucun compte avec l’adresse {email}").format(email=options["actor"]))
        sources = planfiles.from_paths(options["paths"])
        report = import_plan(sources, plan_slug=options["plan"], dry_run=options["dry_run"], actor=actor)
        for warning in report.warnings:
            self.stderr.write(_("attention : {w}").format(w=warning))
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            raise CommandError(_("{n} défaut(s) : rien n’a été enregistré.").format(n=len(report.errors)))
        summary = " ; ".join(
            _("{kind} : {created} créées, {updated} mises à jour, {unchanged} inchangées").format(**row)
            for row in report.table()
        )
        prefix = _("Simulation, rien n’a été enregistré. ") if report.dry_run else ""
        self.stdout.write(prefix + summary + f" ({report.seconds:.1f} s)")
