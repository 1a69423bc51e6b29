"""Who sees and who writes which part of a child's care, and the care record a caller reads."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from havn import permissions
from havn.auth import DataClass, Role
from havn.errors import Forbidden
from havn.permissions import Permission
from havn.reach import ASSIGNMENT_BOUND
from services.care.models import Assessment, CarePlan, Child


class CarePart(StrEnum):
    PLAN_STATUS = "plan-status"  # the plan's status and approval date, the assessment schedule
    PLAN = "plan"  # goals, the child's own words, approved versions
    CONTACT_PERSON = "contact-person"
    ASSESSMENTS = "assessments"
    NOTES = "notes"
    HEALTH = "health"
    EDUCATION = "education"
    MEETINGS = "meetings"


# Who reads each part: the permission care's routes and the gateway's fields declare
# (havn.permissions.care). A settlement coordinator sees the plan's status (a summary); a
# caseworker everything; a contact person everything but health, of the children assigned to
# them only (havn.reach's ASSIGNMENT_BOUND).
PART_READ: dict[CarePart, Permission] = {
    CarePart.PLAN_STATUS: permissions.care.PLAN_STATUS_READ,
    CarePart.PLAN: permissions.care.DETAILS_READ,
    CarePart.CONTACT_PERSON: permissions.care.DETAILS_READ,
    CarePart.ASSESSMENTS: permissions.care.CONFIDENTIAL_READ,
    CarePart.NOTES: permissions.care.CONFIDENTIAL_READ,
    CarePart.HEALTH: permissions.care.HEALTH_READ,
    CarePart.EDUCATION: permissions.care.DETAILS_READ,
    CarePart.MEETINGS: permissions.care.DETAILS_READ,
}
# The class a read of each part is logged under: its permission's, as DOMAIN.md classes it.
PART_CLASS: dict[CarePart, DataClass] = {
    part: read.data_class for part, read in PART_READ.items() if read.data_class is not None
}
EVERY_PART = frozenset(CarePart)


def visible_parts(*, roles: Iterable[Role], assigned: bool) -> frozenset[CarePart]:
    """The parts of one child's care a caller sees; `assigned`: the child is theirs."""
    held = frozenset(roles) if assigned else frozenset(roles) - ASSIGNMENT_BOUND
    return frozenset(part for part, read in PART_READ.items() if not held.isdisjoint(read.roles))


def may_see_any(*, roles: Iterable[Role], part: CarePart) -> bool:
    """Whether a caller sees this part of at least some child (its own, for a contact person)."""
    return part in visible_parts(roles=roles, assigned=True)


def readers_of(part: CarePart) -> frozenset[Role]:
    """The roles that see this part of some child's care."""
    return PART_READ[part].roles


def data_classes(parts: Iterable[CarePart]) -> list[DataClass]:
    """The classes a read of these parts is logged under, each once, in DataClass order."""
    classes = {PART_CLASS[part] for part in parts}
    return [data_class for data_class in DataClass if data_class in classes]


# --- who writes which part ----------------------------------------------------------------


# An act is a Permission (havn.permissions.care): its roles may do it to some child; a role
# bound to assignments (havn.reach: the contact person) to the children assigned to them only.


def may_act(*, permission: Permission, roles: Iterable[Role], assigned: bool) -> bool:
    held = permission.roles & frozenset(roles)
    return bool(held - ASSIGNMENT_BOUND) or (assigned and bool(held))


def require_act(*, permission: Permission, roles: Iterable[Role], assigned: bool) -> None:
    """Refuses an act the caller's roles do not allow on this child."""
    held = frozenset(roles)
    if may_act(permission=permission, roles=held, assigned=assigned):
        return
    if may_act(permission=permission, roles=held, assigned=True):
        raise Forbidden(f"only the child's contact person or a caseworker may {permission.act}")
    raise Forbidden(f"your role may not {permission.act}")


@dataclass(frozen=True, kw_only=True)
class CareRecord:
    """What a caller reads of one child's care: the parts they see, and those loaded (the
    assessments and the count of notes only where seen and asked for)."""

    child: Child
    plan: CarePlan
    parts: frozenset[CarePart]
    assessments: list[Assessment] | None = None
    note_count: int | None = None
