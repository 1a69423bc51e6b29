"""The isolation fuzz's world: the stack, the run's municipalities, callers and event loop."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cli.stack import InProcessStack
from tests.client import Caller, TestRealm
from tests.security.isolation_ledger import Ledger

T = TypeVar("T")


@dataclass
class World:
    loop: asyncio.AbstractEventLoop
    stack: InProcessStack
    realm: TestRealm
    http: httpx.AsyncClient
    sessionmaker: async_sessionmaker[AsyncSession]
    tenants: tuple[str, str]
    foreign: str  # a demo municipality: none of the run's records belong there
    callers: list[Caller]
    offers: dict[str, list[tuple[str, str]]]  # tenant -> (offer id, partner org)
    run: str
    ledger: Ledger = field(default_factory=Ledger)

    def run_sync(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coroutine)

    def user(self, tenant: str, kind: str) -> str:
        return f"fz{self.run}-{tenant}-{kind}"

    def headers(self, caller: Caller | str, tenant: str | None = None) -> dict[str, str]:
        username = caller if isinstance(caller, str) else caller.username
        headers = {"Authorization": f"Bearer {self.realm.token(username)}"}
        if tenant:
            headers["X-Havn-Tenant"] = tenant
        return headers

    async def graphql(
        self, caller: Caller | str, query: str, variables: dict[str, Any], tenant: str | None = None
    ) -> httpx.Response:
        return await self.http.post(
            f"{self.stack.gateway_url}/graphql",
            headers=self.headers(caller, tenant),
            json={"query": query, "variables": variables},
        )

    async def data(self, caller: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
        body = (await self.graphql(caller, query, variables)).json()
        assert not body.get("errors"), body["errors"]
        result: dict[str, Any] = body["data"]
        return result

    async def service(
        self,
        caller: Caller | str,
        service: str,
        method: str,
        path: str,
        tenant: str | None = None,
        **kwargs: Any,
    ) -> httpx.Response:
        port = getattr(self.stack.settings, f"{service}_port")
        return await self.http.request(
            method,
            f"http://127.0.0.1:{port}{path}",
            headers=self.headers(caller, tenant),
            **kwargs,
        )
