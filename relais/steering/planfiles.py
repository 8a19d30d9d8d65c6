"""Reading a plan's spreadsheet: one XLSX workbook with one sheet per kind, or CSV files named by sheet.

Sheets (and CSV file names): plan, axes, actions, budgets, indicateurs, valeurs (docs/adr/0011-steering.md
lists their columns). Headers are matched without case or accents; row numbers are the spreadsheet's,
header included (the first record is row 2). Cells are kept as read (numbers, dates or text): the
importer parses them, so that "12 k€" or "31/02/2026" are named in the report instead of guessed.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from django.utils.translation import gettext as _

SHEETS = ("plan", "axes", "actions", "budgets", "indicateurs", "valeurs")
COLUMNS = {
    "plan": ("cle", "valeur"),
    "axes": ("code", "intitule", "parent", "ordre", "description"),
    "actions": (
        "code",
        "axe",
        "intitule",
        "description",
        "objectifs",
        "pilote_compte",
        "pilote_nom",
        "pilote_fonction",
        "pilote_public",
        "partenaires",
        "territoires",
        "action_locale_de",
        "statut",
        "meteo",
        "priorite",
        "participation",
        "debut",
        "fin",
        "publics",
        "thematiques",
        "etiquettes",
        "mode_avancement",
        "avancement",
        "poids",
    ),
    "budgets": ("action", "annee", "prevu", "depense"),
    "indicateurs": (
        "code",
        "nom",
        "unite",
        "source",
        "methode",
        "periodicite",
        "referent",
        "actions",
        "calcul",
        "parametre",
        "observatoire",
    ),
    "valeurs": ("indicateur", "territoire", "type", "date", "valeur", "commentaire", "source"),
}
PLAN_KEYS = ("identifiant", "nom", "collectivite", "debut", "fin", "description", "source", "territoires", "agregation")
MAX_ROWS = 200_000


@dataclass
class Source:
    name: str
    open: Callable[[], BinaryIO]

    @property
    def suffix(self) -> str:
        return Path(self.name).suffix.lower().lstrip(".")


@dataclass(frozen=True)
class Issue:
    """A fault, named by file, sheet, row and column when known."""

    message: str
    source: str = ""
    sheet: str = ""
    row: int | None = None
    column: str = ""

    def __str__(self):
        parts = [p for p in (self.source, self.sheet) if p]
        if self.row is not None:
            parts.append(_("ligne %(row)s") % {"row": self.row})
        if self.column:
            parts.append(_("colonne %(column)s") % {"column": self.column})
        prefix = ", ".join(parts)
        return f"{prefix} : {self.message}" if prefix else self.message


@dataclass
class Row:
    source: str
    sheet: str
    number: int
    cells: dict


@dataclass
class Workbook:
    rows: dict = field(default_factory=lambda: {sheet: [] for sheet in SHEETS})
    issues: list[Issue] = field(default_factory=list)


@functools.lru_cache(maxsize=4096)
def _key(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower().strip()
    out = "".join(ch if ch.isalnum() else "_" for ch in text)
    while "__" in out:
        out = out.replace("__", "_")
    return out.strip("_")


def key(text) -> str:
    """A header or a vocabulary word without case, accents or spaces: "Pilote (nom)" -> "pilote_nom"."""
    return _key(str(text or ""))


def _records(source: str, sheet: str, rows, book: Workbook) -> None:
    header = None
    for number, values in enumerate(rows, start=1):
        values = list(values)
        if header is None:
            header = [key(v) for v in values]
            unknown = [h for h in header if h and h not in COLUMNS[sheet]]
            for name in unknown:
                book.issues.append(Issue(_("colonne inconnue « %(name)s »") % {"name": name}, source, sheet, 1, name))
            continue
        if all(v is None or str(v).strip() == "" for v in values):
            continue
        if number > MAX_ROWS:
            book.issues.append(Issue(_("trop de lignes (%(max)s au plus)") % {"max": MAX_ROWS}, source, sheet, number))
            return
        cells = {h: v for h, v in zip(header, values, strict=False) if h}
        book.rows[sheet].append(Row(source, sheet, number, cells))
    if header is None:
        book.issues.append(Issue(_("feuille vide"), source, sheet))


def _xlsx(source: Source, book: Workbook) -> None:
    from openpyxl import load_workbook  # heavy: loaded only when a workbook comes, like relais/offer/exporter.py

    try:
        with source.open() as handle:
            workbook = load_workbook(io.BytesIO(handle.read()), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a broken file
        book.issues.append(Issue(_("ce fichier n’est pas un classeur XLSX lisible"), source.name))
        return
    found = False
    for worksheet in workbook.worksheets:
        sheet = key(worksheet.title)
        if sheet not in SHEETS:
            book.issues.append(
                Issue(_("feuille inconnue « %(name)s » (ignorée)") % {"name": worksheet.title}, source.name)
            )
            continue
        found = True
        _records(source.name, sheet, worksheet.iter_rows(values_only=True), book)
    workbook.close()
    if not found:
        book.issues.append(
            Issue(_("aucune feuille attendue (%(sheets)s)") % {"sheets": ", ".join(SHEETS)}, source.name)
        )


def _csv(source: Source, book: Workbook) -> None:
    sheet = key(Path(source.name).stem)
    if sheet not in SHEETS:
        book.issues.append(
            Issue(
                _("nom de fichier CSV inattendu : nommez-le d’après sa feuille (%(sheets)s)")
                % {"sheets": ", ".join(SHEETS)},
                source.name,
            )
        )
        return
    with source.open() as handle:
        raw = handle.read()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        book.issues.append(Issue(_("le fichier n’est pas en UTF-8"), source.name, sheet))
        return
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)  # the header's separator: spreadsheets write ; or ,
    _records(source.name, sheet, csv.reader(io.StringIO(text), delimiter=delimiter), book)


def read(sources: list[Source]) -> Workbook:
    book = Workbook()
    for source in sources:
        if source.suffix == "xlsx":
            _xlsx(source, book)
        elif source.suffix == "csv":
            _csv(source, book)
        else:
            book.issues.append(Issue(_("format non pris en charge : XLSX ou CSV"), source.name))
    return book


def from_paths(paths) -> list[Source]:
    return [Source(str(Path(p).name), lambda p=p: open(p, "rb")) for p in paths]  # noqa: SIM115


def from_uploads(files) -> list[Source]:
    return [Source(f.name, lambda f=f: _rewound(f)) for f in files]


def _rewound(upload):
    upload.seek(0)
    return upload


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    return str(value).strip()
