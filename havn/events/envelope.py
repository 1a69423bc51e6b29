"""The envelope every Havn event travels in, and the NATS subject it is published on."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field

STREAM = "HAVN"
STREAM_SUBJECTS = ("havn.>",)

# `<service>.<entity>.<event>`: three lower-case tokens, so no wildcard or extra token can
# reach the subject.
_EVENT_TYPE = re.compile(r"^[a-z][a-z0-9_-]*\.[a-z][a-z0-9_-]*\.[a-z][a-z0-9_-]*$")
# A municipality number (kommunenummer).
TENANT_PATTERN = r"^\d{4}$"

EventType = Annotated[str, Field(pattern=_EVENT_TYPE.pattern)]
Tenant = Annotated[str, Field(pattern=TENANT_PATTERN)]
UtcDatetime = Annotated[AwareDatetime, AfterValidator(lambda moment: moment.astimezone(UTC))]


def subject_for(event_type: str, tenant: str) -> str:
    """Returns `havn.<service>.<entity>.<event>.<tenant>`, refusing what would not fit."""
    if not _EVENT_TYPE.match(event_type):
        raise ValueError(f"event type {event_type!r} is not `<service>.<entity>.<event>`")
    if not re.match(TENANT_PATTERN, tenant):
        raise ValueError(f"tenant {tenant!r} is not a municipality number")
    return f"havn.{event_type}.{tenant}"


class Envelope(BaseModel):
    """One event as published: who did what, in which municipality, and the contract's data."""

    model_config = ConfigDict(frozen=True)

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: EventType
    version: int = Field(ge=1)
    occurred_at: UtcDatetime = Field(default_factory=lambda: datetime.now(UTC))
    tenant: Tenant
    actor: str
    data: dict[str, Any]

    @property
    def subject(self) -> str:
        return subject_for(self.type, self.tenant)
