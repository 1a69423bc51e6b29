"""Care's write and read routes called as functions, as the application role under RLS:
who may do what to which child, what is written (and, on refusal, that nothing is), the
events published and the access log."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn.audit import access_log
from havn.auth import Principal, Role
from havn.clock import Clock
from havn.db import scoped_transaction
from havn.errors import Conflict, Forbidden, InvalidInput, NotFound
from services.care import api
from services.care.api import (
    AssessmentIn,
    AssessmentScheduleIn,
    CareBatchIn,
    CareGoalIn,
    CarePlanIn,
    ChildIdsIn,
    ChildPagesIn,
    ContactPersonIn,
    DomainScoreIn,
    EducationIn,
    FollowUpNoteEditIn,
    FollowUpNoteIn,
    GeneralPractitionerIn,
    InterpreterIn,
    MeetingIn,
    ScreeningIn,
)
from services.care.domain import CaseloadFilter, NorwegianLevel
from services.care.events import open_care_for_settled_child
from services.care.models import Assessment, CarePlanVersion, FollowUpNote, events
from tests.factories import ASKER, BERGEN, child_settled
from tests.routes import routed

Sessionmaker = async_sessionmaker[AsyncSession]
CLOCK = Clock()


def person(role: Role, username: str, tenant: str = BERGEN) -> Principal:
    return Principal(
        subject=f"{username}-subject",
        username=username,
        roles=frozenset({role}),
        tenants=(tenant,),
        tenant=tenant,
    )


CASEWORKER = person(Role.CASEWORKER, "bergen-caseworker")
CONTACT = person(Role.CONTACT_PERSON, "bergen-contact")
OTHER_CONTACT = person(Role.CONTACT_PERSON, "bergen-contact-2")
COORDINATOR = person(Role.SETTLEMENT_COORDINATOR, "bergen-coordinator")
ADMIN = person(Role.MUNICIPALITY_ADMIN, "bergen-admin")


async def settled_child(sessionmaker: Sessionmaker, tenant: str = BERGEN, **kw: Any) -> uuid.UUID:
    kw.setdefault("settled_on", CLOCK.today())
    envelope = child_settled(tenant=tenant, **kw)
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        await open_care_for_settled_child(session, envelope)
    return uuid.UUID(envelope.data["child_id"])


async def call(
    sessionmaker: Sessionmaker, route: Any, *before: Any, principal: Principal, **after: Any
) -> Any:
    """Runs a route as a request would: the router notes who acts, the route's permission
    admits the caller, then the route runs."""
    async with scoped_transaction(sessionmaker, tenant=principal.tenant) as session:
        await api.note_staff_member(principal, session)
        return await routed(route)(*before, principal=principal, session=session, **after)


@pytest.fixture(scope="module", autouse=True)
async def contact_persons_have_signed_in(app_sessionmaker: Sessionmaker) -> None:
    """Bergen's two contact persons have used Havn, so they can be assigned."""
    for contact in (CONTACT, OTHER_CONTACT):
        async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
            await api.note_staff_member(contact, session)


async def assigned_child(sessionmaker: Sessionmaker, username: str = "bergen-contact") -> uuid.UUID:
    child_id = await settled_child(sessionmaker)
    await call(
        sessionmaker,
        api.assign_contact_person,
        child_id,
        ContactPersonIn(username=username),
        principal=CASEWORKER,
        clock=CLOCK,
    )
    return child_id


async def count(
    sessionmaker: Sessionmaker, table: Any, child_id: uuid.UUID, tenant: str = BERGEN
) -> int:
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        return int(
            await session.scalar(
                select(func.count()).select_from(table).where(table.child_id == child_id)
            )
            or 0
        )


async def writes_logged(sessionmaker: Sessionmaker, child_id: uuid.UUID) -> list[tuple[str, str]]:
    async with scoped_transaction(sessionmaker, tenant=BERGEN) as session:
        rows = await session.execute(
            select(access_log.c.data_class, access_log.c.operation)
            .where(access_log.c.child_id == child_id, access_log.c.action == "write")
            .order_by(access_log.c.id)
        )
        return [tuple(row) for row in rows]


