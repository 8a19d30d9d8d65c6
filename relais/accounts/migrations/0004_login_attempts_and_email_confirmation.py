"""Login attempts are counted before the password is checked (LoginFailure becomes LoginAttempt, with a
kind), and accounts record when their address was confirmed.

Existing accounts: only those an operator created or vouched for (staff, superusers) and the demo's are
considered confirmed; every other address was typed at sign-up and never proven, so its owner confirms
it (one link, /comptes/confirmer/renvoyer/) before asking to join or proposing a structure
(docs/adr/0006-accounts-and-security.md).
"""

from django.db import migrations, models
from django.db.models import Q
from django.utils import timezone

DEMO_EMAIL_DOMAIN = "demo.relais"  # relais.offer.demo.DEMO_EMAIL_DOMAIN (accounts may not import offer)


def confirm_vouched_accounts(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(
        Q(is_staff=True) | Q(is_superuser=True) | Q(email__iendswith="@" + DEMO_EMAIL_DOMAIN)
    ).update(email_confirmed_at=timezone.now())


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_loginfailure"),
    ]

    operations = [
        migrations.RenameModel("LoginFailure", "LoginAttempt"),
        migrations.AlterModelOptions(
            name="loginattempt",
            options={"verbose_name": "tentative de connexion", "verbose_name_plural": "tentatives de connexion"},
        ),
        migrations.AddField(
            model_name="loginattempt",
            name="kind",
            field=models.CharField(
                choices=[("login", "connexion"), ("email", "envoi de courriel")],
                default="login",
                max_length=5,
                verbose_name="type",
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="email_confirmed_at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="adresse confirmée le"),
        ),
        migrations.RunPython(confirm_vouched_accounts, migrations.RunPython.noop),
    ]
