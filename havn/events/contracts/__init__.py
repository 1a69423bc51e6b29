"""Event contracts: the versioned data each event type carries, one module per publisher.

Importing this package registers every contract, so `parse` knows them all.
"""

from havn.events.contracts import care, community, intake, transition
from havn.events.contracts.base import CONTRACTS, Contract, UnknownContract, contract, parse
from havn.events.contracts.intake import (
    ChildRelocatedV1,
    ChildSettledV1,
    ChildUpdatedV1,
    ReferralAcceptedV1,
    ReferralCreatedV1,
    ReferralDeclinedV1,
    ReferralWithdrawnV1,
)

__all__ = [
    "CONTRACTS",
    "ChildRelocatedV1",
    "ChildSettledV1",
    "ChildUpdatedV1",
    "Contract",
    "ReferralAcceptedV1",
    "ReferralCreatedV1",
    "ReferralDeclinedV1",
    "ReferralWithdrawnV1",
    "UnknownContract",
    "care",
    "community",
    "contract",
    "intake",
    "parse",
    "transition",
]
