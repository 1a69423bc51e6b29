"""Internal REST routes of the intake service (/v1), called by the gateway with the user's token."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from havn import permissions
from havn.audit import (
    AccessFilter,
    AccessLogEntry,
    Action,
    list_access,
    record_access,
    record_accesses,
    record_accesses_where_children_live,
)
from havn.auth import DataClass, Principal, Role
from havn.auth.dependencies import CurrentPrincipal
from havn.clock import NORWAY, Clock
from havn.dates import BirthDate, EventDate
from havn.db import act_in_tenant
from havn.errors import Conflict, InvalidInput, NotFound
from havn.events.contracts import (
    ChildRelocatedV1,
    ChildSettledV1,
    ChildUpdatedV1,
    Contract,
    ReferralAcceptedV1,
    ReferralCreatedV1,
    ReferralDeclinedV1,
    ReferralWithdrawnV1,
)
from havn.events.outbox import publish
from havn.http import IdsIn, ItemsOut, Today, UnitOfWork
from havn.idempotency import IdempotentRoute
from havn.numbers import Int32
from havn.pagination import MAX_PAGE_SIZE, Page
from havn.permissions import require_tenant
from havn.permissions.route import permitted
from havn.reach import in_childs_municipalities
from havn.relocation import move_child
from havn.staff import note_staff_roles
from havn.text import Line, OneLine, Paragraphs, PersonName
from services.intake import domain, policy, repository
from services.intake.models import (
    CarePlaces,
    Child,
    Municipality,
    PreparationTask,
    Referral,
    Relocation,
    events,
    travelling_tables,
)

SERVICE = "intake"
T = TypeVar("T")


async def note_staff_member(principal: CurrentPrincipal, session: UnitOfWork) -> None:
    """Every municipal user acting in a municipality becomes one its tasks can be given to."""
    if principal.is_municipal and principal.tenant is not None:
        await repository.note_staff_member(
            session,
            tenant=principal.tenant,
            username=principal.username,
            role=principal.primary_role,
        )
        await note_staff_roles(session, principal)


router = APIRouter(
    prefix="/v1",
    route_class=IdempotentRoute,
    dependencies=[Depends(note_staff_member), Depends(policy.NOTE_OPENED_CHILDREN)],
)


# --- wire models --------------------------------------------------------------------------


class CreateReferralIn(BaseModel):
    municipality: str = Field(pattern=r"^\d{4}$")
    full_name: PersonName
    date_of_birth: BirthDate
    sex: Line
    nationality: Line
    languages: list[Line] = Field(max_length=20)
    needs_summary: Annotated[str, Paragraphs(4000)] | None = None
    proposed_arrival: EventDate | None = None
    respond_by: EventDate


class AcceptReferralIn(BaseModel):
    planned_arrival: EventDate
    care_arrangement: domain.CareArrangement


class ReasonIn(BaseModel):
    reason: Annotated[str, Paragraphs(2000)]


class TaskEditIn(BaseModel):
    """Fields left out stay as they are; a null owner or notes empties it."""

    owner: Annotated[str, OneLine(200)] | None = None
    notes: Annotated[str, Paragraphs(domain.MAX_TEXT)] | None = None


class ArrivalIn(BaseModel):
    arrived_on: EventDate


class ReferralSort(StrEnum):
    RESPOND_BY_ASC = "RESPOND_BY_ASC"
    RESPOND_BY_DESC = "RESPOND_BY_DESC"


class PreparationTaskOut(BaseModel):
    kind: domain.PreparationTaskKind
    done: bool
    due_on: date
    # personal: null where the caller is not cleared
    owner: str | None = None
    notes: str | None = None
    done_by: str | None = None
    done_at: datetime | None = None


class MinorOut(BaseModel):
    """The referred minor's pre-arrival facts: personal data."""

    full_name: str
    date_of_birth: date
    sex: str
    nationality: str
    languages: list[str]
    needs_summary: str | None
    proposed_arrival: date | None


class ReferralOut(BaseModel):
    id: uuid.UUID
    municipality: str
    status: domain.ReferralStatus
    respond_by: date
    overdue: bool
    planned_arrival: date | None
    care_arrangement: domain.CareArrangement | None
    care_place_reserved: bool | None
    decline_reason: str | None
    withdraw_reason: str | None
    preparation: list[PreparationTaskOut]
    ready_for_arrival: bool
    open_tasks: int
    child_id: uuid.UUID | None
    minor: MinorOut | None


class AppointmentIn(BaseModel):
    name: PersonName
    appointed_on: EventDate


class AppointmentOut(BaseModel):
    name: str
    appointed_on: date


class ChildOut(BaseModel):
    id: uuid.UUID
    municipality: str
    phase: str
    # basic
    first_name: str
    age: int
    languages: list[str]
    interpreter_needed: bool
    interpreter_language: str | None
    # personal: null where the caller is not cleared
    full_name: str | None = None
    date_of_birth: date | None = None
    date_of_birth_estimated: bool | None = None
    nationality: str | None = None
    sex: str | None = None
    care_arrangement: domain.CareArrangement | None = None
    settled_on: date | None = None
    representative: AppointmentOut | None = None
    guardian: AppointmentOut | None = None
    guardianship_ends_on: date | None = None
    # The checklist tasks still open (the ones reported when a child arrives before they are).
    open_preparation_tasks: list[PreparationTaskOut] = Field(default_factory=list)


