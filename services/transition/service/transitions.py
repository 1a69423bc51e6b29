"""Reading transitions: whole records, the caseload's summaries, phases, and the caseload."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from havn import vocabulary
from havn.auth import DataClass, Principal
from havn.errors import NotFound
from havn.pagination import Page
from havn.reach import Reach, in_childs_municipalities
from services.transition import events, policy, repository
from services.transition.models import Child, Transition


async def transition_to_change(session: AsyncSession, *, child_id: uuid.UUID) -> Transition:
    """One child's whole transition, locked for a write; none in the caller's municipality
    (row-level security) is no such child."""
    transition = await repository.get_transition(session, child_id, for_update=True)
    if transition is None:
        raise NotFound("no such child")
    return transition


async def transitions_by_child_ids(
    session: AsyncSession, *, principal: Principal, child_ids: Sequence[uuid.UUID]
) -> list[Transition]:
    """Many children's whole transitions; ones the caller may not see are absent."""

    async def read(reader: Principal, ids: Sequence[uuid.UUID]) -> list[Transition]:
        reach = policy.transition_reach(reader)
        if reach.nobody:
            return []
        transitions = await repository.transitions_by_child_ids(session, ids, reach=reach)
        await events.changes.record_read(
            session,
            reader,
            child_ids=[t.child_id for t in transitions],
            data_class=DataClass.PERSONAL,
            operation="transition.read",
        )
        return list(transitions)

    return await in_childs_municipalities(session, principal, child_ids, read)


async def _rows_by_child_ids(
    session: AsyncSession,
    principal: Principal,
    child_ids: Sequence[uuid.UUID],
    *,
    reach_of: Callable[[Principal], Reach],
    data_class: DataClass,
    operation: str,
) -> list[tuple[Child, Transition]]:
    """Children with their transition row (no relations), those the caller reaches (also in
    the municipality a child it opened by breaking the glass lives in), logged."""

    async def read(reader: Principal, ids: Sequence[uuid.UUID]) -> list[tuple[Child, Transition]]:
        reach = reach_of(reader)
        if reach.nobody:
            return []
        cases = await repository.children_by_ids(session, ids, reach=reach)
        await events.changes.record_read(
            session,
            reader,
            child_ids=[child.id for child, _ in cases],
            data_class=data_class,
            operation=operation,
        )
        return [(child, transition) for child, transition in cases]

    return await in_childs_municipalities(session, principal, child_ids, read)


async def transition_summaries_by_child_ids(
    session: AsyncSession, *, principal: Principal, child_ids: Sequence[uuid.UUID]
) -> list[tuple[Child, Transition]]:
    """What a caseload shows of many children (one row each, no history), read and logged
    as their whole transition is."""
    return await _rows_by_child_ids(
        session,
        principal,
        child_ids,
        reach_of=policy.transition_reach,
        data_class=DataClass.PERSONAL,
        operation="transition.read",
    )


async def phases_by_child_ids(
    session: AsyncSession, *, principal: Principal, child_ids: Sequence[uuid.UUID]
) -> list[tuple[Child, Transition]]:
    """What many children's phases are computed from, for every municipal role (basic data)."""
    return await _rows_by_child_ids(
        session,
        principal,
        child_ids,
        reach_of=policy.phase_reach,
        data_class=DataClass.BASIC,
        operation="transition.phase.read",
    )


async def list_transitions(
    session: AsyncSession,
    *,
    principal: Principal,
    case_filter: vocabulary.TransitionCaseloadFilter | None,
    today: date,
    first: int,
    after: str | None,
) -> Page[tuple[Transition, date]]:
    """The caller's transition caseload, each with the date the filter is about; logged."""
    page = await repository.list_caseload(
        session,
        case_filter=case_filter,
        reach=policy.transition_reach(principal).listed,
        today=today,
        first=first,
        after=after,
    )
    await events.changes.record_read(
        session,
        principal,
        child_ids=[transition.child_id for transition, _ in page.items],
        data_class=DataClass.PERSONAL,
        operation="transition.list",
    )
    return page
