"""Referral endpoints under /api/v1/referrals: session authentication (with CSRF on writes), need to know.

Every endpoint answers 401 without a session whose second factor was verified. Another person's
referral answers 404 and never shows its data; a step the state machine refuses answers 409 and
changes nothing. Every read of personal data is written to the access log. Creating a referral
needs an `Idempotency-Key` header: the same key and body again give back the referral already
made (never a second one). The contract: docs/api.md.
"""

import datetime as dt
import hashlib
import json
import math
import uuid
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Header, Query, Router, Schema, Status
from ninja.security import SessionAuth
from pydantic import StringConstraints

from relais.accounts import security
from relais.offer.models import Structure
from relais.offer.schemas import ErrorOut, ValidationErrorOut
from relais.referrals import actions, audit, consent, contact, privacy, roles, stats
from relais.referrals.models import (
    ContactChannel,
    Outcome,
    Party,
    Referral,
    RefusalReason,
    Situation,
)
from relais.referrals.models import (
    Status as RStatus,
)
from relais.referrals.views.professional import referable_services

PAGE_SIZE = 50
MAX_PAGE = 100_000
# No control character (relais.textinput): none at all on one line, line breaks only in longer texts.
SingleLine = r"^[^\x00-\x1f\x7f-\x9f\u2028\u2029]*$"
MultiLine = r"^(?:[^\x00-\x1f\x7f-\x9f\u2028\u2029]|\r\n|\n)*$"
Name = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=80, pattern=SingleLine)]


class PersonalDataSessionAuth(SessionAuth):
    """Django's session, its CSRF check on writes, and the second factor required for personal data."""

    def authenticate(self, request, key):
        user = super().authenticate(request, key)
        if user is None or security.require_verified_second_factor(request) is not None:
            return None
        return user


router = Router(tags=["orientations"], auth=PersonalDataSessionAuth())


# --- schemas --------------------------------------------------------------------------------


class PersonIn(Schema):
    first_name: Name = Field(description="Prénom.")
    last_name: Name = Field(description="Nom.")


class ContactIn(Schema):
    channel: ContactChannel = Field(description="Le canal choisi par la personne : email, phone ou professional.")
    value: Annotated[str, StringConstraints(strip_whitespace=True, max_length=254, pattern=SingleLine)] = Field(
        "", description="Courriel ou téléphone, selon le canal ; vide pour « professional »."
    )


class ConsentIn(Schema):
    person_informed_and_agrees: bool = Field(
        description="Le professionnel confirme que la personne est informée et d’accord."
    )
    wording_version: str = Field(
        description="Version du texte de consentement présenté (actuelle : voir la description)."
    )


class ReferralIn(Schema):
    service_id: Annotated[str, StringConstraints(max_length=200, pattern=SingleLine)] = Field(
        description="Service visé."
    )
    organisation_id: Annotated[str, StringConstraints(max_length=200, pattern=SingleLine)] | None = Field(
        None, description="Structure au titre de laquelle on oriente (obligatoire si l’on est membre de plusieurs)."
    )
    person: PersonIn
    contact: ContactIn
    availability: Annotated[str, StringConstraints(strip_whitespace=True, max_length=200, pattern=MultiLine)] = ""
    situation: Situation
    reason: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=500, pattern=MultiLine)
    ] = Field(description="Motif court, sans aucune information de santé.")
    no_health_details: bool = Field(
        False, description="À mettre à true pour confirmer un motif signalé comme contenant un mot de santé."
    )
    consent: ConsentIn


class AnswerIn(Schema):
    decision: Literal["accept", "refuse"]
    refusal_reason: RefusalReason | None = None
    share_reason_with_person: bool = False


class OutcomeIn(Schema):
    outcome: Outcome


class TransitionOut(Schema):
    at: dt.datetime
    from_status: str
    to_status: str
    by: str
    reason: str


