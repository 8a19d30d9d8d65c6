"""./manage.py load_demo [--today YYYY-MM-DD]

Replaces the demo offer (Métropole de Lyon, and Metz Métropole when its communes are loaded) and
the demo accounts, in one transaction: previous demo rows are deleted, other rows are never
touched. Refuses to run unless RELAIS_DEMO is on. Needs the communes (manage.py load_territories).
"""

import datetime as dt
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from relais import demo


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(_("--today : date attendue au format AAAA-MM-JJ, reçu {v!r}").format(v=value)) from None


class Command(BaseCommand):
    help = _("Charge l’offre et les comptes de démonstration (remplace les précédents, jamais les vraies données).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--today", type=str, help=_("date de référence des dates relatives (AAAA-MM-JJ), aujourd’hui par défaut")
        )

    def handle(self, *args, **options):
        if not settings.RELAIS_DEMO:
            raise CommandError(_("RELAIS_DEMO est désactivé : les données de démonstration ne sont pas chargées."))
        if not any(demo.places_of(region) for region in demo.REGIONS):
            raise CommandError(
                _(
                    "Aucune commune de la Métropole de Lyon ni de Metz Métropole : lancez d’abord manage.py load_territories."
                )
            )
        today = _date(options["today"]) if options["today"] else None
        started = time.monotonic()
        report = demo.load(today=today)
        self.stdout.write(
            _(
                "Démo chargée ({regions}) : {structures} structures, {services} services, {closures} fermetures "
                "ou messages, {aids} aides, en {seconds:.1f} s."
            ).format(
                regions=", ".join(report.regions),
                structures=report.structures,
                services=report.services,
                closures=report.closures,
                aids=report.aids,
                seconds=time.monotonic() - started,
            )
        )
        self.stdout.write(
            _("Comptes de démonstration (mot de passe {password}) : {accounts}").format(
                password=demo.DEMO_PASSWORD, accounts=", ".join(report.accounts)
            )
        )
        if report.territory:
            self.stdout.write(_("moderation@demo.relais modère : {t}").format(t=report.territory))
