"""The referral's lifecycle: the directorate refers a minor, the municipality accepts or
declines, the directorate may withdraw while it is pending."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from havn.errors import Conflict, InvalidInput
from havn.text import optional_text, required_text
from havn.vocabulary import CareArrangement, ReferralStatus
from services.intake.domain.identity import (
    check_date_of_birth,
    check_languages,
    check_name,
    check_nationality,
    check_sex,
)
from services.intake.domain.preparation import open_checklist
from services.intake.models import PreparationTask, Referral

# The lifecycle of a referral: every move not listed here is a conflict.
REFERRAL_TRANSITIONS: dict[ReferralStatus, frozenset[ReferralStatus]] = {
    ReferralStatus.PENDING: frozenset(
        {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN}
    ),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.ARRIVED}),
    ReferralStatus.DECLINED: frozenset(),
    ReferralStatus.WITHDRAWN: frozenset(),
    ReferralStatus.ARRIVED: frozenset(),
}


@dataclass(frozen=True, kw_only=True)
class NewReferral:
    municipality: str
    full_name: str
    date_of_birth: date
    sex: str
    nationality: str
    languages: list[str]
    needs_summary: str | None
    proposed_arrival: date | None
    respond_by: date


def check_new_referral(new: NewReferral, *, today: date) -> NewReferral:
    """Validates a directorate's referral; returns it normalised."""
    full_name = check_name(new.full_name, field="full_name")
    check_date_of_birth(new.date_of_birth, minor_on=today, today=today)
    sex = check_sex(new.sex)
    if new.respond_by < today:
        raise InvalidInput("respond-by date is in the past", field="respond_by")
    if new.proposed_arrival is not None and new.proposed_arrival < today:
        raise InvalidInput("proposed arrival is in the past", field="proposed_arrival")
    return NewReferral(
        municipality=new.municipality,
        full_name=full_name,
        date_of_birth=new.date_of_birth,
        sex=sex,
        nationality=check_nationality(new.nationality),
        languages=check_languages(new.languages),
        needs_summary=optional_text(new.needs_summary),
        proposed_arrival=new.proposed_arrival,
        respond_by=new.respond_by,
    )


def open_referral(new: NewReferral, *, created_by: str) -> Referral:
    """A new pending referral for one municipality."""
    return Referral(
        id=uuid.uuid4(),
        tenant_id=new.municipality,
        status=ReferralStatus.PENDING,
        created_by=created_by,
        full_name=new.full_name,
        date_of_birth=new.date_of_birth,
        sex=new.sex,
        nationality=new.nationality,
        languages=new.languages,
        needs_summary=new.needs_summary,
        proposed_arrival=new.proposed_arrival,
        respond_by=new.respond_by,
        # Reserved now so that every read of the minor's data, before and after arrival,
        # lands in one access log.
        child_id=uuid.uuid4(),
        tasks=[],
    )


def is_overdue(referral: Referral, *, today: date) -> bool:
    """A pending referral nobody answered by its respond-by date."""
    return referral.status == ReferralStatus.PENDING and referral.respond_by < today


def require_transition(referral: Referral, to: ReferralStatus, action: str) -> None:
    """Refuses a move the lifecycle does not allow, naming the state the referral is in."""
    current = ReferralStatus(referral.status)
    if to not in REFERRAL_TRANSITIONS[current]:
        allowed = [s.value for s, targets in REFERRAL_TRANSITIONS.items() if to in targets]
        raise Conflict(
            f"the referral is {current}; only a {' or '.join(allowed)} referral can be {action}"
        )


def accept_referral(
    referral: Referral, *, planned_arrival: date, care_arrangement: CareArrangement, today: date
) -> list[PreparationTask]:
    """Accepts a pending referral and returns its new preparation checklist."""
    require_transition(referral, ReferralStatus.ACCEPTED, "accepted")
    if planned_arrival < today:
        raise InvalidInput("planned arrival is in the past", field="planned_arrival")
    referral.status = ReferralStatus.ACCEPTED
    referral.planned_arrival = planned_arrival
    referral.care_arrangement = care_arrangement.value
    return open_checklist(referral, planned_arrival=planned_arrival)


def decline_referral(referral: Referral, *, reason: str) -> None:
    require_transition(referral, ReferralStatus.DECLINED, "declined")
    reason = required_text(
        reason, field="reason", message="a reason to decline the referral is required"
    )
    referral.status = ReferralStatus.DECLINED
    referral.decline_reason = reason


def withdraw_referral(referral: Referral, *, reason: str) -> None:
    """The allocator takes back a referral the municipality has not answered yet."""
    require_transition(referral, ReferralStatus.WITHDRAWN, "withdrawn")
    reason = required_text(
        reason, field="reason", message="a reason to withdraw the referral is required"
    )
    referral.status = ReferralStatus.WITHDRAWN
    referral.withdraw_reason = reason