class ProfileIn(BaseModel):
    """A profile edit: fields left out stay as they are; null empties the optional ones."""

    model_config = ConfigDict(extra="forbid")

    full_name: PersonName | None = None
    first_name: Annotated[str, OneLine(100, min_length=1)] | None = None
    date_of_birth: BirthDate | None = None
    date_of_birth_estimated: bool | None = None
    sex: Line | None = None
    nationality: Line | None = None
    languages: list[Line] | None = Field(default=None, max_length=20)
    interpreter_needed: bool | None = None
    interpreter_language: Line | None = None
    care_arrangement: domain.CareArrangement | None = None
    representative: AppointmentIn | None = None
    guardian: AppointmentIn | None = None


# Fields that may be emptied by sending null; the others must have a value when sent.
CLEARABLE_PROFILE_FIELDS = frozenset({"interpreter_language", "representative", "guardian"})
CAMEL = {
    "full_name": "fullName",
    "first_name": "firstName",
    "date_of_birth": "dateOfBirth",
    "date_of_birth_estimated": "dateOfBirthEstimated",
    "interpreter_needed": "interpreterNeeded",
    "care_arrangement": "careArrangement",
}


class MunicipalityIn(BaseModel):
    number: str = Field(pattern=r"^\d{4}$")
    name: Annotated[str, OneLine(100, min_length=1)]


class MunicipalityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: str
    name: str


class SettlementDecisionIn(BaseModel):
    minors: Int32


class CarePlacesIn(BaseModel):
    places: Int32
    free: Int32


class CarePlacesOut(BaseModel):
    care_arrangement: domain.CareArrangement
    places: int
    free: int


class CapacityOut(BaseModel):
    """One municipality's capacity: counts only, never a child."""

    municipality: str
    name: str
    year: int
    settlement_decision: int | None
    care_places: list[CarePlacesOut]
    free_places: int
    pending_referrals: int


class StaffMemberOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    username: str
    role: str


class ProposeRelocationIn(BaseModel):
    child_id: uuid.UUID
    to_municipality: str = Field(pattern=r"^\d{4}$")
    note: Annotated[str, Paragraphs(domain.MAX_TEXT)] | None = None


class AcceptRelocationIn(BaseModel):
    care_arrangement: domain.CareArrangement
    relocated_on: EventDate | None = None


class RelocationDirection(StrEnum):
    OUTGOING = "OUTGOING"
    INCOMING = "INCOMING"


class RelocationOut(BaseModel):
    id: uuid.UUID
    child_id: uuid.UUID
    from_municipality: str
    to_municipality: str
    status: domain.RelocationStatus
    note: str | None
    # basic facts the receiving municipality decides on
    child_first_name: str
    child_age: int
    child_languages: list[str]
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decline_reason: str | None
    care_arrangement: domain.CareArrangement | None
    relocated_on: date | None


# --- presenters ---------------------------------------------------------------------------


def present_task(task: PreparationTask, principal: Principal) -> PreparationTaskOut:
    out = PreparationTaskOut(
        kind=domain.PreparationTaskKind(task.kind), done=task.done, due_on=task.due_on
    )
    if principal.is_municipal and principal.cleared_for(DataClass.PERSONAL):
        out.owner, out.notes = task.owner, task.notes
        out.done_by, out.done_at = task.done_by, task.done_at
    return out


def present_referral(referral: Referral, principal: Principal, today: date) -> ReferralOut:
    """What the caller may see of a referral: the minor's facts only for municipal staff."""
    municipal = principal.is_municipal and principal.cleared_for(DataClass.PERSONAL)
    arrived = referral.status == domain.ReferralStatus.ARRIVED
    return ReferralOut(
        id=referral.id,
        municipality=referral.tenant_id,
        status=domain.ReferralStatus(referral.status),
        respond_by=referral.respond_by,
        overdue=domain.is_overdue(referral, today=today),
        planned_arrival=referral.planned_arrival,
        care_arrangement=(
            domain.CareArrangement(referral.care_arrangement) if referral.care_arrangement else None
        ),
        care_place_reserved=referral.care_place_reserved,
        decline_reason=referral.decline_reason,
        withdraw_reason=referral.withdraw_reason,
        preparation=[present_task(task, principal) for task in referral.tasks],
        ready_for_arrival=domain.ready_for_arrival(referral),
        open_tasks=len(domain.open_tasks(referral)),
        child_id=referral.child_id if arrived and principal.is_municipal else None,
        minor=MinorOut(
            full_name=referral.full_name,
            date_of_birth=referral.date_of_birth,
            sex=referral.sex,
            nationality=referral.nationality,
            languages=referral.languages,
            needs_summary=referral.needs_summary,
            proposed_arrival=referral.proposed_arrival,
        )
        if municipal
        else None,
    )


def _appointment(name: str | None, on: date | None) -> AppointmentOut | None:
    return AppointmentOut(name=name, appointed_on=on) if name and on else None


