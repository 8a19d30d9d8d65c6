"""The geographic codes data·inclusion uses, checked against the loaded referential, with helpful messages.

    codes = CodeChecker()              # reads the referential once (a few sets of codes), for files
    codes = CodeChecker(preload=False) # one query per code asked, for a form
    codes.commune("75056")             # None when known, else a French message for the person
    codes.zone("200046977")            # a code of a `zone_eligibilite`: commune, EPCI, département, pays, france

A `zone_eligibilite` (data·inclusion schema v1) lists codes of the Code officiel géographique: a
commune (5 characters, arrondissements municipaux included), an EPCI (SIREN, 9 digits), a
département (2 or 3 characters: 01…95, 2A, 2B, 971…976) or a country (99 + 3 digits, 99100 for
France), or the word `france`. A region is written as the list of its départements.
Each kind is checked once its table is loaded (an empty table checks nothing): an unknown code
gets a message saying what it looks like and what to do, e.g. a postal code given for an Insee
code, or a referential loaded without the rest of France.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from relais.territories.cog import COMMUNE_CODE, DEPARTEMENT_CODE, EPCI_CODE, PAYS_CODE
from relais.territories.models import Commune, Departement, Epci

FRANCE = "france"
WHOLE_FRANCE = 30_000  # fewer communes than this: only part of France is loaded


class _Codes:
    """The codes of one table: a set read at once, or one query per code asked."""

    def __init__(self, model, preload: bool):
        self.model = model
        self.codes = set(model.objects.values_list("pk", flat=True)) if preload else None
        self._count = len(self.codes) if self.codes is not None else None

    def __contains__(self, code) -> bool:
        if self.codes is not None:
            return code in self.codes
        return self.model.objects.filter(pk=code).exists()

    def __len__(self) -> int:
        if self._count is None:
            self._count = self.model.objects.count()
        return self._count

    def __bool__(self) -> bool:
        return len(self) > 0


class CodeChecker:
    """The loaded codes; each message is computed once per code."""

    def __init__(self, preload: bool = True):
        self.communes = _Codes(Commune, preload)
        self.departements = _Codes(Departement, preload)
        self.epcis = _Codes(Epci, preload)
        self._messages: dict[tuple[str, str], str | None] = {}

    @property
    def loaded(self) -> bool:
        return bool(self.communes)

    @property
    def partial(self) -> bool:
        """Only some communes are loaded (e.g. `load_territories --lyon-metz-only`)."""
        return 0 < len(self.communes) < WHOLE_FRANCE

    def commune(self, code: str) -> str | None:
        """None for a commune or arrondissement of the referential (or none loaded), else why not."""
        if not self.communes or code in self.communes:
            return None
        key = ("commune", code)
        if key not in self._messages:
            self._messages[key] = self._unknown_commune(code)
        return self._messages[key]

    def zone(self, code: str) -> str | None:
        """None for a valid code of a `zone_eligibilite`, else why not (its form is already checked by the schema)."""
        if code == FRANCE or PAYS_CODE.match(code):
            return None
        if EPCI_CODE.match(code):
            if not self.epcis or code in self.epcis:
                return None
            return _(
                "code EPCI (SIREN) « {code} » inconnu du référentiel : aucune intercommunalité n’a ce code "
                "au 1er janvier 2026"
            ).format(code=code)
        if COMMUNE_CODE.match(code):
            return self.commune(code)
        if DEPARTEMENT_CODE.match(code):
            if not self.departements or code.upper() in self.departements:
                return None
            return _(
                "code département « {code} » inconnu : attendu 01 à 95, 2A, 2B ou 971 à 976 (une région s’écrit "
                "comme la liste de ses départements)"
            ).format(code=code)
        return _("code « {code} » invalide : attendu un code commune, EPCI, département, pays ou « france »").format(
            code=code
        )

    def _unknown_commune(self, code: str) -> str:
        message = _("code commune « {code} » inconnu du référentiel des communes").format(code=code)
        hints = []
        named = list(
            Commune.objects.filter(postal_codes__icontains=f'"{code}"').order_by("code").values_list("code", "name")[:3]
        )
        if named:
            hints.append(
                _("c’est un code postal, pas un code Insee : {communes}").format(
                    communes=", ".join(f"{name} = {insee}" for insee, name in named)
                )
            )
        if self.partial:
            hints.append(
                _(
                    "le référentiel chargé ne compte que {n} communes : chargez toutes les communes de France "
                    "avec ./manage.py load_territories"
                ).format(n=len(self.communes))
            )
        elif not named:
            hints.append(
                _(
                    "ce n’est pas une commune du Code officiel géographique 2026 : vérifiez le code Insee "
                    "(une commune nouvelle ou fusionnée a changé de code)"
                )
            )
        return message + " ; " + " ; ".join(hints)