async def reads_logged(
    sessionmaker: Sessionmaker, child_id: uuid.UUID, actor: str
) -> list[tuple[str, str]]:
    async with scoped_transaction(sessionmaker, tenant=BERGEN) as session:
        rows = await session.execute(
            select(access_log.c.data_class, access_log.c.operation)
            .where(
                access_log.c.child_id == child_id,
                access_log.c.action == "read",
                access_log.c.actor == actor,
            )
            .order_by(access_log.c.id)
        )
        return [tuple(row) for row in rows]


async def published(
    sessionmaker: Sessionmaker, child_id: uuid.UUID, tenant: str = BERGEN
) -> list[tuple[str, dict[str, Any]]]:
    outbox = events.outbox
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        rows = await session.execute(
            select(outbox.c.event_type, outbox.c.payload)
            .where(outbox.c.payload["data"]["child_id"].astext == str(child_id))
            .order_by(outbox.c.created_at)
        )
        return [(event_type, payload["data"]) for event_type, payload in rows]


def plan_input(words: str | None = "I want to play football", **goal: Any) -> CarePlanIn:
    values: dict[str, Any] = {
        "domain": "education",
        "description": "Starts at the introduction school",
        "measures": ["Enrol at Nygård school"],
        "responsible": "bergen-caseworker",
        "review_on": CLOCK.today() + timedelta(days=90),
    }
    values.update(goal)
    return CarePlanIn(goals=[CareGoalIn(**values)], childs_own_words=words)


# --- contact person -----------------------------------------------------------------------


async def test_assigning_a_contact_person_publishes_it_with_whom_it_replaces(app_sessionmaker):
    # given a child with a contact person
    child_id = await assigned_child(app_sessionmaker, "bergen-contact")

    # when the caseworker assigns another, then none
    summary = await call(
        app_sessionmaker,
        api.assign_contact_person,
        child_id,
        ContactPersonIn(username="bergen-contact-2", replace=True),
        principal=CASEWORKER,
        clock=CLOCK,
    )
    await call(
        app_sessionmaker, api.unassign_contact_person, child_id, principal=CASEWORKER, clock=CLOCK
    )

    # then each change is an event, in order, and an access-log write
    assert summary.contact_person == "bergen-contact-2"
    assert [
        (kind, data.get("username"), data.get("previous_username"))
        for kind, data in await published(app_sessionmaker, child_id)
    ] == [
        ("care.contactperson.assigned", "bergen-contact", None),
        ("care.contactperson.assigned", "bergen-contact-2", "bergen-contact"),
        ("care.contactperson.unassigned", "bergen-contact-2", None),
    ]
    assert await writes_logged(app_sessionmaker, child_id) == [
        ("personal", "contact-person.assign"),
        ("personal", "contact-person.assign"),
        ("personal", "contact-person.unassign"),
    ]


@pytest.mark.parametrize("principal", [CONTACT, COORDINATOR, ADMIN])
async def test_only_a_caseworker_assigns_a_contact_person(app_sessionmaker, principal):
    # given
    child_id = await settled_child(app_sessionmaker)

    # when
    with pytest.raises(Forbidden):
        await call(
            app_sessionmaker,
            api.assign_contact_person,
            child_id,
            ContactPersonIn(username=principal.username),
            principal=principal,
            clock=CLOCK,
        )

    # then
    assert await published(app_sessionmaker, child_id) == []


async def test_a_child_of_another_municipality_is_not_found(app_sessionmaker):
    # given
    child_id = await settled_child(app_sessionmaker, tenant=ASKER)

    # when / then
    with pytest.raises(NotFound):
        await call(
            app_sessionmaker,
            api.assign_contact_person,
            child_id,
            ContactPersonIn(username="bergen-contact"),
            principal=CASEWORKER,
            clock=CLOCK,
        )


# --- what a contact person reaches --------------------------------------------------------


