"""Transition rules without a database: birthdays and the day the transition plan opens."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from havn import vocabulary
from havn.errors import Conflict, InvalidInput
from havn.events.contracts import ChildSettledV1
from services.transition.domain import aftercare, housing, outcomes, plans, timeline, transitions
from services.transition.models import Transition
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
    assert timeline.transition_plan_opens_on(date_of_birth=born) == opens


def test_a_child_born_on_29_february_turns_17_on_1_march():
    # given a leap-day birth: 17 years later is never a leap year
    born = date(2008, 2, 29)

    # when
    opens = timeline.transition_plan_opens_on(date_of_birth=born)

    # then
    assert opens == date(2025, 3, 1)


def test_a_29_february_birthday_falls_on_29_february_in_leap_years():
    # when / then
    assert timeline.birthday(date_of_birth=date(2008, 2, 29), age=20) == date(2028, 2, 29)
    assert timeline.birthday(date_of_birth=date(2008, 2, 29), age=18) == date(2026, 3, 1)


def test_a_settled_child_gets_a_transition_without_an_aftercare_decision():
    # given
    settled = ChildSettledV1.from_envelope(child_settled(date_of_birth=date(2010, 5, 17)))

    # when
    child, transition, _ = transitions.open_transition(settled=settled, tenant_id=BERGEN)

    # then
    assert (child.id, child.tenant_id) == (settled.child_id, BERGEN)
    assert (child.date_of_birth, child.settled_on) == (date(2010, 5, 17), date(2026, 11, 2))
    assert (transition.child_id, transition.tenant_id) == (settled.child_id, BERGEN)
    assert transition.plan_opens_on == date(2027, 5, 17)
    assert transition.aftercare_decision is None


# --- the timeline, the phase and the rules of each record ----------------------------------

BORN = date(2010, 5, 17)
SETTLED = date(2026, 11, 2)


def transition_of(born: date = BORN, settled_on: date = SETTLED) -> Transition:
    """A transient transition with its child and timeline, as the repository loads it."""
    settled = ChildSettledV1.from_envelope(child_settled(date_of_birth=born, settled_on=settled_on))
    child, transition, milestones = transitions.open_transition(settled=settled, tenant_id=BERGEN)
    transition.child = child
    transition.milestones = milestones
    transition.outcomes, transition.goals, transition.decisions = [], [], []
    return transition


def test_a_settled_child_gets_its_birthdays_and_outcome_dates_on_its_timeline():
    # when
    transition = transition_of()

    # then
    assert {(m.milestone, m.due_on, m.outcome_years) for m in transition.milestones} == {
        ("AGE_17", date(2027, 5, 17), None),
        ("AGE_18", date(2028, 5, 17), None),
        ("AGE_20", date(2030, 5, 17), None),
        ("AGE_25", date(2035, 5, 17), None),
        ("OUTCOME_1_YEAR", date(2027, 11, 2), 1),
        ("OUTCOME_2_YEARS", date(2028, 11, 2), 2),
        ("OUTCOME_4_YEARS", date(2030, 11, 2), 4),
        ("OUTCOME_5_YEARS", date(2031, 11, 2), 5),
    }
    assert all(m.reached_on is None and m.occurrence == 0 for m in transition.milestones)
    assert transition.aftercare_due_on == date(2028, 5, 17)


@pytest.mark.parametrize(
    ("today", "status", "next_offer_on", "phase"),
    [
        (date(2026, 11, 1), None, None, vocabulary.Phase.PREPARATION),
        (date(2026, 11, 2), None, None, vocabulary.Phase.CARE),
        (date(2027, 5, 16), None, None, vocabulary.Phase.CARE),
        (date(2027, 5, 17), None, None, vocabulary.Phase.TRANSITION),
        (date(2028, 5, 17), None, None, vocabulary.Phase.TRANSITION),
        (date(2028, 6, 1), "OFFERED", None, vocabulary.Phase.TRANSITION),
        (date(2028, 6, 1), "ACCEPTED", None, vocabulary.Phase.AFTERCARE),
        (date(2028, 6, 1), "DECLINED", date(2029, 6, 1), vocabulary.Phase.TRANSITION),
        (date(2034, 12, 1), "DECLINED", None, vocabulary.Phase.CLOSED),
        (date(2035, 5, 16), "ACCEPTED", None, vocabulary.Phase.AFTERCARE),
        (date(2035, 5, 17), "ACCEPTED", None, vocabulary.Phase.CLOSED),
    ],
)
def test_the_phase_follows_arrival_age_and_aftercare(today, status, next_offer_on, phase):
    # when / then
    assert (
        transitions.phase_of(
            date_of_birth=BORN,
            settled_on=SETTLED,
            aftercare_status=status,
            aftercare_next_offer_on=next_offer_on,
            today=today,
        )
        == phase
    )


def test_a_plan_goal_in_an_unknown_domain_is_refused_and_the_plan_is_unchanged():
    # given
    transition = transition_of()
    goals = [
        plans.NewGoal(domain="HOUSING", description="Own flat by 19", status="IN_PROGRESS"),
        plans.NewGoal(domain="ROMANCE", description="-", status="NOT_STARTED"),
    ]

    # when
    with pytest.raises(InvalidInput) as refused:
        plans.write_plan(
            transition, goals=goals, youths_own_words="I want a flat", today=date(2027, 6, 1)
        )

    # then
    assert refused.value.field == "goals[1].domain"
    assert "ROMANCE" in refused.value.message
    assert (transition.goals, transition.youths_own_words) == ([], None)


def test_a_plan_has_one_goal_per_domain():
    # given
    transition = transition_of()
    goals = [
        plans.NewGoal(domain="WORK", description="Summer job", status="IN_PROGRESS"),
        plans.NewGoal(domain="work", description="Apprenticeship", status="NOT_STARTED"),
    ]

    # when / then
    with pytest.raises(InvalidInput) as refused:
        plans.write_plan(transition, goals=goals, youths_own_words=None, today=date(2027, 6, 1))
    assert refused.value.field == "goals[1].domain"


def test_the_plan_cannot_be_written_before_it_opens_at_17():
    # when / then
    with pytest.raises(Conflict):
        plans.write_plan(transition_of(), goals=[], youths_own_words=None, today=date(2027, 5, 16))


def test_an_aftercare_decision_before_the_18th_birthday_is_refused_and_nothing_changes():
    # given
    transition = transition_of()

    # when
    with pytest.raises(InvalidInput) as refused:
        aftercare.decide_aftercare(
            transition,
            status=vocabulary.AftercareStatus.ACCEPTED,
            decided_on=date(2028, 5, 16),
            next_offer_on=None,
            recorded_by="kari",
            now=datetime.now(UTC),
            today=date(2028, 6, 1),
        )

    # then
    assert refused.value.field == "decided_on"
    assert "18th birthday" in refused.value.message
    assert (transition.aftercare_decision, transition.decisions) == (None, [])


def test_a_declined_offer_is_to_be_renewed_within_a_year():
    # given
    transition = transition_of()

    # when
    aftercare.decide_aftercare(
        transition,
        status=vocabulary.AftercareStatus.DECLINED,
        decided_on=date(2028, 6, 1),
        next_offer_on=None,
        recorded_by="kari",
        now=datetime.now(UTC),
        today=date(2028, 6, 1),
    )

    # then
    assert transition.aftercare_next_offer_on == date(2029, 6, 1)
    assert transition.aftercare_due_on == date(2029, 6, 1)
    (renewal,) = [m for m in transition.milestones if m.milestone == "AFTERCARE_OFFER_RENEWAL"]
    assert (renewal.due_on, renewal.occurrence) == (date(2029, 6, 1), 1)


def test_a_renewed_offer_later_than_a_year_after_the_decline_is_refused():
    # when / then
    with pytest.raises(InvalidInput) as refused:
        aftercare.decide_aftercare(
            transition_of(),
            status=vocabulary.AftercareStatus.DECLINED,
            decided_on=date(2028, 6, 1),
            next_offer_on=date(2029, 6, 2),
            recorded_by="kari",
            now=datetime.now(UTC),
            today=date(2028, 6, 1),
        )
    assert refused.value.field == "next_offer_on"


def test_accepting_aftercare_withdraws_the_pending_renewal_and_needs_no_further_decision():
    # given a declined offer with its renewal pending
    transition = transition_of()
    for status, on in (
        (vocabulary.AftercareStatus.DECLINED, date(2028, 6, 1)),
        (vocabulary.AftercareStatus.ACCEPTED, date(2028, 9, 1)),
    ):
        # when
        aftercare.decide_aftercare(
            transition,
            status=status,
            decided_on=on,
            next_offer_on=None,
            recorded_by="kari",
            now=datetime.now(UTC),
            today=on,
        )

    # then
    assert [m for m in transition.milestones if m.milestone == "AFTERCARE_OFFER_RENEWAL"] == []
    assert (transition.aftercare_decision, transition.aftercare_due_on) == ("ACCEPTED", None)
    assert [d.status for d in transition.decisions] == ["DECLINED", "ACCEPTED"]


@pytest.mark.parametrize("years", [0, 3, 6, -1])
def test_an_outcome_at_a_year_that_is_no_milestone_is_refused(years):
    # given
    transition = transition_of()

    # when
    with pytest.raises(InvalidInput) as refused:
        outcomes.record_outcome(
            transition,
            milestone_years=years,
            status=vocabulary.OutcomeStatus.WORK,
            today=date(2035, 1, 1),
        )

    # then
    assert refused.value.field == "milestone_years"
    assert transition.outcomes == []


def test_an_outcome_before_its_milestone_date_is_refused():
    # given
    transition = transition_of()

    # when
    with pytest.raises(InvalidInput) as refused:
        outcomes.record_outcome(
            transition,
            milestone_years=1,
            status=vocabulary.OutcomeStatus.EDUCATION,
            today=date(2027, 11, 1),
        )

    # then
    assert "2027-11-02" in refused.value.message
    assert transition.outcomes == []


def test_missing_outcomes_are_due_once_their_date_has_come_and_recording_one_clears_it():
    # given
    transition = transition_of()
    today = date(2028, 11, 2)
    assert outcomes.outcomes_due(transition, today=today) == [
        (1, date(2027, 11, 2)),
        (2, date(2028, 11, 2)),
    ]

    # when
    outcomes.record_outcome(
        transition, milestone_years=1, status=vocabulary.OutcomeStatus.EDUCATION, today=today
    )

    # then
    assert outcomes.outcomes_due(transition, today=today) == [(2, date(2028, 11, 2))]


def test_a_corrected_date_of_birth_moves_pending_milestones_and_keeps_reached_ones():
    # given the plan opened (AGE_17 reached) under the first date of birth
    transition = transition_of()
    (age_17,) = [m for m in transition.milestones if m.milestone == "AGE_17"]
    timeline.reach_milestone(age_17, today=date(2027, 5, 17))

    # when the child turns out to be a year younger
    transitions.correct_date_of_birth(transition, date_of_birth=date(2011, 5, 17))

    # then
    due = {m.milestone: (m.due_on, m.reached_on) for m in transition.milestones}
    assert due["AGE_17"] == (date(2027, 5, 17), date(2027, 5, 17))
    assert due["AGE_18"] == (date(2029, 5, 17), None)
    assert due["AGE_25"] == (date(2036, 5, 17), None)
    assert due["OUTCOME_1_YEAR"] == (date(2027, 11, 2), None)
    assert transition.plan_opens_on == date(2028, 5, 17)
    assert transition.aftercare_due_on == date(2029, 5, 17)


def test_a_milestone_is_reached_only_once():
    # given
    transition = transition_of()
    (age_17,) = [m for m in transition.milestones if m.milestone == "AGE_17"]
    timeline.reach_milestone(age_17, today=date(2027, 5, 17))

    # when / then
    with pytest.raises(Conflict):
        timeline.reach_milestone(age_17, today=date(2027, 5, 18))


def test_housing_recorded_without_its_flags_keeps_the_flags_recorded_before():
    # given housing recorded with a start loan and a housing allowance
    transition = transition_of()
    today = timeline.add_years(BORN, 18)
    housing.record_housing(
        transition,
        housing_type=vocabulary.HousingType.SHARED,
        start_loan=True,
        housing_allowance=True,
        today=today,
    )

    # when the housing type changes and the flags are left out
    housing.record_housing(
        transition,
        housing_type=vocabulary.HousingType.OWN_FLAT,
        start_loan=None,
        housing_allowance=None,
        today=today,
    )

    # then the flags stay as recorded
    assert (transition.housing_type, transition.start_loan, transition.housing_allowance) == (
        "OWN_FLAT",
        True,
        True,
    )
