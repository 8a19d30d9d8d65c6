from django import forms
from django.utils.translation import gettext_lazy as _

from relais.observatory import pages


class SignalsForm(forms.Form):
    territoire = forms.ChoiceField(label=_("Territoire"), required=False)
    mois = forms.DateField(
        label=_("Mois (besoins non couverts)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    du = forms.DateField(label=_("Orientations du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    au = forms.DateField(label=_("au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["territoire"].choices = [(p.key, p.name) for p in pages.places_menu()]

    def clean(self):
        data = super().clean()
        if data.get("du") and data.get("au") and data["du"] > data["au"]:
            self.add_error("au", _("La date de fin précède la date de début."))
        return data


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Fichier (CSV Insee, ou CSV/XLSX code, indicator, vintage, value)"))
    dry_run = forms.BooleanField(label=_("Essai à blanc : vérifier sans rien écrire"), required=False, initial=True)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError(_("Fichier trop gros : 20 Mo au plus."))
        if not upload.name.lower().endswith((".csv", ".xlsx", ".txt")):
            raise forms.ValidationError(_("Format attendu : .csv ou .xlsx."))
        return upload
