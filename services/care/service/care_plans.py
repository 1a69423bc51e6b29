"""The care plan: its goals and the child's own words revised, approved, and the approved
versions read back."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from havn import permissions
from havn.auth import DataClass, Principal
from havn.clock import Clock
from havn.errors import NotFound
from havn.events.contracts.care import CarePlanApprovedV1
from havn.pagination import Page
from services.care import events, policy, repository
from services.care.domain import care_plans
from services.care.domain.checks import child_pages_of
from services.care.domain.parts import CarePart, CareRecord
from services.care.models import CarePlan, CarePlanVersion, Child
from services.care.schemas import CarePlanIn, ChildPagesIn
from services.care.service.children import child_for, readable_children


async def plan_for_change(session: AsyncSession, child: Child) -> CarePlan:
    """The child's plan with its goals, held against a concurrent change."""
    plan = await repository.get_care_plan(session, child.id, for_update=True)
    if plan is None:
        raise NotFound("no such child")
    return plan


async def revise_care_plan(
    session: AsyncSession,
    *,
    principal: Principal,
    child_id: uuid.UUID,
    body: CarePlanIn,
    today: date,
) -> CareRecord:
    """Sets the plan's goals and the child's words; an approved plan becomes REVISED."""
    act = permissions.care.PLAN_REVISE
    child = await child_for(session, principal, child_id, act)
    plan = await plan_for_change(session, child)
    goals = care_plans.revise_care_plan(
        plan,
        goals=[care_plans.GoalInput(**goal.model_dump()) for goal in body.goals],
        # Left out, the child's words stay as they are; null or blank empties them.
        childs_own_words=(
            body.childs_own_words
            if "childs_own_words" in body.model_fields_set
            else plan.childs_own_words
        ),
        today=today,
    )
    await repository.replace_goals(session, plan, goals)
    await events.changes.record_change(
        session,
        principal,
        tenant=child.tenant_id,
        child_ids=[child.id],
        data_class=DataClass.PERSONAL,
        operation="care-plan.revise",
    )
    return CareRecord(child=child, plan=plan, parts=policy.parts_of(child, principal))


async def approve_care_plan(
    session: AsyncSession, *, principal: Principal, child_id: uuid.UUID, clock: Clock
) -> CareRecord:
    """Approves the plan as it stands and keeps the approved version."""
    act = permissions.care.PLAN_APPROVE
    child = await child_for(session, principal, child_id, act)
    plan = await plan_for_change(session, child)
    version = care_plans.approve_care_plan(
        plan,
        goals=plan.goals,
        previous=await repository.latest_version(session, child.id),
        by=principal.username,
        now=clock.now(),
        today=clock.today(),
    )
    await repository.add_all(session, [version])
    assert plan.approved_on is not None
    await events.changes.record_change(
        session,
        principal,
        tenant=child.tenant_id,
        child_ids=[child.id],
        data_class=DataClass.PERSONAL,
        operation="care-plan.approve",
        event=CarePlanApprovedV1(
            child_id=child.id,
            plan_version=version.version,
            approved_on=plan.approved_on,
            domains=[goal.domain for goal in plan.goals],
        ),
    )
    return CareRecord(child=child, plan=plan, parts=policy.parts_of(child, principal))


async def read_care_plan_versions(
    session: AsyncSession, *, principal: Principal, body: ChildPagesIn
) -> dict[uuid.UUID, Page[CarePlanVersion]]:
    """Each child's approved versions, newest first: who approved, when, what changed."""
    children = await readable_children(session, principal, body.child_ids, CarePart.PLAN)
    ids = child_pages_of(child_ids=[c.id for c in children], after=body.after)
    pages = await repository.care_plan_version_pages(
        session, ids, first=body.first, after=body.after
    )
    await events.changes.record_read(
        session,
        principal,
        child_ids=pages,
        data_class=DataClass.PERSONAL,
        operation="care-plan.history",
    )
    return pages
