"""Health that tells the truth: alive, ready (the database answers), and the status of events."""

from __future__ import annotations

import asyncio
import contextlib
import signal
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI
from opentelemetry.sdk.metrics import MeterProvider
from opentelemetry.sdk.metrics.export import InMemoryMetricReader, NumberDataPoint
from sqlalchemy import text

from cli.stack import InProcessStack, bus_permissions, service_app
from gateway.app import create_app as create_gateway
from havn.db import create_engine, migrate, scoped_transaction
from havn.embedded import EmbeddedNats, EmbeddedPostgres, free_port
from havn.status import StatusMonitor, register_status_gauges
from services.care.app import SPEC
from tests.client import GraphQLClient

pytestmark = pytest.mark.usefixtures("stack")

CARE_CONSUMERS = {subscription.durable for subscription in SPEC.subscriptions}


async def _get(url: str) -> httpx.Response:
    async with httpx.AsyncClient(timeout=30) as http:
        return await http.get(url)


# --- the in-process stack -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/livez", "/healthz"])
async def test_every_service_and_the_gateway_say_they_are_alive(
    stack: InProcessStack, path: str
) -> None:
    ports = [stack.settings.gateway_port, stack.settings.care_port, stack.settings.intake_port]
    for port in ports:
        response = await _get(f"http://127.0.0.1:{port}{path}")
        assert (response.status_code, response.json()) == (200, {"status": "ok"})


async def test_a_service_is_ready_when_its_database_answers(stack: InProcessStack) -> None:
    response = await _get(f"http://127.0.0.1:{stack.settings.care_port}/readyz")
    assert (response.status_code, response.json()) == (200, {"status": "ok", "database": "ok"})


async def test_only_a_platform_admin_sees_a_services_status(gql: GraphQLClient) -> None:
    for user in ("bergen-caseworker", "bergen-admin", "imdi-analyst"):
        refused = await gql.service(user, "care", "GET", "/v1/status")
        assert (refused.status_code, refused.json()["code"]) == (403, "FORBIDDEN")
    response = await gql.service("platform-admin", "care", "GET", "/v1/status")
    assert response.status_code == 200
    status = response.json()
    assert (status["service"], status["database"], status["nats"]) == ("care", "ok", "ok")
    assert {c["name"] for c in status["consumers"]} == CARE_CONSUMERS
    assert all(isinstance(c["pending"], int) for c in status["consumers"])
    assert isinstance(status["dead_letters"], int)


async def test_the_status_is_exported_as_gauges(stack: InProcessStack) -> None:
    monitor: StatusMonitor = stack.apps["care"].state.status
    reader = InMemoryMetricReader()
    register_status_gauges(
        MeterProvider(metric_readers=[reader]).get_meter("test"), lambda: [monitor]
    )
    await monitor.collect()
    data = reader.get_metrics_data()
    assert data is not None
    points = {
        (metric.name, point.attributes.get("havn.consumer")): point.value
        for resource in data.resource_metrics
        for scope in resource.scope_metrics
        for metric in scope.metrics
        for point in metric.data.data_points
        if isinstance(point, NumberDataPoint)
        and point.attributes is not None
        and point.attributes["havn.service"] == "care"
    }
    assert points[("havn.nats.reachable", None)] == 1
    assert {name for name, _ in points} == {
        "havn.nats.reachable",
        "havn.outbox.unsent",
        "havn.outbox.lag",
        "havn.consumer.pending",
        "havn.consumer.ack_pending",
        "havn.dead_letters.parked",
    }
    pending = {consumer for name, consumer in points if name == "havn.consumer.pending"}
    assert pending == CARE_CONSUMERS


# --- a care service of its own, whose NATS and database the tests can take away -------------


@dataclass
class LoneService:
    app: FastAPI
    url: str
    nats: EmbeddedNats
    database: str
    superuser_url: str


@pytest.fixture(scope="module")
async def lone_care(
    stack: InProcessStack,
    postgres_server: EmbeddedPostgres,
    tmp_path_factory: pytest.TempPathFactory,
) -> AsyncIterator[LoneService]:
    """Care on a database and a NATS of its own; it trusts the stack's identity provider."""
    urls = await postgres_server.provision("havn_health")
    await migrate(urls.owner)
    nats = EmbeddedNats(
        tmp_path_factory.mktemp("lone") / "jetstream",
        sync_always=False,
        permissions=bus_permissions(),
    ).start()
    port = free_port()
    settings = stack.settings.model_copy(
        update={
            "database_url": urls.app,
            "database_system_url": urls.system,
            "database_statistics_url": urls.statistics,
            "nats_url": nats.url,
            "nats_credentials_dir": nats.credentials_dir,
            "care_port": port,
        }
    )
    app = service_app("care", settings)
    async with _serving(app, port):
        yield LoneService(
            app, f"http://127.0.0.1:{port}", nats, "havn_health", postgres_server.superuser_url
        )
    nats.stop()


