from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SteeringConfig(AppConfig):
    name = "relais.steering"
    verbose_name = _("Pilotage du plan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from relais.steering import ratios
        from relais.steering.models import IndicatorValue

        post_save.connect(ratios.on_value_change, sender=IndicatorValue, dispatch_uid="steering_value_saved")
        post_delete.connect(ratios.on_value_change, sender=IndicatorValue, dispatch_uid="steering_value_deleted")
