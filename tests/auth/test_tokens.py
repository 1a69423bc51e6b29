"""Token verification refuses every token the realm did not issue for the gateway."""

from __future__ import annotations

import asyncio
import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from jwcrypto import jwk
from jwcrypto.common import base64url_encode

from havn.auth.policy import Role
from havn.auth.tokens import TokenVerifier, principal_from_claims
from havn.embedded import free_port
from havn.errors import Forbidden, Unauthenticated
from tests.auth.conftest import (
    AUDIENCE,
    NO_AUDIENCE_CLIENT,
    REFRESH_INTERVAL,
    RunningIdp,
    password_token,
    running_idp,
)
from tests.auth.forged import sign, unsigned, unverified_claims


@pytest.fixture
async def caseworker_token(http: httpx.AsyncClient, idp: RunningIdp) -> str:
    token: str = (await password_token(http, idp, "bergen-caseworker"))["access_token"]
    return token


@pytest.fixture(scope="session")
def stranger_key() -> jwk.JWK:
    """An RSA key the realm never published."""
    return jwk.JWK.generate(kty="RSA", size=2048, kid="stranger")


async def test_token_issued_by_the_realm_for_the_gateway_verifies(
    verifier: TokenVerifier, caseworker_token: str
) -> None:
    # when
    claims = await verifier.verify(caseworker_token)

    # then
    assert claims["preferred_username"] == "bergen-caseworker"


async def test_alg_none_token_is_refused_before_any_key_is_fetched(
    idp: RunningIdp, verifier: TokenVerifier, caseworker_token: str
) -> None:
    # given
    forged = unsigned(unverified_claims(caseworker_token), kid=idp.signing_key()["kid"])
    fetched = idp.certs_requests()

    # when / then
    with pytest.raises(Unauthenticated, match="algorithm"):
        await verifier.verify(forged)
    assert idp.certs_requests() == fetched


async def test_hs256_token_keyed_with_the_public_key_is_refused_before_any_key_is_fetched(
    idp: RunningIdp, verifier: TokenVerifier, caseworker_token: str
) -> None:
    # given: the classic key confusion, HMAC keyed with the realm's published RSA key
    public_pem = idp.signing_key().export_to_pem()
    confused = jwk.JWK(kty="oct", k=base64url_encode(public_pem), kid=idp.signing_key()["kid"])
    forged = sign(unverified_claims(caseworker_token), confused, alg="HS256")
    fetched = idp.certs_requests()

    # when / then
    with pytest.raises(Unauthenticated, match="algorithm"):
        await verifier.verify(forged)
    assert idp.certs_requests() == fetched


async def test_token_with_a_tampered_payload_is_refused(
    verifier: TokenVerifier, caseworker_token: str
) -> None:
    # given: a real signature over a payload that now claims platform-admin
    header, _, signature = caseworker_token.split(".")
    claims = unverified_claims(caseworker_token)
    claims["realm_access"]["roles"].append(Role.PLATFORM_ADMIN.value)
    tampered = f"{header}.{base64url_encode(json.dumps(claims))}.{signature}"

    # when / then
    with pytest.raises(Unauthenticated, match="invalid token"):
        await verifier.verify(tampered)


async def test_token_from_another_issuer_is_refused(
    idp: RunningIdp, verifier: TokenVerifier, caseworker_token: str
) -> None:
    # given
    claims = unverified_claims(caseworker_token) | {"iss": "http://127.0.0.1:1/realms/havn"}
    forged = sign(claims, idp.signing_key())

    # when / then
    with pytest.raises(Unauthenticated, match="invalid token"):
        await verifier.verify(forged)


async def test_token_without_the_gateway_audience_is_refused(
    http: httpx.AsyncClient, idp: RunningIdp, verifier: TokenVerifier
) -> None:
    # given: a genuine token from a client that lacks the audience mapper
    token = (await password_token(http, idp, "bergen-caseworker", client_id=NO_AUDIENCE_CLIENT))[
        "access_token"
    ]

    # when / then
    with pytest.raises(Unauthenticated, match="invalid token"):
        await verifier.verify(token)


