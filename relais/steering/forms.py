"""Forms of the steering pages: validation at the edge, messages naming the field."""

from django import forms
from django.utils.translation import gettext_lazy as _

from relais.offer import vocabularies as voc
from relais.steering.models import ActionTerritory, Meteo, Status, Tag


class QuickUpdateForm(forms.Form):
    """The pilot's two-minute update."""

    status = forms.ChoiceField(label=_("Statut"), choices=Status.choices, required=False)
    meteo = forms.ChoiceField(label=_("Météo"), choices=Meteo.choices, required=False)
    manual_progress = forms.IntegerField(
        label=_("Avancement (%)"), min_value=0, max_value=100, required=False, help_text=_("de 0 à 100")
    )
    note = forms.CharField(label=_("Note de suivi"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    publish_note = forms.BooleanField(label=_("Publier la note dans le compte rendu public"), required=False)

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        if action is not None and action.progress_mode != "manual":
            del self.fields["manual_progress"]

    def values(self) -> dict:
        data = self.cleaned_data
        values = {"status": data["status"], "meteo": data["meteo"]}
        if "manual_progress" in self.fields:
            values["manual_progress"] = data["manual_progress"]
        return values


class DeclinationForm(forms.ModelForm):
    class Meta:
        model = ActionTerritory
        fields = ["status", "meteo", "local_pilot_name", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 4})}


class CampaignForm(forms.Form):
    title = forms.CharField(label=_("Intitulé"), max_length=200, initial=_("Point d’étape"))
    due_on = forms.DateField(label=_("Réponse attendue avant le"), widget=forms.DateInput(attrs={"type": "date"}))
    message = forms.CharField(label=_("Message aux pilotes"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class PublicFilterForm(forms.Form):
    axe = forms.ChoiceField(label=_("Axe"), required=False)
    etiquette = forms.ChoiceField(label=_("Étiquette"), required=False)
    territoire = forms.ChoiceField(label=_("Territoire"), required=False)
    public = forms.ChoiceField(label=_("Public"), required=False)
    statut = forms.ChoiceField(label=_("Statut"), required=False)

    def __init__(self, *args, plan, axes, territories, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("Tous"))]
        self.fields["axe"].choices = everything + [(axis.code, str(axis)) for axis in axes]
        self.fields["etiquette"].choices = everything + [
            (tag.slug, tag.name) for tag in Tag.objects.filter(plan=plan).order_by("name")
        ]
        self.fields["territoire"].choices = everything + [(t.slug, t.name) for t in territories]
        self.fields["public"].choices = everything + voc.choices(voc.Public)
        self.fields["statut"].choices = everything + [(value or "none", label) for value, label in Status.choices]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class ImportForm(forms.Form):
    files = MultipleFileField(
        label=_("Fichiers du plan"),
        help_text=_("un classeur XLSX, ou des fichiers CSV nommés par feuille (axes.csv, actions.csv, …)"),
    )
    dry_run = forms.BooleanField(label=_("Vérifier seulement, sans rien enregistrer"), required=False, initial=True)
