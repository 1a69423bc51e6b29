"""Care rules for assessments: their scores, interval and due dates."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from havn.errors import InvalidInput
from services.care.domain import assessments
from services.care.domain.assessments import ScoreInput
from tests.care.domain_support import TODAY, a_plan


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 11, 20), 6, date(2027, 5, 20)),
        (date(2026, 8, 31), 6, date(2027, 2, 28)),
        (date(2027, 8, 31), 6, date(2028, 2, 29)),
        (date(2026, 12, 15), 1, date(2027, 1, 15)),
        (date(2026, 1, 10), 24, date(2028, 1, 10)),
    ],
)
def test_months_are_added_on_the_calendar(day, months, expected):
    # when / then
    assert assessments.add_months(day, months) == expected


def test_the_next_assessment_is_due_one_municipal_interval_after_this_one():
    # given
    plan = a_plan()

    # when
    assessment = assessments.record_assessment(
        plan,
        scores=[ScoreInput(domain="health", score=3), ScoreInput(domain="Language", score=2)],
        childs_own_words="I miss my brother",
        notes="Sleeps badly",
        interval_months=4,
        by="bergen-caseworker",
        today=TODAY,
    )

    # then
    assert (assessment.assessed_on, assessment.next_due_on) == (TODAY, date(2027, 3, 20))
    assert plan.next_assessment_due == date(2027, 3, 20)
    assert assessment.scores == [
        {"domain": "health", "score": 3},
        {"domain": "language", "score": 2},
    ]


@pytest.mark.parametrize(
    ("scores", "words", "field"),
    [
        ([ScoreInput(domain="health", score=0)], "ok", "scores[0].score"),
        ([ScoreInput(domain="health", score=6)], "ok", "scores[0].score"),
        ([ScoreInput(domain="happiness", score=3)], "ok", "scores[0].domain"),
        (
            [ScoreInput(domain="health", score=3), ScoreInput(domain="health", score=4)],
            "ok",
            "scores[1].domain",
        ),
        ([], "ok", "scores"),
        ([ScoreInput(domain="health", score=3)], " ", "childs_own_words"),
    ],
)
def test_scores_outside_1_to_5_unknown_domains_or_no_childs_words_are_bad_input(
    scores, words, field
):
    # given
    plan = a_plan()

    # when
    with pytest.raises(InvalidInput) as refused:
        assessments.record_assessment(
            plan,
            scores=scores,
            childs_own_words=words,
            notes=None,
            interval_months=6,
            by="cw",
            today=TODAY,
        )

    # then
    assert refused.value.field == field
    assert plan.next_assessment_due == date(2026, 11, 16)


@pytest.mark.parametrize(("months", "valid"), [(0, False), (1, True), (24, True), (25, False)])
def test_the_assessment_interval_is_1_to_24_months(months, valid):
    # when / then
    if valid:
        assert assessments.check_interval(months) == months
    else:
        with pytest.raises(InvalidInput):
            assessments.check_interval(months)


def test_an_assessment_is_overdue_the_day_after_it_was_due():
    # when / then
    assert not assessments.assessment_overdue(TODAY, today=TODAY)
    assert assessments.assessment_overdue(TODAY, today=TODAY + timedelta(days=1))
    assert not assessments.assessment_overdue(None, today=TODAY)
