"""Care rules: who follows a child up, the care plan and its versions, the assessment
schedule, notes, health, school and meetings, and who sees and writes which part.

Functions here build model objects and raise typed errors; they never touch HTTP, SQL text
or the transaction (the request's unit of work, or the event's, commits).
"""

from __future__ import annotations

import calendar
import re
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from havn import permissions
from havn.auth import DataClass, Role
from havn.errors import Conflict, Forbidden, InvalidInput
from havn.events.contracts import ChildSettledV1, ChildUpdatedV1
from havn.events.contracts.transition import AftercareDecidedV1, MilestoneReachedV1
from havn.languages import needs_interpreter, normalise_language
from havn.permissions import Permission
from havn.reach import ASSIGNMENT_BOUND
from services.care.models import (
    Assessment,
    CareGoal,
    CarePlan,
    CarePlanVersion,
    Child,
    Education,
    FollowUpNote,
    HealthProfile,
    HealthScreening,
    Meeting,
    MentalHealthReferral,
)


class CarePlanStatus(StrEnum):
    DRAFT = "DRAFT"  # never approved
    APPROVED = "APPROVED"  # the current content is an approved version
    REVISED = "REVISED"  # approved before, changed since: the change awaits approval
    CLOSED = "CLOSED"  # care has ended (18 without aftercare, aftercare declined or over)


class LifeDomain(StrEnum):
    HEALTH = "health"
    EDUCATION = "education"
    LANGUAGE = "language"
    HOUSING = "housing"
    LEISURE = "leisure"
    WELLBEING = "wellbeing"
    FAMILY_TRACING = "family_tracing"


class NorwegianLevel(StrEnum):
    """Common European Framework levels; NONE before the child has started."""

    NONE = "NONE"
    A1 = "A1"
    A2 = "A2"
    B1 = "B1"
    B2 = "B2"
    C1 = "C1"
    C2 = "C2"


class CaseloadFilter(StrEnum):
    ALL = "ALL"
    MINE = "MINE"
    OVERDUE_ASSESSMENT = "OVERDUE_ASSESSMENT"
    CARE_PLAN_NOT_APPROVED = "CARE_PLAN_NOT_APPROVED"
    NO_CONTACT_PERSON = "NO_CONTACT_PERSON"


# The needs assessment on arrival (seed 000) is done within the child's first two weeks,
# then at the municipality's interval.
FIRST_ASSESSMENT_AFTER = timedelta(days=14)
DEFAULT_ASSESSMENT_INTERVAL_MONTHS = 6
ASSESSMENT_INTERVAL_RANGE = range(1, 25)
SCORE_RANGE = range(1, 6)
# A note is a record of what happened: after a day it is corrected by a new note, not edited.
NOTE_EDIT_WINDOW = timedelta(hours=24)
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,99}$")


# --- who sees which part of a child's care --------------------------------------------------


class CarePart(StrEnum):
    PLAN_STATUS = "plan-status"  # the plan's status and approval date, the assessment schedule
    PLAN = "plan"  # goals, the child's own words, approved versions
    CONTACT_PERSON = "contact-person"
    ASSESSMENTS = "assessments"
    NOTES = "notes"
    HEALTH = "health"
    EDUCATION = "education"
    MEETINGS = "meetings"


# Who reads each part: the permission care's routes and the gateway's fields declare
# (havn.permissions.care). A settlement coordinator sees the plan's status (a summary); a
# caseworker everything; a contact person everything but health, of the children assigned to
# them only (havn.reach's ASSIGNMENT_BOUND).
PART_READ: dict[CarePart, Permission] = {
    CarePart.PLAN_STATUS: permissions.care.PLAN_STATUS_READ,
    CarePart.PLAN: permissions.care.DETAILS_READ,
    CarePart.CONTACT_PERSON: permissions.care.DETAILS_READ,
    CarePart.ASSESSMENTS: permissions.care.CONFIDENTIAL_READ,
    CarePart.NOTES: permissions.care.CONFIDENTIAL_READ,
    CarePart.HEALTH: permissions.care.HEALTH_READ,
    CarePart.EDUCATION: permissions.care.DETAILS_READ,
    CarePart.MEETINGS: permissions.care.DETAILS_READ,
}
# The class a read of each part is logged under: its permission's, as DOMAIN.md classes it.
PART_CLASS: dict[CarePart, DataClass] = {
    part: read.data_class for part, read in PART_READ.items() if read.data_class is not None
}
EVERY_PART = frozenset(CarePart)


