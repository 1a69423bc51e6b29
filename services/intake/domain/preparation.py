"""The preparation checklist an accepted referral opens: tasks due around the planned
arrival, their owners and notes, and whether the municipality is ready for the child."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from havn.errors import Conflict, InvalidInput
from havn.text import optional_text
from havn.vocabulary import PreparationTaskKind, ReferralStatus
from services.intake.models import PreparationTask, Referral

# A checklist exists from acceptance; tasks due after arrival (school, GP, bank) are worked
# on after the child has come.
CHECKLIST_STATUSES = frozenset({ReferralStatus.ACCEPTED, ReferralStatus.ARRIVED})


# Days before (negative) or after planned arrival each task is due: a home and a guardian
# must be in place when the child comes; school, GP and bank follow in the first weeks.
TASK_DUE_OFFSET_DAYS: dict[PreparationTaskKind, int] = {
    PreparationTaskKind.HOUSING: -14,
    PreparationTaskKind.GUARDIAN: -7,
    PreparationTaskKind.INTERPRETER: -3,
    PreparationTaskKind.SCHOOL: 14,
    PreparationTaskKind.GP: 14,
    PreparationTaskKind.HEALTH_CHECK: 21,
    PreparationTaskKind.BANK_ACCOUNT: 30,
}


def open_checklist(referral: Referral, *, planned_arrival: date) -> list[PreparationTask]:
    """The checklist an accepted referral opens: every task, due around the planned arrival."""
    return [
        PreparationTask(
            id=uuid.uuid4(),
            tenant_id=referral.tenant_id,
            referral_id=referral.id,
            kind=kind.value,
            due_on=planned_arrival + timedelta(days=offset),
            done=False,
        )
        for kind, offset in TASK_DUE_OFFSET_DAYS.items()
    ]


def task_of(referral: Referral, kind: PreparationTaskKind) -> PreparationTask | None:
    """The referral's checklist task of a kind (None before it has a checklist)."""
    return next((task for task in referral.tasks if task.kind == kind), None)


def _require_checklist(referral: Referral, task: PreparationTask | None) -> PreparationTask:
    if referral.status not in CHECKLIST_STATUSES:
        raise Conflict(
            f"the referral is {referral.status}; only an ACCEPTED or ARRIVED referral "
            "has a preparation checklist"
        )
    if task is None:
        raise InvalidInput("this referral has no such preparation task", field="task")
    return task


def complete_task(
    referral: Referral, task: PreparationTask | None, *, by: str, now: datetime
) -> None:
    """Marks one checklist task done; only an accepted referral has a checklist to work on."""
    checked = _require_checklist(referral, task)
    checked.done = True
    checked.done_by = by
    checked.done_at = now


def reopen_task(referral: Referral, task: PreparationTask | None) -> None:
    """Marks a task not done again (it turned out not to be)."""
    checked = _require_checklist(referral, task)
    checked.done = False
    checked.done_by = None
    checked.done_at = None


@dataclass(frozen=True, kw_only=True)
class TaskEdit:
    """Changes to a task: None leaves a field as it is, `cleared` names fields set to empty."""

    owner: str | None = None
    notes: str | None = None
    cleared: frozenset[str] = frozenset()


def edit_task(
    referral: Referral, task: PreparationTask | None, edit: TaskEdit, *, staff: frozenset[str]
) -> None:
    """Gives a task an owner (one of the municipality's staff) and notes."""
    checked = _require_checklist(referral, task)
    if edit.owner is not None:
        owner = edit.owner.strip()
        if owner not in staff:
            raise InvalidInput(
                f"'{owner}' is not a user of this municipality in Havn; choose one of its staff",
                field="owner",
            )
        checked.owner = owner
    elif "owner" in edit.cleared:
        checked.owner = None
    if edit.notes is not None:
        checked.notes = optional_text(edit.notes)
    elif "notes" in edit.cleared:
        checked.notes = None


def ready_for_arrival(referral: Referral) -> bool:
    """Whether everything due by the planned arrival is done (school, GP, bank come after)."""
    if referral.status != ReferralStatus.ACCEPTED or referral.planned_arrival is None:
        return False
    due = [task for task in referral.tasks if task.due_on <= referral.planned_arrival]
    return all(task.done for task in due)


def open_tasks(referral: Referral) -> list[PreparationTask]:
    return [task for task in referral.tasks if not task.done]
