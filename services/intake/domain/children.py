"""The settled child's profile: edits, appointments (representative, guardian) and the
revisions that number its announced changes."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from havn.errors import InvalidInput
from havn.languages import language_for_interpreter, normalise_language
from havn.vocabulary import CareArrangement
from services.intake.domain.identity import (
    check_date_of_birth,
    check_languages,
    check_name,
    check_nationality,
    check_sex,
    eighteenth_birthday,
    first_name_of,
    fold_for_search,
)
from services.intake.models import Child, PreparationTask


@dataclass(frozen=True)
class ChildRecord:
    """A settled child as intake serves it, with the checklist tasks its referral still has
    open (the ones reported when a child arrives before they are done)."""

    child: Child
    open_tasks: Sequence[PreparationTask] = ()


def next_revision(child: Child) -> int:
    """Numbers a change of the child that is announced to the other services.

    Called in the change's transaction, with the child's row locked, so the numbers of one
    child are gapless and in the order of its changes: consumers apply them in that order.
    """
    child.revision += 1
    return child.revision


@dataclass(frozen=True, kw_only=True)
class Appointment:
    """A representative or guardian: who, and appointed on which day."""

    name: str
    appointed_on: date


@dataclass(frozen=True, kw_only=True)
class ProfileEdit:
    """Changes to a child's profile: None leaves a field as it is, `cleared` empties one."""

    full_name: str | None = None
    first_name: str | None = None
    date_of_birth: date | None = None
    date_of_birth_estimated: bool | None = None
    sex: str | None = None
    nationality: str | None = None
    languages: list[str] | None = None
    interpreter_needed: bool | None = None
    interpreter_language: str | None = None
    care_arrangement: CareArrangement | None = None
    representative: Appointment | None = None
    guardian: Appointment | None = None
    cleared: frozenset[str] = field(default_factory=frozenset)


def _check_appointment(
    appointment: Appointment, *, field: str, date_of_birth: date, today: date
) -> tuple[str, date]:
    name = check_name(appointment.name, field=f"{field}.name")
    if appointment.appointed_on > today:
        raise InvalidInput("the appointment date is in the future", field=f"{field}.appointed_on")
    if appointment.appointed_on < date_of_birth:
        raise InvalidInput(
            "the appointment date is before the date of birth", field=f"{field}.appointed_on"
        )
    return name, appointment.appointed_on


def profile_snapshot(child: Child) -> tuple[object, ...]:
    """Everything an edit can change, to tell whether one changed anything."""
    return (
        child.full_name,
        child.first_name,
        child.date_of_birth,
        child.date_of_birth_estimated,
        child.sex,
        child.nationality,
        tuple(child.languages),
        child.interpreter_needed,
        child.interpreter_language,
        child.care_arrangement,
        child.representative_name,
        child.representative_appointed_on,
        child.guardian_name,
        child.guardian_appointed_on,
    )


def edit_profile(child: Child, edit: ProfileEdit, *, today: date, now: datetime) -> bool:
    """Validates every change first, then applies them all; returns whether anything changed.

    A change takes the child's next revision, for the child.updated that announces it.
    """
    full_name = (
        check_name(edit.full_name, field="full_name") if edit.full_name is not None else None
    )
    first_name = (
        check_name(edit.first_name, field="first_name") if edit.first_name is not None else None
    )
    date_of_birth = edit.date_of_birth or child.date_of_birth
    if edit.date_of_birth is not None:
        check_date_of_birth(edit.date_of_birth, minor_on=child.settled_on, today=today)
    sex = check_sex(edit.sex) if edit.sex is not None else None
    nationality = check_nationality(edit.nationality) if edit.nationality is not None else None
    languages = check_languages(edit.languages) if edit.languages is not None else None
    interpreter_needed = (
        edit.interpreter_needed if edit.interpreter_needed is not None else child.interpreter_needed
    )
    interpreter_language = (
        normalise_language(edit.interpreter_language, field="interpreter_language")
        if edit.interpreter_language is not None
        else None
        if "interpreter_language" in edit.cleared
        else child.interpreter_language
    )
    if interpreter_needed and interpreter_language is None:
        interpreter_language = language_for_interpreter(languages or child.languages)
    if interpreter_needed and interpreter_language is None:
        raise InvalidInput(
            "say which language the interpreter must speak", field="interpreter_language"
        )
    representative = (
        _check_appointment(
            edit.representative,
            field="representative",
            date_of_birth=date_of_birth,
            today=today,
        )
        if edit.representative is not None
        else None
    )
    guardian = (
        _check_appointment(
            edit.guardian, field="guardian", date_of_birth=date_of_birth, today=today
        )
        if edit.guardian is not None
        else None
    )
    guardian_on = guardian[1] if guardian else child.guardian_appointed_on
    if guardian_on is not None and guardian_on >= eighteenth_birthday(date_of_birth):
        raise InvalidInput(
            "guardianship ends at 18: a guardian cannot be appointed on or after "
            f"{eighteenth_birthday(date_of_birth).isoformat()}",
            field="guardian.appointed_on",
        )

    before = profile_snapshot(child)
    if full_name is not None:
        child.full_name = full_name
        child.name_search = fold_for_search(full_name)
        child.first_name = first_name or first_name_of(full_name)
    if first_name is not None:
        child.first_name = first_name
    child.date_of_birth = date_of_birth
    if edit.date_of_birth_estimated is not None:
        child.date_of_birth_estimated = edit.date_of_birth_estimated
    if sex is not None:
        child.sex = sex
    if nationality is not None:
        child.nationality = nationality
    if languages is not None:
        child.languages = languages
    child.interpreter_needed = interpreter_needed
    child.interpreter_language = interpreter_language if interpreter_needed else None
    if edit.care_arrangement is not None:
        child.care_arrangement = edit.care_arrangement.value
    if representative is not None:
        child.representative_name, child.representative_appointed_on = representative
    elif "representative" in edit.cleared:
        child.representative_name = child.representative_appointed_on = None
    if guardian is not None:
        child.guardian_name, child.guardian_appointed_on = guardian
    elif "guardian" in edit.cleared:
        child.guardian_name = child.guardian_appointed_on = None
    changed = profile_snapshot(child) != before
    if changed:
        child.updated_at = now
        next_revision(child)
    return changed
