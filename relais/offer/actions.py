"""Every write a person makes to the offer: atomic, and recorded as a `Change` (who, when, old, new).

Structures, services and aids change only through `apply_change`, which locks the row, computes
the diff of the fields that really change (many-to-many links included), sets `date_maj` and
records one `Change` (nothing at all when nothing changes). The other actions (joining a
structure, proposing one, closures, verification, moderation decisions, deletions) are built on
it, whatever the page they come from: partner pages, moderation, the Django admin. File imports
write in bulk and record the same `Change`s (importer.py).

Partners' edits are published at once and queued for the territory's moderators
(`review=to_review`), who approve or revert them; a new structure stays hidden until a moderator
of its territory validates it. See docs/adr/ for the reasons.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid

from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from relais.accounts.models import Membership
from relais.offer.models import Aid, Change, Closure, Moderation, Service, Structure

# Fields never recorded in a diff: identity, bookkeeping, and `date_maj` which every change sets.
UNTRACKED = {"id", "created_at", "updated_at", "date_maj"}
CLOSURE_KEY = "closure"
SOURCE = "relais"


class ActionError(Exception):
    """A write that cannot happen as asked; the message is for the person who asked."""


class AlreadyDecided(ActionError):
    pass


class StaleEdit(ActionError):
    """The listing changed since the form was opened: the edit would overwrite someone's work."""


# --- values and diffs -----------------------------------------------------------------------


def json_value(value):
    """A value as stored in a diff: JSON-serialisable, dates as ISO strings, lists of codes sorted."""
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, tuple | list) and all(isinstance(item, str) for item in value):
        return sorted(value)
    return value


def _is_empty(value) -> bool:
    return value is None or value == "" or (isinstance(value, list | dict) and not value)


def _same(old, new) -> bool:
    old, new = json_value(old), json_value(new)
    return old == new or (_is_empty(old) and _is_empty(new))


def tracked_fields(model) -> list:
    return [f for f in model._meta.concrete_fields if f.name not in UNTRACKED]


def tracked_links(model) -> list:
    """Many-to-many fields recorded in diffs as sorted lists of primary keys (an aid's claim services)."""
    return list(model._meta.many_to_many)


def version_of(obj) -> str:
    """A fingerprint of a listing's tracked values: forms carry it to detect edits made in between."""
    values = {f.attname: json_value(getattr(obj, f.attname)) for f in tracked_fields(type(obj))}
    return hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()[:32]


def _field_and_value(model, name: str, value):
    field = model._meta.get_field(name)
    if field.many_to_many:
        value = sorted(item.pk if isinstance(item, models.Model) else item for item in (value or ()))
    elif field.is_relation and isinstance(value, models.Model):
        value = value.pk
    elif isinstance(value, list) and all(isinstance(item, str) for item in value):
        value = sorted(value)
    elif value is not None and not isinstance(field, models.JSONField):
        value = field.to_python(value)  # diffs hold ISO dates; reverts give them back as strings
    return field, value


def _linked(obj, field) -> list:
    return sorted(getattr(obj, field.name).values_list("pk", flat=True))


def _structure_of(obj) -> Structure | None:
    if isinstance(obj, Structure):
        return obj
    return obj.structure if isinstance(obj, Service) else None


def _record(actor, target, diff: dict, *, kind: str, review: str, note: str = "") -> Change:
    """The one place a Change is written: `target` is the structure, service or aid the change is about."""
    structure = _structure_of(target)
    return Change.objects.create(
        target=TARGETS[type(target)],
        structure=structure,
        service=target if isinstance(target, Service) else None,
        aid=target if isinstance(target, Aid) else None,
        object_id=str(target.pk),
        kind=kind,
        diff=diff,
        actor=actor,
        note=note[:200],
        review=review,
        code_insee=(getattr(target, "code_insee", "") or (structure.code_insee if structure else "")),
    )


TARGETS = {Structure: Change.Target.STRUCTURE, Service: Change.Target.SERVICE, Aid: Change.Target.AID}


def _has_date_maj(model) -> bool:
    return any(f.name == "date_maj" for f in model._meta.concrete_fields)


