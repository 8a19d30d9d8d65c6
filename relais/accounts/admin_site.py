"""The admin site: our login page (throttled) and, for every admin page, the second factor."""

from functools import update_wrapper

from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from relais.accounts import security


class AdminSite(admin.AdminSite):
    def login(self, request, extra_context=None):
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"), reverse("accounts:login"))

    def admin_view(self, view, cacheable=False):
        protected = super().admin_view(view, cacheable)

        def inner(request, *args, **kwargs):
            if self.has_permission(request):
                second_factor = security.require_verified_second_factor(request)
                if second_factor is not None:
                    return second_factor
            return protected(request, *args, **kwargs)

        return update_wrapper(inner, protected)
