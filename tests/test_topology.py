"""The production topology (scripts/topology.sh, deploy/nginx/relais.conf), short version of
bench/bench_topology.py: nginx accepts its configuration, idle keep-alive and slowloris clients do not
starve the others, and a SIGKILL of one app server mid-load gives no 5xx to GETs.

Runs once per `make test`, in its PostgreSQL part (it needs nginx and PostgreSQL at 127.0.0.1:5432, where it
makes its own database `relais_topology_test` and roles); skipped where either is missing, except in CI
(.ci/run installs nginx). The app servers skip their warm-up here, so that it takes well under a minute
once the database exists; bench/bench_topology.py measures the real thing.
"""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from topology_harness import Endpoint, IdleHolders, Load, SlowClients, Topology, summarise  # noqa: E402

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
HAS_NGINX = os.path.exists(NGINX)

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="runs in the PostgreSQL part of make test"),
    pytest.mark.skipif(not HAS_NGINX and not os.environ.get("CI"), reason="no nginx (apt-get install nginx)"),
]

GETS = ["/", "/comptes/connexion/"]  # light pages: the app servers skip their warm-up here


def start_topology(folder: Path) -> Topology:
    topo = Topology(
        folder,
        "relais_topology_test",
        servers=2,
        demo=False,
        env={"RELAIS_RIGHTS_WARMUP": "0", "RELAIS_SEARCH_WARMUP": "0"},
    )
    topo.start()
    return topo


# One test, three phases on one topology: with `pytest -n 2` (make test), two tests of this module could run
# at once in two workers, each starting a topology on the same database.
def test_the_topology_passes_nginx_t_holds_idle_and_slow_clients_and_survives_a_killed_app_server():
    # Under the project, not in pytest's 0700 temporary folder: nginx's workers (user nobody) write there.
    topology = start_topology(Path(__file__).resolve().parent.parent / "var" / "topology-test")
    try:
        check_nginx_accepts_the_rendered_configuration(topology)
        check_idle_keep_alive_and_slowloris_connections_do_not_starve_other_clients(topology)
        check_killing_an_app_server_mid_load_gives_no_5xx_to_gets(topology)
    finally:
        topology.stop()


def check_nginx_accepts_the_rendered_configuration(topology):
    conf = topology.nginx_conf()
    result = subprocess.run(
        [NGINX, "-t", "-p", str(conf.parent), "-c", str(conf), "-e", str(conf.parent / "error.log")],
        capture_output=True,
        text=True,
    )

    assert result.returncode == 0, result.stderr
    text = conf.read_text()
    assert "non_idempotent" not in text.split("server {")[1]  # a POST once sent is never sent again
    assert f"server 127.0.0.1:{topology.app_port} " in text and f"server 127.0.0.1:{topology.app_port + 1} " in text


def check_idle_keep_alive_and_slowloris_connections_do_not_starve_other_clients(topology):
    idle = IdleHolders(topology.port, 50)
    idle.start(9)
    slow = SlowClients(topology.port, b"{}", slowloris=5, slow_bodies=0, stalled=0)
    slow_threads = slow.start(1)
    time.sleep(1.5)  # every idle connection is open and quiet
    load = Load(topology.port, [Endpoint("get", "GET", GETS)], clients=10, weights=[1])
    for t in load.run(6):
        t.join()
    for t in [idle.thread, *slow_threads]:
        t.join(timeout=20)

    figures = summarise(load.records, kills=[])["get"]
    assert idle.answered >= 50 and idle.unanswered == 0
    assert figures["requests"] > 30 and figures["statuses"] == {"200": figures["requests"]}
    assert figures["p99_ms"] < 5000
    cut = slow.results["slowloris"]
    assert len(cut) == 5 and all(outcome in ("408", "closed", "reset") for _, outcome in cut), cut
    assert all(seconds < 20 for seconds, _ in cut)  # client_header_timeout 10s


def check_killing_an_app_server_mid_load_gives_no_5xx_to_gets(topology):
    load = Load(topology.port, [Endpoint("get", "GET", GETS)], clients=10, weights=[1])
    threads = load.run(8)
    time.sleep(3)
    killed_at = time.monotonic()
    topology.kill_app(1)
    killed = time.monotonic()
    for t in threads:
        t.join()

    figures = summarise(load.records, kills=[(killed_at, killed)])["get"]
    after = [r for r in load.records if r.start > killed_at + 0.5]
    assert len(after) > 10  # the load went on, on the other app server
    # nginx sends an idempotent request that found its app server dead to the other one; only an answer
    # cut while it was being sent to the client is lost, and only if it was in flight at the kill.
    assert figures["5xx"] == 0, figures["statuses"]
    assert figures["failed_otherwise"] == 0 and figures["failed_in_flight_at_kill"] <= 10, figures["statuses"]
