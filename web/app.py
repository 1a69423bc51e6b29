"""The staff web client's app factory (`uvicorn --factory web.app:create_app`)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, PrefixLoader, StrictUndefined, select_autoescape
from jinja2_fragments.fastapi import Jinja2Blocks
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Receive, Scope, Send

from havn.clock import Clock
from havn.config import Settings, get_settings
from havn.db import create_engine, create_sessionmaker
from havn.http_client import client_session
from havn.telemetry import setup_logging
from web import i18n, labels
from web.admin.routes import AREA as ADMIN
from web.allocation.routes import AREA as ALLOCATION
from web.areas import Area
from web.assets import Assets
from web.assets import router as assets_router
from web.auth.routes import AREA as AUTH
from web.auth.routes import clear_session_cookie
from web.capacity.routes import AREA as CAPACITY
from web.children.routes import AREA as CHILDREN
from web.community.routes import AREA as COMMUNITY
from web.context import Web, csrf_protect, current_session, is_htmx, render, return_path, web
from web.graphql import (
    GatewayClient,
    NotAvailableForRole,
    PageNotFound,
    ServiceUnavailable,
    SignInRequired,
    load_operations,
)
from web.oidc import register_provider
from web.partner.routes import AREA as PARTNER
from web.platform.routes import AREA as PLATFORM
from web.record.routes import AREA as RECORD
from web.referrals.routes import AREA as REFERRALS
from web.relocations.routes import AREA as RELOCATIONS
from web.security import SecurityHeaders, origin_of
from web.sessions import SessionStore
from web.shell.routes import AREA as SHELL
from web.statistics.routes import AREA as STATISTICS

# Every area of the client; a new one is one more entry here.
AREAS: tuple[Area, ...] = (
    SHELL,
    AUTH,
    CHILDREN,
    RECORD,
    REFERRALS,
    CAPACITY,
    RELOCATIONS,
    ADMIN,
    PLATFORM,
    COMMUNITY,
    PARTNER,
    ALLOCATION,
    STATISTICS,
)


# Attribute names a dict answers itself (`counts.items()`): never looked up among its keys.
_DICT_ATTRIBUTES = frozenset(dir(dict))


class TemplateEnvironment(Environment):
    """Jinja's environment, reading `node.childId` of a GraphQL answer (a dict) by key first.

    Jinja tries an attribute before a key, so every field of a dict raised and caught an
    AttributeError: about a sixth of the time a caseload page of 50 children spent rendering.
    """

    def getattr(self, obj: Any, attribute: str) -> Any:
        if type(obj) is dict and attribute not in _DICT_ATTRIBUTES:
            try:
                return obj[attribute]
            except KeyError:
                pass
        return super().getattr(obj, attribute)


def template_environment(areas: tuple[Area, ...]) -> Environment:
    """Templates by area ("children/list.html"), autoescaped, translated per request."""
    loaders = {area.name: FileSystemLoader(area.templates_dir) for area in areas}
    environment = TemplateEnvironment(
        loader=PrefixLoader(loaders),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
    )
    environment.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=i18n.gettext,
        ngettext=i18n.ngettext,
        pgettext=i18n.pgettext,
        npgettext=i18n.npgettext,
        newstyle=True,
    )
    environment.globals.update(
        format_day=i18n.format_day,
        format_moment=i18n.format_moment,
        format_number=i18n.format_number,
        role_label=labels.role_label,
        phase_label=labels.phase_label,
    )
    return environment


class RequestLanguage:
    """Translates each request in the language chosen (cookie) or asked for (Accept-Language)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        code = i18n.negotiate(
            request.cookies.get(i18n.LANGUAGE_COOKIE), request.headers.get("accept-language")
        )
        with i18n.language(code):
            await self.app(scope, receive, send)


