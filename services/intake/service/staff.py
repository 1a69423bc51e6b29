"""The municipality's staff, as Havn has seen them act: whom checklist tasks can be given to."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import Principal, Role
from havn.pagination import Page
from havn.permissions import require_tenant
from havn.staff import note_staff_roles
from services.intake import repository
from services.intake.models import StaffMember


async def note_acting_staff_member(session: AsyncSession, principal: Principal) -> None:
    """A municipal user who acts in a municipality (changes something there) becomes one its
    tasks can be given to, and their roles there are noted (havn.staff). Reads note nothing:
    they would cost every request a write."""
    if principal.is_municipal and principal.tenant is not None:
        await repository.note_staff_member(
            session,
            tenant=principal.tenant,
            username=principal.username,
            role=principal.primary_role,
        )
        await note_staff_roles(session, principal)


async def note_contact_person_at_work(session: AsyncSession, principal: Principal) -> None:
    """A contact person changes nothing in intake: looking its children up is how it shows
    that it works in the municipality, which care asks before it assigns one (havn.staff)."""
    if principal.has_role(Role.CONTACT_PERSON) and principal.tenant is not None:
        await note_staff_roles(session, principal)


async def list_staff(
    session: AsyncSession, *, principal: Principal, first: int, after: str | None
) -> Page[StaffMember]:
    """The municipality's users who can own checklist tasks."""
    return await repository.list_staff(session, require_tenant(principal), first=first, after=after)
