"""A child's care record as a caller reads it: the plan's status, the plan, the contact
person and the assessments, each where the caller sees it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import Principal
from havn.reach import in_childs_municipalities
from services.care import events, policy, repository
from services.care.domain import parts as care_parts
from services.care.domain.parts import CarePart, CareRecord
from services.care.schemas import CareBatchIn
from services.care.service import follow_up_notes
from services.care.service.children import readable_children

CARE_RECORD_PARTS = frozenset(
    {CarePart.PLAN_STATUS, CarePart.PLAN, CarePart.CONTACT_PERSON, CarePart.ASSESSMENTS}
)


async def read_care_records(
    session: AsyncSession, *, principal: Principal, body: CareBatchIn
) -> list[CareRecord]:
    """Many children's care in one call; children the caller may not see are absent. A child
    the caller opened by breaking the glass in another municipality is read there."""

    async def read(reader: Principal, child_ids: Sequence[uuid.UUID]) -> list[CareRecord]:
        return await care_records_here(
            session, principal=reader, child_ids=child_ids, note_counts=body.note_counts
        )

    return await in_childs_municipalities(session, principal, body.child_ids, read)


async def care_records_here(
    session: AsyncSession,
    *,
    principal: Principal,
    child_ids: Sequence[uuid.UUID],
    note_counts: bool,
) -> list[CareRecord]:
    """The care of the children among these ids the caller reads here, logged."""
    children = await readable_children(session, principal, child_ids, CarePart.PLAN_STATUS)
    parts = {child.id: policy.parts_of(child, principal) for child in children}
    plans = await repository.care_plans_by_child_ids(
        session, list(parts), with_goals=any(CarePart.PLAN in p for p in parts.values())
    )
    assessed = [child_id for child_id, p in parts.items() if CarePart.ASSESSMENTS in p]
    assessments = await repository.assessments_by_child_ids(session, assessed) if assessed else {}
    await events.changes.record_reads(
        session,
        principal,
        entries=[
            (child_id, data_class)
            for child_id, p in parts.items()
            for data_class in care_parts.data_classes(p & CARE_RECORD_PARTS)
        ],
        operation="care.read",
    )
    counts: dict[uuid.UUID, int] = {}
    if note_counts:
        noted = [child_id for child_id, p in parts.items() if CarePart.NOTES in p]
        counts = await follow_up_notes.count_notes(session, principal=principal, child_ids=noted)
    by_id = {child.id: child for child in children}
    return [
        CareRecord(
            child=by_id[plan.child_id],
            plan=plan,
            parts=parts[plan.child_id],
            assessments=(
                assessments.get(plan.child_id, [])
                if CarePart.ASSESSMENTS in parts[plan.child_id]
                else None
            ),
            note_count=counts.get(plan.child_id),
        )
        for plan in plans
    ]
