"""Every write on a plan: atomic, checked against the person's role, recorded as a `Change` (who, when, old, new).

Pages, commands and the import call these functions; nothing else writes steering rows (the demo
loader and the import write in bulk and record their own `Change`s with an origin).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from relais.offer.actions import json_value
from relais.steering import roles, sources
from relais.steering.models import (
    Action,
    ActionTerritory,
    Campaign,
    CampaignRequest,
    Change,
    Indicator,
    IndicatorValue,
    Note,
    Plan,
    Step,
    ValueKind,
)
from relais.steering.models.plan import CLOSED_STATUSES

TARGETS = {
    Action: "action",
    ActionTerritory: "declination",
    Step: "step",
    Note: "note",
    IndicatorValue: "indicator_value",
    Plan: "plan",
}


def _same(old, new) -> bool:
    old, new = json_value(old), json_value(new)
    return old == new or (old in (None, "") and new in (None, ""))


def diff_of(obj: models.Model, values: dict) -> dict:
    """{field: [old, new]} of the fields whose value really changes (values as stored in the history)."""
    changes = {}
    for name, new in values.items():
        field = obj._meta.get_field(name)
        old = getattr(obj, field.attname)
        if field.is_relation and isinstance(new, models.Model):
            new = new.pk
        if not _same(old, new):
            changes[name] = [json_value(old), json_value(new)]
    return changes


def record(
    actor, plan: Plan, obj: models.Model, diff: dict, *, action: Action | None = None, origin: str = ""
) -> Change:
    return Change.objects.create(
        plan=plan,
        action=action,
        target=TARGETS.get(type(obj), type(obj).__name__.lower()),
        object_id=str(obj.pk),
        label=str(obj)[:250],
        diff=diff,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        origin=origin[:200],
    )


def _apply(actor, plan: Plan, obj: models.Model, values: dict, *, action: Action | None) -> dict:
    changes = diff_of(obj, values)
    if not changes:
        return {}
    for name, new in values.items():
        setattr(obj, name, new)
    obj.full_clean(validate_unique=False, validate_constraints=False)
    obj.save()
    record(actor, plan, obj, changes, action=action)
    return changes


def _answer_campaigns(actor, action: Action, now) -> None:
    CampaignRequest.objects.filter(action=action, answered_at__isnull=True, campaign__due_on__gte=now.date()).update(
        answered_at=now, answered_by=actor
    )


ACTION_QUICK_FIELDS = ("status", "meteo", "manual_progress")


@transaction.atomic
def update_action(actor, action: Action, values: dict, *, note: str = "", publish_note: bool = False) -> dict:
    """The pilot's "two minutes" update: some of status, météo, progress set by hand, and a dated note."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    if not roles.access(actor, action.plan).can_edit_action(action):
        raise PermissionDenied(_("Vous ne pouvez pas modifier cette action."))
    changes = _apply(actor, action.plan, action, values, action=action)
    if note.strip():
        add_note(actor, action.plan, note, action=action, publish=publish_note, checked=True)
    now = timezone.now()
    if changes or note.strip():
        Action.objects.filter(pk=action.pk).update(last_news_at=now)
        _answer_campaigns(actor, action, now)
    return changes


@transaction.atomic
def update_declination(actor, declination: ActionTerritory, values: dict) -> dict:
    declination = (
        ActionTerritory.objects.select_for_update().select_related("action", "action__plan").get(pk=declination.pk)
    )
    action = declination.action
    if not roles.access(actor, action.plan).can_edit_declination(declination, action):
        raise PermissionDenied(_("Vous ne pouvez pas modifier la déclinaison de ce territoire."))
    changes = _apply(actor, action.plan, declination, values, action=action)
    if changes:
        now = timezone.now()
        Action.objects.filter(pk=action.pk).update(last_news_at=now)
        _answer_campaigns(actor, action, now)
    return changes


@transaction.atomic
def set_step_done(actor, step: Step, done: bool, today: dt.date | None = None) -> dict:
    step = Step.objects.select_for_update().select_related("action", "action__plan").get(pk=step.pk)
    action = step.action
    if not roles.access(actor, action.plan).can_edit_action(action):
        raise PermissionDenied(_("Vous ne pouvez pas modifier cette action."))
    today = today or timezone.localdate()
    changes = _apply(actor, action.plan, step, {"done": done, "done_on": today if done else None}, action=action)
    if changes:
        Action.objects.filter(pk=action.pk).update(last_news_at=timezone.now())
    return changes


@transaction.atomic
def add_note(
    actor,
    plan: Plan,
    text: str,
    *,
    action: Action | None = None,
    territory=None,
    kind: str = Note.Kind.FOLLOW_UP,
    publish: bool = False,
    checked: bool = False,
) -> Note:
    """A follow-up note on an action (its pilot, an administrator), or a plan text (administrators only)."""
    access = roles.access(actor, plan)
    if not checked:
        allowed = access.can_edit_action(action) if action else access.admin
        if territory is not None and not action:
            allowed = access.can_edit_territory(territory.pk)
        if not allowed:
            raise PermissionDenied(_("Vous ne pouvez pas écrire de note ici."))
    note = Note.objects.create(
        plan=plan,
        action=action,
        territory=territory,
        kind=kind,
        text=text.strip(),
        author=actor,
        state=Note.State.PUBLISHED if publish else Note.State.DRAFT,
        published_at=timezone.now() if publish else None,
    )
    record(actor, plan, note, {"text": [None, note.text], "state": [None, note.state]}, action=action)
    return note


