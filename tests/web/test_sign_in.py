"""Signing in and out of the staff web client through the identity provider's login page."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.web.conftest import Browsing


def test_signing_in_through_the_login_page_returns_to_the_page_asked_for(browsing: Browsing):
    page = browsing.page()
    page.goto("/children")
    # Not signed in: the identity provider's login page, then back to the children list.
    page.fill("#username", "bergen-caseworker")
    page.fill("#password", "dev")
    page.click("#kc-login")
    page.wait_for_url(f"{browsing.stack.url}/children")
    expect(page.locator("h1")).to_have_text("Barn")
    expect(page.locator(".havn-user")).to_contain_text("bergen-caseworker")


def test_screenshot(browsing: Browsing):
    page = browsing.page(user="sos-partner")
    page.goto("/")
    page.screenshot(path="/tmp/webtools/home.png", full_page=True)
    page = browsing.page(user="bergen-caseworker")
    page.goto("/children")
    page.screenshot(path="/tmp/webtools/children.png", full_page=True)
