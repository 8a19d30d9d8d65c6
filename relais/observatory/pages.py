"""What the observatory's pages show, as plain data (views render it; exports and the API reuse it)."""

from __future__ import annotations

import functools

from django.utils.translation import gettext as _

from relais.observatory import catalogue, charts, figures, secrecy
from relais.observatory.catalogue import Indicator
from relais.observatory.figures import Place, Store
from relais.observatory.models import Level
from relais.territories.models import Territory

DEFAULT_PLACE = "epci:200046977"  # Métropole de Lyon


def public_label(public: str) -> str:
    labels = {
        "all": _("Toute la population"),
        "children-families": _("Enfants et familles"),
        "young": _("Jeunes"),
        "seniors": _("Personnes âgées"),
        "disability": _("Handicap"),
        "precarity": _("Précarité"),
    }
    return labels[public]


def parse_place(text: str | None) -> Place | None:
    kind, _sep, code = (text or DEFAULT_PLACE).partition(":")
    if kind not in figures.KINDS or not code or len(code) > 150:
        return None
    return figures.find_place(kind, code)


def _summary(indicator: Indicator, rows: list[dict], place: Place) -> str:
    shown = [r for r in rows if r["cell"].shown]
    secret = sum(1 for r in rows if r["cell"].status == secrecy.SECRET)
    missing = len(rows) - len(shown) - secret
    text = _(
        "%(indicator)s, %(place)s : %(n)s territoire(s) avec une valeur, %(secret)s sous secret statistique, "
        "%(missing)s non disponible(s)."
    ) % {"indicator": indicator.label, "place": place.name, "n": len(shown), "secret": secret, "missing": missing}
    if shown:
        high = max(shown, key=lambda r: r["cell"].value)
        low = min(shown, key=lambda r: r["cell"].value)
        text += " " + _("Le plus élevé : %(high)s (%(hv)s) ; le plus bas : %(low)s (%(lv)s).") % {
            "high": high["name"],
            "hv": high["shown"],
            "low": low["name"],
            "lv": low["shown"],
        }
    return text


def indicator_view(indicator: Indicator, place: Place, method: str = "quantiles", store: Store | None = None) -> dict:
    """The map's units with their cells, classes, ranking, time series and comparison with references."""
    store = store or Store.load()
    units = figures.map_units(place, indicator)
    rows = []
    for commune in units:
        unit = figures._commune_place(commune)
        cell = store.cell(indicator, unit)
        rows.append(
            {
                "code": commune.code,
                "name": commune.name,
                "cell": cell,
                "contour": commune.contour,
                "shown": figures.format_value(indicator, cell),
            }
        )
    rows.sort(key=lambda r: r["name"])
    values = [r["cell"].value for r in rows if r["cell"].shown]
    breaks = charts.classes(values, method)
    legend = []
    low = min(values) if values else None
    for i, upper in enumerate(breaks):
        legend.append(
            {
                "colour": charts.class_colour(i, len(breaks)),
                "low": low,
                "high": upper,
                "text": f"{_fmt(indicator, low)} – {_fmt(indicator, upper)}",
                "count": sum(1 for v in values if charts.classify.class_of(v, breaks) == i),
            }
        )
        low = upper
    for r in rows:
        if r["cell"].shown and breaks:
            r["class"] = charts.classify.class_of(r["cell"].value, breaks) + 1
    ranking = sorted((r for r in rows if r["cell"].shown), key=lambda r: -r["cell"].value)
    vintages = store.vintages(indicator, place)
    series = [(v, store.cell(indicator, place, v)) for v in vintages]
    comparison = [
        {
            "place": p,
            "cell": store.cell(indicator, p),
            "shown": figures.format_value(indicator, store.cell(indicator, p)),
        }
        for p in [place, *figures.references(place)]
    ]
    return {
        "indicator": indicator,
        "place": place,
        "rows": rows,
        "breaks": breaks,
        "legend": legend,
        "ranking": ranking,
        "series": [(v, c, figures.format_value(indicator, c)) for v, c in series],
        "comparison": comparison,
        "summary": _summary(indicator, rows, place),
        "method": method,
        "secret_count": sum(1 for r in rows if r["cell"].status == secrecy.SECRET),
        "na_count": sum(1 for r in rows if r["cell"].status == secrecy.NOT_AVAILABLE),
    }


