"""A test client that speaks to the running stack as a real client would: tokens and HTTP."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

import httpx

from havn.auth.idp import Realm, load_or_create_signing_key
from havn.auth.idp.bruteforce import BruteForceProtector
from havn.auth.idp.sessions import SessionStore
from havn.auth.idp.tokens import DevIdentityProvider
from havn.clock import Clock
from havn.config import Settings

DEV_PASSWORD = "dev"
# A cached token is fetched anew once less than this is left of its life (the suite runs
# longer than a token lives).
TOKEN_MARGIN_SECONDS = 60


class Reachable(Protocol):
    """Where a running stack listens: the in-process test stack, or `make run`'s (bench.attack)."""

    @property
    def gateway_url(self) -> str: ...

    @property
    def token_url(self) -> str: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def clock(self) -> Clock: ...


class GraphQLError(AssertionError):
    pass


@dataclass(frozen=True)
class Caller:
    """A user a test makes for itself: who, in which role, for which municipalities."""

    username: str
    role: str
    tenants: tuple[str, ...] = ()
    org: str | None = None
    also: tuple[str, ...] = ()  # roles held beside `role`


class TestRealm:
    """The dev realm plus the users tests make, issuing tokens with the stack's own key.

    The stack's identity provider knows only the realm file's users; this provider has the
    same issuer, key and client, and the tests' users beside them, so the services verify its
    tokens exactly as they verify the stack's. An in-process stack's provider can be given the
    same users (`admit_to`), so that they sign in through its real login page.
    """

    __test__ = False  # not a test class, whatever its name says to pytest

    def __init__(self, settings: Settings, clock: Clock) -> None:
        self._settings, self._clock = settings, clock
        self._realm: dict[str, Any] = json.loads(settings.realm_file.read_text())
        self._dev_users = {user["username"] for user in self._realm["users"]}
        self._tokens: dict[str, tuple[float, str]] = {}
        self._admitting: list[DevIdentityProvider] = []
        self._provider = self._load()

    def __contains__(self, username: str) -> bool:
        return username not in self._dev_users and username in self._provider.realm.users

    def add(self, callers: Iterable[Caller]) -> None:
        """Adds users (the dev realm's own are left as they are)."""
        for caller in callers:
            if caller.username in self._dev_users:
                continue
            group = f"test-{caller.username}"
            attributes: dict[str, list[str]] = {"tenants": list(caller.tenants)}
            if caller.org:
                attributes["org"] = [caller.org]
            self._realm["groups"].append(
                {"name": group, "path": f"/{group}", "attributes": attributes}
            )
            self._realm["users"].append(
                {
                    "id": str(uuid.uuid5(uuid.NAMESPACE_URL, caller.username)),
                    "username": caller.username,
                    "enabled": True,
                    "firstName": "Test",
                    "lastName": caller.role,
                    "credentials": [{"type": "password", "value": DEV_PASSWORD}],
                    "realmRoles": [caller.role, *caller.also],
                    "groups": [f"/{group}"],
                }
            )
        self._provider = self._load()

    def admit_to(self, provider: DevIdentityProvider) -> None:
        """Lets another provider of the same realm file sign the tests' users in, those made
        so far and those made later (the in-process stack's, for its login page)."""
        self._admitting.append(provider)
        provider.realm = self._provider.realm

    def issue(self, username: str) -> dict[str, Any]:
        """The identity provider's answer to a password grant for the user."""
        form = {
            "grant_type": "password",
            "client_id": "havn-cli",
            "username": username,
            "password": DEV_PASSWORD,
        }
        return self._provider.token(form, None)

    def token(self, username: str) -> str:
        """A user's access token, reissued well before it expires (a fuzz run outlives many)."""
        issued, token = self._tokens.get(username, (0.0, ""))
        if time.monotonic() - issued > self._provider.realm.access_token_lifespan / 2:
            token = self.issue(username)["access_token"]
            self._tokens[username] = (time.monotonic(), token)
        return token

    def _load(self) -> DevIdentityProvider:
        path = self._settings.data_dir / "test-realm.json"
        path.write_text(json.dumps(self._realm))
        loaded = Realm.load(path)
        for provider in self._admitting:
            provider.realm = loaded
        return DevIdentityProvider(
            realm=loaded,
            key=load_or_create_signing_key(self._settings.data_dir / "keys"),
            issuer=self._settings.issuer,
            sessions=SessionStore(loaded, self._clock),
            brute_force=BruteForceProtector(None, self._clock),
        )