def visible_parts(*, roles: Iterable[Role], assigned: bool) -> frozenset[CarePart]:
    """The parts of one child's care a caller sees; `assigned`: the child is theirs."""
    held = frozenset(roles) if assigned else frozenset(roles) - ASSIGNMENT_BOUND
    return frozenset(part for part, read in PART_READ.items() if not held.isdisjoint(read.roles))


def may_see_any(*, roles: Iterable[Role], part: CarePart) -> bool:
    """Whether a caller sees this part of at least some child (its own, for a contact person)."""
    return part in visible_parts(roles=roles, assigned=True)


def readers_of(part: CarePart) -> frozenset[Role]:
    """The roles that see this part of some child's care."""
    return PART_READ[part].roles


def data_classes(parts: Iterable[CarePart]) -> list[DataClass]:
    """The classes a read of these parts is logged under, each once, in DataClass order."""
    classes = {PART_CLASS[part] for part in parts}
    return [data_class for data_class in DataClass if data_class in classes]


# --- who writes which part ----------------------------------------------------------------


# An act is a Permission (havn.permissions.care): its roles may do it to some child; a role
# bound to assignments (havn.reach: the contact person) to the children assigned to them only.


def may_act(*, permission: Permission, roles: Iterable[Role], assigned: bool) -> bool:
    held = permission.roles & frozenset(roles)
    return bool(held - ASSIGNMENT_BOUND) or (assigned and bool(held))


def require_act(*, permission: Permission, roles: Iterable[Role], assigned: bool) -> None:
    """Refuses an act the caller's roles do not allow on this child."""
    held = frozenset(roles)
    if may_act(permission=permission, roles=held, assigned=assigned):
        return
    if may_act(permission=permission, roles=held, assigned=True):
        raise Forbidden(f"only the child's contact person or a caseworker may {permission.act}")
    raise Forbidden(f"your role may not {permission.act}")


# --- the child and its contact person -------------------------------------------------------


def first_assessment_due(*, settled_on: date) -> date:
    return settled_on + FIRST_ASSESSMENT_AFTER


def open_care(*, settled: ChildSettledV1, tenant_id: str) -> tuple[Child, CarePlan]:
    """A settled child's care record: what care keeps of the child and an empty draft plan."""
    child = Child(
        id=settled.child_id,
        tenant_id=tenant_id,
        first_name=settled.first_name,
        full_name=settled.full_name,
        date_of_birth=settled.date_of_birth,
        settled_on=settled.settled_on,
        languages=list(settled.languages),
        # Intake owns the need; an event from before it said so falls back on the languages.
        interpreter_needed=(
            settled.interpreter_needed
            if settled.interpreter_needed is not None
            else needs_interpreter(settled.languages)
        ),
        revision=settled.revision,
    )
    plan = CarePlan(
        child_id=settled.child_id,
        tenant_id=tenant_id,
        status=CarePlanStatus.DRAFT,
        childs_own_words=None,
        approved_on=None,
        version=1,
        next_assessment_due=first_assessment_due(settled_on=settled.settled_on),
    )
    return child, plan


def follow_identity(child: Child, *, updated: ChildUpdatedV1) -> None:
    """Keeps the projection in step with intake's identity record."""
    child.first_name = updated.first_name
    child.full_name = updated.full_name
    child.date_of_birth = updated.date_of_birth
    child.languages = list(updated.languages)
    if updated.interpreter_needed is not None:
        child.interpreter_needed = updated.interpreter_needed


