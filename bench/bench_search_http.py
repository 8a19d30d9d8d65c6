"""Figure: GET /api/v1/search/services over HTTP, production server, requests/s and latency at 10 and 50 clients.

The server is the production one, started through scripts/serve.sh (granian, one worker per core,
RELAIS_PRODUCTION=1, a random RELAIS_SECRET_KEY, RELAIS_DEMO=1) on a database of its own holding the
territory referential and the demo offer, and with --national also the national-scale synthetic file
(scripts/generate_national_offer.py, made if missing, then `manage.py import_offer`). Once every worker
has built its index (start-up warm-up) and a short warm phase has run, `wrk` drives the search on
loopback with a realistic mix of queries (commune codes and coordinates weighted by population, plain
words in French and English, thématiques, profiles, constraints, a few second pages), rotated by a Lua
script, for a fixed time at each concurrency. wrk is an event-loop load generator written in C: one
thread keeps 50 connections busy for a few percent of a core, so the server keeps the machine's CPU.
Latency percentiles come from wrk's full histogram (closed loop: each client sends its next request
when the answer comes). Every search leaves its anonymous trace, as in production (one INSERT each).

With --national, the bench also times `build_index_from_db()` on that database in a child process
(wall time, peak memory) and checks that the orientation pages and the API answer on it.

    apt-get install wrk                                    # Debian's wrk (the bench says so if missing)
    .venv/bin/python bench/bench_search_http.py            # demo offer, SQLite, 10 and 50 clients, 20 s each
    .venv/bin/python bench/bench_search_http.py --national # + the 140,000 services of the national file
    .venv/bin/python bench/bench_search_http.py --database postgres://postgres@127.0.0.1:5432/relais_bench_http
    .venv/bin/python bench/bench_search_http.py --duration 5 --clients 10   # a quick try

Target: at least 300 requests/s with p95 under 100 ms on 2 cores.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import os
import platform
import random
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from search_queries import EVERYDAY_WORDS_EN, EVERYDAY_WORDS_FR  # bench/ is on the path: the script runs from there

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
BENCH = ROOT / "var" / "bench"
NATIONAL_FILE = BENCH / "national-offer.json"
COMMUNES_JSON = ROOT / "relais" / "territories" / "data" / "communes-lyon-metz.json"
COMMUNES_CSV = ROOT / "relais" / "territories" / "data" / "france-communes.csv.gz"
PATH = "/api/v1/search/services"
TARGET_RPS, TARGET_P95_MS = 300, 100

THEMATIQUES = [
    "equipement-et-alimentation--alimentation",
    "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
    "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
    "trouver-un-emploi--repondre-a-des-offres-demploi",
    "logement-hebergement--rechercher-une-solution-dhebergement-temporaire",
    "logement-hebergement--se-maintenir-dans-le-logement",
    "numerique--maitriser-les-fondamentaux-du-numerique",
    "sante--acces-aux-soins",
    "lecture-ecriture-calcul--maitriser-le-francais",
    "remobilisation--lien-social",
    "logement-hebergement",
    "sante",
]
SITUATIONS = ["rsa", "job_seeker", "student", "disability", "exiled", "homeless", "qpv_resident", "employed"]

LUA = r"""
local urls = {%(urls)s}
local threads = 0
local i = 0
setup = function(thread)
  thread:set("start", threads * 97)
  threads = threads + 1
end
init = function(args)
  i = (start or 0) %% #urls
end
request = function()
  i = i + 1
  if i > #urls then i = 1 end
  return wrk.format("GET", urls[i])
end
done = function(summary, latency, requests)
  io.write(string.format(
    'RESULT {"requests": %%d, "duration_us": %%d, "connect": %%d, "read": %%d, "write": %%d, "status": %%d, ' ..
    '"timeout": %%d, "p50": %%d, "p90": %%d, "p95": %%d, "p99": %%d, "max": %%d, "mean": %%.1f}\n',
    summary.requests, summary.duration, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, latency:percentile(50), latency:percentile(90),
    latency:percentile(95), latency:percentile(99), latency.max, latency.mean))
