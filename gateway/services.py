"""Calls from the gateway to the services: the caller's token forwarded, errors kept typed."""

from __future__ import annotations

from typing import Any

import httpx

from havn.auth import Principal
from havn.config import SERVICES, Settings
from havn.errors import HavnError, error_from_code


class ServiceUnavailable(HavnError):
    """A service did not answer; the caller sees INTERNAL with a message it can act on."""


class ServiceClient:
    """One pooled HTTP client for all services."""

    def __init__(self, http: httpx.AsyncClient, settings: Settings) -> None:
        self.http = http
        self.base_urls = {service: settings.service_url(service) for service in SERVICES}
        # Calls made so far: tests and benchmarks check a query's cost does not grow with lists.
        self.calls = 0

    async def call(
        self,
        principal: Principal,
        service: str,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
    ) -> Any:
        """Calls one service route as the principal; a service error is re-raised typed."""
        headers = {"Authorization": f"Bearer {principal.token}"}
        if principal.tenant is not None:
            headers["X-Havn-Tenant"] = principal.tenant
        query = {k: v for k, v in (params or {}).items() if v is not None}
        self.calls += 1
        try:
            response = await self.http.request(
                method, self.base_urls[service] + path, json=json, params=query, headers=headers
            )
        except httpx.HTTPError as error:
            raise ServiceUnavailable(f"the {service} service is unavailable; try again") from error
        if response.status_code >= 400:
            try:
                body = response.json()
            except ValueError:
                body = {}
            raise error_from_code(
                str(body.get("code", "INTERNAL")),
                str(body.get("message", f"the {service} service failed")),
                body.get("field"),
            )
        return response.json()
