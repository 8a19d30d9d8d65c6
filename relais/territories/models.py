"""The territory referential: communes (COG), EPCI, départements and user-defined territories."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from relais.territories.text import normalize


class Departement(models.Model):
    code = models.CharField(_("code"), max_length=3, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)

    class Meta:
        verbose_name = _("département")
        verbose_name_plural = _("départements")
        ordering = ["code"]

    def __str__(self):
        return f"{self.name} ({self.code})"


class Epci(models.Model):
    """An établissement public de coopération intercommunale (SIREN code)."""

    code = models.CharField(_("code SIREN"), max_length=9, primary_key=True)
    name = models.CharField(_("nom"), max_length=200)
    kind = models.CharField(_("type"), max_length=10, blank=True)  # MET, CU, CA, CC

    class Meta:
        verbose_name = _("EPCI")
        verbose_name_plural = _("EPCI")
        ordering = ["name"]

    def __str__(self):
        return self.name


class CommuneQuerySet(models.QuerySet):
    def communes(self):
        """Communes proper (not municipal arrondissements)."""
        return self.filter(kind=Commune.Kind.COMMUNE)

    def search(self, text: str):
        key = normalize(text)
        return self.filter(search_name__contains=key) if key else self.none()


class Commune(models.Model):
    """A commune or municipal arrondissement of the Code officiel géographique."""

    class Kind(models.TextChoices):
        COMMUNE = "COM", _("commune")
        ARRONDISSEMENT = "ARM", _("arrondissement municipal")

    code = models.CharField(_("code Insee"), max_length=5, primary_key=True)
    name = models.CharField(_("nom"), max_length=100)
    kind = models.CharField(_("type"), max_length=3, choices=Kind.choices, default=Kind.COMMUNE)
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="arrondissements",
        verbose_name=_("commune de rattachement"),
    )
    postal_codes = models.JSONField(_("codes postaux"), default=list)
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)
    population_year = models.PositiveSmallIntegerField(_("millésime de la population"), null=True, blank=True)
    departement = models.ForeignKey(Departement, on_delete=models.PROTECT, related_name="communes")
    epci = models.ForeignKey(Epci, on_delete=models.SET_NULL, null=True, blank=True, related_name="communes")
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    contour = models.JSONField(_("contour simplifié (géométrie GeoJSON)"), null=True, blank=True)
    # Bounding box of the contour, filled by the loader: a cheap prefilter for point-in-polygon look-ups.
    bbox_west = models.FloatField(null=True, blank=True, editable=False)
    bbox_south = models.FloatField(null=True, blank=True, editable=False)
    bbox_east = models.FloatField(null=True, blank=True, editable=False)
    bbox_north = models.FloatField(null=True, blank=True, editable=False)
    search_name = models.CharField(max_length=100, db_index=True, editable=False)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def save(self, *args, **kwargs):
        self.search_name = normalize(self.name)
        super().save(*args, **kwargs)

    @property
    def bbox(self) -> tuple[float, float, float, float] | None:
        """(west, south, east, north) of the contour, when loaded."""
        west, south, east, north = self.bbox_west, self.bbox_south, self.bbox_east, self.bbox_north
        if west is None or south is None or east is None or north is None:
            return None
        return (west, south, east, north)

    def zone_codes(self) -> set[str]:
        """Every code of a data·inclusion `zone_eligibilite` that covers this commune."""
        codes = {self.code, self.departement_id, "france", "99100"}
        if self.parent_id:
            codes.add(self.parent_id)
        epci_id = self.epci_id or (self.parent.epci_id if self.parent is not None else None)
        if epci_id:
            codes.add(epci_id)
        return codes


class Territory(models.Model):
    """A named set of communes defined by the métropole (e.g. a Conférence territoriale des maires)."""

    name = models.CharField(_("nom"), max_length=150)
    slug = models.SlugField(_("identifiant court"), max_length=150, unique=True)
    kind = models.CharField(
        _("type"), max_length=100, blank=True, help_text=_("par exemple Conférence territoriale des maires")
    )
    epci = models.ForeignKey(Epci, on_delete=models.SET_NULL, null=True, blank=True, related_name="territories")
    communes = models.ManyToManyField(Commune, related_name="territories", verbose_name=_("communes"))
    source = models.TextField(_("source"), blank=True)
    to_check = models.BooleanField(
        _("à vérifier avec la décision officielle"),
        default=False,
        help_text=_("Cochez si la composition n’est pas certaine."),
    )
    is_demo = models.BooleanField(_("données de démonstration"), default=False)

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["name"]

    def __str__(self):
        return self.name
