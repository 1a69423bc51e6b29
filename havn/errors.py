"""Typed domain errors, mapped to the public error codes in one place."""

from __future__ import annotations

from typing import ClassVar


class HavnError(Exception):
    """An error a caller can act on; its message is safe to show. `field` names the input at
    fault in the raiser's own terms: a service's REST schema path (`goals[0].review_on`),
    which the gateway turns into GraphQL's (`goals[0].reviewOn`)."""

    code: ClassVar[str] = "INTERNAL"
    status: ClassVar[int] = 500

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class Unauthenticated(HavnError):
    code = "UNAUTHENTICATED"
    status = 401


class Forbidden(HavnError):
    code = "FORBIDDEN"
    status = 403


class NotFound(HavnError):
    """Also used for records in another tenant, so their existence is not revealed."""

    code = "NOT_FOUND"
    status = 404


class Conflict(HavnError):
    code = "CONFLICT"
    status = 409


class InvalidInput(HavnError):
    code = "BAD_USER_INPUT"
    status = 422


class Unavailable(HavnError):
    """A dependency (the database, a service) is down for now: the same request may be retried."""

    code = "UNAVAILABLE"
    status = 503
    # Seconds a caller should wait before retrying (HTTP `Retry-After`).
    retry_after: ClassVar[int] = 2


ERRORS_BY_CODE: dict[str, type[HavnError]] = {
    cls.code: cls
    for cls in (Unauthenticated, Forbidden, NotFound, Conflict, InvalidInput, Unavailable)
}


def error_from_code(code: str, message: str, field: str | None = None) -> HavnError:
    """Rebuilds a typed error from a service's error body (the gateway's side of the wire)."""
    cls = ERRORS_BY_CODE.get(code, HavnError)
    return cls(message, field=field)