def check_username(username: str) -> str:
    """A municipality username as the identity provider spells it (lower case)."""
    cleaned = username.strip().lower()
    if not USERNAME.fullmatch(cleaned):
        raise InvalidInput(
            f"'{username}' is not a username: letters, digits and . _ @ - only",
            field="username",
        )
    return cleaned


def assign_contact_person(
    child: Child, *, username: str, is_contact_person: bool, replace: bool, today: date
) -> str | None:
    """Makes `username` the child's contact person; returns whom it replaces, if anyone.

    Only a user with the contact-person role in the municipality can be one
    (`is_contact_person`: Havn has seen them act with it there), and a child's contact
    person is replaced only when the caller says so (`replace`).
    """
    username = check_username(username)
    if child.contact_person == username:
        raise Conflict(f"{username} is already this child's contact person")
    if not is_contact_person:
        raise InvalidInput(
            f"'{username}' is not a contact person in this municipality: only a user with "
            "the contact-person role who has signed in to Havn here can be assigned",
            field="username",
        )
    if child.contact_person is not None and not replace:
        raise Conflict(
            f"{child.contact_person} is this child's contact person; "
            "assign with replace: true to replace them"
        )
    previous = child.contact_person
    child.contact_person = username
    child.contact_assigned_on = today
    return previous


def unassign_contact_person(child: Child) -> str:
    """Leaves the child without a contact person; returns who it was."""
    if child.contact_person is None:
        raise Conflict("this child has no contact person to unassign")
    previous = child.contact_person
    child.contact_person = None
    child.contact_assigned_on = None
    return previous


# --- the care plan ------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class GoalInput:
    domain: str
    description: str
    measures: list[str]
    responsible: str
    review_on: date


def life_domain(value: str, *, field: str) -> LifeDomain:
    """A life domain by name; `family tracing`, `Family-Tracing` and `family_tracing` alike."""
    key = re.sub(r"[\s-]+", "_", value.strip().lower())
    try:
        return LifeDomain(key)
    except ValueError:
        known = ", ".join(d.value for d in LifeDomain)
        raise InvalidInput(
            f"'{value}' is not a life domain; use one of {known}", field=field
        ) from None


def required_text(value: str | None, *, field: str, what: str) -> str:
    cleaned = (value or "").strip()
    if not cleaned:
        raise InvalidInput(f"{what} is required", field=field)
    return cleaned


def check_goals(goals: Sequence[GoalInput], *, today: date) -> list[GoalInput]:
    """Validates a plan's goals, one per life domain, each reviewed today or later."""
    checked: list[GoalInput] = []
    seen: set[LifeDomain] = set()
    for index, goal in enumerate(goals):
        at = f"goals[{index}]"
        domain = life_domain(goal.domain, field=f"{at}.domain")
        if domain in seen:
            raise InvalidInput(
                f"the plan has two goals in {domain.value}; a domain has one goal with its "
                "measures",
                field=f"{at}.domain",
            )
        seen.add(domain)
        if goal.review_on < today:
            raise InvalidInput(
                f"review date {goal.review_on} is in the past", field=f"{at}.reviewOn"
            )
        measures = [m.strip() for m in goal.measures if m.strip()]
        if not measures:
            raise InvalidInput("a goal needs at least one measure", field=f"{at}.measures")
        checked.append(
            GoalInput(
                domain=domain.value,
                description=required_text(
                    goal.description, field=f"{at}.description", what="a goal's description"
                ),
                measures=measures,
                responsible=required_text(
                    goal.responsible, field=f"{at}.responsible", what="a responsible party"
                ),
                review_on=goal.review_on,
            )
        )
    return checked


