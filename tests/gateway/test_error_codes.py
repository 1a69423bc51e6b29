"""Every error leaves the gateway with a code, and only typed errors keep their message."""

from __future__ import annotations

import pytest
from graphql import GraphQLError

from gateway.security import coded
from havn.errors import Conflict, Forbidden, HavnError, InvalidInput, NotFound, Unauthenticated


def raised(original: Exception | None) -> GraphQLError:
    return GraphQLError("raw message with details", path=["child"], original_error=original)


@pytest.mark.parametrize(
    ("error", "code"),
    [
        (Unauthenticated("sign in"), "UNAUTHENTICATED"),
        (Forbidden("not for your role"), "FORBIDDEN"),
        (NotFound("no such child"), "NOT_FOUND"),
        (Conflict("already accepted"), "CONFLICT"),
        (InvalidInput("bad date", field="dateOfBirth"), "BAD_USER_INPUT"),
    ],
)
def test_a_typed_error_keeps_its_message_and_gets_its_code(error, code):
    result = coded(raised(error))
    assert (result.extensions or {})["code"] == code
    assert result.message == error.message
    assert result.path == ["child"]


def test_an_unexpected_error_is_masked_as_internal():
    result = coded(raised(RuntimeError("password=secret in a stack trace")))
    assert result.extensions == {"code": "INTERNAL"}
    assert "secret" not in result.message
    assert result.message == "an internal error occurred"


def test_an_untyped_havn_error_is_internal():
    assert coded(raised(HavnError("the care service is unavailable"))).extensions == {
        "code": "INTERNAL"
    }


def test_a_validation_error_is_the_callers():
    assert coded(raised(None)).extensions == {"code": "BAD_USER_INPUT"}


def test_the_field_of_bad_input_is_named():
    result = coded(raised(InvalidInput("bad date", field="dateOfBirth")))
    assert result.extensions == {"code": "BAD_USER_INPUT", "field": "dateOfBirth"}
