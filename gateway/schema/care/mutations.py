"""Care's mutations: contact person, care plan and approval, assessments, notes, health,
education, meetings and the assessment schedule."""

from __future__ import annotations

from datetime import date
from typing import Any

import strawberry
from strawberry.types import Info

from gateway.schema.care.types import (
    Assessment,
    AssessmentSchedule,
    CarePlan,
    ChildCare,
    Education,
    FollowUpNote,
    Health,
    Meeting,
    NorwegianLevel,
)
from gateway.schema.child import Child
from gateway.schema.common import sent_fields
from gateway.security import (
    Requires,
    caller,
    parse_id,
)
from havn import permissions


@strawberry.input
class CareGoalInput:
    domain: str = strawberry.field(
        description="health, education, language, housing, leisure, wellbeing, family_tracing"
    )
    description: str
    measures: list[str]
    responsible: str
    review_on: date


@strawberry.input
class CarePlanInput:
    goals: list[CareGoalInput]
    childs_own_words: str | None = strawberry.field(
        default=strawberry.UNSET,
        description="Left out, the child's words stay as they are; null empties them.",
    )


@strawberry.input
class DomainScoreInput:
    domain: str
    score: int = strawberry.field(description="1..5")


@strawberry.input
class AssessmentInput:
    scores: list[DomainScoreInput]
    childs_own_words: str | None = None
    notes: str | None = None


@strawberry.input
class GeneralPractitionerInput:
    name: str
    practice: str | None = None


@strawberry.input
class HealthScreeningInput:
    kind: str
    screened_on: date
    findings: str | None = None


@strawberry.input
class MentalHealthReferralInput:
    service: str
    referred_on: date
    reason: str


@strawberry.input
class EducationInput:
    school: str
    class_level: str
    norwegian_level: NorwegianLevel
    started_on: date


@strawberry.input
class InterpreterInput:
    name: str
    qualified: bool


@strawberry.input
class MeetingInput:
    held_on: date
    purpose: str
    language: str = strawberry.field(description="ISO 639 code")
    interpreter: InterpreterInput | None = None


async def _on_child(
    info: Info,
    child_id: strawberry.ID,
    method: str,
    path: str,
    body: dict[str, Any] | None = None,
) -> Any:
    """Calls care about one child (the mutation has declared who may)."""
    return await info.context.services.call(
        caller(info),
        "care",
        method,
        f"/v1/children/{parse_id(child_id, 'childId')}/{path}",
        json=body,
    )


