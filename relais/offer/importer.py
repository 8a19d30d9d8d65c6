"""Import of the offer from data·inclusion v1 files: idempotent upsert by `id`, all or nothing.

    report = import_offer(sources_from_paths(["offre.xlsx"]), dry_run=True)

1. Read every row (offerfiles), validate it with the data·inclusion pydantic models
   (datainclusion.validate_row), then our own checks: ids unique in the file, `code_insee` and
   every code of `zone_eligibilite` (commune, EPCI, département) known to the referential when
   it is loaded (relais.territories.codes), opening hours readable, each service's structure
   present in the file or already in Relais.
2. Any error: nothing is written, the report lists every error by file, row and field.
3. Otherwise, in one transaction and by batches: compare each row with what is stored, skip
   the unchanged ones, insert or update the others (one INSERT … ON CONFLICT per batch), and
   record one `Change` (kind import, no review needed, the file names as its note) per created
   listing (every given field as [None, new]) or updated one (the changed fields as [old, new]).
   New listings are published; existing ones keep their moderation (a refused listing stays
   refused). A dry run stops before writing and reports the same counts.
"""

import functools
import time
from collections import Counter
from dataclasses import dataclass, field

from django.db import DatabaseError, connections, router, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from relais.offer import hours
from relais.offer.actions import json_value
from relais.offer.datainclusion import DJANGO_MODELS, KINDS, SERVICES, SET, STRUCTURES, row_validator
from relais.offer.models import Change, Moderation, Structure
from relais.offer.offerfiles import Issue, Issues, read_rows
from relais.territories.codes import CodeChecker

MAX_REPORTED_ERRORS = 1000
BATCH = 2000
QUERY_CHUNK = 900  # ids per IN (…) query: under SQLite's parameter limit


@dataclass
class Report:
    dry_run: bool = False
    extensions: bool = False
    counts: dict = field(default_factory=lambda: {kind: Counter() for kind in KINDS})
    errors: list[Issue] = field(default_factory=list)
    error_count: int = 0
    warnings: list[Issue] = field(default_factory=list)
    written: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def add_error(self, issue: Issue):
        self.error_count += 1
        if len(self.errors) < MAX_REPORTED_ERRORS:
            self.errors.append(issue)

    @property
    def hidden_errors(self) -> int:
        return self.error_count - len(self.errors)

    def rows(self, kind: str) -> int:
        return sum(self.counts[kind].values())

    def table(self) -> list[dict]:
        """The counts per kind, for templates."""
        return [
            {"kind": kind, **{key: self.counts[kind][key] for key in ("created", "updated", "unchanged")}}
            for kind in KINDS
        ]

    def summary(self) -> str:
        parts = []
        for kind in KINDS:
            c = self.counts[kind]
            parts.append(
                _("{kind} : {created} créées, {updated} mises à jour, {unchanged} inchangées").format(
                    kind=kind, created=c["created"], updated=c["updated"], unchanged=c["unchanged"]
                )
            )
        return " ; ".join(parts)


@functools.lru_cache(maxsize=65536)
def hours_problem(text: str) -> str | None:
    """None for valid opening hours, else the French message partners also get in forms."""
    return hours.validate(text)


