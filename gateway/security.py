"""Who may see which field (declared once per field), error codes, and query limits."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from graphql import GraphQLError
from strawberry.extensions import (
    DisableIntrospection,
    MaskErrors,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    QueryDepthLimiter,
    SchemaExtension,
)

from havn.auth import DataClass, Principal, Role
from havn.errors import Forbidden, HavnError, InvalidInput

if TYPE_CHECKING:
    from strawberry.types import Info

logger = logging.getLogger("havn.gateway")

MAX_DEPTH = 10
MAX_ALIASES = 15
MAX_TOKENS = 2000


@dataclass(frozen=True)
class Access:
    """A field's declaration: the roles that may see it (None: any) and its data class."""

    data_class: DataClass
    roles: frozenset[Role] | None = None

    def allows(self, principal: Principal) -> bool:
        if self.roles is not None and not principal.has_any_role(self.roles):
            return False
        return principal.cleared_for(self.data_class)


PERSONAL = Access(DataClass.PERSONAL)
CONFIDENTIAL = Access(DataClass.CONFIDENTIAL)
CARE_PLAN = Access(
    DataClass.BASIC,
    frozenset({Role.SETTLEMENT_COORDINATOR, Role.CASEWORKER, Role.CONTACT_PERSON}),
)
TRANSITION = Access(DataClass.PERSONAL, frozenset({Role.SETTLEMENT_COORDINATOR, Role.CASEWORKER}))
COMMUNITY = Access(
    DataClass.BASIC,
    frozenset(
        {
            Role.SETTLEMENT_COORDINATOR,
            Role.CASEWORKER,
            Role.CONTACT_PERSON,
            Role.VOLUNTEER_COORDINATOR,
            Role.MUNICIPALITY_ADMIN,
            Role.PARTNER,
        }
    ),
)


def guard(info: Info[Any, Any], access: Access) -> Principal:
    """Refuses a field the caller may not see: it resolves to null with FORBIDDEN at its path."""
    principal: Principal = info.context.principal
    if not access.allows(principal):
        raise Forbidden(f"your role may not see {info.field_name}")
    return principal


def parse_id(value: str, field: str = "id") -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise InvalidInput(f"{field} is not a Havn id", field=field) from None


def coded(error: GraphQLError) -> GraphQLError:
    """Every error leaves with a code; only typed errors keep their message."""
    original = error.original_error
    if isinstance(original, HavnError) and original.code != "INTERNAL":
        code, message = original.code, original.message
    elif isinstance(original, HavnError):
        code, message = "INTERNAL", original.message
    elif original is None:
        # Parse and validation errors (bad syntax, unknown fields, limits) are the caller's.
        code, message = "BAD_USER_INPUT", error.message
    else:
        code, message = "INTERNAL", "an internal error occurred"
    extensions: dict[str, Any] = {"code": code}
    if isinstance(original, HavnError) and original.field:
        extensions["field"] = original.field
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


class ErrorCodes(MaskErrors):
    """Strawberry's error masking, with our codes instead of one generic message."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda _: True)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return coded(error)


def extensions(*, introspection: bool) -> list[Callable[[], SchemaExtension]]:
    """Factories: strawberry builds fresh extensions for every request."""
    built: list[Callable[[], SchemaExtension]] = [
        lambda: QueryDepthLimiter(max_depth=MAX_DEPTH),
        lambda: MaxAliasesLimiter(max_alias_count=MAX_ALIASES),
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        ErrorCodes,
    ]
    if not introspection:
        built.append(DisableIntrospection)
    return built


def is_unexpected(error: GraphQLError) -> bool:
    original = error.original_error
    return original is not None and (
        not isinstance(original, HavnError) or original.code == "INTERNAL"
    )
