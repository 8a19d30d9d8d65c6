"""What every step form shares: the base class, the choices, the field helpers.

One form per question group (relais.rights.questions.QUESTION_GROUPS): its fields, read from and
written to the answers (relais.rights.questionnaire), its layout (sections, one per person) and its
lines in the recap.

Person fields are named "<person id>__<field>" (questionnaire.SEP), the names questionnaire.problem_place
gives to the engine's problems, so a problem found by parse_household lands on the field that caused it.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.rights import questionnaire as q
from relais.rights.views.display import euros, month
from relais.rights.views.fields import AmountField, Item, MonthField, Section

SEP = q.SEP

SITUATIONS = [
    ("salarie", gettext_lazy("Salarié ou salariée (CDI, CDD, intérim, apprentissage)")),
    ("independant", gettext_lazy("Indépendant ou micro-entrepreneur")),
    ("chomeur", gettext_lazy("Sans emploi, en recherche d’emploi")),
    ("etudiant", gettext_lazy("Étudiant ou étudiante")),
    ("eleve", gettext_lazy("Élève (collège, lycée)")),
    ("retraite", gettext_lazy("Retraité ou retraitée")),
    ("inactif", gettext_lazy("Sans activité (au foyer, en longue maladie…)")),
]
SCOLARITES = [
    ("aucune", gettext_lazy("Pas encore à l’école, ou plus scolarisé")),
    ("maternelle", gettext_lazy("École maternelle")),
    ("primaire", gettext_lazy("École élémentaire (CP au CM2)")),
    ("college", gettext_lazy("Collège")),
    ("lycee", gettext_lazy("Lycée (ou CAP en lycée professionnel)")),
    ("superieur", gettext_lazy("Études supérieures")),
]
STATUTS = [
    ("locataire", gettext_lazy("Locataire d’un logement vide, chez un propriétaire privé")),
    ("locataire_meuble", gettext_lazy("Locataire d’un logement meublé")),
    ("locataire_hlm", gettext_lazy("Locataire d’un logement social (HLM)")),
    ("locataire_foyer", gettext_lazy("En foyer ou en résidence sociale")),
    ("proprietaire", gettext_lazy("Propriétaire, sans emprunt à rembourser")),
    ("accedant", gettext_lazy("Propriétaire, avec un emprunt à rembourser")),
    ("heberge", gettext_lazy("Hébergé ou hébergée gratuitement (famille, amis)")),
    ("sans_domicile", gettext_lazy("Sans logement")),
]
COUPLES = [
    ("seul", gettext_lazy("Non, je vis sans conjoint")),
    ("marie", gettext_lazy("Oui, marié ou mariée")),
    ("pacse", gettext_lazy("Oui, pacsé ou pacsée")),
    ("concubinage", gettext_lazy("Oui, en union libre")),
]
YES_NO_UNKNOWN = [
    ("oui", gettext_lazy("Oui")),
    ("non", gettext_lazy("Non")),
    ("nsp", gettext_lazy("Je ne sais pas")),
]
NATIONALITES = [
    ("francaise", gettext_lazy("Française")),
    ("ue", gettext_lazy("D’un pays de l’Union européenne, de l’Espace économique européen ou suisse")),
    ("hors_ue", gettext_lazy("D’un autre pays")),
]
TAUX = [
    ("0", gettext_lazy("Pas de taux reconnu, ou moins de 50 %")),
    ("50", gettext_lazy("De 50 à 79 %")),
    ("80", gettext_lazy("80 % ou plus")),
]
TYPES_INDEPENDANT = [
    ("services", gettext_lazy("Prestations de services (artisan, commerçant de services)")),
    ("vente", gettext_lazy("Vente de marchandises")),
    ("liberal", gettext_lazy("Profession libérale")),
]
INCOME_LABELS = {
    "salaire_net": gettext_lazy("Salaire net par mois"),
    "chiffre_affaires": gettext_lazy("Chiffre d’affaires par mois (micro-entreprise)"),
    "chomage_net": gettext_lazy("Allocation chômage par mois"),
    "indemnites_journalieres": gettext_lazy("Indemnités journalières (arrêt maladie) par mois"),
    "pension_invalidite": gettext_lazy("Pension d’invalidité par mois"),
    "retraite_nette": gettext_lazy("Retraites nettes par mois (de base et complémentaires)"),
    "pension_alimentaire_recue": gettext_lazy("Pension alimentaire reçue par mois"),
    "pension_alimentaire_versee": gettext_lazy("Pension alimentaire versée par mois"),
    "revenus_locatifs": gettext_lazy("Loyers perçus par mois (logement que vous louez)"),
    "bourse_etudes": gettext_lazy("Bourse d’études par mois"),
}
ANNUAL_LABELS = {
    "salaire_net": gettext_lazy("Salaires nets de l’année"),
    "chiffre_affaires": gettext_lazy("Chiffre d’affaires de l’année (micro-entreprise)"),
    "chomage_net": gettext_lazy("Allocations chômage de l’année"),
    "retraite_nette": gettext_lazy("Retraites de l’année"),
    "pension_invalidite": gettext_lazy("Pensions d’invalidité de l’année"),
    "indemnites_journalieres": gettext_lazy("Indemnités journalières de l’année"),
    "pension_alimentaire_recue": gettext_lazy("Pensions alimentaires reçues dans l’année"),
    "pension_alimentaire_versee": gettext_lazy("Pensions alimentaires versées dans l’année"),
    "revenus_locatifs": gettext_lazy("Loyers perçus dans l’année"),
}
MAIN_ANNUAL = ("salaire_net", "chiffre_affaires", "chomage_net", "retraite_nette")


def pf(person_id: str, name: str) -> str:
    return f"{person_id}{SEP}{name}"


def _choice_label(choices, value) -> str:
    return str(dict(choices).get(str(value), value))


class StepForm(forms.Form):
    """A step: built from the answers, read from them (initial values), written back when valid."""

    group = ""
    template_name_step = "rights/steps/generic.html"
    by_group: dict[str, type[StepForm]] = {}

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if cls.group:
            StepForm.by_group[cls.group] = cls

    def __init__(self, answers: dict, data=None):
        super().__init__(data=data)
        self.answers = answers
        self.names = q.labels(answers)
        self.sections: list[Section] = []
        self.field_section: dict[str, str] = {}  # field name -> the section's title (the person's label)
        self.build()
        self.own_fields = list(self.fields)
        self.own_sections = len(self.sections)
        # the groups asked on this screen (questionnaire.FOLDS): their fields, read, checked and written by them
        self.guests = [StepForm.by_group[g](answers, data) for g in q.guests(self.group, answers)]
        for guest in self.guests:
            self.fields.update(guest.fields)
            self.sections += guest.sections
            self.field_section.update(guest.field_section)
        if data is None:
            self.initial = self.read()
            for guest in self.guests:
                self.initial.update(guest.initial)

    # -- building ---------------------------------------------------------------------------------

    def section(self, title: str = "", **kwargs) -> Section:
        section = Section(title=title, **kwargs)
        self.sections.append(section)
        return section

    def add(self, section: Section, name: str, field: forms.Field, *, kind: str = "field", more: bool = False):
        self.fields[name] = field
        self.field_section[name] = section.title
        (section.more if more else section.items).append(Item(kind, name))
        if kind == "check":
            field.required = False

    def income(self, section: Section, person: dict, name: str, *, label=None, more: bool = False, help_text=""):
        """An amount per month with, in a disclosure, since when and until when it is received."""
        base = pf(person["id"], name)
        self.fields[base] = AmountField(label=label or INCOME_LABELS[name], help_text=help_text)
        self.fields[base + "_depuis"] = MonthField(
            label=_("Depuis (mois/année)"), help_text=_("S’il a commencé il y a moins d’un an, par exemple 06/2026.")
        )
        self.fields[base + "_jusqu_a"] = MonthField(
            label=_("Jusqu’à (mois/année)"),
            help_text=_("Si vous ne le recevez plus : le dernier mois reçu, et le montant d’alors au-dessus."),
        )
        for key in (base, base + "_depuis", base + "_jusqu_a"):
            self.field_section[key] = section.title
        (section.more if more else section.items).append(Item("income", base, base + "_depuis", base + "_jusqu_a"))

    def build(self):
        raise NotImplementedError

    # -- reading and writing answers ----------------------------------------------------------------

    @property
    def menage(self) -> dict:
        return self.answers.setdefault("menage", {})

    def read(self) -> dict:
        """Initial values from the answers; by default the person fields named "<id>__<field>"."""
        initial = {}
        for name in self.fields:
            if SEP not in name:
                continue
            pid, leaf = name.split(SEP, 1)
            p = q.person(self.answers, pid)
            if p is None:
                continue
            value = self.read_person(p, leaf)
            if value is not None:
                initial[name] = value
        return initial

    def read_person(self, p: dict, leaf: str):
        for suffix, key in (("_depuis", "depuis"), ("_jusqu_a", "jusqu_a")):
            if leaf.endswith(suffix) and leaf[: -len(suffix)] in INCOME_LABELS:
                income = (p.get("revenus") or {}).get(leaf[: -len(suffix)])
                return income.get(key) if isinstance(income, dict) else None
        if leaf in INCOME_LABELS:
            income = (p.get("revenus") or {}).get(leaf)
            return income.get("mensuel") if isinstance(income, dict) else income
        return p.get(leaf)

    def save(self) -> None:
        """Write this screen's answers: its own, then those of the groups asked on it."""
        self.write()
        for guest in self.guests:
            guest.cleaned_data = self.cleaned_data
            guest.write()

    def write(self) -> None:
        """Write the cleaned data into self.answers (default: person fields, incomes)."""
        data = self.cleaned_data
        for name in self.own_fields:
            if SEP not in name:
                continue
            pid, leaf = name.split(SEP, 1)
            p = q.person(self.answers, pid)
            if p is None or leaf.endswith(("_depuis", "_jusqu_a")):
                continue
            if leaf in INCOME_LABELS:
                self.write_income(p, leaf, data.get(name), data.get(name + "_depuis"), data.get(name + "_jusqu_a"))
            else:
                self.write_person(p, leaf, data.get(name))

    @staticmethod
    def write_income(p: dict, name: str, amount, since, until) -> None:
        revenus = p.setdefault("revenus", {})
        if amount is None:
            revenus.pop(name, None)
        elif since or until:
            revenus[name] = {
                "mensuel": amount,
                **({"depuis": since} if since else {}),
                **({"jusqu_a": until} if until else {}),
            }
        else:
            revenus[name] = amount
        if not revenus:
            p.pop("revenus", None)

    @staticmethod
    def write_person(p: dict, leaf: str, value) -> None:
        if value in (None, "", False):
            p.pop(leaf, None)
        else:
            p[leaf] = value

    def clean(self):
        data = super().clean()
        for guest in getattr(self, "guests", []):  # the guests check their own fields, on shared data
            guest.cleaned_data, guest._errors = self.cleaned_data, self._errors
            guest.clean()
        for name in list(self.own_fields):
            if not name.endswith("_depuis") or name[: -len("_depuis")] not in self.fields:
                continue
            base = name[: -len("_depuis")]
            since, until = data.get(name), data.get(base + "_jusqu_a")
            if (since or until) and data.get(base) is None and base not in self.errors:
                self.add_error(base, _("Indiquez le montant par mois, ou effacez les mois."))
            if since and until and until < since:
                self.add_error(base + "_jusqu_a", _("Ce mois précède le mois de début (%(m)s).") % {"m": month(since)})
        return data

    # -- the recap ---------------------------------------------------------------------------------

    def summary(self) -> list[tuple[str, list[tuple[str, str]]]]:
        """[(section title, [(question, answer)])], from the answers; unanswered questions left out."""
        values = self.read()
        out = []
        for section in self.sections[: self.own_sections]:
            rows = []
            for item in [*section.items, *section.more]:
                text = self.display(item, values)
                if text:
                    rows.append((str(self.fields[item.name].label), text))
            out.append((section.title, rows))
        return out + self.guest_summary()

    def guest_summary(self) -> list:
        return [row for guest in self.guests for row in guest.summary()]

    def display(self, item: Item, values: dict) -> str:
        field, value = self.fields[item.name], values.get(item.name)
        if item.kind == "income":
            if value is None:
                return ""
            text = _("%(amount)s par mois") % {"amount": euros(float(value))}
            if values.get(item.since):
                text += " " + _("depuis %(m)s") % {"m": month(values[item.since])}
            if values.get(item.until):
                text += " " + _("jusqu’à %(m)s") % {"m": month(values[item.until])}
            return text
        if item.kind == "check":
            return _("Oui") if value else ""
        if value in (None, ""):
            return ""
        if isinstance(field, AmountField):
            return euros(float(value))
        if isinstance(field, MonthField):
            return month(value)
        if isinstance(field, forms.ChoiceField):
            return _choice_label(field.choices, value)
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":
            return f"{value[8:10]}/{value[5:7]}/{value[:4]}"
        return str(value)

    def error_list(self) -> list[dict]:
        """Every error with the person, the question and the id to jump to."""
        out = []
        for name, errors in self.errors.items():
            if name == "__all__":
                out += [{"label": "", "message": e, "anchor": ""} for e in errors]
                continue
            field = self[name]
            who = self.field_section.get(name, "")
            label = f"{who} – {field.label}" if who else str(field.label)
            anchor = (
                field.auto_id if not isinstance(field.field.widget, forms.RadioSelect) else f"{field.auto_id}_legend"
            )
            out += [{"label": label, "message": e, "anchor": anchor} for e in errors]
        return out


def _check(label, help_text="") -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False, help_text=help_text)


def _radio(label, choices, *, required=True, help_text="") -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label, choices=choices, required=required, widget=forms.RadioSelect, help_text=help_text
    )


def _select(label, choices, *, required=True, help_text="") -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=choices, required=required, help_text=help_text)


# --- the steps ------------------------------------------------------------------------------------
