"""The dev identity provider's authorization code exchanged for tokens, as Authlib does it."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from authlib.integrations.base_client import OAuthError

from havn.auth.tokens import TokenVerifier
from tests.auth.conftest import (
    AUDIENCE,
    WEB_CLIENT,
    WEB_REDIRECT,
    WEB_SECRET,
    ClockedIdp,
    RunningIdp,
    code_flow_tokens,
    refresh,
    sign_in,
    web_client,
)
from tests.auth.forged import unverified_claims


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
