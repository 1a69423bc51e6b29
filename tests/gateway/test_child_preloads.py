"""A list of children preloads what the Child fields it selects declare they are built from:
nothing for a field that declares nothing or that the caller may not see, and data that one
call brings together in that one call."""

from __future__ import annotations

from collections.abc import Callable

from gateway.schema.child import (
    CARE,
    COMMUNITY,
    NOTE_COUNT,
    PHASE,
    TRANSITION,
    data_needed,
    preload_calls,
)
from havn.auth import Principal, Role


def principal(role: Role) -> Principal:
    return Principal(
        subject="s", username="u", roles=frozenset({role}), tenants=("4601",), tenant="4601"
    )


CASEWORKER = principal(Role.CASEWORKER)
VOLUNTEERS = principal(Role.VOLUNTEER_COORDINATOR)


def selection(**below: set[str]) -> Callable[..., set[str]]:
    """The selected Child fields (the keywords), each with what is selected below it."""

    def selected_at(*names: str) -> set[str]:
        return set(below) if not names else below[names[0]]

    return selected_at


def test_each_selected_field_preloads_the_data_it_declares() -> None:
    fields = selection(
        phase=set(),
        carePlan={"status"},
        assessments={"id"},
        interests=set(),
        enrolments={"id"},
        transition={"planOpensOn"},
    )
    assert set(data_needed(fields, CASEWORKER)) == {PHASE, CARE, COMMUNITY, TRANSITION}


def test_fields_built_from_intakes_payload_preload_nothing() -> None:
    fields = selection(id=set(), firstName=set(), fullName=set(), openPreparationTasks={"kind"})
    assert data_needed(fields, CASEWORKER) == {}


def test_the_notes_preload_their_count_only_when_the_list_asks_no_more() -> None:
    assert set(data_needed(selection(followUpNotes={"totalCount"}), CASEWORKER)) == {NOTE_COUNT}
    asks_pages = selection(followUpNotes={"totalCount", "edges"})
    assert data_needed(asks_pages, CASEWORKER) == {}


def test_nothing_preloads_for_a_field_the_caller_may_not_see() -> None:
    fields = selection(
        carePlan={"status"}, transition={"planOpensOn"}, followUpNotes={"totalCount"}
    )
    assert data_needed(fields, VOLUNTEERS) == {}


def test_the_care_record_and_the_note_count_come_in_one_call() -> None:
    [(_, parts)] = preload_calls(dict.fromkeys([CARE, NOTE_COUNT]))
    assert set(parts) == {CARE, NOTE_COUNT}
    assert parts[NOTE_COUNT]({"follow_up_note_count": 3}) == {"total_count": 3}
    alone = preload_calls(dict.fromkeys([CARE, TRANSITION]))
    assert [set(parts) for _, parts in alone] == [{CARE}, {TRANSITION}]
