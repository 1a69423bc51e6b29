"""Reaching milestones: what is due by today in one tenant is marked reached and announced."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from havn.events.contracts.transition import MilestoneReachedV1
from havn.reach import EVERY_CHILD
from havn.vocabulary import AftercareStatus
from services.transition import events, repository
from services.transition.domain.timeline import reach_milestone
from services.transition.domain.transitions import phase_of_transition

# The actor the scheduler's events name: no person reached these milestones.
SCHEDULER = "transition-scheduler"


async def reach_due_milestones(
    session: AsyncSession, *, tenant: str, today: date, limit: int
) -> list[MilestoneReachedV1]:
    """Claims up to `limit` of the tenant's pending milestones due by `today`, marks them
    reached and announces each; returns what it announced (none: nothing is left due)."""
    due = await repository.claim_due_milestones(session, today=today, limit=limit)
    if not due:
        return []
    cases = {
        child.id: (child, transition)
        for child, transition in await repository.children_by_ids(
            session, list({m.child_id for m in due}), reach=EVERY_CHILD
        )
    }
    reached = []
    for milestone in due:
        child, transition = cases[milestone.child_id]
        reach_milestone(milestone, today=today)
        event = MilestoneReachedV1(
            child_id=milestone.child_id,
            milestone=milestone.milestone,
            occurrence=milestone.occurrence,
            due_on=milestone.due_on,
            reached_on=today,
            aftercare_accepted=transition.aftercare_decision == AftercareStatus.ACCEPTED,
            phase=phase_of_transition(transition, child, today=today).value,
            outcome_years=milestone.outcome_years,
        )
        await events.changes.announce(session, event, tenant=tenant, actor=SCHEDULER)
        reached.append(event)
    await repository.save(session)
    return reached