class ReferralOut(Schema):
    id: uuid.UUID
    status: str = Field(description="draft, sent, accepted, refused, expired, closed ou cancelled.")
    service_id: str | None
    service: str | None
    receiving_structure_id: str | None
    sending_structure_id: str | None
    created_at: dt.datetime
    sent_at: dt.datetime | None
    answer_due_at: dt.datetime | None
    answered_at: dt.datetime | None
    refusal_reason: str | None
    share_reason_with_person: bool
    outcome: str | None
    anonymised: bool = Field(
        description="Vrai quand les données de la personne ont été effacées (durée de conservation)."
    )
    first_name: str | None
    last_name: str | None
    contact_channel: str | None
    contact_value: str | None
    availability: str | None
    situation: str | None
    reason: str | None
    has_attachment: bool
    transitions: list[TransitionOut] | None = None


class ReferralPageOut(Schema):
    total: int
    page: int
    size: int
    pages: int
    items: list[ReferralOut]


class StatusCountsOut(Schema):
    sent: int = Field(description="En attente de réponse.")
    accepted: int
    refused: int
    expired: int
    closed: int = Field(description="Acceptées puis clôturées avec une issue.")
    cancelled: int
    total: int
    refusal_rate: float | None = Field(description="Refusées / (acceptées + clôturées + refusées) ; null sans réponse.")


class ServiceFiguresOut(StatusCountsOut):
    service_id: str | None = Field(description="null pour un service supprimé depuis.")
    service: str
    structure: str


class TerritoryFiguresOut(StatusCountsOut):
    territory: str
    slug: str


class CountOut(Schema):
    value: str = Field(description="La valeur de la liste (statut, motif, issue ou situation).")
    label: str
    count: int


class ResponseDelayOut(Schema):
    answered: int = Field(description="Orientations ayant reçu une réponse (acceptée ou refusée).")
    median_days: float | None
    p90_days: float | None
    mean_days: float | None


class StatisticsOut(Schema):
    """Anonymous figures: no name, contact, free text or attachment ever appears here."""

    since: dt.date | None
    until: dt.date | None
    territory: str | None = Field(description="Identifiant court du territoire demandé, ou null.")
    totals: StatusCountsOut
    by_status: list[CountOut]
    by_service: list[ServiceFiguresOut]
    by_territory: list[TerritoryFiguresOut]
    refusal_reasons: list[CountOut]
    outcomes: list[CountOut]
    situations: list[CountOut]
    response_delay: ResponseDelayOut


# --- helpers --------------------------------------------------------------------------------


def _out(referral: Referral, with_transitions: bool = False) -> dict:
    def personal(value):
        return None if referral.is_anonymised else (value or None)

    data = {
        "id": referral.pk,
        "status": referral.status,
        "service_id": referral.service_id,
        "service": referral.service.nom if referral.service else None,
        "receiving_structure_id": referral.structure_id,
        "sending_structure_id": referral.sender_structure_id,
        "created_at": referral.created_at,
        "sent_at": referral.sent_at,
        "answer_due_at": referral.answer_due_at,
        "answered_at": referral.answered_at,
        "refusal_reason": referral.refusal_reason or None,
        "share_reason_with_person": referral.share_reason_with_person,
        "outcome": referral.outcome or None,
        "anonymised": referral.is_anonymised,
        "first_name": personal(referral.first_name),
        "last_name": personal(referral.last_name),
        "contact_channel": personal(referral.contact_channel),
        "contact_value": personal(referral.contact_value),
        "availability": personal(referral.availability),
        "situation": referral.situation or None,
        "reason": personal(referral.reason),
        "has_attachment": bool(referral.attachment),
    }
    if with_transitions:
        data["transitions"] = [
            {
                "at": t.at,
                "from_status": t.from_status,
                "to_status": t.to_status,
                "by": t.actor_label,
                "reason": t.reason,
            }
            for t in referral.transitions.select_related("actor")
        ]
    return data


def _visible(request, id) -> Referral | None:  # noqa: A002
    queryset = Referral.objects.visible_to(request.user, roles.access(request.user))
    return queryset.select_related("service", "structure").filter(pk=id).first()


