"""Django admin for the offer: structures, services, aids and the change history (read-only).

Every write made here goes through `relais.offer.actions` and so lands in the change history.
"""

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from relais.offer import actions as offer_actions
from relais.offer.models import Aid, Change, Closure, Moderation, Service, Structure
from relais.offer.views.partner import HISTORY_SIZE, describe_changes


class StaleFilter(admin.SimpleListFilter):
    title = _("fraîcheur")
    parameter_name = "stale"

    def lookups(self, request, model_admin):
        return [("yes", _("à revérifier")), ("no", _("vérifiée récemment"))]

    def queryset(self, request, queryset):
        limit = timezone.localdate() - dt.timedelta(days=settings.RELAIS_STALE_AFTER_DAYS)
        if self.value() == "yes":
            return queryset.filter(Q(last_verified_on__lt=limit) | Q(last_verified_on__isnull=True))
        if self.value() == "no":
            return queryset.filter(last_verified_on__gte=limit)
        return queryset


class ClosureForm(forms.ModelForm):
    class Meta:
        model = Closure
        fields = ["service", "starts_on", "ends_on", "is_closed", "message"]

    def clean(self):
        cleaned = super().clean()
        starts_on, ends_on = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts_on and ends_on and ends_on < starts_on:
            self.add_error("ends_on", _("La fin (%(end)s) précède le début.") % {"end": ends_on})
        return cleaned


class StructureClosureInline(admin.TabularInline):
    model = Closure
    form = ClosureForm
    fk_name = "structure"
    fields = ["starts_on", "ends_on", "is_closed", "message", "service"]
    raw_id_fields = ["service"]
    extra = 0


class ServiceClosureForm(ClosureForm):
    class Meta(ClosureForm.Meta):
        fields = ["starts_on", "ends_on", "is_closed", "message"]


class ServiceClosureInline(admin.TabularInline):
    """Closures of one service; their structure is the service's (set on save)."""

    model = Closure
    form = ServiceClosureForm
    fk_name = "service"
    fields = ["starts_on", "ends_on", "is_closed", "message"]
    extra = 0


class TrackedAdmin(admin.ModelAdmin):
    """Shared by structures, services and aids: every write goes through `relais.offer.actions`.

    Saving, verifying, moderating and deleting in the admin all record a `Change` (who, when, old,
    new), as the partner pages do; the « Historique » button shows those changes.
    """

    actions = ["mark_verified", "approve", "reject"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    readonly_fields = ["created_at", "updated_at"]
    list_per_page = 50
    object_history_template = "admin/offer/object_history.html"

    def verify(self, request, obj) -> None:
        offer_actions.mark_verified(request.user, obj)

    def moderate(self, request, obj, outcome: str) -> None:
        offer_actions.apply_change(request.user, obj, {"moderation": outcome}, review=Change.Review.NOT_NEEDED)

    def save_model(self, request, obj, form, change):
        links = {f.name for f in offer_actions.tracked_links(type(obj))}
        if not change:
            values = {name: form.cleaned_data[name] for name in links if name in form.cleaned_data}
            offer_actions.apply_change(
                request.user, obj, values, kind=Change.Kind.CREATE, review=Change.Review.NOT_NEEDED
            )
            return
        tracked = {f.name for f in offer_actions.tracked_fields(type(obj))} | links
        values = {name: form.cleaned_data[name] for name in form.changed_data if name in tracked}
        if values:
            offer_actions.apply_change(request.user, obj, values, review=Change.Review.NOT_NEEDED)

    def delete_model(self, request, obj):
        offer_actions.delete_listing(request.user, obj)

    @transaction.atomic
    def delete_queryset(self, request, queryset):
        for obj in queryset:
            offer_actions.delete_listing(request.user, obj)

    def history_view(self, request, object_id, extra_context=None):
        """The admin's « Historique » page shows our change history (who, when, old, new)."""
        changes = Change.objects.filter(target=HISTORY_TARGETS[self.model], object_id=object_id)
        changes = describe_changes(changes.select_related("actor", "reviewed_by")[:HISTORY_SIZE])
        return super().history_view(request, object_id, {"changes": changes, **(extra_context or {})})

    @admin.action(description=_("Marquer comme vérifiée aujourd’hui"))
    def mark_verified(self, request, queryset):
        objects = list(queryset)
        for obj in objects:
            self.verify(request, obj)
            self.log_change(request, obj, [{"changed": {"fields": ["last_verified_on", "last_verified_by"]}}])
        count = len(objects)
        message = ngettext(
            "%(count)d fiche marquée comme vérifiée.", "%(count)d fiches marquées comme vérifiées.", count
        ) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)

    def _moderate_all(self, request, queryset, outcome: str) -> int:
        objects = list(queryset.exclude(moderation=outcome))
        for obj in objects:
            self.moderate(request, obj, outcome)
            self.log_change(request, obj, [{"changed": {"fields": ["moderation"]}}])
        return len(objects)

    @admin.action(description=_("Publier (valider la modération)"))
    def approve(self, request, queryset):
        count = self._moderate_all(request, queryset, Moderation.PUBLISHED)
        message = ngettext("%(count)d fiche publiée.", "%(count)d fiches publiées.", count) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)

    @admin.action(description=_("Refuser (retirer de la publication)"))
    def reject(self, request, queryset):
        count = self._moderate_all(request, queryset, Moderation.REJECTED)
        message = ngettext("%(count)d fiche refusée.", "%(count)d fiches refusées.", count) % {"count": count}
        self.message_user(request, message, messages.SUCCESS)


