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

from relais.rights import law_updates

logger = logging.getLogger(__name__)

_lock = threading.Lock()
_system = None
_applied: list[law_updates.Applied] = []


def tax_benefit_system():
    """The process-wide FranceTaxBenefitSystem (thread-safe lazy singleton)."""
    global _system
    if _system is None:
        with _lock:
            if _system is None:
                # Imported on first use, not at start-up: loading the law costs seconds (warm-up: relais.rights.warmup).
                from openfisca_france import FranceTaxBenefitSystem

                started = time.perf_counter()
                system = FranceTaxBenefitSystem()
                # reviewed values the pinned package lacks (law_updates.toml)
                _applied[:] = law_updates.apply(system)
                _system = system
                logger.info("OpenFisca-France built in %.1f s", time.perf_counter() - started)
    return _system


def applied_updates() -> list[law_updates.Applied]:
    """The reviewed updates of the law in use: applied, or skipped (the package already has them)."""
    tax_benefit_system()
    return list(_applied)


@cache
def versions() -> dict:
    return {"openfisca_france": version("openfisca-france"), "openfisca_core": version("openfisca-core")}


def last_revaluation(parameter_path: str) -> dt.date | None:
    """The date of the latest value of a parameter (or of any value under a node) in the law in use."""
    return latest_value_date(law_updates.node_at(tax_benefit_system().parameters, parameter_path))


def latest_value_date(node) -> dt.date | None:
    """The start of the latest value of a parameter, a scale (bareme) or any leaf under a node."""
    if hasattr(node, "values_list"):
        starts = [dt.date.fromisoformat(item.instant_str) for item in node.values_list if item.value is not None]
        return max(starts, default=None)
    if hasattr(node, "brackets"):
        leaves = list(node.brackets)  # each bracket is a node of threshold, rate or amount
    else:
        leaves = list(node.children.values())
    dates = [d for leaf in leaves if (d := latest_value_date(leaf)) is not None]
    return max(dates, default=None)
