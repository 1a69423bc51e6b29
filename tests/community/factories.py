"""Builds community's input: intake's `child.settled` event, as the consumer receives it."""

from __future__ import annotations

import uuid
from datetime import date

from havn.events.contracts import ChildSettledV1
from havn.events.envelope import Envelope

BERGEN, ASKER = "4601", "3203"


def child_settled(
    *,
    tenant: str = BERGEN,
    child_id: uuid.UUID | None = None,
    date_of_birth: date = date(2010, 5, 17),
    settled_on: date = date(2026, 11, 2),
) -> Envelope:
    settled = ChildSettledV1(
        child_id=child_id or uuid.uuid4(),
        referral_id=uuid.uuid4(),
        first_name="Yonas",
        full_name="Yonas Tesfaye",
        date_of_birth=date_of_birth,
        date_of_birth_estimated=True,
        sex="M",
        nationality="ER",
        languages=["ti"],
        care_arrangement="SUPPORTED_LODGING",
        settled_on=settled_on,
    )
    return Envelope(
        type=ChildSettledV1.event_type,
        version=ChildSettledV1.version,
        tenant=tenant,
        actor="bergen-coordinator",
        data=settled.model_dump(mode="json"),
    )
