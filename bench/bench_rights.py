"""Rights engine benchmark: start-up, latency, concurrency, batch throughput and memory.

    .venv/bin/python bench/bench_rights.py [--quick] [--only startup,latency,convergence,batch,concurrency]
                                           [--n 10000] [--chunk 2500] [--port 8104]

Prints the figures to record in docs/performance.md ("Rights"), on a quiet machine:
- start-up of a fresh process: law build, warm-up (current and next month), first request;
- warm single-household latency, full set with the steady state, p50/p95, next to the naive
  single-pass OpenFisca call (one situation dict, every benefit) in the same run;
- 20 simultaneous POST /api/v1/rights/simulate on the production server: scripts/serve.sh
  (granian, RELAIS_PRODUCTION=1, a random RELAIS_SECRET_KEY, RELAIS_DEMO=0, a throwaway SQLite
  database migrated first), started and stopped by the bench; throughput and p95;
- batch screening (screen_rights' code path, CSV in, rows out) of --n households in a child
  process: households per second and peak memory (max RSS).
Synthetic households are invented (seeded), never real people.
"""

import argparse
import csv
import io
import json
import os
import random
import resource
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relais.settings")
MONTH = "2026-11"


def setup_django():
    import django

    django.setup()


def places():
    from relais.rights.places import Place

    return {
        "69383": Place("69383", "Lyon 3e", "69123", "69", "200046977", True),
        "69266": Place("69266", "Villeurbanne", "69266", "69", "200046977", True),
        "57463": Place("57463", "Metz", "57463", "57", "200039865", True),
    }


