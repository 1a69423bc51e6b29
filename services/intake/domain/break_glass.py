"""Breaking the glass: opening a child beyond one's reach for a while, never without a
reason."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from havn.errors import InvalidInput
from services.intake.models import BreakGlassAccess


def reason_for_breaking_glass(reason: str) -> str:
    """The reason a user gives for breaking the glass: required, so never blank."""
    if not reason.strip():
        raise InvalidInput("say why you need to open this child", field="reason")
    return reason.strip()


def break_the_glass(
    *,
    child_id: uuid.UUID,
    lives_in: str,
    username: str,
    role: str,
    opened_in: str,
    reason: str,
    now: datetime,
    lasts: timedelta,
) -> BreakGlassAccess:
    """Opens a child beyond the user's reach for `lasts`, never without a reason: the admin of
    the municipality the child lives in reviews who opened whom, and why."""
    return BreakGlassAccess(
        id=uuid.uuid4(),
        tenant_id=lives_in,
        child_id=child_id,
        username=username,
        role=role,
        opened_in=opened_in,
        reason=reason_for_breaking_glass(reason),
        opened_at=now,
        expires_at=now + lasts,
    )
