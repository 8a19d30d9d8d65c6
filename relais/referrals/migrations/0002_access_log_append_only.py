"""The access log is append-only in the database too: triggers refuse UPDATE and DELETE (see relais/referrals/dbguard.py)."""

from django.db import migrations


def install(apps, schema_editor):
    from relais.referrals import dbguard

    dbguard.install(schema_editor.connection)


def uninstall(apps, schema_editor):
    from relais.referrals import dbguard

    dbguard.uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(install, uninstall)]
