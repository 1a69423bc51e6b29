"""Care's use cases called as a route calls them, as the application role under RLS: who may
do what to which child, what is written (and, on refusal, that nothing is), the events
published and the access log."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from havn import permissions
from havn.audit import access_log
from havn.auth import Principal, Role
from havn.clock import Clock
from havn.db import scoped_transaction
from havn.errors import Conflict, Forbidden, InvalidInput, NotFound
from havn.http import ChildIdsIn
from havn.permissions import Permission
from havn.vocabulary import CaseloadFilter, NorwegianLevel
from services.care import policy, schemas
from services.care.events import open_care_for_settled_child
from services.care.models import Assessment, CarePlanVersion, FollowUpNote, events
from services.care.schemas import (
    AssessmentIn,
    AssessmentScheduleIn,
    CareBatchIn,
    CareGoalIn,
    CarePlanIn,
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
from services.care.service import (
    assessments,
    care_plans,
    care_records,
    caseload,
    contact_persons,
    education,
    follow_up_notes,
    health,
    meetings,
)
from tests.factories import ASKER, BERGEN, child_settled, fresh_tenant

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
    sessionmaker: Sessionmaker,
    permission: Permission,
    use_case: Any,
    *,
    principal: Principal,
    **arguments: Any,
) -> Any:
    """Runs a use case as its route does: every care route notes who acts, the route's
    permission admits the caller, then the use case runs in the request's transaction."""
    async with scoped_transaction(sessionmaker, tenant=principal.tenant) as session:
        await policy.note_staff_member(principal, session)
        permission.require(principal)
        return await use_case(session, principal=principal, **arguments)


@pytest.fixture(scope="module", autouse=True)
async def contact_persons_have_signed_in(app_sessionmaker: Sessionmaker) -> None:
    """Bergen's two contact persons have used Havn, so they can be assigned."""
    for contact in (CONTACT, OTHER_CONTACT):
        async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
            await policy.note_staff_member(contact, session)


