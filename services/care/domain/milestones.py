"""The end of care: at 18 unless aftercare is accepted, when aftercare is declined, at 25."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from havn.events.contracts.transition import AftercareDecidedV1, MilestoneReachedV1
from havn.vocabulary import CarePlanStatus
from services.care.models import CarePlan


class ClosedReason(StrEnum):
    TURNED_18 = "turned 18 without aftercare"
    AFTERCARE_DECLINED = "aftercare declined"
    AFTERCARE_ENDED = "aftercare ended"


# The milestones transition publishes that end care; others (17, 20, outcomes) leave it be.
AGE_18 = "AGE_18"
AGE_25 = "AGE_25"
PLAN_MILESTONES = frozenset({AGE_18, AGE_25})
ACCEPTED = "ACCEPTED"
DECLINED = "DECLINED"
# Accepted aftercare reopens a plan closed for want of it; nothing reopens one whose
# aftercare has run out.
REOPENABLE = frozenset({ClosedReason.TURNED_18, ClosedReason.AFTERCARE_DECLINED})


def close_care_plan(plan: CarePlan, *, on: date, reason: ClosedReason) -> bool:
    """Closes the plan, keeping the status it had; a plan already closed stays as it is."""
    if plan.status == CarePlanStatus.CLOSED:
        return False
    plan.status_before_close = plan.status
    plan.status = CarePlanStatus.CLOSED
    plan.closed_on = on
    plan.closed_reason = reason
    return True


def reopen_care_plan(plan: CarePlan) -> bool:
    """Reopens a plan closed for want of aftercare, with the status it had when it closed.

    Nothing changed while it was closed, so an APPROVED plan is still the approved version;
    a plan closed before the status was kept reopens as a DRAFT.
    """
    if plan.status != CarePlanStatus.CLOSED or plan.closed_reason not in REOPENABLE:
        return False
    plan.status = plan.status_before_close or CarePlanStatus.DRAFT
    plan.status_before_close = None
    plan.closed_on = None
    plan.closed_reason = None
    return True


def follow_milestone(plan: CarePlan, *, reached: MilestoneReachedV1) -> bool:
    """At 18 the plan closes unless aftercare is accepted; at 25 it closes whatever the
    aftercare. Returns whether the plan changed (a closed plan stays as it is)."""
    if reached.milestone == AGE_18:
        if reached.aftercare_accepted or plan.aftercare_status == ACCEPTED:
            return False
        return close_care_plan(plan, on=reached.due_on, reason=ClosedReason.TURNED_18)
    if reached.milestone == AGE_25:
        return close_care_plan(plan, on=reached.due_on, reason=ClosedReason.AFTERCARE_ENDED)
    return False


def follow_aftercare_decision(plan: CarePlan, *, decided: AftercareDecidedV1) -> bool:
    """Keeps the latest aftercare decision: accepted aftercare reopens a plan closed for want
    of it, a decline closes an open one (decisions are made at 18 or later). Returns whether
    the decision was kept: one older than the kept decision is not; one made when aftercare
    has ended is kept but neither opens nor closes the plan."""
    if plan.aftercare_decided_on is not None and decided.decided_on < plan.aftercare_decided_on:
        return False
    plan.aftercare_status = decided.status
    plan.aftercare_decided_on = decided.decided_on
    if decided.decided_on >= decided.aftercare_ends_on:
        return True
    if decided.status == ACCEPTED:
        reopen_care_plan(plan)
    elif decided.status == DECLINED:
        close_care_plan(plan, on=decided.decided_on, reason=ClosedReason.AFTERCARE_DECLINED)
    return True
