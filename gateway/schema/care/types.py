"""Care (phase 3) as the public schema shows it: a child's care record and its parts.

Each part declares who may see it (gateway/security.py); the care service checks the same
again per child, so a contact person sees only the children assigned to them.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

import strawberry
from strawberry.types import Info

from gateway.schema.common import (
    DEFAULT_PAGE_SIZE,
    Connection,
    Edge,
    PageInfo,
    Payload,
    child_field,
    connection_of,
    optional_date,
    page_size,
    selected,
)
from gateway.security import Requires
from havn import permissions
from havn.pagination import check_page_size
from havn.vocabulary import CarePlanStatus, NorwegianLevel


@strawberry.type
class CareGoal:
    domain: str
    description: str
    measures: list[str]
    responsible: str
    review_on: date | None

    @classmethod
    def from_payload(cls, g: Payload) -> CareGoal:
        return cls(
            domain=g["domain"],
            description=g["description"],
            measures=list(g.get("measures") or []),
            responsible=g.get("responsible") or "",
            review_on=optional_date(g["review_on"]),
        )


@strawberry.type
class CarePlan:
    status: str
    goals: list[CareGoal]
    childs_own_words: str | None
    approved_on: date | None
    approved_by: str | None = None
    version: int | None = None
    closed_on: date | None = strawberry.field(
        default=None,
        description="When the plan closed (status CLOSED): the 18th birthday without "
        "aftercare, the day aftercare was declined, or the 25th birthday.",
    )
    closed_reason: str | None = strawberry.field(
        default=None,
        description="Why the plan is closed; shown with the plan's details only.",
    )

    @classmethod
    def from_payload(cls, p: Payload) -> CarePlan:
        return cls(
            status=p["status"],
            goals=[CareGoal.from_payload(g) for g in p["goals"]],
            childs_own_words=p["childs_own_words"],
            approved_on=optional_date(p["approved_on"]),
            approved_by=p.get("approved_by"),
            version=p.get("version"),
            closed_on=optional_date(p.get("closed_on")),
            closed_reason=p.get("closed_reason"),
        )


@strawberry.type(description="An approved version of a care plan, kept as it was approved.")
class CarePlanVersion:
    version: int
    approved_by: str
    approved_at: datetime
    changes: list[str] = strawberry.field(description="What changed since the version before.")
    goals: list[CareGoal]
    childs_own_words: str | None

    @classmethod
    def from_payload(cls, p: Payload) -> CarePlanVersion:
        return cls(
            version=p["version"],
            approved_by=p["approved_by"],
            approved_at=datetime.fromisoformat(p["approved_at"]),
            changes=p["changes"],
            goals=[CareGoal.from_payload(g) for g in p["goals"]],
            childs_own_words=p["childs_own_words"],
        )


@strawberry.type
class DomainScore:
    domain: str
    score: int


@strawberry.type
class Assessment:
    id: strawberry.ID
    assessed_on: date
    scores: list[DomainScore]
    childs_own_words: str | None
    notes: str | None
    next_due_on: date

    @classmethod
    def from_payload(cls, p: Payload) -> Assessment:
        return cls(
            id=strawberry.ID(p["id"]),
            assessed_on=date.fromisoformat(p["assessed_on"]),
            scores=[DomainScore(domain=s["domain"], score=s["score"]) for s in p["scores"]],
            childs_own_words=p["childs_own_words"],
            notes=p["notes"],
            next_due_on=date.fromisoformat(p["next_due_on"]),
        )


@strawberry.type
class FollowUpNote:
    id: strawberry.ID
    written_at: datetime
    author: str
    text: str
    corrects: strawberry.ID | None = strawberry.field(
        default=None, description="The note this one corrects."
    )
    edited_at: datetime | None = None

    @classmethod
    def from_payload(cls, p: Payload) -> FollowUpNote:
        corrects, edited_at = p.get("corrects_id"), p.get("edited_at")
        return cls(
            id=strawberry.ID(p["id"]),
            written_at=datetime.fromisoformat(p["written_at"]),
            author=p["author"],
            text=p["text"],
            corrects=strawberry.ID(corrects) if corrects else None,
            edited_at=datetime.fromisoformat(edited_at) if edited_at else None,
        )


@strawberry.type
class GeneralPractitioner:
    name: str
    practice: str | None


@strawberry.type
class HealthScreening:
    id: strawberry.ID
    kind: str
    screened_on: date
    findings: str | None
    recorded_by: str


@strawberry.type
class MentalHealthReferral:
    id: strawberry.ID
    service: str
    referred_on: date
    reason: str
    recorded_by: str


@strawberry.type(description="Special category data: caseworkers only.")
class Health:
    general_practitioner: GeneralPractitioner | None
    screenings: list[HealthScreening]
    mental_health_referrals: list[MentalHealthReferral]

    @classmethod
    def from_payload(cls, p: Payload) -> Health:
        gp = p["general_practitioner"]
        return cls(
            general_practitioner=(
                GeneralPractitioner(name=gp["gp_name"], practice=gp["gp_practice"]) if gp else None
            ),
            screenings=[
                HealthScreening(
                    id=strawberry.ID(s["id"]),
                    kind=s["kind"],
                    screened_on=date.fromisoformat(s["screened_on"]),
                    findings=s["findings"],
                    recorded_by=s["recorded_by"],
                )
                for s in p["screenings"]
            ],
            mental_health_referrals=[
                MentalHealthReferral(
                    id=strawberry.ID(r["id"]),
                    service=r["service"],
                    referred_on=date.fromisoformat(r["referred_on"]),
                    reason=r["reason"],
                    recorded_by=r["recorded_by"],
                )
                for r in p["mental_health_referrals"]
            ],
        )


@strawberry.type
class Education:
    school: str
    class_level: str
    norwegian_level: NorwegianLevel
    started_on: date

    @classmethod
    def from_payload(cls, p: Payload) -> Education:
        return cls(
            school=p["school"],
            class_level=p["class_level"],
            norwegian_level=NorwegianLevel(p["norwegian_level"]),
            started_on=date.fromisoformat(p["started_on"]),
        )


@strawberry.type
class Meeting:
    id: strawberry.ID
    held_on: date
    purpose: str
    language: str = strawberry.field(description="ISO 639: the language the child is met in.")
    interpreter_name: str | None
    interpreter_qualified: bool | None
    interpreter_missing: bool = strawberry.field(
        description="Flagged: the child needs an interpreter and none was booked."
    )
    recorded_by: str

    @classmethod
    def from_payload(cls, p: Payload) -> Meeting:
        return cls(
            id=strawberry.ID(p["id"]),
            held_on=date.fromisoformat(p["held_on"]),
            purpose=p["purpose"],
            language=p["language"],
            interpreter_name=p["interpreter_name"],
            interpreter_qualified=p["interpreter_qualified"],
            interpreter_missing=p["interpreter_missing"],
            recorded_by=p["recorded_by"],
        )


@strawberry.type(description="A child's care record: each part as your role may see it.")
class ChildCare:
    child_id: strawberry.ID
    first_name: str
    summary: strawberry.Private[Payload]

    @classmethod
    def from_payload(cls, p: Payload) -> ChildCare:
        """From a care summary: a caseload item, a care record or a mutation's answer."""
        return cls(child_id=strawberry.ID(p["child_id"]), first_name=p["first_name"], summary=p)

    @property
    def uuid(self) -> uuid.UUID:
        return uuid.UUID(self.child_id)

    child = child_field(
        lambda care: care.child_id, description="The child as intake shows it to you, if it does."
    )

    @strawberry.field(extensions=[Requires(permissions.care.PLAN_STATUS_READ)])
    def care_plan_status(self, info: Info) -> CarePlanStatus | None:
        return CarePlanStatus(self.summary["care_plan_status"])

    @strawberry.field(extensions=[Requires(permissions.care.PLAN_STATUS_READ)])
    def care_plan_approved_on(self, info: Info) -> date | None:
        return optional_date(self.summary["care_plan_approved_on"])

    @strawberry.field(extensions=[Requires(permissions.care.PLAN_STATUS_READ)])
    def next_assessment_due(self, info: Info) -> date | None:
        return optional_date(self.summary["next_assessment_due"])

    @strawberry.field(extensions=[Requires(permissions.care.PLAN_STATUS_READ)])
    def assessment_overdue(self, info: Info) -> bool | None:
        return bool(self.summary["assessment_overdue"])

    @strawberry.field(
        extensions=[Requires(permissions.care.DETAILS_READ)],
        description="The contact person's username (hovedkontakt), if any.",
    )
    def contact_person(self, info: Info) -> str | None:
        return self.summary["contact_person"]

    @strawberry.field(
        extensions=[Requires(permissions.care.DETAILS_READ)],
        description="Whether meetings with the child need an interpreter.",
    )
    def interpreter_needed(self, info: Info) -> bool | None:
        return self.summary["interpreter_needed"]

    @strawberry.field(extensions=[Requires(permissions.care.PLAN_STATUS_READ)])
    async def care_plan(self, info: Info) -> CarePlan | None:
        return care_plan_in(await info.context.loaders.care.load(self.uuid))

    @strawberry.field(
        extensions=[Requires(permissions.care.DETAILS_READ)],
        description="Every approved version, newest first.",
    )
    async def care_plan_versions(
        self, info: Info, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[CarePlanVersion] | None:
        key = (self.uuid, page_size(first), after)
        page = await info.context.loaders.care_plan_versions.load(key)
        return connection_of(page, CarePlanVersion.from_payload)

    @strawberry.field(
        extensions=[Requires(permissions.care.CONFIDENTIAL_READ)],
        description="Confidential: caseworkers, and the child's contact person.",
    )
    async def assessments(self, info: Info) -> list[Assessment] | None:
        return await assessments_of(info, self.uuid)

    @strawberry.field(
        extensions=[Requires(permissions.care.CONFIDENTIAL_READ)],
        description="Confidential: caseworkers, and the child's contact person.",
    )
    async def follow_up_notes(
        self, info: Info, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[FollowUpNote] | None:
        return await follow_up_notes_of(info, self.uuid, first, after)

    @strawberry.field(
        extensions=[Requires(permissions.care.HEALTH_READ)],
        description="Sensitive: caseworkers only.",
    )
    async def health(self, info: Info) -> Health | None:
        health = await info.context.loaders.health.load(self.uuid)
        return Health.from_payload(health) if health else None

    @strawberry.field(extensions=[Requires(permissions.care.DETAILS_READ)])
    async def education(self, info: Info) -> Education | None:
        education = await info.context.loaders.education.load(self.uuid)
        return Education.from_payload(education) if education else None

    @strawberry.field(
        extensions=[Requires(permissions.care.DETAILS_READ)],
        description="Meetings with the child, the latest first.",
    )
    async def meetings(
        self, info: Info, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[Meeting] | None:
        page = await info.context.loaders.meetings.load((self.uuid, page_size(first), after))
        return connection_of(page, Meeting.from_payload)


@strawberry.type(description="How many children each caseload filter holds: the backlog.")
class CaseloadCounts:
    all: int
    mine: int
    overdue_assessment: int
    care_plan_not_approved: int
    no_contact_person: int


@strawberry.type(description="A page of your caseload, and its backlog counted per filter.")
class Caseload:
    edges: list[Edge[ChildCare]]
    page_info: PageInfo
    total_count: int
    counts: CaseloadCounts

    @classmethod
    def from_payload(cls, p: Payload) -> Caseload:
        connection = connection_of(p["page"], ChildCare.from_payload)
        return cls(
            edges=connection.edges,
            page_info=connection.page_info,
            total_count=connection.total_count,
            counts=CaseloadCounts(**p["counts"]),
        )


@strawberry.type
class AssessmentSchedule:
    interval_months: int


@strawberry.type(
    description="A user of your municipality with the contact-person role, whom a child can "
    "be given."
)
class ContactPerson:
    username: str

    @classmethod
    def from_payload(cls, p: Payload) -> ContactPerson:
        return cls(username=p["username"])


def assessments_in(care: Payload | None) -> list[Assessment]:
    """The assessments in a child's care payload."""
    return [Assessment.from_payload(a) for a in (care or {}).get("assessments") or []]


def care_plan_in(care: Payload | None) -> CarePlan | None:
    """The care plan in a child's care payload, if it has one yet."""
    return CarePlan.from_payload(care["care_plan"]) if care and care["care_plan"] else None


async def assessments_of(info: Info, child_id: uuid.UUID) -> list[Assessment]:
    """A child's assessments: confidential, so null with FORBIDDEN for roles not cleared."""
    return assessments_in(await info.context.loaders.care.load(child_id))


# A notes field that asks no more than this is a caseload's column: a count, not a page.
COUNT_ONLY = frozenset({"totalCount", "__typename"})


def counts_only(info: Info, first: int | None) -> bool:
    """Whether a notes field asks only how many there are (`first` is checked all the same)."""
    if selected(info) <= COUNT_ONLY:
        check_page_size(page_size(first))
        return True
    return False


def notes_counted(counted: Payload | None) -> Connection[FollowUpNote]:
    """The connection of a count alone: no edges, the total care counted."""
    total = counted["total_count"] if counted else 0
    return Connection(
        edges=[],
        page_info=PageInfo(has_next_page=total > 0, end_cursor=None),
        total_count=total,
    )


async def follow_up_notes_of(
    info: Info, child_id: uuid.UUID, first: int | None, after: str | None
) -> Connection[FollowUpNote]:
    """A page of a child's follow-up notes: confidential, like the assessments. A query that
    asks only how many there are loads the count, not the notes."""
    if counts_only(info, first):
        return notes_counted(await info.context.loaders.notes_counts.load(child_id))
    page = await info.context.loaders.notes.load((child_id, page_size(first), after))
    return connection_of(page, FollowUpNote.from_payload)
