"""Event contracts: the versioned data each event type carries, registered by (type, version).

A breaking change to a contract is a new class with the next version; both stay registered
while consumers of the old version remain.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import ClassVar, Self, TypeVar

from pydantic import BaseModel, ConfigDict

from havn.events.envelope import Envelope


class UnknownContract(ValueError):
    """An event whose (type, version) has no registered contract, or not the one expected."""


class Contract(BaseModel):
    """The data of one event type at one version."""

    model_config = ConfigDict(frozen=True)

    event_type: ClassVar[str]
    version: ClassVar[int]

    @classmethod
    def from_envelope(cls, envelope: Envelope) -> Self:
        """Validates an envelope's data as this contract; a handler's typed entry point."""
        if (envelope.type, envelope.version) != (cls.event_type, cls.version):
            raise UnknownContract(
                f"{cls.__name__} is {cls.event_type} v{cls.version}, "
                f"not {envelope.type} v{envelope.version}"
            )
        return cls.model_validate(envelope.data)


CONTRACTS: dict[tuple[str, int], type[Contract]] = {}

C = TypeVar("C", bound=type[Contract])


def contract(event_type: str, version: int) -> Callable[[C], C]:
    """Registers a contract class under (event_type, version)."""

    def register(cls: C) -> C:
        key = (event_type, version)
        if key in CONTRACTS:
            raise ValueError(f"{event_type} v{version} is already {CONTRACTS[key].__name__}")
        cls.event_type, cls.version = key
        CONTRACTS[key] = cls
        return cls

    return register


def parse(envelope: Envelope) -> Contract:
    """Validates an envelope's data against the contract registered for its type and version.

    Raises `UnknownContract` for an unregistered (type, version) and pydantic's
    `ValidationError` for data that does not fit the contract.
    """
    cls = CONTRACTS.get((envelope.type, envelope.version))
    if cls is None:
        raise UnknownContract(f"no contract for {envelope.type} v{envelope.version}")
    return cls.model_validate(envelope.data)


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


@contract("intake.child.relocated", 1)
class ChildRelocatedV1(Contract):
    """A child moved to another municipality; published in the tenant the child leaves."""

    child_id: uuid.UUID
    from_tenant: str
    to_tenant: str
    relocated_on: date


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
