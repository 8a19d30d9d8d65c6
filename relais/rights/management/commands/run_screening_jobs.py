"""./manage.py run_screening_jobs: the worker of the batch screening upload page.

Runs the pending screening jobs one after the other (relais.rights.jobs), then waits for new ones,
checking every --interval seconds. With --once it runs what is pending and stops (for cron). Several
workers may run side by side: each job is claimed by one of them only. The law (OpenFisca) is built
on the first job, not at start-up, so an idle worker stays small; with --warm-up (`make run`) it is built
when the worker starts, so that the first job starts in seconds rather than a minute.
"""

import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from relais.rights import jobs, warmup


class Command(BaseCommand):
    help = "Traite les dépistages par fichier en attente (boucle ; --once : une seule passe)."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="Traiter ce qui attend, puis s’arrêter.")
        parser.add_argument("--interval", type=float, default=2.0, help="Secondes entre deux vérifications.")
        parser.add_argument(
            "--warm-up", action="store_true", help="Charger la réglementation au démarrage (premier dépistage rapide)."
        )

    def handle(self, *args, once=False, interval=2.0, warm_up=False, **options):
        if interval <= 0:
            raise CommandError("--interval: must be more than 0 seconds")
        if warm_up:
            self.stdout.write(f"Rights engine warmed up in {warmup.warm_up():.1f} s")
        stopping = []

        def stop(signum, frame):
            stopping.append(signum)

        if not once:
            signal.signal(signal.SIGTERM, stop)
            signal.signal(signal.SIGINT, stop)
        total = 0
        while True:
            if not once:  # a long-lived worker: drop a connection the database closed meanwhile
                close_old_connections()
            ran = jobs.run_pending(limit=1 if not once else None)
            total += ran
            if ran:
                self.stdout.write(f"{total} screening job(s) run")
            if once:
                break
            if not ran:
                slept = 0.0
                while slept < interval and not stopping:
                    time.sleep(0.2)
                    slept += 0.2
            if stopping:
                break
        if once:
            self.stdout.write(f"{total} screening job(s) run.")
