"""./manage.py export_plan SLUG PATH [--format xlsx|csv|json]: the plan as open data (no personal data)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from relais.steering import exporter
from relais.steering.models import Plan


class Command(BaseCommand):
    help = _("Exporte un plan en données ouvertes (XLSX, CSV en ZIP, JSON), sans donnée personnelle.")

    def add_arguments(self, parser):
        parser.add_argument("plan", help=_("identifiant du plan"))
        parser.add_argument("path", help=_("fichier à écrire"))
        parser.add_argument("--format", choices=exporter.FORMATS, default="xlsx")

    def handle(self, *args, **options):
        plan = Plan.objects.filter(slug=options["plan"]).first()
        if plan is None:
            raise CommandError(_("plan inconnu : {slug}").format(slug=options["plan"]))
        content, _type, _name = exporter.export(plan, options["format"])
        Path(options["path"]).write_bytes(content)
        self.stdout.write(_("{path} écrit ({size} octets).").format(path=options["path"], size=len(content)))
