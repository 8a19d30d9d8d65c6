"""Import of a whole plan from its spreadsheet: all or nothing, every fault named by row and column.

    report = import_plan(planfiles.from_paths(["plan.xlsx"]), dry_run=True)

1. Read every sheet (planfiles), then check every row: known axis, a pilot that is an account or a
   name, a status/météo/priority/participation from their lists, budgets in plain euros (not "12 k€"),
   real dates (not 31/02), territories of this plan, known partner structures, vocabulary words, no
   action or axis twice.
2. Any fault: nothing is written; the report lists them all.
3. Otherwise, in one transaction: upsert by code (axes, actions, indicators), by year (budgets), by
   (indicator, territory, type, date) (values): a re-import updates without duplicating. Each created
   or changed action is recorded in the history with the file names as origin. A dry run stops there.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from relais.accounts.models import User
from relais.offer import vocabularies as voc
from relais.offer.models import Structure
from relais.steering import planfiles
from relais.steering.importer_write import write
from relais.steering.models import Indicator, Meteo, Participation, Plan, Priority, ProgressMode, Status, ValueKind
from relais.steering.planfiles import Issue, Row, cell_text, key
from relais.steering.sources import SOURCES
from relais.territories.models import Territory

LIST = re.compile(r"\s*[;\n]\s*")
EUROS = re.compile(r"^-?\d+(\.\d{1,2})?$")
PERIODICITY = {
    "mensuelle": Indicator.Periodicity.MONTHLY,
    "trimestrielle": Indicator.Periodicity.QUARTERLY,
    "semestrielle": Indicator.Periodicity.HALF_YEARLY,
    "annuelle": Indicator.Periodicity.YEARLY,
}
VALUE_KINDS = {"initiale": ValueKind.INITIAL, "actuelle": ValueKind.CURRENT, "cible": ValueKind.TARGET}
YES = {"oui", "o", "yes", "1", "vrai", "true", "x"}


@dataclass
class Report:
    dry_run: bool = True
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    counts: dict = field(default_factory=lambda: defaultdict(Counter))
    plan: Plan | None = None
    written: bool = False
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.errors

    def table(self) -> list[dict]:
        return [
            {"kind": kind, **{k: self.counts[kind][k] for k in ("created", "updated", "unchanged")}}
            for kind in ("axes", "actions", "budgets", "indicateurs", "valeurs")
        ]


def choices_by_word(choices) -> dict:
    """Accepted spellings of a choice list: the stored value and the French label, without case or accents."""
    found = {}
    for value, label in choices:
        found[key(value)] = value
        found[key(label)] = value
        found[key(str(label).split(":")[0])] = value
    return found


STATUSES = choices_by_word(Status.choices)
METEOS = choices_by_word(Meteo.choices)
PRIORITIES = choices_by_word(Priority.choices)
PARTICIPATIONS = choices_by_word(Participation.choices)
PROGRESS_MODES = choices_by_word(ProgressMode.choices)


@functools.lru_cache(maxsize=8192)
def parse_date(raw: str) -> dt.date | None:
    """JJ/MM/AAAA or AAAA-MM-JJ; None for anything else, 31/02 included."""
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return dt.datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


class Checker:
    """Parses cells into values, and collects every fault with its place."""

    def __init__(self, report: Report):
        self.report = report

    def fault(self, row: Row, column: str, message: str):
        self.report.errors.append(Issue(message, row.source, row.sheet, row.number, column))

    def text(self, row: Row, column: str, *, required=False, max_length=250) -> str:
        value = cell_text(row.cells.get(column))
        if required and not value:
            self.fault(row, column, _("obligatoire"))
        elif len(value) > max_length:
            self.fault(row, column, _("trop long (%(max)s caractères au plus)") % {"max": max_length})
        return value[:max_length]

    def code(self, row: Row, column: str) -> str:
        value = self.text(row, column, required=True, max_length=30)
        if value and ("/" in value or "?" in value or "#" in value):
            self.fault(row, column, _("un code ne contient ni « / », ni « ? », ni « # »"))
        return value

    def choice(self, row: Row, column: str, words: dict, default):
        raw = cell_text(row.cells.get(column))
        if not raw:
            return default
        if key(raw) not in words:
            self.fault(row, column, _("« %(value)s » n’est pas dans la liste") % {"value": raw})
            return default
        return words[key(raw)]

    def date(self, row: Row, column: str) -> dt.date | None:
        value = row.cells.get(column)
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        raw = cell_text(value)
        if not raw:
            return None
        day = parse_date(raw)
        if day is not None:
            return day
        self.fault(row, column, _("« %(value)s » n’est pas une date (JJ/MM/AAAA)") % {"value": raw})
        return None

    def euros(self, row: Row, column: str) -> Decimal | None:
        value = row.cells.get(column)
        if isinstance(value, int | float) and not isinstance(value, bool):
            return Decimal(str(value)).quantize(Decimal("0.01"))
        raw = cell_text(value).replace("\u202f", "").replace("\xa0", "").replace(" ", "")
        if not raw:
            return None
        plain = raw.removesuffix("€").replace(",", ".")
        if not EUROS.match(plain):
            self.fault(
                row,
                column,
                _("« %(value)s » n’est pas un montant en euros : écrivez le nombre entier, par exemple 12000")
                % {"value": cell_text(value)},
            )
            return None
        return Decimal(plain)

    def number(self, row: Row, column: str, *, required=False, integer=False):
        value = row.cells.get(column)
        raw = cell_text(value).replace(",", ".").replace(" ", "")
        if not raw:
            if required:
                self.fault(row, column, _("obligatoire"))
            return None
        try:
            number = Decimal(raw)
        except InvalidOperation:
            self.fault(row, column, _("« %(value)s » n’est pas un nombre") % {"value": cell_text(value)})
            return None
        if integer:
            if number != number.to_integral_value():
                self.fault(row, column, _("« %(value)s » n’est pas un nombre entier") % {"value": raw})
                return None
            return int(number)
        return number

    def words(self, row: Row, column: str) -> list[str]:
        return [w for w in LIST.split(cell_text(row.cells.get(column))) if w]

    def vocabulary(self, row: Row, column: str, enum) -> list[str]:
        known = voc.values(enum)
        found = []
        for word in self.words(row, column):
            if word not in known:
                self.fault(
                    row, column, _("« %(value)s » n’est pas dans le vocabulaire data·inclusion") % {"value": word}
                )
            else:
                found.append(word)
        return sorted(set(found))


def _plan_settings(check: Checker, rows: list[Row], plan_slug: str | None) -> dict:
    settings = {}
    for row in rows:
        name = key(cell_text(row.cells.get("cle")))
        if name not in planfiles.PLAN_KEYS:
            check.fault(row, "cle", _("clé inconnue « %(name)s »") % {"name": cell_text(row.cells.get("cle"))})
            continue
        settings[name] = (row, row.cells.get("valeur"))
    slug = plan_slug or (cell_text(settings["identifiant"][1]) if "identifiant" in settings else "")
    return {"slug": slug, "rows": settings}


def validate(book: planfiles.Workbook, report: Report, plan_slug: str | None) -> dict | None:
    """Every row checked; the parsed plan, or None when nothing can be checked further."""
    check = Checker(report)
    for issue in book.issues:
        (report.warnings if "ignorée" in issue.message or "ignored" in issue.message else report.errors).append(issue)
    head = _plan_settings(check, book.rows["plan"], plan_slug)
    plan = Plan.objects.filter(slug=head["slug"]).first() if head["slug"] else None
    settings = head["rows"]
    parsed = {"plan": plan, "slug": head["slug"], "plan_values": {}}
    if not head["slug"]:
        report.errors.append(Issue(_("identifiant du plan manquant : feuille plan, clé identifiant (ou --plan)")))
        return None
    if plan is None and "nom" not in settings:
        report.errors.append(
            Issue(
                _("plan inconnu « %(slug)s » : donnez son nom (feuille plan, clé nom) pour le créer")
                % {"slug": head["slug"]}
            )
        )
    values = parsed["plan_values"]
    for name, field_name in (
        ("nom", "name"),
        ("collectivite", "owner"),
        ("description", "description"),
        ("source", "source_note"),
    ):
        if name in settings:
            values[field_name] = cell_text(settings[name][1])
    for name, field_name in (("debut", "starts_on"), ("fin", "ends_on")):
        if name in settings:
            row = settings[name][0]
            values[field_name] = check.date(
                Row(row.source, row.sheet, row.number, {"valeur": settings[name][1]}), "valeur"
            )
    territories = list(plan.territories.all()) if plan else []
    if "territoires" in settings:
        row = settings["territoires"][0]
        slugs = check.words(Row(row.source, row.sheet, row.number, {"t": settings["territoires"][1]}), "t")
        known = {t.slug: t for t in Territory.objects.filter(slug__in=slugs)}
        for slug in slugs:
            if slug not in known:
                check.fault(row, "valeur", _("territoire inconnu « %(slug)s »") % {"slug": slug})
        territories = [known[s] for s in slugs if s in known]
    parsed["territories"] = {t.slug: t for t in territories}
    parsed["axes"] = _axes(check, book.rows["axes"], plan)
    parsed["actions"] = _actions(check, book.rows["actions"], plan, parsed)
    parsed["budgets"] = _budgets(check, book.rows["budgets"], parsed)
    parsed["indicators"] = _indicators(check, book.rows["indicateurs"], plan, parsed)
    parsed["values"] = _values(check, book.rows["valeurs"], plan, parsed)
    return parsed


def _axes(check: Checker, rows: list[Row], plan) -> dict:
    axes, seen = {}, {}
    existing = set(plan.axes.values_list("code", flat=True)) if plan else set()
    for row in rows:
        code = check.code(row, "code")
        if code in seen:
            check.fault(
                row, "code", _("axe « %(code)s » en double (déjà ligne %(row)s)") % {"code": code, "row": seen[code]}
            )
            continue
        seen[code] = row.number
        axes[code] = {
            "row": row,
            "title": check.text(row, "intitule", required=True),
            "parent": check.text(row, "parent", max_length=30),
            "order": check.number(row, "ordre", integer=True) or 0,
            "description": check.text(row, "description", max_length=5000),
        }
    for code, axis in axes.items():
        parent = axis["parent"]
        if parent and parent not in axes and parent not in existing:
            check.fault(axis["row"], "parent", _("axe parent inconnu « %(code)s »") % {"code": parent})
        if parent == code:
            check.fault(axis["row"], "parent", _("un axe ne peut pas être son propre parent"))
    return axes


def _pilot(check: Checker, row: Row, users: dict, has_pilot: bool) -> dict:
    """The pilot's fields. A row with neither account nor name keeps the pilot of an existing action (the
    open-data export leaves accounts out); for a new action it is a fault."""
    email = check.text(row, "pilote_compte", max_length=254).lower()
    name = check.text(row, "pilote_nom", max_length=150)
    if not email and not name and has_pilot:
        return {"pilot_published": key(cell_text(row.cells.get("pilote_public"))) in YES}
    pilot = {
        "pilot_user": None,
        "pilot_name": name,
        "pilot_function": check.text(row, "pilote_fonction", max_length=150),
    }
    if email:
        user = users.get(email)
        if user is None:
            check.fault(row, "pilote_compte", _("aucun compte actif avec l’adresse « %(email)s »") % {"email": email})
        pilot["pilot_user"] = user
    elif not name:
        check.fault(
            row,
            "pilote_nom",
            _("un pilote est obligatoire : l’adresse d’un compte (pilote_compte) ou un nom (pilote_nom)"),
        )
    pilot["pilot_published"] = key(cell_text(row.cells.get("pilote_public"))) in YES
    return pilot


def _territory_refs(check: Checker, row: Row, column: str, words: list[str], parsed: dict) -> list:
    found = []
    plan_territories = parsed["territories"]
    unknown = [w for w in words if w not in plan_territories]
    others = set(Territory.objects.filter(slug__in=unknown).values_list("slug", flat=True)) if unknown else set()
    for word in words:
        if word in plan_territories:
            found.append(plan_territories[word])
        elif word in others:
            check.fault(
                row, column, _("le territoire « %(slug)s » n’est pas un territoire de ce plan") % {"slug": word}
            )
        else:
            check.fault(row, column, _("territoire inconnu « %(slug)s »") % {"slug": word})
    return found


def _actions(check: Checker, rows: list[Row], plan, parsed: dict) -> dict:
    emails = {cell_text(r.cells.get("pilote_compte")).lower() for r in rows} - {""}
    users = {u.email.lower(): u for u in User.objects.filter(email__in=emails, is_active=True)}
    partner_ids = {w for r in rows for w in check.words(r, "partenaires")}
    structures = {s.pk: s for s in Structure.objects.filter(pk__in=partner_ids)}
    existing_axes = set(plan.axes.values_list("code", flat=True)) if plan else set()
    existing_actions = set(plan.actions.values_list("code", flat=True)) if plan else set()
    actions, seen = {}, {}
    for row in rows:
        code = check.code(row, "code")
        if code in seen:
            check.fault(
                row, "code", _("action « %(code)s » en double (déjà ligne %(row)s)") % {"code": code, "row": seen[code]}
            )
            continue
        seen[code] = row.number
        axis = check.text(row, "axe", required=True, max_length=30)
        if axis and axis not in parsed["axes"] and axis not in existing_axes:
            check.fault(row, "axe", _("axe inconnu « %(code)s »") % {"code": axis})
        partners = []
        for word in check.words(row, "partenaires"):
            if word in structures:
                partners.append(structures[word])
            else:
                check.fault(row, "partenaires", _("structure inconnue de l’offre « %(id)s »") % {"id": word})
        local = check.words(row, "action_locale_de")
        progress = check.number(row, "avancement", integer=True)
        if progress is not None and not 0 <= progress <= 100:
            check.fault(row, "avancement", _("un pourcentage entre 0 et 100"))
            progress = None
        actions[code] = {
            "row": row,
            "axis": axis,
            "values": {
                "title": check.text(row, "intitule", required=True),
                "description": check.text(row, "description", max_length=10000),
                "objectives": check.text(row, "objectifs", max_length=10000),
                **_pilot(check, row, users, code in existing_actions),
                "status": check.choice(row, "statut", STATUSES, Status.NONE),
                "meteo": check.choice(row, "meteo", METEOS, Meteo.NONE),
                "priority": check.choice(row, "priorite", PRIORITIES, Priority.MEDIUM),
                "participation": check.choice(row, "participation", PARTICIPATIONS, Participation.NONE),
                "starts_on": check.date(row, "debut"),
                "ends_on": check.date(row, "fin"),
                "publics": check.vocabulary(row, "publics", voc.Public),
                "thematiques": check.vocabulary(row, "thematiques", voc.Thematique),
                "progress_mode": check.choice(row, "mode_avancement", PROGRESS_MODES, ProgressMode.STEPS),
                "manual_progress": progress,
                "weight": check.number(row, "poids", integer=True) or 1,
            },
            "partners": partners,
            "territories": _territory_refs(check, row, "territoires", check.words(row, "territoires"), parsed),
            "local": (_territory_refs(check, row, "action_locale_de", local[:1], parsed) or [None])[0],
            "tags": [(slugify(w)[:100] or "etiquette", w[:150]) for w in check.words(row, "etiquettes")],
        }
        values = actions[code]["values"]
        if values["starts_on"] and values["ends_on"] and values["ends_on"] < values["starts_on"]:
            check.fault(row, "fin", _("la fin précède le début"))
    return actions


def _budgets(check: Checker, rows: list[Row], parsed: dict) -> dict:
    budgets, seen = {}, {}
    known = set(parsed["actions"]) | (
        set(parsed["plan"].actions.values_list("code", flat=True)) if parsed["plan"] else set()
    )
    for row in rows:
        action = check.text(row, "action", required=True, max_length=30)
        if action and action not in known:
            check.fault(row, "action", _("action inconnue « %(code)s »") % {"code": action})
        year = check.number(row, "annee", required=True, integer=True)
        if year is not None and not 1990 <= year <= 2100:
            check.fault(row, "annee", _("« %(value)s » n’est pas une année") % {"value": year})
        if (action, year) in seen:
            check.fault(
                row,
                "annee",
                _("budget en double pour cette action et cette année (déjà ligne %(row)s)")
                % {"row": seen[(action, year)]},
            )
        seen[(action, year)] = row.number
        budgets[(action, year)] = {"planned": check.euros(row, "prevu"), "spent": check.euros(row, "depense")}
    return budgets


def _indicators(check: Checker, rows: list[Row], plan, parsed: dict) -> dict:
    indicators, seen = {}, {}
    known_actions = set(parsed["actions"]) | (set(plan.actions.values_list("code", flat=True)) if plan else set())
    for row in rows:
        code = check.code(row, "code")
        if code in seen:
            check.fault(
                row,
                "code",
                _("indicateur « %(code)s » en double (déjà ligne %(row)s)") % {"code": code, "row": seen[code]},
            )
            continue
        seen[code] = row.number
        links = check.words(row, "actions")
        for action in links:
            if action not in known_actions:
                check.fault(row, "actions", _("action inconnue « %(code)s »") % {"code": action})
        computed = check.text(row, "calcul", max_length=50)
        if computed and computed not in SOURCES:
            check.fault(
                row,
                "calcul",
                _("calcul inconnu « %(name)s » (connus : %(known)s)") % {"name": computed, "known": ", ".join(SOURCES)},
            )
        indicators[code] = {
            "values": {
                "name": check.text(row, "nom", required=True),
                "unit": check.text(row, "unite", max_length=50),
                "source": check.text(row, "source"),
                "method": check.text(row, "methode", max_length=5000),
                "periodicity_days": check.choice(row, "periodicite", PERIODICITY, Indicator.Periodicity.YEARLY),
                "steward": check.text(row, "referent", max_length=150),
                "computed_source": computed,
                "computed_parameter": check.text(row, "parametre", max_length=200),
                "observatory_indicator": check.text(row, "observatoire", max_length=100),
            },
            "actions": links,
        }
    return indicators


def _values(check: Checker, rows: list[Row], plan, parsed: dict) -> dict:
    values, seen = {}, {}
    known = set(parsed["indicators"]) | (set(plan.indicators.values_list("code", flat=True)) if plan else set())
    for row in rows:
        indicator = check.text(row, "indicateur", required=True, max_length=30)
        if indicator and indicator not in known:
            check.fault(row, "indicateur", _("indicateur inconnu « %(code)s »") % {"code": indicator})
        territory = check.words(row, "territoire")[:1]
        place = (_territory_refs(check, row, "territoire", territory, parsed) or [None])[0] if territory else None
        kind = check.choice(row, "type", VALUE_KINDS, ValueKind.CURRENT)
        on = check.date(row, "date")
        if on is None and not cell_text(row.cells.get("date")):
            check.fault(row, "date", _("obligatoire"))
        number = check.number(row, "valeur", required=True)
        ident = (indicator, place.slug if place else "", kind, on)
        if ident in seen:
            check.fault(row, "date", _("valeur en double (déjà ligne %(row)s)") % {"row": seen[ident]})
        seen[ident] = row.number
        values[ident] = {
            "territory": place,
            "value": number,
            "comment": check.text(row, "commentaire", max_length=5000),
            "source": check.text(row, "source"),
        }
    return values


def import_plan(sources, *, plan_slug: str | None = None, dry_run: bool = True, actor=None) -> Report:
    started = time.monotonic()
    report = Report(dry_run=dry_run)
    book = planfiles.read(sources)
    parsed = validate(book, report, plan_slug)
    if parsed is None or not report.ok:
        report.seconds = time.monotonic() - started
        return report
    origin = _("import : %(files)s") % {"files": ", ".join(s.name for s in sources)}
    with transaction.atomic():
        report.plan = write(parsed, report.counts, actor=actor, origin=origin)
        if dry_run:
            transaction.set_rollback(True)
        else:
            report.written = True
    report.seconds = time.monotonic() - started
    return report
