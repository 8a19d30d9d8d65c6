"""Importing indicator values, with the offer import's discipline.

Two formats, told apart by their header:
- Insee's own files (Comparateur de territoires, Dossier complet): `;`, a CODGEO column, then one column per
  variable; a decimal comma or point; `s` = statistical secret; empty = not available. Columns the catalogue
  maps (indicators.toml `columns`) are read, the others are listed as ignored.
- A plain file for the collectivité's own figures: columns `code, indicator, vintage, value` (CSV with `,`
  or `;`, or XLSX); `s` and empty as above.

`parse_*` read the whole file and return a Plan: the cells to write and every fault (row, column, reason).
`apply(plan)` writes the cells in one transaction, only when there is no fault: a bad file is refused whole.
Writing the same file again changes nothing (upsert on indicator × level × code × vintage).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import load_workbook

from relais.observatory import catalogue
from relais.observatory.models import IndicatorValue, Level, Status
from relais.territories.models import Commune, Departement, Epci

MERGED = Path(__file__).resolve().parent / "data" / "merged_communes.csv"
NUMBER = re.compile(r"^-?\d+([.,]\d+)?$")
PLAIN_COLUMNS = ("code", "indicator", "vintage", "value")
MAX_FAULTS_SHOWN = 200


@dataclass(frozen=True)
class Fault:
    row: int  # 1 = the header line
    column: str
    reason: str

    def __str__(self):
        return _("ligne %(row)s, colonne « %(column)s » : %(reason)s") % {
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
        }


@dataclass
class Plan:
    name: str
    cells: dict = field(default_factory=dict)  # (indicator, level, code, vintage) -> (status, value, row)
    faults: list[Fault] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    rows: int = 0
    skipped_rows: list[tuple[int, str, str]] = field(default_factory=list)  # (row, code, reason), when asked
    written: dict = field(default_factory=lambda: {"created": 0, "updated": 0, "unchanged": 0})

    @property
    def ok(self) -> bool:
        return not self.faults

    def counts_by_status(self) -> dict[str, int]:
        counts = {Status.VALUE: 0, Status.SECRET: 0, Status.NOT_AVAILABLE: 0}
        for status, _value, _row in self.cells.values():
            counts[status] += 1
        return counts


def merged_communes() -> dict[str, tuple[str, str, str]]:
    with MERGED.open(encoding="utf-8") as handle:
        return {row["old_code"]: (row["new_code"], row["new_name"], row["since"]) for row in csv.DictReader(handle)}


class Referential:
    """The codes an imported file may use, read once: communes and arrondissements, EPCI, départements."""

    def __init__(self):
        self.communes = dict(Commune.objects.values_list("code", "kind"))
        self.epcis = set(Epci.objects.values_list("code", flat=True))
        self.departements = set(Departement.objects.values_list("code", flat=True))
        self.merged = merged_communes()

    def level(self, code: str) -> tuple[str | None, str | None]:
        """(level, None) for a known code, else (None, the reason in French)."""
        if code in self.communes:
            kind = self.communes[code]
            return (Level.ARRONDISSEMENT if kind == Commune.Kind.ARRONDISSEMENT else Level.COMMUNE), None
        if code in self.merged:
            new_code, new_name, since = self.merged[code]
            return None, _(
                "commune fusionnée : « %(code)s » fait partie de %(name)s (%(new)s) depuis le %(since)s ; "
                "donnez la valeur de la commune nouvelle sous le code %(new)s"
            ) % {"code": code, "name": new_name, "new": new_code, "since": since}
        if code in self.epcis:
            return Level.EPCI, None
        if code in self.departements:
            return Level.DEPARTEMENT, None
        if not self.communes:
            return None, _("le référentiel des communes est vide : lancez d’abord ./manage.py load_territories")
        return None, _(
            "code « %(code)s » inconnu : ni une commune ou un arrondissement du Code officiel géographique, "
            "ni un EPCI, ni un département"
        ) % {"code": code}


def parse_value(text) -> tuple[str | None, float | None, str | None]:
    """(status, value, None) or (None, None, reason): `s` secret, empty not available, 0 is a value."""
    if text is None:
        return Status.NOT_AVAILABLE, None, None
    if isinstance(text, bool):
        return None, None, _("« %(value)s » n’est pas un nombre") % {"value": text}
    if isinstance(text, int | float):
        if text < 0:
            return None, None, _("valeur négative « %(value)s » : attendu un nombre positif ou nul") % {"value": text}
        return Status.VALUE, float(text), None
    text = str(text).strip()
    if text == "":
        return Status.NOT_AVAILABLE, None, None
    if text.lower() == "s":
        return Status.SECRET, None, None
    if text.endswith("%"):
        return (
            None,
            None,
            _("« %(value)s » : écrivez le nombre sans le signe %% (par exemple « 12,5 » pour 12,5 %%)")
            % {"value": text},
        )
    compact = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if not NUMBER.match(compact):
        return (
            None,
            None,
            _(
                "« %(value)s » n’est pas un nombre (attendu 1234, 12,5 ou 12.5 ; « s » pour le secret statistique ; "
                "vide si non disponible)"
            )
            % {"value": text},
        )
    number = float(compact.replace(",", "."))
    if number < 0:
        return None, None, _("valeur négative « %(value)s » : attendu un nombre positif ou nul") % {"value": text}
    return Status.VALUE, number, None


def _add(plan: Plan, key: tuple, status: str, value, row: int, column: str) -> None:
    if key in plan.cells:
        first = plan.cells[key][2]
        plan.faults.append(
            Fault(
                row,
                column,
                _("deux valeurs pour la même case (%(indicator)s, %(code)s, %(vintage)s) : déjà donnée ligne %(first)s")
                % {"indicator": key[0], "code": key[2], "vintage": key[3], "first": first},
            )
        )
        return
    plan.cells[key] = (status, value, row)


def _sniff(text: str) -> str:
    first = text.split("\n", 1)[0]
    return ";" if first.count(";") >= first.count(",") else ","


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    return content.decode("latin-1")


def _combine(parts: list[tuple[str, float | None]]) -> tuple[str, float | None]:
    statuses = [status for status, _v in parts]
    if Status.SECRET in statuses:
        return Status.SECRET, None
    if Status.NOT_AVAILABLE in statuses:
        return Status.NOT_AVAILABLE, None
    return Status.VALUE, sum(v for _s, v in parts)


def parse_insee(name: str, text: str, referential: Referential, skip_unknown: bool = False) -> Plan:
    """An Insee file (CODGEO then variables). `skip_unknown`: rows of unknown codes are listed, not faults
    (only for the files shipped with Relais, whose known gaps their source note lists)."""
    plan = Plan(name)
    reader = csv.reader(io.StringIO(text), delimiter=_sniff(text))
    header = [h.strip() for h in next(reader, [])]
    if "CODGEO" not in header:
        plan.faults.append(Fault(1, "CODGEO", _("colonne CODGEO absente : ce n’est pas un fichier Insee")))
        return plan
    mapping = catalogue.insee_columns()
    positions = {name: index for index, name in enumerate(header)}
    plan.ignored_columns = [h for h in header if h != "CODGEO" and h not in mapping]
    # indicator -> vintage -> columns, for the indicators every column of which is in the file
    wanted: dict[tuple[str, int], list[str]] = {}
    for column, targets in mapping.items():
        for indicator_id, vintage in targets:
            wanted.setdefault((indicator_id, vintage), []).append(column)
    wanted = {key: cols for key, cols in wanted.items() if all(c in positions for c in cols)}
    code_at = positions["CODGEO"]
    for row_number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        plan.rows += 1
        if len(row) != len(header):
            plan.faults.append(
                Fault(
                    row_number,
                    "*",
                    _("%(found)s champs au lieu de %(expected)s") % {"found": len(row), "expected": len(header)},
                )
            )
            continue
        code = row[code_at].strip()
        level, reason = referential.level(code)
        if level is None:
            if skip_unknown:
                plan.skipped_rows.append((row_number, code, reason))
            else:
                plan.faults.append(Fault(row_number, "CODGEO", reason))
            continue
        _read_insee_row(plan, row, row_number, positions, wanted, level, code)
    return plan


def _read_insee_row(plan: Plan, row, row_number: int, positions: dict, wanted: dict, level: str, code: str) -> None:
    parsed: dict[str, tuple[str, float | None]] = {}
    for columns in wanted.values():
        for column in columns:
            if column in parsed:
                continue
            status, value, reason = parse_value(row[positions[column]])
            if reason:
                plan.faults.append(Fault(row_number, column, reason))
                parsed[column] = (Status.NOT_AVAILABLE, None)
            else:
                parsed[column] = (status, value)
    for (indicator_id, vintage), columns in wanted.items():
        status, value = _combine([parsed[c] for c in columns])
        _add(plan, (indicator_id, level, code, vintage), status, value, row_number, "+".join(columns))


def _plain_rows(name: str, content: bytes) -> tuple[list[str], list[list]]:
    if name.lower().endswith(".xlsx"):
        sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        rows = [list(r) for r in sheet.iter_rows(values_only=True)]
    else:
        text = _decode(content)
        rows = list(csv.reader(io.StringIO(text), delimiter=_sniff(text)))
    header = [str(h or "").strip().lower() for h in (rows[0] if rows else [])]
    return header, rows[1:]


def parse_plain(name: str, content: bytes, referential: Referential, today: dt.date | None = None) -> Plan:
    """A `code, indicator, vintage, value` file (CSV or XLSX)."""
    plan = Plan(name)
    today = today or timezone.localdate()
    header, rows = _plain_rows(name, content)
    missing = [c for c in PLAIN_COLUMNS if c not in header]
    if missing:
        plan.faults.append(
            Fault(1, ", ".join(missing), _("colonnes attendues : %(columns)s") % {"columns": ", ".join(PLAIN_COLUMNS)})
        )
        return plan
    at = {c: header.index(c) for c in PLAIN_COLUMNS}
    plan.ignored_columns = [h for h in header if h not in PLAIN_COLUMNS]
    known = catalogue.catalogue()
    for row_number, row in enumerate(rows, start=2):
        cells = {c: (row[at[c]] if at[c] < len(row) else None) for c in PLAIN_COLUMNS}
        if all(v is None or str(v).strip() == "" for v in cells.values()):
            continue
        plan.rows += 1
        before = len(plan.faults)
        code = str(cells["code"] or "").strip()
        if isinstance(cells["code"], int | float) and not isinstance(cells["code"], bool):
            code = str(int(cells["code"])).zfill(5) if cells["code"] < 100000 else str(int(cells["code"]))
        level, reason = referential.level(code)
        if level is None:
            plan.faults.append(Fault(row_number, "code", reason))
        indicator_id = str(cells["indicator"] or "").strip()
        if indicator_id not in known:
            plan.faults.append(
                Fault(row_number, "indicator", _("indicateur « %(id)s » absent du catalogue") % {"id": indicator_id})
            )
        elif known[indicator_id].is_ratio:
            plan.faults.append(
                Fault(
                    row_number,
                    "indicator",
                    _("« %(id)s » est un ratio calculé par Relais : importez son numérateur et son dénominateur")
                    % {"id": indicator_id},
                )
            )
        vintage = _vintage(cells["vintage"], today, plan, row_number)
        status, value, reason = parse_value(cells["value"])
        if reason:
            plan.faults.append(Fault(row_number, "value", reason))
        if len(plan.faults) == before:
            _add(plan, (indicator_id, level, code, vintage), status, value, row_number, "value")
    return plan


def _vintage(raw, today: dt.date, plan: Plan, row_number: int) -> int | None:
    text = str(raw if raw is not None else "").strip()
    if text.endswith(".0"):
        text = text[:-2]
    if not text.isdigit() or not 1800 <= int(text) <= 9999:
        plan.faults.append(
            Fault(row_number, "vintage", _("millésime « %(value)s » : attendu une année (2022)") % {"value": text})
        )
        return None
    if int(text) > today.year:
        plan.faults.append(
            Fault(
                row_number,
                "vintage",
                _("millésime %(value)s dans le futur (nous sommes en %(year)s)") % {"value": text, "year": today.year},
            )
        )
        return None
    return int(text)


def parse_file(name: str, content: bytes, referential: Referential | None = None, skip_unknown: bool = False) -> Plan:
    referential = referential or Referential()
    if name.lower().endswith(".xlsx"):
        return parse_plain(name, content, referential)
    text = _decode(content)
    first = text.split("\n", 1)[0].upper()
    if "CODGEO" in first:
        return parse_insee(name, text, referential, skip_unknown=skip_unknown)
    return parse_plain(name, content, referential)


def apply(plan: Plan, source: str = "") -> Plan:
    """Write the plan's cells in one transaction (upsert); refused (nothing written) if it has faults."""
    if plan.faults:
        raise ValueError("a plan with faults is never written")
    keys = list(plan.cells)
    with transaction.atomic():
        existing = {}
        indicators = sorted({k[0] for k in keys})
        for row in IndicatorValue.objects.filter(indicator__in=indicators).values_list(
            "indicator", "level", "code", "vintage", "status", "value"
        ):
            existing[row[:4]] = row[4:]
        now = IndicatorValue._meta.get_field("imported_at").get_db_prep_save(timezone.now(), connection)
        label = (source or plan.name)[:200]
        to_write = []
        for key, (status, value, _row) in plan.cells.items():
            before = existing.get(key)
            if before == (status, value):
                plan.written["unchanged"] += 1
                continue
            plan.written["updated" if before else "created"] += 1
            to_write.append((*key, status, value, label, now))
        _upsert(to_write)
    return plan