def create_app(settings: Settings | None = None, clock: Clock | None = None) -> FastAPI:
    settings = settings or get_settings()
    if settings.database_web_url is None:
        raise RuntimeError("HAVN_DATABASE_WEB_URL must be set for the web client")
    database_url = settings.database_web_url
    clock = clock or Clock()
    areas = AREAS
    operations = load_operations(area.operations_dir for area in areas)
    templates = Jinja2Blocks(env=template_environment(areas))
    assets = Assets()
    provider = register_provider(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = create_engine(database_url, pool_size=settings.database_pool_size, autocommit=True)
        async with client_session(timeout=30) as http:
            app.state.web = Web(
                settings=settings,
                clock=clock,
                store=SessionStore(
                    create_sessionmaker(engine),
                    clock,
                    timedelta(minutes=settings.web_idle_timeout_minutes),
                ),
                provider=provider,
                gateway=GatewayClient(settings.gateway_url(), operations, http),
                templates=templates,
                assets=assets,
                nav=tuple(item for area in areas for item in area.nav),
            )
            app.state.engine = engine
            try:
                yield
            finally:
                await engine.dispose()

    app = FastAPI(
        title="havn-web",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        # Every POST of every area: from our own pages, with the session's token.
        dependencies=[Depends(csrf_protect)],
    )
    app.include_router(assets_router)
    for area in areas:
        app.include_router(area.router)
    install_error_pages(app)
    app.add_middleware(RequestLanguage)
    app.add_middleware(
        SecurityHeaders,
        identity_provider_origin=origin_of(settings.issuer),
        hsts=settings.env == "prod",
    )
    setup_logging(settings.log_level)
    return app


def install_error_pages(app: FastAPI) -> None:
    """What replaces a page when it cannot be shown, in the shell and the user's language."""

    async def error_page(request: Request, status: int, heading: str, explanation: str) -> Response:
        # The header shows who is signed in, also where no page handler loaded the session.
        await current_session(request)
        return render(
            request,
            "shell/error.html",
            {"heading": heading, "explanation": explanation},
            status_code=status,
        )

    @app.exception_handler(SignInRequired)
    async def sign_in_again(request: Request, _: Exception) -> Response:
        session = getattr(request.state, "session", None)
        if session is not None:
            await web(request).store.end(session)
        target = "/sign-in?" + urlencode({"next": return_path(request)})
        if is_htmx(request):
            response: Response = Response(status_code=204, headers={"HX-Redirect": target})
        else:
            response = RedirectResponse(target, status_code=303)
        clear_session_cookie(response)
        return response

    @app.exception_handler(PageNotFound)
    async def not_found(request: Request, _: Exception) -> Response:
        return await error_page(
            request,
            404,
            i18n.gettext("Page not found"),
            i18n.gettext("There is nothing here, or nothing you may see."),
        )

    @app.exception_handler(NotAvailableForRole)
    async def not_for_role(request: Request, _: Exception) -> Response:
        return await error_page(
            request,
            403,
            i18n.gettext("Not available for your role"),
            i18n.gettext("This page is not available for your role."),
        )

    @app.exception_handler(ServiceUnavailable)
    async def unavailable(request: Request, _: Exception) -> Response:
        return await error_page(
            request,
            503,
            i18n.gettext("Havn is not available right now"),
            i18n.gettext("Nothing was lost. Please try again in a moment."),
        )

    @app.exception_handler(RequestValidationError)
    async def bad_request(request: Request, _: Exception) -> Response:
        return await error_page(
            request,
            400,
            i18n.gettext("Something is wrong with the address"),
            i18n.gettext("Go back and try again, or start from the start page."),
        )

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: Exception) -> Response:
        assert isinstance(error, StarletteHTTPException)
        if error.status_code == 403:
            return await error_page(
                request,
                403,
                i18n.gettext("The form could not be sent"),
                i18n.gettext(
                    "It came from another site or has expired. Reload the page and try again."
                ),
            )
        if error.status_code == 404:
            return await not_found(request, error)
        return await error_page(
            request,
            error.status_code,
            i18n.gettext("Something went wrong"),
            i18n.gettext("Please try again."),
        )
