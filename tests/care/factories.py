"""Builds care's rows whose write paths come in a later issue."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from services.care.models import FollowUpNote
from tests.factories import BERGEN


def follow_up_notes(
    child_id: uuid.UUID, count: int, *, tenant: str = BERGEN, first_at: datetime | None = None
) -> list[FollowUpNote]:
    """`count` notes a day apart, the oldest first."""
    start = first_at or datetime(2026, 11, 3, 9, 30, tzinfo=UTC)
    return [
        FollowUpNote(
            tenant_id=tenant,
            child_id=child_id,
            written_at=start + timedelta(days=day),
            author="bergen-caseworker",
            text=f"Visit {day + 1}: settling in.",
        )
        for day in range(count)
    ]
