"""Calls from the gateway to the services: the caller's token forwarded, errors kept typed."""

from __future__ import annotations

import copy
import hashlib
import itertools
import re
from collections import Counter
from collections.abc import Mapping
from typing import Any

import aiohttp
from strawberry.utils.str_converters import to_camel_case

from havn.auth import Principal
from havn.config import SERVICES, Settings
from havn.errors import InvalidInput, Unavailable, error_from_code
from havn.idempotency import IDEMPOTENCY_KEY_HEADER, parse_idempotency_key
from havn.pagination import MAX_CURSOR_LENGTH
from havn.telemetry import inject_headers


class ServiceUnavailable(Unavailable):
    """A service did not answer: the caller sees UNAVAILABLE, and may retry."""


# A proxy's or a load balancer's answer for a service it cannot reach carries no code of ours.
_UNAVAILABLE_STATUSES = frozenset({502, 503, 504})


class ServiceClient:
    """One pooled HTTP client for all services.

    aiohttp rather than httpx here: a service call is the gateway's most frequent act, and
    aiohttp's client costs well under half of httpx's CPU per call (measured 0.46 against
    1.19 ms a round trip, server included), several calls per GraphQL query.
    """

    def __init__(self, http: aiohttp.ClientSession, settings: Settings) -> None:
        self.http = http
        # Each service's replicas (README, More than one of each): calls take turns.
        self.base_urls = {service: settings.service_urls(service) for service in SERVICES}
        self._turns = {service: itertools.count() for service in SERVICES}
        # Calls made so far: tests and benchmarks check a query's cost does not grow with lists.
        self._count = CallCount()
        self.call_keys: CallKeys | None = None

    @property
    def calls(self) -> int:
        return self._count.value

    def keyed(self, idempotency_key: str) -> ServiceClient:
        """This client for one GraphQL request that carries an `Idempotency-Key`."""
        client = copy.copy(self)
        client.call_keys = CallKeys(idempotency_key)
        return client

    async def call(
        self,
        principal: Principal,
        service: str,
        method: str,
        path: str,
        *,
        json: Any = None,
        params: dict[str, Any] | None = None,
        renamed: Mapping[str, str] | None = None,
    ) -> Any:
        """Calls one service route as the principal; a service error is re-raised typed, the
        field at fault named as GraphQL names it. `renamed` maps each body key or query
        parameter sent for a GraphQL argument of another name to that argument's path
        (`{"interval_months": "months"}`)."""
        # The trace goes on with the service (W3C `traceparent`), as it does over NATS.
        headers = {"Authorization": f"Bearer {principal.token}", **inject_headers()}
        if principal.tenant is not None:
            headers["X-Havn-Tenant"] = principal.tenant
        if self.call_keys is not None and method != "GET":
            headers[IDEMPOTENCY_KEY_HEADER] = self.call_keys.next(service, method, path)
        self._count.value += 1
        urls = self.base_urls[service]
        turn = next(self._turns[service])
        for attempt in range(len(urls)):
            url = urls[(turn + attempt) % len(urls)] + path
            try:
                async with self.http.request(
                    method, url, json=json, params=query_of(params or {}, renamed), headers=headers
                ) as response:
                    if response.status < 400:
                        return await response.json()
                    try:
                        body = await response.json(content_type=None)
                    except ValueError:
                        body = None
                break
            except aiohttp.ClientConnectorError as error:
                # Refused before anything was sent (a replica down): another replica may answer.
                if attempt + 1 < len(urls):
                    continue
                raise ServiceUnavailable(
                    f"the {service} service is unavailable; try again"
                ) from error
            except (TimeoutError, aiohttp.ClientError) as error:
                raise ServiceUnavailable(
                    f"the {service} service is unavailable; try again"
                ) from error
        body = body if isinstance(body, dict) else {}
        unknown = "UNAVAILABLE" if response.status in _UNAVAILABLE_STATUSES else "INTERNAL"
        field = body.get("field")
        message = str(body.get("message", f"the {service} service failed"))
        if isinstance(field, str):
            field, message = graphql_terms(field, message, renamed)
        raise error_from_code(str(body.get("code", unknown)), message, field)


def graphql_field(path: str, renamed: Mapping[str, str] | None = None) -> str:
    """A service's field path, in its REST schema's names (`goals[0].review_on`), as the
    GraphQL input names it (`goals[0].reviewOn`): strawberry's own name converter, so the two
    cannot differ. A path whose first name the call sent for an argument of another name
    (`renamed`) starts with that argument's path instead."""
    first = _FIRST_NAME.match(path)
    head = first.group() if first else ""
    if renamed and head in renamed:
        return renamed[head] + to_camel_case(path[len(head) :])
    return to_camel_case(path)


def graphql_terms(field: str, message: str, renamed: Mapping[str, str] | None) -> tuple[str, str]:
    """A service error's field, and its message where that opens with the field's path
    (`goals[0].review_on: ...`), in GraphQL's names."""
    named = graphql_field(field, renamed)
    after = message.removeprefix(field)
    if after != message and _OPENS_WITH.match(after):
        message = named + after
    return named, message


_FIRST_NAME = re.compile(r"[^.\[]+")
_OPENS_WITH = re.compile(r"$|\W")  # the whole path, not a name it begins


# A URL carries nothing user-sized: a search name, a cursor or a filter is short, and a
# longer one would outgrow what a server reads of a request line.
MAX_QUERY_VALUE = MAX_CURSOR_LENGTH


class CallCount:
    """A count shared by the client and its per-request keyed copies."""

    def __init__(self) -> None:
        self.value = 0


class CallKeys:
    """The key of each service call of one GraphQL request, derived from the client's key.

    One mutation may call several services, or one route twice: each call gets its own key,
    the same on every retry of the request, because a retry makes the same calls in the same
    order (each service answers the stored result, so the resolvers take the same path).
    """

    def __init__(self, header: str) -> None:
        self.header = header
        self.made: Counter[tuple[str, str, str]] = Counter()

    def next(self, service: str, method: str, path: str) -> str:
        """The key of the next call to this route; refuses a malformed client key."""
        client_key = parse_idempotency_key(self.header)
        ordinal = self.made[service, method, path]
        self.made[service, method, path] += 1
        return call_key(client_key, service, method, path, ordinal)


def call_key(client_key: str, service: str, method: str, path: str, ordinal: int) -> str:
    """The key the gateway sends with the `ordinal`-th call of a request to one route."""
    parts = (client_key, service, method, path, str(ordinal))
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def query_of(
    params: dict[str, Any], renamed: Mapping[str, str] | None = None
) -> list[tuple[str, str]]:
    """A query string's pairs: None left out, a list repeated, booleans as `true`/`false`."""
    pairs = []
    for key, value in params.items():
        for item in value if isinstance(value, list | tuple) else [value]:
            if item is not None:
                text = str(item).lower() if isinstance(item, bool) else str(item)
                if len(text) > MAX_QUERY_VALUE:
                    field = graphql_field(key, renamed)
                    raise InvalidInput(
                        f"{field} must be at most {MAX_QUERY_VALUE} characters", field=field
                    )
                pairs.append((key, text))
    return pairs
