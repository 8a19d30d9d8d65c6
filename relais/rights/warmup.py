"""Start-up: the law is built and the whole pipeline run on representative households before serving.

A module of its own, above the engine: it uses the system (the law), the simulation and the engine, and none
of them imports it (docs/adr/0009-house-rules.md). A server calls `warm_up_if_enabled()` at start-up
(relais/wsgi.py, relais/asgi.py) before it accepts requests; the current month and the next one are warmed.
"""

import datetime as dt
import logging
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
