"""Intake rules: capacity, the referral's lifecycle, the preparation checklist, settling a
child, its profile and its relocation to another municipality.

Functions here change model objects and raise typed errors; they never touch HTTP,
SQL text or the transaction (the request's unit of work commits).
"""

from __future__ import annotations

import unicodedata
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum

import pycountry

from havn.errors import Conflict, Forbidden, InvalidInput
from havn.languages import (
    language_for_interpreter,
    needs_interpreter,
    normalise_language,
    normalise_languages,
)
from services.intake.models import (
    BreakGlassAccess,
    CarePlaces,
    Child,
    PreparationTask,
    Referral,
    Relocation,
)


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


class RelocationStatus(StrEnum):
    PROPOSED = "PROPOSED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    CANCELLED = "CANCELLED"


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
# A checklist exists from acceptance; tasks due after arrival (school, GP, bank) are worked
# on after the child has come.
CHECKLIST_STATUSES = frozenset({ReferralStatus.ACCEPTED, ReferralStatus.ARRIVED})


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
# A settlement decision is made for this year or the next few, and kept for last year's record.
DECISION_YEARS_BACK, DECISION_YEARS_AHEAD = 1, 5
MAX_TEXT = 4000
# Letters with no Unicode decomposition that a Norwegian keyboard user types without.
_FOLD_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "œ": "oe"}
)


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


def fold_for_search(name: str) -> str:
    """A name as search compares it: case and accents ignored, any script kept.

    "Åsa Ødegård" and "asa odegard" fold alike; Arabic or Tigrinya letters stay themselves.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(unicodedata.normalize("NFC", bare).translate(_FOLD_LETTERS).split())


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
    """At least one language, each in its one ISO 639 form; order kept, duplicates dropped."""
    if not codes:
        raise InvalidInput("at least one language is required", field="languages")
    return normalise_languages(codes)


def check_name(name: str, *, field: str) -> str:
    normalised = normalise_name(name)
    if not normalised:
        raise InvalidInput(f"{field} must not be empty", field=field)
    return normalised


def check_sex(sex: str) -> str:
    try:
        return Sex(sex.strip().upper()).value
    except ValueError:
        raise InvalidInput("sex must be F, M or X", field="sex") from None


def eighteenth_birthday(date_of_birth: date) -> date:
    """The day a minor comes of age; guardianship (vergemål) ends on it."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + ADULT_AGE)
    except ValueError:  # born on 29 February
        return date(date_of_birth.year + ADULT_AGE, 3, 1)


def check_date_of_birth(date_of_birth: date, *, minor_on: date, today: date) -> None:
    """A date of birth in the past, of someone under 18 on the day that matters."""
    if date_of_birth > today:
        raise InvalidInput("date of birth is in the future", field="dateOfBirth")
    if date_of_birth > minor_on:
        raise InvalidInput(
            f"date of birth is after {minor_on.isoformat()}, when the child was settled",
            field="dateOfBirth",
        )
    if age_on(date_of_birth, minor_on) >= OLDEST_PLAUSIBLE_AGE:
        raise InvalidInput(
            f"a minor must be under 18 on {minor_on.isoformat()}; "
            f"this date of birth makes them {age_on(date_of_birth, minor_on)}",
            field="dateOfBirth",
        )


# --- capacity -------------------------------------------------------------------------------


def check_settlement_decision(*, year: int, minors: int, today: date) -> None:
    """A yearly decision: a sensible year and a count that is not negative."""
    if not today.year - DECISION_YEARS_BACK <= year <= today.year + DECISION_YEARS_AHEAD:
        raise InvalidInput(
            f"year must be between {today.year - DECISION_YEARS_BACK} "
            f"and {today.year + DECISION_YEARS_AHEAD}",
            field="year",
        )
    if minors < 0:
        raise InvalidInput("the number of minors to settle cannot be below zero", field="minors")


def check_care_places(*, places: int, free: int) -> None:
    if places < 0:
        raise InvalidInput("the number of care places cannot be below zero", field="places")
    if free < 0:
        raise InvalidInput("the number of free care places cannot be below zero", field="free")
    if free > places:
        raise InvalidInput(
            f"free places ({free}) cannot exceed the care places ({places})", field="free"
        )


def reserve_care_place(places: CarePlaces | None, arrangement: CareArrangement) -> bool:
    """Takes one free place of the arrangement; returns whether one was reserved.

    A municipality that records no places of a type is not held to a count for it (it
    keeps its capacity outside Havn); once it records them, a free place is required.
    """
    if places is None:
        return False
    if places.free < 1:
        raise InvalidInput(
            f"there is no free {arrangement.value} care place: record a freed place under "
            "capacity, or choose another care arrangement",
            field="careArrangement",
        )
    places.free -= 1
    return True