UPSERT_COLUMNS = ("indicator", "level", "code", "vintage", "status", "value", "source", "imported_at")


def _upsert(rows: list[tuple]) -> None:
    """INSERT … ON CONFLICT DO UPDATE with executemany (SQLite and PostgreSQL): Django's bulk_create cuts the
    rows into batches of 111 on SQLite (999 parameters), ten times slower on a national file."""
    table = connection.ops.quote_name(IndicatorValue._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in UPSERT_COLUMNS)
    sql = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(UPSERT_COLUMNS))})"
    conflict = (
        " ON CONFLICT (indicator, level, code, vintage) DO UPDATE SET status = excluded.status, "
        "value = excluded.value, source = excluded.source, imported_at = excluded.imported_at"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 50_000):
            chunk = rows[start : start + 50_000]
            if connection.vendor == "postgresql":
                # one statement per chunk: executemany costs a round trip per row on PostgreSQL
                columns_of = [list(column) for column in zip(*chunk, strict=True)]
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT * FROM unnest(%s::varchar[], %s::varchar[], "
                    "%s::varchar[], %s::smallint[], %s::varchar[], %s::float8[], %s::varchar[], %s::timestamptz[])"
                    + conflict,
                    columns_of,
                )
            else:
                cursor.executemany(sql + conflict, chunk)


