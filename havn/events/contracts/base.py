"""The contract machinery: a registry of versioned event data by (type, version).

A breaking change to a contract is a new class with the next version; both stay registered
while consumers of the old version remain.
"""

from __future__ import annotations

from collections.abc import Callable
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
