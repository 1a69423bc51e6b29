"""Property: any sequence of actions by any role leaves every referral in a legal state, and
no municipality (or other allocator) ever acts on a referral that is not its own.

Runs the real use cases against PostgreSQL, in two municipalities of the module's own (one
keeps count of its group-home places, one records none), checking a small reference model of
the rules after every step.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from havn.auth import Principal, Role
from havn.clock import Clock
from havn.db import scoped_transaction
from havn.errors import Conflict, Forbidden, HavnError, InvalidInput, NotFound
from havn.permissions import intake
from havn.vocabulary import CareArrangement, PreparationTaskKind, ReferralStatus
from services.intake.models import CarePlaces, Child, PreparationTask, Referral, ReferralCount
from services.intake.schemas import CarePlacesIn, ReasonIn
from services.intake.service import capacity, preparation, referrals
from tests.factories import fresh_municipality
from tests.intake.service import IntakeService, allocator, municipal

ALLOCATOR, OTHER_ALLOCATOR = allocator("imdi-property-allocator"), allocator("imdi-property-b")
# Municipal actors are drawn relative to the referral acted on: its own municipality's staff
# in every role, and a coordinator of the other municipality.
ACTOR_KINDS = (
    "allocator",
    "other-allocator",
    "own-coordinator",
    "own-caseworker",
    "own-volunteers",
    "own-admin",
    "foreign-coordinator",
)
ROLES = {
    "coordinator": Role.SETTLEMENT_COORDINATOR,
    "caseworker": Role.CASEWORKER,
    "volunteers": Role.VOLUNTEER_COORDINATOR,
    "admin": Role.MUNICIPALITY_ADMIN,
}


@dataclass(frozen=True)
class Towns:
    """The two municipalities the property acts in: `counting` keeps count of its group-home
    places, `uncounted` records none and is not held to a count."""

    counting: str
    uncounted: str

    def other(self, tenant: str) -> str:
        return self.uncounted if tenant == self.counting else self.counting


def actor_for(kind: str, tenant: str, action: str, towns: Towns) -> Principal:
    """The principal an actor kind stands for, acting on something of `tenant`.

    "rightful" is whoever the rules let take the action, so that long legal paths (accept,
    then complete, then arrive) come up as often as refused ones.
    """
    if kind == "rightful":
        kind = "allocator" if action in {"create", "withdraw"} else "own-coordinator"
    if kind == "allocator":
        return ALLOCATOR
    if kind == "other-allocator":
        return OTHER_ALLOCATOR
    where, role = kind.split("-")
    return municipal(tenant if where == "own" else towns.other(tenant), ROLES[role])


ACTIONS = ("create", "accept", "decline", "decline-blank", "withdraw", "complete", "arrive")
DECIDERS = {Role.SETTLEMENT_COORDINATOR, Role.CASEWORKER}
GROUP_HOME_PLACES = 2  # free in the counting municipality at the start of each example
LEGAL = set(ReferralStatus)


@dataclass
class Model:
    """What the rules say each referral's state is, and how many group-home places are free."""

    towns: Towns
    statuses: dict[uuid.UUID, ReferralStatus] = field(default_factory=dict)
    tenants: dict[uuid.UUID, str] = field(default_factory=dict)
    free_group_home_places: int = GROUP_HOME_PLACES

    def expected_error(self, actor: Principal, action: str, referral: uuid.UUID) -> type | None:
        """The error the service must raise, or None where the action must succeed."""
        status, tenant = self.statuses[referral], self.tenants[referral]
        if action == "withdraw":
            if not actor.has_role(Role.DIRECTORATE_ALLOCATOR):
                return Forbidden
            if actor is not ALLOCATOR:
                return NotFound  # another allocator's referral is not there for it
            return None if status == ReferralStatus.PENDING else Conflict
        if not actor.has_any_role(DECIDERS):
            return Forbidden
        if actor.tenant != tenant:
            return NotFound
        needed = {
            "accept": ReferralStatus.PENDING,
            "decline": ReferralStatus.PENDING,
            "decline-blank": ReferralStatus.PENDING,
            "complete": ReferralStatus.ACCEPTED,
            "arrive": ReferralStatus.ACCEPTED,
        }[action]
        if action == "complete" and status == ReferralStatus.ARRIVED:
            return None  # tasks due after arrival are worked on after it
        if action == "arrive" and status == ReferralStatus.ARRIVED:
            return None  # a retried arrival (always today here) answers the settled child
        if status != needed:
            return Conflict
        if action == "decline-blank":
            return InvalidInput
        counting = tenant == self.towns.counting
        if action == "accept" and counting and self.free_group_home_places == 0:
            return InvalidInput
        return None

    def apply(self, action: str, referral: uuid.UUID) -> None:
        next_status = {
            "accept": ReferralStatus.ACCEPTED,
            "decline": ReferralStatus.DECLINED,
            "withdraw": ReferralStatus.WITHDRAWN,
            "arrive": ReferralStatus.ARRIVED,
        }.get(action)
        if next_status is not None:
            self.statuses[referral] = next_status
        if action == "accept" and self.tenants[referral] == self.towns.counting:
            self.free_group_home_places -= 1


