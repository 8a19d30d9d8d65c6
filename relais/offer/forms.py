"""Forms of partner editing and moderation: validation at the edge, every message naming its field.

Forms only validate and turn input into values; writes go through `relais.offer.actions`.
"""

import datetime as dt

from django import forms
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.offer import hours
from relais.offer import vocabularies as voc
from relais.offer.actions import version_of
from relais.offer.hours_form import HoursFieldsMixin
from relais.offer.models import Capacity, Closure, ErrorReport, Service, Structure
from relais.offer.templatetags.offer_display import language_name
from relais.territories.codes import CodeChecker
from relais.territories.models import Commune
from relais.territories.places import DatabaseCommunes, read_postal_and_name
from relais.territories.text import normalize
from relais.textinput import validate_deliverable_email, validate_multi_line, validate_single_line

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# Languages offered as checkboxes (ISO 639-1, or 639-3 when none); a listing's other codes are kept.
LANGUAGES = (
    "fr en ar es pt it de nl ru uk pl ro bg sq sr hy ka tr ku fa prs ps ur hi bn ta zh vi ti am so sw bm wo ff ln lsf"
).split()


def _sorted_codes(values, choices) -> list[str]:
    order = {code: i for i, code in enumerate(code for code, _label in _flat(choices))}
    return sorted(set(values or ()), key=lambda code: (order.get(code, len(order)), code))


def _flat(choices):
    for key, value in choices:
        if isinstance(value, list | tuple):
            yield from value
        else:
            yield key, value


def _thematique_choices():
    return [
        (categorie.label, [(t.value, t.label) for t in voc.thematiques_of(categorie.value)])
        for categorie in voc.Categorie
    ]


def _keep_unknown(choices, values) -> list:
    """Add the listing's codes that the list does not know, so that saving never drops them."""
    known = {code for code, _label in _flat(choices)}
    return list(choices) + [(code, code) for code in values or () if code not in known]


class CodeListField(forms.MultipleChoiceField):
    """A data·inclusion list of codes shown as checkboxes; cleaned into a sorted list."""

    widget = forms.CheckboxSelectMultiple

    def clean(self, value):
        return _sorted_codes(super().clean(value), self.choices)


class ZoneField(forms.CharField):
    """An eligibility zone typed as codes: communes (Insee), EPCI (SIREN), départements, or 'france'."""

    def prepare_value(self, value):
        if isinstance(value, list):
            return ", ".join(str(code) for code in value)
        return value

    def to_python(self, value):
        text = super().to_python(value)
        codes = [code for code in (part.strip() for part in text.replace(";", ",").split(",")) if code]
        return ["france" if code.lower() == "france" else code.upper() for code in codes]  # 2a -> 2A

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        codes = CodeChecker(preload=False)
        problems = [problem for problem in (codes.zone(code) for code in value) if problem]
        if problems:
            raise forms.ValidationError(
                [_("Zone d’éligibilité : %(problem)s.") % {"problem": problem} for problem in problems],
                code="unknown_zone",
            )


def siret_is_valid(siret: str) -> bool:
    """Luhn key of SIRET numbers; La Poste's establishments use a digit sum multiple of 5."""
    if len(siret) != 14 or not siret.isdigit():
        return False
    if siret.startswith("356000000"):
        return sum(int(d) for d in siret) % 5 == 0
    total = 0
    for i, digit in enumerate(int(d) for d in reversed(siret)):
        if i % 2:
            digit *= 2
            digit -= 9 if digit > 9 else 0
        total += digit
    return total % 10 == 0


def resolve_commune(code_postal: str, name: str) -> Commune | None:
    """The commune (or Lyon, Marseille, Paris arrondissement) a postal code and a name designate.

    Read by the territories' one resolver; without a postal code, a name shared by several communes is
    not resolved.
    """
    reading = read_postal_and_name(code_postal, name, DatabaseCommunes())
    found = reading.found
    return Commune.objects.filter(code=found.code).first() if found else None


