"""The dev identity provider answers as Keycloak does, from the realm file Keycloak imports."""

from __future__ import annotations

import base64
import json
import stat
from pathlib import Path

import httpx
import pytest
from jwcrypto import jwk, jwt

from havn.auth.idp import SIGNING_KEY_FILE, create_app, load_or_create_signing_key
from havn.auth.tokens import TokenVerifier
from tests.auth.conftest import (
    AUDIENCE,
    DEV_REALM_FILE,
    NO_AUDIENCE_CLIENT,
    RunningIdp,
    password_token,
    request_token,
)
from tests.auth.forged import unverified_claims

INVALID_USER_CREDENTIALS = {
    "error": "invalid_grant",
    "error_description": "Invalid user credentials",
}

# API.md, "Identity": the dev users, their realm roles, tenants and org.
DEV_USERS = [
    ("bergen-coordinator", "settlement-coordinator", ["4601"], None),
    ("bergen-caseworker", "caseworker", ["4601"], None),
    ("bergen-contact", "contact-person", ["4601"], None),
    ("bergen-volunteers", "volunteer-coordinator", ["4601"], None),
    ("bergen-admin", "municipality-admin", ["4601"], None),
    ("asker-coordinator", "settlement-coordinator", ["3203"], None),
    ("asker-caseworker", "caseworker", ["3203"], None),
    ("sos-partner", "partner", ["4601", "3203"], "sos-barnebyer"),
    ("imdi-allocator", "directorate-allocator", None, None),
    ("imdi-analyst", "directorate-analyst", None, None),
    ("platform-admin", "platform-admin", None, None),
]


@pytest.mark.parametrize(("username", "role", "tenants", "org"), DEV_USERS)
async def test_password_grant_issues_a_token_with_the_users_roles_tenants_and_org(
    http: httpx.AsyncClient,
    idp: RunningIdp,
    verifier: TokenVerifier,
    username: str,
    role: str,
    tenants: list[str] | None,
    org: str | None,
) -> None:
    # given
    realm = json.loads(DEV_REALM_FILE.read_text(encoding="utf-8"))
    user_id = next(u["id"] for u in realm["users"] if u["username"] == username)

    # when
    body = await password_token(http, idp, username)
    claims = await verifier.verify(body["access_token"])

    # then
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 300
    assert body["refresh_token"]
    assert body["not-before-policy"] == 0
    assert body["session_state"] == claims["sid"]
    assert claims["sub"] == user_id
    assert claims["preferred_username"] == username
    assert claims["azp"] == "havn-cli"
    assert claims["aud"] == AUDIENCE
    assert claims["typ"] == "Bearer"
    assert claims["realm_access"]["roles"] == [role]
    assert claims.get("tenants") == tenants
    assert claims.get("org") == org
    assert claims["given_name"] and claims["family_name"] and claims["email"]
    assert claims["exp"] - claims["iat"] == 300


async def test_wrong_password_is_refused_as_invalid_user_credentials(
    http: httpx.AsyncClient, idp: RunningIdp
) -> None:
    # when
    response = await request_token(
        http,
        idp,
        grant_type="password",
        client_id="havn-cli",
        username="bergen-caseworker",
        password="not-dev",
    )

    # then
    assert response.status_code == 401
    assert response.json() == INVALID_USER_CREDENTIALS


async def test_unknown_user_is_refused_exactly_like_a_wrong_password(
    http: httpx.AsyncClient, idp: RunningIdp
) -> None:
    # when
    response = await request_token(
        http, idp, grant_type="password", client_id="havn-cli", username="nobody", password="dev"
    )

    # then
    assert response.status_code == 401
    assert response.json() == INVALID_USER_CREDENTIALS


async def test_service_account_user_cannot_log_in_with_a_password(
    http: httpx.AsyncClient, idp: RunningIdp
) -> None:
    # when
    response = await request_token(
        http,
        idp,
        grant_type="password",
        client_id="havn-cli",
        username="service-account-havn-statistics",
        password="",
    )

    # then
    assert response.status_code == 401
    assert response.json() == INVALID_USER_CREDENTIALS


async def test_unknown_client_is_refused_as_invalid_client(
    http: httpx.AsyncClient, idp: RunningIdp
) -> None:
    # when
    response = await request_token(
        http,
        idp,
        grant_type="password",
        client_id="not-a-client",
        username="bergen-caseworker",
        password="dev",
    )

    # then
    assert response.status_code == 401
    assert response.json() == {
        "error": "invalid_client",
        "error_description": "Invalid client or Invalid client credentials",
    }


