"""./manage.py check_law: is the law in use current? (scripts/test.sh runs it)

Prints, for every benefit the results show, the parameter families it rests on, the date of
their latest value in the law in use (the pinned OpenFisca-France plus law_updates.toml) and
their revaluation calendar; then the reviewed updates (applied, or skipped because the package
already has them: remove them then), and the overdue parameters. Exits with an error when an
overdue parameter has neither an update nor a reviewed « en attente » note in law_updates.toml.
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from relais.rights import freshness, law_updates
from relais.rights.benefits import BENEFITS
from relais.rights.system import applied_updates, versions


def _calendar(family: freshness.Family) -> str:
    if not family.calendar:
        return "pas de revalorisation périodique"
    return ", ".join(f"{day:02d}/{month:02d}" for month, day in family.calendar)


class Command(BaseCommand):
    help = "Vérifie que les paramètres de la législation utilisée sont à jour (revalorisations attendues)."

    def add_arguments(self, parser):
        parser.add_argument("--date", help="Date de référence AAAA-MM-JJ (défaut : aujourd’hui).")

    def handle(self, *args, **options):
        try:
            on = dt.date.fromisoformat(options["date"]) if options["date"] else dt.date.today()
        except ValueError:
            raise CommandError(f"--date : « {options['date']} » n’est pas une date AAAA-MM-JJ.") from None
        try:
            law_updates.read()
            applied = applied_updates()
        except law_updates.LawUpdateError as exc:
            raise CommandError(str(exc)) from None
        write = self.stdout.write
        write(f"Législation : OpenFisca-France {versions()['openfisca_france']}, au {on.isoformat()}")
        statuses = {s.family.key: s for s in freshness.statuses(on)}
        for benefit in BENEFITS:
            write(f"\n{benefit.code} ({benefit.name})")
            for key in freshness.BENEFIT_FAMILIES[benefit.code]:
                s = statuses[key]
                state = "EN RETARD" if s.overdue else "à jour"
                write(
                    f"  {state:9} {key}: dernière valeur {s.latest.isoformat()} ; revalorisation {_calendar(s.family)}"
                )
        write("\nMises à jour relues (law_updates.toml) :")
        for entry in applied:
            u = entry.update
            verb = "appliquée" if entry.applied else "DÉJÀ DANS LE PAQUET, à retirer du fichier"
            write(f"  {u.parametre} = {u.valeur:g} au {u.debut.isoformat()} : {verb} ({u.relu_par}, {u.relu_le})")
        late = [s for s in statuses.values() if s.overdue]
        unreviewed = [s for s in late if s.pending is None]
        write("\nParamètres en retard :" if late else "\nAucun paramètre en retard.")
        for s in late:
            note = f"en attente, relu par {s.pending.relu_par} le {s.pending.relu_le}" if s.pending else "NON RELU"
            write(
                f"  {s.family.key}: attendu au {s.expected.isoformat()}, dernière valeur {s.latest.isoformat()} ({note})"
            )
        if unreviewed:
            raise CommandError(
                "Paramètres en retard sans mise à jour ni note « en_attente » dans law_updates.toml : "
                + ", ".join(s.family.key for s in unreviewed)
            )
