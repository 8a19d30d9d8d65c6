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
        from relais.observatory import signals
        from relais.rights.screening import screening_done

        screening_done.connect(signals.screening_done, dispatch_uid="relais.observatory.missed_rights")
