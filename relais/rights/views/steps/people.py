"""The steps about each person: work or studies, schooling, disability, pregnancy, nationality."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from relais.rights import questionnaire as q
from relais.rights.views.fields import MonthField
from relais.rights.views.steps.base import NATIONALITES, SCOLARITES, SITUATIONS, TAUX, StepForm, _check, _select, pf


def _concerned(form: StepForm, wanted) -> list[dict]:
    """The adults a step asks: those `wanted` selects once the situation step is answered, else all."""
    if "situation_pro" not in q.done(form.answers):
        return q.adults(form.answers)
    return [p for p in q.adults(form.answers) if wanted(p)]


class SituationStep(StepForm):
    """Each adult's situation, and the yes/no answers that decide which later steps are asked of whom."""

    group = "situation_pro"

    def build(self):
        for p in q.adults(self.answers):
            s = self.section(self.names[p["id"]], person=p["id"])
            self.add(s, pf(p["id"], "situation"), _select(_("Situation aujourd’hui"), SITUATIONS))
            self.add(s, pf(p["id"], "nationalite"), _select(_("Nationalité"), NATIONALITES))
            self.fields[pf(p["id"], "nationalite")].initial = "francaise"
            self.add(
                s,
                pf(p["id"], q.GATE_DISABILITY),
                _check(
                    _("Un handicap ou une invalidité est reconnu (MDPH, Assurance maladie)"),
                    _("Si oui, une étape vous demandera le taux et la reconnaissance."),
                ),
                kind="check",
            )
            if p.get("role") != q.ROLE_AUTRE:
                self.add(s, pf(p["id"], "enceinte"), _check(_("Enceinte")), kind="check")

    def read_person(self, p, leaf):
        if leaf == "nationalite":
            return p.get("nationalite") or "francaise"
        if leaf == q.GATE_DISABILITY:
            return q.declares_disability(p)
        return super().read_person(p, leaf)

    def write_person(self, p, leaf, value):
        if leaf == "nationalite":
            value = None if value == "francaise" else value
            if value != "hors_ue":
                p.pop("titre_sejour_annees", None)
        if leaf == "enceinte" and not value:
            p.pop("naissance_prevue", None)
        if leaf == q.GATE_DISABILITY and not value:
            for key in ("taux_incapacite", "restriction_emploi", "invalidite", "inapte_travail"):
                p.pop(key, None)
        super().write_person(p, leaf, value)


class ScolariteStep(StepForm):
    group = "scolarite"

    def build(self):
        for child in q.children(self.answers):
            s = self.section(self.names[child["id"]], person=child["id"])
            self.add(s, pf(child["id"], "scolarite"), _select(_("Classe cette année"), SCOLARITES))


class HandicapStep(StepForm):
    group = "handicap"

    def build(self):
        for p in _concerned(self, q.declares_disability):
            s = self.section(self.names[p["id"]], person=p["id"])
            self.add(
                s,
                pf(p["id"], "taux_incapacite"),
                _select(
                    _("Taux d’incapacité reconnu par la MDPH"),
                    TAUX,
                    help_text=_(
                        "Il figure sur la notification de la MDPH. Sans taux reconnu, choisissez la première réponse."
                    ),
                ),
            )
            self.add(
                s,
                pf(p["id"], "restriction_emploi"),
                _check(_("La MDPH a reconnu une restriction substantielle et durable d’accès à l’emploi")),
                kind="check",
            )
            self.add(
                s, pf(p["id"], "invalidite"), _check(_("Invalidité reconnue par l’Assurance maladie")), kind="check"
            )
            self.add(s, pf(p["id"], "inapte_travail"), _check(_("Inaptitude au travail reconnue")), kind="check")

    def read_person(self, p, leaf):
        if leaf == "taux_incapacite":
            taux = int(p.get("taux_incapacite") or 0)
            return "80" if taux >= 80 else ("50" if taux >= 50 else "0")
        return super().read_person(p, leaf)

    def write_person(self, p, leaf, value):
        if leaf == "taux_incapacite":
            taux = int(value or 0)
            if taux:
                p["taux_incapacite"] = taux
            else:
                p.pop("taux_incapacite", None)
            return
        super().write_person(p, leaf, value)


class GrossesseStep(StepForm):
    group = "grossesse"

    def build(self):
        for p in _concerned(self, lambda p: bool(p.get("enceinte"))):
            if p.get("role") == q.ROLE_AUTRE:
                continue
            s = self.section(self.names[p["id"]], person=p["id"])
            self.add(
                s,
                pf(p["id"], "naissance_prevue"),
                MonthField(label=_("Naissance prévue (mois/année)"), help_text=_("Par exemple 03/2027.")),
            )

    def write(self):
        super().write()
        for p in q.adults(self.answers):
            if p.get("naissance_prevue"):
                p["enceinte"] = True


class NationaliteStep(StepForm):
    """The years of residence permit, of the adults of a nationality outside the EU (asked on the situation step)."""

    group = "nationalite_sejour"

    def build(self):
        for p in _concerned(self, lambda p: p.get("nationalite") == "hors_ue"):
            s = self.section(self.names[p["id"]], person=p["id"])
            self.add(
                s,
                pf(p["id"], "titre_sejour_annees"),
                forms.IntegerField(
                    label=_("Depuis combien d’années un titre de séjour permet-il de travailler ?"),
                    help_text=_("En années."),
                    required=False,
                    min_value=0,
                    max_value=100,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                ),
            )
