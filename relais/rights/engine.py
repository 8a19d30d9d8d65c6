"""The law engine: batches of households -> national benefits, in a few vectorised simulations.

How it is fast (figures in docs/performance.md, "Rights"):

1. One FranceTaxBenefitSystem per process (relais.rights.system), warmed up before serving.
2. Entities are built from arrays (SimulationBuilder.declare_entity / join_with_persons): a batch
   of N households is one simulation with N ménages, not N simulations, and one household is a
   batch of one.
3. The mapping layer sets inputs for every month the law looks back on, including income
   variables OpenFisca would otherwise derive month after month (net, taxable and gross pay,
   replacement incomes, zero for incomes we never ask), which cuts the formula runs by half.
4. The steady state in two passes: pass 1 computes, for the simulated month, the benefits that
   are resources of other benefits (AAH, housing aids, family benefits, ASS, ASPA, ASI, RSA,
   prime d'activité...), with those benefits set to zero in past months so that OpenFisca does
   not recompute the past month by month; pass 2 feeds pass 1's amounts back into every past
   month of the window (the household's situation is taken as stable) and computes everything.
   Pass 2 reuses pass 1's simulation: only the calculations that read a past benefit (learnt
   once per month by a dependency tracer) are deleted and redone. A third pass changes nothing
   on our golden and synthetic households (tested, and counted by bench/bench_rights.py), so
   two passes are the fixed point; `passes=None` loops until nothing changes.
5. Large batches are cut in chunks (RIGHTS_CHUNK households) to bound memory.
"""

import threading
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from openfisca_core import periods
from openfisca_core.tracers import SimpleTracer

from relais.rights.benefits import BENEFITS, CSS_FREE, OUTPUT_VARIABLES
from relais.rights.mapping import Frame, build_frame
from relais.rights.system import tax_benefit_system

# Benefits that other benefits count as resources (over past months): fed back in pass 2.
FEEDBACK = [
    "aah",
    "caah",
    "asi",
    "aspa",
    "ass",
    "af",
    "cf",
    "asf",
    "paje_base",
    "paje_clca",
    "paje_colca",
    "paje_prepare",
    "apje_avant_cumul",
    "ape_avant_cumul",
    "aide_logement",
    "apl",
    "alf",
    "als",
    "rsa",
    "ppa",
    "aeeh",
    "mva",
    "bourse_college",
    "bourse_lycee",
    "bourse_criteres_sociaux",
    "reduction_loyer_solidarite",
]
# Those that read no other benefit of past months: computed and fed back first in pass 1.
FIRST_LEVEL = [v for v in FEEDBACK if v not in {"aide_logement", "apl", "alf", "als", "rsa", "ppa", "bourse_college",
               "bourse_lycee", "bourse_criteres_sociaux", "reduction_loyer_solidarite"}]  # fmt: skip
OUTPUTS = OUTPUT_VARIABLES
RIGHTS_CHUNK = 2500
HOUSING_CODES = ("apl", "alf", "als", "reduction_loyer_solidarite")
_run_lock = threading.Lock()  # one simulation at a time per process: OpenFisca is CPU-bound Python


@dataclass
class Computed:
    """Raw results of a batch, per famille (each `autre` adult has their own famille).

    `famille[code]` is the benefit's amount per famille (individual benefits summed over the
    famille's members; the ménage benefits, such as the chèque énergie, given to the ménage's
    first famille); `per_person` holds individual benefits per person; `details` the explained
    intermediate variables per famille.
    """

    famille: dict[str, np.ndarray]  # code -> (familles,)
    per_person: dict[str, np.ndarray]  # individual benefits: code -> (persons,)
    details: dict[str, np.ndarray]  # intermediate variable -> (familles,)
    css_free: np.ndarray  # (familles,)
    frame: Frame
    passes: int = 2

    @property
    def amounts(self) -> dict[str, np.ndarray]:
        """Per household: the demandeur's famille."""
        return {code: values[self.frame.main_famille] for code, values in self.famille.items()}


def _simulation(frame: Frame, feedback: dict[str, np.ndarray] | None):
    from openfisca_core.simulation_builder import SimulationBuilder

    system = tax_benefit_system()
    builder = SimulationBuilder()
    builder.create_entities(system)
    builder.declare_person_entity("individu", np.arange(frame.count("individu")))
    for entity in ("famille", "foyer_fiscal", "menage"):
        population = builder.declare_entity(entity, np.arange(frame.count(entity)))
        builder.join_with_persons(population, frame.groups[entity], frame.roles[entity])
    simulation = builder.build(system)
    for variable, by_period in frame.inputs.items():
        _put(simulation, variable, by_period)
    past = [p for p in frame.months if p.start < frame.month.start]
    if feedback is None:
        feedback = _zeros(frame)
    feedback = _with_declared(frame, feedback)
    for variable in FEEDBACK:
        _put(simulation, variable, dict.fromkeys(past, feedback[variable]))
    return simulation