async def perform(
    service: IntakeService, actor: Principal, action: str, referral_id: uuid.UUID
) -> object:
    reason = ReasonIn(reason="" if action == "decline-blank" else "no place before summer")
    if action == "accept":
        return await service.accept(actor, referral_id)
    if action in {"decline", "decline-blank"}:
        return await service.as_(
            actor,
            intake.REFERRAL_DECIDE,
            referrals.decline_referral,
            referral_id=referral_id,
            body=reason,
        )
    if action == "withdraw":
        return await service.as_(
            actor,
            intake.REFERRAL_WITHDRAW,
            referrals.withdraw_referral,
            referral_id=referral_id,
            body=reason,
        )
    if action == "complete":
        return await service.as_(
            actor,
            intake.PREPARATION,
            preparation.complete_preparation_task,
            referral_id=referral_id,
            kind=PreparationTaskKind.HOUSING,
            clock=service.clock,
        )
    return await service.arrive(actor, referral_id)


async def assert_legal(service: IntakeService, model: Model) -> None:
    """The database agrees with the model, and every referral's rows fit its state."""
    for tenant in (model.towns.counting, model.towns.uncounted):
        async with scoped_transaction(service.sessionmaker, tenant=tenant) as session:
            ids = [r for r, t in model.tenants.items() if t == tenant]
            referrals = {
                r.id: r for r in await session.scalars(select(Referral).where(Referral.id.in_(ids)))
            }
            tasks = dict(
                (
                    await session.execute(
                        select(PreparationTask.referral_id, func.count())
                        .where(PreparationTask.referral_id.in_(ids))
                        .group_by(PreparationTask.referral_id)
                    )
                ).all()
            )
            children = set(
                await session.scalars(select(Child.referral_id).where(Child.referral_id.in_(ids)))
            )
            pending = await session.scalar(
                select(func.count()).select_from(Referral).where(Referral.status == "PENDING")
            )
            counted = await session.scalar(
                select(ReferralCount.pending).where(ReferralCount.tenant_id == tenant)
            )
            places = await session.get(CarePlaces, (tenant, "GROUP_HOME"))
        assert (counted or 0) == pending
        if tenant == model.towns.counting:
            assert places is not None and places.free == model.free_group_home_places
        for referral_id in ids:
            referral = referrals[referral_id]
            status = ReferralStatus(referral.status)
            assert status in LEGAL
            assert status == model.statuses[referral_id]
            has_checklist = status in {ReferralStatus.ACCEPTED, ReferralStatus.ARRIVED}
            assert tasks.get(referral_id, 0) == (7 if has_checklist else 0)
            assert (referral_id in children) == (status == ReferralStatus.ARRIVED)
            assert (referral.decline_reason is not None) == (status == ReferralStatus.DECLINED)
            assert (referral.withdraw_reason is not None) == (status == ReferralStatus.WITHDRAWN)


