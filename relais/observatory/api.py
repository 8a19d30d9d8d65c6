"""/api/v1/observatory/: the catalogue, values by indicator × level × vintage, a portrait's figures (public)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.responses import Status

from relais.apierrors import parameter_error
from relais.observatory import catalogue, figures, pages
from relais.observatory.models import Level

router = Router(tags=["observatory"])


class IndicatorOut(Schema):
    id: str
    label_fr: str
    label_en: str
    definition_fr: str
    definition_en: str
    unit: str
    decimals: int
    source: str
    licence: str
    levels: list[str]
    public: str
    direction: str
    aggregation: str
    secrecy: str
    numerator: str | None = None
    denominator: str | None = None


class ValueOut(Schema):
    code: str
    name: str
    level: str
    vintage: int | None
    status: str
    value: float | None
    reason: str | None = None


class ValuesOut(Schema):
    indicator: str
    territory: str
    items: list[ValueOut]


class ErrorOut(Schema):
    detail: str


@router.get(
    "/indicators",
    response=list[IndicatorOut],
    summary="Catalogue des indicateurs",
    operation_id="observatory_indicators",
)
def indicators(request):
    """Chaque indicateur : définition, unité, source et licence, niveaux, public, sens, agrégation, règle de secret."""
    return [indicator.as_dict() for indicator in catalogue.indicators()]


@router.get(
    "/indicators/{indicator_id}/values",
    response={200: ValuesOut, 404: ErrorOut},
    summary="Valeurs d’un indicateur",
    operation_id="observatory_values",
)
def values(
    request,
    indicator_id: str,
    territory: str = Query(pages.DEFAULT_PLACE, max_length=160, description="niveau:code, par exemple epci:200046977"),
    vintage: int | None = Query(None, ge=1800, le=9999, description="Millésime ; le plus récent par défaut."),
):
    """Les communes (ou arrondissements) d’un territoire, puis le territoire et ses références ; `status` vaut
    `value`, `secret` (secret statistique) ou `na` (non disponible, avec `reason`) : jamais 0 à la place."""
    try:
        indicator = catalogue.get(indicator_id)
    except KeyError:
        return Status(404, {"detail": _("Indicateur inconnu.")})
    place = pages.parse_place(territory)
    if place is None:
        raise parameter_error("query", "territory", "unknown_territory", _("Territoire inconnu."), territory)
    store = figures.Store.load()
    items = []
    for commune in figures.map_units(place, indicator):
        unit = figures._commune_place(commune)
        items.append(_value(unit, store.cell(indicator, unit, vintage)))
    for reference in [place, *figures.references(place)]:
        items.append(_value(reference, store.cell(indicator, reference, vintage)))
    return {"indicator": indicator.id, "territory": place.key, "items": items}


def _value(place, cell) -> dict:
    return {
        "code": place.code,
        "name": place.name,
        "level": place.kind,
        "vintage": cell.vintage,
        "status": cell.status,
        "value": cell.value,
        "reason": cell.reason or None,
    }


@router.get(
    "/portraits/{level}/{code}",
    response={200: dict, 404: ErrorOut},
    summary="Chiffres d’un portrait",
    operation_id="observatory_portrait",
)
def portrait(request, level: str, code: str):
    """Tous les indicateurs du territoire et de ses références (commune → territoire local → métropole → département)."""
    if level not in Level.values:
        return Status(404, {"detail": _("Niveau inconnu.")})
    place = figures.find_place(level, code)
    if place is None:
        return Status(404, {"detail": _("Territoire inconnu.")})
    return pages.portrait_json(pages.portrait(place))