async def test_a_contact_person_sees_the_care_of_their_own_children_only(app_sessionmaker):
    # given one child assigned to the contact person, one not
    own = await assigned_child(app_sessionmaker)
    other = await settled_child(app_sessionmaker)

    # when
    answer = await call(
        app_sessionmaker,
        api.care_by_child_ids,
        CareBatchIn(child_ids=[own, other]),
        principal=CONTACT,
        clock=CLOCK,
    )

    # then the own child comes whole (the contact person is shown), the other not at all
    (item,) = answer.items
    assert (item.child_id, item.contact_person, item.assessments) == (own, "bergen-contact", [])
    assert await reads_logged(app_sessionmaker, other, "bergen-contact") == []
    assert await reads_logged(app_sessionmaker, own, "bergen-contact") == [
        ("personal", "care.read"),
        ("confidential", "care.read"),
    ]


async def test_a_contact_person_is_refused_health_even_of_their_own_child(app_sessionmaker):
    # given
    own = await assigned_child(app_sessionmaker)

    # when / then
    with pytest.raises(Forbidden):
        await call(
            app_sessionmaker,
            api.health_by_child_ids,
            ChildIdsIn(child_ids=[own]),
            principal=CONTACT,
        )
    assert await reads_logged(app_sessionmaker, own, "bergen-contact") == []


async def test_a_coordinator_sees_the_plans_status_but_no_contact_person(app_sessionmaker):
    # given
    child_id = await assigned_child(app_sessionmaker)

    # when
    answer = await call(
        app_sessionmaker,
        api.care_by_child_ids,
        CareBatchIn(child_ids=[child_id]),
        principal=COORDINATOR,
        clock=CLOCK,
    )

    # then
    (item,) = answer.items
    assert (item.care_plan_status, item.contact_person, item.assessments) == ("DRAFT", None, None)
    assert item.care_plan is not None and item.care_plan.goals == []


# --- follow-up notes ----------------------------------------------------------------------


async def test_a_contact_person_writes_notes_for_their_own_child(app_sessionmaker):
    # given
    own = await assigned_child(app_sessionmaker)

    # when
    note = await call(
        app_sessionmaker,
        api.add_follow_up_note,
        own,
        FollowUpNoteIn(text="Football on Monday"),
        principal=CONTACT,
        clock=CLOCK,
    )

    # then
    assert (note.author, note.text, note.child_id) == ("bergen-contact", "Football on Monday", own)
    assert await writes_logged(app_sessionmaker, own) == [
        ("personal", "contact-person.assign"),
        ("confidential", "follow-up-note.add"),
    ]


async def test_a_contact_person_may_not_write_a_note_about_a_child_not_assigned_to_them(
    app_sessionmaker,
):
    # given a child assigned to someone else
    child_id = await assigned_child(app_sessionmaker, "bergen-contact-2")

    # when
    with pytest.raises(Forbidden, match="contact person"):
        await call(
            app_sessionmaker,
            api.add_follow_up_note,
            child_id,
            FollowUpNoteIn(text="Hello"),
            principal=CONTACT,
            clock=CLOCK,
        )

    # then nothing is written
    assert await count(app_sessionmaker, FollowUpNote, child_id) == 0


async def test_a_note_is_edited_within_24_hours_and_after_that_corrected_by_a_new_note(
    app_sessionmaker,
):
    # given a note written now
    own = await assigned_child(app_sessionmaker)
    clock = Clock()
    note = await call(
        app_sessionmaker,
        api.add_follow_up_note,
        own,
        FollowUpNoteIn(text="Visit on Monday"),
        principal=CONTACT,
        clock=clock,
    )

    # when it is edited 23 hours later, and again 25 hours after writing
    clock.advance(timedelta(hours=23))
    edited = await call(
        app_sessionmaker,
        api.edit_follow_up_note,
        note.id,
        FollowUpNoteEditIn(text="Visit on Tuesday"),
        principal=CONTACT,
        clock=clock,
    )
    clock.advance(timedelta(hours=2))
    with pytest.raises(Conflict, match="24 hours"):
        await call(
            app_sessionmaker,
            api.edit_follow_up_note,
            note.id,
            FollowUpNoteEditIn(text="Visit on Wednesday"),
            principal=CONTACT,
            clock=clock,
        )
    correction = await call(
        app_sessionmaker,
        api.add_follow_up_note,
        own,
        FollowUpNoteIn(text="It was Wednesday", corrects=note.id),
        principal=CONTACT,
        clock=clock,
    )

    # then the first edit holds, the late one changed nothing, and the correction points back
    assert edited.text == "Visit on Tuesday" and edited.edited_at is not None
    pages = await call(
        app_sessionmaker,
        api.follow_up_notes_by_child_ids,
        ChildPagesIn(child_ids=[own]),
        principal=CASEWORKER,
    )
    texts = [(n.text, n.corrects_id) for n in pages.items[0].page.items]
    assert texts == [("It was Wednesday", note.id), ("Visit on Tuesday", None)]
    assert correction.corrects_id == note.id


