"""One form per question group (relais.rights.questions.QUESTION_GROUPS): its fields, read from and
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
from relais.rights.household import ANNUAL_FIELDS, MAX_PERSONS
from relais.rights.web.display import euros, month
from relais.rights.web.fields import AmountField, Item, MonthField, Section

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

    def __init__(self, answers: dict, data=None):
        super().__init__(data=data)
        self.answers = answers
        self.names = q.labels(answers)
        self.sections: list[Section] = []
        self.field_section: dict[str, str] = {}  # field name -> the section's title (the person's label)
        self.build()
        if data is None:
            self.initial = self.read()

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

    def write(self) -> None:
        """Write the cleaned data into self.answers (default: person fields, incomes)."""
        data = self.cleaned_data
        for name in self.fields:
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
        for name in list(self.fields):
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
        for section in self.sections:
            rows = []
            for item in [*section.items, *section.more]:
                text = self.display(item, values)
                if text:
                    rows.append((str(self.fields[item.name].label), text))
            out.append((section.title, rows))
        return out

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


class CommuneStep(StepForm):
    group = "commune"

    def build(self):
        s = self.section()
        self.add(
            s,
            "commune",
            forms.CharField(
                label=_("Votre commune"),
                max_length=100,
                help_text=_("Son nom, son code postal ou son code Insee : par exemple Villeurbanne, 69003 ou Metz."),
                widget=forms.TextInput(attrs={"autocomplete": "address-level2"}),
            ),
        )
        self.found = None
        typed = (self.data.get("commune") or "").strip() if self.is_bound else ""
        if typed:
            from relais.rights.web.communes import find

            self.found = find(typed)
            if len(self.found.matches) > 1:
                self.add(
                    s, "commune_choix", _radio(_("Plusieurs communes correspondent : laquelle ?"), self.found.matches)
                )

    def read(self):
        code = self.menage.get("commune")
        if not code:
            return {}
        name = self.answers.get("commune_nom")
        return {"commune": f"{name} ({code})" if name else code}

    def clean(self):
        data = super().clean()
        if "commune" in self.errors or self.found is None:
            return data
        matches = self.found.matches
        if not matches:
            message = _("« %(value)s » : commune inconnue.") % {"value": data.get("commune", "")}
            if self.found.suggestions:
                message += " " + _("Vouliez-vous dire : %(names)s ?") % {"names": ", ".join(self.found.suggestions)}
            else:
                message += " " + _("Vérifiez l’orthographe, ou indiquez le code postal.")
            self.add_error("commune", message)
        elif len(matches) == 1:
            data["resolved"] = matches[0]
        elif data.get("commune_choix"):
            data["resolved"] = (data["commune_choix"], dict(matches)[data["commune_choix"]])
        return data

    def write(self):
        code, name = self.cleaned_data["resolved"]
        self.menage["commune"] = code
        self.answers["commune_nom"] = name

    def summary(self):
        code = self.menage.get("commune")
        name = self.answers.get("commune_nom") or code
        return [("", [(_("Commune"), f"{name} ({code})" if code and name != code else (code or ""))])]


class CompositionStep(StepForm):
    group = "composition"
    template_name_step = "rights/steps/composition.html"

    def build(self):
        s = self.section()
        self.add(s, "couple", _radio(_("Vivez-vous en couple ?"), COUPLES))
        for child in q.children(self.answers):
            section = self.section(self.names[child["id"]], person=child["id"], removable=True)
            self.add(
                section,
                pf(child["id"], "garde_alternee"),
                _check(_("En garde alternée"), _("L’enfant vit une semaine sur deux chez chaque parent.")),
                kind="check",
            )
        for other in [p for p in q.people(self.answers) if p.get("role") == q.ROLE_AUTRE]:
            self.section(
                self.names[other["id"]],
                person=other["id"],
                removable=True,
                help=_("Un adulte qui vit avec vous sans être votre conjoint : ses droits sont calculés à part."),
            )
        s2 = self.section(_("Parent seul"))
        self.add(
            s2,
            "isolement_recent",
            _check(
                _("Je vis seul ou seule avec mes enfants depuis moins de 18 mois"),
                _("Après une séparation, un veuvage, ou pendant une grossesse : le RSA peut être majoré."),
            ),
            kind="check",
        )

    @property
    def can_add(self) -> bool:
        return len(q.people(self.answers)) < MAX_PERSONS

    def read(self):
        initial = super().read()
        couple = self.menage.get("couple")
        has_partner = any(p.get("role") == q.ROLE_CONJOINT for p in q.people(self.answers))
        if couple or has_partner:
            initial["couple"] = couple or "concubinage"
        elif "composition" in q.done(self.answers):
            initial["couple"] = "seul"
        initial["isolement_recent"] = bool(self.menage.get("isolement_recent"))
        return initial

    def write(self, *, partial: bool = False):
        data = self.cleaned_data
        couple = data.get("couple")
        if couple and couple != "seul":
            q.add_person(self.answers, q.ROLE_CONJOINT)
            self.menage["couple"] = couple
        elif couple == "seul":
            partner = next((p for p in q.people(self.answers) if p.get("role") == q.ROLE_CONJOINT), None)
            if partner:
                q.remove_person(self.answers, partner["id"])
            self.menage.pop("couple", None)
        if data.get("isolement_recent"):
            self.menage["isolement_recent"] = True
        else:
            self.menage.pop("isolement_recent", None)
        super().write()

    def summary(self):
        rows = []
        values = self.read()
        if values.get("couple"):
            rows.append((str(self.fields["couple"].label), _choice_label(COUPLES, values["couple"])))
        kids = q.children(self.answers)
        others = [p for p in q.people(self.answers) if p.get("role") == q.ROLE_AUTRE]
        rows.append((_("Enfants à charge"), str(len(kids)) if kids else _("Aucun")))
        for child in kids:
            if child.get("garde_alternee"):
                rows.append((self.names[child["id"]], _("En garde alternée")))
        if others:
            rows.append((_("Autres adultes du logement"), str(len(others))))
        if values.get("isolement_recent"):
            rows.append((str(self.fields["isolement_recent"].label), _("Oui")))
        return [("", rows)]


class AgesStep(StepForm):
    group = "ages"

    def build(self):
        for p in q.people(self.answers):
            s = self.section(self.names[p["id"]], person=p["id"])
            me = p.get("role") == q.ROLE_DEMANDEUR
            self.add(
                s,
                pf(p["id"], "date_naissance"),
                forms.DateField(
                    label=_("Votre date de naissance") if me else _("Date de naissance"),
                    required=False,
                    widget=forms.DateInput(attrs={"type": "date", "autocomplete": "bday" if me else "off"}),
                    help_text=_("Ou, si vous préférez, l’âge seulement, ci-dessous."),
                ),
            )
            self.add(
                s,
                pf(p["id"], "age"),
                forms.IntegerField(
                    label=_("Votre âge, en années") if me else _("Âge, en années"),
                    required=False,
                    min_value=0,
                    max_value=120,
                    widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
                ),
            )

    def read_person(self, p, leaf):
        value = p.get(leaf)
        if leaf == "date_naissance" and isinstance(value, str):
            try:
                return dt.date.fromisoformat(value if len(value) == 10 else value + "-01")
            except ValueError:
                return value
        return value

    def clean(self):
        data = super().clean()
        for p in q.people(self.answers):
            birth, age = pf(p["id"], "date_naissance"), pf(p["id"], "age")
            if birth in self.errors or age in self.errors:
                continue
            if data.get(birth) is None and data.get(age) is None:
                self.add_error(age, _("Indiquez l’âge ou la date de naissance."))
        return data

    def write(self):
        for p in q.people(self.answers):
            birth = self.cleaned_data.get(pf(p["id"], "date_naissance"))
            age = self.cleaned_data.get(pf(p["id"], "age"))
            p.pop("date_naissance", None)
            p.pop("age", None)
            if birth is not None:
                p["date_naissance"] = birth.isoformat()
            elif age is not None:
                p["age"] = age


class LogementStep(StepForm):
    group = "logement"

    def build(self):
        s = self.section()
        self.add(s, "statut", _radio(_("Comment êtes-vous logé ?"), STATUTS))
        self.add(
            s,
            "colocation",
            _check(_("En colocation"), _("Vous partagez le logement avec des personnes hors de votre famille.")),
            kind="check",
        )
        self.add(
            s,
            "conventionne",
            _radio(
                _("Le logement est-il conventionné APL ?"),
                YES_NO_UNKNOWN,
                required=False,
                help_text=_(
                    "C’est écrit sur le bail. Les logements HLM le sont presque tous. Dans le doute : « Je ne sais pas »."
                ),
            ),
        )

    def read(self):
        logement = self.menage.get("logement") or {}
        initial = {}
        if logement.get("statut"):
            initial["statut"] = logement["statut"]
        initial["colocation"] = bool(logement.get("colocation"))
        conventionne = logement.get("conventionne")
        if "logement" in q.done(self.answers) or conventionne is not None:
            initial["conventionne"] = {True: "oui", False: "non"}.get(conventionne, "nsp")
        return initial

    def write(self):
        data = self.cleaned_data
        logement = self.menage.setdefault("logement", {})
        logement["statut"] = data["statut"]
        if data.get("colocation"):
            logement["colocation"] = True
        else:
            logement.pop("colocation", None)
        conventionne = {"oui": True, "non": False}.get(data.get("conventionne") or "nsp")
        if conventionne is None:
            logement.pop("conventionne", None)
        else:
            logement["conventionne"] = conventionne
        if data["statut"] not in q.RENTING:
            logement.pop("loyer", None)


class LoyerStep(StepForm):
    group = "loyer"

    def build(self):
        s = self.section()
        statut = (self.menage.get("logement") or {}).get("statut")
        label = (
            _("Mensualité de votre emprunt immobilier")
            if statut == "accedant"
            else _("Loyer par mois, sans les charges")
        )
        self.add(
            s,
            "loyer",
            AmountField(
                label=label,
                required=True,
                help_text=_(
                    "En euros. En colocation : votre part seulement. Sans les charges (eau, chauffage collectif…)."
                ),
            ),
        )

    def read(self):
        loyer = (self.menage.get("logement") or {}).get("loyer")
        return {} if loyer is None else {"loyer": float(loyer)}

    def write(self):
        self.menage.setdefault("logement", {})["loyer"] = self.cleaned_data["loyer"]


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


class IncomesStep(StepForm):
    """Monthly incomes of each adult (one or several kinds)."""

    kinds: tuple[str, ...] = ()
    more_kinds: tuple[str, ...] = ()
    more_label = ""

    def build(self):
        for p in q.adults(self.answers):
            s = self.section(self.names[p["id"]], person=p["id"], more_label=str(self.more_label))
            for name in self.kinds:
                self.income(s, p, name)
            for name in self.more_kinds:
                self.income(s, p, name, more=True)
            self.extra(s, p)

    def extra(self, section, p):
        pass

    def summary(self):
        return [(title, rows or [("", _("Aucun"))]) for title, rows in super().summary()]


class RevenusActiviteStep(IncomesStep):
    group = "revenus_activite"
    kinds = ("salaire_net",)
    more_kinds = ("chiffre_affaires",)
    more_label = gettext_lazy("Micro-entreprise (chiffre d’affaires)")

    def extra(self, section, p):
        self.add(
            section,
            pf(p["id"], "type_independant"),
            _select(_("Type d’activité de la micro-entreprise"), TYPES_INDEPENDANT, required=False),
            more=True,
        )

    def read_person(self, p, leaf):
        if leaf == "type_independant":
            return (p.get("revenus") or {}).get("type_independant")
        return super().read_person(p, leaf)

    def write_person(self, p, leaf, value):
        if leaf == "type_independant":
            revenus = p.setdefault("revenus", {})
            if value and "chiffre_affaires" in revenus:
                revenus["type_independant"] = value
            else:
                revenus.pop("type_independant", None)
            if not revenus:
                p.pop("revenus", None)
            return
        super().write_person(p, leaf, value)

    def write(self):
        super().write()
        for p in q.adults(self.answers):  # the type after the turnover it qualifies
            self.write_person(p, "type_independant", self.cleaned_data.get(pf(p["id"], "type_independant")))


class RevenusRemplacementStep(IncomesStep):
    group = "revenus_remplacement"
    kinds = ("chomage_net",)
    more_kinds = ("indemnites_journalieres", "pension_invalidite")
    more_label = gettext_lazy("Indemnités journalières, pension d’invalidité")


class RetraiteStep(IncomesStep):
    group = "pensions_retraite"
    kinds = ("retraite_nette",)


class PensionAlimentaireStep(IncomesStep):
    group = "pension_alimentaire"
    kinds = ("pension_alimentaire_recue", "pension_alimentaire_versee")


class PatrimoineStep(IncomesStep):
    group = "patrimoine_epargne"
    kinds = ("revenus_locatifs",)

    def build(self):
        s = self.section()
        self.add(
            s,
            "epargne",
            AmountField(
                label=_("Épargne disponible du foyer"),
                help_text=_("Livret A, LDDS, livret d’épargne populaire… au total, en euros. Sinon laissez vide."),
            ),
        )
        super().build()

    def read(self):
        initial = super().read()
        if self.menage.get("epargne") is not None:
            initial["epargne"] = float(self.menage["epargne"])
        return initial

    def write(self):
        epargne = self.cleaned_data.get("epargne")
        if epargne:
            self.menage["epargne"] = epargne
        else:
            self.menage.pop("epargne", None)
        super().write()

    def summary(self):
        return [(title, rows or [("", _("Aucun"))]) for title, rows in StepForm.summary(self)]


class PrestationsStep(StepForm):
    group = "prestations_percues"
    template_name_step = "rights/steps/prestations.html"

    def build(self):
        from relais.rights.benefits import BY_CODE
        from relais.rights.local import by_id

        s = self.section()
        self.codes = []
        for code in q.requested_codes(self.answers):
            if code in BY_CODE:
                name = str(BY_CODE[code].name)
            else:
                aid = by_id(code)
                name = aid.text("nom") if aid else code
            self.codes.append((code, name))
            self.add(s, f"recu_{code}", _check(name), kind="check")
            self.fields[f"montant_{code}"] = AmountField(label=_("Montant par mois"))
            self.field_section[f"montant_{code}"] = name

    def read(self):
        received = self.menage.get("prestations_percues") or {}
        initial = {}
        for code, amount in received.items():
            initial[f"recu_{code}"] = True
            if amount:
                initial[f"montant_{code}"] = float(amount)
        return initial

    def clean(self):
        data = super().clean()
        for code, _name in self.codes:
            if data.get(f"montant_{code}") and not data.get(f"recu_{code}"):
                data[f"recu_{code}"] = True
        return data

    def write(self):
        received = {}
        for code, _name in self.codes:
            if self.cleaned_data.get(f"recu_{code}"):
                received[code] = self.cleaned_data.get(f"montant_{code}") or 0.0
        kept = {c: v for c, v in (self.menage.get("prestations_percues") or {}).items() if c not in dict(self.codes)}
        received = {**kept, **received}
        if received:
            self.menage["prestations_percues"] = received
        else:
            self.menage.pop("prestations_percues", None)

    def rows(self):
        return [(code, name, self[f"recu_{code}"], self[f"montant_{code}"]) for code, name in self.codes]

    def summary(self):
        received = self.menage.get("prestations_percues") or {}
        names = dict(self.codes)
        rows = [
            (names.get(code, code), euros(float(amount)) if amount else _("Oui")) for code, amount in received.items()
        ]
        return [("", rows or [("", _("Aucune"))])]


class AnneeFiscaleStep(StepForm):
    group = "annee_fiscale"

    def year(self) -> int:
        mois = self.menage.get("mois")
        return (int(mois[:4]) if mois else dt.date.today().year) - 2

    def build(self):
        year = self.year()
        s = self.section()
        self.add(
            s,
            "pareil",
            _radio(
                _("En %(y)s, les revenus du foyer étaient-ils à peu près ceux d’aujourd’hui ?") % {"y": year},
                [("oui", _("Oui, à peu près les mêmes")), ("non", _("Non, ils étaient différents : je les indique"))],
                help_text=_("Ce sont les revenus de votre avis d’impôt reçu en %(n)s.") % {"n": year + 1},
            ),
        )
        for p in q.adults(self.answers):
            section = self.section(
                self.names[p["id"]],
                person=p["id"],
                more_label=str(_("Autres revenus de l’année")),
                help=_(
                    "Totaux de l’année %(y)s en euros ; 0 si vous n’en aviez pas ; une case vide : comme aujourd’hui."
                )
                % {"y": year},
            )
            for name in ANNUAL_FIELDS:
                self.add(
                    section,
                    pf(p["id"], f"annuel_{name}"),
                    AmountField(label=ANNUAL_LABELS.get(name, name), maximum=12_000_000),
                    more=name not in MAIN_ANNUAL,
                )

    def read(self):
        initial = {}
        any_year = False
        for p in q.adults(self.answers):
            for entry in p.get("revenus_annuels") or []:
                any_year = True
                for name in ANNUAL_FIELDS:
                    if entry.get(name) is not None:
                        initial[pf(p["id"], f"annuel_{name}")] = float(entry[name])
        if any_year:
            initial["pareil"] = "non"
        elif "annee_fiscale" in q.done(self.answers):
            initial["pareil"] = "oui"
        return initial

    def clean(self):
        data = super().clean()
        if data.get("pareil") == "non":
            given = [
                n for n in self.fields if n.startswith(tuple(f"{p['id']}{SEP}annuel_" for p in q.adults(self.answers)))
            ]
            if not any(data.get(n) is not None for n in given) and not self.errors:
                self.add_error("pareil", _("Indiquez au moins un montant de l’année, ou répondez « Oui »."))
        return data

    def write(self):
        same = self.cleaned_data.get("pareil") == "oui"
        for p in q.people(self.answers):
            p.pop("revenus_annuels", None)
            if same or p.get("role") not in q.ADULT_ROLES:
                continue
            entry = {"annee": self.year()}
            for name in ANNUAL_FIELDS:
                value = self.cleaned_data.get(pf(p["id"], f"annuel_{name}"))
                if value is not None:
                    entry[name] = value
            if len(entry) > 1:
                p["revenus_annuels"] = [entry]


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
