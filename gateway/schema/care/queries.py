"""Care's queries: one child's care record, the caller's caseload, the assessment schedule,
whom a child can be given as contact person."""

from __future__ import annotations

import strawberry
from strawberry.types import Info

from gateway.schema.care.types import AssessmentSchedule, Caseload, ChildCare, ContactPerson
from gateway.schema.common import DEFAULT_PAGE_SIZE, Connection, connection_of, page_size
from gateway.security import Requires, caller, parse_id
from havn import permissions
from havn.errors import NotFound
from havn.vocabulary import CaseloadFilter


@strawberry.type
class CareQuery:
    @strawberry.field(
        extensions=[Requires(permissions.care.PLAN_STATUS_READ)],
        description="A child's care record; NOT_FOUND where you may see none of it.",
    )
    async def child_care(self, info: Info, child_id: strawberry.ID) -> ChildCare | None:
        payload = await info.context.loaders.care.load(parse_id(child_id, "childId"))
        if payload is None:
            raise NotFound("no such child")
        return ChildCare.from_payload(payload)

    @strawberry.field(
        extensions=[Requires(permissions.care.PLAN_STATUS_READ)],
        description="Your children in care, the most urgent assessment first: a contact "
        "person's are those assigned to them. `counts` is the backlog per filter.",
    )
    async def caseload(
        self,
        info: Info,
        filter: CaseloadFilter = CaseloadFilter.ALL,
        first: int | None = DEFAULT_PAGE_SIZE,
        after: str | None = None,
    ) -> Caseload:
        principal = caller(info)
        payload = await info.context.services.call(
            principal,
            "care",
            "GET",
            "/v1/caseload",
            params={"filter": filter.value, "first": page_size(first), "after": after},
        )
        return Caseload.from_payload(payload)

    @strawberry.field(
        extensions=[Requires(permissions.care.ASSESSMENT_SCHEDULE_READ)],
        description="The municipality's months between assessments.",
    )
    async def assessment_schedule(self, info: Info) -> AssessmentSchedule:
        payload = await info.context.services.call(
            info.context.principal, "care", "GET", "/v1/assessment-schedule"
        )
        return AssessmentSchedule(interval_months=payload["interval_months"])

    @strawberry.field(
        extensions=[Requires(permissions.care.CONTACT_PERSON_ASSIGN)],
        description="Your municipality's users with the contact-person role, whom a child can "
        "be given (those seen using Havn there), by username.",
    )
    async def contact_persons(
        self, info: Info, first: int | None = DEFAULT_PAGE_SIZE, after: str | None = None
    ) -> Connection[ContactPerson]:
        page = await info.context.services.call(
            caller(info),
            "care",
            "GET",
            "/v1/contact-persons",
            params={"first": page_size(first), "after": after},
        )
        return connection_of(page, ContactPerson.from_payload)
