"""Intake rules: the referral's lifecycle, the preparation checklist and settling a child.

Functions here change model objects and raise typed errors; they never touch HTTP,
SQL text or the transaction (the request's unit of work commits).
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

import pycountry

from havn.errors import Conflict, InvalidInput
from services.intake.models import Child, PreparationTask, Referral


class ReferralStatus(StrEnum):
    PENDING = "PENDING"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    ARRIVED = "ARRIVED"
    WITHDRAWN = "WITHDRAWN"


class CareArrangement(StrEnum):
    GROUP_HOME = "GROUP_HOME"
    FOSTER_HOME = "FOSTER_HOME"
    SUPPORTED_LODGING = "SUPPORTED_LODGING"
    SOS_FAMILY = "SOS_FAMILY"
    OTHER = "OTHER"


class PreparationTaskKind(StrEnum):
    HOUSING = "HOUSING"
    GUARDIAN = "GUARDIAN"
    SCHOOL = "SCHOOL"
    GP = "GP"
    HEALTH_CHECK = "HEALTH_CHECK"
    INTERPRETER = "INTERPRETER"
    BANK_ACCOUNT = "BANK_ACCOUNT"


class Sex(StrEnum):
    F = "F"
    M = "M"
    X = "X"


# Days before (negative) or after planned arrival each task is due: a home and a guardian
# must be in place when the child comes; school, GP and bank follow in the first weeks.
TASK_DUE_OFFSET_DAYS: dict[PreparationTaskKind, int] = {
    PreparationTaskKind.HOUSING: -14,
    PreparationTaskKind.GUARDIAN: -7,
    PreparationTaskKind.INTERPRETER: -3,
    PreparationTaskKind.SCHOOL: 14,
    PreparationTaskKind.GP: 14,
    PreparationTaskKind.HEALTH_CHECK: 21,
    PreparationTaskKind.BANK_ACCOUNT: 30,
}

ADULT_AGE = 18
# Reception centres refer minors; a date of birth this far back is a typing error.
OLDEST_PLAUSIBLE_AGE = 18


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


def normalise_name(name: str) -> str:
    """Names in any script, stored NFC-normalised with single spaces."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def first_name_of(full_name: str) -> str:
    return full_name.split(" ", 1)[0]


def age_on(date_of_birth: date, day: date) -> int:
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def check_nationality(code: str) -> str:
    """ISO 3166-1 alpha-2, as maintained by pycountry."""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        raise InvalidInput(
            f"nationality '{code}' is not an ISO 3166-1 alpha-2 country code", field="nationality"
        )
    return str(country.alpha_2)


def check_languages(codes: list[str]) -> list[str]:
    """ISO 639-1 or 639-3 codes, as maintained by pycountry; order kept, duplicates dropped."""
    if not codes:
        raise InvalidInput("at least one language is required", field="languages")
    checked: list[str] = []
    for code in codes:
        lowered = code.lower()
        language = (
            pycountry.languages.get(alpha_2=lowered)
            if len(lowered) == 2
            else pycountry.languages.get(alpha_3=lowered)
        )
        if language is None:
            raise InvalidInput(f"language '{code}' is not an ISO 639 code", field="languages")
        if lowered not in checked:
            checked.append(lowered)
    return checked


def check_new_referral(new: NewReferral, *, today: date) -> NewReferral:
    """Validates a directorate's referral; returns it normalised."""
    full_name = normalise_name(new.full_name)
    if not full_name:
        raise InvalidInput("full name must not be empty", field="fullName")
    if new.date_of_birth > today:
        raise InvalidInput("date of birth is in the future", field="dateOfBirth")
    if age_on(new.date_of_birth, today) >= OLDEST_PLAUSIBLE_AGE:
        raise InvalidInput(
            "a referred minor must be under 18 on the day of referral", field="dateOfBirth"
        )
    try:
        sex = Sex(new.sex.upper()).value
    except ValueError:
        raise InvalidInput("sex must be F, M or X", field="sex") from None
    if new.respond_by < today:
        raise InvalidInput("respond-by date is in the past", field="respondBy")
    if new.proposed_arrival is not None and new.proposed_arrival < today:
        raise InvalidInput("proposed arrival is in the past", field="proposedArrival")
    return NewReferral(
        municipality=new.municipality,
        full_name=full_name,
        date_of_birth=new.date_of_birth,
        sex=sex,
        nationality=check_nationality(new.nationality),
        languages=check_languages(new.languages),
        needs_summary=(new.needs_summary or "").strip() or None,
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


def _require_status(referral: Referral, allowed: ReferralStatus, action: str) -> None:
    if referral.status != allowed:
        raise Conflict(
            f"the referral is {referral.status}; only a {allowed} referral can be {action}"
        )


def accept_referral(
    referral: Referral, *, planned_arrival: date, care_arrangement: CareArrangement, today: date
) -> list[PreparationTask]:
    """Accepts a pending referral and returns its new preparation checklist."""
    _require_status(referral, ReferralStatus.PENDING, "accepted")
    if planned_arrival < today:
        raise InvalidInput("planned arrival is in the past", field="plannedArrival")
    referral.status = ReferralStatus.ACCEPTED
    referral.planned_arrival = planned_arrival
    referral.care_arrangement = care_arrangement.value
    return [
        PreparationTask(
            id=uuid.uuid4(),
            tenant_id=referral.tenant_id,
            referral_id=referral.id,
            kind=kind.value,
            due_on=planned_arrival + timedelta(days=offset),
            done=False,
        )
        for kind, offset in TASK_DUE_OFFSET_DAYS.items()
    ]


def decline_referral(referral: Referral, *, reason: str) -> None:
    _require_status(referral, ReferralStatus.PENDING, "declined")
    reason = reason.strip()
    if not reason:
        raise InvalidInput("a reason is required to decline a referral", field="reason")
    referral.status = ReferralStatus.DECLINED
    referral.decline_reason = reason


def complete_task(
    referral: Referral, task: PreparationTask | None, *, by: str, now: datetime
) -> None:
    """Marks one checklist task done; only an accepted referral has a checklist to work on."""
    _require_status(referral, ReferralStatus.ACCEPTED, "prepared")
    if task is None:
        raise InvalidInput("this referral has no such preparation task", field="task")
    task.done = True
    task.done_by = by
    task.done_at = now


def register_arrival(referral: Referral, *, arrived_on: date, today: date) -> Child:
    """Settles the child: the identity record every other service follows from here."""
    _require_status(referral, ReferralStatus.ACCEPTED, "registered as arrived")
    if arrived_on > today:
        raise InvalidInput("arrival date is in the future", field="arrivedOn")
    if arrived_on < referral.date_of_birth:
        raise InvalidInput("arrival date is before the date of birth", field="arrivedOn")
    child = Child(
        id=referral.child_id,
        tenant_id=referral.tenant_id,
        referral_id=referral.id,
        first_name=first_name_of(referral.full_name),
        full_name=referral.full_name,
        date_of_birth=referral.date_of_birth,
        date_of_birth_estimated=False,
        sex=referral.sex,
        nationality=referral.nationality,
        languages=list(referral.languages),
        care_arrangement=referral.care_arrangement or CareArrangement.OTHER.value,
        settled_on=arrived_on,
    )
    referral.status = ReferralStatus.ARRIVED
    return child
