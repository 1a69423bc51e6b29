"""Community rules: what community keeps of a settled child, and when an enrolment is active.

Functions here build model objects; they never touch HTTP, SQL text or the transaction
(the request's unit of work, or the event's, commits).
"""

from __future__ import annotations

from datetime import date

from havn.events.contracts import ChildSettledV1
from services.community.models import Child, Enrolment


def project_settled_child(*, settled: ChildSettledV1, tenant_id: str) -> Child:
    """The child as community first knows it: no interests until the child is asked."""
    return Child(
        id=settled.child_id,
        tenant_id=tenant_id,
        first_name=settled.first_name,
        date_of_birth=settled.date_of_birth,
        languages=list(settled.languages),
        interests=[],
    )


def enrolment_is_active(*, enrolment: Enrolment, today: date) -> bool:
    """Active from its start until the day it ends; an end date ahead is still active."""
    return enrolment.started_on <= today and (
        enrolment.ended_on is None or enrolment.ended_on > today
    )
