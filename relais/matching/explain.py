"""Why each result is there, in plain French: the need met, eligibility, distance, opening, how to go.

Two wordings: the professional's (the default: « Zone d’éligibilité : Rhône », « Orientation possible par
Relais ») and the resident's (`plain=True`, the public page): everyday words, addressed to the person,
without the vocabulary of social work, and nothing that only a professional can act on.
"""

from __future__ import annotations

import datetime as dt

from relais.matching.eligibility import PUBLIC_LABELS, Assessment, Query, _labels, _range
from relais.matching.i18n import _
from relais.matching.lexicon import label as thematique_label
from relais.matching.types import Constraints, Explanation, NeedMatch, OpeningInfo, ResolvedPlace, ServiceRecord


def format_distance(km: float) -> str:
    if km < 1:
        return _("%(m)d m") % {"m": max(10, round(km * 100) * 10)}
    value = f"{km:.1f}" if km < 10 else f"{km:.0f}"
    return _("%(km)s km") % {"km": value.replace(".", ",")}


def _month(number: int) -> str:
    return (
        _("janvier"),
        _("février"),
        _("mars"),
        _("avril"),
        _("mai"),
        _("juin"),
        _("juillet"),
        _("août"),
        _("septembre"),
        _("octobre"),
        _("novembre"),
        _("décembre"),
    )[number - 1]


def _date(day: dt.date) -> str:
    """4 mars 2026 (without Django's date_format, which costs ~100 µs a call)."""
    return _("%(day)d %(month)s %(year)d") % {"day": day.day, "month": _month(day.month), "year": day.year}


def need_line(matched: tuple[NeedMatch, ...], plain: bool = False) -> str:
    labels = ", ".join(f"« {thematique_label(m.thematique)} »" for m in matched)
    words: list[str] = []
    for m in matched:
        words += [w for w in m.words if w not in words]
    if plain:
        text = _("Peut vous aider pour : %(labels)s.") % {"labels": labels}
        if words:
            text += " " + _("Vous avez écrit : %(words)s.") % {"words": ", ".join(f"« {w} »" for w in words[:6])}
        return text
    if len(matched) > 1:
        text = _("Répond à vos besoins : %(labels)s.") % {"labels": labels}
    else:
        text = _("Répond à votre besoin : %(labels)s.") % {"labels": labels}
    if words:
        text += " " + _("D’après vos mots : %(words)s.") % {"words": ", ".join(f"« {w} »" for w in words[:6])}
    return text


def eligibility_line(assessment: Assessment, plain: bool = False) -> str:
    if assessment.excluded_because:
        why = " ".join(r.message for r in assessment.excluded_because)
        return (_("Ce lieu n’est pas pour vous : %(why)s") if plain else _("Non accessible : %(why)s")) % {"why": why}
    if assessment.to_check:
        what = " ".join(r.message for r in assessment.to_check)
        return (_("Avant d’y aller, vérifiez : %(what)s") if plain else _("À vérifier : %(what)s")) % {"what": what}
    why = " ".join(r.message for r in assessment.eligible_because)
    return (_("Ce lieu peut vous accueillir. %(why)s") if plain else _("Vous pouvez en bénéficier. %(why)s")) % {
        "why": why
    }


def _place_name(q: Query) -> str:
    return q.place.commune.name


# The resident's wording of eligibility reasons (eligibility._MESSAGES has the professional's): what the
# person can do about it, in everyday words. Reasons not listed here keep the professional wording.
PLAIN_REASONS = {
    # why it fits
    "zone": lambda s, q: _("Il accueille les habitants de %(place)s.") % {"place": _place_name(q)},
    "publics_all": lambda s, q: _("Il est ouvert à tout le monde."),
    "publics": lambda s, q: (
        _("Il est pour les personnes comme vous (%(publics)s).")
        % {"publics": _labels([p for p in s.publics if q.facts.get(p) is True], PUBLIC_LABELS)}
    ),
    "age": lambda s, q: _("Il accueille les personnes %(range)s : c’est votre âge.") % {"range": _range(s)},
    # what to check
    "zone_unknown": lambda s, q: (
        _("appelez pour savoir s’il accueille les habitants de %(place)s.") % {"place": _place_name(q)}
    ),
    "zone_arrondissement": lambda s, q: _("il n’accueille que certains arrondissements : appelez pour savoir."),
    "zone_epci_unknown": lambda s, q: (
        _("appelez pour savoir s’il accueille les habitants de %(place)s.") % {"place": _place_name(q)}
    ),
    "publics_unknown": lambda s, q: (
        _("il est réservé à certaines personnes (%(publics)s) : appelez pour savoir si c’est votre cas.")
        % {"publics": _labels([p for p in s.publics if q.facts.get(p) is not False], PUBLIC_LABELS)}
    ),
    "age_unknown": lambda s, q: _("il accueille les personnes %(range)s.") % {"range": _range(s)},
    "resources": lambda s, q: (
        _("il faut peut-être avoir de petits revenus (%(text)s).") % {"text": s.conditions_acces.strip().rstrip(".")}
    ),
    "mode_unknown": lambda s, q: _("appelez pour savoir s’il reçoit sur place ou à distance."),
    "fees_unknown": lambda s, q: _("demandez si c’est gratuit."),
    "languages_unknown": lambda s, q: _("demandez quelles langues on y parle."),
    "step_free_unknown": lambda s, q: _("demandez si l’entrée est sans marche."),
    "hours_unknown_now": lambda s, q: _("appelez pour savoir s’il est ouvert maintenant."),
    "hours_unknown_that_day": lambda s, q: _("appelez pour savoir s’il est ouvert ce jour-là."),
    # why not
    "zone_mismatch": lambda s, q: _("il n’accueille pas les habitants de %(place)s.") % {"place": _place_name(q)},
    "publics_mismatch": lambda s, q: (
        _("il est réservé à d’autres personnes (%(publics)s).") % {"publics": _labels(s.publics, PUBLIC_LABELS)}
    ),
    "age_mismatch": lambda s, q: _("il accueille seulement les personnes %(range)s.") % {"range": _range(s)},
    "fees": lambda s, q: _("il est payant."),
    "closed_now": lambda s, q: _("il est fermé en ce moment."),
    "referrals": lambda s, q: _("il ne reçoit que des personnes envoyées par un professionnel."),
}


