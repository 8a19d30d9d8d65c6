"""Checking what a search was given: each problem names the input and, where it helps, suggests a fix."""

from __future__ import annotations

import datetime as dt
import math
import re

from django.utils.translation import gettext_lazy

from relais.matching.fuzzy import closest
from relais.matching.i18n import _
from relais.matching.lexicon import CATEGORIES, THEMATIQUES, Lexicon, Lexicons, expand
from relais.matching.lexicon import label as thematique_label
from relais.matching.types import (
    GENDERS,
    HOUSEHOLDS,
    MODES,
    SITUATIONS,
    Constraints,
    NeedMatch,
    Needs,
    Problem,
    Profile,
    Severity,
)

SITUATION_LABELS = {
    "rsa": gettext_lazy("bénéficiaire du RSA"),
    "aah": gettext_lazy("bénéficiaire de l’AAH"),
    "ass": gettext_lazy("bénéficiaire de l’ASS"),
    "aspa": gettext_lazy("bénéficiaire du minimum vieillesse (ASPA)"),
    "job_seeker": gettext_lazy("demandeur ou demandeuse d’emploi"),
    "employed": gettext_lazy("en emploi"),
    "student": gettext_lazy("étudiant ou étudiante"),
    "retired": gettext_lazy("retraité ou retraitée"),
    "disability": gettext_lazy("en situation de handicap"),
    "exiled": gettext_lazy("personne exilée"),
    "homeless": gettext_lazy("sans domicile"),
    "violence_victim": gettext_lazy("victime de violences"),
    "qpv_resident": gettext_lazy("habitant ou habitante d’un quartier prioritaire"),
    "justice": gettext_lazy("sous main de justice ou sortant de détention"),
    "legal_protection": gettext_lazy("sous tutelle ou curatelle"),
    "single_parent": gettext_lazy("parent seul"),
    "pregnant": gettext_lazy("enceinte"),
    "carer": gettext_lazy("proche aidant"),
}

# (situation, minimum age that makes sense, why) -- under that age the profile contradicts itself.
MINIMUM_AGES = (
    ("rsa", 18, gettext_lazy("le RSA s’ouvre à partir de 18 ans")),
    ("aah", 16, gettext_lazy("l’AAH s’ouvre à partir de 16 ans")),
    ("ass", 18, gettext_lazy("l’ASS suppose d’avoir travaillé plusieurs années")),
    ("aspa", 60, gettext_lazy("le minimum vieillesse s’ouvre à l’âge de la retraite")),
    ("retired", 50, gettext_lazy("la retraite commence rarement avant 50 ans")),
    ("job_seeker", 16, gettext_lazy("on s’inscrit comme demandeur d’emploi à partir de 16 ans")),
    ("employed", 14, gettext_lazy("on ne peut pas travailler avant 14 ans")),
    ("student", 15, gettext_lazy("les études supérieures commencent après 15 ans")),
)

_LANG = re.compile(r"^[a-z]{2}$")
MAX_AGE = 120


def _describe(code: str) -> str:
    return f"{thematique_label(code)} ({code})"


def validate_profile(profile: Profile) -> list[Problem]:
    problems: list[Problem] = []
    age = profile.age
    if age is not None and (not isinstance(age, int) or isinstance(age, bool) or not 0 <= age <= MAX_AGE):
        problems.append(
            Problem(
                "profile.age",
                "invalid_age",
                _("Âge impossible : « %(age)s ». Indiquez un nombre d’années entre 0 et %(max)d.")
                % {"age": age, "max": MAX_AGE},
            )
        )
        age = None
    if profile.gender is not None and profile.gender not in GENDERS:
        problems.append(
            Problem(
                "profile.gender",
                "invalid_choice",
                _("Genre « %(value)s » inconnu.") % {"value": profile.gender},
                GENDERS,
            )
        )
    if profile.household is not None and profile.household not in HOUSEHOLDS:
        problems.append(
            Problem(
                "profile.household",
                "invalid_choice",
                _("Composition du foyer « %(value)s » inconnue.") % {"value": profile.household},
                HOUSEHOLDS,
            )
        )
    children = profile.children
    if children is not None and (
        not isinstance(children, int) or isinstance(children, bool) or not 0 <= children <= 20
    ):
        problems.append(
            Problem(
                "profile.children",
                "invalid_children",
                _("Nombre d’enfants impossible : « %(value)s ».") % {"value": children},
            )
        )
        children = None
    for field, codes in (
        ("profile.situations", profile.situations),
        ("profile.not_situations", profile.not_situations),
    ):
        for code in sorted(codes):
            if code not in SITUATIONS:
                choices = {str(label): key for key, label in SITUATION_LABELS.items()} | {k: k for k in SITUATIONS}
                suggestions = tuple(dict.fromkeys(choices[c] for c in closest(code, choices, limit=3, cutoff=0.5)))
                problems.append(
                    Problem(
                        field,
                        "unknown_situation",
                        _("Situation « %(value)s » inconnue.") % {"value": code},
                        suggestions,
                    )
                )
    both = profile.situations & profile.not_situations
    for code in sorted(both):
        problems.append(
            Problem(
                "profile.situations",
                "contradiction",
                _("Profil contradictoire : « %(situation)s » est à la fois déclaré et exclu.")
                % {"situation": SITUATION_LABELS.get(code, code)},
            )
        )
    if age is not None:
        for code, minimum, why in MINIMUM_AGES:
            if code in profile.situations and age < minimum:
                problems.append(
                    Problem(
                        "profile.age",
                        "contradiction",
                        _("Profil contradictoire : %(age)d ans et %(situation)s (%(why)s).")
                        % {"age": age, "situation": SITUATION_LABELS[code], "why": why},
                    )
                )
        if children and age < 13:
            problems.append(
                Problem(
                    "profile.children",
                    "contradiction",
                    _("Profil contradictoire : %(age)d ans et %(n)d enfant(s) à charge.") % {"age": age, "n": children},
                )
            )
    if children == 0 and "single_parent" in profile.situations:
        problems.append(
            Problem(
                "profile.children",
                "contradiction",
                _("Profil contradictoire : parent seul et aucun enfant."),
            )
        )
    return problems


