"""Give the role the app connects as only the grants it needs (PostgreSQL), run as the owner after `migrate`.

    DATABASE_URL=postgres://relais_owner@db/relais manage.py migrate
    DATABASE_URL=postgres://relais_owner@db/relais manage.py grant_app_role relais_app

The app role gets SELECT, INSERT, UPDATE, DELETE on every table and the use of the sequences; on the
append-only tables (relais/append_only.py) only SELECT and INSERT, plus UPDATE of the columns that a
deleted user sets to NULL (on_delete=SET_NULL). Neither owner nor superuser, it cannot disable their
triggers: relais/web/checks.py refuses to start production otherwise. Idempotent; run it after each
migration (new tables get no grant until then).
"""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction

from relais.web.checks import append_only_models, append_only_tables


class Command(BaseCommand):
    help = "Grants the app's database role what it needs and no more (PostgreSQL; run as the tables' owner)."

    def add_arguments(self, parser):
        parser.add_argument("role", help="the role the app connects as (must exist, must not be the owner)")

    def handle(self, *args, role, **options):
        if connection.vendor != "postgresql":
            raise CommandError("grant_app_role: PostgreSQL only (SQLite has no roles)")
        q = connection.ops.quote_name
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_user, current_schema()")
            owner, schema = cursor.fetchone()
            if role == owner:
                raise CommandError(f"grant_app_role: {role!r} is the role running this command (the owner)")
            cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
            if cursor.fetchone() is None:
                raise CommandError(f"grant_app_role: no role {role!r} (CREATE ROLE {role} LOGIN PASSWORD …)")
        statements = [
            f"GRANT USAGE ON SCHEMA {q(schema)} TO {q(role)}",
            f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {q(schema)} TO {q(role)}",
            f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {q(schema)} TO {q(role)}",
        ]
        for model in append_only_models():
            table = q(model._meta.db_table)
            statements.append(f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM {q(role)}")
            nulled = [
                q(f.column)
                for f in model._meta.concrete_fields
                if f.is_relation and f.remote_field.on_delete is models.SET_NULL
            ]
            if nulled:
                statements.append(f"GRANT UPDATE ({', '.join(nulled)}) ON {table} TO {q(role)}")
        with transaction.atomic(), connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
        self.stdout.write(f"{role}: DML on every table, append-only: {', '.join(append_only_tables())}")