async def test_token_for_another_audience_is_refused(
    idp: RunningIdp, verifier: TokenVerifier, caseworker_token: str
) -> None:
    # given
    forged = sign(unverified_claims(caseworker_token) | {"aud": "account"}, idp.signing_key())

    # when / then
    with pytest.raises(Unauthenticated, match="invalid token"):
        await verifier.verify(forged)


async def test_refresh_token_is_not_accepted_as_a_bearer_token(
    http: httpx.AsyncClient, idp: RunningIdp, verifier: TokenVerifier
) -> None:
    # given
    refresh_token = (await password_token(http, idp, "bergen-caseworker"))["refresh_token"]

    # when / then
    with pytest.raises(Unauthenticated, match="invalid token"):
        await verifier.verify(refresh_token)


async def test_token_that_is_not_an_access_token_is_refused_even_with_the_gateway_audience(
    idp: RunningIdp, verifier: TokenVerifier, caseworker_token: str
) -> None:
    # given: an ID token, signed by the realm, that names the gateway as its audience
    id_token = sign(unverified_claims(caseworker_token) | {"typ": "ID"}, idp.signing_key())

    # when / then
    with pytest.raises(Unauthenticated, match="invalid token"):
        await verifier.verify(id_token)


async def test_token_expired_beyond_the_leeway_is_refused(
    idp: RunningIdp, verifier: TokenVerifier, caseworker_token: str
) -> None:
    # given: expired 60 s ago; the leeway is 30 s
    expired = sign(_expiring(caseworker_token, seconds=-60), idp.signing_key())

    # when / then
    with pytest.raises(Unauthenticated, match="expired"):
        await verifier.verify(expired)


async def test_token_expired_within_the_leeway_still_verifies(
    idp: RunningIdp, verifier: TokenVerifier, caseworker_token: str
) -> None:
    # given: expired 10 s ago, within the 30 s allowed for clock skew
    recently_expired = sign(_expiring(caseworker_token, seconds=-10), idp.signing_key())

    # when
    claims = await verifier.verify(recently_expired)

    # then
    assert claims["sub"] == unverified_claims(caseworker_token)["sub"]


async def test_token_without_expiry_is_refused(
    idp: RunningIdp, verifier: TokenVerifier, caseworker_token: str
) -> None:
    # given
    claims = unverified_claims(caseworker_token)
    del claims["exp"]

    # when / then
    with pytest.raises(Unauthenticated, match="invalid token"):
        await verifier.verify(sign(claims, idp.signing_key()))


async def test_token_signed_with_a_key_outside_the_realms_jwks_is_refused(
    verifier: TokenVerifier, caseworker_token: str, stranger_key: jwk.JWK
) -> None:
    # given
    forged = sign(unverified_claims(caseworker_token), stranger_key)

    # when / then
    with pytest.raises(Unauthenticated, match="unknown key"):
        await verifier.verify(forged)


@pytest.mark.parametrize("garbage", ["", "not-a-jwt", "a.b", "e30.e30.e30.e30.e30", "!!.!!.!!"])
async def test_malformed_token_is_refused(verifier: TokenVerifier, garbage: str) -> None:
    # when / then
    with pytest.raises(Unauthenticated, match="malformed"):
        await verifier.verify(garbage)


async def test_refusal_message_never_repeats_the_token(
    verifier: TokenVerifier, caseworker_token: str
) -> None:
    # given
    header, payload, _ = caseworker_token.split(".")

    # when
    with pytest.raises(Unauthenticated) as refusal:
        await verifier.verify(f"{header}.{payload}.c2lnbmF0dXJl")

    # then
    assert payload not in refusal.value.message


async def test_unknown_kid_refetches_the_jwks_at_most_once_per_interval(
    idp: RunningIdp, verifier: TokenVerifier, caseworker_token: str, stranger_key: jwk.JWK
) -> None:
    # given: a verifier that has just fetched the realm's keys
    await verifier.verify(caseworker_token)
    fetched = idp.certs_requests()
    forged = sign(unverified_claims(caseworker_token), stranger_key)

    # when: unknown kids arrive within the interval
    for _ in range(3):
        with pytest.raises(Unauthenticated, match="unknown key"):
            await verifier.verify(forged)

    # then: nobody asked the identity provider again
    assert idp.certs_requests() == fetched

    # when: the interval has passed and unknown kids keep arriving
    await asyncio.sleep(REFRESH_INTERVAL)
    for _ in range(3):
        with pytest.raises(Unauthenticated, match="unknown key"):
            await verifier.verify(forged)

    # then: exactly one refetch
    assert idp.certs_requests() == fetched + 1


