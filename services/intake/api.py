"""Internal REST routes of the intake service (/v1), called by the gateway with the user's token."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Generic, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from pydantic import BaseModel, ConfigDict, Field

from havn.audit import AccessLogEntry, list_access, record_access
from havn.auth import DataClass, Principal, Role
from havn.auth.dependencies import CurrentPrincipal
from havn.auth.policy import MUNICIPAL_ROLES
from havn.clock import Clock
from havn.db import act_in_tenant
from havn.errors import Forbidden, InvalidInput, NotFound
from havn.events.contracts import (
    ChildSettledV1,
    Contract,
    ReferralAcceptedV1,
    ReferralCreatedV1,
    ReferralDeclinedV1,
)
from havn.events.outbox import publish
from havn.http import UnitOfWork, require_tenant
from havn.pagination import MAX_PAGE_SIZE, Page
from services.intake import domain, repository
from services.intake.models import Child, Municipality, Referral, events

SERVICE = "intake"
T = TypeVar("T")
router = APIRouter(prefix="/v1")

REFERRAL_READERS = frozenset(
    {
        Role.DIRECTORATE_ALLOCATOR,
        Role.SETTLEMENT_COORDINATOR,
        Role.CASEWORKER,
        Role.MUNICIPALITY_ADMIN,
    }
)
REFERRAL_DECIDERS = frozenset({Role.SETTLEMENT_COORDINATOR, Role.CASEWORKER})
# Contact persons see only the children assigned to them and partners only children with
# an active grant: neither assignment nor grants exist yet, so neither sees any child here.
CHILD_READERS = MUNICIPAL_ROLES - {Role.CONTACT_PERSON}


def clock(request: Request) -> Clock:
    clock_: Clock = request.app.state.clock
    return clock_


Today = Annotated[Clock, Depends(clock)]


def require_role(principal: Principal, roles: frozenset[Role], action: str) -> None:
    if not principal.has_any_role(roles):
        raise Forbidden(f"your role may not {action}")


# --- wire models --------------------------------------------------------------------------


class CreateReferralIn(BaseModel):
    municipality: str = Field(pattern=r"^\d{4}$")
    full_name: str = Field(max_length=300)
    date_of_birth: date
    sex: str
    nationality: str
    languages: list[str] = Field(max_length=20)
    needs_summary: str | None = Field(default=None, max_length=4000)
    proposed_arrival: date | None = None
    respond_by: date


class AcceptReferralIn(BaseModel):
    planned_arrival: date
    care_arrangement: domain.CareArrangement


class DeclineReferralIn(BaseModel):
    reason: str = Field(max_length=2000)


class ArrivalIn(BaseModel):
    arrived_on: date


class IdsIn(BaseModel):
    ids: list[uuid.UUID] = Field(max_length=MAX_PAGE_SIZE)


class PreparationTaskOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: domain.PreparationTaskKind
    done: bool
    due_on: date


class MinorOut(BaseModel):
    """The referred minor's pre-arrival facts: personal data."""

    full_name: str
    date_of_birth: date
    sex: str
    nationality: str
    languages: list[str]
    needs_summary: str | None


class ReferralOut(BaseModel):
    id: uuid.UUID
    municipality: str
    status: domain.ReferralStatus
    respond_by: date
    overdue: bool
    planned_arrival: date | None
    care_arrangement: domain.CareArrangement | None
    decline_reason: str | None
    preparation: list[PreparationTaskOut]
    ready_for_arrival: bool
    child_id: uuid.UUID | None
    minor: MinorOut | None


class ChildOut(BaseModel):
    id: uuid.UUID
    municipality: str
    phase: str
    # basic
    first_name: str
    age: int
    languages: list[str]
    # personal: null where the caller is not cleared
    full_name: str | None = None
    date_of_birth: date | None = None
    date_of_birth_estimated: bool | None = None
    nationality: str | None = None
    sex: str | None = None
    care_arrangement: domain.CareArrangement | None = None
    settled_on: date | None = None


class ItemsOut(BaseModel, Generic[T]):
    items: list[T]


class MunicipalityIn(BaseModel):
    number: str = Field(pattern=r"^\d{4}$")
    name: str = Field(min_length=1, max_length=100)


class MunicipalityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: str
    name: str


# --- presenters ---------------------------------------------------------------------------