end
"""


# -- the query mix -----------------------------------------------------------------------------------


def communes(national: bool) -> list[tuple[str, float, float, int]]:
    """(code, latitude, longitude, population) of the communes searched from: the demo's territory (Lyon and
    Metz métropoles), or every commune of France with --national."""
    out = []
    if national:
        with gzip.open(COMMUNES_CSV, "rt", encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row["kind"] == "COM" and row["latitude"]:
                    out.append(
                        (row["code"], float(row["latitude"]), float(row["longitude"]), int(row["population"] or 1))
                    )
    else:
        data = json.loads(COMMUNES_JSON.read_text(encoding="utf-8"))
        split = {c["parent"] for c in data["communes"] if c["parent"]}
        for c in data["communes"]:
            if c["code"] not in split:
                out.append((c["code"], c["latitude"], c["longitude"], c["population"] or 1))
    return out


def query_mix(places, count: int, seed: int = 11) -> list[str]:
    rng = random.Random(seed)
    weights = [p[3] for p in places]
    urls = []
    for _ in range(count):
        code, lat, lon, _pop = rng.choices(places, weights)[0]
        params: dict[str, object] = {}
        if rng.random() < 0.2:
            params["lat"] = round(lat + rng.uniform(-0.01, 0.01), 5)
            params["lon"] = round(lon + rng.uniform(-0.01, 0.01), 5)
        else:
            params["code_commune"] = code
        draw = rng.random()
        if draw < 0.05:
            params.update(q=rng.choice(EVERYDAY_WORDS_EN), langue="en")
        elif draw < 0.55:
            params["q"] = rng.choice(EVERYDAY_WORDS_FR)
        elif draw < 0.9:
            params["thematiques"] = rng.sample(THEMATIQUES, rng.choice([1, 1, 2]))
        else:
            params.update(q=rng.choice(EVERYDAY_WORDS_FR), thematiques=[rng.choice(THEMATIQUES)])
        if rng.random() < 0.5:
            params["age"] = rng.choice([19, 23, 34, 45, 58, 67, 80])
        if rng.random() < 0.3:
            params["gender"] = rng.choice(["femme", "homme"])
        if rng.random() < 0.3:
            situations = rng.sample(SITUATIONS, rng.choice([1, 2]))
            if params.get("age") in (19, 23):
                situations = [s for s in situations if s != "rsa"] or ["student"]
            params["situations"] = situations
        c = rng.random()
        if c < 0.15:
            params["open_now"] = "true"
        elif c < 0.25:
            params["free_only"] = "true"
        elif c < 0.30:
            params["modes_accueil"] = "a-distance"
        if rng.random() < 0.05:
            params["page"] = 2
        if rng.random() < 0.2:
            params["size"] = 10
        urls.append(PATH + "?" + urlencode(params, doseq=True))
    return urls


def lua_script(urls: list[str]) -> str:
    quoted = ",\n".join(json.dumps(u) for u in urls)  # JSON strings are valid Lua strings here (ASCII only)
    return LUA % {"urls": quoted}


# -- the database and the server --------------------------------------------------------------------


def manage(env: dict, *args: str, quiet: bool = True) -> None:
    result = subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True)
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
    if not quiet:
        print("  " + result.stdout.strip().replace("\n", "\n  "))


def prepare_database(env: dict, database: str, national: bool, reuse: bool) -> None:
    sqlite = database.startswith("sqlite:")
    if sqlite and reuse and Path(database.split(":///", 1)[1]).exists():
        print(f"reusing {database}")
        return
    if sqlite:
        path = Path(database.split(":///", 1)[1])
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
    elif not reuse:
        server, name = database.rsplit("/", 1)
        for sql in (f'DROP DATABASE IF EXISTS "{name}"', f'CREATE DATABASE "{name}"'):
            subprocess.run(["psql", f"{server}/postgres", "-q", "-c", sql], check=True, capture_output=True)
    started = time.monotonic()
    manage(env, "migrate", "--no-input", "-v", "0")
    manage(env, "load_territories", "-v", "0")  # every commune of France (and Lyon, Metz with contours)
    manage(env, "load_demo", quiet=False)
    if national:
        if not NATIONAL_FILE.exists():
            print("generating the national-scale file (scripts/generate_national_offer.py)…")
            subprocess.run([PY, "scripts/generate_national_offer.py"], cwd=ROOT, check=True)
        print(f"importing {NATIONAL_FILE.relative_to(ROOT)} (manage.py import_offer)…")
        manage(env, "import_offer", str(NATIONAL_FILE), quiet=False)
        if not sqlite:
            server, name = database.rsplit("/", 1)
            subprocess.run(["psql", database, "-q", "-c", "ANALYZE"], check=True, capture_output=True)
    print(f"database ready in {time.monotonic() - started:.0f} s")


def get(url: str, timeout: float = 30) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 -- loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def start_server(env: dict, port: int, log: Path):
    out = log.open("w")
    process = subprocess.Popen(
        ["bash", "scripts/serve.sh"], cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
    )
    return process, out


def wait_ready(process, base: str, workers: int, timeout: float) -> float:
    """Until every worker answers a search (each builds its index at start): a run of fast answers in a row."""
    started = time.monotonic()
    probe = f"{base}{PATH}?code_commune=69383&q=manger"
    fast = 0
    while time.monotonic() - started < timeout:
        if process.poll() is not None:
            sys.exit("the server stopped during start-up: see the server log")
        try:
            t = time.monotonic()
            status, _body = get(probe, timeout=60)
            took = time.monotonic() - t
        except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
            time.sleep(0.5)
            continue
        if status != 200:
            sys.exit(f"the server answered {status} to {probe}")
        fast = fast + 1 if took < 0.5 else 0
        if fast >= 4 * workers:
            return time.monotonic() - started
        time.sleep(0.05)
    sys.exit(f"the server was not ready after {timeout:.0f} s")


def stop_server(process, out) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    out.close()


# -- load -------------------------------------------------------------------------------------------


def run_wrk(base: str, script: Path, clients: int, duration: int, threads: int) -> dict:
    args = [
        "wrk",
        f"-t{min(threads, clients)}",
        f"-c{clients}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "--latency",
        "-s",
        str(script),
        base,
    ]
    with tempfile.TemporaryFile("w+") as out:
        started = time.monotonic()
        process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, text=True)
        _pid, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
        out.seek(0)
        text = out.read()
    if os.waitstatus_to_exitcode(status):
        sys.exit(f"wrk failed:\n{text}")
    match = re.search(r"^RESULT (\{.*\})$", text, re.MULTILINE)
    if not match:
        sys.exit(f"wrk printed no result:\n{text}")
    result = json.loads(match[1])
    result["clients"] = clients
    result["rps"] = result["requests"] / (result["duration_us"] / 1e6)
    result["errors"] = sum(result[k] for k in ("connect", "read", "write", "status", "timeout"))
    result["wrk_cpu"] = (usage.ru_utime + usage.ru_stime) / wall  # cores used by the load generator
    return result


def server_cpu(pid: int) -> float:
    """CPU seconds used so far by the server's process group (granian and its workers)."""
    total = 0.0
    tick = os.sysconf("SC_CLK_TCK")
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pid:  # process group id
            total += (int(fields[11]) + int(fields[12])) / tick
    return total


