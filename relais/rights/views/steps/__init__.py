"""One form per question group (relais.rights.questions.QUESTION_GROUPS): its fields, read from and
written to the answers (relais.rights.questionnaire), its layout (sections, one per person) and its
lines in the recap. base.py holds what they share; household.py, people.py and incomes.py the steps.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.rights import questionnaire as q
from relais.rights.views.steps.base import StepForm
from relais.rights.views.steps.household import AgesStep, CommuneStep, CompositionStep, LogementStep, LoyerStep
from relais.rights.views.steps.incomes import (
    AnneeFiscaleStep,
    PatrimoineStep,
    PensionAlimentaireStep,
    PrestationsStep,
    RetraiteStep,
    RevenusActiviteStep,
    RevenusRemplacementStep,
)
from relais.rights.views.steps.people import GrossesseStep, HandicapStep, NationaliteStep, ScolariteStep, SituationStep

__all__ = ["STEPS", "StepForm", "TopicsForm", "form_for"]

STEPS: dict[str, type[StepForm]] = {
    cls.group: cls
    for cls in (
        CommuneStep,
        CompositionStep,
        AgesStep,
        LogementStep,
        LoyerStep,
        SituationStep,
        ScolariteStep,
        HandicapStep,
        GrossesseStep,
        NationaliteStep,
        RevenusActiviteStep,
        RevenusRemplacementStep,
        RetraiteStep,
        PensionAlimentaireStep,
        PatrimoineStep,
        PrestationsStep,
        AnneeFiscaleStep,
    )
}


class TopicsForm(forms.Form):
    """The first step: which aids to check."""

    aides = forms.MultipleChoiceField(
        label=gettext_lazy("Les aides à vérifier"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, answers: dict, data=None):
        super().__init__(data=data)
        self.answers = answers
        self.fields["aides"].choices = [(q.ALL, _("Toutes les aides"))] + [(t.key, t.label) for t in q.TOPICS]
        if data is None:
            self.initial = {"aides": [k for k in answers.get("aides") or [] if k != q.ALL]}

    def clean_aides(self):
        chosen = self.cleaned_data["aides"]
        if not chosen:
            raise forms.ValidationError(_("Choisissez au moins une famille d’aides, ou « Tout vérifier »."))
        return [q.ALL] if q.ALL in chosen else chosen

    def write(self):
        self.answers["aides"] = self.cleaned_data["aides"]

    save = write

    def summary(self):
        chosen = q.chosen_topics(self.answers)
        names = [str(_("Toutes les aides"))] if chosen == [q.ALL] else [str(q.TOPIC_KEYS[k].label) for k in chosen]
        return [("", [(str(self.fields["aides"].label), ", ".join(names))])]

    def error_list(self):
        return [
            {"label": str(self.fields["aides"].label), "message": e, "anchor": "id_aides_legend"}
            for e in self.errors.get("aides", [])
        ]


def form_for(step: str, answers: dict, data=None):
    if step == q.START:
        return TopicsForm(answers, data)
    return STEPS[step](answers, data)