def release_care_place(places: CarePlaces | None) -> None:
    """Gives a place back when a child leaves it (never above the recorded places)."""
    if places is not None and places.free < places.places:
        places.free += 1


def check_new_referral(new: NewReferral, *, today: date) -> NewReferral:
    """Validates a directorate's referral; returns it normalised."""
    full_name = check_name(new.full_name, field="fullName")
    check_date_of_birth(new.date_of_birth, minor_on=today, today=today)
    sex = check_sex(new.sex)
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


def optional_text(value: str | None) -> str | None:
    return (value or "").strip() or None


def required_text(value: str, *, field: str, what: str) -> str:
    text = value.strip()
    if not text:
        raise InvalidInput(f"{what} is required", field=field)
    return text


def is_overdue(referral: Referral, *, today: date) -> bool:
    """A pending referral nobody answered by its respond-by date."""
    return referral.status == ReferralStatus.PENDING and referral.respond_by < today


def _require_transition(referral: Referral, to: ReferralStatus, action: str) -> None:
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
    _require_transition(referral, ReferralStatus.ACCEPTED, "accepted")
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
    _require_transition(referral, ReferralStatus.DECLINED, "declined")
    reason = required_text(reason, field="reason", what="a reason to decline the referral")
    referral.status = ReferralStatus.DECLINED
    referral.decline_reason = reason


def withdraw_referral(referral: Referral, *, reason: str) -> None:
    """The allocator takes back a referral the municipality has not answered yet."""
    _require_transition(referral, ReferralStatus.WITHDRAWN, "withdrawn")
    reason = required_text(reason, field="reason", what="a reason to withdraw the referral")
    referral.status = ReferralStatus.WITHDRAWN
    referral.withdraw_reason = reason


def _require_checklist(referral: Referral, task: PreparationTask | None) -> PreparationTask:
    if referral.status not in CHECKLIST_STATUSES:
        raise Conflict(
            f"the referral is {referral.status}; only an ACCEPTED or ARRIVED referral "
            "has a preparation checklist"
        )
    if task is None:
        raise InvalidInput("this referral has no such preparation task", field="task")
    return task


def complete_task(
    referral: Referral, task: PreparationTask | None, *, by: str, now: datetime
) -> None:
    """Marks one checklist task done; only an accepted referral has a checklist to work on."""
    checked = _require_checklist(referral, task)
    checked.done = True
    checked.done_by = by
    checked.done_at = now


def reopen_task(referral: Referral, task: PreparationTask | None) -> None:
    """Marks a task not done again (it turned out not to be)."""
    checked = _require_checklist(referral, task)
    checked.done = False
    checked.done_by = None
    checked.done_at = None


@dataclass(frozen=True, kw_only=True)
class TaskEdit:
    """Changes to a task: None leaves a field as it is, `cleared` names fields set to empty."""

    owner: str | None = None
    notes: str | None = None
    cleared: frozenset[str] = frozenset()


def edit_task(
    referral: Referral, task: PreparationTask | None, edit: TaskEdit, *, staff: frozenset[str]
) -> None:
    """Gives a task an owner (one of the municipality's staff) and notes."""
    checked = _require_checklist(referral, task)
    if edit.owner is not None:
        owner = edit.owner.strip()
        if owner not in staff:
            raise InvalidInput(
                f"'{owner}' is not a user of this municipality in Havn; choose one of its staff",
                field="owner",
            )
        checked.owner = owner
    elif "owner" in edit.cleared:
        checked.owner = None
    if edit.notes is not None:
        checked.notes = optional_text(edit.notes)
    elif "notes" in edit.cleared:
        checked.notes = None


def ready_for_arrival(referral: Referral) -> bool:
    """Whether everything due by the planned arrival is done (school, GP, bank come after)."""
    if referral.status != ReferralStatus.ACCEPTED or referral.planned_arrival is None:
        return False
    due = [task for task in referral.tasks if task.due_on <= referral.planned_arrival]
    return all(task.done for task in due)


def open_tasks(referral: Referral) -> list[PreparationTask]:
    return [task for task in referral.tasks if not task.done]


def repeats_arrival(referral: Referral, settled: Child, *, arrived_on: date) -> bool:
    """Whether a registration is a retry of the one that settled the child: same day.

    The retry is answered with the child, so a client that lost the first answer learns
    the child's id; another day is a different claim and stays a conflict.
    """
    return referral.status == ReferralStatus.ARRIVED and settled.settled_on == arrived_on


