"""FastAPI plumbing shared by the services: errors on the wire, security headers, the unit of
work, health."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator, Sequence
from contextvars import ContextVar
from typing import Annotated, Generic, TypedDict, TypeVar

import asyncpg
import sqlalchemy.exc
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from havn.auth import Role
from havn.auth.dependencies import CurrentPrincipal
from havn.clock import Clock
from havn.db import scoped_transaction
from havn.errors import HavnError, InvalidInput, Unavailable
from havn.failure_log import FailureLog
from havn.pagination import MAX_PAGE_SIZE

logger = logging.getLogger("havn")
T = TypeVar("T")


def error_body(code: str, message: str, field: str | None = None) -> dict[str, str | None]:
    return {"code": code, "message": message, "field": field}


def install_error_handlers(app: FastAPI) -> None:
    """Maps typed errors to status codes; anything unexpected is masked as INTERNAL."""

    @app.exception_handler(HavnError)
    async def on_havn_error(_: Request, error: HavnError) -> JSONResponse:
        headers = (
            {"Retry-After": str(error.retry_after)} if isinstance(error, Unavailable) else None
        )
        return JSONResponse(
            error_body(error.code, error.message, error.field), error.status, headers=headers
        )

    @app.exception_handler(RequestValidationError)
    async def on_invalid_request(_: Request, error: RequestValidationError) -> JSONResponse:
        first = error.errors()[0]
        field = field_path(first["loc"])
        message = f"{field}: {first['msg']}" if field else str(first["msg"])
        return JSONResponse(
            error_body(InvalidInput.code, message, field or None), InvalidInput.status
        )

    @app.exception_handler(Exception)
    async def on_unexpected(request: Request, error: Exception) -> JSONResponse:
        return _internal(request)

    # Registered on the classes themselves, not left to `Exception`'s handler: that one runs
    # outside the app and re-raises, so the server would log a traceback per request.
    for database_error in _DATABASE_ERRORS:
        app.add_exception_handler(database_error, _on_database_error)


def _internal(request: Request) -> JSONResponse:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return JSONResponse(error_body("INTERNAL", "an internal error occurred"), 500)


# What a database that is down, restarting, full or too slow raises: asyncpg's own errors
# (connection exceptions, insufficient resources, operator intervention: shutdown, "cannot
# connect now", a cancelled statement), SQLAlchemy's pool timeout, and the socket's.
_UNAVAILABLE = (
    asyncpg.PostgresConnectionError,
    asyncpg.InsufficientResourcesError,
    asyncpg.OperatorInterventionError,
    sqlalchemy.exc.TimeoutError,
    OSError,  # ConnectionRefusedError, TimeoutError and the like
)
_DATABASE_ERRORS = (
    sqlalchemy.exc.DBAPIError,
    sqlalchemy.exc.TimeoutError,
    asyncpg.PostgresError,
    asyncpg.InterfaceError,
    OSError,
)
_outages = FailureLog(logger)


def database_unavailable(error: BaseException) -> bool:
    """Whether `error` says the database cannot serve now (a retry may work), not a bug."""
    if isinstance(error, sqlalchemy.exc.DBAPIError) and error.connection_invalidated:
        return True
    seen: BaseException | None = error
    # SQLAlchemy wraps the driver's error (`orig`), which carries asyncpg's as its cause.
    for _ in range(4):
        if seen is None:
            return False
        if isinstance(seen, _UNAVAILABLE):
            return True
        seen = getattr(seen, "orig", None) or seen.__cause__
    return False


async def _on_database_error(request: Request, error: Exception) -> JSONResponse:
    if not database_unavailable(error):
        return _internal(request)
    _outages.failed(f"{request.app.title}: the database is unavailable", error)
    unavailable = Unavailable("the service cannot reach its database; try again shortly")
    return JSONResponse(
        error_body(unavailable.code, unavailable.message),
        unavailable.status,
        headers={"Retry-After": str(unavailable.retry_after)},
    )


# Every response may carry personal data: no cache keeps it, no page frames it, no browser
# guesses its type, and no link tells another site where it came from.
_SECURITY_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
    "cache-control": "no-store",
}
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
# The page only dev serves at /docs loads scripts and styles from their CDNs and runs
# an inline script.
_DEV_PAGE_SOURCES = "'self' 'unsafe-inline' https://unpkg.com https://cdn.jsdelivr.net"
DEV_PAGE_CSP = (
    f"default-src 'self'; script-src {_DEV_PAGE_SOURCES}; style-src {_DEV_PAGE_SOURCES}; "
    "img-src 'self' data: https://fastapi.tiangolo.com; font-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)


class SecurityHeaders:
    """ASGI middleware putting the security headers on every response of an app."""

    def __init__(self, app: ASGIApp, *, dev: bool) -> None:
        self.app = app
        self.dev = dev

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.update(_SECURITY_HEADERS)
                page = headers.get("content-type", "").startswith("text/html")
                # A page that brings its own policy (GraphiQL's, stricter) keeps it.
                if "content-security-policy" not in headers:
                    policy = DEV_PAGE_CSP if self.dev and page else API_CSP
                    headers["content-security-policy"] = policy
            await send(message)

        await self.app(scope, receive, send_with_headers)


def secure(app: FastAPI, *, dev: bool) -> None:
    """Puts the security headers on every response of `app` (the gateway and each service)."""
    app.add_middleware(SecurityHeaders, dev=dev)


class ApiDocs(TypedDict):
    openapi_url: str | None
    docs_url: str | None
    redoc_url: str | None


def api_docs(*, dev: bool) -> ApiDocs:
    """FastAPI's arguments for its API description: /openapi.json and /docs in dev only."""
    return ApiDocs(
        openapi_url="/openapi.json" if dev else None,
        docs_url="/docs" if dev else None,
        redoc_url=None,
    )


