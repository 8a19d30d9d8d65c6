"""The steps about money: monthly incomes, savings, benefits already received, a past tax year."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from relais.rights import questionnaire as q
from relais.rights.benefits import BY_CODE
from relais.rights.household import ANNUAL_FIELDS
from relais.rights.local import by_id
from relais.rights.views.display import euros
from relais.rights.views.fields import AmountField
from relais.rights.views.steps.base import (
    ANNUAL_LABELS,
    MAIN_ANNUAL,
    SEP,
    TYPES_INDEPENDANT,
    StepForm,
    _check,
    _radio,
    _select,
    pf,
)


class IncomesStep(StepForm):
    """Monthly incomes of each adult (one or several kinds)."""

    kinds: tuple[str, ...] = ()
    more_kinds: tuple[str, ...] = ()
    more_label = ""

    def build(self):
        for p in q.adults(self.answers):
            kinds = self.kinds_of(p)
            if not kinds:
                continue
            s = self.section(self.names[p["id"]], person=p["id"], more_label=str(self.more_label))
            for name in kinds:
                self.income(s, p, name, more=name in self.more_kinds)
            self.extra(s, p)

    def kinds_of(self, p) -> tuple[str, ...]:
        """The incomes asked of this adult (all by default)."""
        return (*self.kinds, *self.more_kinds)

    def extra(self, section, p):
        pass

    def summary(self):
        return [(title, rows or [("", _("Aucun revenu de ce type."))]) for title, rows in super().summary()]


class RevenusActiviteStep(IncomesStep):
    group = "revenus_activite"
    kinds = ("salaire_net",)
    more_kinds = ("chiffre_affaires",)
    more_label = gettext_lazy("Micro-entreprise (chiffre d’affaires)")

    def kinds_of(self, p):
        if "situation_pro" not in q.done(self.answers):
            return super().kinds_of(p)
        return tuple(q.activity_incomes(p))

    def extra(self, section, p):
        if "chiffre_affaires" not in self.kinds_of(p):
            return
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
            if pf(p["id"], "type_independant") in self.fields:
                self.write_person(p, "type_independant", self.cleaned_data.get(pf(p["id"], "type_independant")))


class RevenusRemplacementStep(IncomesStep):
    """Only what each adult's situation makes possible: unemployment benefit and the end of its rights for
    a jobseeker, daily allowances for a person without activity, an invalidity pension when a disability
    was declared, a grant for a student."""

    group = "revenus_remplacement"

    def build(self):
        situation_known = "situation_pro" in q.done(self.answers)
        for p in q.adults(self.answers):
            kinds = q.replacement_incomes(p)
            student = p.get("situation") in (None, "etudiant") or not situation_known
            if situation_known and not kinds and not student:
                continue
            s = self.section(self.names[p["id"]], person=p["id"])
            for name in kinds if situation_known else ("chomage_net", "indemnites_journalieres", "pension_invalidite"):
                self.income(s, p, name)
            if "chomage_net" in kinds or not situation_known:
                self.add(
                    s,
                    pf(p["id"], "chomage_droits_epuises"),
                    _check(
                        _("Fin de droits au chômage, après au moins 5 ans de travail dans les 10 dernières années"),
                        _("Pour l’allocation de solidarité spécifique (ASS)."),
                    ),
                    kind="check",
                )
            if student:
                self.income(s, p, "bourse_etudes", help_text=_("Pour les étudiants boursiers ; sinon laissez vide."))


class RetraiteStep(IncomesStep):
    group = "pensions_retraite"
    kinds = ("retraite_nette",)


class PensionAlimentaireStep(IncomesStep):
    """A pension received is asked when children live in the household (and for the ASF); one paid, always."""

    group = "pension_alimentaire"
    kinds = ("pension_alimentaire_recue", "pension_alimentaire_versee")

    def kinds_of(self, p):
        if q.has_children(self.answers) or (p.get("revenus") or {}).get("pension_alimentaire_recue"):
            return self.kinds
        return ("pension_alimentaire_versee",)


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
        out = StepForm.summary(self)
        own = len(out) - len(self.guest_summary())
        household, people = out[0], out[1:own]
        rows = household[1] or [("", _("Pas d’épargne déclarée."))]
        return [("", rows)] + [(title, lines or [("", _("Aucun loyer perçu."))]) for title, lines in people] + out[own:]


def monthly(code: str) -> bool:
    """Whether a benefit (code) or local aid (id) is paid every month."""
    if code in BY_CODE:
        return BY_CODE[code].periodicity == "mensuelle"
    aid = by_id(code)
    return bool(aid) and aid.periodicite == "mensuelle"


class PrestationsStep(StepForm):
    group = "prestations_percues"
    template_name_step = "rights/steps/prestations.html"

    def build(self):
        s = self.section()
        self.codes = []
        received = self.menage.get("prestations_percues") or {}
        for code in q.requested_codes(self.answers):
            if code not in received and not q.could_receive(code, self.answers):
                continue
            if code in BY_CODE:
                name = str(BY_CODE[code].name)
            else:
                aid = by_id(code)
                name = aid.text("nom") if aid else code
            self.codes.append((code, name))
            self.add(s, f"recu_{code}", _check(name), kind="check")
            if monthly(code):  # a yearly or one-off aid: received or not, no monthly amount to ask
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
        return [
            (code, name, self[f"recu_{code}"], self[f"montant_{code}"] if f"montant_{code}" in self.fields else None)
            for code, name in self.codes
        ]

    def summary(self):
        received = self.menage.get("prestations_percues") or {}
        names = dict(self.codes)
        rows = [
            (names.get(code, code), euros(float(amount)) if amount else _("Oui")) for code, amount in received.items()
        ]
        return [("", rows or [("", _("Aucune prestation déclarée."))])]


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
        if not self.asks_amounts():
            return
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

    def asks_amounts(self) -> bool:
        """The amounts of the year are asked once the person says they differed (or gave some before)."""
        if self.is_bound and self.data.get("pareil") == "non":
            return True
        return any(p.get("revenus_annuels") for p in q.adults(self.answers))

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

    def summary(self):
        out = super().summary()
        return [out[0]] + [(title, rows) for title, rows in out[1:] if rows]

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