@transaction.atomic
def apply_change(
    actor,
    obj: Structure | Service | Aid,
    values: dict,
    *,
    review: str = Change.Review.TO_REVIEW,
    kind: str | None = None,
    expected_version: str | None = None,
) -> Change | None:
    """Write `values` ({field name: new value}) to a structure, service or aid and record the Change.

    A new (unsaved) `obj` is created: its diff lists every non-empty tracked field as [None, new].
    An existing one is re-read under a row lock and only the fields whose value really changes are
    written. Nothing changes: nothing is written or recorded, and None is returned.
    Many-to-many fields (an aid's `claim_services`) are given as objects or primary keys and
    recorded as sorted lists of primary keys.
    `expected_version` (the `version_of` the listing the form was built from) refuses to overwrite
    a listing someone else changed in between: StaleEdit.
    """
    model = type(obj)
    today = timezone.localdate()
    links = {
        name: _field_and_value(model, name, value)[1]
        for name, value in values.items()
        if model._meta.get_field(name).many_to_many
    }
    values = {name: value for name, value in values.items() if name not in links}
    if obj._state.adding:
        for name, value in values.items():
            field, value = _field_and_value(model, name, value)
            setattr(obj, field.attname, value)
        if _has_date_maj(model):
            obj.date_maj = today
        obj.save(force_insert=True)
        diff = {
            f.attname: [None, json_value(getattr(obj, f.attname))]
            for f in tracked_fields(model)
            if not _is_empty(getattr(obj, f.attname))
        }
        for name, pks in links.items():
            getattr(obj, name).set(pks)
            if pks:
                diff[name] = [None, pks]
        return _record(actor, obj, diff, kind=kind or Change.Kind.CREATE, review=review)

    related = ["structure"] if model is Service else []
    current = model.objects.select_for_update(of=("self",)).select_related(*related).get(pk=obj.pk)
    version = version_of(current)
    diff = {}
    for name, value in values.items():
        field, value = _field_and_value(model, name, value)
        old = getattr(current, field.attname)
        if not _same(old, value):
            diff[field.attname] = [json_value(old), json_value(value)]
            setattr(current, field.attname, value)
    changed_links = {}
    for name, pks in links.items():
        old = _linked(current, model._meta.get_field(name))
        if old != pks:
            diff[name] = [old, pks]
            changed_links[name] = pks
    if not diff:
        return None
    if expected_version and version != expected_version:
        raise StaleEdit(_("Cette fiche a été modifiée par quelqu’un d’autre depuis l’ouverture du formulaire."))
    if _has_date_maj(model):
        current.date_maj = today
    current.save()
    for name, pks in changed_links.items():
        getattr(current, name).set(pks)
    for attname in [key for key in diff if key not in changed_links] + ["updated_at"]:
        setattr(obj, attname, getattr(current, attname))
    if _has_date_maj(model):
        obj.date_maj = current.date_maj
    return _record(actor, current, diff, kind=kind or Change.Kind.UPDATE, review=review)


def _deleted_values(obj) -> dict:
    model = type(obj)
    diff = {
        f.attname: [json_value(getattr(obj, f.attname)), None]
        for f in tracked_fields(model)
        if not _is_empty(getattr(obj, f.attname))
    }
    for field in tracked_links(model):
        pks = _linked(obj, field)
        if pks:
            diff[field.name] = [pks, None]
    return diff


@transaction.atomic
def delete_listing(actor, obj: Structure | Service | Aid) -> Change:
    """Delete a structure (with its services and closures), a service or an aid, keeping its history.

    One `delete` Change per deleted listing holds its last values ([old, None]), and one per closure
    that goes with it; earlier changes stay, their links emptied by the deletion.
    """
    model = type(obj)
    obj = model.objects.select_for_update(of=("self",)).get(pk=obj.pk)
    review = Change.Review.NOT_NEEDED
    if isinstance(obj, Structure):
        for service in obj.services.all():
            delete_listing(actor, service)
    if isinstance(obj, Structure | Service):
        closures = obj.closures.filter(service=None) if isinstance(obj, Structure) else obj.closures.all()
        for closure in closures:
            _record(actor, obj, {CLOSURE_KEY: [closure_value(closure), None]}, kind=Change.Kind.DELETE, review=review)
    change = _record(actor, obj, _deleted_values(obj), kind=Change.Kind.DELETE, review=review)
    obj.delete()
    return change


