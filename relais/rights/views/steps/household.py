"""The steps about the place and the household: commune, composition, ages, housing, rent."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext as _

from relais.rights import places
from relais.rights import questionnaire as q
from relais.rights.household import MAX_PERSONS
from relais.rights.views.communes import MAX_COMMUNE_CHARS, find
from relais.rights.views.fields import AmountField
from relais.rights.views.steps.base import (
    COUPLES,
    STATUTS,
    YES_NO_UNKNOWN,
    StepForm,
    _check,
    _choice_label,
    _radio,
    pf,
)


class CommuneStep(StepForm):
    group = "commune"

    def build(self):
        s = self.section()
        self.add(
            s,
            "commune",
            forms.CharField(
                label=_("Votre commune"),
                max_length=MAX_COMMUNE_CHARS,
                help_text=_("Son nom, son code postal ou son code Insee : par exemple Villeurbanne, 69003 ou Metz."),
                # the covered territory's communes, listed by the page without JavaScript (rights/partials/field.html)
                widget=forms.TextInput(attrs={"autocomplete": "address-level2", "list": "communes-couvertes"}),
            ),
        )
        self.found = None
        self.notice = ""
        typed = (self.data.get("commune") or "").strip() if self.is_bound else ""
        if typed and len(typed) <= MAX_COMMUNE_CHARS:  # longer: the field's own message, no look-up
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
            if self.found.others:  # five digits read as a postal code: say so, and how to get the other reading
                code, name = self.found.others[0]
                self.notice = _(
                    "« %(value)s » est le code postal de %(commune)s, commune retenue. Vous cherchiez %(other)s "
                    "(code commune %(code)s) ? Revenez à l’étape précédente et écrivez « %(other)s (%(code)s) »."
                ) % {"value": data.get("commune", ""), "commune": matches[0][1], "other": name, "code": code}
        elif data.get("commune_choix"):
            data["resolved"] = (data["commune_choix"], dict(matches)[data["commune_choix"]])
        return data

    def write(self):
        code, name = self.cleaned_data["resolved"]
        self.menage["commune"] = code
        self.answers["commune_nom"] = name
        place = places.resolve([code]).get(code)
        q.set_place(self.answers, place.departement if place else None, place.epci if place else None)

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
        # "seul" is kept in the answers (not sent to the engine) and is the default: the radio group has
        # a checked answer, so Tab reaches it and Enter goes on.
        initial["couple"] = couple or ("concubinage" if has_partner else q.SINGLE)
        initial["isolement_recent"] = bool(self.menage.get("isolement_recent"))
        return initial

    def write(self):
        data = self.cleaned_data
        couple = data.get("couple")
        if couple and couple != "seul":
            q.add_person(self.answers, q.ROLE_CONJOINT)
            self.menage["couple"] = couple
        elif couple == "seul":
            partner = next((p for p in q.people(self.answers) if p.get("role") == q.ROLE_CONJOINT), None)
            if partner:
                q.remove_person(self.answers, partner["id"])
            self.menage["couple"] = q.SINGLE
        if data.get("isolement_recent"):
            self.menage["isolement_recent"] = True
        else:
            self.menage.pop("isolement_recent", None)
        super().write()

    def summary(self):
        rows = []
        values = self.read()
        if values.get("couple") and (self.menage.get("couple") or "composition" in q.done(self.answers)):
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
    """The rent or loan; on the housing screen when both are asked (questionnaire.FOLDS), where the status
    is answered at the same time: the amount is then required only of a tenant or a borrower."""

    group = "loyer"

    def statut(self):
        cleaned = getattr(self, "cleaned_data", None) or {}
        return cleaned.get("statut") or (self.menage.get("logement") or {}).get("statut")

    def build(self):
        s = self.section()
        statut = self.statut()
        if statut == "accedant":
            label = _("Mensualité de votre emprunt immobilier")
        elif statut:
            label = _("Loyer par mois, sans les charges")
        else:
            label = _("Loyer par mois sans les charges, ou mensualité d’emprunt")
        self.add(
            s,
            "loyer",
            AmountField(
                label=label,
                required=bool(statut),
                help_text=_(
                    "En euros. En colocation : votre part seulement. Sans les charges (eau, chauffage collectif…)."
                )
                if statut
                else _("Si vous êtes locataire ou remboursez un emprunt ; sinon laissez vide. Sans les charges."),
            ),
        )

    def clean(self):
        data = super().clean()
        if "loyer" not in self.errors and data.get("loyer") is None and (self.statut() or "locataire") in q.RENTING:
            self.add_error("loyer", _("Indiquez le loyer ou la mensualité, sans les charges."))
        return data

    def read(self):
        loyer = (self.menage.get("logement") or {}).get("loyer")
        return {} if loyer is None else {"loyer": float(loyer)}

    def write(self):
        if self.statut() in q.RENTING and self.cleaned_data.get("loyer") is not None:
            self.menage.setdefault("logement", {})["loyer"] = self.cleaned_data["loyer"]
