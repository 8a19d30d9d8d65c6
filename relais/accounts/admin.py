"""Admin of accounts: people (by e-mail), structure memberships and territory moderators."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from relais.accounts.forms import AdminUserCreationForm
from relais.accounts.models import LoginAttempt, Membership, TerritoryModerator, User


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "user"
    extra = 0
    raw_id_fields = ["structure", "decided_by"]
    readonly_fields = ["created_at", "decided_at"]


class TerritoryModeratorInline(admin.TabularInline):
    model = TerritoryModerator
    extra = 0


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    add_form = AdminUserCreationForm
    ordering = ["email"]
    list_display = ["email", "first_name", "last_name", "is_staff", "is_active", "last_login"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Identité"), {"fields": ("first_name", "last_name")}),
        (
            pgettext_lazy("permissions d’un compte", "Droits"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined", "email_confirmed_at")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "usable_password", "password1", "password2")}),)
    inlines = [MembershipInline, TerritoryModeratorInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "structure", "role", "status", "created_at", "decided_at"]
    list_filter = ["status", "role"]
    search_fields = ["user__email", "structure__nom", "structure__id"]
    raw_id_fields = ["user", "structure", "decided_by"]
    list_select_related = ["user", "structure"]


@admin.register(TerritoryModerator)
class TerritoryModeratorAdmin(admin.ModelAdmin):
    list_display = ["user", "territory"]
    list_filter = ["territory"]
    search_fields = ["user__email", "territory__name"]
    raw_id_fields = ["user"]
    list_select_related = ["user", "territory"]


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    """Login attempts and e-mails sent on request in the lockout window (read only): who is locked out, from where."""

    list_display = ["kind", "email", "ip", "at"]
    search_fields = ["email", "ip"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