def revise_care_plan(
    plan: CarePlan, *, goals: Sequence[GoalInput], childs_own_words: str | None, today: date
) -> list[CareGoal]:
    """Replaces the plan's goals and the child's words; returns the new goals to keep.

    An approved plan that changes becomes REVISED under the next version number: the
    approved version stays as it was, in the plan's history.
    """
    require_open(plan, act=permissions.care.PLAN_REVISE)
    checked = check_goals(goals, today=today)
    if plan.status == CarePlanStatus.APPROVED:
        plan.status = CarePlanStatus.REVISED
        plan.version += 1
    plan.childs_own_words = (childs_own_words or "").strip() or None
    return [
        CareGoal(
            id=uuid.uuid4(),
            tenant_id=plan.tenant_id,
            child_id=plan.child_id,
            domain=goal.domain,
            description=goal.description,
            measures=goal.measures,
            responsible=goal.responsible,
            review_on=goal.review_on,
        )
        for goal in checked
    ]


def plan_snapshot(goals: Sequence[CareGoal], childs_own_words: str | None) -> dict[str, Any]:
    """The content of a plan, as an approved version keeps it."""
    return {
        "goals": [
            {
                "domain": goal.domain,
                "description": goal.description,
                "measures": list(goal.measures),
                "responsible": goal.responsible,
                "review_on": goal.review_on.isoformat() if goal.review_on else None,
            }
            for goal in sorted(goals, key=lambda g: g.domain)
        ],
        "childs_own_words": childs_own_words,
    }


GOAL_FIELDS = (
    ("description", "description"),
    ("measures", "measures"),
    ("responsible", "responsible party"),
    ("review_on", "review date"),
)


def describe_changes(previous: dict[str, Any] | None, current: dict[str, Any]) -> list[str]:
    """What changed since the previous approved version, one line per change."""
    if previous is None:
        return ["first approved version"]
    before = {goal["domain"]: goal for goal in previous["goals"]}
    after = {goal["domain"]: goal for goal in current["goals"]}
    changes: list[str] = []
    for domain in LifeDomain:
        old, new = before.get(domain.value), after.get(domain.value)
        if old is None and new is not None:
            changes.append(f"{domain.value}: goal added")
        elif old is not None and new is None:
            changes.append(f"{domain.value}: goal removed")
        elif old is not None and new is not None:
            changed = [label for key, label in GOAL_FIELDS if old.get(key) != new.get(key)]
            if changed:
                changes.append(f"{domain.value}: {', '.join(changed)} changed")
    if previous.get("childs_own_words") != current.get("childs_own_words"):
        changes.append("the child's own words changed")
    return changes or ["approved again without changes"]


def approve_care_plan(
    plan: CarePlan,
    *,
    goals: Sequence[CareGoal],
    previous: CarePlanVersion | None,
    by: str,
    now: datetime,
    today: date,
) -> CarePlanVersion:
    """Approves the plan as it stands and returns the version kept of it."""
    require_open(plan, act=permissions.care.PLAN_APPROVE)
    if plan.status == CarePlanStatus.APPROVED:
        raise Conflict("this version of the plan is already approved; change it to revise it")
    if not (plan.childs_own_words or "").strip():
        raise Conflict(
            "the child's own words are required before the plan is approved",
            field="childsOwnWords",
        )
    if not goals:
        raise Conflict("a plan without goals cannot be approved", field="goals")
    overdue = sorted(goal.domain for goal in goals if goal.review_on and goal.review_on < today)
    if overdue:
        raise Conflict(
            f"the review date of the {', '.join(overdue)} goal has passed; set a new one",
            field="goals",
        )
    snapshot = plan_snapshot(goals, plan.childs_own_words)
    plan.status = CarePlanStatus.APPROVED
    plan.approved_on = today
    plan.approved_by = by
    return CarePlanVersion(
        id=uuid.uuid4(),
        tenant_id=plan.tenant_id,
        child_id=plan.child_id,
        version=plan.version,
        approved_by=by,
        approved_at=now,
        snapshot=snapshot,
        changes=describe_changes(previous.snapshot if previous else None, snapshot),
    )


# --- the end of care: 18, aftercare, 25 -----------------------------------------------------


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


def require_open(plan: CarePlan, *, act: Permission) -> None:
    """Refuses a change to a closed plan; its content and approved versions stay readable."""
    if plan.status == CarePlanStatus.CLOSED:
        raise Conflict(
            f"cannot {act.act}: the care plan is CLOSED ({plan.closed_reason}, on {plan.closed_on})"
        )


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


