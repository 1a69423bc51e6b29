"""Education: the child's school, class level and Norwegian level, read and recorded."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from havn import permissions
from havn.auth import DataClass, Principal
from havn.http import ChildIdsIn
from services.care import events, repository
from services.care.domain import education
from services.care.domain.parts import CarePart
from services.care.models import Education
from services.care.schemas import EducationIn
from services.care.service.children import child_for, readable_children


async def read_education(
    session: AsyncSession, *, principal: Principal, body: ChildIdsIn
) -> list[Education]:
    """The education of the children the caller reads, of those who have it recorded."""
    children = await readable_children(session, principal, body.child_ids, CarePart.EDUCATION)
    ids = [child.id for child in children]
    found = await repository.education_by_child_ids(session, ids)
    await events.changes.record_read(
        session,
        principal,
        child_ids=ids,
        data_class=DataClass.PERSONAL,
        operation="education.read",
    )
    return [found[child_id] for child_id in ids if child_id in found]


async def record_education(
    session: AsyncSession, *, principal: Principal, child_id: uuid.UUID, body: EducationIn
) -> Education:
    """The child's school, class level, Norwegian level and start date, as they are now."""
    act = permissions.care.EDUCATION_RECORD
    child = await child_for(session, principal, child_id, act)
    recorded = education.record_education(
        child,
        await repository.get_education(session, child.id),
        school=body.school,
        class_level=body.class_level,
        norwegian_level=body.norwegian_level,
        started_on=body.started_on,
    )
    await repository.add_all(session, [recorded])
    await events.changes.record_change(
        session,
        principal,
        tenant=child.tenant_id,
        child_ids=[child.id],
        data_class=DataClass.PERSONAL,
        operation="education.record",
    )
    return recorded
