"""The dev identity provider's single sign-on, refresh and logout, driven by Authlib."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from authlib.integrations.base_client import OAuthError

from tests.auth.conftest import (
    WEB_REDIRECT,
    WEB_SIGNED_OUT,
    ClockedIdp,
    Page,
    RunningIdp,
    code_flow_tokens,
    query,
    refresh,
    sign_in,
    web_client,
)


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
