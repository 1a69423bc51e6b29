"""How a field's permission is declared and checked, error codes, and query limits."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import suppress
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationType,
    VariableDefinitionNode,
    validate,
)
from graphql.validation import ASTValidationRule, NoSchemaIntrospectionCustomRule
from strawberry.extensions import (
    AddValidationRules,
    FieldExtension,
    MaskErrors,
    MaxTokensLimiter,
    ParserCache,
    SchemaExtension,
)
from strawberry.extensions.max_aliases import create_validator as aliases_rule
from strawberry.extensions.query_depth_limiter import create_validator as depth_rule
from strawberry.schema.schema import StrawberryGraphQLCoreExecutionContext
from strawberry.schema.validation_rules.maybe_null import MaybeNullValidationRule
from strawberry.schema.validation_rules.one_of import OneOfInputValidationRule

from gateway.inputs import RefuseUnstorableStrings
from havn.auth import Principal, Role
from havn.errors import Forbidden, HavnError, InvalidInput
from havn.permissions import Permission

if TYPE_CHECKING:
    from strawberry.types import Info
    from strawberry.types.field import StrawberryField

logger = logging.getLogger("havn.gateway")

MAX_DEPTH = 10
# Where a camelCase name breaks into words: "recordAssessment" -> "record Assessment".
_CAMEL_WORDS = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
MAX_ALIASES = 15
MAX_TOKENS = 2000


PARTNER_GRANT_SCOPE = "basic"


class Requires(FieldExtension):
    """A field's permission, declared where the field is (`extensions=[Requires(...)]`) and
    attached when the schema is built: only fields that declare one pay for its check."""

    def __init__(self, permission: Permission) -> None:
        super().__init__()
        self.permission = permission

    def resolve(
        self, next_: Callable[..., Any], source: Any, info: Info[Any, Any], **kwargs: Any
    ) -> Any:
        refuse_unless_permitted(info, self.permission)
        return next_(source, info, **kwargs)

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info[Any, Any], **kwargs: Any
    ) -> Any:
        refuse_unless_permitted(info, self.permission)
        return await next_(source, info, **kwargs)


def declared_permission(field: StrawberryField) -> Permission | None:
    """The permission a field declares, if any."""
    for extension in field.extensions:
        if isinstance(extension, Requires):
            return extension.permission
    return None


def caller(info: Info[Any, Any]) -> Principal:
    """The verified caller of this request."""
    principal: Principal = info.context.principal
    return principal


def partner_grant_holds(principal: Principal, child: dict[str, Any]) -> bool:
    """The gateway's own check of a partner's view of a child: the grant community names is
    to the caller's organisation, of the basic scope, in the municipality it acts in."""
    grant = child.get("grant") or {}
    return (
        principal.has_role(Role.PARTNER)
        and principal.org is not None
        and grant.get("org") == principal.org
        and grant.get("scope") == PARTNER_GRANT_SCOPE
        and child.get("municipality") == principal.tenant
    )


def refuse_unless_permitted(info: Info[Any, Any], permission: Permission) -> None:
    """Refuses a field the caller may not see, or a mutation it may not make: it resolves to
    null with FORBIDDEN at its path, saying what may not be seen or done."""
    if not permission.allows(caller(info)):
        raise Forbidden(refusal(info))


def refusal(info: Info[Any, Any]) -> str:
    """ "your role may not see assessments", or for a mutation "your role may not record
    assessment (recordAssessment)": the act in words, and the mutation by its name."""
    if info.path.prev is None and info.operation.operation == OperationType.MUTATION:
        act = _CAMEL_WORDS.sub(" ", info.field_name).lower()
        return f"your role may not {act} ({info.field_name})"
    return f"your role may not see {info.field_name}"


def parse_id(value: str, field: str = "id") -> uuid.UUID:
    try:
        return uuid.UUID(value)
    except ValueError:
        raise InvalidInput(f"{field} is not a Havn id", field=field) from None


