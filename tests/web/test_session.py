"""The session: idle timeout (warned, extendable, enforced) and token refresh under a lock."""

from __future__ import annotations

import asyncio
import dataclasses
from datetime import timedelta

from playwright.sync_api import expect

from havn.clock import Clock
from havn.db import create_engine, create_sessionmaker
from tests.factories import Municipality
from tests.web.conftest import BackgroundStack, Browsing
from web.sessions import SessionStore, Tokens

IDLE = timedelta(minutes=30)


def age_session(stack: BackgroundStack, key_hash: bytes, **ago: timedelta) -> None:
    """Moves a session's last activity or token expiry into the past (no waiting)."""
    for column, delta in ago.items():
        stack.sql(
            f"update web.sessions set {column} = now() - cast(:delta as interval)"
            " where key_hash = :h",
            {"delta": delta, "h": key_hash},
        )


def test_an_idle_session_ends_on_the_server_and_signing_in_returns_to_the_page(
    browsing: Browsing, town: Municipality
):
    context = browsing.context()
    page = context.new_page()
    browsing.sign_in(page, town.caseworker, "/children")
    idle = browsing.stack.session_of(context)
    assert idle is not None
    age_session(browsing.stack, idle["key_hash"], last_seen_at=IDLE + timedelta(seconds=1))
    page.goto("/children")
    # The old session is gone; the identity provider's own session signs in again.
    page.wait_for_url(f"{browsing.stack.url}/children")
    fresh = browsing.stack.session_of(context)
    assert fresh is not None and fresh["key_hash"] != idle["key_hash"]
    assert (
        browsing.stack.sql(
            "select 1 from web.sessions where key_hash = :h", {"h": idle["key_hash"]}
        )
        == []
    )


def test_the_idle_warning_appears_before_the_timeout_and_staying_signed_in_extends(
    browsing: Browsing, town: Municipality
):
    context = browsing.context()
    page = context.new_page()
    browsing.sign_in(page, town.caseworker, "/children")
    page.clock.install()
    page.goto("/children")
    session = browsing.stack.session_of(context)
    assert session is not None
    # 28 minutes and 5 seconds idle: the server and the page's clock agree.
    age_session(browsing.stack, session["key_hash"], last_seen_at=IDLE - timedelta(seconds=115))
    page.clock.fast_forward("28:05")
    dialog = page.locator("#idle-warning")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Forbli innlogget").click()
    expect(dialog).to_be_hidden()
    left = page.evaluate("fetch('/session').then(r => r.json())")
    assert left["signedIn"] and left["expiresIn"] > IDLE.total_seconds() - 60


def test_an_expiring_access_token_is_refreshed_and_the_page_still_answers(
    browsing: Browsing, town: Municipality
):
    context = browsing.context()
    page = context.new_page()
    browsing.sign_in(page, town.caseworker, "/children")
    before = browsing.stack.session_of(context)
    assert before is not None
    age_session(browsing.stack, before["key_hash"], access_expires_at=timedelta(seconds=1))
    page.goto("/children")
    expect(page.locator("h1")).to_have_text("Barn")
    after = browsing.stack.session_of(context)
    assert after is not None
    assert after["access_token"] != before["access_token"]
    # The identity provider rotates the refresh token.
    assert after["refresh_token"] != before["refresh_token"]


def test_a_refused_refresh_ends_the_session_and_signs_in_again_to_the_same_page(
    browsing: Browsing, town: Municipality
):
    context = browsing.context()
    page = context.new_page()
    browsing.sign_in(page, town.caseworker, "/children")
    before = browsing.stack.session_of(context)
    assert before is not None
    browsing.stack.sql(
        "update web.sessions set refresh_token = 'revoked', access_expires_at = now()"
        " where key_hash = :h",
        {"h": before["key_hash"]},
    )
    page.goto("/children")
    page.wait_for_url(f"{browsing.stack.url}/children")
    after = browsing.stack.session_of(context)
    assert after is not None and after["key_hash"] != before["key_hash"]


def test_parallel_requests_of_one_session_refresh_its_tokens_once(web_stack: BackgroundStack):
    async def race() -> int:
        # As the app has it: each statement alone, but the refresh in a transaction.
        engine = create_engine(web_stack.stack.database.web, pool_size=2, autocommit=True)
        store = SessionStore(create_sessionmaker(engine), Clock(), IDLE)
        clock = Clock()
        _, session = await store.create(
            viewer={"username": "u", "roles": [], "tenants": [], "org": None},
            tokens=Tokens("old", clock.now(), "refresh-1", None),
        )
        refreshed = 0

        async def refresh(token: str) -> Tokens:
            nonlocal refreshed
            refreshed += 1
            await asyncio.sleep(0.2)  # the other request arrives meanwhile
            return Tokens("new", clock.now() + timedelta(minutes=5), "refresh-2", None)

        # Two requests of the same browser, each with the session as it loaded it.
        copies = [dataclasses.replace(session) for _ in range(2)]
        tokens = await asyncio.gather(*(store.fresh_tokens(c, refresh) for c in copies))
        await store.end(session)
        await engine.dispose()
        assert [t.access_token for t in tokens] == ["new", "new"]
        return refreshed

    assert web_stack.run(race()) == 1
