"""The orientation forms: the professional search, the resident's guided path and the fiche's first name.

Forms check types only (a number is a number, a date a date). What the values mean -- an unknown
commune, a contradictory profile, an unknown thématique -- is the engine's to say (validation.py,
places.py), with suggestions: the views put its problems back on the fields they name. So fields that
take codes accept any value and leave it to the engine, which suggests the closest known ones.
"""

from __future__ import annotations

import functools

from django import forms
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from relais.matching.lexicon import CATEGORIES
from relais.matching.validation import SITUATION_LABELS
from relais.offer import vocabularies as voc
from relais.offer.templatetags.offer_display import language_name

MAX_CODES = 30  # thématiques, situations, languages or selected services in one query string
MAX_SELECTION = 6  # services on one fiche de services (it must fit one A4 page)
PAGE_SIZE = 20
RESIDENT_PAGE_SIZE = 10
MAX_PAGE = 50

# Languages often asked for in social services, ISO 639-1 (the engine takes two-letter codes).
LANGUAGE_CODES = ("en", "ar", "es", "pt", "ru", "uk", "tr", "ro", "it", "de", "zh", "fa", "ps", "so", "ti", "sq")

DISTANCES_KM = (2, 5, 10, 20, 40)


class CodeListField(forms.MultipleChoiceField):
    """Several values from a query string (?situations=rsa&situations=aah), rendered as checkboxes.

    Unknown values are kept for the engine, which names them and suggests known ones; empty values
    and duplicates are dropped, and at most MAX_CODES are read.
    """

    widget = forms.CheckboxSelectMultiple

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if not value:
            return []
        if isinstance(value, str):
            value = [value]
        out: list[str] = []
        for item in value:
            item = str(item).strip()[:100]
            if item and item not in out:
                out.append(item)
        return out[:MAX_CODES]

    def validate(self, value):
        pass  # the engine judges the codes


@functools.cache
def thematique_groups() -> list[tuple[str, str, list[tuple[str, str]]]]:
    """(catégorie code, label, [(thématique code, label)]) for the checkboxes, in the vocabulary's order."""
    return [(code, label, [(t.value, t.label) for t in voc.thematiques_of(code)]) for code, label in CATEGORIES.items()]


def language_choices() -> list[tuple[str, str]]:
    return [(code, language_name(code)) for code in LANGUAGE_CODES]


# The place field's autocomplete: the server lists the covered territory's communes in the datalist (no JavaScript
# needed); matching/static/matching/places.js adds the rest of France while typing. The "did you mean" list
# answers what neither knows.
PLACE_FIELD_ATTRS = {"list": "id_lieu-communes", "data-communes-url": reverse_lazy("matching:communes")}