def present_referral(referral: Referral, principal: Principal, today: date) -> ReferralOut:
    """What the caller may see of a referral: the minor's facts only for municipal staff."""
    municipal = principal.is_municipal and principal.cleared_for(DataClass.PERSONAL)
    arrived = referral.status == domain.ReferralStatus.ARRIVED
    return ReferralOut(
        id=referral.id,
        municipality=referral.tenant_id,
        status=domain.ReferralStatus(referral.status),
        respond_by=referral.respond_by,
        overdue=referral.status == domain.ReferralStatus.PENDING and referral.respond_by < today,
        planned_arrival=referral.planned_arrival,
        care_arrangement=(
            domain.CareArrangement(referral.care_arrangement) if referral.care_arrangement else None
        ),
        decline_reason=referral.decline_reason,
        preparation=[PreparationTaskOut.model_validate(task) for task in referral.tasks],
        ready_for_arrival=bool(referral.tasks) and all(task.done for task in referral.tasks),
        child_id=referral.child_id if arrived and principal.is_municipal else None,
        minor=MinorOut(
            full_name=referral.full_name,
            date_of_birth=referral.date_of_birth,
            sex=referral.sex,
            nationality=referral.nationality,
            languages=referral.languages,
            needs_summary=referral.needs_summary,
        )
        if municipal
        else None,
    )


def present_child(child: Child, principal: Principal, today: date) -> ChildOut:
    out = ChildOut(
        id=child.id,
        municipality=child.tenant_id,
        phase="CARE",
        first_name=child.first_name,
        age=domain.age_on(child.date_of_birth, today),
        languages=child.languages,
    )
    if principal.cleared_for(DataClass.PERSONAL):
        out.full_name, out.date_of_birth = child.full_name, child.date_of_birth
        out.date_of_birth_estimated = child.date_of_birth_estimated
        out.nationality, out.sex = child.nationality, child.sex
        out.care_arrangement = domain.CareArrangement(child.care_arrangement)
        out.settled_on = child.settled_on
    return out


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
    require_role(principal, REFERRAL_DECIDERS, "decide on referrals")
    require_tenant(principal)
    referral = await repository.get_referral(session, referral_id, for_update=True)
    if referral is None:
        raise NotFound("no such referral")
    return referral


async def record_referral_change(
    session: UnitOfWork,
    principal: Principal,
    referral: Referral,
    event: Contract,
    *,
    operation: str,
) -> None:
    """A change to a referral is an event and an access-log write, in the same transaction."""
    await publish(
        session, event, tenant=referral.tenant_id, actor=principal.username, outbox=events.outbox
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


# --- referrals ----------------------------------------------------------------------------


@router.post("/referrals", status_code=201)
async def create_referral(
    body: CreateReferralIn, principal: CurrentPrincipal, session: UnitOfWork, clock: Today
) -> ReferralOut:
    """Allocates a minor to a municipality (the directorate's phase 1)."""
    require_role(principal, frozenset({Role.DIRECTORATE_ALLOCATOR}), "create referrals")
    if await repository.get_municipality(session, body.municipality) is None:
        raise InvalidInput(f"municipality {body.municipality} is not on Havn", field="municipality")
    new = domain.check_new_referral(domain.NewReferral(**body.model_dump()), today=clock.today())
    referral = domain.open_referral(new, created_by=principal.subject)
    await act_in_tenant(session, referral.tenant_id)
    session.add(referral)
    await session.flush()
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
    principal: CurrentPrincipal,
    session: UnitOfWork,
    clock: Today,
    status: domain.ReferralStatus | None = None,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[ReferralOut]:
    require_role(principal, REFERRAL_READERS, "read referrals")
    if principal.is_municipal:
        require_tenant(principal)
    page = await repository.list_referrals(session, status=status, first=first, after=after)
    await log_minor_read(session, principal, list(page.items), "referral.list")
    today = clock.today()
    return page.map(lambda referral: present_referral(referral, principal, today))


@router.post("/referrals/batch")
async def referrals_by_ids(
    body: IdsIn, principal: CurrentPrincipal, session: UnitOfWork, clock: Today
) -> ItemsOut[ReferralOut]:
    """Loads many referrals in one call; ones the caller may not see are simply absent."""
    if not principal.has_any_role(REFERRAL_READERS):
        return ItemsOut[ReferralOut](items=[])
    referrals = list(await repository.referrals_by_ids(session, body.ids))
    await log_minor_read(session, principal, referrals, "referral.read")
    today = clock.today()
    return ItemsOut[ReferralOut](items=[present_referral(r, principal, today) for r in referrals])


@router.post("/referrals/{referral_id}/accept")
async def accept_referral(
    referral_id: uuid.UUID,
    body: AcceptReferralIn,
    principal: CurrentPrincipal,
    session: UnitOfWork,
    clock: Today,
) -> ReferralOut:
    referral = await load_referral_for_decision(session, principal, referral_id)
    tasks = domain.accept_referral(
        referral,
        planned_arrival=body.planned_arrival,
        care_arrangement=body.care_arrangement,
        today=clock.today(),
    )
    referral.tasks.extend(tasks)
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
    body: DeclineReferralIn,
    principal: CurrentPrincipal,
    session: UnitOfWork,
    clock: Today,
) -> ReferralOut:
    referral = await load_referral_for_decision(session, principal, referral_id)
    domain.decline_referral(referral, reason=body.reason)
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


