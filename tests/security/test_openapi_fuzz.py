"""No route of any service answers a server error, whatever a caller of any role sends it.

Schemathesis draws requests from each service's own OpenAPI description (taken from the app
object: the services serve it only in dev), valid ones and invalid ones, and sends them with
the token of a user of every role: the run's own municipality's staff, its partner, the
directorate and the platform admin. Every answer must be below 500: a bad request is the
caller's mistake (4xx), never the server's.

`HAVN_FUZZ_OPENAPI_EXAMPLES` sets the requests per service (`make fuzz` sends many more).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import Coroutine
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.core.result import Ok

from cli.seed import DEMO_MUNICIPALITIES
from cli.stack import InProcessStack
from havn.config import SERVICES
from tests.client import Caller, GraphQLClient, TestRealm
from tests.factories import ACCEPT_REFERRAL, REGISTER_ARRIVAL, create_referral
from tests.security.fresh_realm import (
    PLATFORM,
    register_fresh_municipalities,
    run_callers,
)

T = TypeVar("T")

EXAMPLES = int(os.environ.get("HAVN_FUZZ_OPENAPI_EXAMPLES", "100"))
# Onboarding a municipality (or renaming one: it is a PUT) would change other tests' tenants.
ACCEPTED = {"careArrangement": "GROUP_HOME"}
LEFT_OUT = {(PLATFORM, "PUT", "/v1/municipalities/{number}")}


@dataclass
class Target:
    loop: asyncio.AbstractEventLoop
    stack: InProcessStack
    realm: TestRealm
    callers: list[Caller]
    tenant: str
    # A real child and referral of the run's municipality, so that drawn requests reach past
    # "not found" to the code behind it.
    known: dict[str, str]

    def run_sync(self, coroutine: Coroutine[Any, Any, T]) -> T:
        return self.loop.run_until_complete(coroutine)


@pytest.fixture(scope="module")
async def target(stack: InProcessStack, gql: GraphQLClient) -> Target:
    run = uuid.uuid4().hex[:6]
    (tenant,) = await register_fresh_municipalities(gql, run, 1)
    callers = run_callers(run, (tenant,), {f"fz{run}-partner": (tenant,)})
    gql.realm.add(callers)
    realm = gql.realm
    child = await settle_child_in(gql, realm, tenant, run, stack.clock.today())
    return Target(
        loop=asyncio.get_running_loop(),
        stack=stack,
        realm=realm,
        callers=callers,
        tenant=tenant,
        known=child,
    )


async def settle_child_in(
    gql: GraphQLClient, realm: TestRealm, tenant: str, run: str, today: date
) -> dict[str, str]:
    """A child settled in the run's municipality, by the allocator and its coordinator."""
    coordinator = realm.token(f"fz{run}-{tenant}-coordinator")
    referral = (await create_referral(gql, today, municipality=tenant))["id"]
    for query, variables in (
        (ACCEPT_REFERRAL, {"id": referral, "input": ACCEPTED | {"plannedArrival": str(today)}}),
        (REGISTER_ARRIVAL, {"id": referral, "on": str(today)}),
    ):
        body = await gql.raw(None, query, variables, token=coordinator)
        assert not body.get("errors"), body
    return {"child_id": body["data"]["registerArrival"]["id"], "referral_id": referral}


async def send(target: Target, service: str, case: Case, caller: Caller) -> httpx.Response:
    """Sends a drawn request to the service as `caller`; a body naming a demo municipality is
    sent to the run's own instead, so that no write lands in another test's tenant."""
    port = getattr(target.stack.settings, f"{service}_port")
    kwargs = case.as_transport_kwargs(
        base_url=f"http://127.0.0.1:{port}",
        headers={"Authorization": f"Bearer {target.realm.token(caller.username)}"},
    )
    body = kwargs.get("json")
    if isinstance(body, dict) and body.get("municipality") in DEMO_MUNICIPALITIES:
        body["municipality"] = target.tenant
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.request(
            kwargs["method"],
            kwargs["url"],
            headers={key: str(value) for key, value in kwargs["headers"].items()},
            params=kwargs.get("params"),
            json=body,
            content=kwargs.get("data"),
        )


@pytest.mark.parametrize("service", SERVICES)
def test_no_route_answers_a_server_error_to_any_role(service: str, target: Target) -> None:
    # given every operation the service describes, and a user of every role
    schema = schemathesis.openapi.from_dict(target.stack.apps[service].openapi())
    operations = [result.ok() for result in schema.get_all_operations() if isinstance(result, Ok)]
    assert operations

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=st.data())
    def any_request(data: st.DataObject) -> None:
        operation = data.draw(st.sampled_from(operations), label="operation")
        caller = data.draw(st.sampled_from(target.callers), label="caller")
        if (caller.username, operation.method.upper(), operation.path) in LEFT_OUT:
            return
        mode = data.draw(st.sampled_from(list(GenerationMode)), label="mode")
        known = {
            name: value
            for name, value in target.known.items()
            if f"{{{name}}}" in operation.path and data.draw(st.booleans(), label=name)
        }
        case = data.draw(operation.as_strategy(mode, path_parameters=known or None))

        # when a user of any role sends it
        response = target.run_sync(send(target, service, case, caller))

        # then the answer is never a server error
        assert response.status_code < 500, (caller.username, case.as_curl_command(), response.text)
        sent.append(response.status_code)

    sent: list[int] = []
    any_request()
    print(f"\nopenapi fuzz: {service}: {len(sent)} requests, 0 server errors")
