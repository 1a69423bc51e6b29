"""Partners' grants to children, as the municipality admin sees them."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel

from services.community.domain.grants import grant_is_effective
from services.community.models import AccessGrant
from services.community.schemas.partners import PartnerOut


class GrantOut(BaseModel):
    id: uuid.UUID
    child_id: uuid.UUID
    partner: PartnerOut
    scope: str
    source: str
    source_id: uuid.UUID
    opened_at: datetime
    expires_on: date | None
    closed_at: datetime | None
    close_reason: str | None
    effective: bool

    @classmethod
    def of(cls, grant: AccessGrant, today: date) -> GrantOut:
        return cls(
            id=grant.id,
            child_id=grant.child_id,
            partner=PartnerOut.of(grant.partner),
            scope=grant.scope,
            source=grant.source,
            source_id=grant.source_id,
            opened_at=grant.opened_at,
            expires_on=grant.expires_on,
            closed_at=grant.closed_at,
            close_reason=grant.close_reason,
            effective=grant_is_effective(grant, today=today),
        )
