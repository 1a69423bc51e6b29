"""Bad input: every mutation, every argument, nasty values."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
from graphql import GraphQLNonNull
from jwcrypto.common import base64url_encode

from bench.attack.figures import Figures
from bench.attack.target import sample
from tests.client import GraphQLClient
from tests.security import test_bad_input as bad_input

# Values of the wrong type altogether, for any argument.
WRONG_TYPES = {"an object": {"a": 1}, "a list": [1, 2], "a number": 42, "null": None}
RAW_BODIES = {
    "a JSON null body": "null",
    "a JSON list body": "[]",
    "a JSON string body": '"query"',
    "nested 100,000 deep": "[" * 100_000,
    "not JSON": "{",
}


async def probe_bad_input(gql: GraphQLClient, figures: Figures, *, short: bool) -> None:
    limit = asyncio.Semaphore(4)

    async def send(user: str, query: str, variables: dict[str, Any], what: str) -> None:
        async with limit:
            status, body = await bad_input.post(gql, user, query, variables)
        codes = bad_input.codes(body)
        failed = status >= 500 or "INTERNAL" in codes
        figures.probe("bad input", failed, f"{what}: HTTP {status} {codes}")
        if "BAD_USER_INPUT" in codes:
            figures.note("bad input", "answered BAD_USER_INPUT")

    for mutation in sample(bad_input.MUTATIONS, short):
        query, variables = bad_input.operation(mutation)
        user = await permitted_caller(gql, query, variables)
        field_ = bad_input.MUTATION.fields[mutation]
        probes = []
        for name, arg in field_.args.items():
            for path, kind in bad_input.leaves(arg.type, ()):
                values = {**bad_input.nasty_values(kind), **WRONG_TYPES}
                for label, value in values.items():
                    sent = {**variables, name: bad_input.replaced(variables[name], path, value)}
                    probes.append((sent, f"{mutation}({name}{list(path)}: {label})"))
        await asyncio.gather(
            *(send(user, query, sent, what) for sent, what in sample(probes, short))
        )
    for paged in sample(bad_input.PAGED_QUERIES, short):
        text = f"query($after: String) {{ {paged}(after: $after) {{ __typename }} }}"
        if any(
            isinstance(a.type, GraphQLNonNull) and n != "after"
            for n, a in bad_input.QUERY.fields[paged].args.items()
        ):
            continue
        for label, raw in sample(bad_input.MALFORMED_CURSORS.items(), short):
            cursor = base64url_encode(raw)
            await send("bergen-caseworker", text, {"after": cursor}, f"{paged}(after: {label})")
    for label, raw in sample(RAW_BODIES.items(), short):
        async with httpx.AsyncClient(timeout=60) as http:
            response = await http.post(
                f"{gql.stack.gateway_url}/graphql",
                content=raw,
                headers={
                    "Authorization": f"Bearer {await gql.token('bergen-caseworker')}",
                    "Content-Type": "application/json",
                },
            )
        figures.probe("bad input", response.status_code >= 500, f"{label}: {response.status_code}")


async def permitted_caller(gql: GraphQLClient, query: str, variables: dict[str, Any]) -> str:
    """The first dev user the mutation does not refuse outright (else the first of all)."""
    for user in bad_input.USERS:
        _, body = await bad_input.post(gql, user, query, variables)
        if not {"FORBIDDEN", "UNAUTHENTICATED"} & set(bad_input.codes(body)):
            return user
    return bad_input.USERS[0]