def _chunks(items, size):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Checker:
    """Validates rows one by one and keeps the valid ones as tuples, in Layout order."""

    def __init__(self, report: Report, extensions: bool):
        self.report = report
        self.validators = {kind: row_validator(kind, extensions) for kind in KINDS}
        self.layouts = {kind: self.validators[kind].layout for kind in KINDS}
        self.attnames = {kind: self.layouts[kind].attnames for kind in KINDS}
        self.positions = {
            kind: {name: self.attnames[kind].index(name) for name in ("id", "code_insee", "horaires_accueil")}
            for kind in KINDS
        }
        self.records: dict[str, dict[str, tuple]] = {kind: {} for kind in KINDS}
        self.where: dict[str, dict[str, tuple]] = {kind: {} for kind in KINDS}  # id -> (source, label, row)
        self.codes = CodeChecker()
        self.zone_position = self.attnames[SERVICES].index("zone_eligibilite")

    def error(self, raw, message, field_name=None):
        self.report.add_error(Issue(message, raw.source, raw.kind, raw.row, field_name, raw.label))

    def check(self, raw):
        values, errors = self.validators[raw.kind](raw.data)
        for error in errors:
            self.error(raw, error.message, error.field)
        if values is None:
            self._check_duplicate(raw, raw.data.get("id") if isinstance(raw.data, dict) else None)
            self._remember(raw)
            return
        positions = self.positions[raw.kind]
        ident = values[positions["id"]]
        ok = not self._check_duplicate(raw, ident)
        code = values[positions["code_insee"]]
        problem = self.codes.commune(code) if code else None
        if problem:
            self.error(raw, problem, "code_insee")
            ok = False
        if raw.kind == SERVICES:
            for zone_code in values[self.zone_position] or ():
                problem = self.codes.zone(zone_code)
                if problem:
                    self.error(raw, problem, "zone_eligibilite")
                    ok = False
        hours_text = values[positions["horaires_accueil"]]
        problem = hours_problem(hours_text) if hours_text else None
        if problem:
            self.error(raw, problem, "horaires_accueil")
            ok = False
        self.where[raw.kind].setdefault(ident, (raw.source, raw.label, raw.row))
        if ok:
            self.records[raw.kind][ident] = values

    def _check_duplicate(self, raw, ident) -> bool:
        """True (and an error) when `ident` was already used by an earlier row, valid or not.

        Checked for invalid rows too, so that the report names every fault of a file at once."""
        if not isinstance(ident, str) or ident not in self.where[raw.kind]:
            return False
        source, label, row = self.where[raw.kind][ident]
        self.error(
            raw,
            _("identifiant « {id} » en double : déjà utilisé {label} {row}{source}").format(
                id=ident, label=_(label), row=row, source=f" ({source})" if source != raw.source else ""
            ),
            "id",
        )
        return True

    def _remember(self, raw):
        """An invalid row still takes its id, so that a later duplicate is reported."""
        ident = raw.data.get("id") if isinstance(raw.data, dict) else None
        if isinstance(ident, str) and ident:
            self.where[raw.kind].setdefault(ident, (raw.source, raw.label, raw.row))

    def check_structures_exist(self):
        """Each service's structure must be in the file or already in Relais."""
        services = self.records[SERVICES]
        position = self.attnames[SERVICES].index("structure_id")
        wanted = {r[position] for r in services.values()} - set(self.records[STRUCTURES]) - set(self.where[STRUCTURES])
        known = set()
        for chunk in _chunks(wanted, QUERY_CHUNK):
            known.update(Structure.objects.filter(id__in=chunk).values_list("id", flat=True))
        missing = wanted - known
        if not missing:
            return
        for ident, record in services.items():
            if record[position] in missing:
                source, label, row = self.where[SERVICES][ident]
                self.report.add_error(
                    Issue(
                        _("structure « {id} » introuvable, ni dans le fichier ni dans Relais").format(
                            id=record[position]
                        ),
                        source,
                        SERVICES,
                        row,
                        "structure_id",
                        label,
                    )
                )


def import_offer(sources, *, dry_run: bool = False, extensions: bool = False, actor=None) -> Report:
    """Validate every row of `sources`, then upsert them all in one transaction, or nothing."""
    started = time.monotonic()
    report = Report(dry_run=dry_run, extensions=extensions)
    checker = _Checker(report, extensions)
    issues = Issues()
    for source in sources:
        for raw in read_rows(source, issues, extensions):
            checker.check(raw)
    for issue in issues.errors:
        report.add_error(issue)
    report.warnings.extend(issues.warnings)
    if not sources:
        report.add_error(Issue(_("aucun fichier à importer")))
    if report.ok:
        checker.check_structures_exist()
    if report.ok and not any(checker.records.values()):
        report.warnings.append(Issue(_("le fichier ne contient aucune structure ni aucun service")))
    if report.ok:
        try:
            with transaction.atomic():
                note = _note(sources)
                for kind in KINDS:
                    _upsert(kind, checker, report, actor, write=not dry_run, note=note)
        except DatabaseError as exc:  # a safety net: validation should have caught everything
            report.add_error(
                Issue(_("la base de données a refusé l’import, rien n’a été enregistré : {e}").format(e=exc))
            )
            for kind in KINDS:
                report.counts[kind].clear()
        else:
            report.written = not dry_run
    report.seconds = time.monotonic() - started
    return report