async def test_a_caseworker_may_not_edit_a_note_someone_else_wrote(app_sessionmaker):
    # given
    own = await assigned_child(app_sessionmaker)
    note = await call(
        app_sessionmaker,
        api.add_follow_up_note,
        own,
        FollowUpNoteIn(text="Mine"),
        principal=CONTACT,
        clock=CLOCK,
    )

    # when / then
    with pytest.raises(Forbidden, match="author"):
        await call(
            app_sessionmaker,
            api.edit_follow_up_note,
            note.id,
            FollowUpNoteEditIn(text="Ours"),
            principal=CASEWORKER,
            clock=CLOCK,
        )


async def test_a_correction_of_an_unknown_note_is_bad_input(app_sessionmaker):
    # given
    child_id = await settled_child(app_sessionmaker)

    # when
    with pytest.raises(InvalidInput) as refused:
        await call(
            app_sessionmaker,
            api.add_follow_up_note,
            child_id,
            FollowUpNoteIn(text="Fix", corrects=uuid.uuid4()),
            principal=CASEWORKER,
            clock=CLOCK,
        )

    # then
    assert refused.value.field == "corrects"
    assert await count(app_sessionmaker, FollowUpNote, child_id) == 0


# --- care plan ----------------------------------------------------------------------------


async def test_approval_without_the_childs_words_is_a_conflict_and_writes_nothing(
    app_sessionmaker,
):
    # given a plan with a goal but without the child's words
    child_id = await settled_child(app_sessionmaker)
    await call(
        app_sessionmaker,
        api.revise_care_plan,
        child_id,
        plan_input(words=None),
        principal=CASEWORKER,
        clock=CLOCK,
    )

    # when
    with pytest.raises(Conflict) as refused:
        await call(
            app_sessionmaker, api.approve_care_plan, child_id, principal=CASEWORKER, clock=CLOCK
        )

    # then
    assert refused.value.field == "childsOwnWords"
    assert await count(app_sessionmaker, CarePlanVersion, child_id) == 0
    assert await published(app_sessionmaker, child_id) == []


async def test_a_review_date_in_the_past_is_bad_input_and_keeps_the_plan_as_it_was(
    app_sessionmaker,
):
    # given
    child_id = await settled_child(app_sessionmaker)
    await call(
        app_sessionmaker,
        api.revise_care_plan,
        child_id,
        plan_input(),
        principal=CASEWORKER,
        clock=CLOCK,
    )

    # when
    with pytest.raises(InvalidInput) as refused:
        await call(
            app_sessionmaker,
            api.revise_care_plan,
            child_id,
            plan_input(domain="housing", review_on=CLOCK.today() - timedelta(days=1)),
            principal=CASEWORKER,
            clock=CLOCK,
        )

    # then
    assert refused.value.field == "goals[0].reviewOn"
    answer = await call(
        app_sessionmaker,
        api.care_by_child_ids,
        CareBatchIn(child_ids=[child_id]),
        principal=CASEWORKER,
        clock=CLOCK,
    )
    assert [g.domain for g in answer.items[0].care_plan.goals] == ["education"]