async def test_concurrent_requests_with_an_uncached_kid_fetch_the_jwks_once(
    idp: RunningIdp, verifier: TokenVerifier, caseworker_token: str
) -> None:
    # given: a verifier with an empty cache
    fetched = idp.certs_requests()

    # when
    results = await asyncio.gather(*(verifier.verify(caseworker_token) for _ in range(20)))

    # then
    assert all(claims["preferred_username"] == "bergen-caseworker" for claims in results)
    assert idp.certs_requests() == fetched + 1


async def test_rotated_key_verifies_after_refresh_and_the_retired_key_no_longer_does(
    http: httpx.AsyncClient, realm_file: Path, tmp_path: Path
) -> None:
    # given: a service that has verified a token signed with the first key
    port = free_port()
    issuer = f"http://127.0.0.1:{port}/realms/havn"
    verifier = TokenVerifier(issuer, AUDIENCE, refresh_interval=REFRESH_INTERVAL)
    try:
        async with running_idp(realm_file=realm_file, keys_dir=tmp_path / "old", port=port) as old:
            old_token = (await password_token(http, old, "bergen-caseworker"))["access_token"]
            await verifier.verify(old_token)

        # when: the identity provider restarts with a new key, and the interval passes
        async with running_idp(realm_file=realm_file, keys_dir=tmp_path / "new", port=port) as new:
            await asyncio.sleep(REFRESH_INTERVAL)
            new_token = (await password_token(http, new, "bergen-caseworker"))["access_token"]
            claims = await verifier.verify(new_token)

            # then
            assert new.signing_key()["kid"] != old.signing_key()["kid"]
            assert claims["preferred_username"] == "bergen-caseworker"
            with pytest.raises(Unauthenticated, match="unknown key"):
                await verifier.verify(old_token)
    finally:
        await verifier.aclose()


async def test_unreachable_identity_provider_refuses_tokens_with_a_safe_message(
    caseworker_token: str,
) -> None:
    # given: nothing listens where the realm should be
    verifier = TokenVerifier(f"http://127.0.0.1:{free_port()}/realms/havn", AUDIENCE)

    # when / then
    try:
        with pytest.raises(Unauthenticated, match="signing keys unavailable"):
            await verifier.verify(caseworker_token)
    finally:
        await verifier.aclose()


def _claims(**overrides: Any) -> dict[str, Any]:
    claims: dict[str, Any] = {
        "sub": "c5b1a8f0-0000-4000-8000-000000000001",
        "preferred_username": "sos-partner",
        "realm_access": {"roles": ["partner", "default-roles-havn", "offline_access"]},
        "tenants": ["4601", "3203"],
        "org": "sos-barnebyer",
    }
    return claims | overrides


def test_tenant_header_outside_the_users_municipalities_is_forbidden() -> None:
    # when / then
    with pytest.raises(Forbidden, match="X-Havn-Tenant"):
        principal_from_claims(_claims(), token="t", requested_tenant="5501")


def test_tenant_header_picks_one_of_the_users_municipalities() -> None:
    # when
    principal = principal_from_claims(_claims(), token="t", requested_tenant="3203")

    # then
    assert principal.tenant == "3203"
    assert principal.tenants == ("4601", "3203")
    assert principal.org == "sos-barnebyer"
    assert principal.username == "sos-partner"
    assert principal.subject == "c5b1a8f0-0000-4000-8000-000000000001"
    assert principal.token == "t"


def test_user_of_several_municipalities_without_a_header_is_bound_to_none() -> None:
    # when
    principal = principal_from_claims(_claims(), token="t", requested_tenant=None)

    # then
    assert principal.tenant is None


