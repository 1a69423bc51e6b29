"""Intake's actions: referrals, the child's record, preparation, capacity, relocations, breaking
the glass, the access log and the municipality register."""

from __future__ import annotations

from havn.auth.policy import DataClass, Role
from havn.permissions.permission import Permission, cleared
from havn.reach import BREAKS_GLASS

_DECIDERS = frozenset({Role.SETTLEMENT_COORDINATOR, Role.CASEWORKER})
_ALLOCATORS = frozenset({Role.DIRECTORATE_ALLOCATOR})
_CAPACITY_KEEPERS = frozenset({Role.SETTLEMENT_COORDINATOR, Role.MUNICIPALITY_ADMIN})
_ADMINS = frozenset({Role.MUNICIPALITY_ADMIN})

# Looking a child up: any caller may ask; one who may not see the child is told there is no
# such child (NOT_FOUND), not that it exists, and a list holds only the children it reaches.
CHILD_LOOKUP = Permission(frozenset(Role), None, "look children up", national=True)
# Its personal fields: the roles DOMAIN.md clears for personal data.
PROFILE_READ = Permission(
    cleared(DataClass.PERSONAL), DataClass.PERSONAL, "see a child's personal data"
)
PROFILE_WRITE = Permission(_DECIDERS, DataClass.PERSONAL, "edit a child's profile")

# The directorate allocates children to municipalities (nationally); the municipality decides.
REFERRALS_READ = Permission(
    _ALLOCATORS | _CAPACITY_KEEPERS | {Role.CASEWORKER},
    None,
    "read referrals",
    national=True,
)
REFERRAL_CREATE = Permission(_ALLOCATORS, None, "create referrals", national=True)
REFERRAL_WITHDRAW = Permission(_ALLOCATORS, None, "withdraw referrals", national=True)
REFERRAL_DECIDE = Permission(_DECIDERS, DataClass.PERSONAL, "decide on referrals")
# The checklist's owners and notes, and the staff who can own a task.
PREPARATION = Permission(_DECIDERS, DataClass.PERSONAL, "prepare arrivals")
STAFF_READ = Permission(_DECIDERS, DataClass.PERSONAL, "list staff")

# Capacity is counts of places and referrals, no child's data: roles alone decide.
OWN_CAPACITY_READ = Permission(_CAPACITY_KEEPERS | {Role.CASEWORKER}, None, "read capacity")
NATIONAL_CAPACITY_READ = Permission(
    _ALLOCATORS, None, "read every municipality's capacity", national=True
)
# intake's one capacity route answers both: every municipality to the allocator, else one's own.
CAPACITY_READ = Permission(
    OWN_CAPACITY_READ.roles | NATIONAL_CAPACITY_READ.roles, None, "read capacity", national=True
)
CAPACITY_WRITE = Permission(_CAPACITY_KEEPERS, None, "record capacity")

# What the receiving municipality sees of a child before it accepts: basic data.
RELOCATIONS = Permission(_DECIDERS, DataClass.BASIC, "act on relocations")

# Breaking the glass opens what the caller's role sees of its own children: the act names
# only the child (basic); the services apply each role's data classes to what follows.
BREAK_GLASS = Permission(BREAKS_GLASS, DataClass.BASIC, "break the glass")
BREAK_GLASS_REVIEW = Permission(_ADMINS, DataClass.BASIC, "review break-the-glass accesses")
ACCESS_LOG_READ = Permission(_ADMINS, None, "read the access log")

# The platform's admin lists the municipalities on the platform and registers them.
MUNICIPALITIES_READ = Permission(
    frozenset({Role.PLATFORM_ADMIN}), None, "list municipalities", national=True
)
MUNICIPALITY_REGISTER = Permission(
    frozenset({Role.PLATFORM_ADMIN}), None, "register municipalities", national=True
)
