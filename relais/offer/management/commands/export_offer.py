"""./manage.py export_offer PATH [--format json|csv|xlsx] [--extensions] [--source S] [--template]

Exports the published offer in the data·inclusion v1 formats. The format follows PATH's suffix
(.json, .xlsx, .zip for both CSV files in an archive); a directory, or --format csv, gets
structures.csv and services.csv. `--template out.xlsx` writes the empty workbook partners fill in.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from relais.offer import exporter


class Command(BaseCommand):
    help = _("Exporte l’offre publiée au format data·inclusion v1 (JSON, CSV ou XLSX), ou le modèle XLSX vide.")

    def add_arguments(self, parser):
        parser.add_argument("path", help=_("fichier .json, .xlsx ou .zip, ou dossier pour les CSV"))
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], help=_("par défaut : selon l’extension"))
        parser.add_argument(
            "--extensions", action="store_true", help=_("ajouter les champs Relais (colonnes relais_*)")
        )
        parser.add_argument("--source", help=_("n’exporter que les fiches de cette source"))
        parser.add_argument("--template", action="store_true", help=_("écrire le modèle XLSX vide à remplir"))

    def handle(self, *args, **options):
        path = Path(options["path"])
        suffix = path.suffix.lower()
        fmt = options["format"] or {".json": "json", ".xlsx": "xlsx", ".zip": "csv", ".csv": "csv"}.get(
            suffix, "csv" if (path.is_dir() or not suffix) else None
        )
        if options["template"]:
            if suffix != ".xlsx":
                raise CommandError(_("--template : le chemin doit se terminer par .xlsx"))
            with path.open("wb") as stream:
                exporter.export_template(stream, extensions=options["extensions"])
            self.stdout.write(_("Modèle écrit : {path}").format(path=path))
            return
        if fmt is None:
            raise CommandError(_("format inconnu pour {path} : utilisez --format json, csv ou xlsx").format(path=path))
        opts = {"extensions": options["extensions"], "source": options["source"]}
        if fmt == "json":
            with path.open("w", encoding="utf-8") as stream:
                exporter.export_json(stream, **opts)
        elif fmt == "xlsx":
            with path.open("wb") as stream:
                exporter.export_xlsx(stream, **opts)
        elif suffix == ".zip":
            with path.open("wb") as stream:
                exporter.export_csv_zip(stream, **opts)
        else:
            if path.suffix:
                raise CommandError(_("pour le CSV, donnez un dossier ou un fichier .zip"))
            exporter.export_csv(path, **opts)
        counts = {
            kind: exporter.queryset(kind, source=options["source"]).count() for kind in ("structures", "services")
        }
        self.stdout.write(
            _("{structures} structures et {services} services exportés dans {path}").format(path=path, **counts)
        )
