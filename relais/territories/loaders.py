"""Read the committed referential files and upsert them, in bulk, into the database.

Readers validate every row and raise `LoadError` with messages naming the file, the row and the field;
writers compare with what is stored and only write what changed, so loading twice changes nothing.
Callers run the writers inside one transaction (see the `load_territories` command).
"""

from __future__ import annotations

import csv
import gzip
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import connections, router
from django.utils.translation import gettext as _

from relais.territories.cog import COMMUNE_CODE, DEPARTEMENT_CODE, EPCI_CODE, is_postal_code
from relais.territories.geo import geometry_bbox
from relais.territories.models import Commune, Departement, Epci, Territory
from relais.territories.text import normalize

DATA_DIR = Path(__file__).resolve().parent / "data"
LYON_METZ_FILE = DATA_DIR / "communes-lyon-metz.json"
FRANCE_FILE = DATA_DIR / "france-communes.csv.gz"
DEPARTEMENTS_FILE = DATA_DIR / "departements.csv"
EPCI_FILE = DATA_DIR / "epci.csv"
LYON_TERRITORIES_FILE = DATA_DIR / "territoires-lyon.csv"

SLUG = re.compile(r"^[-a-z0-9_]+$")
COMMUNE_KINDS = frozenset(Commune.Kind.values)
IN_QUERY_LIMIT = 900  # codes per IN (…) query; past that, read the whole table
WRITE_BATCH = 5000

FRANCE_COLUMNS = [
    "code",
    "name",
    "kind",
    "parent",
    "departement",
    "epci",
    "population",
    "population_year",
    "postal_codes",
    "latitude",
    "longitude",
]
TERRITORY_COLUMNS = ["slug", "name", "kind", "epci", "communes", "to_check", "source"]
TRUE_WORDS = {"true", "vrai", "oui", "yes", "1"}
FALSE_WORDS = {"false", "faux", "non", "no", "0", ""}