def synthetic(n: int, seed: int = 7) -> list[dict]:
    """Invented households: varied compositions, incomes, housing and places."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        adults = 1 if rng.random() < 0.55 else 2
        children = rng.choice([0, 0, 0, 1, 1, 2, 2, 3, 4])
        people = []
        for a in range(adults):
            age = rng.randint(19, 85)
            situation = (
                "retraite"
                if age >= 64
                else rng.choice(["salarie", "salarie", "chomeur", "inactif", "independant", "etudiant"])
            )
            incomes = {}
            if situation == "salarie":
                incomes["salaire_net"] = round(rng.uniform(300, 2600), 2)
            elif situation == "chomeur" and rng.random() < 0.6:
                incomes["chomage_net"] = round(rng.uniform(400, 1400), 2)
            elif situation == "retraite":
                incomes["retraite_nette"] = round(rng.uniform(0, 1800), 2)
            elif situation == "independant":
                incomes["chiffre_affaires"] = round(rng.uniform(200, 3000), 2)
            person = {
                "id": f"p{a}",
                "role": "demandeur" if a == 0 else "conjoint",
                "age": age,
                "situation": situation,
                "revenus": incomes,
            }
            if rng.random() < 0.08:
                person["taux_incapacite"] = rng.choice([50, 80])
            people.append(person)
        youngest_parent = min(p["age"] for p in people)
        for c in range(children):
            age = rng.randint(0, min(20, max(0, youngest_parent - 16)))
            school = (
                "college"
                if 11 <= age <= 14
                else "lycee"
                if 15 <= age <= 17
                else "primaire"
                if 6 <= age <= 10
                else "aucune"
            )
            people.append({"id": f"e{c}", "role": "enfant", "age": age, "scolarite": school})
        statut = rng.choice(
            ["locataire", "locataire", "locataire_hlm", "locataire_meuble", "proprietaire", "heberge", "sans_domicile"]
        )
        out.append({
            "mois": MONTH,
            "commune": rng.choice(["69383", "69266", "57463"]),
            "couple": rng.choice(["marie", "concubinage"]) if adults == 2 else None,
            "logement": {"statut": statut, "loyer": round(rng.uniform(250, 900), 0)},
            "personnes": people,
        })  # fmt: skip
    return out


def to_csv(households: list[dict]) -> str:
    buffer = io.StringIO()
    columns = ["menage", "mois", "commune", "logement", "loyer", "couple", "personne", "role", "age", "situation",
               "scolarite", "taux_incapacite", "salaire_net", "chomage_net", "retraite_nette", "chiffre_affaires"]  # fmt: skip
    writer = csv.DictWriter(buffer, fieldnames=columns)
    writer.writeheader()
    for i, h in enumerate(households):
        for j, p in enumerate(h["personnes"]):
            row = {"menage": f"m{i}", "personne": p["id"], "role": p["role"], "age": p["age"],
                   "situation": p.get("situation", ""), "scolarite": p.get("scolarite", ""),
                   "taux_incapacite": p.get("taux_incapacite", ""), **p.get("revenus", {})}  # fmt: skip
            if j == 0:
                row.update(mois=h["mois"], commune=h["commune"], logement=h["logement"]["statut"],
                           loyer=h["logement"]["loyer"], couple=h["couple"] or "")  # fmt: skip
            writer.writerow(row)
    return buffer.getvalue()


def pct(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def naive_openfisca(household: dict):
    """The naive way: one situation dict, OpenFisca's own builder, every benefit in one pass."""
    from openfisca_core.simulation_builder import SimulationBuilder

    from relais.rights.benefits import BENEFITS
    from relais.rights.system import tax_benefit_system

    people = household["personnes"]
    year = int(MONTH[:4])
    individus = {}
    for p in people:
        values = {"date_naissance": {"ETERNITY": f"{year - p['age']}-05-01"}}
        for key, var in (
            ("salaire_net", "salaire_net"),
            ("chomage_net", "chomage_net"),
            ("retraite_nette", "retraite_nette"),
        ):
            if key in p.get("revenus", {}):
                values[var] = {MONTH: p["revenus"][key]}
        individus[p["id"]] = values
    parents = [p["id"] for p in people if p["role"] != "enfant"]
    children = [p["id"] for p in people if p["role"] == "enfant"]
    situation = {
        "individus": individus,
        "familles": {"f": {"parents": parents, "enfants": children}},
        "foyers_fiscaux": {"ff": {"declarants": parents, "personnes_a_charge": children}},
        "menages": {"m": {"personne_de_reference": parents[:1], "conjoint": parents[1:], "enfants": children,
                          "depcom": {MONTH: "69123"}, "loyer": {MONTH: household["logement"]["loyer"]},
                          "statut_occupation_logement": {MONTH: "locataire_vide"}}},
    }  # fmt: skip
    simulation = SimulationBuilder().build_from_entities(tax_benefit_system(), situation)
    for benefit in BENEFITS:
        simulation.calculate(benefit.variable, MONTH[:4] if benefit.yearly_period else MONTH)


def bench_latency(runs: int) -> dict:
    from relais.rights.simulate import simulate_households

    sample = synthetic(runs, seed=11)
    ours, naive = [], []
    simulate_households(sample[:1], places=places())
    naive_openfisca(sample[0])
    for h in sample:
        started = time.perf_counter()
        simulate_households([h], places=places())
        ours.append(time.perf_counter() - started)
    for h in sample[: max(5, runs // 3)]:
        started = time.perf_counter()
        naive_openfisca(h)
        naive.append(time.perf_counter() - started)
    return {
        "ours_p50": statistics.median(ours), "ours_p95": pct(ours, 95), "ours_runs": len(ours),
        "naive_p50": statistics.median(naive), "naive_p95": pct(naive, 95), "naive_runs": len(naive),
    }  # fmt: skip


def bench_convergence(n: int) -> dict:
    """How many households change between pass 2 and pass 3 (the steady state reached in 2 passes?)."""
    from relais.rights.simulate import simulate_households

    sample = synthetic(n, seed=23)
    two = simulate_households(sample, places=places(), passes=2)
    three = simulate_households(sample, places=places(), passes=3)
    changed = 0
    for a, b in zip(two, three, strict=True):
        if any(
            abs(x["montant"] - y["montant"]) > 0.01
            for x, y in zip(a.result["prestations"], b.result["prestations"], strict=True)
        ):
            changed += 1
    return {"households": n, "changed_by_pass_3": changed}


def bench_batch_child(n: int, chunk: int) -> None:
    """Run in a child process: screen n households from CSV after a warm-up; print JSON figures."""
    setup_django()
    from relais.rights import warmup
    from relais.rights.screening import screen

    warmup.warm_up([MONTH])  # as a server would; the command pays it once, about the start-up figure
    text = to_csv(synthetic(n, seed=5))
    started, cpu = time.perf_counter(), time.process_time()
    rows, report = screen(text, chunk=chunk, places=places())
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"households": n, "simulated": report.simulated, "skipped": len(report.skipped),
                      "seconds": elapsed, "cpu_seconds": cpu, "per_second": report.simulated / elapsed,
                      "per_cpu_second": report.simulated / cpu, "peak_mb": peak, "chunk": chunk}))  # fmt: skip


