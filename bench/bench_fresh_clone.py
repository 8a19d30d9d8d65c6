"""Figure: `make run` on a fresh clone, time until the first page answers.

Clones the committed HEAD into a temporary folder, runs `make run` there on a free port and polls
http://127.0.0.1:PORT/ until it answers 200; prints the seconds. The pip cache of the machine is
used as it is (say so when recording: a truly cold machine also downloads the wheels).

    .venv/bin/python bench/bench_fresh_clone.py
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 900


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> int:
    port = free_port()
    with tempfile.TemporaryDirectory(prefix="relais-clone-") as tmp:
        clone = Path(tmp) / "relais"
        subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "VIRTUAL_ENV")}
        start = time.monotonic()
        server = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=clone,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            while time.monotonic() - start < TIMEOUT:
                if server.poll() is not None:
                    print(f"make run exited early with code {server.returncode}")
                    return 1
                try:
                    with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                        if response.status == 200:
                            break
                except OSError:
                    time.sleep(0.5)
            else:
                print("no answer within the time limit")
                return 1
            elapsed = time.monotonic() - start
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=30)
    print(f"fresh clone: make run -> first page answered in {elapsed:.1f} s (port {port})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
