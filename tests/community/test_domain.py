"""Community rules without a database: what is kept of a settled child, active enrolments."""

from __future__ import annotations

import uuid
from datetime import date

import pytest

from havn.events.contracts import ChildSettledV1
from services.community import domain
from services.community.models import Enrolment
from tests.factories import BERGEN, child_settled


def test_a_settled_child_is_kept_with_no_interests_until_asked():
    # given
    settled = ChildSettledV1.from_envelope(child_settled())

    # when
    child = domain.project_settled_child(settled=settled, tenant_id=BERGEN)

    # then
    assert (child.id, child.tenant_id, child.first_name) == (settled.child_id, BERGEN, "Amina")
    assert (child.date_of_birth, child.languages, child.interests) == (
        date(2010, 5, 17),
        ["prs", "en"],
        [],
    )


@pytest.mark.parametrize(
    ("started_on", "ended_on", "active"),
    [
        (date(2027, 1, 10), None, True),
        (date(2027, 1, 10), date(2027, 6, 1), True),
        (date(2027, 1, 10), date(2027, 3, 1), False),
        (date(2027, 1, 10), date(2027, 2, 28), False),
        (date(2027, 3, 2), None, False),
    ],
)
def test_an_enrolment_is_active_from_its_start_until_the_day_it_ends(started_on, ended_on, active):
    # given today is 1 March 2027
    enrolment = Enrolment(
        tenant_id=BERGEN,
        child_id=uuid.uuid4(),
        offer_id=uuid.uuid4(),
        started_on=started_on,
        ended_on=ended_on,
    )

    # when / then
    assert domain.enrolment_is_active(enrolment=enrolment, today=date(2027, 3, 1)) is active
