"""The one way the client reaches Havn: named operations posted to the gateway's /graphql.

Operations live in `web/<area>/operations/<Name>.graphql`, one per file, named as the file.
Each call carries the user's bearer token and chosen municipality. The gateway's error
codes become what a person should see: UNAUTHENTICATED signs in again, NOT_FOUND is the 404
page, UNAVAILABLE and INTERNAL the "try again" page, a root-level FORBIDDEN the "not
available for your role" page; FORBIDDEN at a field, BAD_USER_INPUT and CONFLICT stay in
the result for the page to show where they belong.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp

logger = logging.getLogger("havn.web")

_OPERATION = re.compile(r"^\s*(query|mutation)\s+([A-Za-z_][A-Za-z0-9_]*)", re.MULTILINE)


class SignInRequired(Exception):
    """The gateway or the session says the user is not (or no longer) signed in."""


class PageNotFound(Exception):
    """NOT_FOUND: the record does not exist, or the user may not know that it does."""


class NotAvailableForRole(Exception):
    """FORBIDDEN on the whole operation: nothing of it is for this role."""


class ServiceUnavailable(Exception):
    """UNAVAILABLE or INTERNAL, or the gateway unreachable: safe to try again."""


@dataclass(frozen=True)
class GraphQLError:
    code: str
    message: str
    path: tuple[str | int, ...] = ()
    field: str | None = None


@dataclass
class GraphQLResult:
    """The answer of one operation: its data and the errors a page shows in place."""

    data: dict[str, Any]
    errors: list[GraphQLError] = field(default_factory=list)

    def forbidden(self, *path: str | int) -> bool:
        """Whether the field at `path` (or anything under it) was withheld from this role."""
        return any(e.code == "FORBIDDEN" and e.path[: len(path)] == path for e in self.errors)

    def withheld(self, *path: str | int) -> frozenset[tuple[str | int, ...]]:
        """Every path under `path` that `forbidden` is true of, relative to it: a list's rows
        ask `(index, "node", field) in withheld` rather than searching the errors each."""
        return frozenset(
            e.path[len(path) : end]
            for e in self.errors
            if e.code == "FORBIDDEN" and e.path[: len(path)] == path
            for end in range(len(path) + 1, len(e.path) + 1)
        )

    @property
    def field_errors(self) -> dict[str, str]:
        """BAD_USER_INPUT messages by the input field at fault ("" for the form as a whole)."""
        return {e.field or "": e.message for e in self.errors if e.code == "BAD_USER_INPUT"}

    @property
    def conflicts(self) -> list[str]:
        """CONFLICT messages: the state the record is in, which forbids the change."""
        return [e.message for e in self.errors if e.code == "CONFLICT"]

    @property
    def ok(self) -> bool:
        return not any(e.code in ("BAD_USER_INPUT", "CONFLICT") for e in self.errors)


def load_operations(directories: Iterable[Path]) -> dict[str, str]:
    """Reads every `<Name>.graphql`; each holds one operation named as its file."""
    operations: dict[str, str] = {}
    for directory in directories:
        for path in sorted(directory.glob("*.graphql")):
            document = path.read_text()
            names = [name for _, name in _OPERATION.findall(document)]
            if names != [path.stem]:
                raise ValueError(f"{path} must hold one operation named {path.stem}")
            if path.stem in operations:
                raise ValueError(f"operation {path.stem} is defined twice")
            operations[path.stem] = document
    return operations


def _error(raw: Mapping[str, Any]) -> GraphQLError:
    extensions = raw.get("extensions") or {}
    return GraphQLError(
        code=str(extensions.get("code", "INTERNAL")),
        message=str(raw.get("message", "")),
        path=tuple(raw.get("path") or ()),
        field=extensions.get("field"),
    )


def _raise_for_page(data: Mapping[str, Any] | None, errors: Sequence[GraphQLError]) -> None:
    """Raises what replaces the whole page; leaves the in-place errors to the caller."""
    codes = {e.code for e in errors}
    if "UNAUTHENTICATED" in codes:
        raise SignInRequired
    if codes & {"UNAVAILABLE", "INTERNAL"}:
        raise ServiceUnavailable
    # Only an error at a root field (or none at all) blanks the page; one deeper down is
    # the page's to show in place ("not available for your role" at that field).
    roots = [e for e in errors if len(e.path) <= 1]
    for error in roots:
        root = error.path[0] if error.path else None
        if data and root is not None and data.get(str(root)) is not None:
            continue
        if error.code == "NOT_FOUND":
            raise PageNotFound
        if error.code == "FORBIDDEN":
            raise NotAvailableForRole


class GatewayClient:
    """Posts the named operations to the gateway as the signed-in user.

    aiohttp, as the gateway's own calls to the services (gateway/services.py): every page
    makes one call or more, and httpx's client cost a fifth of a caseload page's CPU.
    """

    def __init__(
        self, gateway_url: str, operations: Mapping[str, str], http: aiohttp.ClientSession
    ) -> None:
        self._url = f"{gateway_url}/graphql"
        self._operations = operations
        self._http = http

    @property
    def operation_names(self) -> frozenset[str]:
        return frozenset(self._operations)

    async def execute(
        self,
        operation: str,
        variables: Mapping[str, Any] | None = None,
        *,
        access_token: str,
        tenant: str | None = None,
        idempotency_key: str | None = None,
    ) -> GraphQLResult:
        headers = {"Authorization": f"Bearer {access_token}"}
        if tenant:
            headers["X-Havn-Tenant"] = tenant
        if idempotency_key:
            headers["Idempotency-Key"] = idempotency_key
        body = {
            "query": self._operations[operation],
            "operationName": operation,
            "variables": dict(variables or {}),
        }
        try:
            async with self._http.post(self._url, json=body, headers=headers) as response:
                status = response.status
                answer = await response.json(content_type=None)
        except (TimeoutError, aiohttp.ClientError, ValueError) as error:
            # The operation's name only: variables may hold a child's name.
            logger.warning("gateway unreachable for %s: %s", operation, type(error).__name__)
            raise ServiceUnavailable from error
        if status == 401:
            raise SignInRequired
        errors = [_error(raw) for raw in answer.get("errors") or ()]
        data = answer.get("data")
        _raise_for_page(data, errors)
        return GraphQLResult(data=data or {}, errors=errors)
