from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "relais.rights"
    verbose_name = _("Droits")

    def ready(self):
        # The law is loaded lazily (relais.rights.system); a server warms it up before serving
        # (relais/wsgi.py and relais/asgi.py call relais.rights.system.warm_up_if_enabled).
        pass
