"""The dev identity provider's user_agent flow, driven by Authlib as the web client drives it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from urllib.parse import parse_qsl, urlencode, urlsplit

import httpx
import pytest
from authlib.integrations.base_client import OAuthError
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from havn.auth.tokens import TokenVerifier
from tests.auth.conftest import (
    AUDIENCE,
    DEV_REALM_FILE,
    WEB_CLIENT,
    WEB_REDIRECT,
    WEB_SECRET,
    WEB_SIGNED_OUT,
    ClockedIdp,
    Page,
    RunningIdp,
    clocked_idp,
    code_flow_tokens,
    sign_in,
    submit_login,
    web_client,
)
from tests.auth.forged import unverified_claims


@pytest.fixture
async def fresh(idp: RunningIdp) -> AsyncIterator[ClockedIdp]:
    """An identity provider of its own, for tests that fail logins or move its clock."""
    async with clocked_idp(DEV_REALM_FILE, idp.keys_dir) as running:
        yield running


def query(url: str) -> dict[str, str]:
    return dict(parse_qsl(urlsplit(url).query))


def authorization_url(idp: RunningIdp, **params: str) -> str:
    defaults = {
        "client_id": WEB_CLIENT,
        "redirect_uri": WEB_REDIRECT,
        "response_type": "code",
        "scope": "openid",
        "state": "s-1",
        "code_challenge": create_s256_code_challenge("v" * 43),
        "code_challenge_method": "S256",
    }
    merged = {k: v for k, v in {**defaults, **params}.items() if v != "-"}
    return f"{idp.authorization_url}?{urlencode(merged)}"


async def refresh(client: object, refresh_token: str) -> dict[str, object]:
    token: dict[str, object] = await client.fetch_access_token(  # type: ignore[attr-defined]
        grant_type="refresh_token", refresh_token=refresh_token
    )
    return token


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


# --- the code and the tokens ------------------------------------------------------------


@pytest.mark.parametrize("auth_method", ["client_secret_basic", "client_secret_post"])
async def test_code_flow_with_pkce_issues_tokens_and_an_id_token_with_the_nonce(
    idp: RunningIdp, user_agent: httpx.AsyncClient, verifier: TokenVerifier, auth_method: str
) -> None:
    # given
    client = web_client(idp, auth_method=auth_method)

    # when
    signed_in, token = await code_flow_tokens(user_agent, client, "sos-partner")
    id_token = await client.parse_id_token(token, nonce=signed_in.request["nonce"])

    # then: the redirect as Keycloak 24+ sends it
    assert signed_in.callback.startswith(f"{WEB_REDIRECT}?")
    assert signed_in.params.keys() == {"code", "state", "session_state", "iss"}
    assert signed_in.params["state"] == signed_in.request["state"]
    assert signed_in.params["iss"] == idp.issuer
    # the token response
    assert token["token_type"] == "Bearer"
    assert token["expires_in"] == 300
    assert token["refresh_expires_in"] == 1800
    assert token["session_state"] == signed_in.params["session_state"]
    assert token["scope"] == "openid profile email"
    # the ID token, checked by Authlib (signature, iss, aud, exp, nonce, at_hash)
    assert id_token["nonce"] == signed_in.request["nonce"]
    assert id_token["aud"] == WEB_CLIENT
    assert id_token["azp"] == WEB_CLIENT
    assert id_token["sid"] == token["session_state"]
    assert id_token["at_hash"]
    assert id_token["auth_time"] <= id_token["iat"]
    assert id_token["preferred_username"] == "sos-partner"
    assert id_token["name"] and id_token["email"]
    assert id_token["tenants"] == ["4601", "3203"]
    # the access token, as the gateway reads it
    claims = await verifier.verify(token["access_token"])
    assert claims["aud"] == AUDIENCE
    assert claims["azp"] == WEB_CLIENT
    assert claims["realm_access"]["roles"] == ["partner"]
    assert claims["tenants"] == ["4601", "3203"]
    assert claims["org"] == "sos-barnebyer"


async def test_authorization_code_can_be_redeemed_only_once(
    idp: RunningIdp, user_agent: httpx.AsyncClient
) -> None:
    # given
    client = web_client(idp)
    signed_in, _ = await code_flow_tokens(user_agent, client)

    # when
    with pytest.raises(OAuthError) as refused:
        await client.fetch_access_token(
            redirect_uri=WEB_REDIRECT,
            code=signed_in.params["code"],
            code_verifier=signed_in.request["code_verifier"],
        )

    # then
    assert (refused.value.error, refused.value.description) == ("invalid_grant", "Code not valid")


async def test_replayed_code_revokes_the_refresh_token_issued_for_it(
    idp: RunningIdp, user_agent: httpx.AsyncClient
) -> None:
    # given
    client = web_client(idp)
    signed_in, token = await code_flow_tokens(user_agent, client)
    with pytest.raises(OAuthError):
        await client.fetch_access_token(
            redirect_uri=WEB_REDIRECT,
            code=signed_in.params["code"],
            code_verifier=signed_in.request["code_verifier"],
        )

    # when
    with pytest.raises(OAuthError) as refused:
        await refresh(client, token["refresh_token"])

    # then
    assert refused.value.error == "invalid_grant"


async def test_authorization_code_expires_after_the_realms_code_lifespan(
    fresh: ClockedIdp, user_agent: httpx.AsyncClient
) -> None:
    # given
    client = web_client(fresh.idp)
    signed_in = await sign_in(user_agent, client)
    fresh.clock.advance(timedelta(seconds=61))

    # when
    with pytest.raises(OAuthError) as refused:
        await client.fetch_access_token(
            redirect_uri=WEB_REDIRECT,
            code=signed_in.params["code"],
            code_verifier=signed_in.request["code_verifier"],
        )

    # then
    assert (refused.value.error, refused.value.description) == ("invalid_grant", "Code not valid")


@pytest.mark.parametrize(
    ("code_verifier", "description"),
    [
        ("w" * 43, "PKCE verification failed"),
        (None, "PKCE code verifier not specified"),
        ("too-short", "PKCE invalid code verifier"),
    ],
)
async def test_code_is_bound_to_its_pkce_challenge(
    idp: RunningIdp, user_agent: httpx.AsyncClient, code_verifier: str | None, description: str
) -> None:
    # given
    client = web_client(idp)
    signed_in = await sign_in(user_agent, client)
    # a client that lost (or never had) the verifier: the code alone must not be enough
    form = {
        "grant_type": "authorization_code",
        "code": signed_in.params["code"],
        "redirect_uri": WEB_REDIRECT,
        **({"code_verifier": code_verifier} if code_verifier else {}),
    }

    # when
    response = await user_agent.post(
        f"{idp.issuer}/protocol/openid-connect/token", data=form, auth=(WEB_CLIENT, WEB_SECRET)
    )

    # then
    assert response.status_code == 400
    assert response.json() == {"error": "invalid_grant", "error_description": description}


async def test_code_is_bound_to_its_redirect_uri(
    idp: RunningIdp, user_agent: httpx.AsyncClient
) -> None:
    # given
    client = web_client(idp)
    signed_in = await sign_in(user_agent, client)

    # when
    with pytest.raises(OAuthError) as refused:
        await client.fetch_access_token(
            redirect_uri="http://127.0.0.1:8090/elsewhere",
            code=signed_in.params["code"],
            code_verifier=signed_in.request["code_verifier"],
        )

    # then
    assert refused.value.description == "Incorrect redirect_uri"


async def test_code_is_not_exchanged_without_the_clients_secret(
    idp: RunningIdp, user_agent: httpx.AsyncClient
) -> None:
    # given
    signed_in = await sign_in(user_agent, web_client(idp))

    # when
    response = await user_agent.post(
        f"{idp.issuer}/protocol/openid-connect/token",
        data={
            "grant_type": "authorization_code",
            "client_id": WEB_CLIENT,
            "code": signed_in.params["code"],
            "redirect_uri": WEB_REDIRECT,
            "code_verifier": signed_in.request["code_verifier"],
        },
    )

    # then
    assert response.status_code == 401


async def test_userinfo_answers_the_access_tokens_user(
    idp: RunningIdp, user_agent: httpx.AsyncClient
) -> None:
    # given
    client = web_client(idp)
    _, token = await code_flow_tokens(user_agent, client, "bergen-contact")

    # when
    userinfo = await client.userinfo(token=token)

    # then
    assert userinfo["preferred_username"] == "bergen-contact"
    assert userinfo["sub"] == unverified_claims(token["access_token"])["sub"]
    assert userinfo["tenants"] == ["4601"]


# --- single sign-on, refresh and logout -------------------------------------------------


async def test_second_authorization_in_the_sso_session_skips_the_login_page(
    idp: RunningIdp, user_agent: httpx.AsyncClient
) -> None:
    # given
    client = web_client(idp)
    first = await sign_in(user_agent, client)

    # when
    request = await client.create_authorization_url(WEB_REDIRECT)
    response = await user_agent.get(request["url"])

    # then
    assert response.status_code == 302
    params = query(response.headers["location"])
    assert params["session_state"] == first.params["session_state"]
    assert params["code"] != first.params["code"]


async def test_refresh_rotates_the_refresh_token_and_refuses_a_used_one(
    idp: RunningIdp, user_agent: httpx.AsyncClient
) -> None:
    # given
    client = web_client(idp)
    _, token = await code_flow_tokens(user_agent, client)
    first = str(token["refresh_token"])
    second = str((await refresh(client, first))["refresh_token"])

    # when
    with pytest.raises(OAuthError) as reused:
        await refresh(client, first)
    third = await refresh(client, second)
    with pytest.raises(OAuthError) as stale:
        await refresh(client, first)

    # then
    assert second != first
    assert third["refresh_token"] not in (first, second)
    assert third["id_token"]
    assert reused.value.description == "Maximum allowed refresh token reuse exceeded"
    assert stale.value.description == "Stale token"


async def test_refresh_is_refused_once_the_session_has_been_idle_too_long(
    fresh: ClockedIdp, user_agent: httpx.AsyncClient
) -> None:
    # given
    client = web_client(fresh.idp)
    _, token = await code_flow_tokens(user_agent, client)
    fresh.clock.advance(timedelta(seconds=1801))

    # when
    with pytest.raises(OAuthError) as refused:
        await refresh(client, token["refresh_token"])

    # then
    assert refused.value.error == "invalid_grant"


async def test_refresh_is_refused_after_the_sessions_max_lifespan_however_active(
    fresh: ClockedIdp, user_agent: httpx.AsyncClient
) -> None:
    # given: refreshed every 25 minutes for 10 hours (the realm's max lifespan)
    client = web_client(fresh.idp)
    _, token = await code_flow_tokens(user_agent, client)
    refresh_token = str(token["refresh_token"])
    for _ in range(36000 // 1500 - 1):
        fresh.clock.advance(timedelta(seconds=1500))
        refresh_token = str((await refresh(client, refresh_token))["refresh_token"])
    # 34,500 s in, refreshed just now: not idle, but past 36,000 s in
    fresh.clock.advance(timedelta(seconds=1501))

    # when
    with pytest.raises(OAuthError) as refused:
        await refresh(client, refresh_token)

    # then
    assert refused.value.error == "invalid_grant"


async def test_logout_with_id_token_hint_ends_the_session_and_redirects_to_the_client(
    idp: RunningIdp, user_agent: httpx.AsyncClient
) -> None:
    # given
    client = web_client(idp)
    _, token = await code_flow_tokens(user_agent, client)
    logout = await client.create_logout_url(
        post_logout_redirect_uri=WEB_SIGNED_OUT, id_token_hint=token["id_token"]
    )

    # when
    response = await user_agent.get(logout["url"])

    # then: back at the client with its state
    assert response.status_code == 302
    assert response.headers["location"] == f"{WEB_SIGNED_OUT}?state={logout['state']}"
    # the session's refresh token is dead
    with pytest.raises(OAuthError) as refused:
        await refresh(client, token["refresh_token"])
    assert (refused.value.error, refused.value.description) == (
        "invalid_grant",
        "Session not active",
    )
    # and the user_agent must sign in again
    again = await user_agent.get((await client.create_authorization_url(WEB_REDIRECT))["url"])
    assert again.status_code == 200
    assert "kc-login" in Page(again.text).ids


@pytest.mark.parametrize(
    "redirect_uri",
    ["http://evil.example/signed-out", "http://127.0.0.1:8090@evil.example/signed-out"],
)
async def test_logout_refuses_an_unregistered_post_logout_redirect_uri(
    idp: RunningIdp, user_agent: httpx.AsyncClient, redirect_uri: str
) -> None:
    # given
    client = web_client(idp)
    _, token = await code_flow_tokens(user_agent, client)
    logout = await client.create_logout_url(
        post_logout_redirect_uri=redirect_uri, id_token_hint=token["id_token"]
    )

    # when
    response = await user_agent.get(logout["url"])

    # then: an error page, no redirect, and the session lives on
    assert response.status_code == 400
    assert "location" not in response.headers
    assert Page(response.text).text("kc-error-message") == "Invalid redirect uri"
    assert (await refresh(client, token["refresh_token"]))["access_token"]


async def test_logout_without_id_token_hint_needs_the_browsers_confirmation(
    idp: RunningIdp, user_agent: httpx.AsyncClient
) -> None:
    # given
    client = web_client(idp)
    _, token = await code_flow_tokens(user_agent, client)

    # when: a link alone (no ID token, no confirmation from this browser)
    shown = await user_agent.get(idp.logout_url)
    forged = await user_agent.post(idp.logout_url, data={"session_code": "guess"})

    # then: asked, not logged out
    assert shown.status_code == forged.status_code == 200
    confirm = Page(shown.text)
    assert "kc-logout" in confirm.ids
    assert (await refresh(client, token["refresh_token"]))["access_token"]

    # when: the browser confirms
    assert confirm.ids["kc-logout-confirm"]["action"] == idp.logout_url
    confirmed = await user_agent.post(
        idp.logout_url, data={"session_code": confirm.inputs["session_code"]}
    )

    # then
    assert confirmed.status_code == 200
    assert Page(confirmed.text).text("kc-page-title") == "You are logged out"
    with pytest.raises(OAuthError):
        await refresh(client, token["refresh_token"])
