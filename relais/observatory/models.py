"""Anonymous traces of searches, and their monthly counts: what the observatory knows of unmet needs.

What is kept, why and for how long: docs/data-traces.md. A trace holds no identity, no free text, no
exact age, no address or coordinates, no IP address, no session, no time of day: the day, the commune,
the thématiques sought, a few profile categories from a closed list, the channel and result counts.
"""

from collections import Counter

from django.db import models
from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

# Published figures hide cells counting fewer searches than this (a rare need in a small commune could
# otherwise point at someone).
MIN_CELL = 5


class Channel(models.TextChoices):
    PRO = "pro", _("professionnel")
    RESIDENT = "resident", _("habitant")
    API = "api", _("API")


def _rows(counts: dict, min_searches: int) -> list[dict]:
    rows = []
    for (commune_code, thematique), (searches, unmet) in counts.items():
        if searches >= min_searches:
            rows.append(
                {
                    "commune_code": commune_code,
                    "thematique": thematique,
                    "searches": searches,
                    "unmet": unmet,
                    "unmet_rate": round(unmet / searches, 3),
                }
            )
    rows.sort(key=lambda r: (-r["unmet"], -r["unmet_rate"], r["commune_code"], r["thematique"]))
    return rows


class SearchTraceQuerySet(models.QuerySet):
    def between(self, start, end):
        """Searches made from `start` to `end`, both included (dates)."""
        return self.filter(day__gte=start, day__lte=end)

    def in_communes(self, codes):
        return self.filter(commune_code__in=list(codes))

    def in_epci(self, code: str):
        return self.filter(epci_code=code)

    def unmet(self):
        """Searches that found no service the person is sure to be eligible for."""
        return self.filter(eligible=0)

    def by_commune(self):
        """Per commune: searches, unmet searches (0 eligible) and those with nothing at all (0 result)."""
        return (
            self.values("commune_code")
            .annotate(
                searches=Count("id"),
                unmet=Count("id", filter=Q(eligible=0)),
                nothing=Count("id", filter=Q(total=0)),
            )
            .order_by("-unmet", "commune_code")
        )

    def unmet_needs(self, min_searches: int = MIN_CELL) -> list[dict]:
        """Per commune and thématique sought: searches, unmet searches (0 eligible result) and their rate,
        most unmet first; cells with fewer than `min_searches` searches are left out."""
        counts: dict[tuple[str, str], list[int]] = {}
        for commune_code, thematiques, eligible in self.values_list("commune_code", "thematiques", "eligible"):
            for thematique in thematiques or ():
                cell = counts.setdefault((commune_code, thematique), [0, 0])
                cell[0] += 1
                cell[1] += eligible == 0
        return _rows(counts, min_searches)

    def categories(self) -> Counter:
        """How many searches declared each profile category."""
        counter: Counter = Counter()
        for categories in self.values_list("categories", flat=True):
            counter.update(categories or ())
        return counter


class SearchTrace(models.Model):
    """One search that ran (its first page), without anything that identifies the person."""

    day = models.DateField(_("jour"), db_index=True)
    commune_code = models.CharField(_("commune"), max_length=5, db_index=True)
    epci_code = models.CharField(_("EPCI"), max_length=9, blank=True)
    departement_code = models.CharField(_("département"), max_length=3, blank=True)
    thematiques = models.JSONField(_("thématiques recherchées"), default=list)
    categories = models.JSONField(_("catégories de profil"), default=list)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    urgent = models.BooleanField(_("besoin urgent"), default=False)
    eligible = models.PositiveIntegerField(_("résultats éligibles"))
    to_check = models.PositiveIntegerField(_("résultats à vérifier"))
    total = models.PositiveIntegerField(_("résultats"))
    words_not_understood = models.BooleanField(_("mots non compris"), default=False)

    objects = SearchTraceQuerySet.as_manager()

    class Meta:
        verbose_name = _("trace de recherche")
        verbose_name_plural = _("traces de recherche")

    def __str__(self):
        return f"{self.day} {self.commune_code} {','.join(self.thematiques)}"


class SearchNeedMonthQuerySet(models.QuerySet):
    def between(self, start, end):
        return self.filter(month__gte=start.replace(day=1), month__lte=end)

    def unmet_needs(self, min_searches: int = MIN_CELL) -> list[dict]:
        """Same rows as SearchTraceQuerySet.unmet_needs(), from the monthly counts."""
        rows = self.values("commune_code", "thematique").annotate(s=Sum("searches"), u=Sum("unmet"))
        counts = {(r["commune_code"], r["thematique"]): (r["s"], r["u"]) for r in rows}
        return _rows(counts, min_searches)


