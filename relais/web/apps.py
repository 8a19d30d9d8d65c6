from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "relais.web"
    verbose_name = _("Web")

    def ready(self):
        from relais.web import checks  # noqa: F401, PLC0415 (registers the system checks, as Django's docs do)
