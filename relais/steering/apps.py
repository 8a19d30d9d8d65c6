from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SteeringConfig(AppConfig):
    name = "relais.steering"
    verbose_name = _("Pilotage du plan")
    default_auto_field = "django.db.models.BigAutoField"
