"""The referral lifecycle, declared as data: which step is allowed, for whom, and what it needs.

    draft ──► sent ──► accepted ──► closed (with an outcome)
      │         ├────► refused (with a reason from a list)
      │         ├────► expired (no answer before the deadline)
      └─────────┴────► cancelled (by the sending side; drafts also by the platform when abandoned)

Anything else is an illegal transition, rejected by `relais.referrals.actions.transition`.
"""

from dataclasses import dataclass

from relais.referrals.models import Party, Status


@dataclass(frozen=True)
class Step:
    parties: frozenset
    needs: str = ""  # the field that must be given: "refusal_reason", "outcome" or "consent"


TRANSITIONS: dict[tuple[str, str], Step] = {
    (Status.DRAFT, Status.SENT): Step(frozenset({Party.SENDER}), needs="consent"),
    (Status.DRAFT, Status.CANCELLED): Step(frozenset({Party.SENDER, Party.SYSTEM})),
    (Status.SENT, Status.ACCEPTED): Step(frozenset({Party.RECEIVER})),
    (Status.SENT, Status.REFUSED): Step(frozenset({Party.RECEIVER}), needs="refusal_reason"),
    (Status.SENT, Status.EXPIRED): Step(frozenset({Party.SYSTEM})),
    (Status.SENT, Status.CANCELLED): Step(frozenset({Party.SENDER})),
    (Status.ACCEPTED, Status.CLOSED): Step(frozenset({Party.RECEIVER, Party.SENDER}), needs="outcome"),
}

# After these, the person's data only wait for their erasure date.
ENDED = frozenset({Status.REFUSED, Status.EXPIRED, Status.CLOSED, Status.CANCELLED})
# The receiving structure has answered (the response delay counts up to here).
ANSWERED = frozenset({Status.ACCEPTED, Status.REFUSED})


def step(from_status: str, to_status: str) -> Step | None:
    return TRANSITIONS.get((from_status, to_status))


def allowed_targets(from_status: str, party: str) -> set[str]:
    return {to for (frm, to), s in TRANSITIONS.items() if frm == from_status and party in s.parties}
