"""Fresh municipalities, partners and users for one test run: tenants registered as the platform
admin registers them, users with real tokens signed by the stack's identity provider's key."""

from __future__ import annotations

import json
import random
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cli.stack import InProcessStack
from havn.auth.idp import Realm, load_or_create_signing_key
from havn.auth.idp.bruteforce import BruteForceProtector
from havn.auth.idp.sessions import SessionStore
from havn.auth.idp.tokens import DevIdentityProvider
from tests.client import GraphQLClient

PASSWORD = "dev"

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


@dataclass(frozen=True)
class Caller:
    """A user as the probes see it: who, in which role, for which municipalities."""

    username: str
    role: str
    tenants: tuple[str, ...] = ()
    org: str | None = None


class RunRealm:
    """The dev realm plus this run's users, issuing tokens with the stack's own key.

    The stack's identity provider knows only the realm file's users; this provider has the
    same issuer, key and client, and the run's municipalities and partners beside them, so
    the services verify its tokens exactly as they verify the stack's.
    """

    def __init__(self, stack: InProcessStack, directory: Path, callers: list[Caller]) -> None:
        realm: dict[str, Any] = json.loads(stack.settings.realm_file.read_text())
        for caller in callers:
            if caller.username in {ALLOCATOR, ANALYST, PLATFORM}:
                continue
            group = f"run-{caller.username}"
            attributes: dict[str, list[str]] = {"tenants": list(caller.tenants)}
            if caller.org:
                attributes["org"] = [caller.org]
            realm["groups"].append({"name": group, "path": f"/{group}", "attributes": attributes})
            realm["users"].append(
                {
                    "id": str(uuid.uuid5(uuid.NAMESPACE_URL, caller.username)),
                    "username": caller.username,
                    "enabled": True,
                    "firstName": "Fuzz",
                    "lastName": caller.role,
                    "credentials": [{"type": "password", "value": PASSWORD}],
                    "realmRoles": [caller.role],
                    "groups": [f"/{group}"],
                }
            )
        path = directory / "realm.json"
        path.write_text(json.dumps(realm))
        loaded = Realm.load(path)
        self._provider = DevIdentityProvider(
            realm=loaded,
            key=load_or_create_signing_key(stack.data_dir / "keys"),
            issuer=stack.settings.issuer,
            sessions=SessionStore(loaded, stack.clock),
            brute_force=BruteForceProtector(None, stack.clock),
        )
        self._lifespan = loaded.access_token_lifespan
        self._tokens: dict[str, tuple[float, str]] = {}

    def token(self, username: str) -> str:
        issued, token = self._tokens.get(username, (0.0, ""))
        # Reissued well before it expires: a long `make fuzz` outlives many tokens.
        if time.monotonic() - issued > self._lifespan / 2:
            form = {
                "grant_type": "password",
                "client_id": "havn-cli",
                "username": username,
                "password": PASSWORD,
            }
            token = self._provider.token(form, None)["access_token"]
            self._tokens[username] = (time.monotonic(), token)
        return token


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
    registered = await gql.service(PLATFORM, "intake", "GET", "/v1/municipalities")
    taken = {m["number"] for m in registered.json()["items"]}
    numbers: list[str] = []
    while len(numbers) < count:
        number = f"{random.randint(1000, 9999)}"
        if number in taken or number in numbers:
            continue
        response = await gql.service(
            PLATFORM,
            "intake",
            "PUT",
            f"/v1/municipalities/{number}",
            json={"number": number, "name": f"Fuzz {run} {number}"},
        )
        assert response.status_code == 200, response.text
        numbers.append(number)
    return numbers