class _BulkWriter:
    """INSERT (… ON CONFLICT (pk) DO UPDATE) of many rows at once, skipping the ORM.

    Building model instances and compiling the ORM's SQL cost more than the database itself at
    national scale: here the SQL is built once, constant values (defaults, timestamps) are adapted
    once, and only JSON and date columns go through their field's adaptation per row.
    SQLite: one prepared statement run with executemany. PostgreSQL: COPY into a temporary table,
    then one INSERT … SELECT … ON CONFLICT per batch (COPY is PostgreSQL's bulk path).
    """

    def __init__(self, model, attnames: list[str], constants: dict, update: list[str] | None = None):
        self.connection = connections[router.db_for_write(model)]
        self.postgres = self.connection.vendor == "postgresql"
        quote = self.connection.ops.quote_name
        fields = [f for f in model._meta.concrete_fields if not (f.primary_key and f.attname not in attnames)]
        self.plan = []  # (position in the record, adapter) or (None, adapted constant)
        for model_field in fields:
            if model_field.attname in attnames:
                adapt = None
                if model_field.get_internal_type() in ("JSONField", "DateField", "DateTimeField"):
                    adapt = functools.partial(model_field.get_db_prep_save, connection=self.connection)
                self.plan.append((attnames.index(model_field.attname), adapt))
            else:
                attname = model_field.attname
                value = constants[attname] if attname in constants else model_field.get_default()
                self.plan.append((None, model_field.get_db_prep_save(value, connection=self.connection)))
        self.table = quote(model._meta.db_table)
        self.columns = ", ".join(quote(f.column) for f in fields)
        self.conflict = ""
        if update:
            column_of = {f.attname: quote(f.column) for f in fields}
            assignments = ", ".join(f"{column_of[a]} = EXCLUDED.{column_of[a]}" for a in update)
            self.conflict = f" ON CONFLICT ({quote(model._meta.pk.column)}) DO UPDATE SET {assignments}"
        self.staging = None

    def _rows(self, records):
        for record in records:
            row = []
            for position, adapt in self.plan:
                if position is None:
                    row.append(adapt)
                else:
                    value = record[position]
                    row.append(adapt(value) if adapt is not None and value is not None else value)
            yield row

    def write(self, records):
        if not records:
            return
        with self.connection.cursor() as cursor:
            if not self.postgres:
                placeholders = ", ".join(["%s"] * len(self.plan))
                sql = f"INSERT INTO {self.table} ({self.columns}) VALUES ({placeholders}){self.conflict}"
                cursor.executemany(sql, self._rows(records))
                return
            target = self.table
            if self.conflict:
                if self.staging is None:
                    self.staging = self.connection.ops.quote_name(f"import_{self.table.strip(chr(34))}")
                    cursor.execute(
                        f"CREATE TEMPORARY TABLE IF NOT EXISTS {self.staging} (LIKE {self.table} INCLUDING DEFAULTS) "
                        "ON COMMIT DROP"
                    )
                target = self.staging
            with cursor.cursor.copy(f"COPY {target} ({self.columns}) FROM STDIN") as copy:
                for row in self._rows(records):
                    copy.write_row(row)
            if self.conflict:
                cursor.execute(
                    f"INSERT INTO {self.table} ({self.columns}) SELECT {self.columns} FROM {target}{self.conflict}"
                )
                cursor.execute(f"TRUNCATE {target}")


CHANGE_COLUMNS = ["target", "structure_id", "service_id", "object_id", "diff", "code_insee"]
MAX_KEPT_REPORTED = 20


def _note(sources) -> str:
    names = ", ".join(source.name for source in sources)
    return _("import de {files}").format(files=names if len(names) <= 180 else names[:179] + "…")


