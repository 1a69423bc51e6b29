"""Relocation use cases: the municipality a child lives in proposes that another take it over;
the receiving one accepts (and the child's records move there) or declines."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from havn.audit import record_accesses_where_children_live
from havn.auth import DataClass, Principal
from havn.clock import Clock
from havn.db import act_in_tenant
from havn.errors import Conflict, InvalidInput, NotFound
from havn.events.contracts import ChildRelocatedV1
from havn.pagination import Page
from havn.permissions import require_tenant
from havn.relocation import move_child
from havn.vocabulary import RelocationDirection, RelocationStatus
from services.intake import events, policy, repository
from services.intake.domain import capacity, children, relocations
from services.intake.models import Child, Relocation, travelling_tables
from services.intake.schemas import AcceptRelocationIn, ProposeRelocationIn, ReasonIn
from services.intake.service.children import record_child_write
from services.intake.service.staff import note_acting_staff_member


async def record_relocations_read(
    session: AsyncSession, principal: Principal, found: Sequence[Relocation], operation: str
) -> None:
    """A relocation shows the child's basic facts: the read goes to the log of the municipality
    the child lives in, also when the one it is proposed to reads it."""
    await record_accesses_where_children_live(
        session,
        principal,
        service=events.SERVICE,
        entries=[(policy.childs_municipality(r), r.child_id, DataClass.BASIC) for r in found],
        action="read",
        operation=operation,
    )


async def load_relocation(
    session: AsyncSession, relocation_id: uuid.UUID, *, for_update: bool = True
) -> Relocation:
    """A relocation the caller's municipality sends or receives."""
    relocation = await repository.get_relocation(session, relocation_id, for_update=for_update)
    if relocation is None:
        raise NotFound("no such relocation")
    return relocation


async def propose_relocation(
    session: AsyncSession, *, principal: Principal, body: ProposeRelocationIn, clock: Clock
) -> Relocation:
    """The municipality the child lives in proposes that another take the child over."""
    await note_acting_staff_member(session, principal)
    child = await repository.get_child(session, body.child_id, for_update=True)
    if child is None:
        raise NotFound("no such child")
    if await repository.get_municipality(session, body.to_municipality) is None:
        raise InvalidInput(
            f"municipality {body.to_municipality} is not on Havn", field="to_municipality"
        )
    if await repository.open_relocation_of(session, child.id) is not None:
        raise Conflict("this child already has a proposed relocation; cancel it first")
    relocation = relocations.propose_relocation(
        child,
        to_tenant=body.to_municipality,
        note=body.note,
        by=principal.username,
        now=clock.now(),
    )
    session.add(relocation)
    await session.flush()
    await record_child_write(session, principal, child, "child.relocation.propose")
    return relocation


async def list_relocations(
    session: AsyncSession,
    *,
    principal: Principal,
    direction: RelocationDirection | None,
    status: RelocationStatus | None,
    first: int,
    after: str | None,
) -> Page[Relocation]:
    """Relocations the municipality sends or receives, newest first."""
    page = await repository.list_relocations(
        session,
        tenant=require_tenant(principal),
        direction=direction.value if direction else None,
        status=status.value if status else None,
        first=first,
        after=after,
    )
    await record_relocations_read(session, principal, page.items, "relocation.list")
    return page


async def read_relocation(
    session: AsyncSession, *, principal: Principal, relocation_id: uuid.UUID
) -> Relocation:
    relocation = await load_relocation(session, relocation_id, for_update=False)
    await record_relocations_read(session, principal, [relocation], "relocation.read")
    return relocation


