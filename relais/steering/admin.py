"""Admin of the plans: their settings, territories and roles (who administers, edits a territory, reads).

Actions, declinations, notes and values are edited on the plan's own pages (relais/steering/views), which
check roles and record the history; the admin lists them read-only."""

from django.contrib import admin

from relais.steering.models import Action, Axis, Campaign, Indicator, Plan, PlanRole, Tag


class PlanRoleInline(admin.TabularInline):
    model = PlanRole
    extra = 0
    raw_id_fields = ["user"]


class AxisInline(admin.TabularInline):
    model = Axis
    extra = 0
    fields = ["code", "title", "parent", "order"]


class TagInline(admin.TabularInline):
    model = Tag
    extra = 0


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "owner", "is_public", "is_demo"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["territories"]
    inlines = [PlanRoleInline, AxisInline, TagInline]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Action)
class ActionAdmin(ReadOnlyAdmin):
    list_display = ["code", "title", "plan", "axis", "status", "meteo"]
    list_filter = ["plan", "status"]
    search_fields = ["code", "title"]


@admin.register(Indicator)
class IndicatorAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "plan", "computed_source"]
    list_filter = ["plan"]


@admin.register(Campaign)
class CampaignAdmin(ReadOnlyAdmin):
    list_display = ["title", "plan", "due_on", "launched_at"]
