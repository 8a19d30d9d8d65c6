"""./manage.py load_demo_plan [--today YYYY-MM-DD]: the demo plans of Lyon and Metz (structure from the
sources, actions and figures invented « (démo) ») and their demo accounts; only when RELAIS_DEMO is on.
Run after load_demo (it links actions to the demo offer's services)."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from relais.demo import plan as demo


class Command(BaseCommand):
    help = _("Charge les plans de démonstration (Lyon, Metz) et leurs comptes de démonstration.")

    def add_arguments(self, parser):
        parser.add_argument("--today", help=_("date du jour de la démo (AAAA-MM-JJ)"))

    def handle(self, *args, **options):
        if not settings.RELAIS_DEMO:
            raise CommandError(_("RELAIS_DEMO est désactivé : les données de démonstration ne sont pas chargées."))
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(_("--today : une date AAAA-MM-JJ")) from None
        report = demo.load(today=today)
        self.stdout.write(
            _(
                "Plans de démonstration chargés ({plans}) : {actions} actions, {values} valeurs d’indicateurs ; comptes : {accounts}."
            ).format(
                plans=", ".join(report.plans),
                actions=report.actions,
                values=report.values,
                accounts=", ".join(report.accounts),
            )
        )
