"""Intake's rules on their own: no database, no HTTP."""

from __future__ import annotations

import unicodedata
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from havn import vocabulary
from havn.errors import Conflict, Forbidden, InvalidInput
from havn.vocabulary import CareArrangement, PreparationTaskKind, ReferralStatus
from services.intake.domain import (
    arrival,
    capacity,
    children,
    identity,
    preparation,
    referrals,
    relocations,
)
from services.intake.domain.referrals import REFERRAL_TRANSITIONS
from services.intake.models import CarePlaces, Child, Referral

TODAY = date(2026, 11, 22)
NOW = datetime(2026, 11, 22, 10, tzinfo=UTC)


def referral(status: ReferralStatus = ReferralStatus.PENDING) -> Referral:
    new = referrals.check_new_referral(
        referrals.NewReferral(
            municipality="4601",
            full_name="Amina Rahimi",
            date_of_birth=date(2010, 5, 2),
            sex="F",
            nationality="AF",
            languages=["prs"],
            needs_summary=None,
            proposed_arrival=None,
            respond_by=TODAY + timedelta(days=7),
        ),
        today=TODAY,
    )
    made = referrals.open_referral(new, created_by="allocator")
    made.status = status
    return made


def accepted(planned: date = TODAY + timedelta(days=30)) -> Referral:
    made = referral()
    made.tasks = referrals.accept_referral(
        made, planned_arrival=planned, care_arrangement=CareArrangement.GROUP_HOME, today=TODAY
    )
    return made


def child(**overrides: object) -> Child:
    settled = arrival.register_arrival(
        accepted(TODAY), arrived_on=TODAY, referred_on=TODAY, today=TODAY
    )
    for name, value in overrides.items():
        setattr(settled, name, value)
    return settled


# --- names ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "search", "found"),
    [
        ("Åsa Ødegård", "asa odegard", True),
        ("José Müller", "JOSE MULLER", True),
        ("Zoë Ærø", "zoe aero", True),
        ("أحمد العلي", "العلي", True),  # Arabic script stays itself
        ("ዮናስ ተስፋይ", "ተስፋይ", True),  # Ge'ez (Tigrinya)
        ("Amina Rahimi", "amira", False),
    ],
)
def test_names_are_found_without_regard_to_case_or_accents(name, search, found):
    assert (identity.fold_for_search(search) in identity.fold_for_search(name)) is found


def test_names_are_stored_nfc_normalised_with_single_spaces():
    decomposed = unicodedata.normalize("NFD", "  Åsa   Ødegård ")
    assert identity.normalise_name(decomposed) == unicodedata.normalize("NFC", "Åsa Ødegård")


# --- the referral's lifecycle ---------------------------------------------------------------


@pytest.mark.parametrize("status", list(ReferralStatus))
@pytest.mark.parametrize(
    ("target", "act"),
    [
        (
            ReferralStatus.ACCEPTED,
            lambda r: referrals.accept_referral(
                r,
                planned_arrival=TODAY,
                care_arrangement=CareArrangement.GROUP_HOME,
                today=TODAY,
            ),
        ),
        (ReferralStatus.DECLINED, lambda r: referrals.decline_referral(r, reason="full")),
        (ReferralStatus.WITHDRAWN, lambda r: referrals.withdraw_referral(r, reason="placed")),
        (
            ReferralStatus.ARRIVED,
            lambda r: arrival.register_arrival(r, arrived_on=TODAY, referred_on=TODAY, today=TODAY),
        ),
    ],
)
def test_a_referral_moves_only_along_its_lifecycle_and_a_refusal_names_its_state(
    status, target, act
):
    # given a referral in some state
    made = referral(status)
    made.planned_arrival = TODAY
    if target in REFERRAL_TRANSITIONS[status]:
        # when the move is allowed, then it lands in the target state
        act(made)
        assert made.status == target
    else:
        # when it is not, then it is a conflict naming the current state, and nothing changes
        with pytest.raises(Conflict, match=status.value):
            act(made)
        assert made.status == status


def test_declining_or_withdrawing_needs_a_reason():
    for act in (referrals.decline_referral, referrals.withdraw_referral):
        made = referral()
        with pytest.raises(InvalidInput) as refused:
            act(made, reason="   ")
        assert refused.value.field == "reason"
        assert made.status == ReferralStatus.PENDING


