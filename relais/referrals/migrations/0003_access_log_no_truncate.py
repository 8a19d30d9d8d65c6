"""PostgreSQL: TRUNCATE fires no row trigger; a statement trigger refuses it on a non-empty access log
(relais/referrals/dbguard.py). SQLite has no TRUNCATE: nothing to do there."""

from django.db import migrations


def install(apps, schema_editor):
    from relais.referrals import dbguard

    dbguard.install_truncate_guard(schema_editor.connection)


def uninstall(apps, schema_editor):
    from relais.referrals import dbguard

    dbguard.uninstall_truncate_guard(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0002_access_log_append_only")]

    operations = [migrations.RunPython(install, uninstall)]
