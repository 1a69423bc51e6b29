"""Bad tokens: at the gateway and at every service."""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
from jwcrypto import jwk
from jwcrypto.common import base64url_encode

from bench.attack.figures import Figures
from bench.attack.target import Target, readable, sample
from havn.auth.idp.tokens import SIGNING_KEY_FILE
from havn.config import SERVICES
from tests.auth.forged import sign, unsigned, unverified_claims
from tests.client import GraphQLClient
from tests.factories import ASKER


async def probe_tokens(
    gql: GraphQLClient, target: Target, figures: Figures, *, short: bool
) -> None:
    async with httpx.AsyncClient(timeout=30) as http:
        answer = (
            await http.post(
                target.token_url,
                data={
                    "grant_type": "password",
                    "client_id": "havn-cli",
                    "username": "bergen-caseworker",
                    "password": "dev",
                },
            )
        ).json()
        certs = (await http.get(f"{target.settings.issuer}/protocol/openid-connect/certs")).json()
    real, refresh = answer["access_token"], answer["refresh_token"]
    claims = unverified_claims(real)
    published = jwk.JWK(**certs["keys"][0])
    stranger = jwk.JWK.generate(kty="RSA", size=2048, kid=published["kid"])
    confused = jwk.JWK(
        kty="oct", k=base64url_encode(published.export_to_pem()), kid=published["kid"]
    )
    now = int(time.time())
    header, _, signature = real.split(".")

    def tampered(changed: dict[str, Any]) -> str:
        return f"{header}.{base64url_encode(json.dumps(claims | changed))}.{signature}"

    variants: dict[str, str] = {
        "signed by a stranger's key under the realm's kid": sign(claims, stranger),
        "alg none": unsigned(claims, kid=published["kid"]),
        "HS256 keyed with the realm's public key": sign(claims, confused, alg="HS256"),
        "roles tampered to platform-admin": tampered(
            {"realm_access": {"roles": ["platform-admin"]}}
        ),
        "tenants tampered to Asker": tampered({"tenants": [ASKER]}),
        "expiry tampered to a year on": tampered({"exp": now + 365 * 86400}),
        "refresh token as bearer": refresh,
        "no signature": f"{header}.{real.split('.')[1]}.",
        "garbage": "not-a-token",
    }
    # With the realm's own key (its owner can read it in the data dir), claims that are wrong.
    key_file = readable(target.settings.data_dir / "keys" / SIGNING_KEY_FILE)
    if key_file is not None:
        key = jwk.JWK.from_pem(key_file.encode())
        signed: dict[str, dict[str, Any]] = {
            "expired an hour ago": {"exp": now - 3600, "iat": now - 3900},
            "valid only from an hour on": {"nbf": now + 3600, "exp": now + 3900},
            "from another issuer": {"iss": "http://127.0.0.1:1/realms/havn"},
            "for another audience": {"aud": "account"},
            "without an expiry": {"exp": None},
            "a refresh token's type": {"typ": "Refresh"},
        }
        for label, changed in signed.items():
            forged = {k: v for k, v in (claims | changed).items() if v is not None}
            variants[f"{label} (realm's key)"] = sign(forged, key)
    else:
        figures.note("bad tokens", "realm's signing key not readable: its variants skipped")

    async def accepted_at_gateway(token: str) -> bool:
        body = await gql.raw(None, "{ me { username } }", token=token)
        return bool((body.get("data") or {}).get("me"))

    async def accepted_by(service: str, token: str) -> bool:
        async with httpx.AsyncClient(timeout=30) as http:
            response = await http.get(
                f"{target.service_url(service)}/v1/dead-letters",
                headers={"Authorization": f"Bearer {token}"},
            )
        return response.status_code != 401

    # the real token is accepted everywhere: a refusal below means something
    if not await accepted_at_gateway(real) or not all(
        [await accepted_by(service, real) for service in SERVICES]
    ):
        raise SystemExit("attack: a genuine token is refused; is the stack up?")
    for label, token in sample(variants.items(), short):
        figures.probe("bad tokens", await accepted_at_gateway(token), f"gateway took {label}")
        for service in SERVICES:
            figures.probe(
                "bad tokens", await accepted_by(service, token), f"{service} took {label}"
            )