def register_arrival(
    referral: Referral, *, arrived_on: date, referred_on: date, today: date
) -> Child:
    """Settles the child: the identity record every other service follows from here.

    The arrival lies between the day the directorate referred the child (`referred_on`) and
    today: a child does not come before it was referred, nor is arrival registered ahead.
    A child who speaks no Norwegian needs an interpreter in its first other language until
    someone says otherwise. Open checklist tasks do not hold the child back; the caller
    reports them.
    """
    _require_transition(referral, ReferralStatus.ARRIVED, "registered as arrived")
    if arrived_on > today:
        raise InvalidInput("arrival date is in the future", field="arrivedOn")
    if arrived_on < referred_on:
        raise InvalidInput(
            f"arrival date is before the referral was made ({referred_on.isoformat()}); "
            f"give a date from {referred_on.isoformat()} to {today.isoformat()}",
            field="arrivedOn",
        )
    referral.status = ReferralStatus.ARRIVED
    interpreter_needed = needs_interpreter(referral.languages)
    return Child(
        id=referral.child_id,
        tenant_id=referral.tenant_id,
        referral_id=referral.id,
        first_name=first_name_of(referral.full_name),
        full_name=referral.full_name,
        name_search=fold_for_search(referral.full_name),
        date_of_birth=referral.date_of_birth,
        date_of_birth_estimated=False,
        sex=referral.sex,
        nationality=referral.nationality,
        languages=list(referral.languages),
        interpreter_needed=interpreter_needed,
        interpreter_language=(
            language_for_interpreter(referral.languages) if interpreter_needed else None
        ),
        care_arrangement=referral.care_arrangement or CareArrangement.OTHER.value,
        settled_on=arrived_on,
        revision=1,
    )


def next_revision(child: Child) -> int:
    """Numbers a change of the child that is announced to the other services.

    Called in the change's transaction, with the child's row locked, so the numbers of one
    child are gapless and in the order of its changes: consumers apply them in that order.
    """
    child.revision += 1
    return child.revision


# --- the child's profile --------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Appointment:
    """A representative or guardian: who, and appointed on which day."""

    name: str
    appointed_on: date


@dataclass(frozen=True, kw_only=True)
class ProfileEdit:
    """Changes to a child's profile: None leaves a field as it is, `cleared` empties one."""

    full_name: str | None = None
    first_name: str | None = None
    date_of_birth: date | None = None
    date_of_birth_estimated: bool | None = None
    sex: str | None = None
    nationality: str | None = None
    languages: list[str] | None = None
    interpreter_needed: bool | None = None
    interpreter_language: str | None = None
    care_arrangement: CareArrangement | None = None
    representative: Appointment | None = None
    guardian: Appointment | None = None
    cleared: frozenset[str] = field(default_factory=frozenset)


def _check_appointment(
    appointment: Appointment, *, field: str, date_of_birth: date, today: date
) -> tuple[str, date]:
    name = check_name(appointment.name, field=f"{field}.name")
    if appointment.appointed_on > today:
        raise InvalidInput("the appointment date is in the future", field=f"{field}.appointedOn")
    if appointment.appointed_on < date_of_birth:
        raise InvalidInput(
            "the appointment date is before the date of birth", field=f"{field}.appointedOn"
        )
    return name, appointment.appointed_on


def profile_snapshot(child: Child) -> tuple[object, ...]:
    """Everything an edit can change, to tell whether one changed anything."""
    return (
        child.full_name,
        child.first_name,
        child.date_of_birth,
        child.date_of_birth_estimated,
        child.sex,
        child.nationality,
        tuple(child.languages),
        child.interpreter_needed,
        child.interpreter_language,
        child.care_arrangement,
        child.representative_name,
        child.representative_appointed_on,
        child.guardian_name,
        child.guardian_appointed_on,
    )


