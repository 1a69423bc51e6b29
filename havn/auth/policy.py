"""Roles, data classes and which roles are cleared for which classes (DOMAIN.md)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    SETTLEMENT_COORDINATOR = "settlement-coordinator"
    CASEWORKER = "caseworker"
    CONTACT_PERSON = "contact-person"
    VOLUNTEER_COORDINATOR = "volunteer-coordinator"
    MUNICIPALITY_ADMIN = "municipality-admin"
    PARTNER = "partner"
    DIRECTORATE_ALLOCATOR = "directorate-allocator"
    DIRECTORATE_ANALYST = "directorate-analyst"
    PLATFORM_ADMIN = "platform-admin"


class DataClass(StrEnum):
    BASIC = "basic"
    PERSONAL = "personal"
    SENSITIVE = "sensitive"
    CONFIDENTIAL = "confidential"
    AGGREGATE = "aggregate"


MUNICIPAL_ROLES = frozenset(
    {
        Role.SETTLEMENT_COORDINATOR,
        Role.CASEWORKER,
        Role.CONTACT_PERSON,
        Role.VOLUNTEER_COORDINATOR,
        Role.MUNICIPALITY_ADMIN,
    }
)
DIRECTORATE_ROLES = frozenset({Role.DIRECTORATE_ALLOCATOR, Role.DIRECTORATE_ANALYST})

# Contact persons are cleared for confidential data of their own children only;
# the record-level check lives with the data (care). Partners see basic data only
# through an active grant, checked per child.
CLEARANCE: dict[Role, frozenset[DataClass]] = {
    Role.SETTLEMENT_COORDINATOR: frozenset({DataClass.BASIC, DataClass.PERSONAL}),
    Role.CASEWORKER: frozenset(
        {DataClass.BASIC, DataClass.PERSONAL, DataClass.SENSITIVE, DataClass.CONFIDENTIAL}
    ),
    Role.CONTACT_PERSON: frozenset({DataClass.BASIC, DataClass.PERSONAL, DataClass.CONFIDENTIAL}),
    Role.VOLUNTEER_COORDINATOR: frozenset({DataClass.BASIC}),
    Role.MUNICIPALITY_ADMIN: frozenset({DataClass.BASIC, DataClass.AGGREGATE}),
    Role.PARTNER: frozenset({DataClass.BASIC}),
    Role.DIRECTORATE_ALLOCATOR: frozenset(),
    Role.DIRECTORATE_ANALYST: frozenset({DataClass.AGGREGATE}),
    Role.PLATFORM_ADMIN: frozenset(),
}
