"""Writing the transition plan: its goals (housing, education, work, finances, health) and
the youth's own words."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import DataClass, Principal
from services.transition import events, repository
from services.transition.domain import plans
from services.transition.models import Transition
from services.transition.schemas import PlanIn
from services.transition.service.transitions import transition_to_change


async def write_plan(
    session: AsyncSession,
    *,
    principal: Principal,
    child_id: uuid.UUID,
    body: PlanIn,
    today: date,
) -> Transition:
    """Replaces the plan's goals and, if given, the youth's words."""
    transition = await transition_to_change(session, child_id=child_id)
    plans.write_plan(
        transition,
        goals=[
            plans.NewGoal(domain=g.domain, description=g.description, status=g.status)
            for g in body.goals
        ],
        # Left out, the youth's words stay as they are; null or blank empties them.
        youths_own_words=(
            body.youths_own_words
            if "youths_own_words" in body.model_fields_set
            else transition.youths_own_words
        ),
        today=today,
    )
    await repository.save(session)
    await events.changes.record_change(
        session,
        principal,
        tenant=transition.tenant_id,
        child_ids=[transition.child_id],
        data_class=DataClass.PERSONAL,
        operation="transition.plan",
    )
    return transition