class LoadError(Exception):
    """A file that cannot be loaded; `errors` lists every problem found, each naming file, row and field."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


class where:  # noqa: N801 - used like a function
    """'file, ligne N, champ X': formatted (and translated) only when an error message needs it."""

    __slots__ = ("file", "row", "column")

    def __init__(self, file: str, row, column: str | None = None):
        self.file, self.row, self.column = file, row, column

    def __str__(self):
        row = _("ligne %(n)s") % {"n": self.row} if isinstance(self.row, int) else str(self.row)
        if self.column:
            return _("%(file)s, %(row)s, champ %(field)s") % {"file": self.file, "row": row, "field": self.column}
        return _("%(file)s, %(row)s") % {"file": self.file, "row": row}


@dataclass
class Referential:
    departements: dict[str, dict] = field(default_factory=dict)
    epcis: dict[str, dict] = field(default_factory=dict)
    communes: dict[str, dict] = field(default_factory=dict)
    with_contours: bool = False
    source: dict = field(default_factory=dict)  # vintages and package versions, from the file's source note


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    kept: int = 0  # territories already present and left as they are

    def __str__(self):
        text = _("%(created)s créés, %(updated)s mis à jour, %(unchanged)s inchangés") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }
        if self.kept:
            text += _(", %(kept)s conservés tels quels") % {"kept": self.kept}
        return text


# --------------------------------------------------------------------------------------------------
# Readers
# --------------------------------------------------------------------------------------------------


def _int(value, errors: list[str], place) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError):
        errors.append(_("%(place)s : « %(value)s » n’est pas un nombre entier.") % {"place": place, "value": value})
        return None
    if number < 0:
        errors.append(_("%(place)s : « %(value)s » est négatif.") % {"place": place, "value": value})
        return None
    return number


def _float(value, errors: list[str], place, low: float, high: float) -> float | None:
    if value in (None, ""):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        errors.append(_("%(place)s : « %(value)s » n’est pas un nombre.") % {"place": place, "value": value})
        return None
    if not low <= number <= high:
        errors.append(
            _("%(place)s : %(value)s n’est pas entre %(low)s et %(high)s.")
            % {"place": place, "value": value, "low": low, "high": high}
        )
        return None
    return number


def _check_code(value: str | None, pattern: re.Pattern, errors: list[str], place, required: bool = True) -> str:
    value = (value or "").strip()
    if not value:
        if required:
            errors.append(_("%(place)s : valeur obligatoire.") % {"place": place})
        return ""
    if not pattern.match(value) or value != value.upper():  # files write 2A and 2B in capitals
        errors.append(_("%(place)s : code « %(value)s » mal formé.") % {"place": place, "value": value})
        return ""
    return value


def clean_commune(raw: dict, file: str, row, errors: list[str], with_contour: bool) -> dict | None:
    """A validated commune record (model field names), or None after appending errors."""
    before = len(errors)

    def at(column):
        return where(file, row, column)

    code = _check_code(raw.get("code"), COMMUNE_CODE, errors, at("code"))
    name = (raw.get("name") or "").strip()
    if not name:
        errors.append(_("%(place)s : valeur obligatoire.") % {"place": at("name")})
    kind = (raw.get("kind") or "").strip()
    if kind not in COMMUNE_KINDS:
        errors.append(_("%(place)s : « %(value)s » n’est pas COM ni ARM.") % {"place": at("kind"), "value": kind})
    parent = _check_code(raw.get("parent"), COMMUNE_CODE, errors, at("parent"), required=kind == "ARM")
    departement = _check_code(raw.get("departement"), DEPARTEMENT_CODE, errors, at("departement"))
    epci = _check_code(raw.get("epci"), EPCI_CODE, errors, at("epci"), required=False)
    postal = raw.get("postal_codes") or []
    if isinstance(postal, str):
        postal = [p.strip() for p in postal.split(";") if p.strip()]
    if not isinstance(postal, list) or not all(isinstance(p, str) and is_postal_code(p) for p in postal):
        errors.append(_("%(place)s : codes postaux mal formés.") % {"place": at("postal_codes")})
    record = {
        "code": code,
        "name": name,
        "kind": kind,
        "parent_id": parent or None,
        "departement_id": departement,
        "epci_id": epci or None,
        "postal_codes": postal,
        "population": _int(raw.get("population"), errors, at("population")),
        "population_year": _int(raw.get("population_year"), errors, at("population_year")),
        "latitude": _float(raw.get("latitude"), errors, at("latitude"), -90, 90),
        "longitude": _float(raw.get("longitude"), errors, at("longitude"), -180, 180),
    }
    if record["population"] is not None and record["population_year"] is None:
        errors.append(_("%(place)s : une population doit avoir son millésime.") % {"place": at("population_year")})
    if with_contour:
        contour = raw.get("contour")
        try:
            bbox = geometry_bbox(contour)
        except (ValueError, TypeError, KeyError, AttributeError):
            bbox = None
        if contour and bbox is None:
            errors.append(_("%(place)s : géométrie GeoJSON invalide.") % {"place": at("contour")})
        record["contour"] = contour or None
        record["bbox_west"], record["bbox_south"], record["bbox_east"], record["bbox_north"] = bbox or (None,) * 4
    return record if len(errors) == before else None


def _check_links(ref: Referential, file: str, rows: dict[str, dict], errors: list[str]) -> None:
    """Parents, départements and EPCI named by the communes exist in the file or in the database."""
    known_deps = set(ref.departements) | set(Departement.objects.values_list("code", flat=True))
    known_epcis = set(ref.epcis) | set(Epci.objects.values_list("code", flat=True))
    for code, record in ref.communes.items():
        row = rows[code]
        if record["departement_id"] not in known_deps:
            errors.append(
                _("%(place)s : département « %(value)s » inconnu.")
                % {"place": where(file, row, "departement"), "value": record["departement_id"]}
            )
        if record["epci_id"] and record["epci_id"] not in known_epcis:
            errors.append(
                _("%(place)s : EPCI « %(value)s » inconnu.")
                % {"place": where(file, row, "epci"), "value": record["epci_id"]}
            )
        parent = record["parent_id"]
        if parent:
            parent_kind = ref.communes[parent]["kind"] if parent in ref.communes else None
            if parent_kind is None:
                parent_kind = Commune.objects.filter(code=parent).values_list("kind", flat=True).first()
            if parent_kind != Commune.Kind.COMMUNE:
                errors.append(
                    _("%(place)s : commune de rattachement « %(value)s » inconnue.")
                    % {"place": where(file, row, "parent"), "value": parent}
                )


def read_lyon_metz(path: Path = LYON_METZ_FILE) -> Referential:
    """The committed JSON file of communes with contours (Métropole de Lyon and Metz Métropole)."""
    file = path.name
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise LoadError([_("%(file)s : fichier introuvable.") % {"file": path}]) from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise LoadError([_("%(file)s : JSON illisible (%(error)s).") % {"file": file, "error": exc}]) from exc
    if not isinstance(data, dict) or not all(
        isinstance(data.get(k), list) for k in ("departements", "epci", "communes")
    ):
        raise LoadError([_("%(file)s : les listes departements, epci et communes sont attendues.") % {"file": file}])
    errors: list[str] = []
    ref = Referential(with_contours=True, source=data.get("source") or {})
    for i, item in enumerate(data["departements"], start=1):
        place = _("%(file)s, département n° %(row)s") % {"file": file, "row": i}
        code = _check_code(item.get("code"), DEPARTEMENT_CODE, errors, place)
        if code:
            ref.departements[code] = {"code": code, "name": str(item.get("name") or code)}
    for i, item in enumerate(data["epci"], start=1):
        place = _("%(file)s, EPCI n° %(row)s") % {"file": file, "row": i}
        code = _check_code(item.get("code"), EPCI_CODE, errors, place)
        if code:
            ref.epcis[code] = {"code": code, "name": str(item.get("name") or code), "kind": str(item.get("kind") or "")}
    rows: dict[str, dict] = {}
    for i, item in enumerate(data["communes"], start=1):
        row = _("commune n° %(n)s (%(code)s)") % {"n": i, "code": item.get("code") if isinstance(item, dict) else "?"}
        if not isinstance(item, dict):
            errors.append(_("%(place)s : objet attendu.") % {"place": where(file, row)})
            continue
        record = clean_commune(item, file, row, errors, with_contour=True)
        if record:
            _add_commune(ref, record, rows, file, row, errors)
    if not errors:
        _check_links(ref, file, rows, errors)
    if errors:
        raise LoadError(errors)
    return ref


def _add_commune(ref: Referential, record: dict, rows: dict, file: str, row, errors: list[str]) -> None:
    if record["code"] in ref.communes:
        errors.append(
            _("%(place)s : code « %(value)s » en double.")
            % {"place": where(file, row, "code"), "value": record["code"]}
        )
        return
    ref.communes[record["code"]] = record
    rows[record["code"]] = row


def _read_csv_rows(path: Path, text: str, columns: list[str]):
    """(line number, row dict) for each data row; lines starting with '#' are comments."""
    lines = text.splitlines(keepends=True)
    numbered = [
        (n, line) for n, line in enumerate(lines, start=1) if line.strip() and not line.lstrip().startswith("#")
    ]
    if not numbered:
        raise LoadError([_("%(file)s : fichier vide.") % {"file": path.name}])
    reader = csv.reader(line for _n, line in numbered)
    try:
        header = [h.strip() for h in next(reader)]
        missing = [c for c in columns if c not in header]
        if missing:
            raise LoadError(
                [
                    _("%(file)s, ligne %(row)s : colonnes manquantes : %(columns)s.")
                    % {"file": path.name, "row": numbered[0][0], "columns": ", ".join(missing)}
                ]
            )
        for values in reader:
            line_no = numbered[reader.line_num - 1][0]
            if len(values) != len(header):
                yield line_no, None
                continue
            yield line_no, dict(zip(header, values, strict=True))
    except csv.Error as exc:
        raise LoadError([_("%(file)s : CSV illisible (%(error)s).") % {"file": path.name, "error": exc}]) from exc


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
        if path.suffix == ".gz":
            raw = gzip.decompress(raw)
        return raw.decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise LoadError([_("%(file)s : fichier introuvable.") % {"file": path}]) from exc
    except (OSError, UnicodeDecodeError, EOFError) as exc:
        raise LoadError([_("%(file)s : fichier illisible (%(error)s).") % {"file": path.name, "error": exc}]) from exc


def _bad_width(path: Path, line_no: int) -> str:
    return _("%(place)s : nombre de colonnes incorrect.") % {"place": where(path.name, line_no)}


def read_france(
    path: Path = FRANCE_FILE, departements_path: Path = DEPARTEMENTS_FILE, epci_path: Path = EPCI_FILE
) -> Referential:
    """Every commune and arrondissement of France (no contours), with départements and EPCI."""
    errors: list[str] = []
    ref = Referential(with_contours=False)
    for line_no, row in _read_csv_rows(departements_path, _read_text(departements_path), ["code", "name"]):
        if row is None:
            errors.append(_bad_width(departements_path, line_no))
            continue
        code = _check_code(row["code"], DEPARTEMENT_CODE, errors, where(departements_path.name, line_no, "code"))
        if code:
            ref.departements[code] = {"code": code, "name": row["name"].strip() or code}
    for line_no, row in _read_csv_rows(epci_path, _read_text(epci_path), ["code", "name", "kind"]):
        if row is None:
            errors.append(_bad_width(epci_path, line_no))
            continue
        code = _check_code(row["code"], EPCI_CODE, errors, where(epci_path.name, line_no, "code"))
        if code:
            ref.epcis[code] = {"code": code, "name": row["name"].strip() or code, "kind": row["kind"].strip()}
    rows: dict[str, dict] = {}
    for line_no, row in _read_csv_rows(path, _read_text(path), FRANCE_COLUMNS):
        if row is None:
            errors.append(_bad_width(path, line_no))
            continue
        record = clean_commune(row, path.name, line_no, errors, with_contour=False)
        if record:
            _add_commune(ref, record, rows, path.name, line_no, errors)
        if len(errors) > 50:
            break
    if not errors:
        _check_links(ref, path.name, rows, errors)
    if errors:
        raise LoadError(errors)
    return ref


@dataclass
class TerritoryRow:
    line: int
    slug: str
    name: str
    kind: str
    epci: str
    communes: list[str]
    to_check: bool
    source: str


def read_territories_csv(path: Path = LYON_TERRITORIES_FILE) -> list[TerritoryRow]:
    """Rows of a territories CSV (slug, name, kind, epci, communes separated by ';', to_check, source)."""
    file = path.name
    errors: list[str] = []
    result: list[TerritoryRow] = []
    seen: dict[str, int] = {}
    for line_no, row in _read_csv_rows(path, _read_text(path), TERRITORY_COLUMNS):
        if row is None:
            errors.append(_bad_width(path, line_no))
            continue
        before = len(errors)
        slug = row["slug"].strip()
        if not SLUG.match(slug):
            errors.append(
                _("%(place)s : « %(value)s » n’est pas un identifiant court (minuscules, chiffres, tirets).")
                % {"place": where(file, line_no, "slug"), "value": slug}
            )
        elif slug in seen:
            errors.append(
                _("%(place)s : « %(value)s » déjà utilisé ligne %(other)s.")
                % {"place": where(file, line_no, "slug"), "value": slug, "other": seen[slug]}
            )
        seen.setdefault(slug, line_no)
        name = row["name"].strip()
        if not name:
            errors.append(_("%(place)s : valeur obligatoire.") % {"place": where(file, line_no, "name")})
        epci = _check_code(row["epci"], EPCI_CODE, errors, where(file, line_no, "epci"), required=False)
        codes = [c.strip().upper() for c in row["communes"].split(";") if c.strip()]
        if not codes:
            errors.append(_("%(place)s : aucune commune.") % {"place": where(file, line_no, "communes")})
        for code in codes:
            if not COMMUNE_CODE.match(code):
                errors.append(
                    _("%(place)s : code commune « %(value)s » mal formé.")
                    % {"place": where(file, line_no, "communes"), "value": code}
                )
        duplicates = sorted({c for c in codes if codes.count(c) > 1})
        if duplicates:
            errors.append(
                _("%(place)s : commune(s) en double : %(value)s.")
                % {"place": where(file, line_no, "communes"), "value": ", ".join(duplicates)}
            )
        flag = row["to_check"].strip().lower()
        if flag not in TRUE_WORDS | FALSE_WORDS:
            errors.append(
                _("%(place)s : « %(value)s » n’est ni true ni false.")
                % {"place": where(file, line_no, "to_check"), "value": row["to_check"]}
            )
        if len(errors) == before:
            result.append(
                TerritoryRow(
                    line=line_no,
                    slug=slug,
                    name=name,
                    kind=row["kind"].strip(),
                    epci=epci,
                    communes=codes,
                    to_check=flag in TRUE_WORDS,
                    source=row["source"].strip(),
                )
            )
    if errors:
        raise LoadError(errors)
    return result


# --------------------------------------------------------------------------------------------------
# Writers (call inside a transaction)
# --------------------------------------------------------------------------------------------------

COMMUNE_FIELDS = [
    "name",
    "kind",
    "parent_id",
    "postal_codes",
    "population",
    "population_year",
    "departement_id",
    "epci_id",
    "latitude",
    "longitude",
]
CONTOUR_FIELDS = ["contour", "bbox_west", "bbox_south", "bbox_east", "bbox_north"]


def _stored(model, codes, fields: list[str]) -> dict[str, tuple]:
    """{code: stored values of `fields`} for the codes given; the whole table when they are many."""
    queryset = model.objects.values_list("pk", *fields)
    if len(codes) <= IN_QUERY_LIMIT:
        queryset = queryset.filter(pk__in=list(codes))
    return {row[0]: row[1:] for row in queryset.iterator(chunk_size=5000)}


def _upsert(model, records: dict[str, dict], fields: list[str]) -> Counts:
    """Create missing rows and update changed ones, comparing `fields`; other columns are left alone.

    Written without the ORM (one prepared INSERT … ON CONFLICT DO UPDATE run with executemany):
    compiling 35,000 ORM inserts costs seconds, the database itself a fraction of that.
    """
    counts = Counts()
    stored = _stored(model, records, fields)
    to_write = []
    for code, record in records.items():
        values = tuple(record[f] for f in fields)
        if code not in stored:
            counts.created += 1
        elif stored[code] != values:
            counts.updated += 1
        else:
            counts.unchanged += 1
            continue
        to_write.append((code, *values, *_extra(model, record)))
    if to_write:
        _write(model, fields + (["search_name"] if model is Commune else []), to_write)
    return counts


def _write(model, attnames: list[str], rows: list[tuple]) -> None:
    """INSERT … ON CONFLICT (pk) DO UPDATE of `rows` ((pk, *attnames values)): one prepared statement, executemany.

    (On PostgreSQL psycopg pipelines executemany; statements of thousands of rows were no faster.)
    """
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [model._meta.pk] + [model._meta.get_field(name) for name in attnames]
    adapt = [
        (lambda value, f=f: f.get_db_prep_save(value, connection)) if f.get_internal_type() == "JSONField" else None
        for f in fields
    ]
    columns = ", ".join(quote(f.column) for f in fields)
    updates = ", ".join(f"{quote(f.column)} = EXCLUDED.{quote(f.column)}" for f in fields[1:])
    sql = (
        f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({', '.join(['%s'] * len(fields))}) "
        f"ON CONFLICT ({quote(model._meta.pk.column)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), WRITE_BATCH):
            cursor.executemany(
                sql,
                [
                    [value if a is None or value is None else a(value) for a, value in zip(adapt, row, strict=True)]
                    for row in rows[start : start + WRITE_BATCH]
                ],
            )


def _extra(model, record: dict) -> tuple:
    return (normalize(record["name"]),) if model is Commune else ()


def load_referential(ref: Referential) -> dict[str, Counts]:
    """Upsert départements, EPCI, then communes (before their arrondissements).

    Communes that come with a contour (Lyon and Metz) are compared and written with it; the others
    (the rest of France) leave the contour columns as they are.
    """
    counts = {
        "departements": _upsert(Departement, ref.departements, ["name"]),
        "epci": _upsert(Epci, ref.epcis, ["name", "kind"]),
    }
    communes = Counts()
    for kind in (Commune.Kind.COMMUNE, Commune.Kind.ARRONDISSEMENT):
        of_kind = {k: r for k, r in ref.communes.items() if r["kind"] == kind}
        for with_contour in (False, True):
            group = {k: r for k, r in of_kind.items() if ("contour" in r) == with_contour}
            if not group:
                continue
            part = _upsert(Commune, group, COMMUNE_FIELDS + (CONTOUR_FIELDS if with_contour else []))
            communes.created += part.created
            communes.updated += part.updated
            communes.unchanged += part.unchanged
    counts["communes"] = communes
    return counts


def read_default(*, france: bool = True) -> Referential:
    """The referential `load_territories` loads: every commune of France, Lyon's and Metz's with contours.

    Both files hold the same COG: the Lyon and Metz records (with contours) take the place of their
    France ones. `france=False` gives the Lyon and Metz file alone (a small database for a demo).
    """
    lyon_metz = read_lyon_metz()
    if not france:
        return lyon_metz
    ref = read_france()
    ref.departements.update(lyon_metz.departements)
    ref.epcis.update(lyon_metz.epcis)
    ref.communes.update(lyon_metz.communes)
    ref.with_contours = True
    ref.source = lyon_metz.source
    return ref


def load_territories(rows: list[TerritoryRow], file: str, overwrite: bool = False) -> Counts:
    """Create the territories of `rows`; existing ones (same slug) are kept unless `overwrite`.

    Every row is checked against the database first: an unknown commune or EPCI, or a commune outside the
    territory's EPCI, raises `LoadError` naming the row, and nothing is written.
    """
    errors: list[str] = []
    all_codes = {c for row in rows for c in row.communes}
    communes = {c.code: c for c in Commune.objects.filter(code__in=all_codes).select_related("parent")}
    epcis = set(Epci.objects.filter(code__in={r.epci for r in rows if r.epci}).values_list("code", flat=True))
    for row in rows:
        if row.epci and row.epci not in epcis:
            errors.append(
                _("%(place)s : EPCI « %(value)s » inconnu.")
                % {"place": where(file, row.line, "epci"), "value": row.epci}
            )
        for code in row.communes:
            commune = communes.get(code)
            if commune is None:
                errors.append(
                    _("%(place)s : code commune « %(value)s » inconnu.")
                    % {"place": where(file, row.line, "communes"), "value": code}
                )
            elif row.epci and row.epci in epcis:
                epci = commune.epci_id or (commune.parent.epci_id if commune.parent is not None else None)
                if epci != row.epci:
                    errors.append(
                        _("%(place)s : la commune %(value)s n’appartient pas à l’EPCI %(epci)s.")
                        % {"place": where(file, row.line, "communes"), "value": code, "epci": row.epci}
                    )
    if errors:
        raise LoadError(errors)

    counts = Counts()
    existing = {
        t.slug: t for t in Territory.objects.filter(slug__in=[r.slug for r in rows]).prefetch_related("communes")
    }
    for row in rows:
        values = {
            "name": row.name,
            "kind": row.kind,
            "epci_id": row.epci or None,
            "source": row.source,
            "to_check": row.to_check,
        }
        territory = existing.get(row.slug)
        if territory is None:
            territory = Territory.objects.create(slug=row.slug, **values)
            territory.communes.set(row.communes)  # type: ignore[arg-type]  # primary keys: commune codes (str)
            counts.created += 1
            continue
        same = all(getattr(territory, k) == v for k, v in values.items()) and {
            c.code for c in territory.communes.all()
        } == set(row.communes)
        if same:
            counts.unchanged += 1
        elif not overwrite:
            counts.kept += 1
        else:
            for key, value in values.items():
                setattr(territory, key, value)
            territory.save()
            territory.communes.set(row.communes)  # type: ignore[arg-type]  # primary keys: commune codes (str)
            counts.updated += 1
    return counts


def communes_outside_territories(epci_code: str, kind: str) -> list[str]:
    """Codes of the EPCI's communes that no territory of `kind` covers (a coverage check for admins)."""
    covered = Territory.objects.filter(kind=kind, epci_id=epci_code, communes__isnull=False).values_list(
        "communes", flat=True
    )
    return list(
        Commune.objects.communes().filter(epci_id=epci_code).exclude(code__in=covered).values_list("code", flat=True)
    )