def _fmt(indicator: Indicator, value) -> str:
    return figures.format_value(indicator, figures.Cell(secrecy.VALUE, value)) if value is not None else "—"


def map_svg(view: dict) -> str:
    indicator, place = view["indicator"], view["place"]
    areas = [
        charts.Area(r["code"], r["name"], r["contour"], r["cell"].value, r["cell"].status, r["shown"])
        for r in view["rows"]
    ]
    title = _("%(indicator)s : carte de %(place)s") % {"indicator": indicator.label, "place": place.name}
    return charts.choropleth(areas, view["breaks"], title, view["summary"])


def ranking_svg(view: dict, limit: int = 30) -> str:
    rows = [(r["name"], r["cell"].value, r["shown"]) for r in view["ranking"][:limit]]
    title = _("%(indicator)s : classement") % {"indicator": view["indicator"].label}
    return charts.bars(rows, title, view["summary"])


def series_svg(view: dict) -> str:
    points = [(v, c.value, s) for v, c, s in view["series"] if c.shown]
    title = _("%(indicator)s : évolution, %(place)s") % {
        "indicator": view["indicator"].label,
        "place": view["place"].name,
    }
    desc = "; ".join(f"{v} : {s}" for v, _c, s in view["series"])
    return charts.series(points, title, desc)


def portrait(place: Place, store: Store | None = None) -> dict:
    """Key figures by public, with the place's references side by side."""
    store = store or Store.load()
    references = figures.references(place)
    groups: dict[str, list] = {}
    for indicator in catalogue.indicators():
        cell = store.cell(indicator, place)
        refs = []
        for reference in references:
            ref_cell = store.cell(indicator, reference)
            refs.append({"place": reference, "cell": ref_cell, "shown": figures.format_value(indicator, ref_cell)})
        groups.setdefault(indicator.public, []).append(
            {"indicator": indicator, "cell": cell, "shown": figures.format_value(indicator, cell), "references": refs}
        )
    return {
        "place": place,
        "references": references,
        "groups": [{"public": public, "label": public_label(public), "rows": rows} for public, rows in groups.items()],
        "population": store.cell(catalogue.get("population"), place),
    }


def portrait_json(view: dict) -> dict:
    def cell_json(cell):
        return {"status": cell.status, "value": cell.value, "vintage": cell.vintage, "reason": cell.reason or None}

    place = view["place"]
    return {
        "place": {"kind": place.kind, "code": place.code, "name": place.name},
        "references": [{"kind": p.kind, "code": p.code, "name": p.name} for p in view["references"]],
        "indicators": [
            {
                "id": row["indicator"].id,
                "public": group["public"],
                **cell_json(row["cell"]),
                "references": [{"code": r["place"].code, **cell_json(r["cell"])} for r in row["references"]],
            }
            for group in view["groups"]
            for row in group["rows"]
        ],
    }


def places_menu() -> list[Place]:
    """The places offered in menus: métropoles, their local territories, the two départements."""
    version = figures.referential_version()
    return _places_menu(version)


@functools.lru_cache(maxsize=4)
def _places_menu(version: tuple) -> list[Place]:
    found = []
    for kind, code in (
        (Level.EPCI, "200046977"),
        (Level.EPCI, "200039865"),
        (Level.DEPARTEMENT, "69"),
        (Level.DEPARTEMENT, "57"),
    ):
        place = figures.find_place(kind, code, version)
        if place:
            found.append(place)
    for slug in Territory.objects.order_by("name").values_list("slug", flat=True):
        found.append(figures.find_place(Level.TERRITORY, slug, version))
    return found
