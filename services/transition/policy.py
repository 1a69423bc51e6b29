"""Transition's reach rules: which children its list and batch routes return (havn.reach)."""

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
from services.transition.models import BreakGlassAccess, ContactAssignment

# Transition follows care's assignments to know a contact person's children, and intake's
# break-glass accesses; each request notes its caller's open ones.
SUBSCRIPTIONS = (
    *assignment_subscriptions("transition", ContactAssignment),
    break_glass_subscription("transition", BreakGlassAccess),
)
NOTE_OPENED_CHILDREN = note_opened_children(BreakGlassAccess)


def transition_reach(principal: Principal) -> Reach:
    return reach_of(principal, permissions.transition.TRANSITION_READ.roles)


def phase_reach(principal: Principal) -> Reach:
    return reach_of(principal, permissions.transition.PHASE_READ.roles)
