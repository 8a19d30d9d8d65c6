"""The production topology on loopback, and the clients that load it: shared by bench/bench_topology.py and
tests/test_topology.py.

- `Topology`: scripts/topology.sh (nginx + app servers + PostgreSQL with an owner and an app role) in a folder
  and on ports of its own; `kill_app(n)` is a SIGKILL of app server n, `start_app(n)` restarts it.
- `Load`: closed-loop clients, each with its own keep-alive connection (http.client), which record every
  request: endpoint, method, start, end, status or the kind of error.
- `IdleHolders`: keep-alive connections that made one request and then say nothing (re-opened when nginx
  closes them), `SlowClients`: partial headers (slowloris), slow bodies, stalled bodies.
Only 127.0.0.1. Everything stops by itself at its deadline.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import select
import socket
import statistics
import struct
import subprocess
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
TOPOLOGY = ROOT / "scripts" / "topology.sh"
DEMO_PASSWORD = "demo-relais-2026"  # README.md, demo accounts
DEMO_TOTP_SECRET = "OJSWYYLJOMWWIZLNN4WTEZTBFVVWK6JB"  # README.md (relais/offer/demo/load.py)


def free_port(count: int = 1) -> int:
    """A port p such that p … p+count-1 are free on 127.0.0.1 (for the app servers, numbered from p)."""
    for _ in range(200):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            base = s.getsockname()[1]
        if base + count > 65000:
            continue
        ok = True
        for p in range(base + 1, base + count):
            with socket.socket() as s:
                try:
                    s.bind(("127.0.0.1", p))
                except OSError:
                    ok = False
                    break
        if ok:
            return base
    raise RuntimeError("no free port range on 127.0.0.1")


class Topology:
    def __init__(self, folder: Path, database: str, *, servers: int = 2, demo: bool = True, env: dict | None = None):
        self.folder = folder
        self.port = free_port()
        self.app_port = free_port(servers)
        self.servers = servers
        self.env = {
            **os.environ,
            "TOPOLOGY_DIR": str(folder),
            "TOPOLOGY_DB": database,
            "TOPOLOGY_DEMO": "1" if demo else "0",
            "HOST": "127.0.0.1",
            "PORT": str(self.port),
            "RELAIS_APP_SERVERS": str(servers),
            "RELAIS_APP_PORT": str(self.app_port),
            **(env or {}),
        }
        for name in ("DATABASE_URL", "RELAIS_DEBUG", "RELAIS_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"):
            self.env.pop(name, None)

    def run(self, *args: str, timeout: float = 900) -> str:
        result = subprocess.run(
            ["bash", str(TOPOLOGY), *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout
        )
        if result.returncode:
            raise RuntimeError(f"topology.sh {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}")
        return result.stdout

    def start(self) -> str:
        return self.run("start")

    def stop(self) -> None:
        subprocess.run(["bash", str(TOPOLOGY), "stop"], cwd=ROOT, env=self.env, capture_output=True, timeout=120)

    def kill_app(self, n: int) -> None:
        self.run("kill-app", str(n))

    def start_app(self, n: int) -> None:
        self.run("start-app", str(n))

    def nginx_conf(self) -> Path:
        return self.folder / "nginx" / "nginx.conf"


# -- a client with cookies ----------------------------------------------------------------------------


def totp(secret: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 (what django_otp's TOTPDevice checks), so the bench logs in as a person with a phone would."""
    key = base64.b32decode(secret)
    counter = struct.pack(">Q", int((time.time() if at is None else at) // step))
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 10**digits
    return f"{code:0{digits}d}"


class Browser:
    """One keep-alive connection to nginx, cookies kept (Secure ones too: loopback stands for HTTPS here)."""

    def __init__(self, port: int, timeout: float = 70):
        self.port, self.timeout = port, timeout
        self.cookies: dict[str, str] = {}
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None):
        if self.conn is None:
            self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        h = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            self.conn.request(method, path, body=body, headers=h)
            response = self.conn.getresponse()
            data = response.read()
        except BaseException:
            self.close()
            raise
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.getheader("Connection", "").lower() == "close":
            self.close()
        return response.status, response.headers, data

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def form_post(self, path: str, fields: dict):
        status, _, page = self.request("GET", path)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if status != 200 or token is None:
            raise RuntimeError(f"GET {path}: {status}, no form")
        body = urlencode({"csrfmiddlewaretoken": token.group(1).decode(), **fields}).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Referer": f"http://127.0.0.1:{self.port}{path}",
        }
        return self.request("POST", path, body, headers)