@contextlib.asynccontextmanager
async def _serving(app: FastAPI, port: int) -> AsyncIterator[None]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 (uvicorn offers no event to wait for)
        await asyncio.sleep(0.01)
    try:
        yield
    finally:
        server.should_exit = True
        await task


async def test_the_gateway_stays_ready_with_a_service_down_and_says_which(
    stack: InProcessStack,
) -> None:
    port = free_port()
    settings = stack.settings.model_copy(
        update={"gateway_port": port, "intake_url": f"http://127.0.0.1:{free_port()}"}
    )
    async with _serving(create_gateway(settings), port):
        response = await _get(f"http://127.0.0.1:{port}/readyz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "intake": "unreachable",
        "care": "ok",
        "community": "ok",
        "transition": "ok",
    }


async def _status(gql: GraphQLClient, service: LoneService) -> dict[str, Any]:
    token = await gql.token("platform-admin")
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.get(
            f"{service.url}/v1/status", headers={"Authorization": f"Bearer {token}"}
        )
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def test_a_frozen_nats_is_reported_unreachable_and_readiness_stays(
    lone_care: LoneService, gql: GraphQLClient
) -> None:
    assert (await _status(gql, lone_care))["nats"] == "ok"
    process = lone_care.nats.process
    assert process is not None
    process.send_signal(signal.SIGSTOP)  # its connections stay open; it just stops answering
    try:
        status = await _status(gql, lone_care)
        ready = await _get(f"{lone_care.url}/readyz")
    finally:
        process.send_signal(signal.SIGCONT)
    assert status["nats"] == "unreachable"
    assert all(c["pending"] is None for c in status["consumers"])
    assert ready.status_code == 200


async def test_with_nats_stopped_a_service_stays_ready_and_reports_its_outbox_lag(
    lone_care: LoneService, gql: GraphQLClient
) -> None:
    lone_care.nats.stop()
    try:
        async with scoped_transaction(lone_care.app.state.sessionmaker, tenant="4601") as session:
            await session.execute(
                text(
                    "insert into care.outbox (id, tenant_id, subject, event_type, version,"
                    " payload, headers, created_at) values (:id, '4601', 'havn.test.health',"
                    " 'test.health', 1, '{}', '{}', clock_timestamp() - interval '1 minute')"
                ),
                {"id": uuid.uuid4()},
            )
        ready = await _get(f"{lone_care.url}/readyz")
        status = await _status(gql, lone_care)
    finally:
        lone_care.nats.start()
    assert (ready.status_code, ready.json()) == (200, {"status": "ok", "database": "ok"})
    assert status["nats"] == "unreachable"
    assert status["outbox_unsent"] == 1
    assert status["outbox_lag_seconds"] >= 60


async def test_a_service_whose_database_does_not_answer_is_not_ready(
    lone_care: LoneService,
) -> None:
    superuser = create_engine(lone_care.superuser_url, pool_size=1)
    closed = "alter database havn_health allow_connections {}"
    try:
        async with superuser.connect() as conn:
            await conn.execute(text(closed.format("false")))
            await conn.execute(
                text(
                    "select pg_terminate_backend(pid) from pg_stat_activity"
                    " where datname = 'havn_health'"
                )
            )
            await conn.commit()
        response = await _get(f"{lone_care.url}/readyz")
    finally:
        async with superuser.connect() as conn:
            await conn.execute(text(closed.format("true")))
            await conn.commit()
        await superuser.dispose()
    assert (response.status_code, response.json()) == (
        503,
        {"status": "unavailable", "database": "unreachable"},
    )


async def test_a_database_refusing_connections_is_a_503_from_the_service_and_unavailable_in_graphql(
    lone_care: LoneService, stack: InProcessStack, gql: GraphQLClient
) -> None:
    port = free_port()
    gateway = create_gateway(
        stack.settings.model_copy(update={"gateway_port": port, "care_url": lone_care.url})
    )
    headers = {"Authorization": f"Bearer {await gql.token('bergen-caseworker')}"}
    superuser = create_engine(lone_care.superuser_url, pool_size=1)
    limit = "alter database havn_health connection limit {}"
    try:
        async with superuser.connect() as conn:
            await conn.execute(text(limit.format(0)))  # "too many connections", at once
            await conn.execute(
                text(
                    "select pg_terminate_backend(pid) from pg_stat_activity"
                    " where datname = 'havn_health'"
                )
            )
            await conn.commit()
        async with httpx.AsyncClient(timeout=30, headers=headers) as http:
            direct = await http.get(f"{lone_care.url}/v1/assessment-schedule")
            async with _serving(gateway, port):
                graphql = await http.post(
                    f"http://127.0.0.1:{port}/graphql",
                    json={"query": "{ assessmentSchedule { intervalMonths } }"},
                )
    finally:
        async with superuser.connect() as conn:
            await conn.execute(text(limit.format(-1)))
            await conn.commit()
        await superuser.dispose()

    assert (direct.status_code, direct.json()["code"]) == (503, "UNAVAILABLE")
    assert int(direct.headers["retry-after"]) > 0
    assert [error["extensions"]["code"] for error in graphql.json()["errors"]] == ["UNAVAILABLE"]
