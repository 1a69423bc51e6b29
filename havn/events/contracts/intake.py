"""Contracts of the events intake publishes."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import Field

from havn.events.contracts.base import Contract, contract

# Each child event carries the child's `revision`: intake numbers its changes of one child
# 1 (settled), 2, 3 ... so a consumer applies them in that order (havn.projection). Events
# published before revisions existed have none and are applied as they arrive.

# --- intake: children (personal data: consumers must treat these as such) ----------------


@contract("intake.child.settled", 1)
class ChildSettledV1(Contract):
    """A child has arrived and is settled in the municipality (bosatt)."""

    child_id: uuid.UUID
    referral_id: uuid.UUID
    first_name: str
    full_name: str
    date_of_birth: date
    date_of_birth_estimated: bool
    sex: str
    nationality: str
    languages: list[str]
    care_arrangement: str
    settled_on: date
    # Settling is always the child's first change.
    revision: int = Field(default=1, ge=1)
    # Intake owns whether the child needs an interpreter; None in events from before it did.
    interpreter_needed: bool | None = None


@contract("intake.child.updated", 1)
class ChildUpdatedV1(Contract):
    """A settled child's identity record changed; carries the whole new state."""

    child_id: uuid.UUID
    first_name: str
    full_name: str
    date_of_birth: date
    date_of_birth_estimated: bool
    sex: str
    nationality: str
    languages: list[str]
    care_arrangement: str
    revision: int | None = Field(default=None, ge=1)
    interpreter_needed: bool | None = None


@contract("intake.child.relocated", 1)
class ChildRelocatedV1(Contract):
    """A child moved to another municipality; published in the tenant the child leaves."""

    child_id: uuid.UUID
    from_tenant: str
    to_tenant: str
    relocated_on: date
    revision: int | None = Field(default=None, ge=1)


@contract("intake.breakglass.opened", 1)
class BreakGlassOpenedV1(Contract):
    """A user broke the glass to reach a child beyond their reach, until `expires_at`.

    Published in the municipality the child lives in. The reason stays in intake, which shows
    it to that municipality's admin; the other services need only who reaches whom, how long.
    """

    access_id: uuid.UUID
    child_id: uuid.UUID
    username: str
    # Where the child lives (its access log records the reads) and where the user acts.
    lives_in: str
    opened_in: str
    expires_at: datetime


# --- intake: referrals (no personal data: the directorate's request and its outcome) ------


@contract("intake.referral.created", 1)
class ReferralCreatedV1(Contract):
    referral_id: uuid.UUID
    municipality: str
    respond_by: date


@contract("intake.referral.accepted", 1)
class ReferralAcceptedV1(Contract):
    referral_id: uuid.UUID
    municipality: str
    planned_arrival: date
    care_arrangement: str


@contract("intake.referral.declined", 1)
class ReferralDeclinedV1(Contract):
    referral_id: uuid.UUID
    municipality: str
    reason: str


@contract("intake.referral.withdrawn", 1)
class ReferralWithdrawnV1(Contract):
    referral_id: uuid.UUID
    municipality: str
    reason: str
