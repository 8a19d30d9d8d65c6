"""Referral forms: the minimum about the person, the consent, the answer, the outcome, and the filters."""

import hashlib
import json
import uuid

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais import sms
from relais.offer.models import Structure
from relais.referrals import consent, contact, privacy
from relais.referrals.models import ContactChannel, Outcome, RefusalReason, Situation
from relais.textinput import validate_multi_line, validate_single_line

REASON_MAX = 500
HEALTH_WARNING = gettext_lazy(
    "N’écrivez aucune information de santé (maladie, handicap, traitement, grossesse…) : elle n’est pas nécessaire "
    "pour orienter et ne doit pas circuler ici."
)


class ReferralForm(forms.Form):
    """The person's details: name, one contact channel they choose, availability, situation, a short reason."""

    organisation = forms.ModelChoiceField(
        label=gettext_lazy("Vous orientez au titre de"), queryset=Structure.objects.none(), empty_label=None
    )
    first_name = forms.CharField(label=gettext_lazy("Prénom"), max_length=80, validators=[validate_single_line])
    last_name = forms.CharField(label=gettext_lazy("Nom"), max_length=80, validators=[validate_single_line])
    contact_channel = forms.ChoiceField(
        label=gettext_lazy("Comment la structure peut-elle joindre la personne ?"),
        choices=ContactChannel.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Le canal que la personne a choisi : un seul. Seul le courriel lui apporte des messages automatiques "
            "(envoi, réponse de la structure) ; la plateforme n’envoie pas de SMS : si elle a choisi le téléphone, "
            "ou de passer par vous, c’est à vous de la tenir informée."
        ),
    )
    contact_email = forms.CharField(
        label=gettext_lazy("Courriel de la personne (si elle a choisi le courriel)"),
        required=False,
        max_length=contact.EMAIL_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )
    contact_phone = forms.CharField(
        label=gettext_lazy("Téléphone de la personne (si elle a choisi le téléphone)"),
        required=False,
        max_length=contact.PHONE_MAX,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off"}),
        validators=[validate_single_line],
    )
    availability = forms.CharField(
        label=gettext_lazy("Disponibilités"),
        max_length=200,
        required=False,
        help_text=gettext_lazy("Par exemple : le matin en semaine, pas le mercredi."),
        validators=[validate_single_line],
    )
    situation = forms.ChoiceField(
        label=gettext_lazy("Situation"), choices=[("", gettext_lazy("choisir…")), *Situation.choices]
    )
    reason = forms.CharField(
        label=gettext_lazy("Motif de l’orientation"),
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 4, "maxlength": REASON_MAX}),
        help_text=HEALTH_WARNING,
        validators=[validate_multi_line],
    )
    no_health_details = forms.BooleanField(
        label=gettext_lazy("Je confirme que ce texte ne contient aucune information de santé."), required=False
    )
    attachment = forms.FileField(
        label=gettext_lazy("Pièce jointe (facultative)"),
        required=False,
        help_text=gettext_lazy("Un seul fichier PDF, JPEG ou PNG de 2 Mo au plus. Aucun document médical."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    key = forms.UUIDField(widget=forms.HiddenInput, initial=uuid.uuid4)

    def __init__(self, *args, organisations, too_big=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations
        if sms.enabled():
            self.fields["contact_channel"].help_text = _(
                "Le canal que la personne a choisi : un seul. Le courriel, ou un SMS si elle a choisi le téléphone "
                "avec un numéro de portable, lui apportent des messages automatiques (envoi, réponse de la "
                "structure) ; avec un téléphone fixe, ou si elle a choisi de passer par vous, c’est à vous de la "
                "tenir informée."
            )
        self.too_big = too_big or {}  # files the upload limit skipped (relais/referrals/uploads.py)
        self.health_warning = []
        self.attachment_kind = ""

    def clean_contact_email(self):
        email = self.cleaned_data["contact_email"].strip()
        return contact.clean_email(email) if email else ""

    def clean_contact_phone(self):
        phone = self.cleaned_data["contact_phone"].strip()
        return contact.clean_phone(phone) if phone else ""

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if "attachment" in self.too_big:
            raise forms.ValidationError(
                _("Le fichier « %(name)s » pèse plus de 2 Mo : il est refusé. Choisissez un fichier plus léger.")
                % {"name": self.too_big["attachment"][:80]},
                code="too_big",
            )
        if upload:
            self.attachment_kind = privacy.check_attachment(upload)
        return upload

    def clean(self):
        data = super().clean()
        channel = data.get("contact_channel")
        for wanted, name in ((ContactChannel.EMAIL, "contact_email"), (ContactChannel.PHONE, "contact_phone")):
            if channel == wanted and name not in self.errors:
                try:
                    contact.clean(channel, data.get(name, ""))
                except forms.ValidationError as error:
                    self.add_error(name, error)
        self.health_warning = privacy.health_words(data.get("reason", ""), data.get("availability", ""))
        if self.health_warning and not data.get("no_health_details"):
            self.add_error(
                "reason",
                _(
                    "Ce texte semble contenir une information de santé (« %(words)s ») : retirez-la. Si ce n’en est pas "
                    "une, cochez la case de confirmation."
                )
                % {"words": "», « ".join(self.health_warning)},
            )
        return data

    def digest(self) -> str:
        """What was submitted, as a digest: the same form sent again with changes revises its draft."""
        upload = self.cleaned_data.get("attachment")
        parts = [str(self.cleaned_data["organisation"].pk), json.dumps(self.person(), sort_keys=True)]
        if upload:
            upload.seek(0)
            parts.append(hashlib.sha256(upload.read()).hexdigest())
            upload.seek(0)
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()

    def person(self) -> dict:
        data = self.cleaned_data
        channel = data["contact_channel"]
        value = {
            ContactChannel.EMAIL: data.get("contact_email", ""),
            ContactChannel.PHONE: data.get("contact_phone", ""),
        }
        return {
            "first_name": data["first_name"].strip(),
            "last_name": data["last_name"].strip(),
            "contact_channel": channel,
            "contact_value": value.get(channel, ""),
            "availability": data.get("availability", "").strip(),
            "situation": data["situation"],
            "reason": data["reason"].strip(),
        }


class ConsentForm(forms.Form):
    wording_version = forms.ChoiceField(choices=[(key, key) for key in consent.WORDINGS], widget=forms.HiddenInput)
    informed = forms.BooleanField(label=gettext_lazy("La personne est informée et d’accord."), required=True)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["wording_version"].initial = consent.CURRENT
        self.fields["informed"].error_messages["required"] = _(
            "Confirmez que la personne est informée et d’accord : sans son accord, l’orientation ne part pas."
        )


class AnswerForm(forms.Form):
    DECISIONS = [("accept", gettext_lazy("Accepter l’orientation")), ("refuse", gettext_lazy("Refuser l’orientation"))]
    decision = forms.ChoiceField(label=gettext_lazy("Votre réponse"), choices=DECISIONS, widget=forms.RadioSelect)
    refusal_reason = forms.ChoiceField(
        label=gettext_lazy("Motif du refus"),
        choices=[("", gettext_lazy("choisir… (en cas de refus)")), *RefusalReason.choices],
        required=False,
    )
    share_reason = forms.BooleanField(label=gettext_lazy("Communiquer ce motif à la personne"), required=False)

    def clean(self):
        data = super().clean()
        if data.get("decision") == "refuse" and not data.get("refusal_reason"):
            self.add_error("refusal_reason", _("En cas de refus, choisissez un motif dans la liste."))
        return data


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label=gettext_lazy("Issue de l’orientation"), choices=[("", gettext_lazy("choisir…")), *Outcome.choices]
    )


class StatisticsForm(forms.Form):
    since = forms.DateField(label=gettext_lazy("Du"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=gettext_lazy("Au"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    territory = forms.ModelChoiceField(
        label=gettext_lazy("Territoire"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("tous"),
        to_field_name="slug",
    )

    def __init__(self, *args, **kwargs):
        from relais.territories.models import Territory

        super().__init__(*args, **kwargs)
        self.fields["territory"].queryset = Territory.objects.order_by("name")

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("La date de fin précède la date de début."))
        return data


class RightOfAccessForm(forms.Form):
    """Who the person is: the name, and their e-mail or phone to tell them from a namesake."""

    last_name = forms.CharField(label=gettext_lazy("Nom de la personne"), max_length=80)
    first_name = forms.CharField(label=gettext_lazy("Prénom de la personne"), max_length=80)
    contact = forms.CharField(
        label=gettext_lazy("Courriel ou téléphone de la personne"),
        help_text=gettext_lazy(
            "Celui qu’elle a donné lors de l’orientation. Sans lui, la plateforme liste les orientations à ce nom "
            "et vous cochez celles de la personne : des homonymes ne sont jamais exportés ensemble d’office."
        ),
        max_length=254,
        required=False,
    )


class RightOfAccessChoiceForm(forms.Form):
    """Without a contact: the agent ticks, among the referrals bearing the name, those of the person."""

    referrals = forms.MultipleChoiceField(
        label=gettext_lazy("Les orientations de cette personne"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Cochez au moins une orientation de la personne.")},
    )

    def __init__(self, *args, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referrals"].choices = choices
