"""Start-up: the law is built and the whole pipeline run on representative households before serving.

The development server (`manage.py runserver`, i.e. `make run`) does not wait: it starts serving at once and
warms the engine in a background thread (`warm_up_dev_server_in_background`); until it is ready the rights
pages show a short "getting ready" page (`is_warming`) instead of hanging for a minute.

A module of its own, above the engine: it uses the system (the law), the simulation and the engine, and none
of them imports it (docs/adr/0009-house-rules.md). A server calls `warm_up_if_enabled()` at start-up
(relais/wsgi.py, relais/asgi.py) before it accepts requests; the current month and the next one are warmed.
"""

import datetime as dt
import logging
import sys
import threading
import time

from django.conf import settings

from relais.rights import system
from relais.rights.simulate import simulate_households
from relais.rights.warmup_data import WARM_UP_HOUSEHOLDS

logger = logging.getLogger(__name__)


def warm_up_households(month: str | None = None) -> None:
    """Run the full pipeline on a few representative households (loads parameters and formulas)."""
    simulate_households([dict(h, **({"mois": month} if month else {})) for h in WARM_UP_HOUSEHOLDS])


def warm_months(today: dt.date | None = None) -> list[str]:
    """The months warmed at start-up: the current one and the next."""
    today = today or dt.date.today()
    following = dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)
    return [f"{d.year:04d}-{d.month:02d}" for d in (today, following)]


def warm_up(months: list[str] | None = None) -> float:
    """Build the law and run the full pipeline on representative households; returns seconds."""
    started = time.perf_counter()
    system.tax_benefit_system()
    for month in months or warm_months():
        warm_up_households(month)
    elapsed = time.perf_counter() - started
    logger.warning("Rights engine warmed up in %.1f s", elapsed)
    return elapsed


def warm_up_if_enabled() -> float | None:
    """Warm up when RELAIS_RIGHTS_WARMUP is on (relais/wsgi.py and asgi.py call it); seconds or None."""
    if getattr(settings, "RELAIS_RIGHTS_WARMUP", False):
        return warm_up()
    return None


# The background warm-up of the development server: "cold" (never started), "warming", "ready".
_state = {"status": "cold", "started": 0.0, "seconds": None}
_lock = threading.Lock()
EXPECTED_SECONDS = 60  # a cold build of the law and the first simulations on a 2-vCPU machine (docs/performance.md)


def is_warming() -> bool:
    """A background warm-up is running: a simulation now would wait for it."""
    return _state["status"] == "warming"


def seconds_left() -> int:
    """A rough estimate of the seconds before the engine is ready (0 when it is)."""
    if _state["status"] != "warming":
        return 0
    return max(5, int(EXPECTED_SECONDS - (time.monotonic() - _state["started"])))


def _run_in_background() -> None:
    try:
        _state["seconds"] = warm_up()
    except Exception:  # the pages then build the law on first use, as without a warm-up
        logger.exception("Rights engine warm-up failed")
    finally:
        _state["status"] = "ready"


def start_background_warm_up() -> threading.Thread | None:
    """Warm the engine in a daemon thread (once per process); None when already started."""
    with _lock:
        if _state["status"] != "cold":
            return None
        _state.update(status="warming", started=time.monotonic())
    thread = threading.Thread(target=_run_in_background, name="rights-warm-up", daemon=True)
    thread.start()
    return thread


def warm_up_dev_server_in_background(argv: list[str] | None = None) -> threading.Thread | None:
    """In the development server's process only (`manage.py runserver`, not tests nor other commands), and
    when the synchronous warm-up is off: start the background warm-up."""
    argv = sys.argv if argv is None else argv
    if getattr(settings, "RELAIS_RIGHTS_WARMUP", False) or argv[1:2] != ["runserver"]:
        return None
    return start_background_warm_up()
