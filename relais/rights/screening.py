"""Batch screening: a CSV of households (one row per person) in, one row of rights per household out.

Input columns (UTF-8, comma or semicolon separated; household fields repeated or given on the
household's first row):

    menage, mois, commune, logement, loyer, couple, epargne,
    personne, role, date_naissance, age, situation, scolarite, taux_incapacite,
    salaire_net, chomage_net, retraite_nette, pension_invalidite, pension_alimentaire_recue,
    chiffre_affaires

The commune may be what a CCAS file holds: a code Insee, a postal code, a commune's name (« Lyon 8e »,
« Villeurbanne ») or an address ending with the postal code and the town; the territory referential
resolves it (relais.territories.geo.resolve_place), and the report says, row by row, how each commune
was read (an address is never copied into the report: only its postal code).

A broken row (a number that is not one, an unknown value, a commune nobody knows) skips its household
with a message naming the row and the column; the rest of the file runs. The report lists every skipped
household.
"""

import csv
import io
import re
from dataclasses import dataclass, field

from django.dispatch import Signal
from django.utils.translation import gettext as _

from relais.rights.benefits import BENEFITS
from relais.rights.simulate import simulate_households
from relais.territories.cog import is_commune_code
from relais.territories.places import DatabaseCommunes, Reading, read_place
from relais.textinput import csv_safe

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
    places: list[str] = field(default_factory=list)  # how the commune of each row was read
    notes: list[str] = field(default_factory=list)  # a place that could be read otherwise

    def lines(self) -> list[str]:
        head = _("%(ok)s ménage(s) simulé(s), %(ko)s ignoré(s).") % {"ok": self.simulated, "ko": len(self.skipped)}
        return [head, *self.skipped, *self.notes, *([_("Communes lues :")] + self.places if self.places else [])]


_POSTAL_IN_ADDRESS = re.compile(r"\b(\d{5})\b\s*(.*)$")


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


def _reading(value: str, source, readings: dict) -> tuple[Reading, str]:
    """The territories' reading of a commune cell and how to say it in the report. An address is read by its
    postal code and the town after it (never copied into the report)."""
    if value not in readings:
        reading = read_place(value, source)
        how = {
            "code": _("code Insee"),
            "postal": _("code postal %(cp)s") % {"cp": value},
            "name": _("nom « %(name)s »") % {"name": value},
            "arrondissement": _("nom « %(name)s »") % {"name": value},
        }.get(reading.how, "")
        address = _POSTAL_IN_ADDRESS.search(value)
        if reading.found is None and not reading.matches and address:
            postal, town = address[1], address[2].strip(" ,")
            by_town = read_place(town, source) if town else None
            postal_codes = {row.code for row in source.with_postal_code(postal)}
            if by_town is not None and by_town.found is not None and by_town.found.code in postal_codes:
                reading = by_town
            else:
                reading = read_place(postal, source)
            how = _("adresse (code postal %(cp)s)") % {"cp": postal}
        readings[value] = (reading, how)
    return readings[value]


def read_communes(households: list[tuple[str, dict]], errors: dict[str, str], report: Report) -> None:
    """Each household's `commune` through the territories' resolver (relais/territories/places.py): five digits
    are a postal code first (people type postal codes), the code Insee reading noted in the report; « Nom (code) »
    is a code Insee; an address is read by its postal code. Each row's reading goes in the report. A code the
    referential does not know is left as it is (OpenFisca's list may know it)."""
    source = DatabaseCommunes()
    readings: dict[str, tuple[Reading, str]] = {}
    for key, household in households:
        value = str(household.get("commune") or "")
        if not value:
            continue
        reading, how = _reading(value, source, readings)
        row = household["personnes"][0]["_row"] if household["personnes"] else "?"
        if reading.found is not None:
            household["commune"] = reading.found.code
            report.places.append(
                _("ligne %(row)s : %(name)s (%(code)s), lu comme %(how)s")
                % {"row": row, "name": reading.found.name, "code": reading.found.code, "how": how}
            )
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
        elif is_commune_code(value):
            report.places.append(
                _("ligne %(row)s : %(code)s, lu comme %(how)s")
                % {"row": row, "code": value.upper(), "how": _("code Insee (hors référentiel)")}
            )
        else:
            shown = "…" if _POSTAL_IN_ADDRESS.search(value) else value[:40]
            errors[key] = _(
                "ligne %(row)s, colonne commune : commune « %(value)s » inconnue (indiquez un nom, un code postal "
                "ou un code Insee)."
            ) % {"row": row, "value": shown}


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
    read_communes(households, errors, report)
    households = [(key, household) for key, household in households if key not in errors]
    rows = [{"menage": key, "statut": "ignore", "erreur": message} for key, message in errors.items()]
    for key, message in errors.items():
        report.skipped.append(_("ménage %(id)s ignoré : %(msg)s") % {"id": key, "msg": message})
    payloads = []
    for _key, household in households:
        payloads.append(
            {
                **household,
                "personnes": [{k: v for k, v in p.items() if k != "_row"} for p in household["personnes"]],
            }
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
        row["_commune"] = household.get("commune", "")
        rows.append(row)
        report.simulated += 1
    return rows, report


TEXT_COLUMNS = ("menage", "erreur")  # what comes from the file: a spreadsheet must not run it as a formula


def write_rows(rows: list[dict], handle) -> None:
    writer = csv.DictWriter(handle, fieldnames=OUTPUT_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for row in rows:
        writer.writerow({**row, **{c: csv_safe(row[c]) for c in TEXT_COLUMNS if isinstance(row.get(c), str)}})


COMMUNE_COLUMNS = ["commune", "prestation", "menages", "montant_mensuel_total"]


def by_commune(rows: list[dict]) -> list[dict]:
    """What the CCAS needs, without any household: per commune and benefit, how many households seem
    entitled and the monthly total (aids the file cannot say are already received: probably not claimed).
    A benefit with an amount of 0 (or the CSS with a participation) counts when the household is entitled."""
    table: dict[tuple[str, str], list] = {}
    for row in rows:
        if row.get("statut") != "ok":
            continue
        for benefit in BENEFITS:
            value = row.get(benefit.code)
            if value in (None, "") or (benefit.code != "css" and not value):
                continue
            if benefit.code == "css" and not row.get("css_forme"):
                continue
            entry = table.setdefault((row["_commune"], benefit.code), [0, 0.0])
            entry[0] += 1
            if benefit.periodicity == "mensuelle" and benefit.code != "css":
                entry[1] += float(value)
    return [
        {"commune": commune, "prestation": code, "menages": n, "montant_mensuel_total": round(total, 2)}
        for (commune, code), (n, total) in sorted(table.items())
    ]


def screened_by_commune(rows: list[dict]) -> dict[str, int]:
    """How many households were simulated per commune (the denominator of the table above)."""
    counts: dict[str, int] = {}
    for row in rows:
        if row.get("statut") == "ok":
            counts[row["_commune"]] = counts.get(row["_commune"], 0) + 1
    return counts


# Sent when a batch screening is done, with aggregates only: `month` (the first day of the job's month),
# `table` (by_commune's rows) and `screened` (screened_by_commune). The observatory, a layer above, keeps
# the missed rights per commune and benefit from it (docs/data-traces.md); rights never imports it.
screening_done = Signal()


def write_communes(table: list[dict], handle) -> None:
    writer = csv.DictWriter(handle, fieldnames=COMMUNE_COLUMNS)
    writer.writeheader()
    writer.writerows(table)