async def assigned_child(sessionmaker: Sessionmaker, username: str = "bergen-contact") -> uuid.UUID:
    child_id = await settled_child(sessionmaker)
    await call(
        sessionmaker,
        permissions.care.CONTACT_PERSON_ASSIGN,
        contact_persons.assign_contact_person,
        principal=CASEWORKER,
        child_id=child_id,
        body=ContactPersonIn(username=username),
        today=CLOCK.today(),
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
    summary = schemas.present_summary(
        await call(
            app_sessionmaker,
            permissions.care.CONTACT_PERSON_ASSIGN,
            contact_persons.assign_contact_person,
            principal=CASEWORKER,
            child_id=child_id,
            body=ContactPersonIn(username="bergen-contact-2", replace=True),
            today=CLOCK.today(),
        ),
        CLOCK.today(),
    )
    await call(
        app_sessionmaker,
        permissions.care.CONTACT_PERSON_ASSIGN,
        contact_persons.unassign_contact_person,
        principal=CASEWORKER,
        child_id=child_id,
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
            permissions.care.CONTACT_PERSON_ASSIGN,
            contact_persons.assign_contact_person,
            principal=principal,
            child_id=child_id,
            body=ContactPersonIn(username=principal.username),
            today=CLOCK.today(),
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
            permissions.care.CONTACT_PERSON_ASSIGN,
            contact_persons.assign_contact_person,
            principal=CASEWORKER,
            child_id=child_id,
            body=ContactPersonIn(username="bergen-contact"),
            today=CLOCK.today(),
        )


# --- what a contact person reaches --------------------------------------------------------


async def test_a_contact_person_sees_the_care_of_their_own_children_only(app_sessionmaker):
    # given one child assigned to the contact person, one not
    own = await assigned_child(app_sessionmaker)
    other = await settled_child(app_sessionmaker)

    # when
    answer = schemas.present_care_records(
        await call(
            app_sessionmaker,
            permissions.care.PLAN_STATUS_READ,
            care_records.read_care_records,
            principal=CONTACT,
            body=CareBatchIn(child_ids=[own, other]),
        ),
        CLOCK.today(),
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
            permissions.care.HEALTH_READ,
            health.read_health,
            principal=CONTACT,
            body=ChildIdsIn(child_ids=[own]),
        )
    assert await reads_logged(app_sessionmaker, own, "bergen-contact") == []


async def test_a_coordinator_sees_the_plans_status_but_no_contact_person(app_sessionmaker):
    # given
    child_id = await assigned_child(app_sessionmaker)

    # when
    answer = schemas.present_care_records(
        await call(
            app_sessionmaker,
            permissions.care.PLAN_STATUS_READ,
            care_records.read_care_records,
            principal=COORDINATOR,
            body=CareBatchIn(child_ids=[child_id]),
        ),
        CLOCK.today(),
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
        permissions.care.NOTE_WRITE,
        follow_up_notes.add_follow_up_note,
        principal=CONTACT,
        child_id=own,
        body=FollowUpNoteIn(text="Football on Monday"),
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
            permissions.care.NOTE_WRITE,
            follow_up_notes.add_follow_up_note,
            principal=CONTACT,
            child_id=child_id,
            body=FollowUpNoteIn(text="Hello"),
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
        permissions.care.NOTE_WRITE,
        follow_up_notes.add_follow_up_note,
        principal=CONTACT,
        child_id=own,
        body=FollowUpNoteIn(text="Visit on Monday"),
        clock=clock,
    )

    # when it is edited 23 hours later, and again 25 hours after writing
    clock.advance(timedelta(hours=23))
    edited = await call(
        app_sessionmaker,
        permissions.care.NOTE_WRITE,
        follow_up_notes.edit_follow_up_note,
        principal=CONTACT,
        note_id=note.id,
        body=FollowUpNoteEditIn(text="Visit on Tuesday"),
        clock=clock,
    )
    clock.advance(timedelta(hours=2))
    with pytest.raises(Conflict, match="24 hours"):
        await call(
            app_sessionmaker,
            permissions.care.NOTE_WRITE,
            follow_up_notes.edit_follow_up_note,
            principal=CONTACT,
            note_id=note.id,
            body=FollowUpNoteEditIn(text="Visit on Wednesday"),
            clock=clock,
        )
    correction = await call(
        app_sessionmaker,
        permissions.care.NOTE_WRITE,
        follow_up_notes.add_follow_up_note,
        principal=CONTACT,
        child_id=own,
        body=FollowUpNoteIn(text="It was Wednesday", corrects=note.id),
        clock=clock,
    )

    # then the first edit holds, the late one changed nothing, and the correction points back
    assert edited.text == "Visit on Tuesday" and edited.edited_at is not None
    pages = await call(
        app_sessionmaker,
        permissions.care.CONFIDENTIAL_READ,
        follow_up_notes.read_follow_up_notes,
        principal=CASEWORKER,
        body=ChildPagesIn(child_ids=[own]),
    )
    texts = [(n.text, n.corrects_id) for n in pages[own].items]
    assert texts == [("It was Wednesday", note.id), ("Visit on Tuesday", None)]
    assert correction.corrects_id == note.id


async def test_a_caseworker_may_not_edit_a_note_someone_else_wrote(app_sessionmaker):
    # given
    own = await assigned_child(app_sessionmaker)
    note = await call(
        app_sessionmaker,
        permissions.care.NOTE_WRITE,
        follow_up_notes.add_follow_up_note,
        principal=CONTACT,
        child_id=own,
        body=FollowUpNoteIn(text="Mine"),
        clock=CLOCK,
    )

    # when / then
    with pytest.raises(Forbidden, match="author"):
        await call(
            app_sessionmaker,
            permissions.care.NOTE_WRITE,
            follow_up_notes.edit_follow_up_note,
            principal=CASEWORKER,
            note_id=note.id,
            body=FollowUpNoteEditIn(text="Ours"),
            clock=CLOCK,
        )


async def test_a_correction_of_an_unknown_note_is_bad_input(app_sessionmaker):
    # given
    child_id = await settled_child(app_sessionmaker)

    # when
    with pytest.raises(InvalidInput) as refused:
        await call(
            app_sessionmaker,
            permissions.care.NOTE_WRITE,
            follow_up_notes.add_follow_up_note,
            principal=CASEWORKER,
            child_id=child_id,
            body=FollowUpNoteIn(text="Fix", corrects=uuid.uuid4()),
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
        permissions.care.PLAN_REVISE,
        care_plans.revise_care_plan,
        principal=CASEWORKER,
        child_id=child_id,
        body=plan_input(words=None),
        today=CLOCK.today(),
    )

    # when
    with pytest.raises(Conflict) as refused:
        await call(
            app_sessionmaker,
            permissions.care.PLAN_APPROVE,
            care_plans.approve_care_plan,
            principal=CASEWORKER,
            child_id=child_id,
            clock=CLOCK,
        )

    # then
    assert refused.value.field == "childs_own_words"
    assert await count(app_sessionmaker, CarePlanVersion, child_id) == 0
    assert await published(app_sessionmaker, child_id) == []


async def test_a_review_date_in_the_past_is_bad_input_and_keeps_the_plan_as_it_was(
    app_sessionmaker,
):
    # given
    child_id = await settled_child(app_sessionmaker)
    await call(
        app_sessionmaker,
        permissions.care.PLAN_REVISE,
        care_plans.revise_care_plan,
        principal=CASEWORKER,
        child_id=child_id,
        body=plan_input(),
        today=CLOCK.today(),
    )

    # when
    with pytest.raises(InvalidInput) as refused:
        await call(
            app_sessionmaker,
            permissions.care.PLAN_REVISE,
            care_plans.revise_care_plan,
            principal=CASEWORKER,
            child_id=child_id,
            body=plan_input(domain="housing", review_on=CLOCK.today() - timedelta(days=1)),
            today=CLOCK.today(),
        )

    # then
    assert refused.value.field == "goals[0].review_on"
    answer = schemas.present_care_records(
        await call(
            app_sessionmaker,
            permissions.care.PLAN_STATUS_READ,
            care_records.read_care_records,
            principal=CASEWORKER,
            body=CareBatchIn(child_ids=[child_id]),
        ),
        CLOCK.today(),
    )
    (item,) = answer.items
    assert item.care_plan is not None
    assert [g.domain for g in item.care_plan.goals] == ["education"]


async def test_every_approved_version_is_kept_and_read_back_with_what_changed(app_sessionmaker):
    # given a plan approved, changed and approved again
    child_id = await settled_child(app_sessionmaker)
    await call(
        app_sessionmaker,
        permissions.care.PLAN_REVISE,
        care_plans.revise_care_plan,
        principal=CASEWORKER,
        child_id=child_id,
        body=plan_input(),
        today=CLOCK.today(),
    )
    await call(
        app_sessionmaker,
        permissions.care.PLAN_APPROVE,
        care_plans.approve_care_plan,
        principal=CASEWORKER,
        child_id=child_id,
        clock=CLOCK,
    )
    revised = await call(
        app_sessionmaker,
        permissions.care.PLAN_REVISE,
        care_plans.revise_care_plan,
        principal=CASEWORKER,
        child_id=child_id,
        body=plan_input(measures=["Enrol at Nygård school", "Homework help"]),
        today=CLOCK.today(),
    )
    approved = await call(
        app_sessionmaker,
        permissions.care.PLAN_APPROVE,
        care_plans.approve_care_plan,
        principal=CASEWORKER,
        child_id=child_id,
        clock=CLOCK,
    )

    # when
    history = schemas.present_child_pages(
        await call(
            app_sessionmaker,
            permissions.care.DETAILS_READ,
            care_plans.read_care_plan_versions,
            principal=CASEWORKER,
            body=ChildPagesIn(child_ids=[child_id]),
        ),
        schemas.present_version,
    )

    # then
    assert (revised.plan.status, revised.plan.version) == ("REVISED", 2)
    assert (approved.plan.status, approved.plan.version, approved.plan.approved_by) == (
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
            permissions.care.PLAN_REVISE,
            care_plans.revise_care_plan,
            principal=principal,
            child_id=child_id,
            body=plan_input(),
            today=CLOCK.today(),
        )
    with pytest.raises(Forbidden):
        await call(
            app_sessionmaker,
            permissions.care.PLAN_APPROVE,
            care_plans.approve_care_plan,
            principal=principal,
            child_id=child_id,
            clock=CLOCK,
        )


# --- assessments --------------------------------------------------------------------------


async def test_a_score_outside_1_to_5_is_bad_input_and_writes_nothing(app_sessionmaker):
    # given
    child_id = await settled_child(app_sessionmaker)

    # when
    with pytest.raises(InvalidInput) as refused:
        await call(
            app_sessionmaker,
            permissions.care.ASSESSMENT_RECORD,
            assessments.record_assessment,
            principal=CASEWORKER,
            child_id=child_id,
            body=AssessmentIn(
                scores=[DomainScoreIn(domain="health", score=7)], childs_own_words="ok"
            ),
            today=CLOCK.today(),
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
        permissions.care.ASSESSMENT_SCHEDULE_WRITE,
        assessments.set_assessment_schedule,
        principal=asker_admin,
        body=AssessmentScheduleIn(interval_months=3),
    )
    try:
        # when
        assessment = await call(
            app_sessionmaker,
            permissions.care.ASSESSMENT_RECORD,
            assessments.record_assessment,
            principal=asker_caseworker,
            child_id=child_id,
            body=AssessmentIn(
                scores=[DomainScoreIn(domain="wellbeing", score=4)],
                childs_own_words="I like my school",
                notes="Settling well",
            ),
            today=CLOCK.today(),
        )
    finally:
        await call(
            app_sessionmaker,
            permissions.care.ASSESSMENT_SCHEDULE_WRITE,
            assessments.set_assessment_schedule,
            principal=asker_admin,
            body=AssessmentScheduleIn(interval_months=6),
        )

    # then
    today = CLOCK.today()
    assert assessment.assessed_on == today
    assert (assessment.next_due_on - today).days in range(89, 93)
    answer = schemas.present_care_records(
        await call(
            app_sessionmaker,
            permissions.care.PLAN_STATUS_READ,
            care_records.read_care_records,
            principal=asker_caseworker,
            body=CareBatchIn(child_ids=[child_id]),
        ),
        CLOCK.today(),
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
            permissions.care.ASSESSMENT_SCHEDULE_WRITE,
            assessments.set_assessment_schedule,
            principal=principal,
            body=AssessmentScheduleIn(interval_months=3),
        )


# --- health, education, meetings ----------------------------------------------------------


async def test_health_is_written_and_read_by_caseworkers_and_logged_as_sensitive(app_sessionmaker):
    # given
    child_id = await settled_child(app_sessionmaker)
    await call(
        app_sessionmaker,
        permissions.care.HEALTH_RECORD,
        health.set_general_practitioner,
        principal=CASEWORKER,
        child_id=child_id,
        body=GeneralPractitionerIn(name="Dr. Berg", practice="Nygård legesenter"),
    )
    await call(
        app_sessionmaker,
        permissions.care.HEALTH_RECORD,
        health.record_screening,
        principal=CASEWORKER,
        child_id=child_id,
        body=ScreeningIn(kind="Tuberculosis", screened_on=CLOCK.today()),
        today=CLOCK.today(),
    )

    # when
    answer = schemas.present_health_of_children(
        await call(
            app_sessionmaker,
            permissions.care.HEALTH_READ,
            health.read_health,
            principal=CASEWORKER,
            body=ChildIdsIn(child_ids=[child_id]),
        )
    )

    # then
    (found,) = answer.items
    assert (
        found.general_practitioner is not None and found.general_practitioner.gp_name == "Dr. Berg"
    )
    assert [s.kind for s in found.screenings] == ["Tuberculosis"]
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
            permissions.care.HEALTH_RECORD,
            health.set_general_practitioner,
            principal=principal,
            child_id=child_id,
            body=GeneralPractitionerIn(name="Dr. Berg"),
        )


