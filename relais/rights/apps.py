from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RightsConfig(AppConfig):
    name = "relais.rights"
    verbose_name = _("Droits")

    def ready(self):
        # The law is loaded lazily (relais.rights.system); a server warms it up before serving
        # (relais/wsgi.py and relais/asgi.py call relais.rights.warmup.warm_up_if_enabled).
        # The offer's aids name local aids of this catalogue: offer, a layer below, asks through this hook.
        # Imported here, not at the top: the offer's models load after this module.
        from relais.offer.models import register_rights_aids
        from relais.rights.local import catalogue

        register_rights_aids(lambda: [aid.id for aid in catalogue()])
