"""Batch screening: a CSV of households (one row per person) in, one row of rights per household out.

Input columns (UTF-8, comma or semicolon separated; household fields repeated or given on the
household's first row):

    menage, mois, commune, logement, loyer, couple, epargne,
    personne, role, date_naissance, age, situation, scolarite, taux_incapacite,
    salaire_net, chomage_net, retraite_nette, pension_invalidite, pension_alimentaire_recue,
    chiffre_affaires

A broken row (a number that is not one, an unknown value) skips its household with a message
naming the row and the column; the rest of the file runs. The report lists every skipped household.
"""

import csv
import io
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from relais.rights.benefits import BENEFITS
from relais.rights.simulate import simulate_households
from relais.territories.cog import is_commune_code
from relais.territories.places import DatabaseCommunes, Reading, read_place

HOUSEHOLD_COLUMNS = ["mois", "commune", "logement", "loyer", "couple", "epargne"]
PERSON_COLUMNS = ["personne", "role", "date_naissance", "age", "situation", "scolarite", "taux_incapacite"]
INCOME_COLUMNS = [
    "salaire_net", "chomage_net", "retraite_nette", "pension_invalidite", "pension_alimentaire_recue", "chiffre_affaires",
]  # fmt: skip
REQUIRED = ["menage", "commune", "role"]
NUMBERS = {"loyer", "epargne", "age", "taux_incapacite", *INCOME_COLUMNS}
INTEGERS = {"age", "taux_incapacite"}


@dataclass
class Report:
    simulated: int = 0
    skipped: list[str] = field(default_factory=list)  # one message per skipped household
    notes: list[str] = field(default_factory=list)  # how a place was read, when it could be read otherwise

    def lines(self) -> list[str]:
        head = _("%(ok)s ménage(s) simulé(s), %(ko)s ignoré(s).") % {"ok": self.simulated, "ko": len(self.skipped)}
        return [head, *self.skipped, *self.notes]


def _number(text: str, column: str, row: int):
    value = text.strip().replace(",", ".").replace(" ", "")
    try:
        return int(value) if column in INTEGERS else float(value)
    except ValueError:
        raise ValueError(
            _("ligne %(row)s, colonne %(col)s : « %(value)s » n’est pas un nombre.")
            % {"row": row, "col": column, "value": text}
        ) from None


def read_households(text: str) -> tuple[list[tuple[str, dict]], dict[str, str]]:
    """Households as dicts, keyed by `menage`; and row errors by household id."""
    # The delimiter from the header line: csv.Sniffer gives up on a file whose rows differ (a
    # broken row), and a broken row must only skip its household.
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = ";" if header.count(";") > header.count(",") else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(_("colonnes obligatoires absentes : %(cols)s.") % {"cols": ", ".join(missing)})
    households: dict[str, dict] = {}
    errors: dict[str, str] = {}
    for row_number, row in enumerate(reader, start=2):
        key = (row.get("menage") or "").strip()
        if not key:
            errors[f"ligne {row_number}"] = _("ligne %(row)s : colonne menage vide.") % {"row": row_number}
            continue
        if None in row:  # more cells than columns
            errors.setdefault(key, _("ligne %(row)s : plus de cellules que de colonnes.") % {"row": row_number})
            continue
        if key in errors:
            continue
        try:
            household = households.setdefault(key, {"personnes": []})
            for column in HOUSEHOLD_COLUMNS:
                value = (row.get(column) or "").strip()
                if value and column not in household and column not in ("logement", "loyer"):
                    household[column] = _number(value, column, row_number) if column in NUMBERS else value
            if (row.get("logement") or "").strip():
                household.setdefault("logement", {})["statut"] = row["logement"].strip()
            if (row.get("loyer") or "").strip():
                household.setdefault("logement", {})["loyer"] = _number(row["loyer"], "loyer", row_number)
            person = {"id": (row.get("personne") or "").strip() or f"ligne-{row_number}"}
            for column in PERSON_COLUMNS[1:]:
                value = (row.get(column) or "").strip()
                if value:
                    person[column] = _number(value, column, row_number) if column in NUMBERS else value
            incomes = {}
            for column in INCOME_COLUMNS:
                value = (row.get(column) or "").strip()
                if value:
                    incomes[column] = _number(value, column, row_number)
            if incomes:
                person["revenus"] = incomes
            person["_row"] = row_number
            household["personnes"].append(person)
        except ValueError as exc:
            errors[key] = str(exc)
            households.pop(key, None)
    return [(k, v) for k, v in households.items() if k not in errors], errors