async def test_confidential_client_with_a_wrong_secret_is_refused(
    http: httpx.AsyncClient, idp: RunningIdp
) -> None:
    # when
    response = await request_token(
        http, idp, grant_type="client_credentials", client_id="havn-statistics", client_secret="x"
    )

    # then
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized_client"


async def test_client_without_direct_access_grants_cannot_use_the_password_grant(
    http: httpx.AsyncClient, idp: RunningIdp
) -> None:
    # when
    response = await request_token(
        http,
        idp,
        grant_type="password",
        client_id="havn-web",
        client_secret="dev-web-secret",
        username="bergen-caseworker",
        password="dev",
    )

    # then
    assert response.status_code == 400
    assert response.json() == {
        "error": "unauthorized_client",
        "error_description": "Client not allowed for direct access grants",
    }


async def test_the_gateway_audience_client_cannot_obtain_tokens(
    http: httpx.AsyncClient, idp: RunningIdp
) -> None:
    # when
    response = await request_token(
        http,
        idp,
        grant_type="password",
        client_id=AUDIENCE,
        username="bergen-caseworker",
        password="dev",
    )

    # then
    assert response.status_code == 401
    assert "access_token" not in response.json()


async def test_unsupported_grant_type_is_refused(http: httpx.AsyncClient, idp: RunningIdp) -> None:
    # when
    response = await request_token(
        http, idp, grant_type="urn:ietf:params:oauth:grant-type:saml2-bearer", client_id="havn-cli"
    )

    # then
    assert response.status_code == 400
    assert response.json() == {
        "error": "unsupported_grant_type",
        "error_description": "Unsupported grant_type",
    }


async def test_missing_grant_type_is_an_invalid_request(
    http: httpx.AsyncClient, idp: RunningIdp
) -> None:
    # when
    response = await request_token(http, idp, client_id="havn-cli")

    # then
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_request"


async def test_refresh_token_grant_issues_new_tokens_in_the_same_session(
    http: httpx.AsyncClient, idp: RunningIdp, verifier: TokenVerifier
) -> None:
    # given
    login = await password_token(http, idp, "sos-partner")

    # when
    response = await request_token(
        http,
        idp,
        grant_type="refresh_token",
        client_id="havn-cli",
        refresh_token=login["refresh_token"],
    )

    # then
    assert response.status_code == 200, response.text
    refreshed = response.json()
    assert refreshed["access_token"] != login["access_token"]
    assert refreshed["session_state"] == login["session_state"]
    claims = await verifier.verify(refreshed["access_token"])
    assert claims["preferred_username"] == "sos-partner"
    assert claims["tenants"] == ["4601", "3203"]


async def test_refresh_token_of_another_client_is_refused(
    http: httpx.AsyncClient, idp: RunningIdp
) -> None:
    # given
    login = await password_token(http, idp, "bergen-caseworker", client_id=NO_AUDIENCE_CLIENT)

    # when
    response = await request_token(
        http,
        idp,
        grant_type="refresh_token",
        client_id="havn-cli",
        refresh_token=login["refresh_token"],
    )

    # then
    assert response.status_code == 400
    assert response.json()["error"] == "invalid_grant"


async def test_access_token_is_not_accepted_as_a_refresh_token(
    http: httpx.AsyncClient, idp: RunningIdp
) -> None:
    # given
    login = await password_token(http, idp, "bergen-caseworker")

    # when
    response = await request_token(
        http,
        idp,
        grant_type="refresh_token",
        client_id="havn-cli",
        refresh_token=login["access_token"],
    )

    # then
    assert response.status_code == 400
    assert response.json() == {
        "error": "invalid_grant",
        "error_description": "Invalid refresh token",
    }


async def test_client_credentials_grant_issues_a_service_account_token_without_refresh(
    http: httpx.AsyncClient, idp: RunningIdp, verifier: TokenVerifier
) -> None:
    # given: credentials sent the way most OAuth clients send them, in HTTP Basic
    basic = base64.b64encode(b"havn-statistics:dev-statistics-secret").decode()

    # when
    response = await http.post(
        idp.token_url,
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )

    # then
    assert response.status_code == 200, response.text
    body = response.json()
    assert "refresh_token" not in body
    assert body["refresh_expires_in"] == 0
    claims = await verifier.verify(body["access_token"])
    assert claims["realm_access"]["roles"] == ["directorate-analyst"]
    assert claims["preferred_username"] == "service-account-havn-statistics"
    assert "tenants" not in claims