# -- the national-scale checks ----------------------------------------------------------------------

BUILD_CHILD = """
import json, os, resource, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")
django.setup()
from relais.matching.index import build_index_from_db
started = time.perf_counter()
index = build_index_from_db()
seconds = time.perf_counter() - started
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"services": len(index), "seconds": seconds, "peak_mb": peak, "unplaced": len(index.unplaced)}))
"""


def time_index_build(env: dict) -> dict:
    result = subprocess.run([PY, "-c", BUILD_CHILD], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def check_pages(base: str, places) -> list[tuple[str, int, str]]:
    """The pages and the API on the national offer: status and a word on what they show."""
    rng = random.Random(5)
    checks = []
    for code, _lat, _lon, _pop in rng.sample(places, 4):
        for url, expect in (
            (f"{base}{PATH}?code_commune={code}&q=manger", '"total"'),
            (f"{base}/recherche/?lieu={code}&besoins=papiers", "services près de"),
            (f"{base}/trouver-de-l-aide/?besoin=manger&lieu={code}", "Étape 3 sur 3"),
        ):
            status, body = get(url, timeout=60)
            text = body.decode("utf-8", "replace")
            total = re.search(r'"total":\s*(\d+)', text)
            note = f"total {total[1]}" if total else ("ok" if expect in text else f"'{expect}' missing")
            checks.append((url.replace(base, ""), status, note))
    return checks


# -- main ---------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--national", action="store_true", help="also import the national-scale synthetic file")
    parser.add_argument("--database", help="DATABASE_URL (default: SQLite var/bench/http[-national].sqlite3)")
    parser.add_argument("--reuse", action="store_true", help="keep an existing database as it is")
    parser.add_argument("--clients", type=int, nargs="+", default=[10, 50])
    parser.add_argument("--duration", type=int, default=20, help="seconds of load at each concurrency")
    parser.add_argument("--warm", type=int, default=5, help="seconds of warm load before measuring")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8765)))
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="granian workers (RELAIS_WORKERS)")
    parser.add_argument("--wrk-threads", type=int, default=1, help="wrk threads (one is enough for 50 clients)")
    parser.add_argument("--queries", type=int, default=500, help="distinct URLs in the rotation")
    args = parser.parse_args()

    if not shutil.which("wrk"):
        print("wrk is not installed: `apt-get install wrk` (Debian), then run this bench again.")
        return 2
    suffix = "-national" if args.national else ""
    database = args.database or f"sqlite:///{BENCH / f'http{suffix}.sqlite3'}"
    base = f"http://127.0.0.1:{args.port}"
    env = {
        **os.environ,
        "DATABASE_URL": database,
        "RELAIS_PRODUCTION": "1",
        "RELAIS_SECRET_KEY": secrets.token_urlsafe(50),
        "RELAIS_DEMO": "1",
        "RELAIS_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "RELAIS_SITE_URL": base,
        "RELAIS_RIGHTS_WARMUP": "0",  # the law's warm-up costs start-up time only, not search throughput
        "RELAIS_DB_CONN_MAX_AGE": os.environ.get("RELAIS_DB_CONN_MAX_AGE", "60"),
        "RELAIS_WORKERS": str(args.workers),
        "HOST": "127.0.0.1",
        "PORT": str(args.port),
    }
    env.pop("RELAIS_DEBUG", None)
    print(f"Search over HTTP: {PATH}, production server (scripts/serve.sh, granian, {args.workers} worker(s))")
    print(
        f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} CPU, "
        f"load average {os.getloadavg()[0]:.1f} at start; database {database}"
    )
    prepare_database(env, database, args.national, args.reuse)
    places = communes(args.national)
    BENCH.mkdir(parents=True, exist_ok=True)
    script = BENCH / "search-http.lua"
    script.write_text(lua_script(query_mix(places, args.queries)), encoding="utf-8")

    build = time_index_build(env) if args.national else None
    log = BENCH / "search-http-server.log"
    process, out = start_server(env, args.port, log)
    try:
        ready = wait_ready(process, base, args.workers, timeout=600)
        print(f"server ready in {ready:.1f} s (each worker built its index); log: {log.relative_to(ROOT)}")
        run_wrk(base, script, max(args.clients), args.warm, args.wrk_threads)  # warm: caches of every worker
        rows = []
        for clients in args.clients:
            cpu_before, t0 = server_cpu(process.pid), time.monotonic()
            row = run_wrk(base, script, clients, args.duration, args.wrk_threads)
            row["server_cpu"] = (server_cpu(process.pid) - cpu_before) / (time.monotonic() - t0)
            rows.append(row)
        checks = check_pages(base, places) if args.national else []
    finally:
        stop_server(process, out)

    print(f"{args.queries} distinct queries in rotation, {args.duration} s per level, wrk {args.wrk_threads} thread(s)")
    print(
        f"{'clients':>7} {'req/s':>8} {'p50 ms':>8} {'p90 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
        f" {'errors':>7} {'server CPU':>10} {'req/CPU·s':>9} {'wrk CPU':>8}"
    )
    for r in rows:
        print(
            f"{r['clients']:>7} {r['rps']:>8.0f} {r['p50'] / 1000:>8.1f} {r['p90'] / 1000:>8.1f} {r['p95'] / 1000:>8.1f}"
            f" {r['p99'] / 1000:>8.1f} {r['max'] / 1000:>8.1f} {r['errors']:>7} {r['server_cpu']:>9.2f}c"
            f" {r['rps'] / max(r['server_cpu'], 1e-9):>9.0f} {r['wrk_cpu']:>7.2f}c"
        )
        if r["errors"]:
            print(f"  errors: { ({k: r[k] for k in ('connect', 'read', 'write', 'status', 'timeout') if r[k]}) }")
    if build:
        print(
            f"build_index_from_db(): {build['services']:,} services in {build['seconds']:.1f} s, "
            f"peak {build['peak_mb']:.0f} MB ({build['unplaced']} unreachable)"
        )
    for url, status, note in checks:
        print(f"  {status} {note:<16} {url}")
    print(f"load average {os.getloadavg()[0]:.1f} at the end (2 CPU: above 2, other processes share them)")
    print("server CPU: cores the server used; req/CPU·s: requests per second of server CPU, the figure a loaded")
    print("machine changes least (throughput on a quiet machine ≈ req/CPU·s × cores the server gets)")
    met = all(r["rps"] >= TARGET_RPS and r["p95"] / 1000 < TARGET_P95_MS and not r["errors"] for r in rows)
    print(f"target ≥ {TARGET_RPS} req/s with p95 < {TARGET_P95_MS} ms and no error: {'met' if met else 'NOT MET'}")
    failed = [c for c in checks if c[1] != 200 or "missing" in c[2]]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