def distance_line(service: ServiceRecord, distance_km: float | None, place: ResolvedPlace) -> str:
    remote = service.remote
    if service.on_site and distance_km is not None:
        where = ", ".join(part for part in (service.adresse, service.commune) if part)
        text = (
            _("À environ %(d)s de %(place)s")
            if service.approximate_location or place.precision != "coordinates"
            else _("À %(d)s de %(place)s")
        ) % {"d": format_distance(distance_km), "place": place.commune.name}
        if where:
            text += f" ({where})"
        text += "."
        if service.located_at_structure:
            text += " " + _("Adresse de la structure : le service n’indique pas la sienne.")
        if remote:
            text += " " + _("Aussi possible à distance.")
        return text
    if remote:
        return _("Service à distance : pas besoin de vous déplacer.")
    return _("Distance inconnue : l’adresse du lieu n’est pas renseignée.")


def opening_line(opening: OpeningInfo) -> str:
    if opening.state == "unknown" and not opening.label:
        text = _("Horaires non renseignés : contactez la structure avant de vous déplacer.")
    else:
        text = opening.label + "."
    if opening.message:
        text += " " + opening.message
    return text


_MODES = {
    "se-presenter": lambda s: _("se présenter sur place"),
    "telephoner": lambda s: _("téléphoner au %(tel)s") % {"tel": s.telephone} if s.telephone else _("téléphoner"),
    "envoyer-un-courriel": lambda s: (
        _("écrire à %(mail)s") % {"mail": s.courriel} if s.courriel else _("envoyer un courriel")
    ),
    "utiliser-lien-mobilisation": lambda s: (
        _("faire la demande en ligne (%(url)s)") % {"url": s.lien_mobilisation}
        if s.lien_mobilisation
        else _("faire la demande en ligne")
    ),
}


def mobilisation_line(service: ServiceRecord, constraints: Constraints, plain: bool = False) -> str:
    modes = [m for m in service.modes_mobilisation if m in _MODES]
    if not modes:
        modes = [
            m
            for m, present in (("telephoner", service.telephone), ("envoyer-un-courriel", service.courriel))
            if present
        ]
    how = [_MODES[m](service) for m in modes]
    only_pros = set(service.mobilisable_par) == {"professionnels"}
    if plain:
        if only_pros:
            text = _(
                "Il faut y être envoyé par un professionnel (assistante sociale, conseiller) : demandez-lui de vous "
                "y orienter."
            )
            if how:
                text += " " + _("Il ou elle peut %(how)s.") % {"how": _(" ou ").join(how)}
        elif how:
            text = _("Pour y aller : %(how)s.") % {"how": _(" ou ").join(how)}
        else:
            text = _("Pour y aller : contactez %(name)s.") % {"name": service.structure_name}
        if service.mobilisation_precisions:
            text += " " + service.mobilisation_precisions.strip()
        return text
    if only_pros and not constraints.for_professional:
        text = _("Sur orientation d’un ou d’une professionnelle (travailleur social, conseiller…).")
        if how:
            text += " " + _("La personne qui vous accompagne peut %(how)s.") % {"how": _(" ou ").join(how)}
    elif how:
        text = _("Pour y accéder : %(how)s.") % {"how": _(" ou ").join(how)}
    else:
        text = _("Pour y accéder : contactez la structure %(name)s.") % {"name": service.structure_name}
    if service.accepts_referrals:
        text += " " + _("Orientation possible par Relais.")
    if service.mobilisation_precisions:
        text += " " + service.mobilisation_precisions.strip()
    return text