def field_path(loc: Sequence[int | str]) -> str:
    """A validation error's location in the service's own names: `goals[0].review_on` (the
    gateway names it as GraphQL does)."""
    path = ""
    for part in loc:
        if isinstance(part, int):
            path += f"[{part}]"
        elif part not in _LOCATIONS:
            path += ("." if path else "") + part
    return path


_LOCATIONS = frozenset({"body", "query", "path", "header"})


def clock(request: Request) -> Clock:
    """The service's clock (tests move it; production reads the real time)."""
    service_clock: Clock = request.app.state.clock
    return service_clock


Today = Annotated[Clock, Depends(clock)]


class IdsIn(BaseModel):
    """A batch route's ids, at most a page of them."""

    ids: list[uuid.UUID] = Field(max_length=MAX_PAGE_SIZE)


class ChildIdsIn(BaseModel):
    child_ids: list[uuid.UUID] = Field(max_length=MAX_PAGE_SIZE)


class ItemsOut(BaseModel, Generic[T]):
    """A batch route's answer: the items the caller may see (the others are simply absent)."""

    items: list[T]


# Set while a request's unit of work runs: the SQL a request costs can be told apart from
# the relay's and consumers' background work on the same engine (tests and benchmarks).
IN_REQUEST: ContextVar[bool] = ContextVar("havn_in_request", default=False)


async def unit_of_work(
    request: Request, principal: CurrentPrincipal
) -> AsyncIterator[AsyncSession]:
    """One transaction per request, bound to the caller's tenant; it commits before the reply."""
    allocator = principal.subject if principal.has_role(Role.DIRECTORATE_ALLOCATOR) else None
    marker = IN_REQUEST.set(True)
    try:
        async with scoped_transaction(
            request.app.state.sessionmaker, tenant=principal.tenant, allocator=allocator
        ) as session:
            yield session
    finally:
        IN_REQUEST.reset(marker)


# `scope="function"`: the transaction ends (and commits) before the response is sent,
# so a caller never reads a success that is not yet durable.
UnitOfWork = Annotated[AsyncSession, Depends(unit_of_work, scope="function")]

health_router = APIRouter()

# Longer than this and the database counts as not answering: a probe must answer in time.
READINESS_TIMEOUT_SECONDS = 2.0


@health_router.get("/livez", include_in_schema=False)
@health_router.get("/healthz", include_in_schema=False)  # the older name, kept for API.md
async def livez() -> dict[str, str]:
    """Alive: the process answers. Restart it when it does not."""
    return {"status": "ok"}


@health_router.get("/readyz", include_in_schema=False)
async def readyz(request: Request) -> JSONResponse:
    """Ready when its database answers. NATS is not asked: while it is away the outbox keeps
    writes working; its state is on `/v1/status` (havn/status.py)."""
    try:
        async with asyncio.timeout(READINESS_TIMEOUT_SECONDS):
            async with request.app.state.engine.connect() as conn:
                await conn.execute(text("select 1"))
        database = "ok"
    except Exception:  # a readiness probe reports, it does not raise
        database = "unreachable"
    ready = database == "ok"
    return JSONResponse(
        {"status": "ok" if ready else "unavailable", "database": database}, 200 if ready else 503
    )
