"""The map of a search's results: the person's place and the numbered places of the page, drawn as an SVG
(`relais.territories.maps`, no script needed) and, for the interactive map that enhances it, the same places
as data whose popups link to their entry in the list (`#resultat-<number>`)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from relais.territories.maps import Map, MapPoint, Marker, communes_in, frame_for, interactive_data, render


def results_map(place, shown, *, tile_url: str = "", uid: str = "map") -> Map | None:
    """The map of a search: the person's place and the results of the page that have a position."""
    if place is None:
        return None
    located = [s for s in shown if s.on_map]
    points = [
        MapPoint(s.number, s.service.name, s.service.latitude, s.service.longitude, to_check=not s.eligible)
        for s in located
    ]
    home = (place.latitude, place.longitude)
    frame = frame_for(home, [(p.latitude, p.longitude) for p in points])
    areas = communes_in(frame, place.commune.code)
    remote = len(shown) - len(located)
    title = _("Carte des résultats autour de %(place)s") % {"place": place.commune.name}
    description = _(
        "Le losange marque %(place)s ; les cercles numérotés sont les lieux d’accueil, avec les numéros de la liste."
    ) % {"place": place.commune.name}
    if remote:
        description += " " + _("%(n)d service(s) sans lieu d’accueil sur la carte (à distance).") % {"n": remote}
    return render(
        home,
        place.commune.name,
        points,
        areas,
        title=title,
        description=description,
        tile_url=tile_url,
        frame=frame,
        uid=uid,
    )


def result_marker(s) -> Marker:
    """One result of the list as a marker: its number, its name, and its entry in the list."""
    service = s.service
    if service.located_at_structure:
        note = _("position de la structure")
    elif service.approximate_location:
        note = _("position approximative : le centre de la commune")
    else:
        note = ", ".join(part for part in (service.adresse, service.commune) if part)
    return Marker(
        pin=str(s.number),
        name=service.name,
        latitude=service.latitude,
        longitude=service.longitude,
        label=_("Lieu %(number)s : %(name)s") % {"number": s.number, "name": service.name},
        href=f"#resultat-{s.number}",
        note=note,
        to_check=not s.eligible,
    )


def results_map_data(chart: Map | None, place, shown, *, tile_url: str = "", tile_attribution: str = "") -> dict | None:
    """The data of the interactive results map (None when there is no map to enhance)."""
    if chart is None or place is None:
        return None
    return interactive_data(
        chart,
        [result_marker(s) for s in shown if s.on_map],
        home=(place.latitude, place.longitude),
        home_name=place.commune.name,
        tile_url=tile_url,
        tile_attribution=tile_attribution,
    )
