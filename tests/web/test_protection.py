"""What protects the staff web client: CSRF, the security headers, and tokens kept server-side."""

from __future__ import annotations

import httpx
from playwright.sync_api import Route, expect

from tests.factories import Municipality
from tests.web.conftest import Browsing, Partner
from web.sessions import COOKIE

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self' {idp}; "
    "frame-ancestors 'none'; base-uri 'none'; object-src 'none'"
)


def test_a_forged_cross_site_post_is_refused_and_changes_nothing(
    browsing: Browsing, partner: Partner
):
    context = browsing.context(user=partner.username)
    page = context.new_page()
    page.goto("/")
    web = browsing.stack.url
    before = browsing.stack.session_of(context)
    assert before is not None
    first, second = (town.number for town in partner.towns)
    target = first if before["data"].get("tenant") == second else second
    # Another site (another origin on this machine) auto-submits a form to the client.
    evil = "http://127.0.0.1:9/prize"

    def serve_evil_page(route: Route) -> None:
        route.fulfill(
            content_type="text/html",
            body=f'<form method="post" action="{web}/municipality">'
            f'<input name="municipality" value="{target}"><input name="csrf_token" value="guess">'
            "</form><script>document.forms[0].submit()</script>",
        )

    page.route(evil, serve_evil_page)
    with page.expect_response(f"{web}/municipality") as answer:
        page.goto(evil)
    assert answer.value.status == 403
    after = browsing.stack.session_of(context)
    assert after is not None and after["data"] == before["data"]


def test_a_post_from_our_own_page_without_the_session_token_is_refused(
    browsing: Browsing, partner: Partner
):
    page = browsing.page(user=partner.username)
    page.goto("/")
    status = page.evaluate(
        "municipality => fetch('/municipality', {method: 'POST', body: new URLSearchParams("
        "{municipality})}).then(r => r.status)",
        partner.towns[1].number,
    )
    assert status == 403


def test_every_page_carries_the_security_headers_and_signed_in_pages_are_not_stored(
    browsing: Browsing, town: Municipality
):
    page = browsing.page(user=town.caseworker)
    idp = browsing.stack.stack.settings.issuer.split("/realms")[0]
    for path in ("/children", "/", "/no-such-page"):
        headers = page.goto(path).headers  # type: ignore[union-attr]
        assert headers["content-security-policy"] == CSP.format(idp=idp)
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"] == "same-origin"
        assert headers["cache-control"] == "no-store"
        # HSTS only in production (the tests run as HAVN_ENV=test, over http).
        assert "strict-transport-security" not in headers


def test_assets_are_served_by_the_client_itself_under_versioned_immutable_urls(
    browsing: Browsing,
):
    page = browsing.page()
    assets = []
    page.on("response", lambda r: assets.append(r) if "/assets/" in r.url else None)
    page.goto("/")
    page.wait_for_load_state("networkidle")
    assert len(assets) >= 6
    for response in assets:
        assert response.status == 200
        assert response.headers["cache-control"] == "public, max-age=31536000, immutable"


def test_no_token_is_readable_by_page_script(browsing: Browsing, town: Municipality):
    page = browsing.page(user=town.caseworker)
    page.goto("/children")
    expect(page.locator("h1")).to_be_visible()
    readable = page.evaluate(
        "[document.cookie, document.documentElement.outerHTML,"
        " JSON.stringify(localStorage), JSON.stringify(sessionStorage)]"
    )
    # A JWT starts with "eyJ" (base64 of '{"'); the session cookie is HttpOnly.
    for place in readable:
        assert "eyJ" not in place
    assert "havn-session" not in readable[0]


def test_a_post_with_the_right_token_from_another_site_is_still_refused(
    browsing: Browsing, partner: Partner
):
    context = browsing.context(user=partner.username)
    context.new_page().goto("/")
    row = browsing.stack.session_of(context)
    assert row is not None
    [cookie] = [c for c in context.cookies() if c["name"] == COOKIE]
    form = {"municipality": partner.towns[1].number, "csrf_token": row["csrf_token"]}
    headers = {"Cookie": f"{COOKIE}={cookie['value']}"}
    with httpx.Client(base_url=browsing.stack.url) as http:
        for other_site in (
            {"Sec-Fetch-Site": "cross-site"},
            {"Sec-Fetch-Site": "same-site"},
            {"Origin": "http://127.0.0.1:9"},  # a browser without Fetch Metadata
            {},  # neither: not provably ours
        ):
            answer = http.post("/municipality", data=form, headers={**headers, **other_site})
            assert answer.status_code == 403, other_site
        ours = http.post(
            "/municipality", data=form, headers={**headers, "Sec-Fetch-Site": "same-origin"}
        )
    assert ours.status_code == 303
