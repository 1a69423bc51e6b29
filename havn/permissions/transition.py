"""Transition's actions: the plan towards adulthood, and the phase every municipal role sees."""

from __future__ import annotations

from havn.auth.policy import DataClass, Role
from havn.permissions.permission import MUNICIPAL, Permission

# A transition record is personal data: DOMAIN.md gives it to coordinators and caseworkers,
# and caseworkers write it.
TRANSITION_READ = Permission(
    frozenset({Role.SETTLEMENT_COORDINATOR, Role.CASEWORKER}),
    DataClass.PERSONAL,
    "read transitions",
)
TRANSITION_WRITE = Permission(
    frozenset({Role.CASEWORKER}), DataClass.PERSONAL, "change a transition"
)
# The phase is basic data every municipal role works with (a contact person: of the children
# assigned to them). Partners see a child only through a grant, which transition does not
# know: they get none.
PHASE_READ = Permission(MUNICIPAL, DataClass.BASIC, "see children's phases")
