"""Bad input through the gateway: every mutation, every argument, a set of nasty values; the
answer is always BAD_USER_INPUT (or a domain code), never INTERNAL and never a 5xx.

The other arguments stay invalid (so a probe writes nothing), so what a service refuses may be
named after another field here: test_bad_input_fields.py names each such field exactly."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import httpx
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    get_named_type,
    is_leaf_type,
)

from gateway.schema import build_schema
from havn.clock import Clock
from tests.client import GraphQLClient

_SCHEMA = build_schema(introspection=True)._schema
assert _SCHEMA.query_type is not None and _SCHEMA.mutation_type is not None
QUERY, MUTATION = _SCHEMA.query_type, _SCHEMA.mutation_type
MUTATIONS = sorted(MUTATION.fields)
PAGED_QUERIES = sorted(name for name, f in QUERY.fields.items() if "after" in f.args)
# Every user there is, in the order tried: the first one not FORBIDDEN calls the mutation.
USERS = (
    "bergen-coordinator",
    "bergen-caseworker",
    "bergen-volunteers",
    "bergen-admin",
    "bergen-contact",
    "imdi-allocator",
    "imdi-analyst",
    "platform-admin",
    "sos-partner",
)
# Codes a refusal may legitimately carry besides BAD_USER_INPUT: the record named by the
# (random) ids does not exist, or the caller may not act on it.
DOMAIN_CODES = {"BAD_USER_INPUT", "NOT_FOUND", "FORBIDDEN", "CONFLICT"}
# Values the gateway refuses before any service is called, whatever the field.
GATEWAY_REFUSED_STRINGS = {
    "NUL": "a\x00b",
    "lone surrogate": "a\ud800b",
    "100k characters": "x" * 100_000,
}
# Values a service refuses (no service call may answer them with INTERNAL).
STRINGS = {
    **GATEWAY_REFUSED_STRINGS,
    "bidi override": "Amina\u202eimihaR",
    "zero-width space": "Ami\u200bna",
    "escape character": "Amina\x1b[31m",
}
DATES = {"year 9999": "9999-12-31", "year 1": "0001-01-01", "13th month": "2024-13-01"}
INTS = {"a fraction": 1.5, "beyond 32 bits": 2**40, "negative": -1}


def baseline(type_: GraphQLInputType) -> Any:
    """A value of the type that GraphQL accepts and the domain refuses (an empty text, a
    negative number, an unknown id): the probes write nothing."""
    if isinstance(type_, GraphQLNonNull):
        return baseline(type_.of_type)
    if isinstance(type_, GraphQLList):
        return [baseline(type_.of_type)]
    if isinstance(type_, GraphQLInputObjectType):
        return {name: baseline(field.type) for name, field in type_.fields.items()}
    if isinstance(type_, GraphQLEnumType):
        return next(iter(type_.values))
    return {
        "ID": str(uuid.uuid4()),
        "String": "",
        "Int": -1,
        "Float": 1.0,
        "Boolean": False,
        "Date": Clock().today().isoformat(),
    }[type_.name]


def leaves(type_: GraphQLInputType, path: tuple[str | int, ...]) -> list[tuple[tuple, str]]:
    """Each leaf position below a variable, with its type's name."""
    named = get_named_type(type_)
    inner = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
    if isinstance(inner, GraphQLList):
        return leaves(inner.of_type, (*path, 0))
    if isinstance(named, GraphQLInputObjectType):
        return [
            leaf
            for name, field in named.fields.items()
            for leaf in leaves(field.type, (*path, name))
        ]
    return [(path, named.name if not isinstance(named, GraphQLEnumType) else "enum")]


def replaced(value: Any, path: tuple, new: Any) -> Any:
    if not path:
        return new
    head, *rest = path
    if isinstance(value, list):
        return [replaced(value[0], tuple(rest), new)]
    return {**value, head: replaced(value[head], tuple(rest), new)}


def nasty_values(kind: str) -> dict[str, Any]:
    if kind in ("String", "ID"):
        return STRINGS
    if kind == "Date":
        return {**DATES, **GATEWAY_REFUSED_STRINGS}
    if kind == "Int":
        return INTS
    if kind == "enum":
        return {"an unknown enum value": "NOT_A_VALUE"}
    return {}


def operation(mutation: str) -> tuple[str, dict[str, Any]]:
    """The mutation with every argument a variable, and baseline values for them."""
    field = MUTATION.fields[mutation]
    declared = ", ".join(f"${name}: {arg.type}" for name, arg in field.args.items())
    passed = ", ".join(f"{name}: ${name}" for name in field.args)
    selection = "" if is_leaf_type(get_named_type(field.type)) else " { __typename }"
    text = f"mutation{f'({declared})' if declared else ''} {{ {mutation}"
    text += f"{f'({passed})' if passed else ''}{selection} }}"
    return text, {name: baseline(arg.type) for name, arg in field.args.items()}


async def post(gql: GraphQLClient, user: str, query: str, variables: dict[str, Any]) -> tuple:
    """Posts as `user`; the body is ASCII JSON so a lone surrogate travels as its escape."""
    headers = {
        "Authorization": f"Bearer {await gql.token(user)}",
        "Content-Type": "application/json",
    }
    if user == "sos-partner":
        headers["X-Havn-Tenant"] = "4601"
    body = json.dumps({"query": query, "variables": variables}, ensure_ascii=True)
    async with httpx.AsyncClient(timeout=60) as http:
        response = await http.post(
            f"{gql.stack.gateway_url}/graphql", content=body, headers=headers
        )
    return response.status_code, response.json()