@transaction.atomic
def publish_note(actor, note: Note) -> dict:
    """Draft → published: administrators, or the pilot for their action's notes. Publishing twice changes nothing."""
    note = Note.objects.select_for_update(of=("self",)).select_related("plan", "action").get(pk=note.pk)
    access = roles.access(actor, note.plan)
    allowed = access.admin or (note.action is not None and access.can_edit_action(note.action))
    if not allowed:
        raise PermissionDenied(_("Vous ne pouvez pas publier ce texte."))
    return _apply(
        actor,
        note.plan,
        note,
        {"state": Note.State.PUBLISHED, "published_at": note.published_at or timezone.now()},
        action=note.action,
    )


def _may_write_value(access: roles.Access, indicator: Indicator, territory) -> bool:
    if access.admin:
        return True
    if territory is not None and access.can_edit_territory(territory.pk):
        return True
    return any(access.can_edit_action(action) for action in indicator.actions.all())


@transaction.atomic
def set_indicator_value(
    actor,
    indicator: Indicator,
    *,
    territory,
    kind: str,
    on: dt.date,
    value: Decimal,
    comment: str = "",
    source: str = "",
) -> IndicatorValue:
    """Record (or correct) the value of a day; the old value is kept in the history."""
    if actor is not None and not _may_write_value(roles.access(actor, indicator.plan), indicator, territory):
        raise PermissionDenied(_("Vous ne pouvez pas saisir de valeur pour cet indicateur ici."))
    existing = IndicatorValue.objects.filter(indicator=indicator, territory=territory, kind=kind, on=on).first()
    values = {"value": Decimal(value), "comment": comment, "source": source}
    if existing is None:
        existing = IndicatorValue.objects.create(
            indicator=indicator, territory=territory, kind=kind, on=on, author=actor, **values
        )
        record(actor, indicator.plan, existing, {"value": [None, json_value(str(existing.value))]})
        return existing
    changes = diff_of(existing, values)
    if changes:
        for name, new in values.items():
            setattr(existing, name, new)
        existing.author = actor
        existing.save()
        record(actor, indicator.plan, existing, {k: [str(o), str(n)] for k, (o, n) in changes.items()})
    return existing


def refresh_computed(indicator: Indicator, day: dt.date, territories) -> list[IndicatorValue]:
    """Today's current value of a computed indicator, for the whole plan and each territory."""
    written = []
    for territory in [None, *territories]:
        value = sources.compute(indicator.computed_source, territory, indicator.computed_parameter, day)
        written.append(
            set_indicator_value(
                None, indicator, territory=territory, kind=ValueKind.CURRENT, on=day, value=value, source="Relais"
            )
        )
    return written


# --- reporting campaigns --------------------------------------------------------------------


@transaction.atomic
def launch_campaign(actor, plan: Plan, *, title: str, due_on: dt.date, message: str = "") -> Campaign:
    """A campaign asks every open action of the plan for news; `send_campaign_requests` e-mails the pilots."""
    if not roles.access(actor, plan).admin:
        raise PermissionDenied(_("Seuls les administrateurs du plan lancent une campagne."))
    campaign = Campaign.objects.create(plan=plan, title=title, due_on=due_on, message=message, created_by=actor)
    open_actions = plan.actions.exclude(status__in=CLOSED_STATUSES).values_list("pk", flat=True)
    CampaignRequest.objects.bulk_create([CampaignRequest(campaign=campaign, action_id=pk) for pk in open_actions])
    record(actor, plan, plan, {"campaign": [None, title]}, origin=_("campagne de remontée"))
    return campaign


def _pilot_email_groups(requests) -> dict:
    """Pilots with an account, each with the requests of their actions."""
    grouped: dict = {}
    for request in requests:
        pilot = request.action.pilot_user
        if pilot is not None and pilot.email and pilot.is_active:
            grouped.setdefault(pilot, []).append(request)
    return grouped


def _email(pilot, campaign: Campaign, requests, *, reminder: bool) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "pilot": pilot,
            "campaign": campaign,
            "actions": [r.action for r in requests],
            "reminder": reminder,
            "link": reverse("steering:my_actions"),
        }
        subject = (_("Rappel : %(title)s") if reminder else "%(title)s") % {"title": campaign.title}
        body = render_to_string("steering/email_campaign.txt", context)
    send_mail(subject, body, None, [pilot.email])


def send_campaign_requests(campaign: Campaign) -> int:
    """E-mail each pilot with an account once, listing their actions; returns the number of e-mails."""
    pending = campaign.requests.filter(emailed_at__isnull=True).select_related("action", "action__pilot_user")
    sent = 0
    for pilot, requests in _pilot_email_groups(pending).items():
        _email(pilot, campaign, requests, reminder=False)
        CampaignRequest.objects.filter(pk__in=[r.pk for r in requests]).update(emailed_at=timezone.now())
        sent += 1
    return sent


def campaigns_to_remind(today: dt.date):
    return Campaign.objects.filter(due_on__gte=today)


def remind(campaign: Campaign, *, wet_run: bool, min_days: int = 7) -> list[tuple[str, list[str]]]:
    """Pilots whose actions have not answered, not reminded in the last `min_days` days: (e-mail, action codes).

    Nothing is sent unless `wet_run`."""
    now = timezone.now()
    waiting = (
        campaign.requests.filter(answered_at__isnull=True)
        .filter(models.Q(reminded_at__isnull=True) | models.Q(reminded_at__lt=now - dt.timedelta(days=min_days)))
        .select_related("action", "action__pilot_user")
    )
    planned = []
    for pilot, requests in _pilot_email_groups(waiting).items():
        planned.append((pilot.email, [r.action.code for r in requests]))
        if wet_run:
            _email(pilot, campaign, requests, reminder=True)
            CampaignRequest.objects.filter(pk__in=[r.pk for r in requests]).update(
                reminded_at=now, reminders=models.F("reminders") + 1
            )
    return planned