def present_child(
    child: Child,
    principal: Principal,
    today: date,
    open_tasks: Sequence[PreparationTask] = (),
) -> ChildOut:
    out = ChildOut(
        id=child.id,
        municipality=child.tenant_id,
        phase="CARE",
        first_name=child.first_name,
        age=domain.age_on(child.date_of_birth, today),
        languages=child.languages,
        interpreter_needed=child.interpreter_needed,
        interpreter_language=child.interpreter_language,
    )
    if principal.cleared_for(DataClass.PERSONAL):
        out.full_name, out.date_of_birth = child.full_name, child.date_of_birth
        out.date_of_birth_estimated = child.date_of_birth_estimated
        out.nationality, out.sex = child.nationality, child.sex
        out.care_arrangement = domain.CareArrangement(child.care_arrangement)
        out.settled_on = child.settled_on
        out.representative = _appointment(
            child.representative_name, child.representative_appointed_on
        )
        out.guardian = _appointment(child.guardian_name, child.guardian_appointed_on)
        out.guardianship_ends_on = domain.eighteenth_birthday(child.date_of_birth)
        out.open_preparation_tasks = [present_task(task, principal) for task in open_tasks]
    return out


def present_capacity(
    municipality: Municipality, rows: repository.CapacityRows, year: int
) -> CapacityOut:
    places = rows.places.get(municipality.number, [])
    return CapacityOut(
        municipality=municipality.number,
        name=municipality.name,
        year=year,
        settlement_decision=rows.decisions.get(municipality.number),
        care_places=[
            CarePlacesOut(
                care_arrangement=domain.CareArrangement(p.care_arrangement),
                places=p.places,
                free=p.free,
            )
            for p in places
        ],
        free_places=sum(p.free for p in places),
        pending_referrals=rows.pending.get(municipality.number, 0),
    )


def present_relocation(relocation: Relocation, today: date) -> RelocationOut:
    return RelocationOut(
        id=relocation.id,
        child_id=relocation.child_id,
        from_municipality=relocation.tenant_id,
        to_municipality=relocation.to_tenant,
        status=domain.RelocationStatus(relocation.status),
        note=relocation.note,
        child_first_name=relocation.child_first_name,
        child_age=domain.age_on(relocation.child_date_of_birth, today),
        child_languages=relocation.child_languages,
        proposed_by=relocation.proposed_by,
        proposed_at=relocation.proposed_at,
        decided_by=relocation.decided_by,
        decided_at=relocation.decided_at,
        decline_reason=relocation.decline_reason,
        care_arrangement=(
            domain.CareArrangement(relocation.care_arrangement)
            if relocation.care_arrangement
            else None
        ),
        relocated_on=relocation.relocated_on,
    )


async def log_minor_read(
    session: UnitOfWork, principal: Principal, referrals: list[Referral], operation: str
) -> None:
    """Reading a referral's minor facts is reading that child's personal data."""
    if principal.is_municipal and principal.cleared_for(DataClass.PERSONAL):
        for tenant in {r.tenant_id for r in referrals}:
            await record_access(
                session,
                principal,
                service=SERVICE,
                tenant=tenant,
                child_ids=[r.child_id for r in referrals if r.tenant_id == tenant],
                data_class=DataClass.PERSONAL,
                action="read",
                operation=operation,
            )


async def load_referral_for_decision(
    session: UnitOfWork, principal: Principal, referral_id: uuid.UUID
) -> Referral:
    referral = await repository.get_referral(session, referral_id, for_update=True)
    if referral is None:
        raise NotFound("no such referral")
    return referral


async def record_referral_change(
    session: UnitOfWork,
    principal: Principal,
    referral: Referral,
    event: Contract | None,
    *,
    operation: str,
) -> None:
    """A change to a referral is an event and an access-log write, in the same transaction."""
    if event is not None:
        await publish(
            session,
            event,
            tenant=referral.tenant_id,
            actor=principal.username,
            outbox=events.outbox,
        )
    await record_access(
        session,
        principal,
        service=SERVICE,
        tenant=referral.tenant_id,
        child_ids=[referral.child_id],
        data_class=DataClass.PERSONAL,
        action="write",
        operation=operation,
    )


def child_updated(child: Child) -> ChildUpdatedV1:
    return ChildUpdatedV1(
        child_id=child.id,
        first_name=child.first_name,
        full_name=child.full_name,
        date_of_birth=child.date_of_birth,
        date_of_birth_estimated=child.date_of_birth_estimated,
        sex=child.sex,
        nationality=child.nationality,
        languages=child.languages,
        care_arrangement=child.care_arrangement,
        revision=child.revision,
        interpreter_needed=child.interpreter_needed,
    )


# --- referrals ----------------------------------------------------------------------------


@router.post("/referrals", status_code=201)
async def create_referral(
    body: CreateReferralIn,
    principal: Annotated[Principal, permitted(permissions.intake.REFERRAL_CREATE)],
    session: UnitOfWork,
    clock: Today,
) -> ReferralOut:
    """Allocates a minor to a municipality (the directorate's phase 1)."""
    if await repository.get_municipality(session, body.municipality) is None:
        raise InvalidInput(f"municipality {body.municipality} is not on Havn", field="municipality")
    new = domain.check_new_referral(domain.NewReferral(**body.model_dump()), today=clock.today())
    referral = domain.open_referral(new, created_by=principal.subject)
    await act_in_tenant(session, referral.tenant_id)
    session.add(referral)
    await session.flush()
    await repository.count_pending(session, referral.tenant_id, +1)
    await record_referral_change(
        session,
        principal,
        referral,
        ReferralCreatedV1(
            referral_id=referral.id,
            municipality=referral.tenant_id,
            respond_by=referral.respond_by,
        ),
        operation="referral.create",
    )
    return present_referral(referral, principal, clock.today())


