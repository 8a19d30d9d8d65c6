"""Admin of the territory referential: communes, EPCI and départements are read from the committed files
(load_territories) and shown read-only where they come from the COG; territories are edited here."""

from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelectMultiple
from django.db.models import Count, Q
from django.forms import ModelMultipleChoiceField
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from relais.territories.geo import geometry_bbox
from relais.territories.models import Commune, Departement, Epci, Territory


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "commune_count")
    search_fields = ("code", "name")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_commune_count=Count("communes"))

    @admin.display(description=_("communes"), ordering="_commune_count")
    def commune_count(self, obj):
        return obj._commune_count


@admin.register(Epci)
class EpciAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "commune_count")
    list_filter = ("kind",)
    search_fields = ("code", "name")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(_commune_count=Count("communes", filter=Q(communes__kind=Commune.Kind.COMMUNE)))
        )

    @admin.display(description=_("communes"), ordering="_commune_count")
    def commune_count(self, obj):
        return obj._commune_count


class EpciWithCommunesFilter(admin.SimpleListFilter):
    """EPCI filter listing only the EPCI that have loaded communes (not the 1,255 of France when unused)."""

    title = _("EPCI")
    parameter_name = "epci"

    def lookups(self, request, model_admin):
        return Epci.objects.filter(communes__isnull=False).distinct().order_by("name").values_list("code", "name")

    def queryset(self, request, queryset):
        return queryset.filter(epci_id=self.value()) if self.value() else queryset


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "kind", "departement", "epci", "population", "population_year")
    list_filter = ("kind", EpciWithCommunesFilter, "departement")
    search_fields = ("code", "name", "search_name")
    list_select_related = ("departement", "epci")
    autocomplete_fields = ("parent", "departement", "epci")
    readonly_fields = ("search_name", "contour_summary", "contour")
    fieldsets = (
        (None, {"fields": ("code", "name", "kind", "parent", "departement", "epci")}),
        (_("Population et codes postaux"), {"fields": ("population", "population_year", "postal_codes")}),
        (_("Géographie"), {"fields": ("latitude", "longitude", "contour_summary", "contour")}),
        (_("Recherche"), {"fields": ("search_name",)}),
    )

    def get_readonly_fields(self, request, obj=None):
        # The code is the primary key: fixed once the commune exists.
        return self.readonly_fields + ("code",) if obj else self.readonly_fields

    @admin.display(description=_("contour"))
    def contour_summary(self, obj):
        if not obj.contour:
            return _("aucun contour chargé")
        try:
            polygons = (
                obj.contour["coordinates"]
                if obj.contour.get("type") == "MultiPolygon"
                else [obj.contour["coordinates"]]
            )
            points = sum(len(ring) for polygon in polygons for ring in polygon)
            bbox = geometry_bbox(obj.contour)
            if bbox is None:
                return _("contour illisible")
            west, south, east, north = bbox
        except (AttributeError, KeyError, TypeError, ValueError):
            return _("contour illisible")
        return ngettext(
            "%(type)s, %(polygons)d polygone, %(points)d points ; emprise %(south).4f–%(north).4f N, %(west).4f–%(east).4f E",
            "%(type)s, %(polygons)d polygones, %(points)d points ; emprise %(south).4f–%(north).4f N, %(west).4f–%(east).4f E",
            len(polygons),
        ) % {
            "type": obj.contour.get("type"),
            "polygons": len(polygons),
            "points": points,
            "south": south,
            "north": north,
            "west": west,
            "east": east,
        }


@admin.register(Territory)
class TerritoryAdmin(admin.ModelAdmin):
    list_display = ("name", "kind", "epci", "commune_count", "to_check", "is_demo")
    list_filter = ("to_check", "is_demo", "kind", "epci")
    search_fields = ("name", "slug", "source")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("communes",)
    autocomplete_fields = ("epci",)  # 1,255 EPCI in France: searched as you type
    list_select_related = ("epci",)
    fields = ("name", "slug", "kind", "epci", "communes", "to_check", "source", "is_demo")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_commune_count=Count("communes"))

    @admin.display(description=_("communes"), ordering="_commune_count")
    def commune_count(self, obj):
        return obj._commune_count

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        field = form.base_fields.get("communes")
        if not isinstance(field, ModelMultipleChoiceField):
            return form
        if obj is not None and obj.epci_id:
            # Offer the communes of the territory's EPCI (and those already chosen), not the whole of France.
            field.queryset = (
                Commune.objects.filter(Q(epci_id=obj.epci_id) | Q(parent__epci_id=obj.epci_id) | Q(territories=obj))
                .distinct()
                .order_by("name")
            )
        else:
            # Without an EPCI the choice is all of France (35,000 communes): search them as you type.
            field.widget = AutocompleteSelectMultiple(Territory._meta.get_field("communes"), self.admin_site)
        return form
