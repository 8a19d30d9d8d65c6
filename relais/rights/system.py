"""The OpenFisca-France tax and benefit system: built once per process, warmed up before serving.

Building the law takes several seconds and the first simulation several more (parameters and
formulas are loaded lazily). A server calls `warm_up_if_enabled()` at start-up (wsgi.py, asgi.py),
before it accepts requests; under gunicorn `--preload` the master does it once and the workers
share the memory by fork.
"""

import datetime as dt
import logging
import threading
import time
from functools import cache
from importlib.metadata import version

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_system = None


def tax_benefit_system():
    """The process-wide FranceTaxBenefitSystem (thread-safe lazy singleton)."""
    global _system
    if _system is None:
        with _lock:
            if _system is None:
                from openfisca_france import FranceTaxBenefitSystem

                started = time.perf_counter()
                _system = FranceTaxBenefitSystem()
                logger.info("OpenFisca-France built in %.1f s", time.perf_counter() - started)
    return _system


@cache
def versions() -> dict:
    return {"openfisca_france": version("openfisca-france"), "openfisca_core": version("openfisca-core")}


def last_revaluation(parameter_path: str) -> dt.date | None:
    """The date of the latest value of a parameter known to the pinned law (e.g. the RSA amount)."""
    node = tax_benefit_system().parameters
    for part in parameter_path.split("."):
        node = getattr(node, part)
    starts = [dt.date.fromisoformat(item.instant_str) for item in node.values_list]
    return max(starts) if starts else None


def warm_up(month: str | None = None) -> float:
    """Build the law and run the full pipeline once on representative households; returns seconds."""
    from relais.rights.engine import warm_up_households

    started = time.perf_counter()
    tax_benefit_system()
    warm_up_households(month)
    elapsed = time.perf_counter() - started
    logger.warning("Rights engine warmed up in %.1f s", elapsed)
    return elapsed


def warm_up_if_enabled() -> None:
    from django.conf import settings

    if getattr(settings, "RELAIS_RIGHTS_WARMUP", False):
        warm_up()