def test_user_of_one_municipality_is_bound_to_it_without_a_header() -> None:
    # when
    principal = principal_from_claims(
        _claims(tenants=["4601"], org=None), token="t", requested_tenant=None
    )

    # then
    assert principal.tenant == "4601"
    assert principal.org is None


def test_user_without_municipalities_cannot_name_one() -> None:
    # given
    claims = _claims(realm_access={"roles": ["directorate-analyst"]})
    del claims["tenants"]

    # when / then
    with pytest.raises(Forbidden):
        principal_from_claims(claims, token="t", requested_tenant="4601")


def test_roles_the_platform_does_not_know_are_ignored() -> None:
    # when
    principal = principal_from_claims(_claims(), token="t", requested_tenant=None)

    # then
    assert principal.roles == frozenset({Role.PARTNER})


def test_claims_without_a_subject_are_unauthenticated() -> None:
    # given
    claims = _claims()
    del claims["sub"]

    # when / then
    with pytest.raises(Unauthenticated):
        principal_from_claims(claims, token="t", requested_tenant=None)


def _expiring(token: str, *, seconds: int) -> dict[str, Any]:
    now = int(time.time())
    return unverified_claims(token) | {"iat": now + seconds - 300, "exp": now + seconds}


async def test_a_verified_token_is_checked_anew_once_it_expires(
    idp: RunningIdp, caseworker_token: str
) -> None:
    # given a verifier with no leeway that has verified a token expiring in two seconds
    # (whole seconds: at least one left however late in the current second this starts)
    verifier = TokenVerifier(idp.issuer, AUDIENCE, leeway=0)
    try:
        claims = _expiring(caseworker_token, seconds=2)
        token = sign(claims, idp.signing_key())
        first = await verifier.verify(token)
        again = await verifier.verify(token)

        # when it has expired
        await asyncio.sleep(claims["exp"] - time.time() + 0.2)

        # then the remembered verification no longer stands in for the check
        assert first == again
        with pytest.raises(Unauthenticated, match="expired"):
            await verifier.verify(token)
    finally:
        await verifier.aclose()


async def test_a_verifier_remembers_a_bounded_number_of_tokens(
    idp: RunningIdp, verifier: TokenVerifier, caseworker_token: str, monkeypatch
) -> None:
    # given room for two tokens
    monkeypatch.setattr("havn.auth.tokens.VERIFIED_TOKENS", 2)
    tokens = [
        sign(_expiring(caseworker_token, seconds=300 + i), idp.signing_key()) for i in range(3)
    ]

    # when three are verified
    for token in tokens:
        await verifier.verify(token)

    # then only the two newest are remembered
    assert list(verifier._verified) == tokens[1:]


def _valid_from(token: str, *, seconds: int) -> dict[str, Any]:
    now = int(time.time())
    return unverified_claims(token) | {"nbf": now + seconds, "exp": now + seconds + 300}


async def test_token_not_valid_until_beyond_the_leeway_is_refused(
    idp: RunningIdp, verifier: TokenVerifier, caseworker_token: str
) -> None:
    # given: valid only from an hour on; the leeway is 30 s
    early = sign(_valid_from(caseworker_token, seconds=3600), idp.signing_key())

    # when / then
    with pytest.raises(Unauthenticated, match="not yet valid"):
        await verifier.verify(early)


async def test_token_valid_from_within_the_leeway_verifies(
    idp: RunningIdp, verifier: TokenVerifier, caseworker_token: str
) -> None:
    # given: valid from 10 s on, within the 30 s allowed for clock skew (as for `exp`)
    nearly = sign(_valid_from(caseworker_token, seconds=10), idp.signing_key())

    # when
    claims = await verifier.verify(nearly)

    # then
    assert claims["preferred_username"] == "bergen-caseworker"


@pytest.mark.parametrize("not_before", ["soon", True, [1]])
async def test_token_whose_nbf_is_not_a_time_is_refused(
    idp: RunningIdp, verifier: TokenVerifier, caseworker_token: str, not_before: object
) -> None:
    # given
    odd = sign(unverified_claims(caseworker_token) | {"nbf": not_before}, idp.signing_key())

    # when / then
    with pytest.raises(Unauthenticated, match="invalid token"):
        await verifier.verify(odd)
