"""The dev identity provider's login page and authorization request, as a browser meets them."""

from __future__ import annotations

import httpx
import pytest

from tests.auth.conftest import (
    WEB_REDIRECT,
    ClockedIdp,
    Page,
    RunningIdp,
    authorization_url,
    query,
    submit_login,
)

# --- the login page ---------------------------------------------------------------------


async def test_login_page_has_keycloaks_form_ids_and_is_accessible(
    idp: RunningIdp, user_agent: httpx.AsyncClient
) -> None:
    # when
    response = await user_agent.get(authorization_url(idp))

    # then
    assert response.status_code == 200
    page = Page(response.text)
    assert page.ids["username"]["name"] == "username"
    assert page.ids["password"]["type"] == "password"
    assert page.ids["kc-login"] == {
        "tag": "input",
        "name": "login",
        "id": "kc-login",
        "type": "submit",
        "value": "Sign In",
    }
    form = page.ids["kc-form-login"]
    assert form["method"] == "post"
    assert str(form["action"]).startswith(f"{idp.issuer}/login-actions/authenticate?")
    assert page.labels["username"] and page.labels["password"]
    assert page.lang == "en"
    assert page.title == "Sign in to Havn"
    assert page.scripts == 0


async def test_login_page_carries_a_strict_csp_and_its_own_stylesheet(
    idp: RunningIdp, user_agent: httpx.AsyncClient
) -> None:
    # when
    response = await user_agent.get(authorization_url(idp))

    # then
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "unsafe" not in csp
    # The form's redirect back to the client is a form target too.
    assert "form-action 'self' http://127.0.0.1:8090;" in csp
    assert response.headers["cache-control"].startswith("no-store")
    assert response.headers["x-content-type-options"] == "nosniff"
    [stylesheet] = Page(response.text).stylesheets
    assert stylesheet.startswith("/")
    css = await user_agent.get(f"{idp.issuer.split('/realms')[0]}{stylesheet}")
    assert css.status_code == 200
    assert css.headers["content-type"].startswith("text/css")


async def test_wrong_password_shows_keycloaks_error_on_the_login_page(
    fresh: ClockedIdp, user_agent: httpx.AsyncClient
) -> None:
    # given
    login_page = await user_agent.get(authorization_url(fresh.idp))

    # when
    response = await submit_login(user_agent, login_page, "bergen-caseworker", "not-dev")

    # then
    assert response.status_code == 200
    assert "location" not in response.headers
    page = Page(response.text)
    assert page.text("input-error") == "Invalid username or password."
    assert page.ids["username"]["value"] == "bergen-caseworker"
    assert page.ids["username"]["aria-invalid"] == "true"
    assert "kc-login" in page.ids


async def test_login_form_posted_without_the_browsers_cookie_is_refused(
    fresh: ClockedIdp, user_agent: httpx.AsyncClient
) -> None:
    # given: a login page shown to one user_agent
    login_page = await user_agent.get(authorization_url(fresh.idp))

    # when: another user_agent (a cross-site form without the cookie) posts to its action
    async with httpx.AsyncClient(timeout=10) as other:
        response = await submit_login(other, login_page, "bergen-caseworker", "dev")

    # then
    assert response.status_code == 400
    assert "location" not in response.headers
    assert "timed out" in Page(response.text).text("kc-error-message")


# --- the authorization request ----------------------------------------------------------


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "http://evil.example/auth/callback",
        "http://127.0.0.1:8090.evil.example/auth/callback",
        "http://127.0.0.1:8090@evil.example/auth/callback",
        "http://127.0.0.1:8091/auth/callback",
        "https://127.0.0.1:8090/auth/callback",
        "http://127.0.0.1:8090/auth/callback#fragment",
        "-",
    ],
)
async def test_unregistered_redirect_uri_gets_an_error_page_and_no_redirect(
    idp: RunningIdp, user_agent: httpx.AsyncClient, redirect_uri: str
) -> None:
    # when
    response = await user_agent.get(authorization_url(idp, redirect_uri=redirect_uri))

    # then
    assert response.status_code == 400
    assert "location" not in response.headers
    assert Page(response.text).text("kc-error-message") == "Invalid parameter: redirect_uri"


async def test_unknown_client_gets_an_error_page_and_no_redirect(
    idp: RunningIdp, user_agent: httpx.AsyncClient
) -> None:
    # when
    response = await user_agent.get(authorization_url(idp, client_id="not-a-client"))

    # then
    assert response.status_code == 400
    assert "location" not in response.headers
    assert Page(response.text).text("kc-error-message") == "Client not found."


@pytest.mark.parametrize(
    ("params", "error", "description"),
    [
        (
            {"code_challenge": "-", "code_challenge_method": "-"},
            "invalid_request",
            "Missing parameter: code_challenge",
        ),
        (
            {"code_challenge_method": "plain", "code_challenge": "p" * 43},
            "invalid_request",
            "Invalid parameter: code_challenge_method",
        ),
        (
            {"code_challenge_method": "-"},
            "invalid_request",
            "Missing parameter: code_challenge_method",
        ),
        ({"code_challenge": "short"}, "invalid_request", "Invalid parameter: code_challenge"),
        ({"response_type": "token"}, "unsupported_response_type", "Unsupported response_type"),
        ({"response_type": "-"}, "invalid_request", "Missing parameter: response_type"),
        ({"scope": "profile"}, "invalid_scope", "Missing openid scope"),
        ({"scope": "openid admin"}, "invalid_scope", "Invalid scopes: admin"),
    ],
)
async def test_invalid_authorization_request_is_reported_to_the_client(
    idp: RunningIdp,
    user_agent: httpx.AsyncClient,
    params: dict[str, str],
    error: str,
    description: str,
) -> None:
    # when
    response = await user_agent.get(authorization_url(idp, **params))

    # then
    assert response.status_code == 302
    location = response.headers["location"]
    assert location.startswith(f"{WEB_REDIRECT}?")
    assert query(location) == {
        "error": error,
        "error_description": description,
        "state": "s-1",
        "iss": idp.issuer,
    }


async def test_client_without_the_standard_flow_cannot_start_a_browser_login(
    idp: RunningIdp, user_agent: httpx.AsyncClient
) -> None:
    # given: havn-cli has no redirect URIs either, so its error is shown on a page
    url = authorization_url(idp, client_id="havn-cli")

    # when
    response = await user_agent.get(url)

    # then
    assert response.status_code == 400
    assert "location" not in response.headers
