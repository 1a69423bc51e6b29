"""Care's records built in memory for the domain's rule tests: a settled child and its plan."""

from __future__ import annotations

from datetime import UTC, date, datetime

from havn.events.contracts import ChildSettledV1
from services.care.domain import children
from services.care.models import CarePlan, Child
from tests.factories import BERGEN, child_settled

TODAY = date(2026, 11, 20)
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def a_child(**overrides: object) -> Child:
    settled = ChildSettledV1.from_envelope(child_settled(settled_on=date(2026, 11, 2)))
    child, _ = children.open_care(settled=settled, tenant_id=BERGEN)
    for key, value in overrides.items():
        setattr(child, key, value)
    return child


def a_plan(**overrides: object) -> CarePlan:
    settled = ChildSettledV1.from_envelope(child_settled(settled_on=date(2026, 11, 2)))
    _, plan = children.open_care(settled=settled, tenant_id=BERGEN)
    for key, value in overrides.items():
        setattr(plan, key, value)
    return plan