# --- structures: join, propose, verify ------------------------------------------------------


@transaction.atomic
def request_membership(user, structure: Structure) -> Membership:
    """Ask to join a structure. Every request waits (docs/adr/0002-moderation.md, 2026-12-07):

    - a structure with active members: a member request, decided by one of its admins;
    - a structure with no active member: a request to be its first admin (a « claim »), decided by a
      moderator of the structure's territory (or staff) in the moderation queue, with the evidence shown.

    Asking again returns the existing membership unchanged (pending, active or rejected).
    """
    Structure.objects.select_for_update().only("pk").get(pk=structure.pk)  # one joiner at a time
    existing = Membership.objects.filter(user=user, structure=structure).first()
    if existing:
        return existing
    has_members = structure.memberships.filter(status=Membership.Status.ACTIVE).exists()
    return Membership.objects.create(
        user=user,
        structure=structure,
        role=Membership.Role.MEMBER if has_members else Membership.Role.ADMIN,
        status=Membership.Status.PENDING,
    )


def pending_claims():
    """Requests to be the first admin of a structure: pending, role admin (decided in the moderation queue)."""
    return Membership.objects.filter(status=Membership.Status.PENDING, role=Membership.Role.ADMIN)


@transaction.atomic
def decide_membership(actor, membership: Membership, *, approve: bool) -> Membership:
    """An admin of the structure approves or rejects a pending request to join it (never a first-admin claim)."""
    membership = Membership.objects.select_for_update().get(pk=membership.pk)
    if not actor.is_admin_of(membership.structure_id) or membership.role != Membership.Role.MEMBER:
        raise PermissionDenied
    if membership.status != Membership.Status.PENDING:
        raise AlreadyDecided(_("Cette demande a déjà été traitée."))
    return _decide(actor, membership, approve)


def _decide(actor, membership: Membership, approve: bool) -> Membership:
    membership.status = Membership.Status.ACTIVE if approve else Membership.Status.REJECTED
    membership.decided_at = timezone.now()  # access to referrals counts from here (relais/referrals/roles.py)
    membership.decided_by = actor
    membership.save(update_fields=["status", "decided_at", "decided_by"])
    return membership


@transaction.atomic
def decide_claim(moderator, membership: Membership, *, approve: bool) -> Membership:
    """A moderator of the structure's territory (or staff) approves or rejects a request to be its first admin.

    Once one is approved, the structure has an admin: the other pending claims on it become ordinary
    member requests, for that admin to decide.
    """
    Structure.objects.select_for_update().only("pk").get(pk=membership.structure_id)
    membership = Membership.objects.select_for_update().select_related("structure").get(pk=membership.pk)
    if not can_moderate(moderator, membership.structure.code_insee):
        raise PermissionDenied
    if membership.status != Membership.Status.PENDING or membership.role != Membership.Role.ADMIN:
        raise AlreadyDecided(_("Cette demande a déjà été traitée."))
    _decide(moderator, membership, approve)
    if approve:
        pending_claims().filter(structure_id=membership.structure_id).update(role=Membership.Role.MEMBER)
    return membership


@transaction.atomic
def propose_structure(actor, values: dict) -> Structure:
    """A new structure, hidden until a moderator of its territory validates it; its proposer is its admin.

    The proposer edits it at once, but sees no referral through it until it is validated: `decide_structure`
    then records the moderator as having vouched for them (relais/referrals/roles.py reads `decided_at`).
    """
    structure = Structure(
        id=f"{SOURCE}--{uuid.uuid4()}",
        source=SOURCE,
        moderation=Moderation.PENDING,
        last_verified_on=timezone.localdate(),
        last_verified_by=actor,
    )
    apply_change(actor, structure, values, kind=Change.Kind.CREATE)
    Membership.objects.create(
        user=actor,
        structure=structure,
        role=Membership.Role.ADMIN,
        status=Membership.Status.ACTIVE,
        decided_at=timezone.now(),
    )
    return structure


