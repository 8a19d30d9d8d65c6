"""The two sharing forms: one recipient, an e-mail address or a French mobile number, and a honeypot.

Nothing else is taken from the sender: the message is built from the page's own search or fiche
(relais/sharing/subjects.py), so the form cannot relay a text of anybody's. Every error names its field.
"""

from __future__ import annotations

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais import sms
from relais.textinput import validate_deliverable_email

HONEYPOT = "site_web"  # hidden by the stylesheet: people leave it empty, robots fill it


class _ShareForm(forms.Form):
    site_web = forms.CharField(
        label=gettext_lazy("Laissez ce champ vide"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    @property
    def is_robot(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT))


class EmailShareForm(_ShareForm):
    channel = "courriel"
    courriel = forms.CharField(
        label=gettext_lazy("Adresse e-mail du destinataire"),
        help_text=gettext_lazy("Par exemple : prenom.nom@exemple.fr. Elle sert à cet envoi seulement."),
        max_length=254,
        error_messages={"required": gettext_lazy("Adresse e-mail du destinataire : écrivez-la pour envoyer.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    def clean_courriel(self) -> str:
        value = self.cleaned_data["courriel"].strip()
        try:
            validate_email(value)
            validate_deliverable_email(value)
        except forms.ValidationError:
            raise forms.ValidationError(
                _(
                    "Adresse e-mail du destinataire : « %(value)s » n’est pas une adresse complète, "
                    "écrivez-la comme prenom.nom@exemple.fr."
                ),
                code="invalid",
                params={"value": value[:60]},
            ) from None
        return value


class SmsShareForm(_ShareForm):
    channel = "sms"
    telephone = forms.CharField(
        label=gettext_lazy("Numéro de portable du destinataire"),
        help_text=gettext_lazy(
            "Un portable français : 06 ou 07, par exemple 06 12 34 56 78. Il sert à cet envoi seulement."
        ),
        max_length=30,
        error_messages={"required": gettext_lazy("Numéro de portable du destinataire : écrivez-le pour envoyer.")},
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_telephone(self) -> str:
        number = sms.french_mobile_number(self.cleaned_data["telephone"])
        if number is None:
            raise forms.ValidationError(
                _(
                    "Numéro de portable du destinataire : écrivez un numéro de portable français de 10 chiffres "
                    "commençant par 06 ou 07, par exemple 06 12 34 56 78."
                ),
                code="invalid",
            )
        return number