def log_in_verified(port: int, email: str) -> dict:
    """Log a demo account in over HTTP, password then TOTP code; returns the session's cookies."""
    b = Browser(port)
    status, headers, _ = b.form_post("/comptes/connexion/", {"username": email, "password": DEMO_PASSWORD})
    if status != 302 or "sessionid" not in b.cookies:
        raise RuntimeError(f"login of {email}: {status}")
    for _ in range(3):  # a code is accepted once: if the window's code was just used, wait for the next
        status, headers, _ = b.form_post("/comptes/double-authentification/verifier/", {"code": totp(DEMO_TOTP_SECRET)})
        if status == 302:
            break
        time.sleep(31 - time.time() % 30)
    status, _, _ = b.request("GET", "/orientations/recues/")
    if status != 200:
        raise RuntimeError(f"second factor of {email}: the inbox answers {status}")
    b.close()
    return dict(b.cookies)


# -- recorded load ------------------------------------------------------------------------------------


@dataclass
class Record:
    endpoint: str
    method: str
    start: float
    end: float
    status: int | None  # None: no HTTP answer
    error: str = ""


@dataclass
class Endpoint:
    name: str
    method: str
    paths: list[str]
    bodies: list[bytes] = field(default_factory=list)
    cookies: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)


class Load:
    """`clients` threads, each cycling through the endpoints (its own offset), until the deadline."""

    def __init__(self, port: int, endpoints: list[Endpoint], clients: int, weights: list[int]):
        self.port, self.endpoints, self.clients = port, endpoints, clients
        self.plan = [e for e, w in zip(endpoints, weights, strict=True) for _ in range(w)]
        self.records: list[Record] = []
        self.lock = threading.Lock()

    def _client(self, i: int, deadline: float):
        b = Browser(self.port)
        n = i * 7
        while time.monotonic() < deadline:
            e = self.plan[n % len(self.plan)]
            path = e.paths[n % len(e.paths)]
            body = e.bodies[n % len(e.bodies)] if e.bodies else None
            n += 1
            b.cookies = dict(e.cookies)
            t = time.monotonic()
            try:
                status, _, _ = b.request(e.method, path, body, e.headers)
                r = Record(e.name, e.method, t, time.monotonic(), status)
            except (OSError, http.client.HTTPException) as exc:
                r = Record(e.name, e.method, t, time.monotonic(), None, type(exc).__name__)
                time.sleep(0.05)
            with self.lock:
                self.records.append(r)
        b.close()

    def run(self, seconds: float) -> list[threading.Thread]:
        deadline = time.monotonic() + seconds
        threads = [threading.Thread(target=self._client, args=(i, deadline), daemon=True) for i in range(self.clients)]
        for t in threads:
            t.start()
        return threads


