"""Why each result is there, in plain French: the need met, eligibility, distance, opening, how to go."""

from __future__ import annotations

import datetime as dt

from relais.matching.eligibility import Assessment
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


def need_line(matched: tuple[NeedMatch, ...]) -> str:
    labels = ", ".join(f"« {thematique_label(m.thematique)} »" for m in matched)
    words: list[str] = []
    for m in matched:
        words += [w for w in m.words if w not in words]
    if len(matched) > 1:
        text = _("Répond à vos besoins : %(labels)s.") % {"labels": labels}
    else:
        text = _("Répond à votre besoin : %(labels)s.") % {"labels": labels}
    if words:
        text += " " + _("D’après vos mots : %(words)s.") % {"words": ", ".join(f"« {w} »" for w in words[:6])}
    return text


def eligibility_line(assessment: Assessment) -> str:
    if assessment.excluded_because:
        return _("Non accessible : %(why)s") % {"why": " ".join(r.message for r in assessment.excluded_because)}
    if assessment.to_check:
        return _("À vérifier : %(what)s") % {"what": " ".join(r.message for r in assessment.to_check)}
    return _("Vous pouvez en bénéficier. %(why)s") % {"why": " ".join(r.message for r in assessment.eligible_because)}


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


def mobilisation_line(service: ServiceRecord, constraints: Constraints) -> str:
    modes = [m for m in service.modes_mobilisation if m in _MODES]
    if not modes:
        modes = [
            m
            for m, present in (("telephoner", service.telephone), ("envoyer-un-courriel", service.courriel))
            if present
        ]
    how = [_MODES[m](service) for m in modes]
    only_pros = set(service.mobilisable_par) == {"professionnels"}
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


def notes(service: ServiceRecord, assessment: Assessment, today: dt.date, stale_after_days: int) -> tuple[str, ...]:
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
    if service.last_verified_on is None:
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


def explain_excluded(
    service: ServiceRecord,
    assessment: Assessment,
    matched: tuple[NeedMatch, ...],
    distance_km: float | None,
    place: ResolvedPlace,
) -> Explanation:
    """The short version for services that meet the need but not the person's situation."""
    return Explanation(
        need=need_line(matched),
        eligibility=eligibility_line(assessment),
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
) -> Explanation:
    return Explanation(
        need=need_line(matched),
        eligibility=eligibility_line(assessment),
        distance=distance_line(service, distance_km, place),
        opening=opening_line(opening),
        mobilisation=mobilisation_line(service, constraints),
        notes=notes(service, assessment, today, stale_after_days),
    )
