"""Care rules without a database: who sees and writes what, the plan and its versions, the
assessment schedule, notes, meetings and interpreters."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from havn import permissions, vocabulary
from havn.auth import DataClass, Role
from havn.errors import Conflict, Forbidden, InvalidInput
from havn.events.contracts import ChildSettledV1
from services.care.domain import assessments, care_plans, checks, children, follow_up_notes, parts
from services.care.domain.assessments import ScoreInput
from services.care.domain.care_plans import GoalInput
from services.care.domain.education import record_education
from services.care.domain.health import record_screening
from services.care.domain.meetings import InterpreterInput, record_meeting
from services.care.domain.parts import CarePart
from services.care.models import CareGoal, CarePlan, Child, FollowUpNote
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


# --- the record a settled child starts with -------------------------------------------------


@pytest.mark.parametrize(
    ("settled_on", "due"),
    [
        (date(2026, 11, 2), date(2026, 11, 16)),
        (date(2026, 12, 25), date(2027, 1, 8)),
        (date(2028, 2, 20), date(2028, 3, 5)),
    ],
)
def test_first_assessment_is_due_two_weeks_after_settlement(settled_on, due):
    # when / then
    assert assessments.first_assessment_due(settled_on=settled_on) == due


def test_a_settled_child_starts_with_an_empty_draft_plan_and_no_contact_person():
    # given
    settled = ChildSettledV1.from_envelope(child_settled(settled_on=date(2026, 11, 2)))

    # when
    child, plan = children.open_care(settled=settled, tenant_id=BERGEN)

    # then
    assert (child.id, child.tenant_id, child.first_name) == (settled.child_id, BERGEN, "Amina")
    assert (child.full_name, child.contact_person) == ("Amina Rahimi", None)
    assert (child.date_of_birth, child.settled_on) == (date(2010, 5, 17), date(2026, 11, 2))
    assert plan.status == vocabulary.CarePlanStatus.DRAFT
    assert (plan.childs_own_words, plan.approved_on, plan.version) == (None, None, 1)
    assert plan.next_assessment_due == date(2026, 11, 16)


# --- who sees which part ------------------------------------------------------------------

ALL_BUT_HEALTH = parts.EVERY_PART - {CarePart.HEALTH}


@pytest.mark.parametrize(
    ("role", "assigned", "sees"),
    [
        (Role.SETTLEMENT_COORDINATOR, False, {CarePart.PLAN_STATUS}),
        (Role.CASEWORKER, False, set(parts.EVERY_PART)),
        (Role.CONTACT_PERSON, True, set(ALL_BUT_HEALTH)),
        (Role.CONTACT_PERSON, False, set()),
        (Role.VOLUNTEER_COORDINATOR, True, set()),
        (Role.MUNICIPALITY_ADMIN, True, set()),
        (Role.PARTNER, True, set()),
        (Role.DIRECTORATE_ALLOCATOR, True, set()),
        (Role.DIRECTORATE_ANALYST, True, set()),
        (Role.PLATFORM_ADMIN, True, set()),
    ],
)
def test_each_role_sees_exactly_its_parts_of_a_childs_care(role, assigned, sees):
    # when / then
    assert parts.visible_parts(roles={role}, assigned=assigned) == sees


def test_a_caller_with_several_roles_sees_the_most_any_of_them_sees():
    # when
    sees = parts.visible_parts(
        roles={Role.SETTLEMENT_COORDINATOR, Role.CONTACT_PERSON}, assigned=False
    )

    # then
    assert sees == {CarePart.PLAN_STATUS}


def test_the_readers_of_a_part_are_the_roles_that_see_it_of_some_child():
    # when / then
    assert parts.readers_of(CarePart.PLAN_STATUS) == {
        Role.SETTLEMENT_COORDINATOR,
        Role.CASEWORKER,
        Role.CONTACT_PERSON,
    }
    assert parts.readers_of(CarePart.HEALTH) == {Role.CASEWORKER}


@pytest.mark.parametrize(
    ("part", "data_class"),
    [
        (CarePart.PLAN_STATUS, DataClass.PERSONAL),
        (CarePart.PLAN, DataClass.PERSONAL),
        (CarePart.CONTACT_PERSON, DataClass.PERSONAL),
        (CarePart.EDUCATION, DataClass.PERSONAL),
        (CarePart.MEETINGS, DataClass.PERSONAL),
        (CarePart.ASSESSMENTS, DataClass.CONFIDENTIAL),
        (CarePart.NOTES, DataClass.CONFIDENTIAL),
        (CarePart.HEALTH, DataClass.SENSITIVE),
    ],
)
def test_each_part_is_read_and_written_under_its_data_class(part, data_class):
    # when / then
    assert parts.PART_CLASS[part] == data_class


# --- who writes ---------------------------------------------------------------------------


CARE_ACTS = [
    permissions.care.CONTACT_PERSON_ASSIGN,
    permissions.care.PLAN_REVISE,
    permissions.care.PLAN_APPROVE,
    permissions.care.ASSESSMENT_RECORD,
    permissions.care.NOTE_WRITE,
    permissions.care.HEALTH_RECORD,
    permissions.care.EDUCATION_RECORD,
    permissions.care.MEETING_RECORD,
]


@pytest.mark.parametrize("act", CARE_ACTS, ids=lambda act: act.act)
def test_a_caseworker_may_do_everything_in_care_for_any_child(act):
    # when / then
    assert parts.may_act(permission=act, roles={Role.CASEWORKER}, assigned=False)


@pytest.mark.parametrize(
    ("act", "may"),
    [
        (permissions.care.NOTE_WRITE, True),
        (permissions.care.MEETING_RECORD, True),
        (permissions.care.CONTACT_PERSON_ASSIGN, False),
        (permissions.care.PLAN_REVISE, False),
        (permissions.care.PLAN_APPROVE, False),
        (permissions.care.ASSESSMENT_RECORD, False),
        (permissions.care.HEALTH_RECORD, False),
        (permissions.care.EDUCATION_RECORD, False),
    ],
    ids=lambda value: value.act if isinstance(value, permissions.Permission) else str(value),
)
def test_a_contact_person_writes_notes_and_meetings_of_their_own_children_only(act, may):
    # when / then
    assert parts.may_act(permission=act, roles={Role.CONTACT_PERSON}, assigned=True) is may
    assert not parts.may_act(permission=act, roles={Role.CONTACT_PERSON}, assigned=False)


def test_a_contact_person_writing_about_someone_elses_child_is_told_why():
    # when
    with pytest.raises(Forbidden, match="contact person"):
        parts.require_act(
            permission=permissions.care.NOTE_WRITE, roles={Role.CONTACT_PERSON}, assigned=False
        )


@pytest.mark.parametrize(
    "role", [Role.SETTLEMENT_COORDINATOR, Role.VOLUNTEER_COORDINATOR, Role.PARTNER]
)
def test_roles_outside_care_write_nothing(role):
    # when / then
    assert not any(parts.may_act(permission=act, roles={role}, assigned=True) for act in CARE_ACTS)


# --- contact person -----------------------------------------------------------------------


def test_assigning_a_contact_person_returns_whom_they_replace():
    # given
    child = a_child(contact_person="bergen-contact")

    # when
    previous = children.assign_contact_person(
        child, username=" Kari.Nordmann ", is_contact_person=True, replace=True, today=TODAY
    )

    # then
    assert (previous, child.contact_person, child.contact_assigned_on) == (
        "bergen-contact",
        "kari.nordmann",
        TODAY,
    )


@pytest.mark.parametrize("username", ["", "a", "has space", "semi;colon", "x" * 101])
def test_a_contact_person_must_be_a_username(username):
    # when
    with pytest.raises(InvalidInput) as refused:
        children.assign_contact_person(
            a_child(), username=username, is_contact_person=True, replace=False, today=TODAY
        )

    # then
    assert refused.value.field == "username"


def test_assigning_the_same_contact_person_again_is_a_conflict():
    # when / then
    with pytest.raises(Conflict):
        children.assign_contact_person(
            a_child(contact_person="bergen-contact"),
            username="bergen-contact",
            is_contact_person=True,
            replace=True,
            today=TODAY,
        )


def test_only_a_user_with_the_contact_person_role_can_be_assigned():
    # given a child, and a user Havn has not seen act as a contact person
    child = a_child()

    # when they are assigned
    with pytest.raises(InvalidInput) as refused:
        children.assign_contact_person(
            child,
            username="bergen-coordinator",
            is_contact_person=False,
            replace=False,
            today=TODAY,
        )

    # then it is refused on the username and the child keeps no contact person
    assert refused.value.field == "username"
    assert child.contact_person is None


def test_replacing_a_contact_person_must_be_asked_for_and_the_conflict_names_the_current_one():
    # given a child with a contact person
    child = a_child(contact_person="bergen-contact")

    # when another is assigned without replace
    with pytest.raises(Conflict, match="bergen-contact"):
        children.assign_contact_person(
            child, username="kari.nordmann", is_contact_person=True, replace=False, today=TODAY
        )

    # then the child keeps its contact person
    assert child.contact_person == "bergen-contact"


def test_unassigning_without_a_contact_person_is_a_conflict():
    # when / then
    with pytest.raises(Conflict):
        children.unassign_contact_person(a_child())


# --- the care plan ------------------------------------------------------------------------


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


# --- assessments --------------------------------------------------------------------------


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


# --- follow-up notes ----------------------------------------------------------------------


def a_note(
    child: Child, written_at: datetime = NOW, author: str = "bergen-contact"
) -> FollowUpNote:
    return follow_up_notes.write_follow_up_note(
        child, text="Visited", corrects=None, author=author, now=written_at
    )


def test_a_note_can_be_edited_by_its_author_within_24_hours():
    # given
    note = a_note(a_child())

    # when
    follow_up_notes.edit_follow_up_note(
        note, text="Visited at home", editor="bergen-contact", now=NOW + timedelta(hours=24)
    )

    # then
    assert (note.text, note.edited_at) == ("Visited at home", NOW + timedelta(hours=24))


def test_a_note_cannot_be_edited_after_24_hours():
    # given
    note = a_note(a_child())

    # when
    with pytest.raises(Conflict, match="24 hours"):
        follow_up_notes.edit_follow_up_note(
            note,
            text="Rewritten",
            editor="bergen-contact",
            now=NOW + timedelta(hours=24, seconds=1),
        )

    # then
    assert (note.text, note.edited_at) == ("Visited", None)


def test_only_the_author_edits_a_note():
    # when / then
    with pytest.raises(Forbidden):
        follow_up_notes.edit_follow_up_note(
            a_note(a_child()), text="Mine now", editor="bergen-caseworker", now=NOW
        )


def test_a_correction_references_the_note_it_corrects():
    # given
    child = a_child()
    original = a_note(child)

    # when
    correction = follow_up_notes.write_follow_up_note(
        child, text="The visit was on Tuesday", corrects=original, author="cw", now=NOW
    )

    # then
    assert correction.corrects_id == original.id and correction.id != original.id


def test_a_correction_of_another_childs_note_is_bad_input():
    # when
    with pytest.raises(InvalidInput) as refused:
        follow_up_notes.write_follow_up_note(
            a_child(), text="Fix", corrects=a_note(a_child()), author="cw", now=NOW
        )

    # then
    assert refused.value.field == "corrects"


def test_an_empty_note_is_bad_input():
    # when / then
    with pytest.raises(InvalidInput, match="text"):
        follow_up_notes.write_follow_up_note(
            a_child(), text=" \n", corrects=None, author="cw", now=NOW
        )


# --- health and education -----------------------------------------------------------------


def test_a_screening_in_the_future_is_bad_input():
    # when
    with pytest.raises(InvalidInput) as refused:
        record_screening(
            a_child(),
            kind="TB",
            screened_on=TODAY + timedelta(days=1),
            findings=None,
            by="cw",
            today=TODAY,
        )

    # then
    assert refused.value.field == "screened_on"


def test_school_start_before_birth_is_bad_input():
    # when / then
    with pytest.raises(InvalidInput, match="birth"):
        record_education(
            a_child(),
            None,
            school="Nygård",
            class_level="8",
            norwegian_level=vocabulary.NorwegianLevel.A1,
            started_on=date(2001, 1, 1),
        )


# --- meetings and interpreters ------------------------------------------------------------


def meeting(child: Child, interpreter: InterpreterInput | None, **kw: object):
    values: dict[str, object] = {
        "held_on": TODAY,
        "purpose": "Care plan review",
        "language": "prs",
        "interpreter": interpreter,
        "interpreter_is_a_child": False,
        "by": "bergen-caseworker",
    }
    values.update(kw)
    return record_meeting(child, **values)  # type: ignore[arg-type]


def test_a_meeting_with_a_qualified_interpreter_records_the_language_and_the_interpreter():
    # when
    held = meeting(a_child(), InterpreterInput(name="Farid Ahmadi", qualified=True))

    # then
    assert (held.language, held.interpreter_name, held.interpreter_qualified) == (
        "prs",
        "Farid Ahmadi",
        True,
    )
    assert held.interpreter_missing is False


def test_a_meeting_with_a_child_who_needs_an_interpreter_and_has_none_is_flagged():
    # when / then
    assert meeting(a_child(interpreter_needed=True), None).interpreter_missing is True
    assert meeting(a_child(interpreter_needed=False), None).interpreter_missing is False


@pytest.mark.parametrize(
    ("name", "is_a_child"),
    [("Amina", False), ("amina  rahimi", False), ("Yonas Tesfay", True)],
)
def test_a_child_is_never_recorded_as_an_interpreter(name, is_a_child):
    # when
    with pytest.raises(InvalidInput) as refused:
        meeting(
            a_child(),
            InterpreterInput(name=name, qualified=False),
            interpreter_is_a_child=is_a_child,
        )

    # then
    assert refused.value.field == "interpreter.name"


def test_a_meeting_language_must_be_an_iso_639_code():
    # when / then
    with pytest.raises(InvalidInput) as refused:
        meeting(a_child(), None, language="dari")
    assert refused.value.field == "language"


def test_a_cursor_pages_the_list_of_exactly_one_child():
    # given
    one, other = uuid.uuid4(), uuid.uuid4()

    # when
    with pytest.raises(InvalidInput) as refused:
        checks.child_pages_of(child_ids=[one, other], after="cursor")

    # then
    assert refused.value.field == "after"
    assert checks.child_pages_of(child_ids=[one, one], after="cursor") == [one]
    assert checks.child_pages_of(child_ids=[one, other, one], after=None) == [one, other]