# --- assessments --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class ScoreInput:
    domain: str
    score: int


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day if it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def check_interval(months: int) -> int:
    if months not in ASSESSMENT_INTERVAL_RANGE:
        raise InvalidInput(
            f"the assessment interval is {ASSESSMENT_INTERVAL_RANGE.start} to "
            f"{ASSESSMENT_INTERVAL_RANGE.stop - 1} months",
            field="months",
        )
    return months


def check_scores(scores: Sequence[ScoreInput]) -> list[dict[str, Any]]:
    """One 1-5 score per known life domain, at least one."""
    if not scores:
        raise InvalidInput("an assessment scores at least one life domain", field="scores")
    checked: list[dict[str, Any]] = []
    seen: set[LifeDomain] = set()
    for index, entry in enumerate(scores):
        domain = life_domain(entry.domain, field=f"scores[{index}].domain")
        if domain in seen:
            raise InvalidInput(f"{domain.value} is scored twice", field=f"scores[{index}].domain")
        seen.add(domain)
        if entry.score not in SCORE_RANGE:
            raise InvalidInput(
                f"a score is 1 to 5, not {entry.score}", field=f"scores[{index}].score"
            )
        checked.append({"domain": domain.value, "score": entry.score})
    return checked


def record_assessment(
    plan: CarePlan,
    *,
    scores: Sequence[ScoreInput],
    childs_own_words: str | None,
    notes: str | None,
    interval_months: int,
    by: str,
    today: date,
) -> Assessment:
    """Today's assessment; the next one falls due one interval later."""
    require_open(plan, act=permissions.care.ASSESSMENT_RECORD)
    checked = check_scores(scores)
    words = required_text(childs_own_words, field="childsOwnWords", what="the child's own words")
    next_due = add_months(today, interval_months)
    plan.next_assessment_due = next_due
    return Assessment(
        id=uuid.uuid4(),
        tenant_id=plan.tenant_id,
        child_id=plan.child_id,
        assessed_on=today,
        scores=checked,
        childs_own_words=words,
        notes=(notes or "").strip() or None,
        next_due_on=next_due,
        recorded_by=by,
    )


def assessment_overdue(next_due: date | None, *, today: date) -> bool:
    return next_due is not None and next_due < today


# --- follow-up notes ----------------------------------------------------------------------


def write_follow_up_note(
    child: Child, *, text: str, corrects: FollowUpNote | None, author: str, now: datetime
) -> FollowUpNote:
    """A new note; a correction names the note it corrects, which must be the same child's."""
    if corrects is not None and corrects.child_id != child.id:
        raise InvalidInput("a correction corrects a note about the same child", field="corrects")
    return FollowUpNote(
        id=uuid.uuid4(),
        tenant_id=child.tenant_id,
        child_id=child.id,
        written_at=now,
        author=author,
        text=required_text(text, field="text", what="a note's text"),
        corrects_id=corrects.id if corrects else None,
    )


def edit_follow_up_note(note: FollowUpNote, *, text: str, editor: str, now: datetime) -> None:
    """Rewrites a note within a day of writing it, by its author only."""
    if note.author != editor:
        raise Forbidden("only the note's author may edit it; add a correction instead")
    if now - note.written_at > NOTE_EDIT_WINDOW:
        raise Conflict(
            "a note cannot be edited more than 24 hours after it was written; "
            "add a new note that corrects it"
        )
    note.text = required_text(text, field="text", what="a note's text")
    note.edited_at = now


# --- health (special category data) -------------------------------------------------------


def set_general_practitioner(
    child: Child, profile: HealthProfile | None, *, name: str, practice: str | None
) -> HealthProfile:
    """The child's GP (fastlege): the existing profile changed, or a new one."""
    profile = profile or HealthProfile(child_id=child.id, tenant_id=child.tenant_id)
    profile.gp_name = required_text(name, field="name", what="the GP's name")
    profile.gp_practice = (practice or "").strip() or None
    return profile


