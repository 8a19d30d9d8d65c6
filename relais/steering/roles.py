"""Who may do what on a plan: administrator, editor of a territory, pilot of an action, reader.

    administrator      everything on the plan: actions, declinations, campaigns, imports, roles
    territory editor   the declinations in their territory and the local-only actions of it; nothing elsewhere
    action pilot       their action (status, météo, progress, notes, steps) and its declinations
    local pilot        the declination they pilot
    reader             sees the plan's internal pages (dashboard, history), changes nothing

A superuser is an administrator of every plan. Rules are computed from one `Access` object, loaded
with one query per plan and person.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from relais.steering.models import Action, ActionTerritory, Plan, PlanRole


@dataclass(frozen=True)
class Access:
    user_id: int | None
    admin: bool = False
    reader: bool = False
    editor_of: frozenset = field(default_factory=frozenset)  # territory ids

    @property
    def can_view(self) -> bool:
        return self.admin or self.reader or bool(self.editor_of)

    def can_edit_action(self, action: Action) -> bool:
        if self.admin or (self.user_id is not None and action.pilot_user_id == self.user_id):
            return True
        return action.local_territory_id is not None and action.local_territory_id in self.editor_of

    def can_edit_declination(self, declination: ActionTerritory, action: Action | None = None) -> bool:
        action = action or declination.action
        if self.can_edit_action(action):
            return True
        if self.user_id is not None and declination.local_pilot_user_id == self.user_id:
            return True
        return declination.territory_id in self.editor_of

    def can_edit_territory(self, territory_id: int) -> bool:
        return self.admin or territory_id in self.editor_of


NOBODY = Access(user_id=None)


def access(user, plan: Plan) -> Access:
    if user is None or not user.is_authenticated:
        return NOBODY
    if user.is_superuser:
        return Access(user.pk, admin=True)
    admin = reader = False
    editor_of = set()
    for role, territory_id in PlanRole.objects.filter(plan=plan, user=user).values_list("role", "territory_id"):
        admin |= role == PlanRole.Role.ADMIN
        reader |= role == PlanRole.Role.READER
        if role == PlanRole.Role.EDITOR:
            editor_of.add(territory_id)
    pilot = (
        Action.objects.filter(plan=plan, pilot_user=user).exists()
        or ActionTerritory.objects.filter(action__plan=plan, local_pilot_user=user).exists()
    )
    return Access(user.pk, admin=admin, reader=reader or pilot, editor_of=frozenset(editor_of))


def plans_of(user):
    """The plans whose internal pages this person may see."""
    if user.is_superuser:
        return Plan.objects.all()
    mine = Q(roles__user=user) | Q(actions__pilot_user=user) | Q(actions__declinations__local_pilot_user=user)
    return Plan.objects.filter(mine).distinct()