def validate_constraints(constraints: Constraints, today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    c = constraints
    if c.mode is not None and c.mode not in MODES:
        problems.append(
            Problem("constraints.mode", "invalid_choice", _("Mode « %(value)s » inconnu.") % {"value": c.mode}, MODES)
        )
    for lang in c.languages:
        if not isinstance(lang, str) or not _LANG.match(lang):
            problems.append(
                Problem(
                    "constraints.languages",
                    "invalid_language",
                    _("Langue « %(value)s » : utilisez un code à deux lettres (fr, en, ar…).") % {"value": lang},
                )
            )
    if c.max_distance_km is not None:
        value = c.max_distance_km
        if not isinstance(value, int | float) or isinstance(value, bool) or math.isnan(value) or not 0 < value <= 1000:
            problems.append(
                Problem(
                    "constraints.max_distance_km",
                    "invalid_distance",
                    _("Distance maximale impossible : « %(value)s ». Indiquez des kilomètres entre 1 et 1000.")
                    % {"value": value},
                )
            )
    if c.open_on is not None:
        if c.open_now and c.open_on != today:
            problems.append(
                Problem(
                    "constraints.open_on",
                    "contradiction",
                    _("Demande contradictoire : ouvert maintenant et ouvert le %(day)s.") % {"day": c.open_on},
                )
            )
        if not today - dt.timedelta(days=1) <= c.open_on <= today + dt.timedelta(days=366):
            problems.append(
                Problem(
                    "constraints.open_on",
                    "invalid_date",
                    _("Date « %(day)s » : choisissez un jour dans l’année qui vient.") % {"day": c.open_on},
                )
            )
    return problems


def interpret_needs(needs: Needs, lexicon: Lexicon) -> tuple[tuple[NeedMatch, ...], list[Problem]]:
    """The thématiques sought (weight and triggering words), from codes and from the person's words."""
    matches, problems, _signals = read_needs(needs, lexicon)
    return matches, problems


def read_needs(
    needs: Needs, lexicon: Lexicon | Lexicons
) -> tuple[tuple[NeedMatch, ...], list[Problem], frozenset[str]]:
    """interpret_needs(), and the signals of the words (lexicon.Interpretation.signals)."""
    signals: frozenset[str] = frozenset()
    problems: list[Problem] = []
    found: dict[str, NeedMatch] = {}

    def keep(match: NeedMatch):
        current = found.get(match.thematique)
        if current is None:
            found[match.thematique] = match
        else:
            found[match.thematique] = NeedMatch(
                match.thematique,
                max(current.weight, match.weight),
                tuple(dict.fromkeys(current.words + match.words)),
                current.urgent or match.urgent,
            )

    for raw in needs.thematiques:
        code = str(raw).strip()
        if code in THEMATIQUES or code in CATEGORIES:
            for t in expand(code):
                keep(NeedMatch(t, 1.0))
            continue
        suggestions = lexicon.suggest(code.replace("-", " "), limit=5)
        if not suggestions:
            labels = {v: k for k, v in THEMATIQUES.items()} | {k: k for k in THEMATIQUES}
            suggestions = [labels[x] for x in closest(code, labels, limit=5, cutoff=0.5)]
        problems.append(
            Problem(
                "needs.thematiques",
                "unknown_thematique",
                _("Thématique « %(value)s » inconnue.") % {"value": code},
                tuple(_describe(s) for s in dict.fromkeys(suggestions)),
            )
        )

    text = str(needs.text or "").strip()
    if text:
        reading = lexicon.interpret(text)
        signals = reading.signals
        for match in reading.matches:
            keep(match)
        if not reading.matches:
            problems.append(
                Problem(
                    "needs.text",
                    "no_need_recognised",
                    _("Nous n’avons reconnu aucun besoin dans « %(text)s ». Essayez d’autres mots ou une thématique.")
                    % {"text": text},
                    tuple(_describe(s) for s in lexicon.suggest(text)),
                )
            )
        else:
            for typed, understood in reading.corrections:
                problems.append(
                    Problem(
                        "needs.text",
                        "corrected",
                        _("« %(typed)s » compris comme « %(understood)s ».")
                        % {"typed": typed, "understood": understood},
                        severity=Severity.WARNING,
                    )
                )
            if reading.unknown_words:
                problems.append(
                    Problem(
                        "needs.text",
                        "words_not_understood",
                        _("Mots non pris en compte : %(words)s.") % {"words": ", ".join(reading.unknown_words)},
                        severity=Severity.WARNING,
                    )
                )
    if not needs.thematiques and not text:
        problems.append(
            Problem(
                "needs",
                "empty_needs",
                _("Indiquez au moins un besoin : une thématique ou quelques mots (par exemple « manger ce soir »)."),
                tuple(f"{label} ({code})" for code, label in CATEGORIES.items()),
            )
        )
    ordered = sorted(found.values(), key=lambda m: (-m.weight, m.thematique))
    return tuple(ordered), problems, signals