ADDRESS_FIELDS = ("adresse", "complement_adresse", "code_postal", "commune", "code_insee", "latitude", "longitude")


@transaction.atomic
def create_service(actor, structure: Structure, values: dict) -> Service:
    """A new service: published at once when its structure is, but its Change waits for review.

    Without an address of its own, the service takes its structure's.
    """
    service = Service(
        id=f"{SOURCE}--{uuid.uuid4()}",
        source=SOURCE,
        structure=structure,
        moderation=Moderation.PUBLISHED if structure.moderation == Moderation.PUBLISHED else Moderation.PENDING,
        last_verified_on=timezone.localdate(),
        last_verified_by=actor,
    )
    values = dict(values)
    if not values.get("code_insee"):
        values.update({name: getattr(structure, name) for name in ADDRESS_FIELDS})
    apply_change(actor, service, values, kind=Change.Kind.CREATE)
    return service


def mark_verified(actor, obj: Structure | Service) -> Change | None:
    """'These infos are still correct': last verified today, by this person (no review needed)."""
    return apply_change(
        actor,
        obj,
        {"last_verified_on": timezone.localdate(), "last_verified_by": actor},
        review=Change.Review.NOT_NEEDED,
    )


# --- temporary closures and messages --------------------------------------------------------


def closure_value(closure: Closure) -> dict:
    return {
        "id": closure.pk,
        "service": closure.service_id,
        "starts_on": json_value(closure.starts_on),
        "ends_on": json_value(closure.ends_on),
        "message": closure.message,
        "is_closed": closure.is_closed,
    }


def _closure_target(closure: Closure):
    return closure.service if closure.service_id else closure.structure


@transaction.atomic
def add_closure(actor, structure: Structure, values: dict, *, review: str = Change.Review.TO_REVIEW) -> Closure:
    """A dated closure or message on the structure, or on one of its services (`values["service"]`)."""
    service = values.get("service")
    if service is not None and service.structure_id != structure.pk:
        raise PermissionDenied
    closure = Closure.objects.create(
        structure=structure,
        service=service,
        starts_on=values["starts_on"],
        ends_on=values["ends_on"],
        message=values.get("message", ""),
        is_closed=values.get("is_closed", True),
    )
    _record(
        actor,
        _closure_target(closure),
        {CLOSURE_KEY: [None, closure_value(closure)]},
        kind=Change.Kind.UPDATE,
        review=review,
    )
    return closure


CLOSURE_FIELDS = ("service", "starts_on", "ends_on", "message", "is_closed")


@transaction.atomic
def update_closure(actor, closure: Closure, values: dict, *, review: str = Change.Review.TO_REVIEW) -> Change | None:
    """Change a closure's dates, message or service: recorded as {closure: [as it was, as it becomes]}."""
    current = Closure.objects.select_for_update(of=("self",)).select_related("structure", "service").get(pk=closure.pk)
    old = closure_value(current)
    service = values.get("service", current.service)
    if service is not None and service.structure_id != current.structure_id:
        raise PermissionDenied
    for name in CLOSURE_FIELDS:
        if name in values:
            setattr(current, name, values[name])
    new = closure_value(current)
    if new == old:
        return None
    current.save()
    return _record(actor, _closure_target(current), {CLOSURE_KEY: [old, new]}, kind=Change.Kind.UPDATE, review=review)


@transaction.atomic
def delete_closure(actor, closure: Closure, *, review: str = Change.Review.TO_REVIEW) -> Change:
    target = _closure_target(closure)
    old = closure_value(closure)
    closure.delete()
    return _record(actor, target, {CLOSURE_KEY: [old, None]}, kind=Change.Kind.UPDATE, review=review)


def _restore_closure(structure: Structure, old: dict | None, new: dict | None) -> None:
    """Put a closure back as it was before a change: removed when it did not exist."""
    ident = (new or old or {}).get("id")
    if old is None:
        Closure.objects.filter(pk=ident, structure=structure).delete()
        return
    Closure.objects.update_or_create(
        pk=ident,
        defaults={
            "structure": structure,
            "service_id": old.get("service"),
            "starts_on": old["starts_on"],
            "ends_on": old["ends_on"],
            "message": old.get("message", ""),
            "is_closed": old.get("is_closed", True),
        },
    )


