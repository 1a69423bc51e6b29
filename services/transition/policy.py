"""Transition's reach rules: which children its list and batch routes return (havn.reach)."""

from __future__ import annotations

from havn.auth import Principal, Role
from havn.auth.policy import MUNICIPAL_ROLES
from havn.reach import (
    Reach,
    assignment_subscriptions,
    break_glass_subscription,
    note_opened_children,
    reach_of,
)
from services.transition.models import BreakGlassAccess, ContactAssignment

# A transition record is personal data: DOMAIN.md gives it to coordinators and caseworkers.
TRANSITION_READERS = frozenset({Role.SETTLEMENT_COORDINATOR, Role.CASEWORKER})
# DOMAIN.md: caseworkers write transition; coordinators see it.
TRANSITION_WRITERS = frozenset({Role.CASEWORKER})
# The phase is basic data every municipal role works with (a contact person: of the children
# assigned to them). Partners see a child only through a grant, which transition does not
# know: they get none.
PHASE_READERS = MUNICIPAL_ROLES

# Transition follows care's assignments to know a contact person's children, and intake's
# break-glass accesses; each request notes its caller's open ones.
SUBSCRIPTIONS = (
    *assignment_subscriptions("transition", ContactAssignment),
    break_glass_subscription("transition", BreakGlassAccess),
)
NOTE_OPENED_CHILDREN = note_opened_children(BreakGlassAccess)


def transition_reach(principal: Principal) -> Reach:
    return reach_of(principal, TRANSITION_READERS)


def phase_reach(principal: Principal) -> Reach:
    return reach_of(principal, PHASE_READERS)
