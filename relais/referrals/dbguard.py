"""The database itself refuses to update, delete or truncate rows of the access log (triggers).

- PostgreSQL: a row trigger refuses UPDATE and DELETE; `TRUNCATE` fires no row trigger, so a
  statement trigger refuses it too whenever the table holds a row (truncating an empty table loses
  nothing: that is what the test runner's flush does after a test that wrote no log row).
- SQLite: row triggers refuse UPDATE and DELETE (SQLite has no TRUNCATE; its « truncate
  optimisation » of `DELETE FROM t` is off on a table with triggers).

Installed by migrations 0002 (update, delete) and 0003 (truncate). A migration that rebuilds the
table on SQLite drops its triggers: it must call `install` again (test_access_log.py fails
otherwise). The triggers stop the application and a mistaken query, not the table's owner, who can
drop them: in production the application connects as a role that does not own the table and has
no UPDATE, DELETE or TRUNCATE grant on it (docs/adr/0007-referrals.md). Transactional tests that
write to the log end with `erase_for_tests`, or the test runner's flush is refused.
"""

TABLE = "referrals_accesslog"
MESSAGE = "referrals_accesslog is append-only"

POSTGRES_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION {TABLE}_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update_delete ON {TABLE};",
    f"""
    CREATE TRIGGER {TABLE}_no_update_delete BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION {TABLE}_append_only();
    """,
]
# TRUNCATE takes its exclusive lock before BEFORE TRUNCATE triggers fire: no row can arrive between the check and it.
POSTGRES_TRUNCATE_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION {TABLE}_no_truncate() RETURNS trigger AS $$
    BEGIN
        IF EXISTS (SELECT 1 FROM {TABLE}) THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NULL;
    END;
    $$ LANGUAGE plpgsql;
    """,
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE};",
    f"""
    CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE}
    FOR EACH STATEMENT EXECUTE FUNCTION {TABLE}_no_truncate();
    """,
]
POSTGRES_TRUNCATE_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE};",
    f"DROP FUNCTION IF EXISTS {TABLE}_no_truncate();",
]
POSTGRES_UNINSTALL = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update_delete ON {TABLE};",
    f"DROP FUNCTION IF EXISTS {TABLE}_append_only();",
    *POSTGRES_TRUNCATE_UNINSTALL,
]
SQLITE_INSTALL = [
    f"DROP TRIGGER IF EXISTS {TABLE}_no_update;",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;",
    f"CREATE TRIGGER {TABLE}_no_update BEFORE UPDATE ON {TABLE} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
    f"CREATE TRIGGER {TABLE}_no_delete BEFORE DELETE ON {TABLE} BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;",
]
SQLITE_UNINSTALL = [f"DROP TRIGGER IF EXISTS {TABLE}_no_update;", f"DROP TRIGGER IF EXISTS {TABLE}_no_delete;"]


def _run(connection, statements) -> None:
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def install(connection) -> None:
    if connection.vendor == "postgresql":
        _run(connection, POSTGRES_INSTALL + POSTGRES_TRUNCATE_INSTALL)
    elif connection.vendor == "sqlite":
        _run(connection, SQLITE_INSTALL)


def uninstall(connection) -> None:
    if connection.vendor == "postgresql":
        _run(connection, POSTGRES_UNINSTALL)
    elif connection.vendor == "sqlite":
        _run(connection, SQLITE_UNINSTALL)


def install_truncate_guard(connection) -> None:
    if connection.vendor == "postgresql":
        _run(connection, POSTGRES_TRUNCATE_INSTALL)


def uninstall_truncate_guard(connection) -> None:
    if connection.vendor == "postgresql":
        _run(connection, POSTGRES_TRUNCATE_UNINSTALL)


def erase_for_tests(connection) -> None:
    """Empty the log in a test database (the only place the log may be emptied): lift, delete, restore."""
    uninstall(connection)
    try:
        _run(connection, [f"DELETE FROM {TABLE};"])
    finally:
        install(connection)
