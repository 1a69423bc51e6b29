"""Recording outcomes: where the child stands 1, 2, 4 or 5 years after settlement."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import DataClass, Principal
from havn.events.contracts.transition import OutcomeRecordedV1
from services.transition import events, repository
from services.transition.domain import outcomes
from services.transition.models import Outcome
from services.transition.schemas import OutcomeIn
from services.transition.service.transitions import transition_to_change


async def record_outcome(
    session: AsyncSession,
    *,
    principal: Principal,
    child_id: uuid.UUID,
    body: OutcomeIn,
    today: date,
) -> Outcome:
    """Records (or corrects) the outcome at a milestone, and announces it."""
    transition = await transition_to_change(session, child_id=child_id)
    outcome = outcomes.record_outcome(
        transition, milestone_years=body.milestone_years, status=body.status, today=today
    )
    await repository.save(session)
    await events.changes.record_change(
        session,
        principal,
        tenant=transition.tenant_id,
        child_ids=[transition.child_id],
        data_class=DataClass.PERSONAL,
        operation="transition.outcome",
        event=OutcomeRecordedV1(
            child_id=transition.child_id,
            milestone_years=outcome.milestone_years,
            status=outcome.status,
            recorded_on=outcome.recorded_on,
            settled_on=transition.child.settled_on,
        ),
    )
    return outcome
