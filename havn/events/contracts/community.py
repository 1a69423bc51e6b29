"""Contracts of the events community publishes: enrolments, matches and partners' grants.

They name children by id only: a partner's grant is about a child, it carries none of its data.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from havn.events.contracts.base import Contract, contract


@contract("community.enrolment.started", 1)
class EnrolmentStartedV1(Contract):
    """A child, with its consent, takes part in a partner's offer."""

    enrolment_id: uuid.UUID
    child_id: uuid.UUID
    offer_id: uuid.UUID
    partner: str  # the partner's slug
    started_on: date


@contract("community.enrolment.ended", 1)
class EnrolmentEndedV1(Contract):
    enrolment_id: uuid.UUID
    child_id: uuid.UUID
    offer_id: uuid.UUID
    partner: str
    ended_on: date
    reason: str


@contract("community.match.made", 1)
class MatchMadeV1(Contract):
    """A child, with its consent, is matched with a partner's volunteer."""

    match_id: uuid.UUID
    child_id: uuid.UUID
    volunteer_id: uuid.UUID
    volunteer_kind: str
    partner: str
    started_on: date


@contract("community.match.ended", 1)
class MatchEndedV1(Contract):
    match_id: uuid.UUID
    child_id: uuid.UUID
    volunteer_id: uuid.UUID
    partner: str
    ended_on: date
    reason: str


@contract("community.grant.opened", 1)
class GrantOpenedV1(Contract):
    """A partner may now see one child's data of `scope` in the event's municipality.

    The grant is effective until it is closed or, when `expires_on` is set (the end of the
    agreement behind it), after that day, whichever comes first.
    """

    grant_id: uuid.UUID
    child_id: uuid.UUID
    org: str  # the partner's slug, as in the partner users' `org` claim
    scope: str  # "basic"
    source: str  # "enrolment" | "match"
    source_id: uuid.UUID
    opened_at: datetime
    expires_on: date | None


@contract("community.grant.closed", 1)
class GrantClosedV1(Contract):
    """A partner's grant to a child ended: its access stops now."""

    grant_id: uuid.UUID
    child_id: uuid.UUID
    org: str
    closed_at: datetime
    reason: str  # "enrolment ended", "match ended", "agreement expired", "child relocated"


__all__ = [
    "EnrolmentEndedV1",
    "EnrolmentStartedV1",
    "GrantClosedV1",
    "GrantOpenedV1",
    "MatchEndedV1",
    "MatchMadeV1",
]