async def test_every_approved_version_is_kept_and_read_back_with_what_changed(app_sessionmaker):
    # given a plan approved, changed and approved again
    child_id = await settled_child(app_sessionmaker)
    await call(
        app_sessionmaker,
        api.revise_care_plan,
        child_id,
        plan_input(),
        principal=CASEWORKER,
        clock=CLOCK,
    )
    await call(app_sessionmaker, api.approve_care_plan, child_id, principal=CASEWORKER, clock=CLOCK)
    revised = await call(
        app_sessionmaker,
        api.revise_care_plan,
        child_id,
        plan_input(measures=["Enrol at Nygård school", "Homework help"]),
        principal=CASEWORKER,
        clock=CLOCK,
    )
    approved = await call(
        app_sessionmaker, api.approve_care_plan, child_id, principal=CASEWORKER, clock=CLOCK
    )

    # when
    history = await call(
        app_sessionmaker,
        api.care_plan_versions_by_child_ids,
        ChildPagesIn(child_ids=[child_id]),
        principal=CASEWORKER,
    )

    # then
    assert (revised.status, revised.version) == ("REVISED", 2)
    assert (approved.status, approved.version, approved.approved_by) == (
        "APPROVED",
        2,
        "bergen-caseworker",
    )
    versions = history.items[0].page.items
    assert [(v.version, v.approved_by, v.changes) for v in versions] == [
        (2, "bergen-caseworker", ["education: measures changed"]),
        (1, "bergen-caseworker", ["first approved version"]),
    ]
    assert versions[1].goals[0].measures == ["Enrol at Nygård school"]
    assert [(k, d["plan_version"]) for k, d in await published(app_sessionmaker, child_id)] == [
        ("care.careplan.approved", 1),
        ("care.careplan.approved", 2),
    ]


@pytest.mark.parametrize("principal", [CONTACT, COORDINATOR])
async def test_only_a_caseworker_changes_or_approves_a_plan(app_sessionmaker, principal):
    # given even the child's own contact person
    child_id = await assigned_child(app_sessionmaker)

    # when / then
    with pytest.raises(Forbidden):
        await call(
            app_sessionmaker,
            api.revise_care_plan,
            child_id,
            plan_input(),
            principal=principal,
            clock=CLOCK,
        )
    with pytest.raises(Forbidden):
        await call(
            app_sessionmaker, api.approve_care_plan, child_id, principal=principal, clock=CLOCK
        )


# --- assessments --------------------------------------------------------------------------


async def test_a_score_outside_1_to_5_is_bad_input_and_writes_nothing(app_sessionmaker):
    # given
    child_id = await settled_child(app_sessionmaker)

    # when
    with pytest.raises(InvalidInput) as refused:
        await call(
            app_sessionmaker,
            api.record_assessment,
            child_id,
            AssessmentIn(scores=[DomainScoreIn(domain="health", score=7)], childs_own_words="ok"),
            principal=CASEWORKER,
            clock=CLOCK,
        )

    # then
    assert refused.value.field == "scores[0].score"
    assert await count(app_sessionmaker, Assessment, child_id) == 0
    assert await writes_logged(app_sessionmaker, child_id) == []
    assert await published(app_sessionmaker, child_id) == []


async def test_an_assessment_is_due_again_after_the_municipalitys_interval_and_is_published(
    app_sessionmaker,
):
    # given Asker assesses every three months
    asker_admin = person(Role.MUNICIPALITY_ADMIN, "asker-admin", ASKER)
    asker_caseworker = person(Role.CASEWORKER, "asker-caseworker", ASKER)
    child_id = await settled_child(app_sessionmaker, tenant=ASKER)
    await call(
        app_sessionmaker,
        api.set_assessment_schedule,
        AssessmentScheduleIn(interval_months=3),
        principal=asker_admin,
    )
    try:
        # when
        assessment = await call(
            app_sessionmaker,
            api.record_assessment,
            child_id,
            AssessmentIn(
                scores=[DomainScoreIn(domain="wellbeing", score=4)],
                childs_own_words="I like my school",
                notes="Settling well",
            ),
            principal=asker_caseworker,
            clock=CLOCK,
        )
    finally:
        await call(
            app_sessionmaker,
            api.set_assessment_schedule,
            AssessmentScheduleIn(interval_months=6),
            principal=asker_admin,
        )

    # then
    today = CLOCK.today()
    assert assessment.assessed_on == today
    assert (assessment.next_due_on - today).days in range(89, 93)
    answer = await call(
        app_sessionmaker,
        api.care_by_child_ids,
        CareBatchIn(child_ids=[child_id]),
        principal=asker_caseworker,
        clock=CLOCK,
    )
    assert answer.items[0].next_assessment_due == assessment.next_due_on
    assert [
        (k, d["next_due_on"]) for k, d in await published(app_sessionmaker, child_id, ASKER)
    ] == [("care.assessment.recorded", assessment.next_due_on.isoformat())]


