"""The map and the route link of a service fiche: where the service receives people.

The service's own position, or its structure's when it has none (`relais/offer/position.py`, said on the
fiche); with neither, no map and no link, the address alone. The map is the SVG of `relais.territories.maps`
(enough without script) with the data of the interactive map that enhances it; the route link fills the
route planner's template (`RELAIS_ROUTE_URL`) and sends nothing anywhere until the person follows it.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from relais.offer.position import Position, position_of
from relais.territories.maps import Map, Marker, interactive_data, position_map, route_url


@dataclass(frozen=True)
class FicheMap:
    position: Position
    chart: Map
    data: dict  # for the json_script element the interactive map reads
    route: str  # the route planner's link, or "" when none is set


def _address(obj) -> str:
    street = ", ".join(part for part in (obj.adresse, obj.complement_adresse) if part)
    town = " ".join(part for part in (obj.code_postal, obj.commune) if part)
    return ", ".join(part for part in (street, town) if part)


def fiche_map(
    service, *, tile_url: str = "", tile_attribution: str = "", route_template: str = "", uid: str = "carte-lieu"
) -> FicheMap | None:
    """The map of a service fiche, or None when neither the service nor its structure has a position."""
    structure = service.structure
    position = position_of(service, structure)
    if position is None:
        return None
    place = structure if position.of_structure else service
    address = _address(place)
    if position.of_structure:
        description = _(
            "Le losange marque la structure %(structure)s (%(address)s) : le service n’a pas de position propre."
        ) % {"structure": structure.nom, "address": address or _("adresse non renseignée")}
        note = _("position de la structure")
    else:
        description = _("Le losange marque le lieu d’accueil (%(address)s).") % {
            "address": address or _("adresse non renseignée")
        }
        note = address
    chart = position_map(
        position.latitude,
        position.longitude,
        service.nom,
        place.code_insee or structure.code_insee,
        title=_("Carte du lieu d’accueil : %(name)s") % {"name": service.nom},
        description=description,
        tile_url=tile_url,
        uid=uid,
    )
    marker = Marker(
        pin="",
        name=service.nom,
        latitude=position.latitude,
        longitude=position.longitude,
        label=_("Lieu d’accueil : %(name)s") % {"name": service.nom},
        note=note,
    )
    data = interactive_data(chart, [marker], tile_url=tile_url, tile_attribution=tile_attribution, cluster=False)
    return FicheMap(position, chart, data, route_url(route_template, position.latitude, position.longitude))
