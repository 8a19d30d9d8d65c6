"""Export of a plan as open data: XLSX (one sheet per kind), CSV (a ZIP of one file per sheet), JSON.

The same sheets and columns as the import (planfiles.COLUMNS), so an export can be edited and imported
again. Open data: no personal data beyond the pilots' names and functions that are published — never an
account, an e-mail address, a draft note, or a local pilot.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

from relais.steering.models import Action, ActionTerritory, BudgetLine, Indicator, IndicatorValue, Plan
from relais.steering.planfiles import COLUMNS

FORMATS = ("xlsx", "csv", "json")
KIND_WORDS = {"initial": "initiale", "current": "actuelle", "target": "cible"}
PERIODICITY_WORDS = {31: "mensuelle", 92: "trimestrielle", 183: "semestrielle", 366: "annuelle"}


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _number(value):
    if value is None:
        return ""
    value = Decimal(value).normalize()
    return int(value) if value == value.to_integral_value() else float(value)


def sheets(plan: Plan) -> dict[str, list[dict]]:
    """{sheet: [row as {column: value}]}, in import columns."""
    plan_rows = [
        {"cle": "identifiant", "valeur": plan.slug},
        {"cle": "nom", "valeur": plan.name},
        {"cle": "collectivite", "valeur": plan.owner},
        {"cle": "debut", "valeur": _date(plan.starts_on)},
        {"cle": "fin", "valeur": _date(plan.ends_on)},
        {"cle": "description", "valeur": plan.description},
        {"cle": "source", "valeur": plan.source_note},
        {"cle": "territoires", "valeur": ";".join(plan.territories.order_by("slug").values_list("slug", flat=True))},
    ]
    axes = [
        {
            "code": a.code,
            "intitule": a.title,
            "parent": a.parent.code if a.parent else "",
            "ordre": a.order,
            "description": a.description,
        }
        for a in plan.axes.select_related("parent").order_by("order", "code")
    ]
    declinations: dict = {}
    for action_id, slug in ActionTerritory.objects.filter(action__plan=plan).values_list(
        "action_id", "territory__slug"
    ):
        declinations.setdefault(action_id, []).append(slug)
    actions = []
    query = (
        Action.objects.filter(plan=plan)
        .select_related("axis", "local_territory")
        .prefetch_related("partners", "tags")
        .order_by("code")
    )
    for a in query:
        actions.append(
            {
                "code": a.code,
                "axe": a.axis.code,
                "intitule": a.title,
                "description": a.description,
                "objectifs": a.objectives,
                "pilote_compte": "",  # never exported: personal data
                "pilote_nom": a.pilot_name if a.pilot_published else "",
                "pilote_fonction": a.pilot_function if a.pilot_published else "",
                "pilote_public": "oui" if a.pilot_published else "non",
                "partenaires": ";".join(sorted(s.pk for s in a.partners.all())),
                "territoires": ";".join(sorted(declinations.get(a.pk, []))),
                "action_locale_de": a.local_territory.slug if a.local_territory else "",
                "statut": a.status,
                "meteo": a.meteo,
                "priorite": a.priority,
                "participation": a.participation,
                "debut": _date(a.starts_on),
                "fin": _date(a.ends_on),
                "publics": ";".join(a.publics),
                "thematiques": ";".join(a.thematiques),
                "etiquettes": ";".join(sorted(t.name for t in a.tags.all())),
                "mode_avancement": a.progress_mode,
                "avancement": "" if a.manual_progress is None else a.manual_progress,
                "poids": a.weight,
            }
        )
    budgets = [
        {"action": code, "annee": year, "prevu": _number(planned), "depense": _number(spent)}
        for code, year, planned, spent in BudgetLine.objects.filter(action__plan=plan)
        .order_by("action__code", "year")
        .values_list("action__code", "year", "planned", "spent")
    ]
    indicators = []
    for i in Indicator.objects.filter(plan=plan).prefetch_related("actions").order_by("code"):
        indicators.append(
            {
                "code": i.code,
                "nom": i.name,
                "unite": i.unit,
                "source": i.source,
                "methode": i.method,
                "periodicite": PERIODICITY_WORDS.get(i.periodicity_days, ""),
                "referent": i.steward,
                "actions": ";".join(sorted(a.code for a in i.actions.all())),
                "calcul": i.computed_source,
                "parametre": i.computed_parameter,
                "observatoire": i.observatory_indicator,
            }
        )
    values = [
        {
            "indicateur": code,
            "territoire": slug or "",
            "type": KIND_WORDS[kind],
            "date": _date(on),
            "valeur": _number(value),
            "commentaire": comment,
            "source": source,
        }
        for code, slug, kind, on, value, comment, source in IndicatorValue.objects.filter(indicator__plan=plan)
        .order_by("indicator__code", "territory__slug", "kind", "on")
        .values_list("indicator__code", "territory__slug", "kind", "on", "value", "comment", "source")
    ]
    return {
        "plan": plan_rows,
        "axes": axes,
        "actions": actions,
        "budgets": budgets,
        "indicateurs": indicators,
        "valeurs": values,
    }


def to_json(plan: Plan) -> bytes:
    data = sheets(plan)
    document = {
        "plan": {row["cle"]: row["valeur"] for row in data.pop("plan")},
        **data,
        "exported_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
    }
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def to_csv_zip(plan: Plan) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for sheet, rows in sheets(plan).items():
            text = io.StringIO()
            writer = csv.DictWriter(text, fieldnames=COLUMNS[sheet])
            writer.writeheader()
            writer.writerows(rows)
            archive.writestr(f"{sheet}.csv", "\ufeff" + text.getvalue())
    return buffer.getvalue()


def to_xlsx(plan: Plan) -> bytes:
    import openpyxl  # heavy: loaded only when a workbook is asked for, like relais/offer/exporter.py

    workbook = openpyxl.Workbook(write_only=True)
    for sheet, rows in sheets(plan).items():
        worksheet = workbook.create_sheet(sheet)
        worksheet.append(list(COLUMNS[sheet]))
        for row in rows:
            worksheet.append([row.get(column, "") for column in COLUMNS[sheet]])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def export(plan: Plan, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name)."""
    if fmt == "json":
        return to_json(plan), "application/json", f"{plan.slug}.json"
    if fmt == "csv":
        return to_csv_zip(plan), "application/zip", f"{plan.slug}-csv.zip"
    if fmt == "xlsx":
        return (
            to_xlsx(plan),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{plan.slug}.xlsx",
        )
    raise ValueError(fmt)
