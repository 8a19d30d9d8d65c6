"""./manage.py refresh_plan_indicators [--wet-run]: today's value of every indicator Relais computes itself
(relais/steering/sources.py), for the whole plan and each of its territories. Dry run unless --wet-run."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.steering import actions
from relais.steering.models import Indicator


class Command(BaseCommand):
    help = _("Met à jour les indicateurs calculés par Relais (simulation sans --wet-run).")

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help=_("enregistrer les valeurs"))

    def handle(self, *args, **options):
        today = timezone.localdate()
        computed = Indicator.objects.exclude(computed_source="").select_related("plan").order_by("plan__slug", "code")
        with transaction.atomic():
            for indicator in computed:
                written = actions.refresh_computed(indicator, today, indicator.plan.territories.all())
                figures = ", ".join(f"{v.territory or indicator.plan.name}={v.value.normalize()}" for v in written)
                self.stdout.write(f"{indicator.plan.slug} {indicator.code}: {figures}")
            if not options["wet_run"]:
                transaction.set_rollback(True)
                self.stdout.write(_("Simulation : rien n’a été enregistré. Ajoutez --wet-run."))