def _read_communes(households: list[tuple[str, dict]], errors: dict[str, str], report: Report) -> None:
    """Each household's `commune` through the territories' resolver: five digits are a postal code first
    (people type postal codes), the code Insee reading noted in the report; « Nom (code) » is a code Insee.
    A value the referential does not know is left as it is (OpenFisca's list may know the code)."""
    source = DatabaseCommunes()
    readings: dict[str, Reading] = {}
    for key, household in households:
        value = str(household.get("commune") or "")
        if not value:
            continue
        reading = readings.get(value) or readings.setdefault(value, read_place(value, source))
        row = household["personnes"][0]["_row"] if household["personnes"] else "?"
        if reading.found is not None:
            household["commune"] = reading.found.code
            if reading.others:
                other = reading.others[0]
                report.notes.append(
                    _(
                        "ménage %(id)s, ligne %(row)s, colonne commune : « %(value)s » lu comme le code postal de "
                        "%(commune)s ; pour %(other)s, écrivez « %(other)s (%(code)s) »."
                    )
                    % {
                        "id": key,
                        "row": row,
                        "value": value,
                        "commune": reading.found.name,
                        "other": other.name,
                        "code": other.code,
                    }
                )
        elif reading.matches:
            names = ", ".join(f"{m.name} ({m.code})" for m in reading.matches)
            errors[key] = _(
                "ligne %(row)s, colonne commune : « %(value)s » désigne plusieurs communes (%(names)s) : écrivez "
                "l’une d’elles comme « Nom (code) »."
            ) % {"row": row, "value": value, "names": names}
        elif not is_commune_code(value):
            errors[key] = _("ligne %(row)s, colonne commune : commune « %(value)s » inconnue.") % {
                "row": row,
                "value": value,
            }


def _row_of(household: dict, problem: dict) -> str:
    for person in household["personnes"]:
        if problem.get("personne") and person["id"] == problem["personne"]:
            return _("ligne %(row)s") % {"row": person["_row"]}
    return _("ligne %(row)s") % {"row": household["personnes"][0]["_row"]} if household["personnes"] else ""


OUTPUT_COLUMNS = [
    "menage",
    "statut",
    *[b.code for b in BENEFITS],
    "css_forme",
    "total_mensuel",
    "aides_locales",
    "erreur",
]


def screen(
    text: str, *, chunk: int | None = None, places: dict | None = None, on_progress=None
) -> tuple[list[dict], Report]:
    """Rows of results (one per household, skipped ones included with their error) and the report.

    `on_progress(done, total)` is called after each simulated chunk and at the end (households
    of the file that could be read; those skipped for a broken row are not counted).
    """
    households, errors = read_households(text)
    report = Report()
    _read_communes(households, errors, report)
    households = [(key, household) for key, household in households if key not in errors]
    rows = [{"menage": key, "statut": "ignore", "erreur": message} for key, message in errors.items()]
    for key, message in errors.items():
        report.skipped.append(_("ménage %(id)s ignoré : %(msg)s") % {"id": key, "msg": message})
    payloads = []
    for _key, household in households:
        payloads.append(
            {**household, "personnes": [{k: v for k, v in p.items() if k != "_row"} for p in household["personnes"]]}
        )
    kwargs = {"chunk": chunk} if chunk else {}
    outcomes = simulate_households(payloads, places=places, on_progress=on_progress, detail=False, **kwargs)
    for (key, household), outcome in zip(households, outcomes, strict=True):
        if outcome.problems:
            message = " ; ".join(f"{_row_of(household, p)} : {p['message']}" for p in outcome.problems)
            rows.append({"menage": key, "statut": "ignore", "erreur": message})
            report.skipped.append(_("ménage %(id)s ignoré : %(msg)s") % {"id": key, "msg": message})
            continue
        result = outcome.result
        row = {"menage": key, "statut": "ok", "total_mensuel": result["total_mensuel"], "erreur": ""}
        for item in result["prestations"]:
            row[item["code"]] = item.get("participation_mensuelle") if item["code"] == "css" else item["montant"]
            if item["code"] == "css":
                row["css_forme"] = item["forme"] or ""
        row["aides_locales"] = ";".join(a["id"] for a in result["aides_locales"] if a["eligible"])
        rows.append(row)
        report.simulated += 1
    return rows, report


def write_rows(rows: list[dict], handle) -> None:
    writer = csv.DictWriter(handle, fieldnames=OUTPUT_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
