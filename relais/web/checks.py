"""Production guard on the database role (RELAIS_PRODUCTION=1), and Django system checks.

The role the app connects as must not own an append-only table (relais/append_only.py) nor be a
superuser. On PostgreSQL a table's owner, or a superuser, can disable or drop the triggers that keep the
referral access log append-only (relais/referrals/dbguard.py), and needs no grant to update or delete
rows. Migrations run as an owner role; the app runs as a role with only the grants it needs
(docs/adr/0012-production-topology.md, `manage.py grant_app_role`).

Checked by relais/wsgi.py before the first request, by `scripts/serve.sh` and by
`manage.py check --deploy --database default`. SQLite has no roles: whoever can write the file can change
it; production runs on PostgreSQL.
"""

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import connections

from relais.append_only import AppendOnlyModel


def append_only_models() -> list:
    """Every model that inherits AppendOnlyModel (the referral access log, the screening log…)."""
    return sorted((m for m in apps.get_models() if issubclass(m, AppendOnlyModel)), key=lambda m: m._meta.db_table)


def append_only_tables() -> list[str]:
    return [m._meta.db_table for m in append_only_models()]


def database_problems(connection) -> list[str]:
    """What in the database role forbids production: superuser, or owner (or member of the owner) of an
    append-only table."""
    if connection.vendor != "postgresql":
        return []
    tables = append_only_tables()
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user, rolsuper FROM pg_roles WHERE rolname = current_user")
        role, superuser = cursor.fetchone()
        if superuser:
            return [
                f"DATABASE_URL: the app connects as {role!r}, a superuser, who can disable the triggers of the "
                f"append-only tables ({', '.join(tables)}); connect as a role with only the grants the app needs"
            ]
        cursor.execute(
            "SELECT tablename, tableowner FROM pg_tables WHERE schemaname = current_schema() "
            "AND tablename = ANY(%s) AND pg_has_role(current_user, tableowner, 'MEMBER') ORDER BY tablename",
            [tables],
        )
        owned = cursor.fetchall()
    return [
        f"DATABASE_URL: the app connects as {role!r}, which owns the append-only table {table} (owner {owner!r}): "
        "an owner can disable its triggers and rewrite the log. Run migrations as the owner role and the app as "
        "a role with only SELECT, INSERT, UPDATE, DELETE grants (none but SELECT, INSERT on append-only tables)"
        for table, owner in owned
    ]


def check_database(connection) -> None:
    problems = database_problems(connection)
    if problems:
        raise ImproperlyConfigured("Relais refuses to start in production: " + "; ".join(problems))


@checks.register(checks.Tags.database, deploy=True)
def append_only_tables_not_owned_by_app(app_configs=None, databases=None, **kwargs):
    """`manage.py check --deploy --database default`: the guard above, as errors (production only)."""
    if not settings.PRODUCTION:
        return []
    return [
        checks.Error(problem, id="relais.E001")
        for alias in databases or []
        for problem in database_problems(connections[alias])
    ]
