from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReferralsConfig(AppConfig):
    name = "relais.referrals"
    verbose_name = _("Orientations")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks
        from django.db.models.signals import post_migrate

        from relais.referrals import config, roles

        checks.register(config.check_referral_settings, checks.Tags.compatibility)
        post_migrate.connect(roles.ensure_steering_group, sender=self)