def codes(body: dict[str, Any]) -> list[str]:
    return [error.get("extensions", {}).get("code") for error in body.get("errors") or []]


async def caller_of(
    gql: GraphQLClient, query: str, variables: dict[str, Any], *, mutation: bool = False
) -> str:
    for user in USERS:
        status, body = await post(gql, user, query, variables)
        assert status < 500 and "INTERNAL" not in codes(body), (user, body)
        assert codes(body) or not mutation, (user, "a probe must change nothing", body)
        if not {"FORBIDDEN", "UNAUTHENTICATED"} & set(codes(body)):
            return user
    return USERS[0]  # nobody may: the refusal still must not be INTERNAL


def refused_by_gateway(name: str, path: tuple, kind: str, label: str) -> str | None:
    """The field the gateway names when it refuses the value itself, before any service."""
    if label in GATEWAY_REFUSED_STRINGS:
        return name + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path)
    if kind == "enum" or (kind == "Int" and label != "negative") or label == "13th month":
        return name  # a variable that does not fit its type
    return None


@pytest.mark.parametrize("mutation", MUTATIONS)
async def test_nasty_values_in_any_argument_are_refused_as_bad_input_never_internal(
    gql: GraphQLClient, mutation: str
) -> None:
    # given the mutation, as a user allowed to call it
    query, variables = operation(mutation)
    user = await caller_of(gql, query, variables, mutation=True)
    field = MUTATION.fields[mutation]
    failures = []

    # when each argument (and each field of an input) in turn carries each nasty value
    for name, arg in field.args.items():
        for path, kind in leaves(arg.type, ()):
            for label, value in nasty_values(kind).items():
                sent = {**variables, name: replaced(variables[name], path, value)}
                status, body = await post(gql, user, query, sent)
                got = codes(body)
                # then: never INTERNAL nor a 5xx; what the gateway itself refuses is
                # BAD_USER_INPUT naming the very variable (a variable's path for a string)
                named = {e.get("extensions", {}).get("field") for e in body.get("errors") or []}
                expected = refused_by_gateway(name, path, kind, label)
                wrong = (
                    status >= 500
                    or not set(got) <= DOMAIN_CODES
                    or (expected is not None and (got, named) != (["BAD_USER_INPUT"], {expected}))
                )
                if wrong:
                    failures.append((name, path, label, status, got, body.get("errors")))

    assert failures == []


MALFORMED_CURSORS = {
    "nested 5,000 deep": "[" * 5000 + "]" * 5000,
    "an infinite number": "[1e999]",
    "not a number": "[NaN]",
    "a nested list": '[["2024-01-01"], "00000000-0000-0000-0000-000000000000"]',
    "a NUL": '["a\\u0000", "00000000-0000-0000-0000-000000000000"]',
    "not JSON": "{",
}


@pytest.mark.parametrize("query", PAGED_QUERIES)
async def test_a_malformed_cursor_on_any_list_is_bad_input_naming_after_never_internal(
    gql: GraphQLClient, query: str
) -> None:
    # given a user that may read the list (a required search name is "a", an id unknown)
    field = QUERY.fields[query]
    required = {n: a for n, a in field.args.items() if isinstance(a.type, GraphQLNonNull)}
    declared = ", ".join(["$after: String", *(f"${n}: {a.type}" for n, a in required.items())])
    passed = ", ".join(["after: $after", *(f"{n}: ${n}" for n in required)])
    text = f"query({declared}) {{ {query}({passed}) {{ __typename }} }}"
    variables = {
        name: "a" if get_named_type(arg.type).name == "String" else baseline(arg.type)
        for name, arg in required.items()
    }
    user = await caller_of(gql, text, variables)

    # when a cursor of another shape than the lists give out comes back
    answers = {
        label: await post(
            gql, user, text, {**variables, "after": base64.urlsafe_b64encode(raw.encode()).decode()}
        )
        for label, raw in MALFORMED_CURSORS.items()
    }

    # then it is bad input naming `after` (unless the list is not the caller's to read, or it
    # names nothing: an unknown child's access log, a partner without grants)
    for label, (status, body) in answers.items():
        errors = body.get("errors") or []
        assert status == 200, label
        assert codes(body) in ([], ["BAD_USER_INPUT"], ["NOT_FOUND"], ["FORBIDDEN"]), label
        bad_input = [e for e in errors if e["extensions"]["code"] == "BAD_USER_INPUT"]
        assert all(e["extensions"].get("field") == "after" for e in bad_input), (label, errors)


async def test_a_malformed_cursor_on_the_caseload_is_bad_input_naming_after(
    gql: GraphQLClient,
) -> None:
    query = "query($after: String) { children(after: $after) { totalCount } }"
    for label, raw in MALFORMED_CURSORS.items():
        cursor = base64.urlsafe_b64encode(raw.encode()).decode()
        status, body = await post(gql, "bergen-caseworker", query, {"after": cursor})
        assert status == 200, label
        assert [e["extensions"] for e in body["errors"]] == [
            {"code": "BAD_USER_INPUT", "field": "after"}
        ], label
