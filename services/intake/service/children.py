"""Use cases of the settled child's record: look children up, list a caseload, edit a profile."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import DataClass, Principal
from havn.clock import Clock
from havn.errors import InvalidInput, NotFound
from havn.events.contracts import Contract
from havn.pagination import Page
from havn.reach import in_childs_municipalities
from services.intake import events, policy, repository
from services.intake.domain import children, identity
from services.intake.domain.children import ChildRecord
from services.intake.models import Child, PreparationTask
from services.intake.schemas import ProfileIn
from services.intake.service.staff import note_acting_staff_member, note_contact_person_at_work


def classes_seen(principal: Principal) -> list[DataClass]:
    """What of a child the caller sees: its basic facts, and its personal ones if cleared."""
    if principal.cleared_for(DataClass.PERSONAL):
        return [DataClass.BASIC, DataClass.PERSONAL]
    return [DataClass.BASIC]


async def with_open_tasks(
    session: AsyncSession, principal: Principal, found: Sequence[Child]
) -> list[ChildRecord]:
    """Children with their open checklist tasks, in one more statement whatever their number
    (none for a caller who may not see the tasks)."""
    open_by_referral: dict[uuid.UUID, list[PreparationTask]] = {}
    if found and principal.cleared_for(DataClass.PERSONAL):
        referral_ids = [child.referral_id for child in found]
        for task in await repository.open_tasks_of_referrals(session, referral_ids):
            open_by_referral.setdefault(task.referral_id, []).append(task)
    return [ChildRecord(child, open_by_referral.get(child.referral_id, [])) for child in found]


async def record_children_read(
    session: AsyncSession, principal: Principal, found: Sequence[Child], operation: str
) -> None:
    for data_class in classes_seen(principal):
        await events.changes.record_read(
            session,
            principal,
            child_ids=[child.id for child in found],
            data_class=data_class,
            operation=operation,
        )


async def record_child_write(
    session: AsyncSession,
    principal: Principal,
    child: Child,
    operation: str,
    event: Contract | None = None,
) -> None:
    """A write of the child's record, logged under each class the caller sees (and announced
    once, with `event`)."""
    for data_class in classes_seen(principal):
        await events.changes.record_change(
            session,
            principal,
            tenant=child.tenant_id,
            child_ids=[child.id],
            data_class=data_class,
            operation=operation,
            event=event,
        )
        event = None


async def children_by_ids(
    session: AsyncSession, *, principal: Principal, ids: Sequence[uuid.UUID]
) -> list[ChildRecord]:
    """Many children in one call; ones the caller may not see are simply absent. A child the
    caller opened by breaking the glass in another municipality is read there."""
    await note_contact_person_at_work(session, principal)

    async def read(reader: Principal, child_ids: Sequence[uuid.UUID]) -> list[ChildRecord]:
        reach = policy.child_reach(reader)
        if reach.nobody:
            return []
        found = list(await repository.children_by_ids(session, child_ids, reach=reach))
        await record_children_read(session, reader, found, "child.read")
        return await with_open_tasks(session, reader, found)

    return await in_childs_municipalities(session, principal, ids, read)


async def list_children(
    session: AsyncSession,
    *,
    principal: Principal,
    name: str | None,
    first: int,
    after: str | None,
) -> Page[ChildRecord]:
    """The caller's caseload in its municipality; `name` finds children by name, accents
    ignored."""
    await note_contact_person_at_work(session, principal)
    reach = policy.child_reach(principal).listed
    if reach.nobody:
        return Page.empty()  # unparametrised: pydantic makes no schema of a model object
    folded = None
    if name is not None:
        folded = identity.fold_for_search(name)
        if not folded:
            raise InvalidInput("type part of a name to search for", field="name")
    page = await repository.list_children(
        session, first=first, after=after, name=folded, reach=reach
    )
    await record_children_read(session, principal, page.items, "child.list")
    records = iter(await with_open_tasks(session, principal, page.items))
    return page.map(lambda _child: next(records))


async def edit_child_profile(
    session: AsyncSession,
    *,
    principal: Principal,
    child_id: uuid.UUID,
    body: ProfileIn,
    clock: Clock,
) -> ChildRecord:
    """Edits the child's profile; a change is published as child.updated to every service."""
    await note_acting_staff_member(session, principal)
    child = await repository.get_child(session, child_id, for_update=True)
    if child is None:
        raise NotFound("no such child")
    changed = children.edit_profile(child, body.edit(), today=clock.today(), now=clock.now())
    if changed:
        await session.flush()
    event = events.child_updated(child) if changed else None
    await record_child_write(session, principal, child, "child.update", event)
    [record] = await with_open_tasks(session, principal, [child])
    return record
