"""Care's reach rules: which children each part of care's list and batch routes returns, and
what every care request notes first (who acts, the children they opened).

Care owns the assignment (the child's `contact_person`); the rule is havn.reach's, applied
to the roles that see a part of the child's care (domain.parts.PART_READ). A child the caller
opened by breaking the glass is read as if it were theirs: the parts their role sees of
their own children, never more (a contact person never sees health).
"""

from __future__ import annotations

from fastapi import Depends

from havn.auth import Principal
from havn.auth.dependencies import CurrentPrincipal
from havn.http import UnitOfWork
from havn.reach import (
    Reach,
    break_glass_subscription,
    note_opened_children,
    opened_children,
    reach_of,
)
from havn.staff import note_staff_roles
from services.care.domain.parts import CarePart, readers_of, visible_parts
from services.care.models import BreakGlassAccess, Child

# Care follows intake's break-glass accesses; each request notes its caller's open ones.
SUBSCRIPTIONS = (break_glass_subscription("care", BreakGlassAccess),)
NOTE_OPENED_CHILDREN = note_opened_children(BreakGlassAccess)


async def note_staff_member(principal: CurrentPrincipal, session: UnitOfWork) -> None:
    """A municipal user acting in care is noted with their roles (who can be a contact person)."""
    await note_staff_roles(session, principal)


# Every care route's dependencies, before its own.
EVERY_REQUEST = [Depends(note_staff_member), Depends(NOTE_OPENED_CHILDREN)]


def part_reach(principal: Principal, part: CarePart) -> Reach:
    """The children whose `part` the caller's routes return."""
    return reach_of(principal, readers_of(part))


def assigned_to(child: Child, principal: Principal) -> bool:
    return child.contact_person is not None and child.contact_person == principal.username


def parts_of(child: Child, principal: Principal) -> frozenset[CarePart]:
    """The parts of one child's care the caller reads: as of their own child when it is
    assigned to them or they opened it by breaking the glass (writes need the assignment)."""
    own = assigned_to(child, principal) or child.id in opened_children(principal)
    return visible_parts(roles=principal.roles, assigned=own)