async def test_education_is_recorded_by_a_caseworker_and_read_by_the_contact_person(
    app_sessionmaker,
):
    # given
    own = await assigned_child(app_sessionmaker)
    await call(
        app_sessionmaker,
        permissions.care.EDUCATION_RECORD,
        education.record_education,
        principal=CASEWORKER,
        child_id=own,
        body=EducationIn(
            school="Nygård skole",
            class_level="8 (introduction class)",
            norwegian_level=NorwegianLevel.A1,
            started_on=CLOCK.today(),
        ),
    )

    # when
    answer = await call(
        app_sessionmaker,
        permissions.care.DETAILS_READ,
        education.read_education,
        principal=CONTACT,
        body=ChildIdsIn(child_ids=[own]),
    )

    # then
    (recorded,) = answer
    assert (recorded.school, recorded.norwegian_level) == ("Nygård skole", NorwegianLevel.A1)
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
            permissions.care.MEETING_RECORD,
            meetings.record_meeting,
            principal=CASEWORKER,
            child_id=child_id,
            body=MeetingIn(
                held_on=CLOCK.today(),
                purpose="Review",
                language="prs",
                interpreter=InterpreterIn(name="AMINA RAHIMI", qualified=False),
            ),
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
        permissions.care.MEETING_RECORD,
        meetings.record_meeting,
        principal=CONTACT,
        child_id=own,
        body=MeetingIn(held_on=CLOCK.today(), purpose="Weekly talk", language="nb"),
    )

    # then
    assert meeting.interpreter_missing is True
    pages = await call(
        app_sessionmaker,
        permissions.care.DETAILS_READ,
        meetings.read_meetings,
        principal=CONTACT,
        body=ChildPagesIn(child_ids=[own]),
    )
    assert [m.purpose for m in pages[own].items] == ["Weekly talk"]


