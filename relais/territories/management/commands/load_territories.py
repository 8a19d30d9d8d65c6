"""./manage.py load_territories [--lyon-metz-only] [--territories CSV ...] [--overwrite-territories] [--dry-run]

Loads the committed territory referential (relais/territories/data/, see SOURCES.md there) in one transaction:
every commune and arrondissement of France (COG), the communes of the Métropole de Lyon and Metz Métropole
with their contours, then the local territories (by default Lyon's conférences territoriales des maires).
data·inclusion files are national, so their commune, EPCI and département codes are checked against all of
France. --lyon-metz-only loads the Lyon and Metz communes alone. Upserts in bulk: running it twice changes
nothing. Territories already in the database (same slug) are kept as edited in the admin unless
--overwrite-territories is given. Nothing is downloaded.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.translation import gettext as _

from relais.territories import loaders


class Command(BaseCommand):
    help = _(
        "Charge le référentiel des territoires (toutes les communes de France, contours de la Métropole de Lyon "
        "et de Metz Métropole, territoires locaux) depuis les fichiers du dépôt."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--lyon-metz-only",
            action="store_true",
            help=_(
                "ne charge que les communes de la Métropole de Lyon et de Metz Métropole (pas le reste de la France)"
            ),
        )
        parser.add_argument(
            "--territories",
            action="append",
            metavar="CSV",
            help=_(
                "fichier CSV de territoires (slug, name, kind, epci, communes, to_check, source) ; "
                "répétable ; par défaut les conférences territoriales des maires de Lyon"
            ),
        )
        parser.add_argument("--no-territories", action="store_true", help=_("ne charge aucun territoire local"))
        parser.add_argument(
            "--overwrite-territories",
            action="store_true",
            help=_("remplace les territoires existants par le contenu du fichier (sinon ils sont conservés)"),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("vérifie et compte sans rien enregistrer"))

    def handle(self, *args, **options):
        started = time.monotonic()
        csv_paths = [] if options["no_territories"] else [Path(p) for p in options["territories"] or []]
        if not options["no_territories"] and not options["territories"]:
            csv_paths = [loaders.LYON_TERRITORIES_FILE]
        try:
            france = not options["lyon_metz_only"]
            files = [loaders.FRANCE_FILE.name, loaders.LYON_METZ_FILE.name] if france else [loaders.LYON_METZ_FILE.name]
            referentials = [(" + ".join(files), loaders.read_default(france=france))]
            territory_files = [(path, loaders.read_territories_csv(path)) for path in csv_paths]
            with transaction.atomic():
                for name, ref in referentials:
                    counts = loaders.load_referential(ref)
                    self.stdout.write(
                        _("%(file)s : départements %(dep)s ; EPCI %(epci)s ; communes %(communes)s.")
                        % {
                            "file": name,
                            "dep": counts["departements"],
                            "epci": counts["epci"],
                            "communes": counts["communes"],
                        }
                    )
                source = referentials[-1][1].source
                if source.get("cog_year"):
                    self.stdout.write(
                        _("Géographie : COG %(cog)s ; populations municipales %(pop)s (voir SOURCES.md).")
                        % {"cog": source["cog_year"], "pop": source.get("population_year")}
                    )
                for path, rows in territory_files:
                    loaded = loaders.load_territories(rows, path.name, overwrite=options["overwrite_territories"])
                    self.stdout.write(_("%(file)s : territoires %(counts)s.") % {"file": path.name, "counts": loaded})
                    if loaded.kept:
                        self.stdout.write(
                            _(
                                "Des territoires déjà présents et différents du fichier sont conservés ; --overwrite-territories les remplace."
                            )
                        )
                    self._warn_uncovered(rows)
                if options["dry_run"]:
                    transaction.set_rollback(True)
        except loaders.LoadError as exc:
            raise CommandError(
                _("Rien n’a été enregistré.")
                + "\n"
                + "\n".join(exc.errors[:50])
                + ("\n…" if len(exc.errors) > 50 else "")
            ) from None
        seconds = time.monotonic() - started
        if options["dry_run"]:
            self.stdout.write(_("Essai à blanc : rien n’a été enregistré (%(s).1f s).") % {"s": seconds})
        else:
            self.stdout.write(_("Référentiel chargé en %(s).1f s.") % {"s": seconds})

    def _warn_uncovered(self, rows):
        for epci, kind in {(r.epci, r.kind) for r in rows if r.epci and r.kind}:
            missing = loaders.communes_outside_territories(epci, kind)
            if missing:
                self.stdout.write(
                    _("Attention : communes de l’EPCI %(epci)s hors de tout territoire « %(kind)s » : %(codes)s")
                    % {"epci": epci, "kind": kind, "codes": ", ".join(sorted(missing))}
                )
