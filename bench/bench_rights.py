"""Rights engine benchmark: latency, start-up, concurrency, batch throughput and memory.

    .venv/bin/python bench/bench_rights.py [--quick]

Prints the figures recorded in docs/performance.md ("Rights"). Everything runs on this machine:
the concurrency part starts its own gunicorn on 127.0.0.1 (a free port), sends a bounded number
of requests, and stops it. Synthetic households are invented (seeded), never real people.
"""

import argparse
import csv
import io
import json
import os
import random
import resource
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
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
    """Run in a child process: screen n households from CSV; print JSON figures."""
    setup_django()
    from relais.rights.screening import screen
    from relais.rights.system import tax_benefit_system

    tax_benefit_system()
    text = to_csv(synthetic(n, seed=5))
    started = time.perf_counter()
    rows, report = screen(text, chunk=chunk, places=places())
    elapsed = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"households": n, "simulated": report.simulated, "skipped": len(report.skipped),
                      "seconds": elapsed, "per_second": report.simulated / elapsed, "peak_mb": peak, "chunk": chunk}))  # fmt: skip


def bench_startup_child() -> None:
    setup_django()
    from relais.rights import system
    from relais.rights.simulate import simulate_households

    started = time.perf_counter()
    system.tax_benefit_system()
    built = time.perf_counter() - started
    system.warm_up(MONTH)
    warm = time.perf_counter() - started
    t = time.perf_counter()
    simulate_households(synthetic(1, seed=3), places=places())
    first_request = time.perf_counter() - t
    print(json.dumps({"build_law": built, "build_and_warm_up": warm, "first_request_after_warm_up": first_request}))


def child(args: list[str]) -> dict:
    out = subprocess.run([sys.executable, __file__, *args], capture_output=True, text=True, cwd=ROOT, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def bench_concurrency(clients: int, rounds: int, worker_class: str) -> dict:
    """gunicorn with 2 workers (--preload: law built and warmed once), `clients` simultaneous posts."""
    port = free_port()
    env = dict(os.environ, RELAIS_RIGHTS_WARMUP="1", RELAIS_DEBUG="0")
    threads = ["--threads", str(clients)] if worker_class == "gthread" else []
    server = subprocess.Popen(
        [
            str(ROOT / ".venv/bin/gunicorn"),
            "relais.wsgi:application",
            "--preload",
            "-w",
            "2",
            "-k",
            worker_class,
            *threads,
            "-b",
            f"127.0.0.1:{port}",
            "--timeout",
            "300",
            "--log-level",
            "warning",
        ],  # fmt: skip
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/api/v1/rights/simulate"
        started = time.perf_counter()
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/openapi.json", timeout=2)
                break
            except OSError:
                if time.perf_counter() - started > 600:
                    raise RuntimeError("gunicorn did not start") from None
                time.sleep(0.5)
        ready = time.perf_counter() - started
        bodies = [json.dumps(h).encode() for h in synthetic(clients * rounds, seed=31)]
        latencies, statuses = [], []

        def post(body):
            t = time.perf_counter()
            request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=300) as response:
                statuses.append(response.status)
            latencies.append(time.perf_counter() - t)

        post(bodies[0])  # first request after start-up
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
        return {"worker_class": worker_class, "clients": clients, "rounds": rounds, "ready_s": ready, "first_request_s": first,
                "throughput_rps": len(latencies) / wall, "p50": statistics.median(latencies), "p95": pct(latencies, 95),
                "ok": statuses.count(200), "requests": len(statuses)}  # fmt: skip
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller samples")
    parser.add_argument("--child", choices=["batch", "startup"])
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--chunk", type=int, default=2500)
    parser.add_argument("--only", default="latency,convergence,startup,batch,concurrency")
    args = parser.parse_args()
    if args.child == "batch":
        return bench_batch_child(args.n, args.chunk)
    if args.child == "startup":
        return bench_startup_child()
    only = set(args.only.split(","))
    print(f"== Rights engine ({os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f})")
    if "startup" in only:
        s = child(["--child", "startup"])
        print(f"start-up (fresh process): law built in {s['build_law']:.1f} s, law + warm-up {s['build_and_warm_up']:.1f} s; "
              f"first request after warm-up {s['first_request_after_warm_up']:.2f} s")  # fmt: skip
    setup_django()
    if "latency" in only:
        lat = bench_latency(10 if args.quick else 40)
        print(
            f"warm single household, full set + steady state: p50 {lat['ours_p50']:.2f} s, p95 {lat['ours_p95']:.2f} s ({lat['ours_runs']} runs)"
        )
        print(
            f"naive OpenFisca single pass (dict situation, same run): p50 {lat['naive_p50']:.2f} s, p95 {lat['naive_p95']:.2f} s ({lat['naive_runs']} runs)"
        )
    if "convergence" in only:
        conv = bench_convergence(200 if args.quick else 1000)
        print(f"steady state: {conv['changed_by_pass_3']} of {conv['households']} households changed by a 3rd pass")
    if "batch" in only:
        n = 2000 if args.quick else args.n
        b = child(["--child", "batch", "--n", str(n), "--chunk", str(args.chunk)])
        print(f"batch: {b['simulated']} households in {b['seconds']:.1f} s = {b['per_second']:.0f} households/s, "
              f"peak memory {b['peak_mb']:.0f} MB (chunk {b['chunk']})")  # fmt: skip
    if "concurrency" in only:
        for worker_class in ("gthread", "sync"):
            c = bench_concurrency(20, 2 if args.quick else 3, worker_class)
            print(f"concurrency ({c['worker_class']}, 2 workers, {c['clients']} simultaneous, {c['rounds']} rounds): "
                  f"{c['throughput_rps']:.1f} requests/s, p50 {c['p50']:.2f} s, p95 {c['p95']:.2f} s, "
                  f"{c['ok']}/{c['requests']} OK; server ready in {c['ready_s']:.0f} s, first request {c['first_request_s']:.2f} s")  # fmt: skip


if __name__ == "__main__":
    main()
