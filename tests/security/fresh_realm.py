"""Fresh municipalities, partners and users for one fuzz run: tenants registered as the platform
admin registers them, users with real tokens signed by the stack's identity provider's key."""

from __future__ import annotations

from tests.client import Caller, GraphQLClient
from tests.factories import register_municipality

# Roles every fresh municipality has a user for (two contact persons, so one is "the other").
MUNICIPAL_USERS = {
    "coordinator": "settlement-coordinator",
    "caseworker": "caseworker",
    "contact": "contact-person",
    "contact2": "contact-person",
    "volunteers": "volunteer-coordinator",
    "admin": "municipality-admin",
}
ALLOCATOR, ANALYST, PLATFORM = "imdi-allocator", "imdi-analyst", "platform-admin"


def run_callers(
    run: str, tenants: tuple[str, ...], orgs: dict[str, tuple[str, ...]]
) -> list[Caller]:
    callers = [
        Caller(f"fz{run}-{tenant}-{kind}", role, (tenant,))
        for tenant in tenants
        for kind, role in MUNICIPAL_USERS.items()
    ]
    callers += [
        Caller(f"fz{run}-{org}-partner", "partner", org_tenants, org)
        for org, org_tenants in orgs.items()
    ]
    callers += [
        Caller(ALLOCATOR, "directorate-allocator"),
        Caller(ANALYST, "directorate-analyst"),
        Caller(PLATFORM, "platform-admin"),
    ]
    return callers


async def register_fresh_municipalities(gql: GraphQLClient, run: str, count: int) -> list[str]:
    """Registers `count` municipalities no test has used, as the platform admin onboards one."""
    return [await register_municipality(gql, f"Fuzz {run}") for _ in range(count)]