WINDOW_NOTES = {
    ("now", True): lambda: _("Ouvert dans l’heure qui vient."),
    ("now", False): lambda: _("Pas ouvert dans l’heure qui vient."),
    ("today", True): lambda: _("Ouvert aujourd’hui."),
    ("today", False): lambda: _("Pas d’ouverture prévue aujourd’hui."),
    ("tonight", True): lambda: _("Ouvert ce soir ou cette nuit."),
    ("tonight", False): lambda: _("Pas d’ouverture prévue ce soir ni cette nuit."),
}


def window_note(hint: str | None, open_in_window: bool | None) -> str:
    """« Ouvert ce soir ou cette nuit. » when the person said when (None: hours unknown, nothing to say)."""
    if hint is None or open_in_window is None:
        return ""
    return WINDOW_NOTES[(hint, bool(open_in_window))]()


def notes(
    service: ServiceRecord, assessment: Assessment, today: dt.date, stale_after_days: int, plain: bool = False
) -> tuple[str, ...]:
    if plain:
        return _plain_notes(service, assessment, today, stale_after_days)
    out = []
    capacity = service.capacity_on(today)
    if capacity == "full":
        out.append(
            _("Complet jusqu’au %(date)s.") % {"date": _date(service.full_until)}
            if service.full_until
            else _("Complet pour le moment.")
        )
    elif capacity == "waiting_list":
        out.append(_("Liste d’attente."))
    if service.frais == "payant":
        out.append(_("Payant.") + (" " + service.frais_precisions.strip() if service.frais_precisions else ""))
    if service.last_verified_on is None and service.date_maj is not None:
        out.append(
            _("Informations jamais vérifiées sur Relais ; mises à jour par leur source le %(date)s.")
            % {"date": _date(service.date_maj)}
        )
    elif service.last_verified_on is None:
        out.append(_("Informations jamais vérifiées : elles peuvent avoir changé."))
    elif (today - service.last_verified_on).days > stale_after_days:
        out.append(
            _("Informations vérifiées le %(date)s : elles peuvent avoir changé.")
            % {"date": _date(service.last_verified_on)}
        )
    if service.conditions_acces and not any(r.code == "resources" for r in assessment.to_check):
        out.append(_("Conditions d’accès : %(text)s") % {"text": service.conditions_acces.strip()})
    if service.publics_precisions:
        out.append(_("Publics : %(text)s") % {"text": service.publics_precisions.strip()})
    if service.is_demo:
        out.append(_("Donnée de démonstration."))
    return tuple(out)


def _plain_notes(service: ServiceRecord, assessment: Assessment, today: dt.date, stale_after_days: int):
    out = []
    capacity = service.capacity_on(today)
    if capacity == "full":
        out.append(
            _("Plus de place jusqu’au %(date)s.") % {"date": _date(service.full_until)}
            if service.full_until
            else _("Plus de place pour le moment : appelez pour savoir quand.")
        )
    elif capacity == "waiting_list":
        out.append(_("Il y a une liste d’attente."))
    if service.frais == "payant":
        out.append(_("C’est payant.") + (" " + service.frais_precisions.strip() if service.frais_precisions else ""))
    if service.last_verified_on is None or (today - service.last_verified_on).days > stale_after_days:
        out.append(_("Ces informations ne sont peut-être plus à jour : appelez avant d’y aller."))
    if service.conditions_acces and not any(r.code == "resources" for r in assessment.to_check):
        out.append(_("Conditions : %(text)s") % {"text": service.conditions_acces.strip()})
    if service.publics_precisions:
        out.append(_("Pour qui : %(text)s") % {"text": service.publics_precisions.strip()})
    if service.is_demo:
        out.append(_("Lieu inventé pour la démonstration."))
    return tuple(out)


def explain_excluded(
    service: ServiceRecord,
    assessment: Assessment,
    matched: tuple[NeedMatch, ...],
    distance_km: float | None,
    place: ResolvedPlace,
    plain: bool = False,
) -> Explanation:
    """The short version for services that meet the need but not the person's situation."""
    return Explanation(
        need=need_line(matched, plain),
        eligibility=eligibility_line(assessment, plain),
        distance=distance_line(service, distance_km, place),
        opening="",
        mobilisation="",
    )


def explain(
    service: ServiceRecord,
    assessment: Assessment,
    matched: tuple[NeedMatch, ...],
    distance_km: float | None,
    opening: OpeningInfo,
    place: ResolvedPlace,
    constraints: Constraints,
    today: dt.date,
    stale_after_days: int,
    plain: bool = False,
    when: str = "",
) -> Explanation:
    """Every line of a result; `plain`: the resident's wording; `when`: a note such as window_note()'s."""
    extra = notes(service, assessment, today, stale_after_days, plain)
    return Explanation(
        need=need_line(matched, plain),
        eligibility=eligibility_line(assessment, plain),
        distance=distance_line(service, distance_km, place),
        opening=opening_line(opening),
        mobilisation=mobilisation_line(service, constraints, plain),
        notes=(when, *extra) if when else extra,
    )
