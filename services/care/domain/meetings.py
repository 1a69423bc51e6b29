"""Meetings with the child, and the interpreter it needs."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from havn.errors import InvalidInput
from havn.languages import normalise_language
from havn.text import required_text
from services.care.models import Child, Meeting


@dataclass(frozen=True, kw_only=True)
class InterpreterInput:
    name: str
    qualified: bool


def same_name(one: str | None, other: str | None) -> bool:
    if not one or not other:
        return False
    return " ".join(one.split()).casefold() == " ".join(other.split()).casefold()


def record_meeting(
    child: Child,
    *,
    held_on: date,
    purpose: str,
    language: str,
    interpreter: InterpreterInput | None,
    interpreter_is_a_child: bool,
    by: str,
) -> Meeting:
    """A meeting with the child; flagged when the child needs an interpreter and has none.

    `interpreter_is_a_child`: the interpreter's name is a child's of this municipality. A
    child is never anyone's interpreter, least of all its own.
    """
    name: str | None = None
    if interpreter is not None:
        name = required_text(
            interpreter.name, field="interpreter.name", message="the interpreter is required"
        )
        if (
            interpreter_is_a_child
            or same_name(name, child.first_name)
            or same_name(name, child.full_name)
        ):
            raise InvalidInput(
                "a child is never recorded as an interpreter; book a qualified interpreter",
                field="interpreter.name",
            )
    return Meeting(
        id=uuid.uuid4(),
        tenant_id=child.tenant_id,
        child_id=child.id,
        held_on=held_on,
        purpose=required_text(
            purpose, field="purpose", message="the meeting's purpose is required"
        ),
        language=normalise_language(language, field="language"),
        interpreter_name=name,
        interpreter_qualified=interpreter.qualified if interpreter else None,
        interpreter_missing=child.interpreter_needed and interpreter is None,
        recorded_by=by,
    )