class GraphQLClient:
    """Gets real tokens from the identity provider and posts GraphQL to the gateway."""

    def __init__(self, stack: Reachable) -> None:
        self.stack = stack
        self._realm: TestRealm | None = None
        self._tokens: dict[str, tuple[str, float]] = {}

    @property
    def realm(self) -> TestRealm:
        """Users tests make for themselves (fresh municipalities' staff) beside the dev
        realm's; made on first use, so an attack on `make run` writes nothing to its data."""
        if self._realm is None:
            self._realm = TestRealm(self.stack.settings, self.stack.clock)
        return self._realm

    async def token(self, username: str) -> str:
        cached = self._tokens.get(username)
        if cached is None or cached[1] - time.monotonic() < TOKEN_MARGIN_SECONDS:
            answer = (
                self._realm.issue(username)
                if self._realm is not None and username in self._realm
                else await self._dev_realm_token(username)
            )
            expires_at = time.monotonic() + answer["expires_in"]
            self._tokens[username] = cached = (answer["access_token"], expires_at)
        return cached[0]

    async def _dev_realm_token(self, username: str) -> dict[str, Any]:
        """A dev user's token, from the stack's identity provider over HTTP."""
        async with httpx.AsyncClient() as http:
            response = await http.post(
                self.stack.token_url,
                data={
                    "grant_type": "password",
                    "client_id": "havn-cli",
                    "username": username,
                    "password": DEV_PASSWORD,
                },
            )
        response.raise_for_status()
        answer: dict[str, Any] = response.json()
        return answer

    async def raw(
        self,
        username: str | None,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        tenant: str | None = None,
        token: str | None = None,
    ) -> dict[str, Any]:
        """The whole GraphQL response: `data` and `errors`."""
        headers = {}
        bearer = token or (await self.token(username) if username else None)
        if bearer:
            headers["Authorization"] = f"Bearer {bearer}"
        if tenant:
            headers["X-Havn-Tenant"] = tenant
        async with httpx.AsyncClient(timeout=30) as http:
            response = await http.post(
                f"{self.stack.gateway_url}/graphql",
                headers=headers,
                json={"query": query, "variables": variables or {}},
            )
        body: dict[str, Any] = response.json()
        return body

    async def __call__(
        self,
        username: str,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        tenant: str | None = None,
    ) -> dict[str, Any]:
        """The `data` of a query that must succeed."""
        body = await self.raw(username, query, variables, tenant=tenant)
        if body.get("errors"):
            raise GraphQLError(body["errors"])
        data: dict[str, Any] = body["data"]
        return data

    async def error_codes(
        self,
        username: str | None,
        query: str,
        variables: dict[str, Any] | None = None,
        *,
        tenant: str | None = None,
    ) -> list[str]:
        body = await self.raw(username, query, variables, tenant=tenant)
        return [error["extensions"]["code"] for error in body.get("errors", [])]

    async def service(
        self, username: str, service: str, method: str, path: str, **kwargs: Any
    ) -> httpx.Response:
        """Calls a service route directly with a user's token (as the gateway does)."""
        port = getattr(self.stack.settings, f"{service}_port")
        headers = {"Authorization": f"Bearer {await self.token(username)}"}
        headers.update(kwargs.pop("headers", {}))
        async with httpx.AsyncClient(timeout=30) as http:
            response = await http.request(
                method, f"http://127.0.0.1:{port}{path}", headers=headers, **kwargs
            )
        return response
