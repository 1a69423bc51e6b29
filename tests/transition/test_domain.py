"""Transition rules without a database: birthdays and the day the transition plan opens."""

from __future__ import annotations

from datetime import date

import pytest

from havn.events.contracts import ChildSettledV1
from services.transition import domain
from tests.factories import BERGEN, child_settled


@pytest.mark.parametrize(
    ("born", "opens"),
    [
        (date(2010, 5, 17), date(2027, 5, 17)),
        (date(2009, 12, 31), date(2026, 12, 31)),
        (date(2009, 3, 1), date(2026, 3, 1)),
    ],
)
def test_the_transition_plan_opens_on_the_seventeenth_birthday(born, opens):
    # when / then
    assert domain.transition_plan_opens_on(date_of_birth=born) == opens


def test_a_child_born_on_29_february_turns_17_on_1_march():
    # given a leap-day birth: 17 years later is never a leap year
    born = date(2008, 2, 29)

    # when
    opens = domain.transition_plan_opens_on(date_of_birth=born)

    # then
    assert opens == date(2025, 3, 1)


def test_a_29_february_birthday_falls_on_29_february_in_leap_years():
    # when / then
    assert domain.birthday(date_of_birth=date(2008, 2, 29), age=20) == date(2028, 2, 29)
    assert domain.birthday(date_of_birth=date(2008, 2, 29), age=18) == date(2026, 3, 1)


def test_a_settled_child_gets_a_transition_without_an_aftercare_decision():
    # given
    settled = ChildSettledV1.from_envelope(child_settled(date_of_birth=date(2010, 5, 17)))

    # when
    child, transition = domain.open_transition(settled=settled, tenant_id=BERGEN)

    # then
    assert (child.id, child.tenant_id) == (settled.child_id, BERGEN)
    assert (child.date_of_birth, child.settled_on) == (date(2010, 5, 17), date(2026, 11, 2))
    assert (transition.child_id, transition.tenant_id) == (settled.child_id, BERGEN)
    assert transition.plan_opens_on == date(2027, 5, 17)
    assert transition.aftercare_decision is None