class ListingAdmin(TrackedAdmin):
    """Structures and services: identifiers are fixed once created; closures are edited inline.

    The changelist links to the data·inclusion import and export pages (/offre/import/).
    """

    change_list_template = "admin/offer/listing_change_list.html"

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields + ["id", "date_maj"] if obj else fields + ["date_maj"]

    def closure_structure(self, form):
        return form.instance

    def save_formset(self, request, form, formset, change):
        """Closures added, changed or deleted inline are recorded like the partner pages' (review not needed)."""
        if formset.model is not Closure:
            return super().save_formset(request, form, formset, change)
        review = Change.Review.NOT_NEEDED
        structure = self.closure_structure(form)
        instances = formset.save(commit=False)
        changed = {obj.pk for obj, _fields in formset.changed_objects}
        for closure in instances:
            values = {name: getattr(closure, name) for name in offer_actions.CLOSURE_FIELDS}
            if closure.pk in changed:
                offer_actions.update_closure(request.user, closure, values, review=review)
            else:
                offer_actions.add_closure(request.user, structure, values, review=review)
        for closure in formset.deleted_objects:
            offer_actions.delete_closure(request.user, closure, review=review)


@admin.register(Structure)
class StructureAdmin(ListingAdmin):
    list_display = ["nom", "id", "commune", "code_insee", "moderation", "last_verified_on", "is_demo"]
    list_filter = ["moderation", StaleFilter, "is_demo", "source"]
    search_fields = ["nom", "id", "commune", "code_insee", "siret"]
    raw_id_fields = ["last_verified_by"]
    inlines = [StructureClosureInline]
    date_hierarchy = "date_maj"

    def moderate(self, request, obj, outcome: str) -> None:
        if obj.moderation == Moderation.PENDING:  # a proposed structure: its pending services follow it
            offer_actions.decide_structure(request.user, obj, approve=outcome == Moderation.PUBLISHED)
        else:
            super().moderate(request, obj, outcome)


@admin.register(Service)
class ServiceAdmin(ListingAdmin):
    list_display = ["nom", "structure", "commune", "moderation", "capacity", "last_verified_on", "is_demo"]
    list_filter = ["moderation", "capacity", StaleFilter, "is_demo", "accepts_referrals", "source"]
    search_fields = ["nom", "id", "commune", "code_insee", "structure__nom", "structure__id"]
    list_select_related = ["structure"]
    autocomplete_fields = ["structure"]
    raw_id_fields = ["last_verified_by"]
    inlines = [ServiceClosureInline]

    def closure_structure(self, form):
        return form.instance.structure


@admin.register(Aid)
class AidAdmin(TrackedAdmin):
    list_display = ["name", "institution", "kind", "periodicity", "moderation", "last_verified_on", "is_demo"]
    list_filter = ["moderation", "kind", "periodicity", StaleFilter, "is_demo"]
    search_fields = ["name", "slug", "institution"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["claim_services"]
    raw_id_fields = ["last_verified_by"]


HISTORY_TARGETS = {Structure: Change.Target.STRUCTURE, Service: Change.Target.SERVICE, Aid: Change.Target.AID}


@admin.register(Change)
class ChangeAdmin(admin.ModelAdmin):
    """The history is written by the application only: read it here, review it in the moderation pages."""

    list_display = ["at", "kind", "target", "object_id", "structure", "actor", "note", "review", "code_insee"]
    list_filter = ["review", "kind", "target"]
    search_fields = ["object_id", "structure__nom", "code_insee", "note"]
    list_select_related = ["structure", "actor"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
