from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "relais.accounts"
    verbose_name = _("Comptes")

    def ready(self):
        import time

        from django.contrib.auth.signals import user_logged_in

        from relais.accounts import sessions

        def start_session_clock(sender, request, user, **kwargs):
            if request is not None and hasattr(request, "session"):
                sessions.start(request.session, time.time())

        user_logged_in.connect(start_session_clock, dispatch_uid="relais_start_session_clock", weak=False)


class AdminConfig(admin_apps.AdminConfig):
    """Django's admin, whose pages show people's accounts: login through ours, and the second factor."""

    default = False  # named in INSTALLED_APPS; AccountsConfig stays this module's default
    default_site = "relais.accounts.admin_site.AdminSite"