def _zeros(frame: Frame) -> dict[str, np.ndarray]:
    system = tax_benefit_system()
    return {v: np.zeros(frame.count(system.variables[v].entity.key), dtype=np.float32) for v in FEEDBACK}


def _with_declared(frame: Frame, values: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """Fed-back values with the amounts households declared (prestations_percues) put in their place."""
    if not frame.declared:
        return values
    values = dict(values)
    for variable, (amount, given) in frame.declared.items():
        values[variable] = np.where(given, amount, values[variable]).astype(np.float32)
    return values


def _put(simulation, variable: str, by_period: dict) -> None:
    """Store input arrays directly, one conversion per distinct array.

    Holder.set_input re-derives sub-periods and re-encodes enums on every call (about 0.3 ms
    each, thousands per simulation); our inputs always match the variable's own period, so we
    check that once and store the arrays (the same checks as Holder._set, minus disk storage).
    """
    holder = simulation.get_holder(variable)
    unit = holder.variable.definition_period
    converted = {}
    for period, values in by_period.items():
        period = _period(period)
        if period.unit != unit and unit != "eternity":
            simulation.set_input(variable, period, values)  # let OpenFisca dispatch it
            continue
        key = id(values)
        if key not in converted:
            converted[key] = holder._to_array(values)
        holder._memory_storage.put(converted[key], period)


_PERIODS: dict[str, object] = {}


def _period(text):
    """periods.period(), memoised: parsing "2026-11" goes through pendulum (about 0.4 ms)."""
    if not isinstance(text, str):
        return periods.period(text)
    if text not in _PERIODS:
        _PERIODS[text] = periods.period(text)
    return _PERIODS[text]


class DependencyTracer(SimpleTracer):
    """OpenFisca's SimpleTracer that also records which (variable, period) each calculation reads."""

    def __init__(self):
        super().__init__()
        self.edges: dict[tuple, set[tuple]] = defaultdict(set)

    def record_calculation_start(self, variable, period) -> None:
        if self._stack:
            parent = self._stack[-1]
            self.edges[(parent["name"], parent["period"])].add((variable, period))
        super().record_calculation_start(variable, period)


def _relative(period, month) -> tuple | None:
    """A period as (unit, offset in months from the simulated month, size); None for eternity."""
    if period is None or period.unit == "eternity":
        return None
    start = period.start
    return (period.unit, (start.year - month.start.year) * 12 + start.month - month.start.month, period.size)


def _absolute(relative: tuple, month):
    unit, offset, size = relative
    start = month.start.offset(offset, "month")
    return periods.Period((unit, start, size))


def _dirty_nodes(edges: dict, month) -> set[tuple]:
    """Calculations that read, directly or not, a fed-back benefit of a past month."""
    feedback = set(FEEDBACK)
    state: dict[tuple, bool] = {}

    def dirty(key) -> bool:
        if key in state:
            return state[key]
        name, period = key
        state[key] = name in feedback and period is not None and period.start < month.start
        for child in edges.get(key, ()):
            if dirty(child):
                state[key] = True
        return state[key]

    for key in list(edges):
        dirty(key)
    return {key for key, value in state.items() if value}


_dirty_by_month: dict[str, list[tuple]] = {}


def _dirty_for(frame: Frame, simulation_factory) -> list[tuple]:
    """The calculations to redo when fed-back values change, learnt once per simulated month.

    OpenFisca formulas are vectorised, so the calculations a month needs do not depend on the
    households' data: one traced first pass tells which ones read past benefits. Pass 2 then
    keeps every other cached value of pass 1 (about two thirds of the work).
    """
    key = str(frame.month)
    if key not in _dirty_by_month:
        simulation = simulation_factory()
        tracer = DependencyTracer()
        simulation.tracer = tracer
        for variable in FEEDBACK + OUTPUTS:
            simulation.calculate(variable, _period_of(variable, frame.month))
        nodes = _dirty_nodes(tracer.edges, frame.month)
        _dirty_by_month[key] = sorted(
            {(name, rel) for name, period in nodes if (rel := _relative(period, frame.month)) is not None}
        )
    return _dirty_by_month[key]


def _period_of(variable: str, month):
    if tax_benefit_system().variables[variable].definition_period == "year":
        return periods.period(str(month.start.year))
    return month


MAX_PASSES = 6


def steady_state(frame: Frame, passes: int | None = None, incremental: bool = True):
    """The simulation at the fixed point of fed-back benefits; returns (simulation, passes run).

    With `passes` set, run exactly that many passes (tests compare 2 and 3); else stop as soon
    as the fed-back benefits of the simulated month no longer change (at most MAX_PASSES).
    `incremental=False` rebuilds a fresh simulation for every pass (the reference).
    """
    month = frame.month
    past = [p for p in frame.months if p.start < month.start]
    dirty = _dirty_for(frame, lambda: _simulation(frame, None)) if incremental else None

    def feed(simulation, values):
        """The simulation with `values` as every past month's benefits."""
        if not incremental:
            return _simulation(frame, values)
        for name, relative in dirty:
            simulation.get_holder(name).delete_arrays(_absolute(relative, month))
        values = _with_declared(frame, values)
        for variable in FEEDBACK:
            _put(simulation, variable, dict.fromkeys(past, values[variable]))
        return simulation

    # Pass 1, in two steps: the benefits that read no other benefit's past (AAH, ASPA, family
    # benefits...) first, fed back at once; then those that do (RSA, housing aids...). So a chain
    # such as AAH -> RSA -> housing aid (neutralised resources of RSA recipients) settles in 2 passes.
    simulation = _simulation(frame, None)
    first = {v: np.asarray(simulation.calculate(v, month)) for v in FIRST_LEVEL}
    simulation = feed(simulation, {**_zeros(frame), **first})
    values = {v: np.asarray(simulation.calculate(v, month)) for v in FEEDBACK}
    run = 1
    while run < (passes or MAX_PASSES):
        simulation = feed(simulation, values)
        run += 1
        if run == passes:
            break  # the last pass: the caller computes what it needs
        new = {v: np.asarray(simulation.calculate(v, month)) for v in FEEDBACK}
        converged = all(np.allclose(new[v], values[v], atol=0.005) for v in FEEDBACK)
        values = new
        if converged and passes is None:
            break
    return simulation, run


def _to_familles(frame: Frame, entity: str, values: np.ndarray) -> np.ndarray:
    values = np.asarray(values, dtype=float)
    if entity == "famille":
        return values
    if entity == "menage":  # a ménage benefit goes to the ménage's first famille (the demandeur's)
        out = np.zeros(frame.count("famille"))
        out[frame.main_famille] = values
        return out
    return np.bincount(frame.groups["famille"], weights=values, minlength=frame.count("famille"))


def compute(frame: Frame, passes: int | None = 2, incremental: bool = True) -> Computed:
    with _run_lock:
        simulation, run = steady_state(frame, passes, incremental)
        month = frame.month
        year = periods.period(str(month.start.year))
        famille, per_person, details = {}, {}, {}
        for benefit in BENEFITS:
            raw = simulation.calculate(benefit.variable, year if benefit.yearly_period else month)
            famille[benefit.code] = _to_familles(frame, benefit.entity, raw)
            if benefit.entity == "individu":
                per_person[benefit.code] = np.asarray(raw, dtype=float)
            for variable in benefit.details:
                if variable not in details:
                    entity = tax_benefit_system().variables[variable].entity.key
                    details[variable] = _to_familles(frame, entity, simulation.calculate(variable, month))
        css_free = np.asarray(simulation.calculate(CSS_FREE, month)) > 0
        # Other adults (role autre, their own famille) are taken as not paying the rent: OpenFisca
        # would give each famille of the ménage a housing aid on the whole rent.
        others = np.ones(frame.count("famille"), dtype=bool)
        others[frame.main_famille] = False
        for code in HOUSING_CODES:
            famille[code] = np.where(others, 0.0, famille[code])
        if frame.pregnant.any():
            famille["paje_naissance"] = _birth_grant(frame)
    return Computed(famille, per_person, details, css_free, frame, run)


def _birth_grant(frame: Frame) -> np.ndarray:
    """The PAJE prime à la naissance of familles expecting a child, per famille.

    OpenFisca pays it in the month two months before the birth ("au 7e mois de grossesse",
    CSS D531-2), for a child declared with its birth date; a child not yet born cannot be part
    of the main simulation (it would count in every other benefit). So the expecting familles
    are simulated once more, with the child to be born two months after the simulated month:
    the resource ceiling is that of the simulated month (resources of year N-2, children at
    charge now). Only the grant is read from that simulation.
    """
    households = [h for h, expecting in zip(frame.households, frame.pregnant, strict=True) if expecting]
    places = [p for p, expecting in zip(frame.places, frame.pregnant, strict=True) if expecting]
    projected = build_frame(households, places, str(frame.month), unborn=True)
    simulation = _simulation(projected, None)
    grant = np.asarray(simulation.calculate("paje_naissance", projected.month), dtype=float)
    out = np.zeros(frame.count("famille"))
    out[frame.main_famille[frame.pregnant]] = grant[projected.main_famille]
    return out


def compute_batch(households, places, month: str, passes: int | None = 2, chunk: int = RIGHTS_CHUNK):
    """Yield (start index, Computed) for consecutive chunks of the batch."""
    for start in range(0, len(households), chunk):
        frame = build_frame(households[start : start + chunk], places[start : start + chunk], month)
        yield start, compute(frame, passes)