UNAUTHORIZED = {401: ErrorOut}  # no session, or its second factor not verified (docs/api.md)
UNREADABLE = {400: ErrorOut}  # a body that is not JSON at all
NOT_FOUND = {401: ErrorOut, 404: ErrorOut, 422: ValidationErrorOut}  # 422: an id that is not a UUID


def _not_found():
    return Status(404, {"detail": _("Aucune orientation visible avec cet identifiant.")})


def _conflict(error):
    return Status(409, {"detail": str(error) + " " + _("Rien n’a été modifié.")})


def _error(status: int, message: str, param: str = "body"):
    return Status(status, {"detail": [{"type": "value_error", "loc": ["body", param], "msg": message, "param": param}]})


STATUS_FILTER = Query(None, description="Filtrer par statut.")
SINCE = Query(None, description="Orientations envoyées à partir de ce jour (AAAA-MM-JJ).")
UNTIL = Query(None, description="… jusqu’à ce jour inclus.")

# --- endpoints ------------------------------------------------------------------------------


@router.get(
    "",
    response={200: ReferralPageOut, **UNAUTHORIZED, 422: ValidationErrorOut},
    summary="Lister mes orientations",
    operation_id="list_referrals",
)
def list_referrals(
    request,
    box: Literal["sent", "received"] = Query(
        "received", description="received : reçues par mes structures ; sent : envoyées par moi ou ma structure."
    ),
    status: RStatus | None = STATUS_FILTER,
    page: int = Query(1, ge=1, le=MAX_PAGE),
):
    """Les orientations que l’on a besoin de connaître, 50 par page, les plus récentes d’abord."""
    ids = roles.access(request.user)
    if box == "sent":
        queryset = Referral.objects.sent_by_side(request.user, ids).order_by("-created_at", "pk")
    else:
        queryset = Referral.objects.received_by(ids).order_by("-sent_at", "pk")
    if status:
        queryset = queryset.filter(status=status)
    total = queryset.count()
    items = list(queryset.select_related("service")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    audit.record(items, audit.Action.LIST, audit.Channel.API, user=request.user, detail=box)
    return {
        "total": total,
        "page": page,
        "size": len(items),
        "pages": math.ceil(total / PAGE_SIZE),
        "items": [_out(r) for r in items],
    }


IDEMPOTENCY_NAMESPACE = uuid.UUID("5b0f7c1e-2f4c-4a8e-9d6a-7d3f2f1c9e01")
IdempotencyKey = Annotated[str, StringConstraints(min_length=1, max_length=255, pattern=r"^[\x21-\x7e]+$")]
IDEMPOTENCY_HEADER = Header(
    ...,
    alias="Idempotency-Key",
    description="Clé choisie par le client, unique pour chaque orientation (1 à 255 caractères ASCII visibles).",
)


def _submission(request, key: str, payload: "ReferralIn") -> tuple[uuid.UUID, str]:
    """The stored key (this account's own: another account's same key is another key) and the body's digest."""
    stored = uuid.uuid5(IDEMPOTENCY_NAMESPACE, f"api:{request.user.pk}:{key}")
    body = json.dumps(payload.dict(), sort_keys=True, ensure_ascii=False, default=str)
    return stored, hashlib.sha256(body.encode()).hexdigest()


def _replay(request, response: HttpResponse, referral: Referral, digest: str):
    if referral.submission_digest != digest:
        return _error(
            422,
            _(
                "En-tête « Idempotency-Key » : cette clé a déjà servi pour une autre demande. Utilisez une nouvelle clé."
            ),
            "Idempotency-Key",
        )
    response["Idempotent-Replayed"] = "true"
    referral = Referral.objects.select_related("service", "structure").get(pk=referral.pk)
    # A replay answers with the person's data again: a read like any other, logged.
    audit.record([referral], audit.Action.VIEW, audit.Channel.API, user=request.user, detail="replay")
    return Status(201, _out(referral, with_transitions=True))


@router.post(
    "",
    response={
        201: ReferralOut,
        **UNREADABLE,
        **UNAUTHORIZED,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="Envoyer une orientation",
    operation_id="create_referral",
    description=(
        "Crée et envoie l’orientation d’une personne vers un service, avec son accord. Texte de consentement actuel : "
        f"version « {consent.CURRENT} ». L’en-tête Idempotency-Key (une clé unique par orientation, par exemple un "
        "UUID) rend la demande rejouable sans risque : la même clé avec le même contenu renvoie l’orientation déjà "
        "créée (en-tête de réponse Idempotent-Replayed: true), la même clé avec un autre contenu est refusée (422)."
    ),
)
def create_referral(
    request,
    response: HttpResponse,
    payload: ReferralIn,
    idempotency_key: IdempotencyKey = IDEMPOTENCY_HEADER,
):
    key, digest = _submission(request, idempotency_key, payload)
    existing = Referral.objects.filter(submission_key=key).first()
    if existing is not None:
        return _replay(request, response, existing, digest)
    service = referable_services().select_related("structure").filter(pk=payload.service_id).first()
    if service is None:
        return Status(404, {"detail": _("Aucun service n’accepte d’orientation avec cet identifiant.")})
    organisations = Structure.objects.filter(pk__in=roles.structure_ids(request.user))
    if payload.organisation_id:
        organisation = organisations.filter(pk=payload.organisation_id).first()
    else:
        organisation = organisations.first() if organisations.count() == 1 else None
    if organisation is None:
        return Status(403, {"detail": _("Indiquez organisation_id : une structure dont vous êtes membre actif.")})
    if not payload.consent.person_informed_and_agrees:
        return _error(
            422,
            _("Paramètre « consent.person_informed_and_agrees » : l’accord de la personne est requis."),
            "consent.person_informed_and_agrees",
        )
    if payload.consent.wording_version not in consent.WORDINGS:
        return _error(
            422,
            _("Paramètre « consent.wording_version » : version inconnue (actuelle : %(v)s).") % {"v": consent.CURRENT},
            "consent.wording_version",
        )
    try:
        value = contact.clean(payload.contact.channel, payload.contact.value)  # the form's rules
    except ValidationError as error:
        return _error(
            422, _("Paramètre « contact.value » : %(msg)s") % {"msg": " ".join(error.messages)}, "contact.value"
        )
    words = privacy.health_words(payload.reason, payload.availability)
    if words and not payload.no_health_details:
        return _error(
            422,
            _(
                "Paramètre « reason » : ce texte semble contenir une information de santé (« %(words)s »). Retirez-la, ou confirmez avec no_health_details."
            )
            % {"words": "», « ".join(words)},
            "reason",
        )
    person = {
        "first_name": payload.person.first_name,
        "last_name": payload.person.last_name,
        "contact_channel": payload.contact.channel,
        "contact_value": value,
        "availability": payload.availability,
        "situation": payload.situation,
        "reason": payload.reason,
    }
    try:
        with transaction.atomic():
            referral = actions.save_draft(
                sender=request.user,
                sender_structure=organisation,
                service=service,
                person=person,
                key=key,
                digest=digest,
                replay_error=True,
                channel=audit.Channel.API,
            )
            actions.send(
                referral, actor=request.user, consent_version=payload.consent.wording_version, channel=audit.Channel.API
            )
    except actions.ReplayedSubmission as replayed:  # the same key arrived twice at once: the other request won
        return _replay(request, response, replayed.referral, digest)
    except actions.ReferralError as error:
        return _conflict(error)
    return Status(201, _out(referral, with_transitions=True))


@router.get(
    "/statistics",
    response={200: StatisticsOut, **UNAUTHORIZED, 403: ErrorOut, 422: ValidationErrorOut},
    summary="Statistiques anonymes (pilotage)",
    operation_id="referral_statistics",
)
def referral_statistics(
    request,
    since: dt.date | None = SINCE,
    until: dt.date | None = UNTIL,
    territory: str | None = Query(None, max_length=150, description="Identifiant court d’un territoire."),
):
    """Par service, territoire, statut, motif de refus, issue et situation, et délai de réponse : aucune identité."""
    from relais.territories.models import Territory

    if not roles.is_steering(request.user):
        return Status(403, {"detail": _("Réservé à l’équipe de pilotage.")})
    found = None
    if territory:
        found = Territory.objects.filter(slug=territory).first()
        if found is None:
            return Status(
                422,
                {
                    "detail": [
                        {
                            "type": "unknown_territory",
                            "loc": ["query", "territory"],
                            "msg": _("Paramètre « territory » : aucun territoire « %(t)s ».") % {"t": territory[:60]},
                            "param": "territory",
                        }
                    ]
                },
            )
    return stats.referral_statistics(since, until, found)


@router.get(
    "/{id}",
    response={200: ReferralOut, **NOT_FOUND},
    summary="Détailler une orientation",
    operation_id="retrieve_referral",
)
def retrieve_referral(request, id: uuid.UUID):  # noqa: A002
    referral = _visible(request, id)
    if referral is None:
        return _not_found()
    audit.record([referral], audit.Action.VIEW, audit.Channel.API, user=request.user)
    return _out(referral, with_transitions=True)


def _receiver_step(request, id, step):  # noqa: A002
    referral = _visible(request, id)
    if referral is None:
        return _not_found()
    if Party.RECEIVER not in roles.parties(request.user, referral):
        return Status(403, {"detail": _("Seule la structure qui reçoit l’orientation peut y répondre.")})
    try:
        step(referral)
    except actions.ReferralError as error:
        return _conflict(error)
    return _out(referral, with_transitions=True)


STEP_ERRORS = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 422: ValidationErrorOut}
BODY_STEP_ERRORS = {**STEP_ERRORS, **UNREADABLE}


@router.post(
    "/{id}/answer",
    response={200: ReferralOut, **BODY_STEP_ERRORS},
    summary="Répondre à une orientation (structure qui reçoit)",
    operation_id="answer_referral",
)
def answer_referral(request, id: uuid.UUID, payload: AnswerIn):  # noqa: A002
    if payload.decision == "refuse" and payload.refusal_reason is None:
        return _error(422, _("Paramètre « refusal_reason » : obligatoire en cas de refus."), "refusal_reason")

    def step(referral):
        if payload.decision == "accept":
            actions.accept(referral, actor=request.user, channel=audit.Channel.API)
        else:
            actions.refuse(
                referral,
                reason=payload.refusal_reason,
                share=payload.share_reason_with_person,
                actor=request.user,
                channel=audit.Channel.API,
            )

    return _receiver_step(request, id, step)


@router.post(
    "/{id}/outcome",
    response={200: ReferralOut, **BODY_STEP_ERRORS},
    summary="Enregistrer l’issue d’une orientation acceptée",
    operation_id="record_referral_outcome",
)
def record_outcome(request, id: uuid.UUID, payload: OutcomeIn):  # noqa: A002
    referral = _visible(request, id)
    if referral is None:
        return _not_found()
    sides = roles.parties(request.user, referral)
    if not sides:
        return Status(403, {"detail": _("Vous ne suivez pas cette orientation.")})
    party = Party.RECEIVER if Party.RECEIVER in sides else Party.SENDER
    try:
        actions.record_outcome(
            referral, outcome=payload.outcome, party=party, actor=request.user, channel=audit.Channel.API
        )
    except actions.ReferralError as error:
        return _conflict(error)
    return _out(referral, with_transitions=True)


@router.post(
    "/{id}/cancel",
    response={200: ReferralOut, **STEP_ERRORS},
    summary="Annuler une orientation (professionnel qui oriente)",
    operation_id="cancel_referral",
)
def cancel_referral(request, id: uuid.UUID):  # noqa: A002
    referral = _visible(request, id)
    if referral is None:
        return _not_found()
    if Party.SENDER not in roles.parties(request.user, referral):
        return Status(403, {"detail": _("Seul le professionnel qui oriente (ou sa structure) peut annuler.")})
    try:
        actions.cancel(referral, actor=request.user, channel=audit.Channel.API)
    except actions.ReferralError as error:
        return _conflict(error)
    return _out(referral, with_transitions=True)