def not_in_future(day: date, *, today: date, field: str, what: str) -> date:
    if day > today:
        raise InvalidInput(f"{what} {day} is in the future", field=field)
    return day


def record_screening(
    child: Child, *, kind: str, screened_on: date, findings: str | None, by: str, today: date
) -> HealthScreening:
    return HealthScreening(
        id=uuid.uuid4(),
        tenant_id=child.tenant_id,
        child_id=child.id,
        kind=required_text(kind, field="kind", what="the kind of screening"),
        screened_on=not_in_future(
            screened_on, today=today, field="screenedOn", what="screening date"
        ),
        findings=(findings or "").strip() or None,
        recorded_by=by,
    )


def refer_to_mental_health(
    child: Child, *, service: str, referred_on: date, reason: str, by: str, today: date
) -> MentalHealthReferral:
    return MentalHealthReferral(
        id=uuid.uuid4(),
        tenant_id=child.tenant_id,
        child_id=child.id,
        service=required_text(service, field="service", what="the service referred to"),
        referred_on=not_in_future(
            referred_on, today=today, field="referredOn", what="referral date"
        ),
        reason=required_text(reason, field="reason", what="the reason for the referral"),
        recorded_by=by,
    )


# --- education ----------------------------------------------------------------------------


def record_education(
    child: Child,
    education: Education | None,
    *,
    school: str,
    class_level: str,
    norwegian_level: NorwegianLevel,
    started_on: date,
) -> Education:
    """The child's school as it is now: the existing record changed, or a new one."""
    if started_on < child.date_of_birth:
        raise InvalidInput("the start date is before the child's birth", field="startedOn")
    education = education or Education(child_id=child.id, tenant_id=child.tenant_id)
    education.school = required_text(school, field="school", what="the school")
    education.class_level = required_text(class_level, field="classLevel", what="the class level")
    education.norwegian_level = norwegian_level.value
    education.started_on = started_on
    return education


# --- meetings and interpreters ------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class InterpreterInput:
    name: str
    qualified: bool


def same_name(one: str | None, other: str | None) -> bool:
    if not one or not other:
        return False
    return " ".join(one.split()).casefold() == " ".join(other.split()).casefold()


def record_meeting(
    child: Child,
    *,
    held_on: date,
    purpose: str,
    language: str,
    interpreter: InterpreterInput | None,
    interpreter_is_a_child: bool,
    by: str,
) -> Meeting:
    """A meeting with the child; flagged when the child needs an interpreter and has none.

    `interpreter_is_a_child`: the interpreter's name is a child's of this municipality. A
    child is never anyone's interpreter, least of all its own.
    """
    name: str | None = None
    if interpreter is not None:
        name = required_text(interpreter.name, field="interpreter.name", what="the interpreter")
        if (
            interpreter_is_a_child
            or same_name(name, child.first_name)
            or same_name(name, child.full_name)
        ):
            raise InvalidInput(
                "a child is never recorded as an interpreter; book a qualified interpreter",
                field="interpreter.name",
            )
    return Meeting(
        id=uuid.uuid4(),
        tenant_id=child.tenant_id,
        child_id=child.id,
        held_on=held_on,
        purpose=required_text(purpose, field="purpose", what="the meeting's purpose"),
        language=normalise_language(language, field="language"),
        interpreter_name=name,
        interpreter_qualified=interpreter.qualified if interpreter else None,
        interpreter_missing=child.interpreter_needed and interpreter is None,
        recorded_by=by,
    )


def child_pages_of(*, child_ids: list[uuid.UUID], after: str | None) -> list[uuid.UUID]:
    """The distinct children whose lists are paged; a cursor belongs to one child's list."""
    distinct = list(dict.fromkeys(child_ids))
    if after is not None and len(distinct) != 1:
        raise InvalidInput(
            "`after` pages one child's list: pass exactly one child id with it", field="after"
        )
    return distinct