@pytest.mark.parametrize("principal", [CASEWORKER, COORDINATOR])
async def test_only_the_municipality_admin_sets_the_assessment_interval(
    app_sessionmaker, principal
):
    # when / then
    with pytest.raises(Forbidden):
        await call(
            app_sessionmaker,
            api.set_assessment_schedule,
            AssessmentScheduleIn(interval_months=3),
            principal=principal,
        )


# --- health, education, meetings ----------------------------------------------------------


async def test_health_is_written_and_read_by_caseworkers_and_logged_as_sensitive(app_sessionmaker):
    # given
    child_id = await settled_child(app_sessionmaker)
    await call(
        app_sessionmaker,
        api.set_general_practitioner,
        child_id,
        GeneralPractitionerIn(name="Dr. Berg", practice="Nygård legesenter"),
        principal=CASEWORKER,
    )
    await call(
        app_sessionmaker,
        api.record_screening,
        child_id,
        ScreeningIn(kind="Tuberculosis", screened_on=CLOCK.today()),
        principal=CASEWORKER,
        clock=CLOCK,
    )

    # when
    answer = await call(
        app_sessionmaker,
        api.health_by_child_ids,
        ChildIdsIn(child_ids=[child_id]),
        principal=CASEWORKER,
    )

    # then
    (health,) = answer.items
    assert (
        health.general_practitioner is not None
        and health.general_practitioner.gp_name == "Dr. Berg"
    )
    assert [s.kind for s in health.screenings] == ["Tuberculosis"]
    assert await writes_logged(app_sessionmaker, child_id) == [
        ("sensitive", "health.gp"),
        ("sensitive", "health.screening"),
    ]
    assert await reads_logged(app_sessionmaker, child_id, "bergen-caseworker") == [
        ("sensitive", "health.read")
    ]


@pytest.mark.parametrize("principal", [CONTACT, COORDINATOR])
async def test_no_one_but_a_caseworker_records_health(app_sessionmaker, principal):
    # given
    child_id = await assigned_child(app_sessionmaker)

    # when / then
    with pytest.raises(Forbidden):
        await call(
            app_sessionmaker,
            api.set_general_practitioner,
            child_id,
            GeneralPractitionerIn(name="Dr. Berg"),
            principal=principal,
        )


async def test_education_is_recorded_by_a_caseworker_and_read_by_the_contact_person(
    app_sessionmaker,
):
    # given
    own = await assigned_child(app_sessionmaker)
    await call(
        app_sessionmaker,
        api.record_education,
        own,
        EducationIn(
            school="Nygård skole",
            class_level="8 (introduction class)",
            norwegian_level=NorwegianLevel.A1,
            started_on=CLOCK.today(),
        ),
        principal=CASEWORKER,
    )

    # when
    answer = await call(
        app_sessionmaker, api.education_by_child_ids, ChildIdsIn(child_ids=[own]), principal=CONTACT
    )

    # then
    (education,) = answer.items
    assert (education.school, education.norwegian_level) == ("Nygård skole", NorwegianLevel.A1)
    assert await reads_logged(app_sessionmaker, own, "bergen-contact") == [
        ("personal", "education.read")
    ]


async def test_naming_a_child_of_the_municipality_as_interpreter_is_refused(app_sessionmaker):
    # given a child, and another child of Bergen called Amina Rahimi (the factory's name)
    child_id = await settled_child(app_sessionmaker)

    # when
    with pytest.raises(InvalidInput) as refused:
        await call(
            app_sessionmaker,
            api.record_meeting,
            child_id,
            MeetingIn(
                held_on=CLOCK.today(),
                purpose="Review",
                language="prs",
                interpreter=InterpreterIn(name="AMINA RAHIMI", qualified=False),
            ),
            principal=CASEWORKER,
        )

    # then
    assert refused.value.field == "interpreter.name"
    assert await writes_logged(app_sessionmaker, child_id) == []


