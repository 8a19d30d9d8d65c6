"""Figure: import of a national-scale data·inclusion file, wall time and peak memory, SQLite and PostgreSQL.

The file (100,000 structures, 140,000 services over every French commune) comes from
scripts/generate_national_offer.py (made if missing, in var/bench/). For each database, a fresh
one is created (SQLite: var/bench/import.sqlite3; PostgreSQL: database `relais_bench_import` at
postgres://postgres@127.0.0.1:5432, dropped afterwards), migrated and loaded with the France
referential (`load_territories --all-france`, so every commune code is checked); then
`manage.py import_offer` runs in a child process, twice: the first import, then the same file again
(which must change nothing). Each run's wall time, CPU time and peak resident memory (the child's
own rusage, from os.wait4) are printed as a table.

    .venv/bin/python bench/bench_import.py                    # both databases
    .venv/bin/python bench/bench_import.py --backends sqlite
    .venv/bin/python bench/bench_import.py --file var/bench/small.json

Target: each run under 3 minutes and 2 GB; the re-import changes nothing and is faster.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BENCH = ROOT / "var" / "bench"
DEFAULT_FILE = BENCH / "national-offer.json"
PG_SERVER = "postgres://postgres@127.0.0.1:5432"
PG_DATABASE = "relais_bench_import"
TARGET_SECONDS, TARGET_MB = 180, 2048


def run_measured(args: list[str], env: dict) -> dict:
    """Run a child process; its wall time, CPU time and peak RSS (its own rusage, from wait4)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.monotonic()
        process = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=err, text=True)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return {
            "wall": wall,
            "cpu": usage.ru_utime + usage.ru_stime,
            "rss_mb": usage.ru_maxrss / 1024,  # kilobytes on Linux
            "returncode": process.returncode,
            "stdout": out.read(),
            "stderr": err.read(),
        }


def manage(env: dict, *args: str) -> None:
    result = subprocess.run(
        [PY, "manage.py", *args, "--skip-checks"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")


def pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as connection:
        connection.execute(sql)


def pg_available() -> bool:
    try:
        pg_admin("SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "not available here"
        return False
    return True


def prepare(backend: str) -> dict:
    env = {**os.environ, "RELAIS_DEMO": "0"}
    if backend == "sqlite":
        path = BENCH / "import.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")
        pg_admin(f"CREATE DATABASE {PG_DATABASE}")
        env["DATABASE_URL"] = f"{PG_SERVER}/{PG_DATABASE}"
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "load_territories", "--all-france", "--no-territories")
    return env


def cleanup(backend: str) -> None:
    if backend == "postgres":
        pg_admin(f"DROP DATABASE IF EXISTS {PG_DATABASE} WITH (FORCE)")


def counts(stdout: str) -> str:
    numbers = re.findall(r"(\d+) créées, (\d+) mises à jour, (\d+) inchangées", stdout)
    return " / ".join("+{} ~{} ={}".format(*n) for n in numbers)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    args = parser.parse_args(argv)
    BENCH.mkdir(parents=True, exist_ok=True)
    if not args.file.exists():
        print(f"generating {args.file} …", flush=True)
        subprocess.run([PY, "scripts/generate_national_offer.py", "--output", str(args.file)], cwd=ROOT, check=True)

    print(f"file: {args.file} ({args.file.stat().st_size / 1e6:.0f} MB)")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    rows, failed = [], False
    for backend in args.backends:
        if backend == "postgres" and not pg_available():
            print(f"postgres: no server at {PG_SERVER}, skipped")
            continue
        env = prepare(backend)
        try:
            for step in ("import", "re-import"):
                result = run_measured([PY, "manage.py", "import_offer", "--skip-checks", str(args.file)], env)
                if result["returncode"]:
                    print(result["stdout"], result["stderr"][-3000:], sep="\n")
                    failed = True
                    break
                rows.append((backend, step, result))
                print(f"{backend:9} {step:10} {result['wall']:7.1f} s  {result['rss_mb']:6.0f} MB", flush=True)
        finally:
            cleanup(backend)

    print()
    print(
        "| database | run | wall time | CPU time | peak memory | structures / services (+created ~updated =unchanged) |"
    )
    print("| --- | --- | ---: | ---: | ---: | --- |")
    for backend, step, r in rows:
        print(
            f"| {'SQLite' if backend == 'sqlite' else 'PostgreSQL'} | {step} | {r['wall']:.0f} s | {r['cpu']:.0f} s "
            f"| {r['rss_mb']:.0f} MB | {counts(r['stdout'])} |"
        )
    over = [(b, s) for b, s, r in rows if r["wall"] > TARGET_SECONDS or r["rss_mb"] > TARGET_MB]
    if over:
        print(f"\nover target ({TARGET_SECONDS} s, {TARGET_MB} MB): {over}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
