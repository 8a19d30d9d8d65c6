"""Figure: the production topology under load and faults, on loopback (issue 8, point 4).

Starts scripts/topology.sh (nginx from Debian in front of 2 app servers — granian, one worker each —,
PostgreSQL at 127.0.0.1:5432 with a database of its own, an owner role and an app role, the demo offer
and accounts), then for --duration seconds (default 600):

- 50 closed-loop clients (--clients), each on its own keep-alive connection to nginx: the search API
  (GET /api/v1/search/services, the query mix of bench_search_http.py), the rights simulation
  (POST /api/v1/rights/simulate, households of bench_rights.py) and the referral inbox of a professional
  logged in with a verified second factor (GET /orientations/recues/, pages 1-3), weights 5:2:3;
- 50 idle keep-alive connections held open (--idle), re-opened whenever nginx closes them;
- slow clients: 10 slowloris (a header line every 2 s), 5 slow bodies (100 bytes every 2 s), 5 stalled
  bodies (half a body, then silence);
- app server 1 killed (SIGKILL) at 40 % of the run and restarted at once (it answers again after its
  warm-up); --kills 2 also kills app server 2 at 75 %.

Prints, per endpoint: requests, statuses and errors by kind, 5xx, failures in flight at a kill and the
others (must be 0), p50/p95/p99; what nginx did with the slow clients; exits 1 if a request failed
outside a kill's flight or a GET got a 5xx. Bounded: stops by itself, only 127.0.0.1.

    .venv/bin/python bench/bench_topology.py                 # 10 minutes
    .venv/bin/python bench/bench_topology.py --duration 120  # 2 minutes
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import threading
import time
from pathlib import Path

from bench_rights import synthetic  # bench/ is on the path: the script runs from there
from bench_search_http import communes, query_mix
from topology_harness import (
    ROOT,
    Endpoint,
    IdleHolders,
    Load,
    SlowClients,
    Topology,
    dumps,
    log_in_verified,
    summarise,
)


def parse_args():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--duration", type=int, default=600, help="seconds of load (default 600)")
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--idle", type=int, default=50, help="idle keep-alive connections held open")
    p.add_argument("--kills", type=int, choices=[0, 1, 2], default=1)
    p.add_argument("--database", default="relais_bench_topology", help="database created on 127.0.0.1:5432")
    p.add_argument("--keep", action="store_true", help="leave the topology running at the end")
    return p.parse_args()


def endpoints(port: int) -> list[Endpoint]:
    search = query_mix(communes(False), 400)
    households = [json.dumps(h).encode() for h in synthetic(300, seed=41)]
    cookies = log_in_verified(port, "membre@demo.relais")
    return [
        Endpoint("search GET /api/v1/search/services", "GET", search),
        Endpoint(
            "rights POST /api/v1/rights/simulate",
            "POST",
            ["/api/v1/rights/simulate"],
            households,
            headers={"Content-Type": "application/json"},
        ),
        Endpoint(
            "referrals GET /orientations/recues/",
            "GET",
            ["/orientations/recues/", "/orientations/recues/?page=2", "/orientations/recues/?page=3"],
            cookies=cookies,
        ),
    ]


def fault(topology: Topology, n: int, at: float, kills: list, log: list):
    time.sleep(max(0.0, at - time.monotonic()))
    t = time.monotonic()
    topology.kill_app(n)
    killed = time.monotonic()
    kills.append((t, killed))
    log.append(f"app server {n}: SIGKILL at +{t - START:.0f} s (the kill command took {killed - t:.2f} s)")
    topology.start_app(n)
    back = time.monotonic()
    log.append(f"app server {n}: restarted, answering again {back - t:.0f} s later (warm-up included)")


def main():
    args = parse_args()
    global START
    folder = ROOT / "var" / "bench" / "topology"
    topology = Topology(folder, args.database, servers=2, demo=True)
    print(
        f"bench_topology: {platform.node()}, {os.cpu_count()} CPU, Python {platform.python_version()}; "
        f"nginx on 127.0.0.1:{topology.port}, app servers on {topology.app_port}-{topology.app_port + 1}"
    )
    t = time.monotonic()
    print(topology.start().strip())
    print(f"topology started in {time.monotonic() - t:.0f} s")
    try:
        eps = endpoints(topology.port)
        kills: list[tuple[float, float]] = []
        log: list[str] = []
        START = time.monotonic()
        load = Load(topology.port, eps, args.clients, weights=[5, 2, 3])
        idle = IdleHolders(topology.port, args.idle)
        slow = SlowClients(topology.port, eps[1].bodies[0])
        idle.start(args.duration)
        slow_threads = slow.start(args.duration)
        threads = load.run(args.duration)
        faults = []
        for i in range(args.kills):
            at = START + args.duration * (0.4 if i == 0 else 0.75)
            f = threading.Thread(target=fault, args=(topology, i + 1, at, kills, log), daemon=True)
            f.start()
            faults.append(f)
        for th in threads:
            th.join()
        for th in faults:
            th.join(timeout=600)
        idle.thread.join(timeout=10)
        for th in slow_threads:
            th.join(timeout=0)  # the last slow client may still be within its own cut: not waited for
        elapsed = time.monotonic() - START
        report(args, load, idle, slow, kills, log, elapsed)
    finally:
        if not args.keep:
            topology.stop()


def report(args, load, idle, slow, kills, log, elapsed):
    figures = summarise(load.records, kills)
    total = sum(f["requests"] for f in figures.values())
    print(f"\n{args.clients} clients for {elapsed:.0f} s ({total} requests, {total / elapsed:.1f}/s); faults:")
    for line in log:
        print("  " + line)
    print(
        f"idle keep-alive: {args.idle} held; {idle.answered} answered, {idle.unanswered} unanswered, "
        f"{idle.reopened} re-opened after nginx closed them"
    )
    for kind, results in slow.results.items():
        outcomes: dict[str, int] = {}
        for _, outcome in results:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        seconds = sorted(s for s, _ in results)
        median = seconds[len(seconds) // 2] if seconds else float("nan")
        print(f"{kind}: {len(results)} connections, outcomes {outcomes}, median {median:.1f} s each")
    print(dumps(figures))
    bad = sum(f["failed_otherwise"] for f in figures.values())
    get_5xx = sum(f["5xx"] for f in figures.values() if f["method"] == "GET")
    unanswered = idle.unanswered
    verdict = bad == 0 and get_5xx == 0 and unanswered == 0
    print(
        f"lost beyond those in flight at a kill: {bad}; 5xx on GET: {get_5xx}; idle connections unanswered: "
        f"{unanswered} -> {'PASS' if verdict else 'FAIL'}"
    )
    if not verdict:
        sys.exit(1)


START = 0.0

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    main()