async def test_a_contact_person_records_a_meeting_flagged_when_no_interpreter_is_booked(
    app_sessionmaker,
):
    # given a child who speaks no Norwegian, assigned to the contact person
    own = await assigned_child(app_sessionmaker)

    # when
    meeting = await call(
        app_sessionmaker,
        api.record_meeting,
        own,
        MeetingIn(held_on=CLOCK.today(), purpose="Weekly talk", language="nb"),
        principal=CONTACT,
    )

    # then
    assert meeting.interpreter_missing is True
    pages = await call(
        app_sessionmaker,
        api.meetings_by_child_ids,
        ChildPagesIn(child_ids=[own]),
        principal=CONTACT,
    )
    assert [m.purpose for m in pages.items[0].page.items] == ["Weekly talk"]


# --- caseload -----------------------------------------------------------------------------


async def caseload_of(
    sessionmaker: Sessionmaker, principal: Principal, filter: CaseloadFilter, clock: Clock = CLOCK
) -> tuple[set[uuid.UUID], Any]:
    """Every child id of one filter, paged through, and the counts."""
    ids: set[uuid.UUID] = set()
    after = None
    while True:
        async with scoped_transaction(sessionmaker, tenant=principal.tenant) as session:
            answer = await routed(api.read_caseload)(
                principal, session, clock, filter=filter, first=200, after=after
            )
        ids |= {item.child_id for item in answer.page.items}
        if not answer.page.has_next_page:
            return ids, answer.counts
        after = answer.page.end_cursor


async def test_the_caseload_filters_and_counts_the_backlog(app_sessionmaker):
    # given three new children: one assigned to the contact person, one with an approved plan
    _, before = await caseload_of(app_sessionmaker, CASEWORKER, CaseloadFilter.ALL)
    _, contacts_before = await caseload_of(app_sessionmaker, CONTACT, CaseloadFilter.ALL)
    assigned = await assigned_child(app_sessionmaker)
    approved = await settled_child(app_sessionmaker)
    await call(
        app_sessionmaker,
        api.revise_care_plan,
        approved,
        plan_input(),
        principal=CASEWORKER,
        clock=CLOCK,
    )
    await call(app_sessionmaker, api.approve_care_plan, approved, principal=CASEWORKER, clock=CLOCK)
    plain = await settled_child(app_sessionmaker)

    # when
    found = {f: (await caseload_of(app_sessionmaker, CASEWORKER, f))[0] for f in CaseloadFilter}
    _, after = await caseload_of(app_sessionmaker, CASEWORKER, CaseloadFilter.ALL)
    contacts_own, contacts_after = await caseload_of(app_sessionmaker, CONTACT, CaseloadFilter.ALL)
    overdue_later, _ = await caseload_of(
        app_sessionmaker, CONTACT, CaseloadFilter.OVERDUE_ASSESSMENT, Clock(timedelta(days=15))
    )

    # then each child is where it belongs
    mine = {assigned, approved, plain}
    assert found[CaseloadFilter.ALL] >= mine
    assert found[CaseloadFilter.NO_CONTACT_PERSON] & mine == {approved, plain}
    assert found[CaseloadFilter.CARE_PLAN_NOT_APPROVED] & mine == {assigned, plain}
    assert found[CaseloadFilter.OVERDUE_ASSESSMENT] & mine == set()
    assert assigned in contacts_own and not {approved, plain} & contacts_own
    assert assigned in overdue_later
    # and the counts moved with them
    assert after.all - before.all == 3
    assert after.no_contact_person - before.no_contact_person == 2
    assert after.care_plan_not_approved - before.care_plan_not_approved == 2
    assert (
        contacts_after.all - contacts_before.all,
        contacts_after.mine - contacts_before.mine,
    ) == (1, 1)
    assert contacts_after.all == len(contacts_own)


@pytest.mark.parametrize(
    "role", [Role.VOLUNTEER_COORDINATOR, Role.MUNICIPALITY_ADMIN, Role.PARTNER]
)
async def test_roles_outside_care_have_no_caseload(app_sessionmaker, role):
    # when / then
    with pytest.raises(Forbidden):
        await caseload_of(app_sessionmaker, person(role, "someone"), CaseloadFilter.ALL)