def test_a_pending_referral_past_respond_by_is_overdue_and_an_answered_one_is_not():
    made = referral()
    assert not referrals.is_overdue(made, today=made.respond_by)
    assert referrals.is_overdue(made, today=made.respond_by + timedelta(days=1))
    made.status = ReferralStatus.DECLINED
    assert not referrals.is_overdue(made, today=made.respond_by + timedelta(days=1))


def test_accepting_with_a_planned_arrival_in_the_past_is_refused():
    made = referral()
    with pytest.raises(InvalidInput) as refused:
        referrals.accept_referral(
            made,
            planned_arrival=TODAY - timedelta(days=1),
            care_arrangement=CareArrangement.GROUP_HOME,
            today=TODAY,
        )
    assert refused.value.field == "planned_arrival"
    assert made.status == ReferralStatus.PENDING


@pytest.mark.parametrize(
    ("born", "field"),
    [(TODAY + timedelta(days=1), "date_of_birth"), (date(2008, 11, 22), "date_of_birth")],
)
def test_a_future_or_adult_date_of_birth_is_refused(born, field):
    with pytest.raises(InvalidInput) as refused:
        identity.check_date_of_birth(born, minor_on=TODAY, today=TODAY)
    assert refused.value.field == field


# --- capacity -------------------------------------------------------------------------------


def places(places: int, free: int) -> CarePlaces:
    return CarePlaces(tenant_id="4601", care_arrangement="GROUP_HOME", places=places, free=free)


def test_accepting_takes_a_free_care_place_and_refuses_when_none_is_free():
    recorded = places(3, 1)
    assert capacity.reserve_care_place(recorded, CareArrangement.GROUP_HOME)
    assert recorded.free == 0
    with pytest.raises(InvalidInput, match="no free GROUP_HOME") as refused:
        capacity.reserve_care_place(recorded, CareArrangement.GROUP_HOME)
    assert refused.value.field == "care_arrangement"


def test_an_arrangement_without_recorded_places_is_not_held_to_a_count():
    assert not capacity.reserve_care_place(None, CareArrangement.SOS_FAMILY)


def test_a_released_place_never_exceeds_the_recorded_places():
    recorded = places(2, 1)
    capacity.release_care_place(recorded)
    capacity.release_care_place(recorded)
    assert recorded.free == 2


@pytest.mark.parametrize(
    ("count", "free", "field"), [(-1, 0, "places"), (2, -1, "free"), (2, 3, "free")]
)
def test_care_places_below_zero_or_more_free_than_there_are_are_refused(count, free, field):
    with pytest.raises(InvalidInput) as refused:
        capacity.check_care_places(places=count, free=free)
    assert refused.value.field == field


@pytest.mark.parametrize(("year", "minors", "field"), [(2026, -1, "minors"), (1990, 5, "year")])
def test_a_settlement_decision_needs_a_sensible_year_and_no_negative_count(year, minors, field):
    with pytest.raises(InvalidInput) as refused:
        capacity.check_settlement_decision(year=year, minors=minors, today=TODAY)
    assert refused.value.field == field


# --- the checklist --------------------------------------------------------------------------


def test_tasks_are_due_relative_to_the_planned_arrival():
    made = accepted(TODAY + timedelta(days=30))
    due = {task.kind: task.due_on for task in made.tasks}
    assert due[PreparationTaskKind.HOUSING] == TODAY + timedelta(days=16)
    assert due[PreparationTaskKind.BANK_ACCOUNT] == TODAY + timedelta(days=60)
    assert len(due) == len(PreparationTaskKind)


def test_ready_for_arrival_when_everything_due_by_arrival_is_done():
    made = accepted()
    assert not preparation.ready_for_arrival(made)
    for task in made.tasks:
        if made.planned_arrival and task.due_on <= made.planned_arrival:
            preparation.complete_task(made, task, by="coordinator", now=NOW)
    assert preparation.ready_for_arrival(made)
    assert {t.kind for t in preparation.open_tasks(made)} == {
        PreparationTaskKind.SCHOOL,
        PreparationTaskKind.GP,
        PreparationTaskKind.HEALTH_CHECK,
        PreparationTaskKind.BANK_ACCOUNT,
    }


