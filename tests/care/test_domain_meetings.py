"""Care rules for meetings and their interpreters."""

from __future__ import annotations

import pytest

from havn.errors import InvalidInput
from services.care.domain.meetings import InterpreterInput, record_meeting
from services.care.models import Child
from tests.care.domain_support import TODAY, a_child


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
