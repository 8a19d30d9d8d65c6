"""A whole plan at a glance, computed once for the dashboard, the territory pages, the public account,
the exports and the point d'étape: progress by action, axis and territory, counts by status, late actions,
actions without news. A fixed number of queries whatever the size of the plan (pinned in the tests).

Counts by territory use each declination's effective status (its own, else the action's), the same as
the territory page shows; local-only actions count in their territory with their own status.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.utils import timezone

from relais.steering import progress as pg
from relais.steering.models import Action, ActionTerritory, Axis, IndicatorValue, Meteo, Plan, Status, Step, ValueKind
from relais.steering.models.indicators import IndicatorProgress
from relais.steering.models.plan import CLOSED_STATUSES

STATUS_ORDER = [value for value, _label in Status.choices]


@dataclass
class ActionRow:
    action: Action
    progress: float | None
    late: bool
    without_news: bool
    steps_total: int = 0
    steps_done: int = 0
    tag_ids: frozenset = frozenset()
    territory_ids: frozenset = frozenset()

    @property
    def percent(self) -> int | None:
        return pg.percent(self.progress)


@dataclass
class DeclinationRow:
    action: Action
    territory_id: int
    status: str
    meteo: str
    progress: float | None
    local: bool  # a local-only action of the territory, not a declination

    @property
    def percent(self) -> int | None:
        return pg.percent(self.progress)

    @property
    def status_label(self) -> str:
        return Status(self.status).label

    @property
    def meteo_label(self) -> str:
        return Meteo(self.meteo).label


@dataclass
class GroupRow:
    """An axis or a territory: its progress and its counts by status."""

    key: object
    label: str
    depth: int = 0
    progress: float | None = None
    counts: Counter = field(default_factory=Counter)

    @property
    def percent(self) -> int | None:
        return pg.percent(self.progress)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count_cells(self) -> list[int]:
        return [self.counts.get(status, 0) for status in STATUS_ORDER]

    def labelled_counts(self) -> list[tuple[str, int]]:
        """(status label, count) of the statuses present, in the order of the list of statuses."""
        return [(label, self.counts[value]) for value, label in Status.choices if self.counts.get(value)]


@dataclass
class Overview:
    plan: Plan
    today: dt.date
    actions: list[ActionRow]
    axes: list[GroupRow]
    territories: list[GroupRow]
    declinations: dict  # territory id -> [DeclinationRow]
    progress: float | None

    @property
    def percent(self) -> int | None:
        return pg.percent(self.progress)

    @property
    def late(self) -> list[ActionRow]:
        return [row for row in self.actions if row.late]

    @property
    def without_news(self) -> list[ActionRow]:
        return [row for row in self.actions if row.without_news]

    def status_labels(self) -> list[str]:
        return [label for _value, label in Status.choices]


def _ratios(plan: Plan) -> dict:
    """{(indicator id, territory id or None): ratio} from the derived IndicatorProgress rows (ratios.py)."""
    rows = IndicatorProgress.objects.filter(indicator__plan=plan, ratio__isnull=False)
    return {(i, t): r for i, t, r in rows.values_list("indicator_id", "territory_id", "ratio")}


def _ratio(ratios: dict, indicator_id: int, territory_id) -> float | None:
    return ratios.get((indicator_id, territory_id))


def _plan_ratio(latest: dict, indicator_id: int, territory_ids) -> float | None:
    """The plan-wide ratio of an indicator, else the mean of its territories' ratios."""
    ratio = _ratio(latest, indicator_id, None)
    if ratio is not None:
        return ratio
    return pg.from_ratios(_ratio(latest, indicator_id, t) for t in territory_ids)


def _is_late(action: Action, overdue_steps: int, today: dt.date) -> bool:
    if action.status in CLOSED_STATUSES:
        return False
    return action.status == Status.LATE or overdue_steps > 0 or (action.ends_on is not None and action.ends_on < today)


def _without_news(action: Action, plan: Plan, now) -> bool:
    if action.status in CLOSED_STATUSES:
        return False
    return action.last_news_at is None or action.last_news_at < now - dt.timedelta(days=plan.news_after_days)