# --- moderation -----------------------------------------------------------------------------


def can_moderate(user, code_insee: str) -> bool:
    """Staff moderate everything; a territory moderator, the communes of their territories."""
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return bool(code_insee) and code_insee in user.moderated_commune_codes()


def _mark_reviewed(changes, moderator, review: str) -> None:
    changes.update(review=review, reviewed_by=moderator, reviewed_at=timezone.now())


@transaction.atomic
def decide_structure(moderator, structure: Structure, *, approve: bool) -> Structure:
    """Validate (publish) or reject a proposed structure, with the services its members added meanwhile."""
    structure = Structure.objects.select_for_update().get(pk=structure.pk)
    if not can_moderate(moderator, structure.code_insee):
        raise PermissionDenied
    if structure.moderation != Moderation.PENDING:
        raise AlreadyDecided(_("Cette structure a déjà été traitée."))
    outcome = Moderation.PUBLISHED if approve else Moderation.REJECTED
    apply_change(moderator, structure, {"moderation": outcome}, review=Change.Review.NOT_NEEDED)
    for service in structure.services.filter(moderation=Moderation.PENDING):
        apply_change(moderator, service, {"moderation": outcome}, review=Change.Review.NOT_NEEDED)
    if approve:
        _mark_reviewed(structure.changes.filter(review=Change.Review.TO_REVIEW), moderator, Change.Review.APPROVED)
        # The moderator who validates the structure vouches for its members: their access counts from now.
        structure.memberships.filter(status=Membership.Status.ACTIVE).update(
            decided_at=timezone.now(), decided_by=moderator
        )
    return structure


def _revert_target(change: Change):
    target = {
        Change.Target.STRUCTURE: change.structure,
        Change.Target.SERVICE: change.service,
        Change.Target.AID: change.aid,
    }.get(change.target)
    if target is None or str(target.pk) != change.object_id:
        raise ActionError(_("Cette fiche n’existe plus : la modification ne peut pas être annulée."))
    return target


@transaction.atomic
def review_change(moderator, change: Change, *, approve: bool) -> tuple[Change | None, list[str]]:
    """Approve a change, or revert it: its fields get their old values back (recorded as a revert).

    A field changed again since then keeps its newer value: it is returned in the second item so
    the moderator knows. Returns (the revert Change or None, fields left as they are).
    """
    change = (
        Change.objects.select_for_update(of=("self",)).select_related("structure", "service", "aid").get(pk=change.pk)
    )
    if not can_moderate(moderator, change.code_insee):
        raise PermissionDenied
    if change.review != Change.Review.TO_REVIEW:
        raise AlreadyDecided(_("Cette modification a déjà été relue."))
    if approve:
        _mark_reviewed(Change.objects.filter(pk=change.pk), moderator, Change.Review.APPROVED)
        return None, []

    target = _revert_target(change)
    model = type(target)
    restore, skipped = {}, []
    if change.kind == Change.Kind.CREATE:
        restore["moderation"] = Moderation.REJECTED
    else:
        for key, (old, new) in change.diff.items():
            if key == CLOSURE_KEY:
                _restore_closure(change.structure, old, new)
                continue
            field = model._meta.get_field(key)
            now = _linked(target, field) if field.many_to_many else getattr(target, field.attname)
            if not _same(now, _field_and_value(model, key, new)[1]):
                skipped.append(key)
                continue
            restore[key] = old
    reverted = apply_change(moderator, target, restore, kind=Change.Kind.REVERT, review=Change.Review.NOT_NEEDED)
    if reverted is None and CLOSURE_KEY in change.diff:
        reverted = _record(
            moderator,
            target,
            {CLOSURE_KEY: list(reversed(change.diff[CLOSURE_KEY]))},
            kind=Change.Kind.REVERT,
            review=Change.Review.NOT_NEEDED,
        )
    _mark_reviewed(Change.objects.filter(pk=change.pk), moderator, Change.Review.REVERTED)
    return reverted, skipped