def bench_startup_child() -> None:
    setup_django()
    from relais.rights import system, warmup
    from relais.rights.simulate import simulate_households

    started = time.perf_counter()
    system.tax_benefit_system()
    built = time.perf_counter() - started
    t = time.perf_counter()
    warmup.warm_up([MONTH, "2026-12"])
    warm = time.perf_counter() - t
    t = time.perf_counter()
    simulate_households(synthetic(1, seed=3), places=places())
    first_request = time.perf_counter() - t
    print(json.dumps({"build_law": built, "warm_up": warm, "first_request_after_warm_up": first_request}))


def child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_concurrency(clients: int, rounds: int, port: int | None) -> dict:
    """scripts/serve.sh (granian, production settings), `clients` simultaneous posts per round."""
    port = port or free_port()
    workdir = Path(tempfile.mkdtemp(prefix="bench-rights-"))
    env = dict(
        os.environ,
        RELAIS_PRODUCTION="1",
        RELAIS_SECRET_KEY=secrets.token_urlsafe(50),
        RELAIS_DEMO="0",
        RELAIS_DEBUG="0",
        RELAIS_ALLOWED_HOSTS="127.0.0.1,localhost",
        RELAIS_RIGHTS_WARMUP="1",
        DATABASE_URL=f"sqlite:///{workdir / 'bench.sqlite3'}",
        HOST="127.0.0.1",
        PORT=str(port),
    )
    subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"], cwd=ROOT, env=env, check=True)
    log = (workdir / "server.log").open("w")
    started = time.perf_counter()
    server = subprocess.Popen(
        ["bash", str(ROOT / "scripts" / "serve.sh")], cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True
    )
    ok = False
    try:
        url = f"http://127.0.0.1:{port}/api/v1/rights/simulate"
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=2)
                break
            except OSError:
                if server.poll() is not None or time.perf_counter() - started > 600:
                    raise RuntimeError(f"scripts/serve.sh did not start, see {workdir / 'server.log'}") from None
                time.sleep(0.5)
        ready = time.perf_counter() - started
        bodies = [json.dumps(h).encode() for h in synthetic(clients * rounds + 1, seed=31)]
        latencies, statuses = [], []

        def post(body):
            t = time.perf_counter()
            request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(request, timeout=300) as response:
                    statuses.append(response.status)
            except urllib.error.HTTPError as exc:
                statuses.append(exc.code)
            latencies.append(time.perf_counter() - t)

        post(bodies[-1])  # the first request after start-up
        first = latencies.pop()
        wall = 0.0
        for r in range(rounds):
            batch = bodies[r * clients : (r + 1) * clients]
            workers = [threading.Thread(target=post, args=(b,)) for b in batch]
            t = time.perf_counter()
            for w in workers:
                w.start()
            for w in workers:
                w.join()
            wall += time.perf_counter() - t
        workers_env = env.get("RELAIS_WORKERS") or str(os.cpu_count())
        ok = True
        return {"clients": clients, "rounds": rounds, "ready_s": ready, "first_request_s": first,
                "throughput_rps": len(latencies) / wall, "p50": statistics.median(latencies), "p95": pct(latencies, 95),
                "ok": statuses.count(200), "requests": len(statuses), "workers": workers_env,
                "threads": env.get("RELAIS_THREADS", "4")}  # fmt: skip
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
        if ok:  # keep the database and the server log of a failed run
            shutil.rmtree(workdir, ignore_errors=True)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="small samples (a check that the bench runs)")
    parser.add_argument("--child", choices=["batch", "startup"])
    parser.add_argument("--n", type=int, default=10000, help="households of the batch part")
    parser.add_argument("--chunk", type=int, default=2500, help="households per simulation in the batch part")
    parser.add_argument("--port", type=int, help="port of the server of the concurrency part (default: a free one)")
    parser.add_argument("--only", default="startup,latency,convergence,batch,concurrency")
    args = parser.parse_args()
    if args.child == "batch":
        return bench_batch_child(args.n, args.chunk)
    if args.child == "startup":
        return bench_startup_child()
    only = set(args.only.split(","))
    print(f"== Rights engine ({os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start)")
    if "startup" in only:
        s = child(["--child", "startup"])
        print("start-up of a fresh process")
        print(f"  law built                      {s['build_law']:6.1f} s")
        print(f"  warm-up (2 months)             {s['warm_up']:6.1f} s")
        print(f"  first request after warm-up    {s['first_request_after_warm_up']:6.2f} s")
    setup_django()
    if "latency" in only:
        lat = bench_latency(10 if args.quick else 40)
        print("warm single household, full set of benefits                 p50       p95   runs")
        print(
            f"  ours (mapping + steady state, 2 passes)               {lat['ours_p50']:6.2f} s  {lat['ours_p95']:6.2f} s  {lat['ours_runs']:5d}"
        )
        print(f"  naive OpenFisca, one situation dict, single pass      {lat['naive_p50']:6.2f} s  {lat['naive_p95']:6.2f} s  {lat['naive_runs']:5d}")  # fmt: skip
    if "convergence" in only:
        conv = bench_convergence(200 if args.quick else 1000)
        print(f"steady state: {conv['changed_by_pass_3']} of {conv['households']} households changed by a 3rd pass")
    if "batch" in only:
        n = min(args.n, 2000) if args.quick else args.n
        b = child(["--child", "batch", "--n", str(n), "--chunk", str(args.chunk)])
        print(f"batch screening (CSV in, rows out), chunk {b['chunk']}")
        print(f"  households                     {b['simulated']:6d} (skipped {b['skipped']})")
        print(f"  time (wall / CPU)              {b['seconds']:6.1f} s / {b['cpu_seconds']:.1f} s")
        print(f"  throughput                     {b['per_second']:6.0f} households/s")
        print(f"  per CPU second (load-free)     {b['per_cpu_second']:6.0f} households/s")
        print(f"  peak memory (max RSS)          {b['peak_mb']:6.0f} MB")
    if "concurrency" in only:
        c = bench_concurrency(20, 2 if args.quick else 3, args.port)
        print(
            f"concurrency: scripts/serve.sh (granian, {c['workers']} workers x {c['threads']} threads, production settings)"
        )
        print(f"  server ready (law + warm-up)   {c['ready_s']:6.1f} s")
        print(f"  first request                  {c['first_request_s']:6.2f} s")
        print(f"  {c['clients']} simultaneous x {c['rounds']} rounds     {c['throughput_rps']:6.1f} requests/s")
        print(f"  latency p50 / p95              {c['p50']:6.2f} s / {c['p95']:.2f} s   ({c['ok']}/{c['requests']} OK)")


if __name__ == "__main__":
    main()
