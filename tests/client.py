"""A test client that speaks to the running stack as a real client would: tokens and HTTP."""

from __future__ import annotations

import time
from typing import Any

import httpx

from cli.stack import InProcessStack

DEV_PASSWORD = "dev"
# A cached token is fetched anew once less than this is left of its life (the suite runs
# longer than a token lives).
TOKEN_MARGIN_SECONDS = 60


class GraphQLError(AssertionError):
    pass


class GraphQLClient:
    """Gets real tokens from the identity provider and posts GraphQL to the gateway."""

    def __init__(self, stack: InProcessStack) -> None:
        self.stack = stack
        self._tokens: dict[str, tuple[str, float]] = {}

    async def token(self, username: str) -> str:
        cached = self._tokens.get(username)
        if cached is None or cached[1] - time.monotonic() < TOKEN_MARGIN_SECONDS:
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
            answer = response.json()
            expires_at = time.monotonic() + answer["expires_in"]
            self._tokens[username] = cached = (answer["access_token"], expires_at)
        return cached[0]

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