@strawberry.type
class CareMutation:
    @strawberry.mutation(
        extensions=[Requires(permissions.care.CONTACT_PERSON_ASSIGN)],
        description="Caseworker: make a user with the contact-person role in the municipality "
        "the child's contact person. A child that has one keeps them unless replace is true "
        "(else CONFLICT naming the current one).",
    )
    async def assign_contact_person(
        self, info: Info, child_id: strawberry.ID, username: str, replace: bool = False
    ) -> ChildCare:
        payload = await _on_child(
            info,
            child_id,
            "PUT",
            "contact-person",
            {"username": username, "replace": replace},
        )
        return ChildCare.from_payload(payload)

    @strawberry.mutation(extensions=[Requires(permissions.care.CONTACT_PERSON_ASSIGN)])
    async def unassign_contact_person(self, info: Info, child_id: strawberry.ID) -> ChildCare:
        payload = await _on_child(info, child_id, "DELETE", "contact-person")
        return ChildCare.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.care.INTERPRETER_NEED_SET)],
        description="Caseworker: whether the child needs an interpreter (in its first language "
        "that is not Norwegian, unless updateChild names another). Intake keeps this on the "
        "child; care follows it for meetings. Emits child.updated.",
    )
    async def set_interpreter_need(
        self, info: Info, child_id: strawberry.ID, needed: bool
    ) -> Child:
        payload = await info.context.services.call(
            info.context.principal,
            "intake",
            "PATCH",
            f"/v1/children/{parse_id(child_id, 'childId')}",
            json={"interpreter_needed": needed},
        )
        return Child.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.care.PLAN_REVISE)],
        description="Caseworker: set the plan's goals and the child's words.",
    )
    async def update_care_plan(
        self, info: Info, child_id: strawberry.ID, input: CarePlanInput
    ) -> CarePlan:
        payload = await _on_child(
            info,
            child_id,
            "PUT",
            "care-plan",
            {
                "goals": [
                    {
                        "domain": goal.domain,
                        "description": goal.description,
                        "measures": goal.measures,
                        "responsible": goal.responsible,
                        "review_on": goal.review_on.isoformat(),
                    }
                    for goal in input.goals
                ],
                **sent_fields(input, "childs_own_words"),
            },
        )
        return CarePlan.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.care.PLAN_APPROVE)],
        description="Caseworker: approve the plan; needs the child's words.",
    )
    async def approve_care_plan(self, info: Info, child_id: strawberry.ID) -> CarePlan:
        payload = await _on_child(info, child_id, "POST", "care-plan/approve")
        return CarePlan.from_payload(payload)

    @strawberry.mutation(extensions=[Requires(permissions.care.ASSESSMENT_RECORD)])
    async def record_assessment(
        self, info: Info, child_id: strawberry.ID, input: AssessmentInput
    ) -> Assessment:
        payload = await _on_child(
            info,
            child_id,
            "POST",
            "assessments",
            {
                "scores": [{"domain": s.domain, "score": s.score} for s in input.scores],
                "childs_own_words": input.childs_own_words,
                "notes": input.notes,
            },
        )
        return Assessment.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.care.NOTE_WRITE)],
        description="A caseworker, or the child's contact person; `corrects` names the note "
        "a correction corrects.",
    )
    async def add_follow_up_note(
        self,
        info: Info,
        child_id: strawberry.ID,
        text: str,
        corrects: strawberry.ID | None = None,
    ) -> FollowUpNote:
        payload = await _on_child(
            info,
            child_id,
            "POST",
            "follow-up-notes",
            {"text": text, "corrects": str(parse_id(corrects, "corrects")) if corrects else None},
        )
        return FollowUpNote.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.care.NOTE_WRITE)],
        description="The author, within 24 hours of writing the note.",
    )
    async def edit_follow_up_note(self, info: Info, id: strawberry.ID, text: str) -> FollowUpNote:
        principal = caller(info)
        payload = await info.context.services.call(
            principal, "care", "PATCH", f"/v1/follow-up-notes/{parse_id(id)}", json={"text": text}
        )
        return FollowUpNote.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.care.HEALTH_RECORD)],
        description="Caseworker: the child's GP (fastlege).",
    )
    async def set_general_practitioner(
        self, info: Info, child_id: strawberry.ID, input: GeneralPractitionerInput
    ) -> Health:
        payload = await _on_child(
            info,
            child_id,
            "PUT",
            "health/general-practitioner",
            {"name": input.name, "practice": input.practice},
        )
        return Health.from_payload(payload)

    @strawberry.mutation(extensions=[Requires(permissions.care.HEALTH_RECORD)])
    async def record_health_screening(
        self, info: Info, child_id: strawberry.ID, input: HealthScreeningInput
    ) -> Health:
        payload = await _on_child(
            info,
            child_id,
            "POST",
            "health/screenings",
            {
                "kind": input.kind,
                "screened_on": input.screened_on.isoformat(),
                "findings": input.findings,
            },
        )
        return Health.from_payload(payload)

    @strawberry.mutation(extensions=[Requires(permissions.care.HEALTH_RECORD)])
    async def refer_to_mental_health(
        self, info: Info, child_id: strawberry.ID, input: MentalHealthReferralInput
    ) -> Health:
        payload = await _on_child(
            info,
            child_id,
            "POST",
            "health/mental-health-referrals",
            {
                "service": input.service,
                "referred_on": input.referred_on.isoformat(),
                "reason": input.reason,
            },
        )
        return Health.from_payload(payload)

    @strawberry.mutation(extensions=[Requires(permissions.care.EDUCATION_RECORD)])
    async def record_education(
        self, info: Info, child_id: strawberry.ID, input: EducationInput
    ) -> Education:
        payload = await _on_child(
            info,
            child_id,
            "PUT",
            "education",
            {
                "school": input.school,
                "class_level": input.class_level,
                "norwegian_level": input.norwegian_level.value,
                "started_on": input.started_on.isoformat(),
            },
        )
        return Education.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.care.MEETING_RECORD)],
        description="A caseworker, or the child's contact person.",
    )
    async def record_meeting(
        self, info: Info, child_id: strawberry.ID, input: MeetingInput
    ) -> Meeting:
        interpreter = input.interpreter
        payload = await _on_child(
            info,
            child_id,
            "POST",
            "meetings",
            {
                "held_on": input.held_on.isoformat(),
                "purpose": input.purpose,
                "language": input.language,
                "interpreter": (
                    {"name": interpreter.name, "qualified": interpreter.qualified}
                    if interpreter
                    else None
                ),
            },
        )
        return Meeting.from_payload(payload)

    @strawberry.mutation(
        extensions=[Requires(permissions.care.ASSESSMENT_SCHEDULE_WRITE)],
        description="Municipality admin: months between assessments.",
    )
    async def set_assessment_interval(self, info: Info, months: int) -> AssessmentSchedule:
        principal = caller(info)
        payload = await info.context.services.call(
            principal, "care", "PUT", "/v1/assessment-schedule", json={"interval_months": months}
        )
        return AssessmentSchedule(interval_months=payload["interval_months"])
