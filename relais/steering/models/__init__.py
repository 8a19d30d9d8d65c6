"""The steering of a solidarity plan: plan, axes, actions, steps, territories, indicators, roles, history.

Split by subdomain: `plan` (the plan's tree and its actions), `indicators`, `work` (roles, notes,
history, reporting campaigns).
"""

from relais.steering.models.indicators import Indicator, IndicatorValue, ValueKind
from relais.steering.models.plan import (
    Action,
    ActionTerritory,
    Axis,
    BudgetLine,
    Meteo,
    Participation,
    Plan,
    Priority,
    ProgressMode,
    Rollup,
    Status,
    Step,
    Tag,
)
from relais.steering.models.work import Campaign, CampaignRequest, Change, Note, PlanRole

__all__ = [
    "Action",
    "ActionTerritory",
    "Axis",
    "BudgetLine",
    "Campaign",
    "CampaignRequest",
    "Change",
    "Indicator",
    "IndicatorValue",
    "Meteo",
    "Note",
    "Participation",
    "Plan",
    "PlanRole",
    "Priority",
    "ProgressMode",
    "Rollup",
    "Status",
    "Step",
    "Tag",
    "ValueKind",
]
