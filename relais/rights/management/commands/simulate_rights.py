"""./manage.py simulate_rights FILE.json: the rights of one household (or a list of households).

Prints the results as JSON (the same as POST /api/v1/rights/simulate). Invalid answers stop
with the messages naming each person and field.
"""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from relais.rights.simulate import simulate_households


class Command(BaseCommand):
    help = "Simule les droits d’un ménage décrit en JSON (ou d’une liste de ménages)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Fichier JSON : un ménage, ou une liste de ménages.")
        parser.add_argument("--passes", type=int, default=2, help="Passes du régime stationnaire (défaut 2).")

    def handle(self, *args, file, passes, **options):
        path = Path(file)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise CommandError(f"{file} : fichier introuvable.") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise CommandError(f"{file} : JSON invalide ({exc}).") from None
        single = not isinstance(data, list)
        outcomes = simulate_households([data] if single else data, passes=passes)
        problems = [(o.index, p["message"]) for o in outcomes if o.problems for p in o.problems]
        if single and problems:
            raise CommandError("\n".join(message for _, message in problems))
        for index, message in problems:
            self.stderr.write(f"ménage n° {index + 1} ignoré : {message}")
        results = [o.result for o in outcomes if o.result is not None]
        self.stdout.write(json.dumps(results[0] if single else results, ensure_ascii=False, indent=2))