@router.get("/referrals")
async def list_referrals(
    principal: Annotated[Principal, permitted(permissions.intake.REFERRALS_READ)],
    session: UnitOfWork,
    clock: Today,
    status: Annotated[list[domain.ReferralStatus] | None, Query()] = None,
    overdue: bool | None = None,
    arrival_from: date | None = None,
    arrival_to: date | None = None,
    municipality: Annotated[str | None, Query(pattern=r"^\d{4}$")] = None,
    sort: ReferralSort = ReferralSort.RESPOND_BY_ASC,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[ReferralOut]:
    """Referrals the caller may see, filtered and sorted by respond-by date."""
    if arrival_from and arrival_to and arrival_from > arrival_to:
        raise InvalidInput("the arrival window ends before it starts", field="arrivalTo")
    today = clock.today()
    page = await repository.list_referrals(
        session,
        where=repository.ReferralFilter(
            statuses=[s.value for s in status] if status else None,
            overdue=overdue,
            arrival_from=arrival_from,
            arrival_to=arrival_to,
            municipality=municipality,
        ),
        today=today,
        descending=sort == ReferralSort.RESPOND_BY_DESC,
        first=first,
        after=after,
    )
    await log_minor_read(session, principal, list(page.items), "referral.list")
    return page.map(lambda referral: present_referral(referral, principal, today))


@router.post("/referrals/batch")
async def referrals_by_ids(
    body: IdsIn,
    principal: Annotated[Principal, permitted(permissions.intake.REFERRALS_READ)],
    session: UnitOfWork,
    clock: Today,
) -> ItemsOut[ReferralOut]:
    """Loads many referrals in one call; ones the caller may not see are simply absent."""
    referrals = list(await repository.referrals_by_ids(session, body.ids))
    await log_minor_read(session, principal, referrals, "referral.read")
    today = clock.today()
    return ItemsOut[ReferralOut](items=[present_referral(r, principal, today) for r in referrals])


@router.post("/referrals/{referral_id}/accept")
async def accept_referral(
    referral_id: uuid.UUID,
    body: AcceptReferralIn,
    principal: Annotated[Principal, permitted(permissions.intake.REFERRAL_DECIDE)],
    session: UnitOfWork,
    clock: Today,
) -> ReferralOut:
    """Accepts a referral, reserves a care place and opens the preparation checklist."""
    referral = await load_referral_for_decision(session, principal, referral_id)
    tasks = domain.accept_referral(
        referral,
        planned_arrival=body.planned_arrival,
        care_arrangement=body.care_arrangement,
        today=clock.today(),
    )
    places = await repository.get_care_places(
        session, referral.tenant_id, body.care_arrangement.value, for_update=True
    )
    referral.care_place_reserved = domain.reserve_care_place(places, body.care_arrangement)
    referral.tasks.extend(tasks)
    await repository.count_pending(session, referral.tenant_id, -1)
    await record_referral_change(
        session,
        principal,
        referral,
        ReferralAcceptedV1(
            referral_id=referral.id,
            municipality=referral.tenant_id,
            planned_arrival=body.planned_arrival,
            care_arrangement=body.care_arrangement.value,
        ),
        operation="referral.accept",
    )
    await session.flush()
    return present_referral(referral, principal, clock.today())


@router.post("/referrals/{referral_id}/decline")
async def decline_referral(
    referral_id: uuid.UUID,
    body: ReasonIn,
    principal: Annotated[Principal, permitted(permissions.intake.REFERRAL_DECIDE)],
    session: UnitOfWork,
    clock: Today,
) -> ReferralOut:
    referral = await load_referral_for_decision(session, principal, referral_id)
    domain.decline_referral(referral, reason=body.reason)
    await repository.count_pending(session, referral.tenant_id, -1)
    await record_referral_change(
        session,
        principal,
        referral,
        ReferralDeclinedV1(
            referral_id=referral.id,
            municipality=referral.tenant_id,
            reason=referral.decline_reason,
        ),
        operation="referral.decline",
    )
    await session.flush()
    return present_referral(referral, principal, clock.today())


@router.post("/referrals/{referral_id}/withdraw")
async def withdraw_referral(
    referral_id: uuid.UUID,
    body: ReasonIn,
    principal: Annotated[Principal, permitted(permissions.intake.REFERRAL_WITHDRAW)],
    session: UnitOfWork,
    clock: Today,
) -> ReferralOut:
    """The allocator who made a referral takes it back while it is still pending."""
    # Row-level security shows an allocator only the referrals it created.
    referral = await repository.get_referral(session, referral_id, for_update=True)
    if referral is None:
        raise NotFound("no such referral")
    domain.withdraw_referral(referral, reason=body.reason)
    await act_in_tenant(session, referral.tenant_id)
    await repository.count_pending(session, referral.tenant_id, -1)
    await record_referral_change(
        session,
        principal,
        referral,
        ReferralWithdrawnV1(
            referral_id=referral.id,
            municipality=referral.tenant_id,
            reason=body.reason.strip(),
        ),
        operation="referral.withdraw",
    )
    await session.flush()
    return present_referral(referral, principal, clock.today())


async def _checklist_change(
    session: UnitOfWork, principal: Principal, referral: Referral, operation: str, clock: Clock
) -> ReferralOut:
    await record_referral_change(session, principal, referral, None, operation=operation)
    await session.flush()
    return present_referral(referral, principal, clock.today())


@router.post("/referrals/{referral_id}/preparation/{kind}/complete")
async def complete_preparation_task(
    referral_id: uuid.UUID,
    kind: domain.PreparationTaskKind,
    principal: Annotated[Principal, permitted(permissions.intake.PREPARATION)],
    session: UnitOfWork,
    clock: Today,
) -> ReferralOut:
    referral = await load_referral_for_decision(session, principal, referral_id)
    domain.complete_task(
        referral, repository.find_task(referral, kind.value), by=principal.username, now=clock.now()
    )
    return await _checklist_change(session, principal, referral, "preparation.complete", clock)


@router.post("/referrals/{referral_id}/preparation/{kind}/reopen")
async def reopen_preparation_task(
    referral_id: uuid.UUID,
    kind: domain.PreparationTaskKind,
    principal: Annotated[Principal, permitted(permissions.intake.PREPARATION)],
    session: UnitOfWork,
    clock: Today,
) -> ReferralOut:
    referral = await load_referral_for_decision(session, principal, referral_id)
    domain.reopen_task(referral, repository.find_task(referral, kind.value))
    return await _checklist_change(session, principal, referral, "preparation.reopen", clock)


@router.patch("/referrals/{referral_id}/preparation/{kind}")
async def edit_preparation_task(
    referral_id: uuid.UUID,
    kind: domain.PreparationTaskKind,
    body: TaskEditIn,
    principal: Annotated[Principal, permitted(permissions.intake.PREPARATION)],
    session: UnitOfWork,
    clock: Today,
) -> ReferralOut:
    """Gives a task an owner from the municipality's staff, and notes."""
    referral = await load_referral_for_decision(session, principal, referral_id)
    sent = body.model_fields_set
    edit = domain.TaskEdit(
        owner=body.owner,
        notes=body.notes,
        cleared=frozenset(n for n in ("owner", "notes") if n in sent and getattr(body, n) is None),
    )
    staff = await repository.staff_usernames(session, referral.tenant_id)
    domain.edit_task(referral, repository.find_task(referral, kind.value), edit, staff=staff)
    return await _checklist_change(session, principal, referral, "preparation.edit", clock)


@router.post("/referrals/{referral_id}/arrival", status_code=201)
async def register_arrival(
    referral_id: uuid.UUID,
    body: ArrivalIn,
    principal: Annotated[Principal, permitted(permissions.intake.PREPARATION)],
    session: UnitOfWork,
    clock: Today,
) -> ChildOut:
    """Settles the child and tells every service, in the same transaction (outbox).

    Open checklist tasks do not hold the child back: they come back on the result.
    A retry of an arrival already registered answers as the first did and changes nothing.
    """
    referral = await load_referral_for_decision(session, principal, referral_id)
    if referral.status == domain.ReferralStatus.ARRIVED:
        settled = await repository.get_child(session, referral.child_id)
        if settled is not None and domain.repeats_arrival(
            referral, settled, arrived_on=body.arrived_on
        ):
            await record_access(
                session,
                principal,
                service=SERVICE,
                child_ids=[settled.id],
                data_class=DataClass.PERSONAL,
                action="read",
                operation="child.settle",
            )
            return present_child(settled, principal, clock.today(), domain.open_tasks(referral))
    child = domain.register_arrival(
        referral,
        arrived_on=body.arrived_on,
        referred_on=referral.created_at.astimezone(NORWAY).date(),
        today=clock.today(),
    )
    session.add(child)
    await session.flush()
    await publish(
        session,
        ChildSettledV1(
            child_id=child.id,
            referral_id=referral.id,
            first_name=child.first_name,
            full_name=child.full_name,
            date_of_birth=child.date_of_birth,
            date_of_birth_estimated=child.date_of_birth_estimated,
            sex=child.sex,
            nationality=child.nationality,
            languages=child.languages,
            care_arrangement=child.care_arrangement,
            settled_on=child.settled_on,
            revision=child.revision,
            interpreter_needed=child.interpreter_needed,
        ),
        tenant=child.tenant_id,
        actor=principal.username,
        outbox=events.outbox,
    )
    await record_access(
        session,
        principal,
        service=SERVICE,
        child_ids=[child.id],
        data_class=DataClass.PERSONAL,
        action="write",
        operation="child.settle",
    )
    return present_child(child, principal, clock.today(), domain.open_tasks(referral))


# --- children -----------------------------------------------------------------------------


async def log_child_access(
    session: UnitOfWork,
    principal: Principal,
    children: Sequence[Child],
    operation: str,
    action: Action = "read",
) -> None:
    classes = [DataClass.BASIC]
    if principal.cleared_for(DataClass.PERSONAL):
        classes.append(DataClass.PERSONAL)
    await record_accesses(
        session,
        principal,
        service=SERVICE,
        entries=[(child.id, data_class) for child in children for data_class in classes],
        action=action,
        operation=operation,
    )


async def present_children(
    session: UnitOfWork, principal: Principal, children: Sequence[Child], today: date
) -> list[ChildOut]:
    """Children with their open checklist tasks, in one more statement whatever their number."""
    open_by_referral: dict[uuid.UUID, list[PreparationTask]] = {}
    if children and principal.cleared_for(DataClass.PERSONAL):
        referral_ids = [c.referral_id for c in children]
        for task in await repository.open_tasks_of_referrals(session, referral_ids):
            open_by_referral.setdefault(task.referral_id, []).append(task)
    return [
        present_child(child, principal, today, open_by_referral.get(child.referral_id, []))
        for child in children
    ]


@router.post("/children/batch")
async def children_by_ids(
    body: IdsIn,
    principal: Annotated[Principal, permitted(permissions.intake.CHILD_LOOKUP)],
    session: UnitOfWork,
    clock: Today,
) -> ItemsOut[ChildOut]:
    """Loads many children in one call; ones the caller may not see are simply absent. A
    child the caller opened by breaking the glass in another municipality is read there."""
    today = clock.today()

    async def read(reader: Principal, ids: Sequence[uuid.UUID]) -> list[ChildOut]:
        reach = policy.child_reach(reader)
        if reach.nobody:
            return []
        children = list(await repository.children_by_ids(session, ids, reach=reach))
        await log_child_access(session, reader, children, "child.read")
        return await present_children(session, reader, children, today)

    items = await in_childs_municipalities(session, principal, body.ids, read)
    return ItemsOut[ChildOut](items=items)


@router.get("/children")
async def list_children(
    principal: Annotated[Principal, permitted(permissions.intake.CHILD_LOOKUP)],
    session: UnitOfWork,
    clock: Today,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
    name: Annotated[str | None, Query(max_length=200)] = None,
) -> Page[ChildOut]:
    """The caller's caseload in its tenant; `name` finds children by name, accents ignored."""
    reach = policy.child_reach(principal).listed
    if reach.nobody:
        return Page[ChildOut].empty()
    folded = None
    if name is not None:
        folded = domain.fold_for_search(name)
        if not folded:
            raise InvalidInput("type part of a name to search for", field="name")
    page = await repository.list_children(
        session, first=first, after=after, name=folded, reach=reach
    )
    await log_child_access(session, principal, page.items, "child.list")
    presented = iter(await present_children(session, principal, page.items, clock.today()))
    return page.map(lambda _child: next(presented))


@router.patch("/children/{child_id}")
async def edit_child_profile(
    child_id: uuid.UUID,
    body: ProfileIn,
    principal: Annotated[Principal, permitted(permissions.intake.PROFILE_WRITE)],
    session: UnitOfWork,
    clock: Today,
) -> ChildOut:
    """Edits the child's profile; a change is published as child.updated to every service."""
    child = await repository.get_child(session, child_id, for_update=True)
    if child is None:
        raise NotFound("no such child")
    sent = body.model_fields_set
    for name in sent - CLEARABLE_PROFILE_FIELDS:
        if getattr(body, name) is None:
            field = CAMEL.get(name, name)
            raise InvalidInput(f"{field} cannot be emptied", field=field)
    edit = domain.ProfileEdit(
        **{
            name: getattr(body, name)
            for name in sent
            if name not in {"representative", "guardian"} and getattr(body, name) is not None
        },
        representative=domain.Appointment(**body.representative.model_dump())
        if body.representative
        else None,
        guardian=domain.Appointment(**body.guardian.model_dump()) if body.guardian else None,
        cleared=frozenset(n for n in sent & CLEARABLE_PROFILE_FIELDS if getattr(body, n) is None),
    )
    changed = domain.edit_profile(child, edit, today=clock.today(), now=clock.now())
    if changed:
        await session.flush()
        await publish(
            session,
            child_updated(child),
            tenant=child.tenant_id,
            actor=principal.username,
            outbox=events.outbox,
        )
    await log_child_access(session, principal, [child], "child.update", action="write")
    [out] = await present_children(session, principal, [child], clock.today())
    return out


# --- capacity -------------------------------------------------------------------------------


@router.get("/capacity")
async def list_capacity(
    principal: Annotated[Principal, permitted(permissions.intake.CAPACITY_READ)],
    session: UnitOfWork,
    clock: Today,
    year: Annotated[int | None, Query(ge=2000, le=2100)] = None,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[CapacityOut]:
    """Capacity beside pending referrals: every municipality for the allocator, else one's own."""
    the_year = year or clock.today().year
    numbers = (
        None if principal.has_role(Role.DIRECTORATE_ALLOCATOR) else [require_tenant(principal)]
    )
    page, rows = await repository.capacity_of(
        session, year=the_year, numbers=numbers, first=first, after=after
    )
    return page.map(lambda municipality: present_capacity(municipality, rows, the_year))


async def _own_capacity(session: UnitOfWork, tenant: str, year: int) -> CapacityOut:
    page, rows = await repository.capacity_of(
        session, year=year, numbers=[tenant], first=1, after=None
    )
    [municipality] = page.items
    return present_capacity(municipality, rows, year)


@router.put("/capacity/decisions/{year}")
async def record_settlement_decision(
    year: int,
    body: SettlementDecisionIn,
    principal: Annotated[Principal, permitted(permissions.intake.CAPACITY_WRITE)],
    session: UnitOfWork,
    clock: Today,
) -> CapacityOut:
    """Records (or corrects) how many minors the municipality will settle in a year."""
    tenant = require_tenant(principal)
    domain.check_settlement_decision(year=year, minors=body.minors, today=clock.today())
    await repository.save_settlement_decision(
        session, tenant=tenant, year=year, minors=body.minors, by=principal.username, at=clock.now()
    )
    return await _own_capacity(session, tenant, year)


@router.put("/capacity/care-places/{care_arrangement}")
async def record_care_places(
    care_arrangement: domain.CareArrangement,
    body: CarePlacesIn,
    principal: Annotated[Principal, permitted(permissions.intake.CAPACITY_WRITE)],
    session: UnitOfWork,
    clock: Today,
) -> CapacityOut:
    """Records how many places of one arrangement type there are, and how many are free."""
    tenant = require_tenant(principal)
    domain.check_care_places(places=body.places, free=body.free)
    places = await repository.get_care_places(
        session, tenant, care_arrangement.value, for_update=True
    )
    if places is None:
        places = CarePlaces(tenant_id=tenant, care_arrangement=care_arrangement.value)
        session.add(places)
    places.places, places.free = body.places, body.free
    places.recorded_by, places.recorded_at = principal.username, clock.now()
    await session.flush()
    return await _own_capacity(session, tenant, clock.today().year)


@router.get("/staff")
async def list_staff(
    principal: Annotated[Principal, permitted(permissions.intake.STAFF_READ)],
    session: UnitOfWork,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[StaffMemberOut]:
    """The municipality's users who can own checklist tasks."""
    tenant = require_tenant(principal)
    page = await repository.list_staff(session, tenant, first=first, after=after)
    return page.map(StaffMemberOut.model_validate)


# --- relocation -----------------------------------------------------------------------------


async def log_relocation_read(
    session: UnitOfWork, principal: Principal, relocations: Sequence[Relocation], operation: str
) -> None:
    """A relocation shows the child's basic facts: the read goes to the log of the municipality
    the child lives in, also when the one it is proposed to reads it."""
    await record_accesses_where_children_live(
        session,
        principal,
        service=SERVICE,
        entries=[(policy.childs_municipality(r), r.child_id, DataClass.BASIC) for r in relocations],
        action="read",
        operation=operation,
    )


async def load_relocation(
    session: UnitOfWork, principal: Principal, relocation_id: uuid.UUID
) -> Relocation:
    relocation = await repository.get_relocation(session, relocation_id, for_update=True)
    if relocation is None:
        raise NotFound("no such relocation")
    return relocation


@router.post("/relocations", status_code=201)
async def propose_relocation(
    body: ProposeRelocationIn,
    principal: Annotated[Principal, permitted(permissions.intake.RELOCATIONS)],
    session: UnitOfWork,
    clock: Today,
) -> RelocationOut:
    """The municipality the child lives in proposes that another take the child over."""
    child = await repository.get_child(session, body.child_id, for_update=True)
    if child is None:
        raise NotFound("no such child")
    if await repository.get_municipality(session, body.to_municipality) is None:
        raise InvalidInput(
            f"municipality {body.to_municipality} is not on Havn", field="toMunicipality"
        )
    if await repository.open_relocation_of(session, child.id) is not None:
        raise Conflict("this child already has a proposed relocation; cancel it first")
    relocation = domain.propose_relocation(
        child,
        to_tenant=body.to_municipality,
        note=body.note,
        by=principal.username,
        now=clock.now(),
    )
    session.add(relocation)
    await session.flush()
    await log_child_access(session, principal, [child], "child.relocation.propose", action="write")
    return present_relocation(relocation, clock.today())


@router.get("/relocations")
async def list_relocations(
    principal: Annotated[Principal, permitted(permissions.intake.RELOCATIONS)],
    session: UnitOfWork,
    clock: Today,
    direction: RelocationDirection | None = None,
    status: domain.RelocationStatus | None = None,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[RelocationOut]:
    """Relocations the municipality sends or receives, newest first."""
    tenant = require_tenant(principal)
    page = await repository.list_relocations(
        session,
        tenant=tenant,
        direction=direction.value if direction else None,
        status=status.value if status else None,
        first=first,
        after=after,
    )
    await log_relocation_read(session, principal, page.items, "relocation.list")
    today = clock.today()
    return page.map(lambda relocation: present_relocation(relocation, today))


@router.get("/relocations/{relocation_id}")
async def read_relocation(
    relocation_id: uuid.UUID,
    principal: Annotated[Principal, permitted(permissions.intake.RELOCATIONS)],
    session: UnitOfWork,
    clock: Today,
) -> RelocationOut:
    relocation = await repository.get_relocation(session, relocation_id)
    if relocation is None:
        raise NotFound("no such relocation")
    await log_relocation_read(session, principal, [relocation], "relocation.read")
    return present_relocation(relocation, clock.today())


@router.post("/relocations/{relocation_id}/accept")
async def accept_relocation(
    relocation_id: uuid.UUID,
    body: AcceptRelocationIn,
    principal: Annotated[Principal, permitted(permissions.intake.RELOCATIONS)],
    session: UnitOfWork,
    clock: Today,
) -> RelocationOut:
    """The receiving municipality takes the child over: its records move here, in one go.

    Intake moves its own rows (the child's identity record; the referral stays with the
    municipality it was made to) and publishes child.relocated in the sending municipality,
    where every other service hears it and moves its own rows.
    """
    relocation = await load_relocation(session, principal, relocation_id)
    receiving, sending = require_tenant(principal), relocation.tenant_id
    domain.check_relocation_decision(relocation, tenant=receiving, action="accept")
    today = clock.today()
    await act_in_tenant(session, sending)
    child = await repository.get_child(session, relocation.child_id, for_update=True)
    if child is None:
        raise Conflict("the child is no longer in the sending municipality")
    domain.accept_relocation(
        relocation,
        tenant=receiving,
        care_arrangement=body.care_arrangement,
        relocated_on=body.relocated_on or today,
        settled_on=child.settled_on,
        by=principal.username,
        today=today,
        now=clock.now(),
    )
    relocated_revision = domain.next_revision(child)
    domain.release_care_place(
        await repository.get_care_places(session, sending, child.care_arrangement, for_update=True)
    )
    await session.flush()
    await record_access(
        session,
        principal,
        service=SERVICE,
        tenant=sending,
        child_ids=[child.id],
        data_class=DataClass.PERSONAL,
        action="write",
        operation="child.relocate.out",
    )
    await publish(
        session,
        ChildRelocatedV1(
            child_id=child.id,
            from_tenant=sending,
            to_tenant=receiving,
            relocated_on=relocation.relocated_on or today,
            revision=relocated_revision,
        ),
        tenant=sending,
        actor=principal.username,
        outbox=events.outbox,
    )
    # The contact person belongs to the sending municipality: the child arrives without one.
    await act_in_tenant(session, sending)
    await repository.unassign_contact_person(session, child_id=child.id)
    await move_child(
        session, travelling_tables(), child_id=child.id, from_tenant=sending, to_tenant=receiving
    )
    moved = await repository.get_child(session, relocation.child_id, for_update=True)
    assert moved is not None, "move_child leaves the child in the receiving tenant"
    domain.reserve_care_place(
        await repository.get_care_places(
            session, receiving, body.care_arrangement.value, for_update=True
        ),
        body.care_arrangement,
    )
    if moved.care_arrangement != body.care_arrangement.value:
        moved.care_arrangement = body.care_arrangement.value
        moved.updated_at = clock.now()
        domain.next_revision(moved)
        await session.flush()
        await publish(
            session,
            child_updated(moved),
            tenant=receiving,
            actor=principal.username,
            outbox=events.outbox,
        )
    await record_access(
        session,
        principal,
        service=SERVICE,
        child_ids=[moved.id],
        data_class=DataClass.PERSONAL,
        action="write",
        operation="child.relocate.in",
    )
    await session.flush()
    return present_relocation(relocation, today)


@router.post("/relocations/{relocation_id}/decline")
async def decline_relocation(
    relocation_id: uuid.UUID,
    body: ReasonIn,
    principal: Annotated[Principal, permitted(permissions.intake.RELOCATIONS)],
    session: UnitOfWork,
    clock: Today,
) -> RelocationOut:
    relocation = await load_relocation(session, principal, relocation_id)
    domain.decline_relocation(
        relocation,
        tenant=require_tenant(principal),
        reason=body.reason,
        by=principal.username,
        now=clock.now(),
    )
    await session.flush()
    return present_relocation(relocation, clock.today())


@router.post("/relocations/{relocation_id}/cancel")
async def cancel_relocation(
    relocation_id: uuid.UUID,
    principal: Annotated[Principal, permitted(permissions.intake.RELOCATIONS)],
    session: UnitOfWork,
    clock: Today,
) -> RelocationOut:
    relocation = await load_relocation(session, principal, relocation_id)
    domain.cancel_relocation(
        relocation, tenant=require_tenant(principal), by=principal.username, now=clock.now()
    )
    await session.flush()
    return present_relocation(relocation, clock.today())


# --- access log and tenants ---------------------------------------------------------------


@router.get("/access-log")
async def read_access_log(
    child_id: uuid.UUID,
    principal: Annotated[Principal, permitted(permissions.intake.ACCESS_LOG_READ)],
    session: UnitOfWork,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
    since: date | None = None,
    until: date | None = None,
    actor: Annotated[str | None, Query(max_length=200)] = None,
    data_class: DataClass | None = None,
) -> Page[AccessLogEntry]:
    """Everything read or written about one child in the admin's municipality; `since` and
    `until` (days, both included), `actor` and `data_class` narrow it."""
    if since is not None and until is not None and until < since:
        raise InvalidInput("the last day comes before the first", field="to")
    if not await repository.child_subject_exists(session, child_id):
        raise NotFound("no such child")
    only = AccessFilter(since=since, until=until, actor=actor, data_class=data_class)
    return await list_access(session, child_id=child_id, first=first, after=after, only=only)


@router.get("/municipalities")
async def list_municipalities(
    principal: Annotated[Principal, permitted(permissions.intake.MUNICIPALITIES_READ)],
    session: UnitOfWork,
) -> ItemsOut[MunicipalityOut]:
    return ItemsOut[MunicipalityOut](
        items=[
            MunicipalityOut.model_validate(m) for m in await repository.list_municipalities(session)
        ]
    )


@router.put("/municipalities/{number}")
async def register_municipality(
    number: str,
    body: MunicipalityIn,
    principal: Annotated[Principal, permitted(permissions.intake.MUNICIPALITY_REGISTER)],
    session: UnitOfWork,
) -> MunicipalityOut:
    """Onboards a municipality as a tenant (platform operators only)."""
    if number != body.number:
        raise InvalidInput("the number in the path and the body differ", field="number")
    municipality = await repository.get_municipality(session, number)
    if municipality is None:
        municipality = Municipality(number=number, name=body.name)
        session.add(municipality)
    municipality.name = body.name
    await session.flush()
    return MunicipalityOut.model_validate(municipality)
