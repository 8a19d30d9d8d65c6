"""Figure: import of a national-scale data·inclusion file, wall time and peak memory, SQLite and PostgreSQL.

The file (by default 100,000 structures and 140,000 services over every French commune) comes from
scripts/generate_national_offer.py, made if missing in var/bench/. For each database a fresh one is
created (SQLite: var/bench/import.sqlite3; PostgreSQL: `<database of PG_URL>_bench_import` on the
server of PG_URL, else of DATABASE_URL when it is PostgreSQL, else postgres://postgres@127.0.0.1:5432;
dropped afterwards), migrated and loaded with the referential (`load_territories`: every commune of
France, so every code of the file is checked). Then `manage.py import_offer FILE` runs in a child
process, twice: the first import, then the same file again, which must change nothing (checked twice:
the importer's own counts, and the rows of structures, services and history counted before and
after). Each run's wall time, CPU time and peak resident memory (the child's own rusage, from
os.wait4) are printed as a table, with the exact command to reproduce them.

    .venv/bin/python bench/bench_import.py                                  # both databases, national scale
    .venv/bin/python bench/bench_import.py --backends sqlite --structures 2000 --services 3000
    PG_URL=postgres://postgres@127.0.0.1:5432/relais .venv/bin/python bench/bench_import.py --backends postgres

Target: each run under 3 minutes and 2 GB; the re-import changes nothing and is faster.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shlex
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BENCH = ROOT / "var" / "bench"
DEFAULT_PG = "postgres://postgres@127.0.0.1:5432/relais"
TARGET_SECONDS, TARGET_MB = 180, 2048
COUNT_ROWS = (
    "from relais.offer.models import Change, Service, Structure; "
    "print(Structure.objects.count(), Service.objects.count(), Change.objects.count())"
)


def pg_url() -> str:
    """The PostgreSQL server to use: PG_URL, else DATABASE_URL when it is PostgreSQL, else the default."""
    for name in ("PG_URL", "DATABASE_URL"):
        value = os.environ.get(name, "")
        if value.startswith(("postgres://", "postgresql://")):
            return value
    return DEFAULT_PG


def with_database(url: str, database: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + database, parts.query, ""))


def bench_database(url: str) -> str:
    name = urlsplit(url).path.lstrip("/") or "relais"
    return f"{name}_bench_import"


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


def manage(env: dict, *args: str) -> str:
    result = subprocess.run(
        [PY, "manage.py", *args, "--skip-checks"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    return result.stdout


def row_counts(env: dict) -> tuple[int, ...]:
    result = subprocess.run(
        [PY, "manage.py", "shell", "-v", "0", "-c", COUNT_ROWS],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return tuple(int(n) for n in result.stdout.split())


def pg_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(with_database(url, "postgres"), autocommit=True, connect_timeout=3) as connection:
        connection.execute(sql)


def pg_available(url: str) -> bool:
    try:
        pg_admin(url, "SELECT 1")
    except Exception:  # noqa: BLE001 - any failure means "not available here"
        return False
    return True


def prepare(backend: str, url: str) -> tuple[dict, float]:
    env = {**os.environ, "RELAIS_DEMO": "0"}
    env.pop("PG_URL", None)
    if backend == "sqlite":
        path = BENCH / "import.sqlite3"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        env["DATABASE_URL"] = f"sqlite:///{path}"
    else:
        database = bench_database(url)
        pg_admin(url, f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        pg_admin(url, f'CREATE DATABASE "{database}"')
        env["DATABASE_URL"] = with_database(url, database)
    manage(env, "migrate", "--no-input", "-v", "0")
    started = time.monotonic()
    manage(env, "load_territories", "--no-territories")
    return env, time.monotonic() - started


def cleanup(backend: str, url: str) -> None:
    if backend == "postgres":
        pg_admin(url, f'DROP DATABASE IF EXISTS "{bench_database(url)}" WITH (FORCE)')


COUNTS = re.compile(r"(\d+) créées, (\d+) mises à jour, (\d+) inchangées")


def counts(stdout: str) -> list[tuple[int, int, int]]:
    return [tuple(int(n) for n in found) for found in COUNTS.findall(stdout)]


def shown(found: list[tuple[int, int, int]]) -> str:
    return " / ".join("+{} ~{} ={}".format(*n) for n in found)


def reproduce(args, url: str) -> str:
    command = [
        ".venv/bin/python",
        "bench/bench_import.py",
        "--backends",
        *args.backends,
        "--structures",
        str(args.structures),
        "--services",
        str(args.services),
    ]
    if args.file != default_file(args.structures, args.services):
        command += ["--file", str(args.file)]
    prefix = f"PG_URL={shlex.quote(url)} " if "postgres" in args.backends else ""
    return prefix + " ".join(shlex.quote(part) for part in command)


def default_file(structures: int, services: int) -> Path:
    if (structures, services) == (100_000, 140_000):
        return BENCH / "national-offer.json"
    return BENCH / f"offer-{structures}-{services}.json"


def main(argv=None) -> int:  # noqa: C901 - a script: one step after the other
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", nargs="+", choices=["sqlite", "postgres"], default=["sqlite", "postgres"])
    parser.add_argument("--structures", type=int, default=100_000)
    parser.add_argument("--services", type=int, default=140_000)
    parser.add_argument("--file", type=Path, help="an existing data·inclusion file (default: generated)")
    args = parser.parse_args(argv)
    args.file = args.file or default_file(args.structures, args.services)
    url = pg_url()
    BENCH.mkdir(parents=True, exist_ok=True)
    print(f"reproduce: {reproduce(args, url)}")
    if not args.file.exists():
        generate = [
            "scripts/generate_national_offer.py",
            "--structures",
            str(args.structures),
            "--services",
            str(args.services),
            "--output",
            str(args.file),
        ]
        print(f"generating the file: .venv/bin/python {' '.join(generate)}", flush=True)
        subprocess.run([PY, *generate], cwd=ROOT, check=True)

    print(f"file: {args.file} ({args.file.stat().st_size / 1e6:.1f} MB)")
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    rows, problems = [], []
    for backend in args.backends:
        if backend == "postgres" and not pg_available(url):
            print(f"postgres: no server answers at {with_database(url, 'postgres')}, skipped")
            continue
        env, referential_seconds = prepare(backend, url)
        print(f"{backend:9} load_territories (all of France) {referential_seconds:6.1f} s", flush=True)
        try:
            before = None
            for step in ("import", "re-import"):
                if step == "re-import":
                    before = row_counts(env)
                result = run_measured([PY, "manage.py", "import_offer", "--skip-checks", str(args.file)], env)
                if result["returncode"]:
                    print(result["stdout"][-3000:], result["stderr"][-3000:], sep="\n")
                    problems.append(f"{backend} {step}: import_offer failed")
                    break
                result["counts"] = counts(result["stdout"])
                rows.append((backend, step, result))
                print(
                    f"{backend:9} {step:10} {result['wall']:7.1f} s  {result['rss_mb']:6.0f} MB  {shown(result['counts'])}",
                    flush=True,
                )
                if step == "re-import":
                    after = row_counts(env)
                    touched = any(created or updated for created, updated, _same in result["counts"])
                    if touched:
                        problems.append(f"{backend}: the re-import created or updated listings")
                    if after != before:
                        problems.append(f"{backend}: rows changed by the re-import {before} -> {after}")
                    result["unchanged"] = after == before and not touched
        finally:
            cleanup(backend, url)

    print()
    print(f"{args.structures:,} structures, {args.services:,} services; {args.file.name}")
    print()
    print(
        "| database | run | wall time | CPU time | peak memory | structures / services (+created ~updated =unchanged) |"
    )
    print("| --- | --- | ---: | ---: | ---: | --- |")
    for backend, step, r in rows:
        print(
            f"| {'SQLite' if backend == 'sqlite' else 'PostgreSQL'} | {step} | {r['wall']:.1f} s | {r['cpu']:.1f} s "
            f"| {r['rss_mb']:.0f} MB | {shown(r['counts'])} |"
        )
    for backend, step, r in rows:
        if step == "re-import":
            print(f"{backend}: the re-import changed nothing: {'yes' if r.get('unchanged') else 'NO'}")
    over = [(b, s) for b, s, r in rows if r["wall"] > TARGET_SECONDS or r["rss_mb"] > TARGET_MB]
    if over and (args.structures, args.services) == (100_000, 140_000):
        print(f"over target ({TARGET_SECONDS} s, {TARGET_MB} MB): {over}")
    for problem in problems:
        print(f"PROBLEM: {problem}")
    print(f"\nreproduce: {reproduce(args, url)}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