def test_a_reopened_task_is_not_done_again():
    made = accepted()
    task = made.tasks[0]
    preparation.complete_task(made, task, by="coordinator", now=NOW)
    preparation.reopen_task(made, task)
    assert (task.done, task.done_by, task.done_at) == (False, None, None)


def test_a_task_owner_must_be_one_of_the_municipalitys_staff():
    made = accepted()
    task = made.tasks[0]
    edit = preparation.TaskEdit(owner="asker-caseworker")
    with pytest.raises(InvalidInput) as refused:
        preparation.edit_task(made, task, edit, staff=frozenset({"bergen-caseworker"}))
    assert refused.value.field == "owner"
    preparation.edit_task(
        made,
        task,
        preparation.TaskEdit(owner="bergen-caseworker", notes=" key at the office "),
        staff=frozenset({"bergen-caseworker"}),
    )
    assert (task.owner, task.notes) == ("bergen-caseworker", "key at the office")


def test_a_pending_referral_has_no_checklist_to_work_on():
    with pytest.raises(Conflict, match="PENDING"):
        preparation.complete_task(referral(), None, by="coordinator", now=NOW)


# --- the child's profile --------------------------------------------------------------------


def test_an_edit_that_changes_nothing_says_so():
    settled = child()
    assert not children.edit_profile(
        settled, children.ProfileEdit(sex=settled.sex), today=TODAY, now=NOW
    )


def test_an_edited_full_name_is_normalised_searchable_and_names_the_first_name():
    settled = child()
    decomposed = unicodedata.normalize("NFD", "Åsa  Ødegård")
    assert children.edit_profile(
        settled, children.ProfileEdit(full_name=decomposed), today=TODAY, now=NOW
    )
    assert settled.full_name == unicodedata.normalize("NFC", "Åsa Ødegård")
    assert settled.first_name == unicodedata.normalize("NFC", "Åsa")
    assert settled.name_search == "asa odegard"


@pytest.mark.parametrize(
    ("edit", "field"),
    [
        (children.ProfileEdit(full_name="  "), "full_name"),
        (children.ProfileEdit(nationality="XX"), "nationality"),
        (children.ProfileEdit(languages=["qq"]), "languages"),
        (children.ProfileEdit(sex="Q"), "sex"),
        (children.ProfileEdit(date_of_birth=TODAY + timedelta(days=1)), "date_of_birth"),
        (children.ProfileEdit(date_of_birth=date(2000, 1, 1)), "date_of_birth"),
        # a child who speaks only Norwegian: no language of its own to default to
        (
            children.ProfileEdit(
                interpreter_needed=True,
                languages=["nb"],
                cleared=frozenset({"interpreter_language"}),
            ),
            "interpreter_language",
        ),
        (
            children.ProfileEdit(interpreter_needed=True, interpreter_language="zz"),
            "interpreter_language",
        ),
        (
            children.ProfileEdit(
                guardian=children.Appointment(name="Kari Nordmann", appointed_on=date(2028, 5, 2))
            ),
            "guardian.appointed_on",
        ),
        (
            children.ProfileEdit(
                representative=children.Appointment(name=" ", appointed_on=date(2025, 5, 2))
            ),
            "representative.name",
        ),
    ],
)
def test_a_bad_profile_edit_is_refused_naming_the_field_and_changes_nothing(edit, field):
    settled = child(settled_on=TODAY)
    before = children.profile_snapshot(settled)
    with pytest.raises(InvalidInput) as refused:
        children.edit_profile(settled, edit, today=date(2030, 1, 1), now=NOW)
    assert refused.value.field == field
    assert children.profile_snapshot(settled) == before


def test_guardianship_ends_at_eighteen_even_for_a_leap_day_birthday():
    assert identity.eighteenth_birthday(date(2008, 2, 29)) == date(2026, 3, 1)
    assert identity.eighteenth_birthday(date(2010, 5, 2)) == date(2028, 5, 2)


