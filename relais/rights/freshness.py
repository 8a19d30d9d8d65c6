"""Law freshness: for each benefit shown, the parameters it rests on, their latest date, and whether a
revaluation is overdue.

Each parameter family is declared with the OpenFisca parameter paths it covers, its expected
revaluation calendar (1 April for most minima sociaux and the BMAF, 1 January for the ASPA and the
family benefits' resource ceilings, 1 October for housing aids…) and the text that sets that
calendar. The families are declared, not derived: OpenFisca formulas read whole parameter nodes
(`P = parameters(period).prestations_sociales...`) of which only a few leaves are revalued, so a
walk of the formulas would flag parameters that never change. Tests check the declarations against
OpenFisca itself (a traced simulation of every benefit must read every declared path), that every
benefit shown has its families, and that the dates are those of the law in use (the pinned package
plus law_updates.toml).

A family is overdue on a date when an expected revaluation date has passed since its latest
value. `overdue(date)` lists them; results carry them (`legislation.parametres_en_retard`, each
item's `loi_en_retard`, a warning in `avertissements`), and `manage.py check_law` prints them all.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cache

from django.utils.translation import gettext_lazy as _

from relais.rights import law_updates
from relais.rights.system import latest_value_date, tax_benefit_system

PS = "prestations_sociales."
MS = PS + "solidarite_insertion.minima_sociaux."
APRIL, JANUARY, OCTOBER = ((4, 1),), ((1, 1),), ((10, 1),)
L161_25 = "CSS L161-25 (revalorisation annuelle au 1er avril)"


@dataclass(frozen=True)
class Family:
    key: str
    label: str
    paths: tuple[str, ...]
    calendar: tuple[tuple[int, int], ...]  # (month, day) of each expected revaluation; () none expected
    source: str  # the text that sets the calendar (or says there is none)


FAMILIES = {f.key: f for f in (
    Family("rsa_montant", _("montant forfaitaire du RSA"), (MS + "rsa.rsa_m.montant_de_base_du_rsa",), APRIL,
           "CASF L262-3 ; " + L161_25),
    Family("ppa_montant", _("montant forfaitaire de la prime d’activité"), (MS + "ppa.pa_m.montant_de_base",), APRIL,
           "CSS L842-3 ; " + L161_25),
    Family("aides_logement", _("barème des aides au logement"), (PS + "aides_logement.allocations_logement.locatif",),
           OCTOBER, "CCH L823-4 (indexation au 1er octobre sur l’IRL)"),
    Family("bmaf", _("base mensuelle des allocations familiales"), (PS + "prestations_familiales.bmaf.bmaf",), APRIL,
           "CSS L551-1 ; " + L161_25),
    Family("cf_plafonds", _("plafonds de ressources du complément familial"),
           (PS + "prestations_familiales.prestations_generales.cf.cf_plaf",), JANUARY,
           "CSS R522-2 (plafonds revalorisés au 1er janvier)"),
    Family("paje_plafonds", _("plafonds de ressources de la PAJE"),
           (PS + "prestations_familiales.petite_enfance.paje.paje_plaf",), JANUARY,
           "CSS R531-1 (plafonds revalorisés au 1er janvier)"),
    Family("aah_montant", _("montant de l’AAH"), (PS + "prestations_etat_de_sante.invalidite.aah.montant",), APRIL,
           "CSS L821-3-1 ; " + L161_25),
    Family("mva", _("majoration pour la vie autonome"),
           (PS + "prestations_etat_de_sante.invalidite.caah.majoration_vie_autonome",), (),
           "CSS D821-3 (montant fixé par décret, sans revalorisation périodique)"),
    Family("aspa", _("montants et plafonds de l’ASPA"),
           (PS + "solidarite_insertion.minimum_vieillesse.aspa.montant_maximum_annuel",
            PS + "solidarite_insertion.minimum_vieillesse.aspa.plafond_ressources"), JANUARY,
           "CSS L816-2 (revalorisation au 1er janvier)"),
    Family("asi", _("montants et plafonds de l’ASI"), (PS + "prestations_etat_de_sante.invalidite.asi",), APRIL,
           "CSS L815-24 ; " + L161_25),
    Family("ass", _("montant de l’ASS"), ("chomage.allocations_assurance_chomage.ass.montant_plein",), APRIL,
           "Code du travail L5423-6 ; " + L161_25),
    Family("css_plafond", _("plafond de ressources de la Complémentaire santé solidaire"),
           (MS + "cs.cmu.plafond_base",), APRIL, "CSS L861-1 (revalorisation au 1er avril, constatée par arrêté)"),
    Family("css_participation", _("participation à la Complémentaire santé solidaire"), (MS + "cs.css.montant",), (),
           "CSS D861-1 (montants fixés par arrêté, sans revalorisation périodique)"),
    Family("cheque_energie", _("barème du chèque énergie"), (PS + "solidarite_insertion.autre_solidarite.cheque_energie",),
           (), "Code de l’énergie R124-3 (barème fixé par arrêté, sans calendrier)"),
    Family("bourses", _("barèmes des bourses de collège et de lycée"), (PS + "education.bourses.bourses_education",), (),
           "Code de l’éducation D531-1 et suivants (barème fixé par arrêté, sans calendrier)"),
    Family("rls", _("montants de la réduction de loyer de solidarité"),
           (PS + "aides_logement.reduction_loyer_solidarite.montant",), JANUARY,
           "CCH L442-2-1 (indexation au 1er janvier sur l’IRL)"),
)}  # fmt: skip

BENEFIT_FAMILIES = {
    "rsa": ("rsa_montant", "bmaf"),
    "prime_activite": ("ppa_montant",),
    "apl": ("aides_logement",),
    "alf": ("aides_logement",),
    "als": ("aides_logement",),
    "allocations_familiales": ("bmaf",),
    "complement_familial": ("bmaf", "cf_plafonds"),
    "asf": ("bmaf",),
    "paje_base": ("bmaf", "paje_plafonds"),
    "paje_naissance": ("bmaf", "paje_plafonds"),
    "aah": ("aah_montant",),
    "majoration_vie_autonome": ("mva",),
    "aspa": ("aspa",),
    "asi": ("asi",),
    "ass": ("ass",),
    "css": ("css_plafond", "css_participation"),
    "cheque_energie": ("cheque_energie",),
    "bourse_college": ("bourses",),
    "bourse_lycee": ("bourses",),
    "reduction_loyer_solidarite": ("rls",),
}


@dataclass(frozen=True)
class Status:
    family: Family
    latest: dt.date  # start of the latest value (the oldest among the family's paths)
    expected: dt.date | None  # the latest expected revaluation on the date asked
    pending: law_updates.Pending | None  # the reviewed note saying the value is not found yet

    @property
    def overdue(self) -> bool:
        return self.expected is not None and self.latest < self.expected


def expected_on(calendar: tuple[tuple[int, int], ...], on: dt.date) -> dt.date | None:
    """The latest expected revaluation date on or before `on` (None without a calendar)."""
    dates = [dt.date(year, month, day) for year in (on.year - 1, on.year) for month, day in calendar]
    return max((d for d in dates if d <= on), default=None)


@cache
def latest_dates() -> dict[str, dt.date]:
    """Per family, the start of its latest value in the law in use (the oldest of its paths)."""
    parameters = tax_benefit_system().parameters
    out = {}
    for family in FAMILIES.values():
        dates = [latest_value_date(law_updates.node_at(parameters, path)) for path in family.paths]
        out[family.key] = min(d for d in dates if d is not None)
    return out


@cache
def statuses(on: dt.date) -> tuple[Status, ...]:
    latest = latest_dates()
    pending = law_updates.reviewed()[1]
    out = []
    for family in FAMILIES.values():
        expected = expected_on(family.calendar, on)
        note = next((p for p in pending if p.parametre in family.paths and expected and p.echeance >= expected), None)
        out.append(Status(family, latest[family.key], expected, note))
    return tuple(out)


def overdue(on: dt.date) -> dict[str, Status]:
    """Families overdue on that date, by key."""
    return {s.family.key: s for s in statuses(on) if s.overdue}


def overdue_for(code: str, on: dt.date) -> list[Status]:
    late = overdue(on)
    return [late[key] for key in BENEFIT_FAMILIES.get(code, ()) if key in late]