class SearchForm(forms.Form):
    """The professional search: every input and filter in one GET form, so nothing is lost on refresh."""

    lieu = forms.CharField(
        label=_("Lieu de vie de la personne"),
        help_text=_("Commune, code postal, adresse (« 12 rue Paul Bert 69003 Lyon ») ou coordonnées (45.76, 4.84)."),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=PLACE_FIELD_ATTRS),
    )
    lat = forms.FloatField(label=_("Latitude"), required=False, help_text=_("En degrés décimaux, par exemple 45.76."))
    lon = forms.FloatField(label=_("Longitude"), required=False, help_text=_("En degrés décimaux, par exemple 4.84."))
    besoins = forms.CharField(
        label=_("Besoins, en quelques mots"),
        help_text=_("Par exemple : « doit quitter son logement », « manger ce soir », « dettes de loyer »."),
        max_length=300,
        required=False,
    )
    thematiques = CodeListField(label=_("Thématiques"))
    age = forms.IntegerField(label=_("Âge"), required=False)
    genre = forms.ChoiceField(
        label=_("Genre"),
        required=False,
        choices=[("", _("Non précisé")), ("femme", _("Femme")), ("homme", _("Homme")), ("autre", _("Autre"))],
    )
    foyer = forms.ChoiceField(
        label=_("Foyer"),
        required=False,
        choices=[("", _("Non précisé")), ("seul", _("Vit seule ou seul")), ("couple", _("Vit en couple"))],
    )
    enfants = forms.IntegerField(label=_("Enfants à charge"), required=False)
    situations = CodeListField(label=_("Situation"), choices=list(SITUATION_LABELS.items()))
    ouvert = forms.ChoiceField(
        label=_("Ouverture"),
        required=False,
        widget=forms.RadioSelect,
        choices=[("", _("Peu importe")), ("maintenant", _("Ouvert maintenant")), ("jour", _("Ouvert le jour choisi"))],
    )
    jour = forms.DateField(
        label=_("Jour choisi"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    mode = forms.ChoiceField(
        label=_("Accueil"),
        required=False,
        choices=[
            ("", _("Sur place ou à distance")),
            ("en-presentiel", _("Sur place")),
            ("a-distance", _("À distance")),
        ],
    )
    distance = forms.TypedChoiceField(
        label=_("Distance maximale"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Pas de limite"))] + [(str(km), _("%(km)d km") % {"km": km}) for km in DISTANCES_KM],
    )
    gratuit = forms.BooleanField(label=_("Gratuit uniquement"), required=False)
    plain_pied = forms.BooleanField(label=_("Accessible de plain-pied"), required=False)
    orientation = forms.BooleanField(label=_("Accepte les orientations par Relais"), required=False)
    langues = CodeListField(label=_("Langues parlées (au moins une)"))
    selection = CodeListField(label=_("Services retenus pour la fiche"))
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput)

    # Fields whose values travel in the query string; used to tell "a search was asked" from a first visit.
    SEARCH_KEYS = ("lieu", "lat", "lon", "besoins", "thematiques")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["langues"].choices = language_choices()
        self.fields["age"].error_messages["invalid"] = _("Âge : indiquez un nombre d’années, par exemple 34.")
        self.fields["enfants"].error_messages["invalid"] = _("Enfants à charge : indiquez un nombre, par exemple 2.")
        self.fields["jour"].error_messages["invalid"] = _("Jour choisi : indiquez une date, par exemple 2026-03-04.")
        for name in ("lat", "lon"):
            label = self.fields[name].label
            self.fields[name].error_messages["invalid"] = _("%(label)s : indiquez un nombre, par exemple 45.76.") % {
                "label": label
            }
        self.fields["page"].error_messages["invalid"] = _("Page : indiquez un nombre.")
        self.fields["distance"].error_messages["invalid_choice"] = _(
            "Distance maximale « %(value)s » : choisissez-la dans la liste."
        )
        for name in ("genre", "foyer", "mode", "ouvert"):
            # Django fills in %(value)s when it raises the error: keep it as is, fill in the label now
            self.fields[name].error_messages["invalid_choice"] = _(
                "%(label)s : « %(value)s » n’est pas un choix possible."
            ) % {"label": self.fields[name].label, "value": "%(value)s"}

    @property
    def asked(self) -> bool:
        """True when the query string holds a search (not a first visit to an empty form)."""
        return any(self.data.get(key) for key in self.SEARCH_KEYS)

    def clean(self):
        data = super().clean()
        if data.get("ouvert") == "jour" and not data.get("jour") and "jour" not in self.errors:
            self.add_error("jour", _("Jour choisi : indiquez la date où la personne veut s’y rendre."))
        return data


class ResidentForm(forms.Form):
    """The resident's path: a need (a button or their own words), then a place; a few optional questions after."""

    besoin = forms.CharField(required=False, max_length=40, widget=forms.HiddenInput)
    mots = forms.CharField(
        label=_("Dites-le avec vos mots"),
        help_text=_("Par exemple : « je dois quitter mon logement », « manger ce soir »."),
        max_length=300,
        required=False,
    )
    lieu = forms.CharField(
        label=_("Votre commune ou votre code postal"),
        help_text=_("Par exemple : Villeurbanne, ou Lyon 3e. Un code postal convient aussi."),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs=PLACE_FIELD_ATTRS),
    )
    age = forms.IntegerField(label=_("Votre âge"), required=False)
    enfants = forms.IntegerField(label=_("Nombre d’enfants à votre charge"), required=False)
    genre = forms.ChoiceField(
        label=_("Vous êtes"),
        required=False,
        choices=[("", _("Je préfère ne pas répondre")), ("femme", _("Une femme")), ("homme", _("Un homme"))],
    )
    situations = CodeListField(label=_("Ce qui vous concerne"), choices=list(SITUATION_LABELS.items()))
    thematiques = CodeListField(label=_("Thématiques"), widget=forms.MultipleHiddenInput)
    maintenant = forms.BooleanField(label=_("Ouvert maintenant"), required=False)
    gratuit = forms.BooleanField(label=_("Gratuit"), required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_PAGE, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["age"].error_messages["invalid"] = _("Votre âge : écrivez un nombre, par exemple 34.")
        self.fields["enfants"].error_messages["invalid"] = _("Nombre d’enfants : écrivez un nombre, par exemple 2.")
        self.fields["genre"].error_messages["invalid_choice"] = _("« %(value)s » n’est pas un choix possible.")
        self.fields["page"].error_messages["invalid"] = _("Page : indiquez un nombre.")


class FicheForm(forms.Form):
    """The only personal data of the whole path: a first name printed on the fiche, never stored."""

    prenom = forms.CharField(
        label=_("Prénom de la personne (facultatif)"),
        help_text=_("Imprimé sur la fiche seulement : il n’est ni enregistré ni transmis."),
        max_length=40,
        required=False,
    )

    def clean_prenom(self):
        value = " ".join(self.cleaned_data.get("prenom", "").split())
        if any(ch in value for ch in "<>{}@/\\") or any(ch.isdigit() for ch in value):
            raise forms.ValidationError(
                _("Prénom : seulement des lettres, des espaces, des tirets et des apostrophes.")
            )
        return value


# The resident's first step: everyday needs as large buttons. Each is a thématique list (catégories
# expand to their thématiques) and/or words for the lexicon (which flags urgent needs), never shown.
RESIDENT_NEEDS = (
    ("manger", _("Manger"), _("colis, repas, épicerie solidaire"), (), "manger"),
    ("dormir", _("Dormir ce soir"), _("un abri, un hébergement d’urgence"), (), "dormir ce soir"),
    (
        "logement",
        _("Garder ou trouver un logement"),
        _("loyer impayé, expulsion, recherche"),
        ("logement-hebergement",),
        "",
    ),
    ("violences", _("Violences"), _("être protégée ou protégé, en parler"), (), "victime de violences"),
    ("sante", _("Se soigner"), _("médecin, santé mentale, addictions"), ("sante",), ""),
    ("argent", _("Argent et dettes"), _("factures, budget, surendettement"), ("difficultes-financieres",), ""),
    (
        "papiers",
        _("Papiers et droits"),
        _("démarches, aides, titre de séjour"),
        ("difficultes-administratives-ou-juridiques",),
        "",
    ),
    (
        "emploi",
        _("Travail et formation"),
        _("trouver un emploi, un CV, une formation"),
        ("trouver-un-emploi", "preparer-sa-candidature", "se-former"),
        "",
    ),
    ("francais", _("Apprendre le français"), _("lire, écrire, compter"), ("lecture-ecriture-calcul",), ""),
    (
        "numerique",
        _("Internet et démarches en ligne"),
        _("un ordinateur, une connexion, de l’aide"),
        ("numerique",),
        "",
    ),
    ("famille", _("Enfants et famille"), _("garde, parentalité, séparation"), ("famille",), ""),
    (
        "equipement",
        _("Vêtements et équipement"),
        _("habits, meubles, électroménager"),
        ("equipement-et-alimentation--habillement", "equipement-et-alimentation--electromenager"),
        "",
    ),
    ("mobilite", _("Se déplacer"), _("transport, permis, véhicule"), ("mobilite",), ""),
    ("lien", _("Sortir de l’isolement"), _("rencontrer, activités, bien-être"), ("remobilisation",), ""),
)
RESIDENT_NEED_KEYS = {key: (label, thematiques, words) for key, label, _hint, thematiques, words in RESIDENT_NEEDS}
