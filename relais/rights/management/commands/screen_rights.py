"""./manage.py screen_rights households.csv --out results.csv: batch screening of many households.

One row per person in, one row per household out (relais.rights.screening documents the
columns). Households are simulated together in vectorised chunks; a broken row skips only its
household, and the report (printed, and written with --report) lists what was skipped.
The results and the report hold personal data: they are written readable by their owner only (0600).
"""

import os
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from relais.rights.engine import RIGHTS_CHUNK
from relais.rights.screening import screen, write_rows

PRIVATE_FILE = 0o600


def _private(path, flags):
    return os.open(path, flags, PRIVATE_FILE)


class Command(BaseCommand):
    help = "Dépiste les droits d’un fichier CSV de ménages (une ligne par personne)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV d’entrée (une ligne par personne, colonne menage).")
        parser.add_argument("--out", required=True, help="CSV de sortie (une ligne par ménage).")
        parser.add_argument("--report", help="Fichier texte où écrire le rapport (ménages ignorés).")
        parser.add_argument("--chunk", type=int, default=RIGHTS_CHUNK, help="Ménages par simulation (mémoire).")

    def handle(self, *args, file, out, report, chunk, **options):
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
        except FileNotFoundError:
            raise CommandError(f"{file} : fichier introuvable.") from None
        except UnicodeDecodeError:
            raise CommandError(f"{file} : le fichier doit être encodé en UTF-8.") from None
        started = time.perf_counter()
        try:
            rows, summary = screen(text, chunk=chunk)
        except ValueError as exc:
            raise CommandError(f"{file} : {exc}") from None
        with open(out, "w", encoding="utf-8", newline="", opener=_private) as handle:
            os.chmod(handle.fileno(), PRIVATE_FILE)  # also when the file was there before, with another mode
            write_rows(rows, handle)
        elapsed = time.perf_counter() - started
        lines = summary.lines()
        lines.insert(1, f"{elapsed:.1f} s, résultats dans {out}")
        if report:
            with open(report, "w", encoding="utf-8", opener=_private) as handle:
                os.chmod(handle.fileno(), PRIVATE_FILE)
                handle.write("\n".join(lines) + "\n")
        for line in lines:
            self.stdout.write(line)