steps = st.lists(
    st.tuples(
        st.sampled_from(("rightful",) * len(ACTOR_KINDS) + ACTOR_KINDS),
        st.sampled_from(ACTIONS),
        st.integers(0, 5),
    ),
    min_size=1,
    max_size=12,
)


@pytest.fixture(scope="module")
def service(stack, app_sessionmaker) -> IntakeService:
    # its own clock: the shared one is never moved
    return IntakeService(app_sessionmaker, Clock())


@pytest.fixture(scope="module")
async def towns(gql) -> Towns:
    """Municipalities only this property acts in (its examples reset the places they count)."""
    return Towns((await fresh_municipality(gql)).number, (await fresh_municipality(gql)).number)


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=steps)
# Paths worth walking every run, beside the random ones: a withdrawal after acceptance, a
# foreign municipality accepting, the counting municipality running out of places, work after
# arrival.
@example(steps=[("rightful", "create", 0), ("rightful", "accept", 0), ("rightful", "withdraw", 0)])
@example(steps=[("rightful", "create", 1), ("foreign-coordinator", "accept", 0)])
@example(steps=[("rightful", "create", 0)] * 3 + [("rightful", "accept", n) for n in range(3)])
@example(
    steps=[
        ("rightful", "create", 1),
        ("rightful", "accept", 0),
        ("rightful", "arrive", 0),
        ("rightful", "complete", 0),
        ("other-allocator", "withdraw", 0),
    ]
)
async def test_any_sequence_of_actions_leaves_referrals_legal_and_tenants_apart(
    service, towns, steps
):
    # given one municipality has two free group-home places, and the other records none
    await service.as_(
        municipal(towns.counting),
        intake.CAPACITY_WRITE,
        capacity.record_care_places,
        care_arrangement=CareArrangement.GROUP_HOME,
        body=CarePlacesIn(places=5, free=GROUP_HOME_PLACES),
        clock=service.clock,
    )
    model = Model(towns)
    created: list[uuid.UUID] = []
    # when any actor takes any action on any referral
    for actor_kind, action, pick in steps:
        if action == "create" or not created:
            municipality = (towns.counting, towns.uncounted)[pick % 2]
            actor = actor_for(actor_kind, municipality, "create", towns)
            if not actor.has_role(Role.DIRECTORATE_ALLOCATOR):
                with pytest.raises(Forbidden):
                    await service.create_referral(actor, municipality)
                continue
            out = await service.create_referral(
                actor, municipality, respond_by=service.clock.today() + timedelta(days=pick)
            )
            created.append(out.id)
            model.statuses[out.id], model.tenants[out.id] = ReferralStatus.PENDING, municipality
            if actor is OTHER_ALLOCATOR:
                # only the first allocator's referrals are followed by the withdraw rule
                model.tenants.pop(out.id)
                model.statuses.pop(out.id)
                created.pop()
            continue
        referral_id = created[pick % len(created)]
        actor = actor_for(actor_kind, model.tenants[referral_id], action, towns)
        expected = model.expected_error(actor, action, referral_id)
        # then it succeeds exactly when the rules allow it, and fails with the right error
        if expected is None:
            await perform(service, actor, action, referral_id)
            model.apply(action, referral_id)
        else:
            with pytest.raises(HavnError) as refused:
                await perform(service, actor, action, referral_id)
            assert type(refused.value) is expected, (actor_kind, action, refused.value)
            if expected is Conflict:
                assert model.statuses[referral_id].value in refused.value.message
        # and every referral is in a legal state that matches the rules
        await assert_legal(service, model)
