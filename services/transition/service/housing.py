"""Recording housing: where the youth lives or will live, the start loan and the allowance."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import DataClass, Principal
from services.transition import events, repository
from services.transition.domain import housing
from services.transition.models import Transition
from services.transition.schemas import HousingIn
from services.transition.service.transitions import transition_to_change


async def record_housing(
    session: AsyncSession,
    *,
    principal: Principal,
    child_id: uuid.UUID,
    body: HousingIn,
    today: date,
) -> Transition:
    """Records the housing; a flag left out keeps what was recorded."""
    transition = await transition_to_change(session, child_id=child_id)
    housing.record_housing(
        transition,
        housing_type=body.type,
        start_loan=body.start_loan,
        housing_allowance=body.housing_allowance,
        today=today,
    )
    await repository.save(session)
    await events.changes.record_change(
        session,
        principal,
        tenant=transition.tenant_id,
        child_ids=[transition.child_id],
        data_class=DataClass.PERSONAL,
        operation="transition.housing",
    )
    return transition
