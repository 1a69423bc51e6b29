"""Forged tokens: a real token's claims read without checking, signed again with any key, or
not signed at all (`alg: none`); for the token tests and `make attack`."""

from __future__ import annotations

import json
from typing import Any

from jwcrypto import jwk, jwt
from jwcrypto.common import base64url_decode, base64url_encode, json_decode


def unverified_claims(token: str) -> dict[str, Any]:
    """Reads a token's payload without checking it: to copy real claims into forged tokens."""
    claims: dict[str, Any] = json_decode(base64url_decode(token.split(".")[1]))
    return claims


def sign(claims: dict[str, Any], key: jwk.JWK, *, alg: str = "RS256") -> str:
    token = jwt.JWT(header={"alg": alg, "typ": "JWT", "kid": key["kid"]}, claims=claims)
    token.make_signed_token(key)
    serialized: str = token.serialize()
    return serialized


def unsigned(claims: dict[str, Any], *, kid: str) -> str:
    """An `alg: none` token, which a careless verifier would accept without a signature."""
    header = base64url_encode(json.dumps({"alg": "none", "typ": "JWT", "kid": kid}))
    return f"{header}.{base64url_encode(json.dumps(claims))}."
