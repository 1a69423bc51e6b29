"""Browser tests of the staff web client: Debian's Chromium, driven by Playwright.

The whole stack (identity provider, services, gateway, web client) runs in a thread of
its own with its own event loop, because Playwright's sync API and the pytest-asyncio
session loop cannot share one. Every page may only talk to 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import shutil
import threading
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from cli.seed import DEMO_MUNICIPALITIES
from cli.stack import InProcessStack
from havn.db import DatabaseUrls, create_engine
from havn.embedded import EmbeddedNats
from tests.client import DEV_PASSWORD, GraphQLClient
from tests.factories import Municipality, fresh_municipality, fresh_user, settle_child
from web.assets import NODE_MODULES
from web.sessions import COOKIE, hash_key

T = TypeVar("T")
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = NODE_MODULES / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# Only the violations, as "rule: [selector]": axe then skips gathering what passes, and a page's
# whole result (some 100 KB) is not sent back through the driver.
AXE_RUN = """tags => axe.run(document, {
  runOnly: {type: 'tag', values: tags}, resultTypes: ['violations'],
}).then(result => result.violations.flatMap(
  violation => violation.nodes.map(node => `${violation.id}: ${JSON.stringify(node.target)}`)
))"""
LANGUAGES = ("nb", "nn", "en")


# pytest-playwright's fixtures: a test anywhere that uses one runs with the browser tests.
BROWSER_FIXTURES = frozenset({"page", "context", "browser", "playwright"})


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # Playwright's sync API holds the thread's event loop from its first use to the end
    # of the session: browser tests run last, after every async test.
    here = Path(__file__).parent
    items.sort(
        key=lambda item: (
            item.path.is_relative_to(here)
            or bool(BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())))
        )
    )
    no_browser = not Path(CHROMIUM).exists()
    no_assets = not AXE.exists()
    for item in items:
        needs = getattr(item, "fixturenames", ())
        if no_assets and "web_stack" in needs:
            reason = "the web client needs its npm packages (`npm ci` in web/, or `make test`)"
            item.add_marker(pytest.mark.skip(reason=reason))
        elif no_browser and "browsing" in needs:
            reason = "browser tests need Chromium (`apt-get install -y chromium`, or `make test`)"
            item.add_marker(pytest.mark.skip(reason=reason))


class BackgroundStack:
    """The in-process stack with the web client, served from its own thread and loop."""

    def __init__(self, stack: InProcessStack) -> None:
        self.stack = stack
        # One client for every test: the users tests make live in its realm.
        self.gql = GraphQLClient(stack)
        self._engine: AsyncEngine | None = None
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def start(self) -> None:
        self.run(self.stack.start())
        # The users tests make sign in through the stack's own login page, as the realm's do.
        self.gql.realm.admit_to(self.stack.apps["idp"].state.provider)

    def run(self, coroutine: Coroutine[Any, Any, T]) -> T:
        """Runs a coroutine on the stack's loop and waits for its result."""
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout=60)

    def fresh_municipality(self, *, county: str = "") -> Municipality:
        """A municipality no other test knows, whose staff sign in in the browser."""
        return self.run(fresh_municipality(self.gql, county=county))

    def fresh_user(self, role: str, **options: Any) -> str:
        """A user no other test has, who signs in in the browser (tests/factories.py)."""
        return fresh_user(self.gql, role, **options)

    def fresh_partner(self, *towns: Municipality, org: str = "sos-barnebyer") -> str:
        """A user no other test has of the partner `org`, in `towns`."""
        return self.fresh_user("partner", tenants=tuple(town.number for town in towns), org=org)

    def settle_child(self, town: Municipality, **overrides: Any) -> dict[str, Any]:
        """A child of `town`, from referral to arrival today, through GraphQL."""
        today = self.stack.clock.today()
        return self.run(
            settle_child(
                self.gql,
                today,
                coordinator=town.coordinator,
                municipality=town.number,
                **overrides,
            )
        )

    def query(
        self,
        user: str,
        document: str,
        variables: dict[str, Any] | None = None,
        *,
        tenant: str | None = None,
    ) -> Any:
        """The `data` of a GraphQL operation that must succeed, as `user`."""
        return self.run(self.gql(user, document, variables, tenant=tenant))

    def sql(self, statement: str, params: dict[str, Any] | None = None) -> list[Any]:
        """Runs SQL as the web role (as the web client connects) on the stack's loop."""

        async def execute() -> list[Any]:
            if self._engine is None:
                self._engine = create_engine(self.stack.database.web, pool_size=1)
            async with self._engine.begin() as conn:
                result = await conn.execute(text(statement), params or {})
                return list(result.all()) if result.returns_rows else []

        return self.run(execute())

    def session_of(self, context: BrowserContext) -> dict[str, Any] | None:
        """The server-side session row behind a browser context's cookie, or None."""
        keys = [c["value"] for c in context.cookies() if c["name"] == COOKIE]
        if not keys:
            return None
        key = keys[0]
        rows = self.sql("select * from web.sessions where key_hash = :h", {"h": hash_key(key)})
        return dict(rows[0]._mapping) if rows else None

    def stop(self) -> None:
        if self._engine is not None:
            self.run(self._engine.dispose())
        self.run(self.stack.stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(timeout=10)

    @property
    def url(self) -> str:
        return self.stack.web_url


@pytest.fixture(scope="session")
def web_stack(
    database: DatabaseUrls, nats_server: EmbeddedNats, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[BackgroundStack]:
    stack = InProcessStack(
        database=database,
        nats_url=nats_server.url,
        nats_credentials_dir=nats_server.credentials_dir,
        data_dir=tmp_path_factory.mktemp("havn-web"),
        with_web=True,
    )
    background = BackgroundStack(stack)
    background.start()

    async def prepare_the_demo() -> None:
        """The demo's municipalities, for the done-when journeys (which replay the issues' demo
        on its users); and Bergen's contact person has used Havn (looked at their children), as
        a real one has before a caseworker can assign them."""
        gql = background.gql
        for number, name in DEMO_MUNICIPALITIES.items():
            await gql.service(
                "platform-admin",
                "intake",
                "PUT",
                f"/v1/municipalities/{number}",
                json={"number": number, "name": name},
            )
        await gql.service("bergen-contact", "care", "GET", "/v1/caseload")

    background.run(prepare_the_demo())
    yield background
    background.stop()


@dataclass(frozen=True)
class Partner:
    """A partner's user in municipalities of a test's own."""

    username: str
    towns: tuple[Municipality, ...]


@pytest.fixture
def partner(web_stack: BackgroundStack) -> Partner:
    """A partner's user in two municipalities of the test's own (so it chooses one)."""
    towns = (web_stack.fresh_municipality(), web_stack.fresh_municipality())
    return Partner(web_stack.fresh_partner(*towns), towns)


@pytest.fixture
def town(web_stack: BackgroundStack) -> Municipality:
    """A municipality of the test's own, with a user in each municipal role (`town.caseworker`
    and so on) who signs in through the login page."""
    return web_stack.fresh_municipality()


@pytest.fixture
def other_town(web_stack: BackgroundStack) -> Municipality:
    """A second municipality of the test's own: for what passes between two, or must not."""
    return web_stack.fresh_municipality()


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict[str, Any]) -> dict[str, Any]:
    """Debian's Chromium, never a downloaded browser."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


class OffHostRequests:
    """Every request a page makes must go to 127.0.0.1; others are aborted and remembered."""

    def __init__(self) -> None:
        self.refused: list[str] = []

    def guard(self, route: Route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1" or url.startswith(("data:", "about:")):
            route.continue_()
        else:
            self.refused.append(url)
            route.abort()


class Browsing:
    """Opens guarded browser contexts on the web client, signed in or not."""

    def __init__(self, browser: Browser, stack: BackgroundStack, tmp: Path) -> None:
        self.browser = browser
        self.stack = stack
        self.tmp = tmp
        self.off_host = OffHostRequests()
        self.contexts: list[BrowserContext] = []
        self.pages: list[Page] = []
        self._axe_pages: dict[str | None, Page] = {}

    def context(self, *, user: str | None = None, **options: Any) -> BrowserContext:
        """A fresh context; with `user`, signed in (through the login page once per run)."""
        if user is not None:
            options["storage_state"] = self._signed_in_state(user)
        # A browser set up in Norway asks for Bokmål.
        options.setdefault("locale", "nb-NO")
        context = self.browser.new_context(base_url=self.stack.url, **options)
        # Generous: on a busy machine (CI's two cores) a page may take seconds; a wait this
        # long costs time only when something is already wrong.
        context.set_default_timeout(30_000)
        context.route("**/*", self.off_host.guard)
        self.contexts.append(context)
        return context

    def page(self, *, user: str | None = None, **options: Any) -> Page:
        page = self.context(user=user, **options).new_page()
        self.pages.append(page)
        return page

    def sign_in(self, page: Page, user: str, next_path: str = "/") -> None:
        """Signs in through the identity provider's real login page."""
        page.goto(f"/sign-in?next={next_path}")
        page.fill("#username", user)
        page.fill("#password", DEV_PASSWORD)
        page.click("#kc-login")
        page.wait_for_url(f"{self.stack.url}{next_path}")

    def _signed_in_state(self, user: str) -> str:
        path = self.tmp / f"{user}.json"
        if not path.exists():
            context = self.browser.new_context(base_url=self.stack.url)
            context.route("**/*", self.off_host.guard)
            page = context.new_page()
            self.sign_in(page, user)
            context.storage_state(path=str(path))
            context.close()
        return str(path)

    def axe_page(self, user: str | None) -> Page:
        """The test's page for axe checks as `user`: its context lets axe's script past the
        content security policy."""
        if user not in self._axe_pages:
            self._axe_pages[user] = page = self.context(user=user, bypass_csp=True).new_page()
            self.pages.append(page)
        return self._axe_pages[user]

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture(scope="session")
def signed_in_states(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("signed-in")


@pytest.fixture
def browsing(
    web_stack: BackgroundStack,  # before the browser: its async fixtures need a free loop
    browser: Browser,
    signed_in_states: Path,
    request: pytest.FixtureRequest,
    output_path: str,
) -> Iterator[Browsing]:
    """Contexts for one test; screenshots of its pages when it fails; no off-host request."""
    browsing = Browsing(browser, web_stack, signed_in_states)
    yield browsing
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        Path(output_path).mkdir(parents=True, exist_ok=True)
        for number, page in enumerate(browsing.pages):
            if not page.is_closed():
                page.screenshot(path=str(Path(output_path) / f"page-{number}.png"), full_page=True)
    browsing.close()
    assert browsing.off_host.refused == [], "a page requested another host"


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Any:
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def axe_violations(browsing: Browsing, user: str | None, path: str) -> dict[str, list[str]]:
    """axe-core's WCAG 2.1 A/AA violations of a page in each language, for those that have any.

    The checks of a test as one user share one page (in a context that lets axe's script in),
    as a user moves between pages, rather than each starting a browser context."""
    page = browsing.axe_page(user)
    found = {}
    for language in LANGUAGES:
        page.context.add_cookies(
            [{"name": "havn-language", "value": language, "url": browsing.stack.url}]
        )
        page.goto(path)
        assert page.evaluate("document.documentElement.lang") == language, path
        if violations := run_axe(page):
            found[language] = violations
    return found


def run_axe(page: Page) -> list[str]:
    """axe's violations of the page as it is now, one "rule: [selector]" for each element."""
    page.add_script_tag(path=str(AXE))
    violations: list[str] = page.evaluate(AXE_RUN, AXE_TAGS)
    return violations