def coded(error: GraphQLError) -> GraphQLError:
    """Every error leaves with a code; only typed errors keep their message."""
    original = error.original_error
    field: str | None = None
    if isinstance(original, HavnError) and original.code != "INTERNAL":
        code, message, field = original.code, original.message, original.field
    elif isinstance(original, HavnError):
        code, message = "INTERNAL", original.message
    elif original is None or _names_a_variable(error):
        # Parse and validation errors (bad syntax, unknown fields, limits) and variables
        # that do not fit their type are the caller's.
        code, message = "BAD_USER_INPUT", error.message
        field = _variable_name(error)
    else:
        code, message = "INTERNAL", "an internal error occurred"
    extensions: dict[str, Any] = {"code": code}
    if field:
        extensions["field"] = field
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


def _names_a_variable(error: GraphQLError) -> bool:
    # graphql-core reports a variable's coercion failure at its definition, keeping the
    # scalar's or enum's own exception as the original error.
    return _variable_name(error) is not None


def _variable_name(error: GraphQLError) -> str | None:
    node = error.nodes[0] if error.nodes else None
    return node.variable.name.value if isinstance(node, VariableDefinitionNode) else None


class ErrorCodes(MaskErrors):
    """Strawberry's error masking, with our codes instead of one generic message."""

    def __init__(self) -> None:
        super().__init__(should_mask_error=lambda _: True)

    def anonymise_error(self, error: GraphQLError) -> GraphQLError:
        return coded(error)


# The limits as validation rules built once: the validation cache keys on the rule classes,
# which the limiter extensions would build anew for every request.
_LIMITS = (depth_rule(MAX_DEPTH, None), aliases_rule(MAX_ALIASES))
_CACHED_DOCUMENTS = 256
# Strawberry's own rules, which its validation step adds to every schema's.
_STRAWBERRY_RULES = (MaybeNullValidationRule, OneOfInputValidationRule)


@lru_cache(maxsize=_CACHED_DOCUMENTS)
def _validated(
    schema: GraphQLSchema,
    document: DocumentNode,
    rules: tuple[type[ASTValidationRule], ...],
    hide_suggestions: bool,
) -> list[GraphQLError]:
    return validate(
        schema, document, (*rules, *_STRAWBERRY_RULES), hide_suggestions=hide_suggestions
    )


class CachedParse(ParserCache):
    """Strawberry's ParserCache, letting a syntax error reach strawberry's own handling: raised
    from this hook it would skip every extension's on_operation, ErrorCodes' included."""

    def on_parse(self) -> Iterator[None]:
        context = self.execution_context
        with suppress(GraphQLError):  # strawberry parses it again, inside its error handling
            context.graphql_document = self.cached_parse_document(
                context.query, **context.parse_options
            )
        yield


class CachedValidation(SchemaExtension):
    """Strawberry's ValidationCache, but without "Did you mean …?" outside dev: a stranger
    learns no field names from typos."""

    def __init__(self, *, suggestions: bool) -> None:
        self.suggestions = suggestions

    def on_validate(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None
        context.pre_execution_errors = _validated(
            context.schema._schema,
            context.graphql_document,
            tuple(context.validation_rules),
            not self.suggestions,
        )
        yield


class QuietExecution(StrawberryGraphQLCoreExecutionContext):
    """Execution without "Did you mean …?" in its errors (a variable's unknown enum value)."""

    @classmethod
    def build(cls, *args: Any, **kwargs: Any) -> Any:
        return super().build(*args, **{**kwargs, "hide_suggestions": True})


def extensions(*, introspection: bool) -> list[Callable[[], SchemaExtension]]:
    """Factories: strawberry builds fresh extensions for every request. A query text seen
    before is neither parsed nor validated again (clients send the same few). Introspection
    and field suggestions are for dev only."""
    rules: list[type[ASTValidationRule]] = [*_LIMITS]
    if not introspection:
        rules.append(NoSchemaIntrospectionCustomRule)
    return [
        lambda: MaxTokensLimiter(max_token_count=MAX_TOKENS),
        lambda: CachedParse(maxsize=_CACHED_DOCUMENTS),
        lambda: AddValidationRules(rules),
        lambda: CachedValidation(suggestions=introspection),
        RefuseUnstorableStrings,
        ErrorCodes,
    ]


def is_unexpected(error: GraphQLError) -> bool:
    original = error.original_error
    if isinstance(original, HavnError):
        return original.code == "INTERNAL"
    return original is not None and not _names_a_variable(error)