def _upsert(kind: str, checker: _Checker, report: Report, actor, *, write: bool, note: str = ""):
    """Insert or update the checked rows of one kind, with one Change per created or updated listing.

    Moderation is Relais's own decision, not part of a data·inclusion record: a new listing is
    published, an existing one keeps its moderation (a listing a moderator refused stays refused,
    one waiting for validation keeps waiting), whatever the file says.
    """
    model = DJANGO_MODELS[kind]
    layout = checker.layouts[kind]
    attnames = checker.attnames[kind]
    set_positions = [i for i, name in enumerate(layout.names) if layout.kind_of(name) == SET]
    records = checker.records[kind]
    now = timezone.now()
    counts = report.counts[kind]
    id_position = attnames.index("id")
    code_position = attnames.index("code_insee")
    structure_position = attnames.index("structure_id") if kind == SERVICES else id_position
    target = Change.Target.SERVICE if kind == SERVICES else Change.Target.STRUCTURE
    listings = _BulkWriter(
        model,
        attnames,
        {"moderation": Moderation.PUBLISHED, "created_at": now, "updated_at": now},
        update=[a for a in attnames if a != "id"] + ["updated_at"],
    )
    changes = _BulkWriter(
        Change,
        CHANGE_COLUMNS,
        {
            "kind": Change.Kind.IMPORT,
            "review": Change.Review.NOT_NEEDED,
            "actor_id": actor.pk if actor else None,
            "note": note,
            "at": now,
        },
    )
    columns = [*attnames, "moderation"]
    kept = []  # listings of the file that stay unpublished by a moderator's decision

    for chunk in _chunks(records, BATCH):
        stored = {}
        for ids in _chunks(chunk, QUERY_CHUNK):
            for row in model.objects.filter(id__in=ids).values_list(*columns):
                stored[row[id_position]] = row
        to_write, history = [], []
        for ident in chunk:
            new = records[ident]
            old = stored.get(ident)
            if old is not None:
                if old[-1] != Moderation.PUBLISHED:
                    kept.append((ident, old[-1]))
                old_values = list(old[:-1])
                for i in set_positions:
                    if isinstance(old_values[i], list):
                        old_values[i] = sorted(old_values[i])
                if tuple(old_values) == new:
                    counts["unchanged"] += 1
                    continue
                diff = {
                    name: [json_value(a), json_value(b)]
                    for name, a, b in zip(attnames, old_values, new, strict=True)
                    if a != b
                }
                counts["updated"] += 1
            else:
                diff = {name: [None, json_value(b)] for name, b in zip(attnames, new, strict=True) if not _empty(b)}
                diff["moderation"] = [None, Moderation.PUBLISHED]
                counts["created"] += 1
            if write:
                to_write.append(new)
                history.append(
                    (
                        target,
                        new[structure_position],
                        ident if kind == SERVICES else None,
                        ident,
                        diff,
                        new[code_position],
                    )
                )
        if write:
            listings.write(to_write)
            changes.write(history)
    _report_kept(report, kind, kept)


def _empty(value) -> bool:
    return value is None or value == "" or value == []


def _report_kept(report: Report, kind: str, kept: list) -> None:
    if not kept:
        return
    labels = dict(Moderation.choices)
    shown = ", ".join(f"{ident} ({labels.get(state, state)})" for ident, state in kept[:MAX_KEPT_REPORTED])
    more = len(kept) - MAX_KEPT_REPORTED
    message = ngettext(
        "{n} fiche du fichier reste non publiée par décision de la modération "
        "(l’import met à jour ses champs, pas sa modération) : {ids}{more}",
        "{n} fiches du fichier restent non publiées par décision de la modération "
        "(l’import met à jour leurs champs, pas leur modération) : {ids}{more}",
        len(kept),
    )
    more_text = ngettext(" et {n} autre", " et {n} autres", more).format(n=more) if more > 0 else ""
    report.warnings.append(Issue(message.format(n=len(kept), ids=shown, more=more_text), kind=kind))