@router.post("/referrals/{referral_id}/preparation/{kind}/complete")
async def complete_preparation_task(
    referral_id: uuid.UUID,
    kind: domain.PreparationTaskKind,
    principal: CurrentPrincipal,
    session: UnitOfWork,
    clock: Today,
) -> ReferralOut:
    referral = await load_referral_for_decision(session, principal, referral_id)
    domain.complete_task(
        referral, repository.find_task(referral, kind.value), by=principal.username, now=clock.now()
    )
    await session.flush()
    return present_referral(referral, principal, clock.today())


@router.post("/referrals/{referral_id}/arrival", status_code=201)
async def register_arrival(
    referral_id: uuid.UUID,
    body: ArrivalIn,
    principal: CurrentPrincipal,
    session: UnitOfWork,
    clock: Today,
) -> ChildOut:
    """Settles the child and tells every service, in the same transaction (outbox)."""
    referral = await load_referral_for_decision(session, principal, referral_id)
    child = domain.register_arrival(referral, arrived_on=body.arrived_on, today=clock.today())
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
    return present_child(child, principal, clock.today())


# --- children -----------------------------------------------------------------------------


async def log_child_reads(
    session: UnitOfWork, principal: Principal, children: list[Child], operation: str
) -> None:
    ids = [child.id for child in children]
    await record_access(
        session,
        principal,
        service=SERVICE,
        child_ids=ids,
        data_class=DataClass.BASIC,
        action="read",
        operation=operation,
    )
    if principal.cleared_for(DataClass.PERSONAL):
        await record_access(
            session,
            principal,
            service=SERVICE,
            child_ids=ids,
            data_class=DataClass.PERSONAL,
            action="read",
            operation=operation,
        )


@router.post("/children/batch")
async def children_by_ids(
    body: IdsIn, principal: CurrentPrincipal, session: UnitOfWork, clock: Today
) -> ItemsOut[ChildOut]:
    """Loads many children in one call; ones the caller may not see are simply absent."""
    if not principal.has_any_role(CHILD_READERS) or principal.tenant is None:
        return ItemsOut[ChildOut](items=[])
    children = list(await repository.children_by_ids(session, body.ids))
    await log_child_reads(session, principal, children, "child.read")
    today = clock.today()
    return ItemsOut[ChildOut](items=[present_child(c, principal, today) for c in children])


@router.get("/children")
async def list_children(
    principal: CurrentPrincipal,
    session: UnitOfWork,
    clock: Today,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[ChildOut]:
    """The caller's caseload in its tenant."""
    if principal.tenants:
        require_tenant(principal)
    if not principal.has_any_role(CHILD_READERS):
        return Page[ChildOut].empty()
    page = await repository.list_children(session, first=first, after=after)
    await log_child_reads(session, principal, list(page.items), "child.list")
    today = clock.today()
    return page.map(lambda child: present_child(child, principal, today))


# --- access log and tenants ---------------------------------------------------------------


@router.get("/access-log")
async def read_access_log(
    child_id: uuid.UUID,
    principal: CurrentPrincipal,
    session: UnitOfWork,
    first: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 50,
    after: str | None = None,
) -> Page[AccessLogEntry]:
    """Everything read or written about one child in the admin's municipality."""
    require_role(principal, frozenset({Role.MUNICIPALITY_ADMIN}), "read the access log")
    require_tenant(principal)
    if not await repository.child_subject_exists(session, child_id):
        raise NotFound("no such child")
    return await list_access(session, child_id=child_id, first=first, after=after)


@router.get("/municipalities")
async def list_municipalities(
    principal: CurrentPrincipal, session: UnitOfWork
) -> ItemsOut[MunicipalityOut]:
    return ItemsOut[MunicipalityOut](
        items=[
            MunicipalityOut.model_validate(m) for m in await repository.list_municipalities(session)
        ]
    )


@router.put("/municipalities/{number}")
async def register_municipality(
    number: str, body: MunicipalityIn, principal: CurrentPrincipal, session: UnitOfWork
) -> MunicipalityOut:
    """Onboards a municipality as a tenant (platform operators only)."""
    require_role(principal, frozenset({Role.PLATFORM_ADMIN}), "register municipalities")
    if number != body.number:
        raise InvalidInput("the number in the path and the body differ", field="number")
    municipality = await repository.get_municipality(session, number)
    if municipality is None:
        municipality = Municipality(number=number, name=body.name)
        session.add(municipality)
    municipality.name = body.name
    await session.flush()
    return MunicipalityOut.model_validate(municipality)
