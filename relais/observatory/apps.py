from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    name = "relais.observatory"
    verbose_name = _("Observatoire")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Imported here, not at the top: traces imports the models, which Django loads after this module.
        from relais.matching.runtime import search_done
        from relais.observatory.traces import trace_search

        search_done.connect(trace_search, sender=None, dispatch_uid="relais.observatory.trace_search")
