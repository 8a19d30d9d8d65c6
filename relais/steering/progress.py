"""Progress of actions, axes and plans: pure functions over plain values (no database), in 0–1.

- an action's progress comes from its steps (share done), its indicators (the mean of
  (current − initial) / (target − initial), each clamped to 0–1) or a value set by hand;
- an axis rolls up its actions and its sub-axes, a plan its top axes: a plain average, or an
  average weighted by the actions' weights (a sub-axis then weighs the sum of its actions' weights).

None means "unknown" (no step, no usable indicator, nothing set) and is left out of every average.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal


def clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def indicator_ratio(initial, current, target) -> float | None:
    """(current − initial) / (target − initial), clamped to 0–1; None when a value is missing or target = initial."""
    if initial is None or current is None or target is None:
        return None
    initial, current, target = (float(Decimal(str(v))) for v in (initial, current, target))
    if target == initial:
        return None
    return clamp((current - initial) / (target - initial))


def from_steps(done: int, total: int) -> float | None:
    return done / total if total else None


def from_ratios(ratios: Iterable[float | None]) -> float | None:
    known = [r for r in ratios if r is not None]
    return sum(known) / len(known) if known else None


def from_manual(percent: int | None) -> float | None:
    return None if percent is None else clamp(percent / 100)


@dataclass(frozen=True)
class ActionFacts:
    """What an action's progress is computed from."""

    mode: str  # "steps", "indicators" or "manual" (ProgressMode)
    steps_done: int = 0
    steps_total: int = 0
    indicator_ratios: tuple = ()
    manual_percent: int | None = None


def action_progress(facts: ActionFacts) -> float | None:
    if facts.mode == "manual":
        return from_manual(facts.manual_percent)
    if facts.mode == "indicators":
        return from_ratios(facts.indicator_ratios)
    return from_steps(facts.steps_done, facts.steps_total)


@dataclass(frozen=True)
class Weighted:
    progress: float | None
    weight: float = 1.0


def rollup(items: Iterable[Weighted], weighted: bool) -> Weighted:
    """The rolled-up progress of `items`, and the total weight it carries upwards."""
    items = list(items)
    total_weight = sum(item.weight for item in items)
    known = [item for item in items if item.progress is not None]
    if not known:
        return Weighted(None, total_weight)
    if weighted:
        weight = sum(item.weight for item in known)
        if weight <= 0:
            return Weighted(None, total_weight)
        return Weighted(sum(item.progress * item.weight for item in known) / weight, total_weight)
    return Weighted(sum(item.progress for item in known) / len(known), total_weight)


def percent(progress: float | None) -> int | None:
    return None if progress is None else round(progress * 100)