def build(plan: Plan, today: dt.date | None = None) -> Overview:
    """Eight queries: axes, territories, actions, steps, tags, indicator links, indicator ratios, declinations."""
    today = today or timezone.localdate()
    now = timezone.now()
    axes = list(Axis.objects.filter(plan=plan))
    territories = list(plan.territories.order_by("name"))
    territory_ids = [t.pk for t in territories]
    actions = list(Action.objects.filter(plan=plan).select_related("pilot_user").order_by("code"))
    steps = {
        row["action_id"]: row
        for row in Step.objects.filter(action__plan=plan)
        .order_by()
        .values("action_id")
        .annotate(
            n_total=Count("id"),
            n_done=Count("id", filter=Q(done=True)),
            n_overdue=Count("id", filter=Q(done=False, due_on__lt=today)),
        )
    }
    tags = defaultdict(set)
    for action_id, tag_id in Action.tags.through.objects.filter(action__plan=plan).values_list("action_id", "tag_id"):
        tags[action_id].add(tag_id)
    links = defaultdict(list)
    for action_id, indicator_id in Action.indicators.through.objects.filter(action__plan=plan).values_list(
        "action_id", "indicator_id"
    ):
        links[action_id].append(indicator_id)
    latest = _ratios(plan)
    declined = list(
        ActionTerritory.objects.filter(action__plan=plan).values_list("action_id", "territory_id", "status", "meteo")
    )
    declined_in = defaultdict(set)
    for action_id, territory_id, _status, _meteo in declined:
        declined_in[action_id].add(territory_id)

    rows = []
    for action in actions:
        s = steps.get(action.pk, {"n_total": 0, "n_done": 0, "n_overdue": 0})
        facts = pg.ActionFacts(
            mode=action.progress_mode,
            steps_done=s["n_done"],
            steps_total=s["n_total"],
            indicator_ratios=tuple(_plan_ratio(latest, i, territory_ids) for i in links[action.pk]),
            manual_percent=action.manual_progress,
        )
        rows.append(
            ActionRow(
                action=action,
                progress=pg.action_progress(facts),
                late=_is_late(action, s["n_overdue"], today),
                without_news=_without_news(action, plan, now),
                steps_total=s["n_total"],
                steps_done=s["n_done"],
                tag_ids=frozenset(tags[action.pk]),
                territory_ids=frozenset(declined_in[action.pk] | ({action.local_territory_id} - {None})),
            )
        )
    by_action = {row.action.pk: row for row in rows}
    declinations = _declinations(rows, by_action, declined, links, latest, territory_ids)
    weighted = plan.rollup == "weighted"
    axis_rows, plan_progress = _axes(axes, rows, weighted)
    territory_rows = _territories(territories, declinations, weighted)
    return Overview(plan, today, rows, axis_rows, territory_rows, declinations, plan_progress)


def _declinations(rows, by_action, declined, links, latest, territory_ids) -> dict:
    result: dict = defaultdict(list)
    for action_id, territory_id, status, meteo in declined:
        row = by_action[action_id]
        local = None
        if row.action.progress_mode == "indicators":
            local = pg.from_ratios(_ratio(latest, i, territory_id) for i in links[action_id])
        result[territory_id].append(
            DeclinationRow(
                row.action,
                territory_id,
                status or row.action.status,
                meteo or row.action.meteo,
                row.progress if local is None else local,
                local=False,
            )
        )
    for row in rows:
        territory_id = row.action.local_territory_id
        if territory_id is not None and row.action.pk not in {d.action.pk for d in result.get(territory_id, [])}:
            result[territory_id].append(
                DeclinationRow(row.action, territory_id, row.action.status, row.action.meteo, row.progress, local=True)
            )
    return result


def _axes(axes: list[Axis], rows: list[ActionRow], weighted: bool):
    """Axis rows in tree order (depth-first, by order), each rolled up from its actions and sub-axes."""
    children = defaultdict(list)
    for axis in axes:
        children[axis.parent_id].append(axis)
    by_axis = defaultdict(list)
    for row in rows:
        by_axis[row.action.axis_id].append(row)
    out: list[GroupRow] = []

    def visit(axis: Axis, depth: int) -> tuple[pg.Weighted, Counter]:
        group = GroupRow(axis, str(axis), depth)
        out.append(group)
        items = [pg.Weighted(r.progress, r.action.weight if weighted else 1) for r in by_axis[axis.pk]]
        counts = Counter(r.action.status for r in by_axis[axis.pk])
        for child in children[axis.pk]:
            child_rolled, child_counts = visit(child, depth + 1)
            items.append(child_rolled if weighted else pg.Weighted(child_rolled.progress, 1))
            counts += child_counts
        rolled = pg.rollup(items, weighted)
        group.progress, group.counts = rolled.progress, counts
        return rolled, counts

    tops = [visit(axis, 0)[0] for axis in children[None]]
    plan_progress = pg.rollup(tops if weighted else [pg.Weighted(t.progress, 1) for t in tops], weighted).progress
    return out, plan_progress


def _territories(territories, declinations: dict, weighted: bool) -> list[GroupRow]:
    out = []
    for territory in territories:
        rows = declinations.get(territory.pk, [])
        group = GroupRow(territory, territory.name)
        group.counts = Counter(row.status for row in rows)
        group.progress = pg.rollup(
            [pg.Weighted(row.progress, row.action.weight if weighted else 1) for row in rows], weighted
        ).progress
        out.append(group)
    return out


def indicator_rows(action: Action, territory=None, today: dt.date | None = None) -> list[dict]:
    """Each indicator of an action with its latest initial, current and target values (of a territory, or
    plan-wide), and whether it is "to update" (a current value older than its periodicity)."""
    today = today or timezone.localdate()
    rows = []
    for indicator in action.indicators.all():
        latest = {}
        for value in IndicatorValue.objects.filter(indicator=indicator, territory=territory).order_by("on", "id"):
            latest[value.kind] = value
        current = latest.get(ValueKind.CURRENT)
        rows.append(
            {
                "indicator": indicator,
                "initial": latest.get(ValueKind.INITIAL),
                "current": current,
                "target": latest.get(ValueKind.TARGET),
                "to_update": indicator.is_to_update(current.on if current else None, today),
            }
        )
    return rows