def https_formfield(model_field, **kwargs):
    """Form fields of a model, URLs defaulting to https:// when typed without a scheme."""
    if isinstance(model_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return model_field.formfield(**kwargs)


class SectionedForm(HoursFieldsMixin, forms.ModelForm):
    """A model form rendered in titled sections, carrying the version it was built from.

    `version` (a fingerprint of the listing as shown) lets the action refuse to overwrite a newer edit.
    """

    required_css_class = "required"
    section_titles: tuple = ()
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.instance._state.adding:
            self.fields["version"].initial = version_of(self.instance)
        self._add_hours_fields()

    def clean(self):
        cleaned = super().clean()
        self.clean_hours(cleaned)
        return cleaned

    def sections(self):
        visible = {bf.name: bf for bf in self.visible_fields()}
        groups = []
        for title, names in self.section_titles or ((None, list(visible)),):
            fields = [visible[name] for name in names if name in visible]
            if fields:
                groups.append((title, fields))
        return groups

    def values(self) -> dict:
        """{model field: cleaned value} for the action; address fields resolved to a commune."""
        values = {name: self.cleaned_data[name] for name in self._meta.fields if name in self.cleaned_data}
        values.update(getattr(self, "_resolved", {}))
        return values

    def clean_horaires_accueil(self):
        value = (self.cleaned_data.get("horaires_accueil") or "").strip()
        message = hours.validate(value)
        if message:
            raise forms.ValidationError(message, code="invalid_opening_hours")
        return value

    def _resolve_address(self, fallback=None):
        """Set code_insee (and coordinates when the commune changes) from postal code and commune name."""
        code_postal = (self.cleaned_data.get("code_postal") or "").strip()
        name = (self.cleaned_data.get("commune") or "").strip()
        if "code_postal" in self.errors or "commune" in self.errors:
            return
        if not code_postal and not name:
            if fallback is not None and not (self.cleaned_data.get("adresse") or "").strip():
                self._resolved = {
                    field: getattr(fallback, field)
                    for field in ("adresse", "complement_adresse", "code_postal", "commune", "code_insee")
                }
                self._resolved.update(latitude=fallback.latitude, longitude=fallback.longitude)
                return
            self.add_error("commune", _("Indiquez la commune."))
            return
        if code_postal and (len(code_postal) != 5 or not code_postal.isdigit()):
            self.add_error("code_postal", _("Le code postal compte 5 chiffres."))
            return
        commune = resolve_commune(code_postal, name)
        if commune is None:
            self.add_error(
                "commune",
                _("Commune introuvable pour le code postal « %(code)s » et le nom « %(name)s ».")
                % {"code": code_postal, "name": name},
            )
            return
        self._resolved = {"code_insee": commune.code, "commune": name or commune.name}
        if commune.code != self.instance.code_insee or self.instance.latitude is None:
            self._resolved.update(latitude=commune.latitude, longitude=commune.longitude)


ADDRESS_HELP = gettext_lazy("Le code postal et la commune permettent de retrouver la commune dans le référentiel.")


class StructureForm(SectionedForm):
    reseaux_porteurs = CodeListField(label=gettext_lazy("Réseaux porteurs"), required=False)

    section_titles = (
        (gettext_lazy("La structure"), ["nom", "siret", "description", "reseaux_porteurs"]),
        (
            gettext_lazy("Adresse et contact"),
            ["adresse", "complement_adresse", "code_postal", "commune", "telephone", "courriel", "site_web"],
        ),
        (gettext_lazy("Accueil"), ["horaires_accueil", "accessibilite_lieu"]),
    )

    class Meta:
        model = Structure
        formfield_callback = https_formfield
        fields = [
            "nom",
            "siret",
            "description",
            "reseaux_porteurs",
            "adresse",
            "complement_adresse",
            "code_postal",
            "commune",
            "telephone",
            "courriel",
            "site_web",
            "horaires_accueil",
            "accessibilite_lieu",
        ]
        help_texts = {"code_postal": ADDRESS_HELP, "siret": gettext_lazy("14 chiffres, sans espace.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reseaux_porteurs"].choices = _keep_unknown(
            voc.choices(voc.ReseauPorteur), self.instance.reseaux_porteurs
        )
        self.fields["commune"].required = True
        self.fields["code_postal"].required = True

    def clean_siret(self):
        siret = (self.cleaned_data.get("siret") or "").replace(" ", "")
        if siret and not siret_is_valid(siret):
            raise forms.ValidationError(_("SIRET invalide : 14 chiffres avec une clé de contrôle correcte."))
        return siret

    def clean(self):
        cleaned = super().clean()
        self._resolve_address()
        return cleaned


def _language_choices(current) -> list:
    choices = sorted(((code, language_name(code)) for code in LANGUAGES), key=lambda c: normalize(c[1]))
    return _keep_unknown(choices, current)


class ServiceForm(SectionedForm):
    thematiques = CodeListField(label=gettext_lazy("Thématiques"))
    publics = CodeListField(label=gettext_lazy("Publics"), required=False)
    modes_accueil = CodeListField(label=gettext_lazy("Modes d’accueil"), required=False)
    modes_mobilisation = CodeListField(label=gettext_lazy("Comment mobiliser le service"), required=False)
    mobilisable_par = CodeListField(label=gettext_lazy("Qui peut mobiliser le service"), required=False)
    languages = CodeListField(label=gettext_lazy("Langues parlées"), required=False)
    zone_eligibilite = ZoneField(
        label=gettext_lazy("Zone d’éligibilité"),
        required=False,
        help_text=gettext_lazy(
            "Codes séparés par des virgules : commune (code Insee), EPCI (SIREN), département, ou france."
        ),
    )

    section_titles = (
        (gettext_lazy("Le service"), ["nom", "description", "type", "thematiques"]),
        (
            gettext_lazy("Publics et conditions"),
            ["publics", "publics_precisions", "age_min", "age_max", "conditions_acces", "frais", "frais_precisions"],
        ),
        (
            gettext_lazy("Lieu, horaires et contact"),
            [
                "modes_accueil",
                "adresse",
                "complement_adresse",
                "code_postal",
                "commune",
                "horaires_accueil",
                "telephone",
                "courriel",
                "contact_nom_prenom",
            ],
        ),
        (gettext_lazy("Places disponibles"), ["capacity", "full_until"]),
        (gettext_lazy("Langues et accessibilité"), ["languages", "step_free_access", "accessibility_details"]),
        (
            gettext_lazy("Orientation"),
            [
                "accepts_referrals",
                "modes_mobilisation",
                "mobilisable_par",
                "lien_mobilisation",
                "mobilisation_precisions",
                "zone_eligibilite",
            ],
        ),
    )

    class Meta:
        model = Service
        formfield_callback = https_formfield
        fields = [
            "nom",
            "description",
            "type",
            "thematiques",
            "publics",
            "publics_precisions",
            "age_min",
            "age_max",
            "conditions_acces",
            "frais",
            "frais_precisions",
            "modes_accueil",
            "adresse",
            "complement_adresse",
            "code_postal",
            "commune",
            "horaires_accueil",
            "telephone",
            "courriel",
            "contact_nom_prenom",
            "capacity",
            "full_until",
            "languages",
            "step_free_access",
            "accessibility_details",
            "accepts_referrals",
            "modes_mobilisation",
            "mobilisable_par",
            "lien_mobilisation",
            "mobilisation_precisions",
            "zone_eligibilite",
        ]
        widgets = {"capacity": forms.RadioSelect, "full_until": DATE_WIDGET}
        help_texts = {
            "code_postal": gettext_lazy("Laissez l’adresse vide pour reprendre celle de la structure."),
            "horaires_accueil": gettext_lazy(
                "Syntaxe opening_hours d’OpenStreetMap, par exemple Mo-Fr 09:00-12:00,14:00-17:00 ; PH off. "
                "Laissez vide pour reprendre les horaires de la structure."
            ),
            "full_until": gettext_lazy("Seulement si le service est complet : date à laquelle il rouvre."),
        }

    def __init__(self, *args, structure: Structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.structure = structure
        instance = self.instance
        self.fields["thematiques"].choices = _keep_unknown(_thematique_choices(), instance.thematiques)
        self.fields["publics"].choices = _keep_unknown(voc.choices(voc.Public), instance.publics)
        self.fields["modes_accueil"].choices = _keep_unknown(voc.choices(voc.ModeAccueil), instance.modes_accueil)
        self.fields["modes_mobilisation"].choices = _keep_unknown(
            voc.choices(voc.ModeMobilisation), instance.modes_mobilisation
        )
        self.fields["mobilisable_par"].choices = _keep_unknown(
            voc.choices(voc.PersonneMobilisatrice), instance.mobilisable_par
        )
        self.fields["languages"].choices = _language_choices(instance.languages)

    def clean_full_until(self):
        full_until = self.cleaned_data.get("full_until")
        if full_until and full_until < timezone.localdate() and full_until != self.initial.get("full_until"):
            raise forms.ValidationError(_("La date « complet jusqu’au » est déjà passée."))
        return full_until

    def clean(self):
        cleaned = super().clean()
        age_min, age_max = cleaned.get("age_min"), cleaned.get("age_max")
        if age_min is not None and age_max is not None and age_min > age_max:
            self.add_error("age_max", _("L’âge maximum doit être supérieur ou égal à l’âge minimum."))
        publics = cleaned.get("publics") or []
        if voc.Public.TOUS_PUBLICS.value in publics and len(publics) > 1:
            self.add_error(
                "publics",
                _(
                    "« Tous publics » ne se combine pas avec d’autres publics : gardez l’un ou les autres (data·inclusion)."
                ),
            )
        if cleaned.get("capacity") and cleaned["capacity"] != Capacity.FULL:
            cleaned["full_until"] = None
        self._resolve_address(fallback=self.structure)
        return cleaned


class ClosureForm(forms.ModelForm):
    required_css_class = "required"

    class Meta:
        model = Closure
        formfield_callback = https_formfield
        fields = ["service", "starts_on", "ends_on", "message", "is_closed"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET}
        labels = {"service": gettext_lazy("Concerne")}

    def __init__(self, *args, structure: Structure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].queryset = structure.services.order_by("nom")
        self.fields["service"].empty_label = _("Toute la structure")
        self.fields["service"].required = False

    def sections(self):
        return [(None, list(self.visible_fields()))]

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("La date de fin doit être le même jour ou après la date de début."))
        elif ends_on and ends_on < timezone.localdate():
            self.add_error("ends_on", _("Cette période est déjà terminée."))
        elif starts_on and ends_on and ends_on - starts_on > dt.timedelta(days=366):
            self.add_error("ends_on", _("Une fermeture temporaire dure au plus un an."))
        if not cleaned.get("is_closed") and not (cleaned.get("message") or "").strip():
            self.add_error("message", _("Écrivez le message à afficher."))
        return cleaned


class StructureSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Nom, SIRET ou commune de la structure"),
        max_length=150,
        min_length=2,
        required=False,
    )


class DecisionForm(forms.Form):
    """A moderation or membership decision: which buttons exist depends on the subclass."""

    decision = forms.ChoiceField(choices=())


class MembershipDecisionForm(DecisionForm):
    decision = forms.ChoiceField(choices=[("approve", gettext_lazy("accepter")), ("reject", gettext_lazy("refuser"))])


class StructureDecisionForm(DecisionForm):
    decision = forms.ChoiceField(choices=[("approve", gettext_lazy("valider")), ("reject", gettext_lazy("refuser"))])


class ChangeDecisionForm(DecisionForm):
    decision = forms.ChoiceField(choices=[("approve", gettext_lazy("valider")), ("revert", gettext_lazy("annuler"))])


# --- error reports (relais/offer/error_reports.py) ------------------------------------------


class ErrorReportForm(forms.Form):
    """« Signaler une erreur »: what is wrong, details, an optional address for an answer, and a trap for robots."""

    kind = forms.ChoiceField(
        label=gettext_lazy("Qu’est-ce qui est faux ?"),
        choices=ErrorReport.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": gettext_lazy("Choisissez ce qui est faux."),
            "invalid_choice": gettext_lazy("Choisissez ce qui est faux dans la liste."),
        },
    )
    message = forms.CharField(
        label=gettext_lazy("Précisions"),
        required=False,
        max_length=ErrorReport.MESSAGE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=gettext_lazy(
            "Ce qui est juste, si vous le savez (les bons horaires, le bon numéro…). Ne donnez aucune information "
            "personnelle ni de santé, ni sur vous ni sur quelqu’un d’autre. 1 000 caractères au plus."
        ),
        validators=[validate_multi_line],
        error_messages={
            "max_length": gettext_lazy(
                "Écrivez au plus %(limit_value)d caractères (il y en a %(show_value)d) : l’essentiel suffit."
            )
        },
    )
    email = forms.EmailField(
        label=gettext_lazy("Votre adresse e-mail (facultatif)"),
        required=False,
        validators=[validate_deliverable_email],
        max_length=254,
        help_text=gettext_lazy(
            "Seulement si vous souhaitez une réponse. Elle est effacée dès que votre signalement est traité, "
            "et au plus tard après %(days)s jours."
        ),
        error_messages={
            "invalid": gettext_lazy("Cette adresse e-mail n’est pas valide : vérifiez-la (nom@exemple.fr).")
        },
    )
    # The trap: hidden by the style sheet and from assistive technologies; people leave it empty, robots fill it.
    site = forms.CharField(
        label=gettext_lazy("Ne remplissez pas ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.help_text = str(email.help_text) % {"days": settings.RELAIS_ERROR_REPORT_EMAIL_DAYS}

    def is_trapped(self) -> bool:
        """A robot filled the hidden field: answer as if the report were sent, and store nothing."""
        return bool((self.data.get("site") or "").strip())

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == ErrorReport.Kind.OTHER and not (cleaned.get("message") or "").strip():
            self.add_error("message", _("Dites ce qui est faux : vous avez choisi « Autre erreur »."))
        return cleaned


class ErrorReportHandleForm(forms.Form):
    """A member's or a moderator's answer to a report: fixed or rejected, and a note the reporter may receive."""

    status = forms.ChoiceField(
        label=gettext_lazy("Décision"),
        choices=[
            (ErrorReport.Status.FIXED, gettext_lazy("corrigé")),
            (ErrorReport.Status.REJECTED, gettext_lazy("rejeté")),
        ],
        error_messages={
            "required": gettext_lazy("Décision : choisissez corrigé ou rejeté."),
            "invalid_choice": gettext_lazy("Décision : choisissez corrigé ou rejeté."),
        },
    )
    note = forms.CharField(
        label=gettext_lazy("Réponse (facultatif)"),
        required=False,
        max_length=500,
        validators=[validate_single_line],
        error_messages={
            "max_length": gettext_lazy("Réponse : %(limit_value)d caractères au plus (il y en a %(show_value)d).")
        },
    )