def test_no_interpreter_needed_clears_the_interpreter_language():
    settled = child(interpreter_needed=True, interpreter_language="prs")
    children.edit_profile(
        settled, children.ProfileEdit(interpreter_needed=False), today=TODAY, now=NOW
    )
    assert settled.interpreter_language is None


# --- relocation -----------------------------------------------------------------------------


def test_only_the_receiving_municipality_decides_on_a_relocation_and_only_once():
    settled = child()
    relocation = relocations.propose_relocation(
        settled, to_tenant="3203", note=None, by="bergen-coordinator", now=NOW
    )
    with pytest.raises(Forbidden):
        relocations.decline_relocation(relocation, tenant="4601", reason="no", by="x", now=NOW)
    relocations.decline_relocation(relocation, tenant="3203", reason="no place", by="x", now=NOW)
    with pytest.raises(Conflict, match="DECLINED"):
        relocations.cancel_relocation(relocation, tenant="4601", by="x", now=NOW)


def test_a_child_cannot_be_relocated_to_where_it_lives():
    with pytest.raises(InvalidInput) as refused:
        relocations.propose_relocation(child(), to_tenant="4601", note=None, by="x", now=NOW)
    assert refused.value.field == "to_municipality"


def test_a_relocation_date_is_neither_in_the_future_nor_before_settlement():
    settled = child()
    for on in (TODAY + timedelta(days=1), TODAY - timedelta(days=1)):
        relocation = relocations.propose_relocation(
            settled, to_tenant="3203", note=None, by="x", now=NOW
        )
        with pytest.raises(InvalidInput):
            relocations.accept_relocation(
                relocation,
                tenant="3203",
                care_arrangement=CareArrangement.FOSTER_HOME,
                relocated_on=on,
                settled_on=TODAY,
                by="y",
                today=TODAY,
                now=NOW,
            )
        assert relocation.status == vocabulary.RelocationStatus.PROPOSED


def test_a_relocation_carries_only_basic_facts_of_the_child():
    settled = child()
    relocation = relocations.propose_relocation(
        settled, to_tenant="3203", note="closer to family", by="x", now=NOW
    )
    assert relocation.child_id == settled.id and isinstance(relocation.id, uuid.UUID)
    assert relocation.child_first_name == "Amina"
    assert relocation.note == "closer to family"


def test_an_interpreter_needed_without_a_language_speaks_the_childs_first_other_than_norwegian():
    # given a settled child who speaks Norwegian and Tigrinya, marked as needing no interpreter
    settled = child(languages=["nb", "ti"], interpreter_needed=False, interpreter_language=None)

    # when an interpreter is said to be needed, naming no language
    children.edit_profile(
        settled, children.ProfileEdit(interpreter_needed=True), today=TODAY, now=NOW
    )

    # then the interpreter speaks Tigrinya
    assert (settled.interpreter_needed, settled.interpreter_language) == (True, "ti")


def test_a_child_who_speaks_no_norwegian_arrives_needing_an_interpreter_in_its_first_language():
    # when a referral for a Dari and English speaker arrives
    settled = child()

    # then intake marks the interpreter need, in Dari
    assert (settled.interpreter_needed, settled.interpreter_language) == (True, "prs")


@pytest.mark.parametrize(
    "arrived_on",
    [TODAY - timedelta(days=1), TODAY - timedelta(days=400), TODAY + timedelta(days=1)],
)
def test_an_arrival_lies_between_the_day_the_child_was_referred_and_today(arrived_on):
    # given a referral made and accepted today
    made = accepted(TODAY)

    # when an arrival before the referral, or after today, is registered
    with pytest.raises(InvalidInput) as refused:
        arrival.register_arrival(made, arrived_on=arrived_on, referred_on=TODAY, today=TODAY)

    # then it is refused on arrivedOn and the referral stays ACCEPTED
    assert refused.value.field == "arrived_on"
    assert made.status == ReferralStatus.ACCEPTED


def test_an_arrival_on_the_day_the_referral_was_made_is_accepted():
    made = accepted(TODAY)
    referred_on = TODAY - timedelta(days=30)
    settled = arrival.register_arrival(
        made, arrived_on=referred_on, referred_on=referred_on, today=TODAY
    )
    assert settled.settled_on == referred_on