class SearchNeedMonth(models.Model):
    """Monthly counts of searches per commune, thématique and channel, kept once the traces are deleted."""

    month = models.DateField(_("mois"), db_index=True, help_text=_("premier jour du mois"))
    commune_code = models.CharField(_("commune"), max_length=5)
    epci_code = models.CharField(_("EPCI"), max_length=9, blank=True)
    departement_code = models.CharField(_("département"), max_length=3, blank=True)
    thematique = models.CharField(_("thématique"), max_length=100)
    channel = models.CharField(_("canal"), max_length=10, choices=Channel.choices)
    searches = models.PositiveIntegerField(_("recherches"), default=0)
    unmet = models.PositiveIntegerField(_("recherches sans résultat éligible"), default=0)

    objects = SearchNeedMonthQuerySet.as_manager()

    class Meta:
        verbose_name = _("besoins recherchés (mois)")
        verbose_name_plural = _("besoins recherchés (mois)")
        constraints = [
            models.UniqueConstraint(
                fields=["month", "commune_code", "thematique", "channel"], name="search_need_month_unique"
            )
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.commune_code} {self.thematique}"


class Status(models.TextChoices):
    """A value, Insee's statistical secret (`s`) or not available: never confused, never shown as 0."""

    VALUE = "value", _("valeur")
    SECRET = "secret", _("secret statistique")
    NOT_AVAILABLE = "na", _("non disponible")


class Level(models.TextChoices):
    COMMUNE = "commune", _("commune")
    ARRONDISSEMENT = "arrondissement", _("arrondissement municipal")
    TERRITORY = "territory", _("territoire local")
    EPCI = "epci", _("EPCI")
    DEPARTEMENT = "departement", _("département")


class IndicatorValue(models.Model):
    """One cell: an indicator of the catalogue (catalogue.py) for one territory and one vintage."""

    indicator = models.CharField(_("indicateur"), max_length=60, db_index=True)
    level = models.CharField(_("niveau"), max_length=15, choices=Level.choices)
    code = models.CharField(_("code"), max_length=150)
    vintage = models.PositiveSmallIntegerField(_("millésime"))
    status = models.CharField(_("statut"), max_length=6, choices=Status.choices, default=Status.VALUE)
    value = models.FloatField(_("valeur"), null=True, blank=True)
    source = models.CharField(_("source"), max_length=200, blank=True)
    imported_at = models.DateTimeField(_("importé le"), auto_now=True)

    class Meta:
        verbose_name = _("valeur d’indicateur")
        verbose_name_plural = _("valeurs d’indicateurs")
        constraints = [
            models.UniqueConstraint(fields=["indicator", "level", "code", "vintage"], name="indicator_value_unique"),
            models.CheckConstraint(
                condition=(
                    models.Q(status="value", value__isnull=False)
                    | models.Q(~models.Q(status="value"), value__isnull=True)
                ),
                name="indicator_value_status_matches_value",
            ),
        ]

    def __str__(self):
        return f"{self.indicator} {self.level} {self.code} {self.vintage}"


class Dataset(models.Model):
    """A file loaded into IndicatorValue, by its checksum: loading the same file again changes nothing."""

    name = models.CharField(_("fichier"), max_length=200)
    sha256 = models.CharField(max_length=64, unique=True)
    cells = models.PositiveIntegerField(_("cellules"), default=0)
    loaded_at = models.DateTimeField(_("chargé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("jeu de données chargé")
        verbose_name_plural = _("jeux de données chargés")

    def __str__(self):
        return self.name


class UnmetNeedMonth(models.Model):
    """Searches per month, commune and thématique, added day by day from the traces (rollup_unmet_needs):
    searches, searches without an eligible result, searches with words not understood (counts only)."""

    month = models.DateField(_("mois"), db_index=True)
    commune_code = models.CharField(_("commune"), max_length=5)
    thematique = models.CharField(_("thématique"), max_length=100)
    searches = models.PositiveIntegerField(_("recherches"), default=0)
    unmet = models.PositiveIntegerField(_("recherches sans résultat éligible"), default=0)
    not_understood = models.PositiveIntegerField(_("recherches avec des mots non compris"), default=0)

    class Meta:
        verbose_name = _("besoins non couverts (mois)")
        verbose_name_plural = _("besoins non couverts (mois)")
        constraints = [
            models.UniqueConstraint(fields=["month", "commune_code", "thematique"], name="unmet_need_month_unique")
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.commune_code} {self.thematique}"


class RollupMark(models.Model):
    """The last day already added to a rollup: each day is counted once, the next run starts after it."""

    name = models.CharField(max_length=50, primary_key=True)
    last_day = models.DateField()

    def __str__(self):
        return f"{self.name} {self.last_day}"


class MissedRightsMonth(models.Model):
    """Aggregate of batch screenings (docs/data-traces.md): per month, commune and benefit, how many screened
    households looked eligible without receiving it, and the estimated monthly amount. No household, no job."""

    month = models.DateField(_("mois"), db_index=True)
    commune_code = models.CharField(_("commune"), max_length=5)
    benefit = models.CharField(_("prestation"), max_length=60)
    screened = models.PositiveIntegerField(_("ménages dépistés"), default=0)
    missed = models.PositiveIntegerField(_("ménages éligibles qui ne la perçoivent pas"), default=0)
    amount = models.FloatField(_("montant mensuel estimé (€)"), default=0)

    class Meta:
        verbose_name = _("droits non perçus (mois)")
        verbose_name_plural = _("droits non perçus (mois)")
        constraints = [
            models.UniqueConstraint(fields=["month", "commune_code", "benefit"], name="missed_rights_month_unique")
        ]

    def __str__(self):
        return f"{self.month:%Y-%m} {self.commune_code} {self.benefit}"
