"""What community publishes (enrolments, matches, partners' grants) and consumes (children).

Every publication goes through the outbox in the caller's transaction (`changes`), so a grant
and the event that tells other services about it commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from havn.changes import ChangeLog
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
from havn.projection import follow_revision
from havn.relocation import move_child
from services.community.domain import children as child_rules
from services.community.domain.grants import close_grant
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
from services.community.repository import children, enrolments, grants, matches, municipalities

SERVICE = "community"
changes = ChangeLog(service=SERVICE, outbox=events.outbox)


# --- what community publishes --------------------------------------------------------------


def enrolment_started(enrolment: Enrolment, offer: Offer) -> EnrolmentStartedV1:
    return EnrolmentStartedV1(
        enrolment_id=enrolment.id,
        child_id=enrolment.child_id,
        offer_id=offer.id,
        partner=offer.partner.slug,
        started_on=enrolment.started_on,
    )


def enrolment_ended(enrolment: Enrolment, partner: Partner, *, reason: str) -> EnrolmentEndedV1:
    assert enrolment.ended_on is not None
    return EnrolmentEndedV1(
        enrolment_id=enrolment.id,
        child_id=enrolment.child_id,
        offer_id=enrolment.offer_id,
        partner=partner.slug,
        ended_on=enrolment.ended_on,
        reason=reason,
    )


def match_made(match: Match, volunteer: Volunteer) -> MatchMadeV1:
    return MatchMadeV1(
        match_id=match.id,
        child_id=match.child_id,
        volunteer_id=volunteer.id,
        volunteer_kind=volunteer.kind,
        partner=volunteer.partner.slug,
        started_on=match.started_on,
    )


def match_ended(match: Match, partner: Partner, *, reason: str) -> MatchEndedV1:
    assert match.ended_on is not None
    return MatchEndedV1(
        match_id=match.id,
        child_id=match.child_id,
        volunteer_id=match.volunteer_id,
        partner=partner.slug,
        ended_on=match.ended_on,
        reason=reason,
    )


def grant_opened(grant: AccessGrant, partner: Partner) -> GrantOpenedV1:
    """Tells every service that the partner may now see the child."""
    return GrantOpenedV1(
        grant_id=grant.id,
        child_id=grant.child_id,
        org=partner.slug,
        scope=grant.scope,
        source=grant.source,
        source_id=grant.source_id,
        opened_at=grant.opened_at,
        expires_on=grant.expires_on,
    )


async def close_grants(
    session: AsyncSession,
    grants: Sequence[AccessGrant],
    *,
    now: datetime,
    reason: str,
    actor: str,
) -> None:
    """Closes the grants that are still open and tells every service, one event each."""
    for grant in grants:
        if close_grant(grant, now=now, reason=reason):
            closed = GrantClosedV1(
                grant_id=grant.id,
                child_id=grant.child_id,
                org=grant.partner.slug,
                closed_at=now,
                reason=reason,
            )
            await changes.announce(session, closed, tenant=grant.tenant_id, actor=actor)
    await session.flush()


# --- what community consumes ---------------------------------------------------------------


async def project_settled_child(session: AsyncSession, envelope: Envelope) -> None:
    """Keeps the child, once, in the event's tenant; another tenant's child id adds nothing."""
    settled = ChildSettledV1.from_envelope(envelope)
    await municipalities.note_municipality(session, envelope.tenant)
    await children.add_child_if_new(
        session, child_rules.project_settled_child(settled=settled, tenant_id=envelope.tenant)
    )


async def project_updated_child(session: AsyncSession, envelope: Envelope) -> None:
    """Keeps first name, date of birth and languages as intake now has them."""
    updated = ChildUpdatedV1.from_envelope(envelope)
    child = await children.get_child(session, updated.child_id, for_update=True)
    if follow_revision(child, updated.revision):
        child_rules.apply_child_update(child, updated=updated)


async def follow_relocated_child(session: AsyncSession, envelope: Envelope) -> None:
    """The child leaves: its enrolments and matches end, grants close, its rows move.

    Offers and volunteers are the sending municipality's, so nothing the child had there
    continues in the receiving one; the history moves with the child.
    """
    relocated = ChildRelocatedV1.from_envelope(envelope)
    if envelope.tenant != relocated.from_tenant:
        # The event is published in the tenant the child leaves; anything else is not ours.
        return
    child = await children.get_child(session, relocated.child_id, for_update=True)
    if not follow_revision(child, relocated.revision):
        return
    now, actor, reason = envelope.occurred_at, envelope.actor, "child relocated"
    today, tenant = relocated.relocated_on, envelope.tenant
    active_enrolments = await enrolments.active_enrolments_of_child(session, child.id, today=today)
    active_matches = await matches.active_matches_of_child(session, child.id, today=today)
    for enrolment in active_enrolments:
        enrolment.ended_on = today
        if enrolment.offer is not None:
            ended = enrolment_ended(enrolment, enrolment.offer.partner, reason=reason)
            await changes.announce(session, ended, tenant=tenant, actor=actor)
    for match in active_matches:
        match.ended_on = today
        if match.volunteer is not None:
            ended_match = match_ended(match, match.volunteer.partner, reason=reason)
            await changes.announce(session, ended_match, tenant=tenant, actor=actor)
    open_grants = await grants.open_grants_of_child(session, child.id)
    await close_grants(session, open_grants, now=now, reason=reason, actor=actor)
    await municipalities.note_municipality(session, relocated.to_tenant)
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
