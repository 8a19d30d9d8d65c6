"""The OpenFisca-France tax and benefit system: built once per process, warmed up before serving.

Building the law takes several seconds and the first simulation several more (parameters and
formulas are loaded lazily; each simulated month needs one traced pass, each year its net-to-gross
tables). A server calls `relais.rights.warmup.warm_up_if_enabled()` at start-up (wsgi.py, asgi.py), before it accepts
requests: the current month and the next one are warmed (so a request in the first days of a new
month, or of a new year, is not cold). In production, granian (scripts/serve.sh, ADR 0005) runs
one process per core: each worker imports relais.wsgi, warms up its own copy of the law, and
granian only lets it accept connections once it is loaded. Another month asked later costs a
few tenths of a second once (two seconds for another year), then is warm too.
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
                # Imported on first use, not at start-up: loading the law costs seconds (warm-up: relais.rights.warmup).
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
