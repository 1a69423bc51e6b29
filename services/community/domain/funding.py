"""Funding applications to foundations, and the foundations' decisions."""

from __future__ import annotations

import uuid
from datetime import date

from havn.errors import Conflict, InvalidInput
from services.community.domain.kinds import FundingStatus, parse_kind
from services.community.domain.text import check_text
from services.community.models import FundingApplication


def apply_for_funding(
    *, tenant_id: str, foundation: str, purpose: str, amount_nok: int, applied_on: date, today: date
) -> FundingApplication:
    if amount_nok <= 0:
        raise InvalidInput("the amount must be a positive number of kroner", field="amount_nok")
    if applied_on > today:
        raise InvalidInput("the application date is in the future", field="applied_on")
    return FundingApplication(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        foundation=check_text(foundation, field="foundation"),
        purpose=check_text(purpose, field="purpose", max_length=2000),
        amount_nok=amount_nok,
        status=FundingStatus.APPLIED.value,
        applied_on=applied_on,
        decision_on=None,
        granted_nok=None,
    )


def decide_funding(
    application: FundingApplication,
    *,
    status: str,
    decision_on: date,
    granted_nok: int | None,
    today: date,
) -> None:
    """Records the foundation's answer: granted (in full unless a sum is given) or rejected."""
    decided = parse_kind(FundingStatus, status, field="status")
    if decided == FundingStatus.APPLIED:
        raise InvalidInput("a decision is GRANTED or REJECTED", field="status")
    if application.status != FundingStatus.APPLIED:
        raise Conflict(f"the application was already {application.status}")
    if decision_on > today or decision_on < application.applied_on:
        raise InvalidInput(
            "the decision date must be between the application date and today",
            field="decision_on",
        )
    if decided == FundingStatus.GRANTED:
        granted = application.amount_nok if granted_nok is None else granted_nok
        if not 0 < granted <= application.amount_nok:
            raise InvalidInput(
                "the granted sum must be positive and at most the amount applied for",
                field="granted_nok",
            )
        application.granted_nok = granted
    elif granted_nok is not None:
        raise InvalidInput("a rejected application has no granted sum", field="granted_nok")
    application.status = decided.value
    application.decision_on = decision_on