async def test_public_client_cannot_use_client_credentials(
    http: httpx.AsyncClient, idp: RunningIdp
) -> None:
    # when
    response = await request_token(http, idp, grant_type="client_credentials", client_id="havn-cli")

    # then
    assert response.status_code == 400
    assert response.json()["error"] == "unauthorized_client"


async def test_client_without_the_audience_mapper_gets_no_gateway_audience(
    http: httpx.AsyncClient, idp: RunningIdp
) -> None:
    # when
    body = await password_token(http, idp, "bergen-caseworker", client_id=NO_AUDIENCE_CLIENT)

    # then
    claims = unverified_claims(body["access_token"])
    assert "aud" not in claims
    assert claims["tenants"] == ["4601"]


async def test_jwks_publishes_the_signing_key_under_its_thumbprint(
    http: httpx.AsyncClient, idp: RunningIdp
) -> None:
    # when
    certs = (await http.get(f"{idp.issuer}/protocol/openid-connect/certs")).json()
    token = (await password_token(http, idp, "bergen-caseworker"))["access_token"]

    # then
    [published] = certs["keys"]
    assert published["kid"] == idp.signing_key().thumbprint()
    assert (published["kty"], published["alg"], published["use"]) == ("RSA", "RS256", "sig")
    assert "d" not in published
    verified = jwt.JWT(jwt=token, key=jwk.JWKSet.from_json(json.dumps(certs)), algs=["RS256"])
    assert json.loads(verified.header)["kid"] == published["kid"]


async def test_openid_configuration_names_the_issuer_and_its_endpoints(
    http: httpx.AsyncClient, idp: RunningIdp
) -> None:
    # when
    response = await http.get(f"{idp.issuer}/.well-known/openid-configuration")

    # then
    configuration = response.json()
    endpoints = f"{idp.issuer}/protocol/openid-connect"
    assert configuration["issuer"] == idp.issuer
    assert configuration["authorization_endpoint"] == f"{endpoints}/auth"
    assert configuration["token_endpoint"] == idp.token_url
    assert configuration["userinfo_endpoint"] == f"{endpoints}/userinfo"
    assert configuration["end_session_endpoint"] == f"{endpoints}/logout"
    assert configuration["jwks_uri"] == f"{endpoints}/certs"
    assert configuration["response_types_supported"] == ["code"]
    assert configuration["code_challenge_methods_supported"] == ["S256"]
    assert configuration["id_token_signing_alg_values_supported"] == ["RS256"]
    assert configuration["authorization_response_iss_parameter_supported"] is True
    assert set(configuration["grant_types_supported"]) == {
        "authorization_code",
        "password",
        "client_credentials",
        "refresh_token",
    }
    assert set(configuration["token_endpoint_auth_methods_supported"]) == {
        "client_secret_basic",
        "client_secret_post",
    }
    # every endpoint it names is served
    assert (await http.get(configuration["jwks_uri"])).json()["keys"]
    for name in ("authorization_endpoint", "end_session_endpoint", "userinfo_endpoint"):
        assert (await http.get(configuration[name])).status_code != 404, name


def test_signing_key_is_generated_once_private_to_its_owner_and_reused(tmp_path: Path) -> None:
    # given
    keys_dir = tmp_path / "keys"

    # when
    first = load_or_create_signing_key(keys_dir)
    second = load_or_create_signing_key(keys_dir)

    # then
    assert first["kid"] == second["kid"] == first.thumbprint()
    assert first.get_op_key("verify").key_size == 2048
    assert stat.S_IMODE((keys_dir / SIGNING_KEY_FILE).stat().st_mode) == 0o600


@pytest.mark.parametrize("env", ["prod", "staging", ""])
def test_idp_refuses_to_start_outside_dev_and_test(tmp_path: Path, env: str) -> None:
    # when / then
    with pytest.raises(RuntimeError, match="dev identity provider"):
        create_app(
            realm_file=DEV_REALM_FILE,
            keys_dir=tmp_path,
            issuer="http://127.0.0.1:8180/realms/havn",
            env=env,
        )
    assert not (tmp_path / SIGNING_KEY_FILE).exists()
