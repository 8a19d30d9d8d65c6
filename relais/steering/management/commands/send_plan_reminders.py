"""./manage.py send_plan_reminders [--wet-run] [--every DAYS]

Reminds the pilots whose actions have not answered an open reporting campaign (due date not passed),
at most once every DAYS days (7 by default). Prints what it would send; sends nothing without --wet-run.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.steering import actions


class Command(BaseCommand):
    help = _("Relance les pilotes qui n’ont pas répondu à une campagne en cours (simulation sans --wet-run).")

    def add_arguments(self, parser):
        parser.add_argument("--wet-run", action="store_true", help=_("envoyer vraiment les relances"))
        parser.add_argument("--every", type=int, default=7, help=_("jours au moins entre deux relances"))

    def handle(self, *args, **options):
        wet_run = options["wet_run"]
        total = 0
        for campaign in actions.campaigns_to_remind(timezone.localdate()):
            for email, codes in actions.remind(campaign, wet_run=wet_run, min_days=max(1, options["every"])):
                total += 1
                self.stdout.write(f"{campaign.title} → {email} : {', '.join(codes)}")
        if wet_run:
            self.stdout.write(_("{n} relance(s) envoyée(s).").format(n=total))
        else:
            self.stdout.write(_("{n} relance(s) à envoyer. Ajoutez --wet-run pour les envoyer.").format(n=total))
