"""Deciding aftercare: an offer, an acceptance or a decline, from the 18th birthday."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import DataClass, Principal
from havn.clock import Clock
from havn.events.contracts.transition import AftercareDecidedV1
from services.transition import events, repository
from services.transition.domain import aftercare
from services.transition.domain.timeline import aftercare_ends_on
from services.transition.domain.transitions import phase_of_transition
from services.transition.models import Transition
from services.transition.schemas import AftercareDecisionIn
from services.transition.service.transitions import transition_to_change


async def decide_aftercare(
    session: AsyncSession,
    *,
    principal: Principal,
    child_id: uuid.UUID,
    body: AftercareDecisionIn,
    clock: Clock,
) -> Transition:
    """Records the decision and announces it with the child's phase after it."""
    transition = await transition_to_change(session, child_id=child_id)
    today = clock.today()
    decision = aftercare.decide_aftercare(
        transition,
        status=body.status,
        decided_on=body.decided_on,
        next_offer_on=body.next_offer_on,
        recorded_by=principal.username,
        now=clock.now(),
        today=today,
    )
    await repository.save(session)
    await events.changes.record_change(
        session,
        principal,
        tenant=transition.tenant_id,
        child_ids=[transition.child_id],
        data_class=DataClass.PERSONAL,
        operation="transition.aftercare",
        event=AftercareDecidedV1(
            child_id=transition.child_id,
            status=decision.status,
            decided_on=decision.decided_on,
            next_offer_on=decision.next_offer_on,
            aftercare_ends_on=aftercare_ends_on(date_of_birth=transition.child.date_of_birth),
            phase=phase_of_transition(transition, transition.child, today=today).value,
        ),
    )
    return transition