# --- caseload -----------------------------------------------------------------------------


async def caseload_of(
    sessionmaker: Sessionmaker, principal: Principal, filter: CaseloadFilter, clock: Clock = CLOCK
) -> tuple[set[uuid.UUID], Any]:
    """Every child id of one filter, paged through, and the counts."""
    ids: set[uuid.UUID] = set()
    after = None
    while True:
        page, counts = await call(
            sessionmaker,
            permissions.care.PLAN_STATUS_READ,
            caseload.read_caseload,
            principal=principal,
            filter=filter,
            first=200,
            after=after,
            today=clock.today(),
        )
        ids |= {record.child.id for record in page.items}
        if not page.has_next_page:
            return ids, counts
        after = page.end_cursor


async def test_the_caseload_filters_and_counts_the_backlog(app_sessionmaker):
    # given, in a tenant of the test's own, three children: one assigned to the contact
    # person, one with an approved plan, one with neither
    tenant = fresh_tenant()
    caseworker = person(Role.CASEWORKER, f"{tenant}-caseworker", tenant)
    contact = person(Role.CONTACT_PERSON, f"{tenant}-contact", tenant)
    async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
        await policy.note_staff_member(contact, session)  # has used Havn, so can be assigned
    assigned, approved, plain = [await settled_child(app_sessionmaker, tenant) for _ in range(3)]
    await call(
        app_sessionmaker,
        permissions.care.CONTACT_PERSON_ASSIGN,
        contact_persons.assign_contact_person,
        principal=caseworker,
        child_id=assigned,
        body=ContactPersonIn(username=contact.username),
        today=CLOCK.today(),
    )
    await call(
        app_sessionmaker,
        permissions.care.PLAN_REVISE,
        care_plans.revise_care_plan,
        principal=caseworker,
        child_id=approved,
        body=plan_input(),
        today=CLOCK.today(),
    )
    await call(
        app_sessionmaker,
        permissions.care.PLAN_APPROVE,
        care_plans.approve_care_plan,
        principal=caseworker,
        child_id=approved,
        clock=CLOCK,
    )

    # when
    found = {f: (await caseload_of(app_sessionmaker, caseworker, f))[0] for f in CaseloadFilter}
    _, counts = await caseload_of(app_sessionmaker, caseworker, CaseloadFilter.ALL)
    contacts_own, contacts_counts = await caseload_of(app_sessionmaker, contact, CaseloadFilter.ALL)
    overdue_later, _ = await caseload_of(
        app_sessionmaker, contact, CaseloadFilter.OVERDUE_ASSESSMENT, Clock(timedelta(days=15))
    )

    # then each child is where it belongs
    assert found == {
        CaseloadFilter.ALL: {assigned, approved, plain},
        CaseloadFilter.MINE: set(),
        CaseloadFilter.NO_CONTACT_PERSON: {approved, plain},
        CaseloadFilter.CARE_PLAN_NOT_APPROVED: {assigned, plain},
        CaseloadFilter.OVERDUE_ASSESSMENT: set(),
    }
    assert contacts_own == overdue_later == {assigned}
    # and the counts with them
    assert (counts.all, counts.no_contact_person, counts.care_plan_not_approved) == (3, 2, 2)
    assert (contacts_counts.all, contacts_counts.mine) == (1, 1)


@pytest.mark.parametrize(
    "role", [Role.VOLUNTEER_COORDINATOR, Role.MUNICIPALITY_ADMIN, Role.PARTNER]
)
async def test_roles_outside_care_have_no_caseload(app_sessionmaker, role):
    # when / then
    with pytest.raises(Forbidden):
        await caseload_of(app_sessionmaker, person(role, "someone"), CaseloadFilter.ALL)
