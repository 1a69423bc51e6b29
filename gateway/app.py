"""The GraphQL gateway: one public schema over the four services."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import aiohttp
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from gateway.context import build_context
from gateway.endpoint import GraphQLEndpoint
from gateway.graphiql import graphiql_router
from gateway.schema import build_schema
from gateway.services import ServiceClient
from havn.auth.tokens import verifier_from
from havn.config import SERVICES, Settings, get_settings
from havn.http import api_docs, secure
from havn.http_client import client_session
from havn.runtime import settle_heap
from havn.telemetry import instrument_app, setup_logging, setup_telemetry

READINESS_TIMEOUT = aiohttp.ClientTimeout(total=2.5)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    dev = settings.env == "dev"

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        async with client_session(timeout=10.0, limit=200, limit_per_host=100) as http:
            app.state.services = ServiceClient(http, settings)
            app.state.verifier = verifier = verifier_from(settings)
            settle_heap()
            try:
                yield
            finally:
                await verifier.aclose()

    app = FastAPI(title="havn-gateway", lifespan=lifespan, **api_docs(dev=dev))
    secure(app, dev=dev)
    graphql = GraphQLEndpoint(
        build_schema(introspection=dev),
        context_getter=build_context,
        graphql_ide=None,  # dev serves its own GraphiQL, below
        allow_queries_via_get=False,
    )
    if dev:
        app.include_router(graphiql_router())  # before GET /graphql of strawberry's router
    app.include_router(graphql, prefix="/graphql")

    @app.get("/livez", include_in_schema=False)
    @app.get("/healthz", include_in_schema=False)  # the older name, kept for API.md
    async def livez() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz(request: Request) -> JSONResponse:
        """Ready once started; each service's readiness is reported, not required.

        A service that is down fails only the fields it serves; taking every gateway out of
        rotation for it would fail all the other requests too.
        """
        services: ServiceClient = request.app.state.services

        async def probe(service: str) -> str:
            """ "ok" if any replica of the service is ready: the gateway takes turns among them."""
            answers = []
            for url in services.base_urls[service]:
                try:
                    async with services.http.get(
                        url + "/readyz", timeout=READINESS_TIMEOUT
                    ) as response:
                        answers.append("ok" if response.status == 200 else "unavailable")
                except (TimeoutError, aiohttp.ClientError):
                    answers.append("unreachable")
            return "ok" if "ok" in answers else answers[0]

        results = await asyncio.gather(*(probe(s) for s in SERVICES))
        checks = dict(zip(SERVICES, results, strict=True))
        every = all(v == "ok" for v in checks.values())
        return JSONResponse({"status": "ok" if every else "degraded", **checks}, 200)

    setup_logging(settings.log_level)
    setup_telemetry("havn-gateway", otlp_endpoint=settings.otlp_endpoint)
    instrument_app(app)
    return app