def edit_profile(child: Child, edit: ProfileEdit, *, today: date, now: datetime) -> bool:
    """Validates every change first, then applies them all; returns whether anything changed.

    A change takes the child's next revision, for the child.updated that announces it.
    """
    full_name = check_name(edit.full_name, field="fullName") if edit.full_name is not None else None
    first_name = (
        check_name(edit.first_name, field="firstName") if edit.first_name is not None else None
    )
    date_of_birth = edit.date_of_birth or child.date_of_birth
    if edit.date_of_birth is not None:
        check_date_of_birth(edit.date_of_birth, minor_on=child.settled_on, today=today)
    sex = check_sex(edit.sex) if edit.sex is not None else None
    nationality = check_nationality(edit.nationality) if edit.nationality is not None else None
    languages = check_languages(edit.languages) if edit.languages is not None else None
    interpreter_needed = (
        edit.interpreter_needed if edit.interpreter_needed is not None else child.interpreter_needed
    )
    interpreter_language = (
        normalise_language(edit.interpreter_language, field="interpreterLanguage")
        if edit.interpreter_language is not None
        else None
        if "interpreter_language" in edit.cleared
        else child.interpreter_language
    )
    if interpreter_needed and interpreter_language is None:
        interpreter_language = language_for_interpreter(languages or child.languages)
    if interpreter_needed and interpreter_language is None:
        raise InvalidInput(
            "say which language the interpreter must speak", field="interpreterLanguage"
        )
    representative = (
        _check_appointment(
            edit.representative,
            field="representative",
            date_of_birth=date_of_birth,
            today=today,
        )
        if edit.representative is not None
        else None
    )
    guardian = (
        _check_appointment(
            edit.guardian, field="guardian", date_of_birth=date_of_birth, today=today
        )
        if edit.guardian is not None
        else None
    )
    guardian_on = guardian[1] if guardian else child.guardian_appointed_on
    if guardian_on is not None and guardian_on >= eighteenth_birthday(date_of_birth):
        raise InvalidInput(
            "guardianship ends at 18: a guardian cannot be appointed on or after "
            f"{eighteenth_birthday(date_of_birth).isoformat()}",
            field="guardian.appointedOn",
        )

    before = profile_snapshot(child)
    if full_name is not None:
        child.full_name = full_name
        child.name_search = fold_for_search(full_name)
        child.first_name = first_name or first_name_of(full_name)
    if first_name is not None:
        child.first_name = first_name
    child.date_of_birth = date_of_birth
    if edit.date_of_birth_estimated is not None:
        child.date_of_birth_estimated = edit.date_of_birth_estimated
    if sex is not None:
        child.sex = sex
    if nationality is not None:
        child.nationality = nationality
    if languages is not None:
        child.languages = languages
    child.interpreter_needed = interpreter_needed
    child.interpreter_language = interpreter_language if interpreter_needed else None
    if edit.care_arrangement is not None:
        child.care_arrangement = edit.care_arrangement.value
    if representative is not None:
        child.representative_name, child.representative_appointed_on = representative
    elif "representative" in edit.cleared:
        child.representative_name = child.representative_appointed_on = None
    if guardian is not None:
        child.guardian_name, child.guardian_appointed_on = guardian
    elif "guardian" in edit.cleared:
        child.guardian_name = child.guardian_appointed_on = None
    changed = profile_snapshot(child) != before
    if changed:
        child.updated_at = now
        next_revision(child)
    return changed


# --- relocation (flytting) ------------------------------------------------------------------


def propose_relocation(
    child: Child, *, to_tenant: str, note: str | None, by: str, now: datetime
) -> Relocation:
    """The sending municipality asks another to take over a settled child."""
    if to_tenant == child.tenant_id:
        raise InvalidInput(
            f"the child already lives in {to_tenant}; choose another municipality",
            field="toMunicipality",
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
        raise InvalidInput("the relocation date is in the future", field="relocatedOn")
    if relocated_on < settled_on:
        raise InvalidInput(
            "the relocation date is before the child was settled", field="relocatedOn"
        )
    relocation.status = RelocationStatus.ACCEPTED.value
    relocation.care_arrangement = care_arrangement.value
    relocation.relocated_on = relocated_on
    relocation.decided_by, relocation.decided_at = by, now


def decline_relocation(
    relocation: Relocation, *, tenant: str, reason: str, by: str, now: datetime
) -> None:
    check_relocation_decision(relocation, tenant=tenant, action="decline")
    reason = required_text(reason, field="reason", what="a reason to decline the relocation")
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


# --- break the glass --------------------------------------------------------------------------


def reason_for_breaking_glass(reason: str) -> str:
    """The reason a user gives for breaking the glass: required, so never blank."""
    if not reason.strip():
        raise InvalidInput("say why you need to open this child", field="reason")
    return reason.strip()


def break_the_glass(
    *,
    child_id: uuid.UUID,
    lives_in: str,
    username: str,
    role: str,
    opened_in: str,
    reason: str,
    now: datetime,
    lasts: timedelta,
) -> BreakGlassAccess:
    """Opens a child beyond the user's reach for `lasts`, never without a reason: the admin of
    the municipality the child lives in reviews who opened whom, and why."""
    return BreakGlassAccess(
        id=uuid.uuid4(),
        tenant_id=lives_in,
        child_id=child_id,
        username=username,
        role=role,
        opened_in=opened_in,
        reason=reason_for_breaking_glass(reason),
        opened_at=now,
        expires_at=now + lasts,
    )