async def hand_over_child(
    session: AsyncSession,
    principal: Principal,
    relocation: Relocation,
    body: AcceptRelocationIn,
    clock: Clock,
) -> Child:
    """The sending municipality's part of an accepted relocation, done in its tenant: the
    relocation accepted, the child's place freed, the move logged and announced there (every
    other service hears child.relocated and moves its own rows), the contact person (one of
    its users) let go; then the child's rows moved. Returns the child as the receiving
    municipality now holds it, the transaction bound there again."""
    receiving, sending = require_tenant(principal), relocation.tenant_id
    today = clock.today()
    await act_in_tenant(session, sending)
    child = await repository.get_child(session, relocation.child_id, for_update=True)
    if child is None:
        raise Conflict("the child is no longer in the sending municipality")
    relocations.accept_relocation(
        relocation,
        tenant=receiving,
        care_arrangement=body.care_arrangement,
        relocated_on=body.relocated_on or today,
        settled_on=child.settled_on,
        by=principal.username,
        today=today,
        now=clock.now(),
    )
    relocated_revision = children.next_revision(child)
    capacity.release_care_place(
        await repository.get_care_places(session, sending, child.care_arrangement, for_update=True)
    )
    await session.flush()
    await events.changes.record_change(
        session,
        principal,
        tenant=sending,
        child_ids=[child.id],
        data_class=DataClass.PERSONAL,
        operation="child.relocate.out",
        event=ChildRelocatedV1(
            child_id=child.id,
            from_tenant=sending,
            to_tenant=receiving,
            relocated_on=relocation.relocated_on or today,
            revision=relocated_revision,
        ),
    )
    await repository.unassign_contact_person(session, child_id=child.id)
    await move_child(
        session, travelling_tables(), child_id=child.id, from_tenant=sending, to_tenant=receiving
    )
    moved = await repository.get_child(session, relocation.child_id, for_update=True)
    assert moved is not None, "move_child leaves the child in the receiving tenant"
    return moved


async def accept_relocation(
    session: AsyncSession,
    *,
    principal: Principal,
    relocation_id: uuid.UUID,
    body: AcceptRelocationIn,
    clock: Clock,
) -> Relocation:
    """The receiving municipality takes the child over: its records move here, in one go.

    Intake moves its own rows (the child's identity record; the referral stays with the
    municipality it was made to); a place of the chosen arrangement is taken here, and a
    different arrangement is the child's next revision, announced as child.updated.
    """
    await note_acting_staff_member(session, principal)
    relocation = await load_relocation(session, relocation_id)
    receiving = require_tenant(principal)
    relocations.check_relocation_decision(relocation, tenant=receiving, action="accept")
    child = await hand_over_child(session, principal, relocation, body, clock)
    capacity.reserve_care_place(
        await repository.get_care_places(
            session, receiving, body.care_arrangement.value, for_update=True
        ),
        body.care_arrangement,
    )
    updated = None
    if child.care_arrangement != body.care_arrangement.value:
        child.care_arrangement = body.care_arrangement.value
        child.updated_at = clock.now()
        children.next_revision(child)
        await session.flush()
        updated = events.child_updated(child)
    await events.changes.record_change(
        session,
        principal,
        tenant=receiving,
        child_ids=[child.id],
        data_class=DataClass.PERSONAL,
        operation="child.relocate.in",
        event=updated,
    )
    await session.flush()
    return relocation


async def decline_relocation(
    session: AsyncSession,
    *,
    principal: Principal,
    relocation_id: uuid.UUID,
    body: ReasonIn,
    clock: Clock,
) -> Relocation:
    """The receiving municipality says no, with a reason; the child stays where it lives."""
    await note_acting_staff_member(session, principal)
    relocation = await load_relocation(session, relocation_id)
    relocations.decline_relocation(
        relocation,
        tenant=require_tenant(principal),
        reason=body.reason,
        by=principal.username,
        now=clock.now(),
    )
    await session.flush()
    return relocation


async def cancel_relocation(
    session: AsyncSession, *, principal: Principal, relocation_id: uuid.UUID, clock: Clock
) -> Relocation:
    """The sending municipality takes its proposal back before it is answered."""
    await note_acting_staff_member(session, principal)
    relocation = await load_relocation(session, relocation_id)
    relocations.cancel_relocation(
        relocation, tenant=require_tenant(principal), by=principal.username, now=clock.now()
    )
    await session.flush()
    return relocation