def report(plan: Plan, dry_run: bool, verbose: bool = False) -> list[str]:
    """The import's report in French: totals, every fault (row, column, reason), per row when verbose."""
    counts = plan.counts_by_status()
    lines = [
        _(
            "%(name)s : %(rows)s ligne(s) lue(s), %(cells)s case(s) : %(values)s valeur(s), %(secret)s secret(s), "
            "%(na)s non disponible(s)."
        )
        % {
            "name": plan.name,
            "rows": plan.rows,
            "cells": len(plan.cells),
            "values": counts[Status.VALUE],
            "secret": counts[Status.SECRET],
            "na": counts[Status.NOT_AVAILABLE],
        }
    ]
    if plan.ignored_columns:
        lines.append(
            _("Colonnes ignorées (hors catalogue) : %(columns)s.") % {"columns": ", ".join(plan.ignored_columns)}
        )
    for row, code, reason in plan.skipped_rows:
        lines.append(_("ligne %(row)s ignorée (%(code)s) : %(reason)s") % {"row": row, "code": code, "reason": reason})
    if plan.faults:
        lines.append(_("Fichier refusé, rien n’a été écrit : %(n)s erreur(s).") % {"n": len(plan.faults)})
        lines.extend(str(fault) for fault in plan.faults[:MAX_FAULTS_SHOWN])
        if len(plan.faults) > MAX_FAULTS_SHOWN:
            lines.append(_("… et %(n)s autre(s).") % {"n": len(plan.faults) - MAX_FAULTS_SHOWN})
        return lines
    if verbose:
        for (indicator_id, _level, code, vintage), (status, value, row) in sorted(
            plan.cells.items(), key=lambda item: item[1][2]
        ):
            shown = value if status == Status.VALUE else Status(status).label
            lines.append(f"  ligne {row} {code} {indicator_id} {vintage} : {shown}")
    if dry_run:
        lines.append(_("Essai à blanc : rien n’a été écrit."))
    else:
        lines.append(
            _("Écrit : %(created)s case(s) créée(s), %(updated)s modifiée(s), %(unchanged)s inchangée(s).")
            % plan.written
        )
    return lines
