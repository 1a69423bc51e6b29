"""Aftercare (ettervern): offered from 18, accepted or declined; a decline renewed within a year."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from havn.errors import InvalidInput
from havn.vocabulary import AftercareStatus, TransitionMilestone
from services.transition.domain.timeline import ADULT_AGE, add_years, aftercare_ends_on, birthday
from services.transition.models import AftercareDecision, Milestone, Transition

# A declined offer must be renewed within a year.
RENEWED_OFFER_WITHIN_YEARS = 1


def aftercare_due_on(*, date_of_birth: date, decisions: Sequence[AftercareDecision]) -> date | None:
    """When an aftercare decision is (next) due: at 18, then at each declined offer's renewal.

    An accepted offer needs no further decision; a new offer keeps the date it answers.
    """
    due: date | None = birthday(date_of_birth=date_of_birth, age=ADULT_AGE)
    for decision in decisions:
        if decision.status == AftercareStatus.ACCEPTED:
            due = None
        elif decision.status == AftercareStatus.DECLINED:
            due = decision.next_offer_on
    return due


def decide_aftercare(
    transition: Transition,
    *,
    status: AftercareStatus,
    decided_on: date,
    next_offer_on: date | None,
    recorded_by: str,
    now: datetime,
    today: date,
) -> AftercareDecision:
    """Records an aftercare decision; a declined offer is to be renewed within a year.

    No decision before the 18th birthday, none in the future, none after aftercare ended,
    none dated before the previous one. A decline gets a renewal date (a year on, or earlier
    if given) unless aftercare ends before then; any decision answers a pending renewal.
    """
    born = transition.child.date_of_birth
    decisions = transition.decisions
    adult_on = birthday(date_of_birth=born, age=ADULT_AGE)
    ends_on = aftercare_ends_on(date_of_birth=born)
    if decided_on < adult_on:
        raise InvalidInput(
            f"an aftercare decision can only be made from the 18th birthday "
            f"({adult_on.isoformat()})",
            field="decided_on",
        )
    if decided_on > today:
        raise InvalidInput("the decision date is in the future", field="decided_on")
    if decided_on >= ends_on:
        raise InvalidInput(
            f"aftercare ended on the 25th birthday ({ends_on.isoformat()})", field="decided_on"
        )
    if decisions and decided_on < decisions[-1].decided_on:
        raise InvalidInput(
            f"the decision is dated before the previous one ({decisions[-1].decided_on})",
            field="decided_on",
        )
    if status != AftercareStatus.DECLINED and next_offer_on is not None:
        raise InvalidInput(
            "a next offer date belongs only to a declined offer", field="next_offer_on"
        )
    if status == AftercareStatus.DECLINED:
        latest = add_years(decided_on, RENEWED_OFFER_WITHIN_YEARS)
        if next_offer_on is None:
            next_offer_on = latest if latest < ends_on else None
        elif not decided_on < next_offer_on <= latest:
            raise InvalidInput(
                f"a renewed offer is due after the decision and within a year, "
                f"by {latest.isoformat()}",
                field="next_offer_on",
            )
        elif next_offer_on >= ends_on:
            raise InvalidInput(
                f"aftercare ends on {ends_on.isoformat()}; no offer can follow it",
                field="next_offer_on",
            )
    decision = AftercareDecision(
        id=uuid.uuid4(),
        child_id=transition.child_id,
        tenant_id=transition.tenant_id,
        status=status.value,
        decided_on=decided_on,
        next_offer_on=next_offer_on,
        recorded_by=recorded_by,
        recorded_at=now,
    )
    decisions.append(decision)
    transition.aftercare_decision = status.value
    transition.aftercare_decided_on = decided_on
    transition.aftercare_next_offer_on = next_offer_on
    transition.aftercare_due_on = aftercare_due_on(date_of_birth=born, decisions=decisions)
    _reschedule_renewal(transition, decision)
    return decision


def _reschedule_renewal(transition: Transition, decision: AftercareDecision) -> None:
    """A new decision answers a pending renewal; a decline calls for the next one."""
    renewals = [
        m
        for m in transition.milestones
        if m.milestone == TransitionMilestone.AFTERCARE_OFFER_RENEWAL
    ]
    for pending in [m for m in renewals if m.reached_on is None]:
        transition.milestones.remove(pending)
    if decision.status != AftercareStatus.DECLINED or decision.next_offer_on is None:
        return
    transition.milestones.append(
        Milestone(
            child_id=transition.child_id,
            milestone=TransitionMilestone.AFTERCARE_OFFER_RENEWAL.value,
            # Numbered past every renewal ever scheduled, so a withdrawn one's key is not reused.
            occurrence=max((m.occurrence for m in renewals), default=0) + 1,
            tenant_id=transition.tenant_id,
            due_on=decision.next_offer_on,
            reached_on=None,
            outcome_years=None,
        )
    )