class IdleHolders:
    """`count` keep-alive connections, each answered once, then idle; re-opened when nginx closes them."""

    def __init__(self, port: int, count: int, path: str = "/comptes/connexion/"):
        self.port, self.count, self.path = port, count, path
        self.answered = self.unanswered = self.reopened = 0
        self.thread: threading.Thread | None = None

    def _send(self) -> socket.socket | None:
        try:
            s = socket.create_connection(("127.0.0.1", self.port), timeout=60)
            s.sendall(f"GET {self.path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
            return s
        except OSError:
            self.unanswered += 1
            return None

    def _answer(self, s: socket.socket | None) -> socket.socket | None:
        if s is None:
            return None
        try:
            response = http.client.HTTPResponse(s)
            response.begin()
            response.read()
            self.answered += 1
            return s
        except (OSError, http.client.HTTPException):
            self.unanswered += 1
            s.close()
            return None

    def _hold(self, deadline: float):
        sent = [self._send() for _ in range(self.count)]  # all open at once, then each answer is read
        held = [self._answer(s) for s in sent]
        while time.monotonic() < deadline:
            time.sleep(1)
            for i, s in enumerate(held):
                closed = s is None
                if s is not None and select.select([s], [], [], 0)[0]:
                    closed = s.recv(1) == b""
                    s.close()
                if closed and time.monotonic() < deadline:
                    held[i] = self._answer(self._send())
                    self.reopened += 1
        for s in held:
            if s is not None:
                s.close()

    def start(self, seconds: float):
        self.thread = threading.Thread(target=self._hold, args=(time.monotonic() + seconds,), daemon=True)
        self.thread.start()


class SlowClients:
    """Slowloris (a header line every 2 s, never the end), slow bodies (100 bytes every 2 s, completed),
    stalled bodies (half a body, then nothing). nginx must cut the first and last, and pass the second whole."""

    def __init__(self, port: int, body: bytes, slowloris: int = 10, slow_bodies: int = 5, stalled: int = 5):
        self.port, self.body = port, body
        self.counts = {"slowloris": slowloris, "slow_body": slow_bodies, "stalled_body": stalled}
        self.results: dict[str, list[tuple[float, str]]] = {k: [] for k in self.counts}
        self.lock = threading.Lock()

    def _note(self, kind: str, seconds: float, outcome: str):
        with self.lock:
            self.results[kind].append((seconds, outcome))

    @staticmethod
    def _outcome(s: socket.socket) -> str:
        try:
            data = s.recv(200)
        except TimeoutError:
            return "no answer"
        except OSError:
            return "reset"
        if not data:
            return "closed"
        return data.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)[1]  # the status code

    def _slowloris(self, deadline: float):
        while time.monotonic() < deadline:
            t = time.monotonic()
            with socket.create_connection(("127.0.0.1", self.port), timeout=60) as s:
                s.sendall(b"GET /api/v1/openapi.json HTTP/1.1\r\nHost: 127.0.0.1\r\n")
                outcome = "still open"
                for i in range(60):
                    r, _, _ = select.select([s], [], [], 2)
                    if r:
                        outcome = self._outcome(s)
                        break
                    try:
                        s.sendall(f"X-Slow-{i}: {i}\r\n".encode())
                    except OSError:
                        outcome = "closed"
                        break
                self._note("slowloris", time.monotonic() - t, outcome)

    def _body(self, deadline: float, stall: bool):
        body = self.body + b" " * max(0, 1500 - len(self.body))
        while time.monotonic() < deadline:
            t = time.monotonic()
            with socket.create_connection(("127.0.0.1", self.port), timeout=90) as s:
                s.sendall(
                    b"POST /api/v1/rights/simulate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                )
                sent = 0
                limit = len(body) // 2 if stall else len(body)
                try:
                    while sent < limit:
                        s.sendall(body[sent : sent + 100])
                        sent += 100
                        time.sleep(2)
                    outcome = self._outcome(s)
                except OSError:
                    outcome = "closed while sending"
                self._note("stalled_body" if stall else "slow_body", time.monotonic() - t, outcome)

    def start(self, seconds: float) -> list[threading.Thread]:
        deadline = time.monotonic() + seconds
        threads = [
            threading.Thread(target=self._slowloris, args=(deadline,), daemon=True)
            for _ in range(self.counts["slowloris"])
        ]
        threads += [
            threading.Thread(target=self._body, args=(deadline, False), daemon=True)
            for _ in range(self.counts["slow_body"])
        ]
        threads += [
            threading.Thread(target=self._body, args=(deadline, True), daemon=True)
            for _ in range(self.counts["stalled_body"])
        ]
        for t in threads:
            t.start()
        return threads


# -- figures ------------------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def summarise(records: list[Record], kills: list[tuple[float, float]]) -> dict:
    """Per endpoint: counts, statuses, errors, latencies; failures split into « in flight at a kill » (the
    request was running when its app server got SIGKILL: a non-idempotent one may not be retried) and the
    rest, which must be zero. `kills`: (just before the kill command, just after it): a request is in flight
    if it started before the kill ended and ended after it began."""

    def in_flight(r: Record) -> bool:
        return any(r.start <= after and r.end >= before for before, after in kills)

    out = {}
    for name in sorted({r.endpoint for r in records}):
        rs = [r for r in records if r.endpoint == name]
        ok = [r.end - r.start for r in rs if r.status is not None and r.status < 500]
        failed = [r for r in rs if r.status is None or r.status >= 500]
        statuses: dict[str, int] = {}
        for r in rs:
            key = str(r.status) if r.status is not None else r.error
            statuses[key] = statuses.get(key, 0) + 1
        out[name] = {
            "method": rs[0].method,
            "requests": len(rs),
            "statuses": dict(sorted(statuses.items())),
            "5xx": sum(1 for r in rs if r.status is not None and r.status >= 500),
            "no_answer": sum(1 for r in rs if r.status is None),
            "failed_in_flight_at_kill": sum(1 for r in failed if in_flight(r)),
            "failed_otherwise": sum(1 for r in failed if not in_flight(r)),
            "p50_ms": round(percentile(ok, 50) * 1000, 1),
            "p95_ms": round(percentile(ok, 95) * 1000, 1),
            "p99_ms": round(percentile(ok, 99) * 1000, 1),
            "max_ms": round(max(ok) * 1000, 1) if ok else None,
            "mean_ms": round(statistics.fmean(ok) * 1000, 1) if ok else None,
        }
    return out


def dumps(value) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)
