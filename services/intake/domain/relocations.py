"""Relocation (flytting): the municipality a child lives in proposes that another take it
over; the receiving one accepts or declines, the sending one may cancel."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from havn.errors import Conflict, Forbidden, InvalidInput
from havn.text import optional_text, required_text
from havn.vocabulary import CareArrangement, RelocationStatus
from services.intake.models import Child, Relocation


def propose_relocation(
    child: Child, *, to_tenant: str, note: str | None, by: str, now: datetime
) -> Relocation:
    """The sending municipality asks another to take over a settled child."""
    if to_tenant == child.tenant_id:
        raise InvalidInput(
            f"the child already lives in {to_tenant}; choose another municipality",
            field="to_municipality",
        )
    return Relocation(
        id=uuid.uuid4(),
        tenant_id=child.tenant_id,
        to_tenant=to_tenant,
        child_id=child.id,
        status=RelocationStatus.PROPOSED.value,
        note=optional_text(note),
        child_first_name=child.first_name,
        child_date_of_birth=child.date_of_birth,
        child_languages=list(child.languages),
        proposed_by=by,
        proposed_at=now,
    )


def _require_proposed(relocation: Relocation, action: str) -> None:
    if relocation.status != RelocationStatus.PROPOSED:
        raise Conflict(
            f"the relocation is {relocation.status}; only a PROPOSED relocation can be {action}"
        )


def _require_receiver(relocation: Relocation, tenant: str, action: str) -> None:
    if relocation.to_tenant != tenant:
        raise Forbidden(f"only the receiving municipality ({relocation.to_tenant}) can {action}")


def check_relocation_decision(relocation: Relocation, *, tenant: str, action: str) -> None:
    """Only the receiving municipality decides, and only on a proposal still open."""
    _require_receiver(relocation, tenant, f"{action} a relocation")
    _require_proposed(relocation, f"{action}ed")


def accept_relocation(
    relocation: Relocation,
    *,
    tenant: str,
    care_arrangement: CareArrangement,
    relocated_on: date,
    settled_on: date,
    by: str,
    today: date,
    now: datetime,
) -> None:
    """The receiving municipality takes the child over from `relocated_on`."""
    check_relocation_decision(relocation, tenant=tenant, action="accept")
    if relocated_on > today:
        raise InvalidInput("the relocation date is in the future", field="relocated_on")
    if relocated_on < settled_on:
        raise InvalidInput(
            "the relocation date is before the child was settled", field="relocated_on"
        )
    relocation.status = RelocationStatus.ACCEPTED.value
    relocation.care_arrangement = care_arrangement.value
    relocation.relocated_on = relocated_on
    relocation.decided_by, relocation.decided_at = by, now


def decline_relocation(
    relocation: Relocation, *, tenant: str, reason: str, by: str, now: datetime
) -> None:
    check_relocation_decision(relocation, tenant=tenant, action="decline")
    reason = required_text(
        reason, field="reason", message="a reason to decline the relocation is required"
    )
    relocation.status = RelocationStatus.DECLINED.value
    relocation.decline_reason = reason
    relocation.decided_by, relocation.decided_at = by, now


def cancel_relocation(relocation: Relocation, *, tenant: str, by: str, now: datetime) -> None:
    """The sending municipality takes back its proposal before it is answered."""
    if relocation.tenant_id != tenant:
        raise Forbidden("only the sending municipality can cancel a relocation")
    _require_proposed(relocation, "cancelled")
    relocation.status = RelocationStatus.CANCELLED.value
    relocation.decided_by, relocation.decided_at = by, now
