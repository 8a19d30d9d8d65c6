"""The steps about each person: work or studies, schooling, disability, pregnancy, nationality."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _

from relais.rights import questionnaire as q
from relais.rights.web.fields import MonthField
from relais.rights.web.steps.base import NATIONALITES, SCOLARITES, SITUATIONS, TAUX, StepForm, _check, _select, pf


class SituationStep(StepForm):
    group = "situation_pro"

    def build(self):
        for p in q.adults(self.answers):
            s = self.section(self.names[p["id"]], person=p["id"])
            self.add(s, pf(p["id"], "situation"), _select(_("Situation aujourd’hui"), SITUATIONS))
            self.add(
                s,
                pf(p["id"], "chomage_droits_epuises"),
                _check(
                    _("Fin de droits au chômage, après au moins 5 ans de travail dans les 10 dernières années"),
                    _("Pour l’allocation de solidarité spécifique (ASS)."),
                ),
                kind="check",
            )
            self.income(
                s, p, "bourse_etudes", more=False, help_text=_("Pour les étudiants boursiers ; sinon laissez vide.")
            )


class ScolariteStep(StepForm):
    group = "scolarite"

    def build(self):
        for child in q.children(self.answers):
            s = self.section(self.names[child["id"]], person=child["id"])
            self.add(s, pf(child["id"], "scolarite"), _select(_("Classe cette année"), SCOLARITES))


class HandicapStep(StepForm):
    group = "handicap"

    def build(self):
        for p in q.adults(self.answers):
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
        for p in q.adults(self.answers):
            if p.get("role") == q.ROLE_AUTRE:
                continue
            s = self.section(self.names[p["id"]], person=p["id"])
            self.add(s, pf(p["id"], "enceinte"), _check(_("Enceinte")), kind="check")
            self.add(
                s,
                pf(p["id"], "naissance_prevue"),
                MonthField(label=_("Naissance prévue (mois/année)"), help_text=_("Par exemple 03/2027.")),
            )

    def write(self):
        for p in q.adults(self.answers):
            key = pf(p["id"], "naissance_prevue")
            if key in self.cleaned_data and self.cleaned_data[key]:
                self.cleaned_data[pf(p["id"], "enceinte")] = True
        super().write()


class NationaliteStep(StepForm):
    group = "nationalite_sejour"

    def build(self):
        for p in q.adults(self.answers):
            s = self.section(self.names[p["id"]], person=p["id"])
            self.add(s, pf(p["id"], "nationalite"), _select(_("Nationalité"), NATIONALITES))
            self.add(
                s,
                pf(p["id"], "titre_sejour_annees"),
                forms.IntegerField(
                    label=_("Depuis combien d’années un titre de séjour permet-il de travailler ?"),
                    help_text=_("Seulement pour une nationalité hors Union européenne, en années."),
                    required=False,
                    min_value=0,
                    max_value=100,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                ),
            )

    def read_person(self, p, leaf):
        if leaf == "nationalite":
            return p.get("nationalite") or ("francaise" if "nationalite_sejour" in q.done(self.answers) else None)
        return super().read_person(p, leaf)

    def write(self):
        for p in q.adults(self.answers):
            nationality = self.cleaned_data.get(pf(p["id"], "nationalite"))
            years = self.cleaned_data.get(pf(p["id"], "titre_sejour_annees"))
            p.pop("titre_sejour_annees", None)
            if not nationality or nationality == "francaise":
                p.pop("nationalite", None)
                continue
            p["nationalite"] = nationality
            if nationality == "hors_ue" and years:
                p["titre_sejour_annees"] = years
