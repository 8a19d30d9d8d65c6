"""Figure: `make run` on a fresh clone, time until the first page answers, step by step.

Clones the committed HEAD into a temporary folder, runs `make run PORT=…` there (a new .venv from
the lock files requirements.txt and requirements-dev.txt, translations, migrations, `load_territories` with every commune of France,
`load_demo`, the development server) and polls http://127.0.0.1:PORT/ until it answers 200. Prints
the total and how long each step of the Makefile took (from the time make echoes each command),
then the exact command to reproduce. The machine's pip cache is used as it is: say so when
recording (a truly cold machine also downloads the wheels). The clone's environment has no
DATABASE_URL, as a newcomer's: SQLite in var/.

    .venv/bin/python bench/bench_fresh_clone.py
    .venv/bin/python bench/bench_fresh_clone.py --port 8102 --keep   # keep the clone to look at it
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 1800
STEPS = [  # (what make echoes, the step's name)
    ("--no-deps -r requirements.txt\n", "pip install runtime lock (requirements.txt)"),
    ("--no-deps -r requirements.txt -r requirements-dev.txt", "pip install development lock (requirements-dev.txt)"),
    ("manage.py compilemessages", "compilemessages"),
    ("manage.py migrate", "migrate"),
    ("manage.py load_territories", "load_territories (all of France)"),
    ("manage.py load_demo", "load_demo"),
    ("manage.py runserver", "runserver until the first page"),
]
UNWANTED = ("DATABASE_URL", "PG_URL", "VIRTUAL_ENV", "RELAIS_PRODUCTION", "RELAIS_SECRET_KEY")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def watch(stream, start: float, seen: list, log: list) -> None:
    """Note when make echoes each step's command (make prints a command before running it)."""
    for line in iter(stream.readline, ""):
        log.append(line)
        for needle, name in STEPS:
            if needle in line and name not in [n for n, _t in seen]:
                seen.append((name, time.monotonic() - start))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, help="default: a free port")
    parser.add_argument("--keep", action="store_true", help="keep the clone (its path is printed)")
    args = parser.parse_args(argv)
    port = args.port or free_port()
    command = ".venv/bin/python bench/bench_fresh_clone.py" + (f" --port {args.port}" if args.port else "")
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    print(f"reproduce: {command}")
    print(f"commit: {head.strip()}; load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    tmp = tempfile.mkdtemp(prefix="relais-clone-")
    clone = Path(tmp) / "relais"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    env = {k: v for k, v in os.environ.items() if k not in UNWANTED}
    seen: list[tuple[str, float]] = []
    log: list[str] = []
    start = time.monotonic()
    server = subprocess.Popen(
        ["make", "run", f"PORT={port}"],
        cwd=clone,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    threading.Thread(target=watch, args=(server.stdout, start, seen, log), daemon=True).start()
    elapsed = None
    try:
        while time.monotonic() - start < TIMEOUT:
            if server.poll() is not None:
                print(f"make run exited early with code {server.returncode}:\n{''.join(log[-40:])}")
                return 1
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    if response.status == 200:
                        elapsed = time.monotonic() - start
                        break
            except OSError:
                time.sleep(0.5)
        else:
            print(f"no answer within {TIMEOUT} s:\n{''.join(log[-40:])}")
            return 1
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
        if args.keep:
            print(f"clone kept in {clone}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)

    print()
    print("| step | started at | took |")
    print("| --- | ---: | ---: |")
    marks = [("python -m venv .venv (make is silent here)", 0.0), *seen, ("", elapsed)]
    for (name, at), (_next, until) in zip(marks, marks[1:], strict=False):
        print(f"| {name} | {at:.1f} s | {until - at:.1f} s |")
    print(f"\nfresh clone: make run -> first page answered in {elapsed:.1f} s (port {port})")
    print(f"reproduce: {command}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
