"""Signing in and out of the staff web client through the identity provider's login page."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.client import DEV_PASSWORD
from tests.factories import Municipality
from tests.web.conftest import Browsing
from web.sessions import COOKIE


def test_signing_in_through_the_login_page_returns_to_the_page_asked_for(
    browsing: Browsing, town: Municipality
):
    page = browsing.page()
    page.goto("/children")
    page.fill("#username", town.caseworker)
    page.fill("#password", DEV_PASSWORD)
    page.click("#kc-login")
    page.wait_for_url(f"{browsing.stack.url}/children")
    expect(page.locator("h1")).to_have_text("Barn")
    expect(page.locator(".havn-user")).to_contain_text(town.caseworker)


def test_the_session_cookie_is_host_only_httponly_secure_lax_and_new_at_sign_in(
    browsing: Browsing, town: Municipality
):
    context = browsing.context()
    page = context.new_page()
    page.goto("/sign-in?next=/")
    [before] = [c for c in context.cookies() if c["name"] == COOKIE]
    page.fill("#username", town.caseworker)
    page.fill("#password", DEV_PASSWORD)
    page.click("#kc-login")
    page.wait_for_url(f"{browsing.stack.url}/")
    [after] = [c for c in context.cookies() if c["name"] == COOKIE]
    assert after["value"] != before["value"]
    assert (after["httpOnly"], after["secure"], after["sameSite"], after["path"]) == (
        True,
        True,
        "Lax",
        "/",
    )
    # The row holds a hash of the key, never the key itself.
    row = browsing.stack.session_of(context)
    assert row is not None and after["value"].encode() not in row["key_hash"]


def test_signing_out_ends_the_session_here_and_at_the_identity_provider(
    browsing: Browsing, town: Municipality
):
    context = browsing.context()
    page = context.new_page()
    browsing.sign_in(page, town.caseworker, "/children")
    old_cookies = context.cookies()
    page.get_by_role("button", name="Logg ut").click()
    page.wait_for_url(f"{browsing.stack.url}/signed-out?*")
    expect(page.locator("h1")).to_have_text("Du er logget ut")
    # Here: the old cookie opens nothing any more.
    replay = browsing.context()
    replay.add_cookies([c for c in old_cookies if c["name"] == COOKIE])  # type: ignore[misc]
    assert browsing.stack.session_of(replay) is None
    # At the identity provider: signing in again asks for the password.
    page.goto("/sign-in?next=/children")
    expect(page.locator("#username")).to_be_visible()
