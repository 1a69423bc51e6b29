"""Intake's reach rules: which children its routes return, whose log a relocation's read is,
and which children a user may open by breaking the glass."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from havn.audit import OPENED_BY_GLASS
from havn.auth import Principal
from havn.errors import Conflict, NotFound
from havn.permissions import MUNICIPAL
from havn.reach import Reach, note_opened_children, reach_of
from havn.vocabulary import RelocationStatus
from services.intake import repository
from services.intake.models import BreakGlassAccess, Relocation

# Intake owns the break-glass accesses; each request notes its caller's open ones.
NOTE_OPENED_CHILDREN = note_opened_children(BreakGlassAccess)


def child_reach(principal: Principal) -> Reach:
    """The children the caller's child lists, searches and batches return: every municipal role
    reads the child's record, a contact person only the children assigned to them (havn.reach);
    partners see a child's basic profile through community's grants."""
    return reach_of(principal, MUNICIPAL)


def childs_municipality(relocation: Relocation) -> str:
    """Where the child of a relocation lives, whose access log records reads of it: the
    sending municipality until the receiving one has accepted."""
    if relocation.status == RelocationStatus.ACCEPTED:
        return relocation.to_tenant
    return relocation.tenant_id


async def where_openable_child_lives(
    session: AsyncSession, principal: Principal, tenant: str, child_id: uuid.UUID
) -> str:
    """The municipality of a child the caller may open by breaking the glass: a child of its
    own municipality beyond its reach (a contact person's colleague's child), or one a
    relocation proposes to its municipality (still living in the sending one). Any other
    child stays unknown (NOT_FOUND), reason or not."""
    if child_id in OPENED_BY_GLASS.get():
        raise Conflict("you have opened this child already; the access has not expired")
    if await repository.get_child(session, child_id) is not None:
        if await repository.children_by_ids(session, [child_id], reach=child_reach(principal)):
            raise Conflict("you reach this child already; there is no glass to break")
        return tenant
    relocation = await repository.open_relocation_of(session, child_id)
    if relocation is None or relocation.to_tenant != tenant:
        raise NotFound("no such child")
    return relocation.tenant_id
