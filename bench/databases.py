"""A fresh database for a bench, shared by the benches that measure pages on SQLite or PostgreSQL.

`fresh_database("inbox", postgres)` drops and creates `relais_bench_inbox` on the PostgreSQL server at
`postgres` (e.g. postgres://postgres@127.0.0.1:5432/), or empties var/bench/inbox.sqlite3 when `postgres` is
None, and returns the DATABASE_URL to use."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fresh_database(name: str, postgres: str | None) -> str:
    if postgres:
        import dj_database_url
        import psycopg

        server = dj_database_url.parse(postgres.rstrip("/") + "/postgres")
        with psycopg.connect(
            host=server["HOST"],
            port=server["PORT"] or 5432,
            user=server["USER"],
            password=server["PASSWORD"] or None,
            dbname="postgres",
            autocommit=True,
        ) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS relais_bench_{name}")
            connection.execute(f"CREATE DATABASE relais_bench_{name}")
        return postgres.rstrip("/") + f"/relais_bench_{name}"
    path = ROOT / "var" / "bench" / f"{name}.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"
