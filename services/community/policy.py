"""Community's reach rules: which children its staff routes return (havn.reach).

A partner's reach is of another kind (an active grant to its organisation, per child) and is
checked where its routes read grants.
"""

from __future__ import annotations

from havn import permissions
from havn.auth import Principal
from havn.reach import (
    Reach,
    assignment_subscriptions,
    break_glass_subscription,
    note_opened_children,
    reach_of,
)
from services.community.models import BreakGlassAccess, ContactAssignment

# Community follows care's assignments to know a contact person's children, and intake's
# break-glass accesses; each request notes its caller's open ones.
SUBSCRIPTIONS = (
    *assignment_subscriptions("community", ContactAssignment),
    break_glass_subscription("community", BreakGlassAccess),
)
NOTE_OPENED_CHILDREN = note_opened_children(BreakGlassAccess)


def child_reach(principal: Principal) -> Reach:
    """A child's community data is basic: every municipal role reads it, a contact person of
    the children assigned to them only."""
    return reach_of(principal, permissions.MUNICIPAL)


def organiser_reach(principal: Principal) -> Reach:
    return reach_of(principal, permissions.community.ORGANISERS)


def grant_reach(principal: Principal) -> Reach:
    return reach_of(principal, permissions.community.GRANTS_READ.roles)
