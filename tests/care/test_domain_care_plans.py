"""Care rules for the care plan: its goals, approval and versions."""

from __future__ import annotations

from datetime import timedelta

import pytest

from havn.errors import Conflict, InvalidInput
from services.care.domain import care_plans
from services.care.domain.care_plans import GoalInput
from services.care.models import CareGoal, CarePlan
from tests.care.domain_support import NOW, TODAY, a_plan


def goal(life_domain: str = "education", **overrides: object) -> GoalInput:
    values: dict[str, object] = {
        "domain": life_domain,
        "description": "Starts at the introduction school",
        "measures": ["Enrol at Nygård school", "Homework help twice a week"],
        "responsible": "bergen-caseworker",
        "review_on": TODAY + timedelta(days=60),
    }
    values.update(overrides)
    return GoalInput(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Family tracing", "family_tracing"),
        ("FAMILY-TRACING", "family_tracing"),
        ("Leisure", "leisure"),
    ],
)
def test_life_domains_are_known_by_their_names(given, expected):
    # when / then
    assert care_plans.life_domain(given, field="domain").value == expected


@pytest.mark.parametrize(
    ("goals", "field"),
    [
        ([goal("religion")], "goals[0].domain"),
        ([goal("health"), goal("Health")], "goals[1].domain"),
        ([goal(review_on=TODAY - timedelta(days=1))], "goals[0].review_on"),
        ([goal(measures=[" "])], "goals[0].measures"),
        ([goal(responsible="")], "goals[0].responsible"),
        ([goal(description="  ")], "goals[0].description"),
    ],
)
def test_a_goal_in_an_unknown_domain_twice_or_reviewed_in_the_past_is_bad_input(goals, field):
    # given
    plan = a_plan()

    # when
    with pytest.raises(InvalidInput) as refused:
        care_plans.revise_care_plan(plan, goals=goals, childs_own_words=None, today=TODAY)

    # then
    assert refused.value.field == field
    assert (plan.status, plan.version) == ("DRAFT", 1)


def test_a_goal_may_be_reviewed_today():
    # when
    (kept,) = care_plans.revise_care_plan(
        a_plan(), goals=[goal(review_on=TODAY)], childs_own_words=None, today=TODAY
    )

    # then
    assert kept.review_on == TODAY


def goals_of(
    plan: CarePlan, *inputs: GoalInput, words: str | None = "I want school"
) -> list[CareGoal]:
    return care_plans.revise_care_plan(
        plan, goals=list(inputs), childs_own_words=words, today=TODAY
    )


def test_a_plan_without_the_childs_own_words_cannot_be_approved():
    # given
    plan = a_plan()
    goals = goals_of(plan, goal(), words="  ")

    # when
    with pytest.raises(Conflict) as refused:
        care_plans.approve_care_plan(
            plan, goals=goals, previous=None, by="bergen-caseworker", now=NOW, today=TODAY
        )

    # then
    assert refused.value.field == "childs_own_words"
    assert (plan.status, plan.approved_on) == ("DRAFT", None)


def test_a_plan_without_goals_cannot_be_approved():
    # given
    plan = a_plan()
    goals_of(plan, words="I want school")

    # when / then
    with pytest.raises(Conflict, match="without goals"):
        care_plans.approve_care_plan(
            plan, goals=[], previous=None, by="bergen-caseworker", now=NOW, today=TODAY
        )


def test_a_goal_whose_review_date_has_passed_blocks_approval():
    # given
    plan = a_plan()
    goals = goals_of(plan, goal("housing"))

    # when / then
    with pytest.raises(Conflict, match="housing"):
        care_plans.approve_care_plan(
            plan,
            goals=goals,
            previous=None,
            by="bergen-caseworker",
            now=NOW,
            today=TODAY + timedelta(days=61),
        )


def test_approving_keeps_a_version_saying_who_approved_when_and_that_it_is_the_first():
    # given
    plan = a_plan()
    goals = goals_of(plan, goal("education"), goal("wellbeing"))

    # when
    version = care_plans.approve_care_plan(
        plan, goals=goals, previous=None, by="bergen-caseworker", now=NOW, today=TODAY
    )

    # then
    assert (plan.status, plan.approved_on, plan.approved_by) == (
        "APPROVED",
        TODAY,
        "bergen-caseworker",
    )
    assert (version.version, version.approved_by, version.approved_at) == (
        1,
        "bergen-caseworker",
        NOW,
    )
    assert version.changes == ["first approved version"]
    assert [g["domain"] for g in version.snapshot["goals"]] == ["education", "wellbeing"]
    assert version.snapshot["childs_own_words"] == "I want school"


def test_an_approved_plan_cannot_be_approved_again_unchanged():
    # given
    plan = a_plan()
    goals = goals_of(plan, goal())
    care_plans.approve_care_plan(plan, goals=goals, previous=None, by="cw", now=NOW, today=TODAY)

    # when / then
    with pytest.raises(Conflict, match="already approved"):
        care_plans.approve_care_plan(
            plan, goals=goals, previous=None, by="cw", now=NOW, today=TODAY
        )


def test_changing_an_approved_plan_revises_it_under_the_next_version_and_says_what_changed():
    # given an approved first version
    plan = a_plan()
    first = care_plans.approve_care_plan(
        plan,
        goals=goals_of(plan, goal("education"), goal("housing")),
        previous=None,
        by="cw",
        now=NOW,
        today=TODAY,
    )

    # when the plan changes and is approved again
    goals = goals_of(
        plan,
        goal("education", measures=["Enrol at Nygård school"]),
        goal("leisure"),
        words="I want football",
    )
    status_while_revised = (plan.status, plan.version)
    second = care_plans.approve_care_plan(
        plan, goals=goals, previous=first, by="cw", now=NOW, today=TODAY
    )

    # then
    assert status_while_revised == ("REVISED", 2)
    assert second.version == 2
    assert second.changes == [
        "education: measures changed",
        "housing: goal removed",
        "leisure: goal added",
        "the child's own words changed",
    ]
    assert [g["domain"] for g in first.snapshot["goals"]] == ["education", "housing"]
