"""Builds care's inputs: intake's `child.settled` event, and rows whose write paths come later."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from havn.events.contracts import ChildSettledV1
from havn.events.envelope import Envelope
from services.care.models import FollowUpNote

BERGEN, ASKER = "4601", "3203"


def child_settled(
    *,
    tenant: str = BERGEN,
    child_id: uuid.UUID | None = None,
    date_of_birth: date = date(2010, 5, 17),
    settled_on: date = date(2026, 11, 2),
) -> Envelope:
    """The event intake publishes when a child arrives, as the consumer receives it."""
    settled = ChildSettledV1(
        child_id=child_id or uuid.uuid4(),
        referral_id=uuid.uuid4(),
        first_name="Amina",
        full_name="Amina Rahimi",
        date_of_birth=date_of_birth,
        date_of_birth_estimated=False,
        sex="F",
        nationality="AF",
        languages=["prs", "en"],
        care_arrangement="GROUP_HOME",
        settled_on=settled_on,
    )
    return Envelope(
        type=ChildSettledV1.event_type,
        version=ChildSettledV1.version,
        tenant=tenant,
        actor="bergen-coordinator",
        data=settled.model_dump(mode="json"),
    )


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
