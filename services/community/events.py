"""What community publishes (enrolments, matches, partners' grants) and consumes (children).

Every publication goes through the outbox in the caller's transaction, so a grant and the
event that tells other services about it commit together or not at all.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn.clock import Clock
from havn.db import scoped_transaction
from havn.events.consumer import Subscription
from havn.events.contracts import ChildRelocatedV1, ChildSettledV1, ChildUpdatedV1
from havn.events.contracts.community import (
    EnrolmentEndedV1,
    EnrolmentStartedV1,
    GrantClosedV1,
    GrantOpenedV1,
    MatchEndedV1,
    MatchMadeV1,
)
from havn.events.envelope import Envelope
from havn.events.outbox import publish
from havn.projection import follow_revision
from havn.relocation import move_child
from services.community import domain, repository
from services.community.models import (
    AccessGrant,
    Base,
    Enrolment,
    Match,
    Offer,
    Partner,
    Volunteer,
    events,
)

logger = logging.getLogger("havn.community")

# How often the sweep looks for grants whose agreement has ended. Access itself already
# stops on the agreement's last day (reads check `expires_on`); the sweep closes the grant
# and tells the other services.
GRANT_SWEEP_SECONDS = 30.0


# --- publishing ----------------------------------------------------------------------------


async def announce_enrolment_started(
    session: AsyncSession, enrolment: Enrolment, offer: Offer, *, actor: str
) -> None:
    await publish(
        session,
        EnrolmentStartedV1(
            enrolment_id=enrolment.id,
            child_id=enrolment.child_id,
            offer_id=offer.id,
            partner=offer.partner.slug,
            started_on=enrolment.started_on,
        ),
        tenant=enrolment.tenant_id,
        actor=actor,
        outbox=events.outbox,
    )


async def announce_enrolment_ended(
    session: AsyncSession, enrolment: Enrolment, partner: Partner, *, reason: str, actor: str
) -> None:
    assert enrolment.ended_on is not None
    await publish(
        session,
        EnrolmentEndedV1(
            enrolment_id=enrolment.id,
            child_id=enrolment.child_id,
            offer_id=enrolment.offer_id,
            partner=partner.slug,
            ended_on=enrolment.ended_on,
            reason=reason,
        ),
        tenant=enrolment.tenant_id,
        actor=actor,
        outbox=events.outbox,
    )


async def announce_match_made(
    session: AsyncSession, match: Match, volunteer: Volunteer, *, actor: str
) -> None:
    await publish(
        session,
        MatchMadeV1(
            match_id=match.id,
            child_id=match.child_id,
            volunteer_id=volunteer.id,
            volunteer_kind=volunteer.kind,
            partner=volunteer.partner.slug,
            started_on=match.started_on,
        ),
        tenant=match.tenant_id,
        actor=actor,
        outbox=events.outbox,
    )


async def announce_match_ended(
    session: AsyncSession, match: Match, partner: Partner, *, reason: str, actor: str
) -> None:
    assert match.ended_on is not None
    await publish(
        session,
        MatchEndedV1(
            match_id=match.id,
            child_id=match.child_id,
            volunteer_id=match.volunteer_id,
            partner=partner.slug,
            ended_on=match.ended_on,
            reason=reason,
        ),
        tenant=match.tenant_id,
        actor=actor,
        outbox=events.outbox,
    )


async def grant_partner_access(
    session: AsyncSession, grant: AccessGrant, partner: Partner, *, actor: str
) -> None:
    """Stores the grant and tells every service that the partner may now see the child."""
    session.add(grant)
    await session.flush()
    await publish(
        session,
        GrantOpenedV1(
            grant_id=grant.id,
            child_id=grant.child_id,
            org=partner.slug,
            scope=grant.scope,
            source=grant.source,
            source_id=grant.source_id,
            opened_at=grant.opened_at,
            expires_on=grant.expires_on,
        ),
        tenant=grant.tenant_id,
        actor=actor,
        outbox=events.outbox,
    )


async def revoke_partner_access(
    session: AsyncSession,
    grants: Sequence[AccessGrant],
    *,
    now: datetime,
    reason: str,
    actor: str,
) -> None:
    """Closes the grants that are still open and tells every service, one event each."""
    for grant in grants:
        if domain.close_grant(grant, now=now, reason=reason):
            await publish(
                session,
                GrantClosedV1(
                    grant_id=grant.id,
                    child_id=grant.child_id,
                    org=grant.partner.slug,
                    closed_at=now,
                    reason=reason,
                ),
                tenant=grant.tenant_id,
                actor=actor,
                outbox=events.outbox,
            )
    await session.flush()


# --- consuming -----------------------------------------------------------------------------


async def project_settled_child(session: AsyncSession, envelope: Envelope) -> None:
    """Keeps the child, once, in the event's tenant; another tenant's child id adds nothing."""
    settled = ChildSettledV1.from_envelope(envelope)
    await repository.note_municipality(session, envelope.tenant)
    await repository.add_child_if_new(
        session, domain.project_settled_child(settled=settled, tenant_id=envelope.tenant)
    )


async def project_updated_child(session: AsyncSession, envelope: Envelope) -> None:
    """Keeps first name, date of birth and languages as intake now has them."""
    updated = ChildUpdatedV1.from_envelope(envelope)
    child = await repository.get_child(session, updated.child_id, for_update=True)
    if follow_revision(child, updated.revision):
        domain.apply_child_update(child, updated=updated)


async def follow_relocated_child(session: AsyncSession, envelope: Envelope) -> None:
    """The child leaves: its enrolments and matches end, grants close, its rows move.

    Offers and volunteers are the sending municipality's, so nothing the child had there
    continues in the receiving one; the history moves with the child.
    """
    relocated = ChildRelocatedV1.from_envelope(envelope)
    if envelope.tenant != relocated.from_tenant:
        # The event is published in the tenant the child leaves; anything else is not ours.
        return
    child = await repository.get_child(session, relocated.child_id, for_update=True)
    if not follow_revision(child, relocated.revision):
        return
    now, actor, reason = envelope.occurred_at, envelope.actor, "child relocated"
    today = relocated.relocated_on
    enrolments, matches = await repository.active_enrolments_and_matches(
        session, child.id, today=today
    )
    for enrolment in enrolments:
        enrolment.ended_on = today
        if enrolment.offer is not None:
            await announce_enrolment_ended(
                session, enrolment, enrolment.offer.partner, reason=reason, actor=actor
            )
    for match in matches:
        match.ended_on = today
        if match.volunteer is not None:
            await announce_match_ended(
                session, match, match.volunteer.partner, reason=reason, actor=actor
            )
    grants = await repository.open_grants_of_child(session, child.id)
    await revoke_partner_access(session, grants, now=now, reason=reason, actor=actor)
    await repository.note_municipality(session, relocated.to_tenant)
    # The revision moves with the child's row.
    await session.flush()
    await move_child(
        session,
        Base.metadata,
        child_id=child.id,
        from_tenant=relocated.from_tenant,
        to_tenant=relocated.to_tenant,
    )


SUBSCRIPTIONS: tuple[Subscription, ...] = (
    Subscription(
        durable="community-child-settled",
        subject=f"havn.{ChildSettledV1.event_type}.*",
        handler=project_settled_child,
    ),
    Subscription(
        durable="community-child-updated",
        subject=f"havn.{ChildUpdatedV1.event_type}.*",
        handler=project_updated_child,
    ),
    Subscription(
        durable="community-child-relocated",
        subject=f"havn.{ChildRelocatedV1.event_type}.*",
        handler=follow_relocated_child,
    ),
)


# --- the grant sweep -----------------------------------------------------------------------


async def close_expired_grants(sessionmaker: async_sessionmaker[AsyncSession], clock: Clock) -> int:
    """Closes, in every municipality, the grants whose agreement ended; returns how many."""
    async with scoped_transaction(sessionmaker, tenant=None) as session:
        numbers = await repository.municipality_numbers(session)
    closed = 0
    for number in numbers:
        async with scoped_transaction(sessionmaker, tenant=number) as session:
            grants = await repository.expired_open_grants(session, today=clock.today())
            await revoke_partner_access(
                session, grants, now=clock.now(), reason="agreement expired", actor="system"
            )
            closed += len(grants)
    return closed


async def sweep_expired_grants(
    sessionmaker: async_sessionmaker[AsyncSession],
    clock: Clock,
    interval: float = GRANT_SWEEP_SECONDS,
) -> None:
    """Runs the sweep until cancelled; a failed round is logged and tried again."""
    while True:
        try:
            await close_expired_grants(sessionmaker, clock)
        except Exception:  # one bad round must not stop the next one
            logger.exception("closing expired grants failed")
        await asyncio.sleep(interval)
