"""Who may see which field (declared once per field), error codes, and query limits."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
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
from havn.auth import DataClass, Principal, Role
from havn.errors import Forbidden, HavnError, InvalidInput

if TYPE_CHECKING:
    from strawberry.types import Info

logger = logging.getLogger("havn.gateway")

MAX_DEPTH = 10
# Where a camelCase name breaks into words: "recordAssessment" -> "record Assessment".
_CAMEL_WORDS = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
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
TRANSITION_WRITE = Access(DataClass.PERSONAL, frozenset({Role.CASEWORKER}))
# Care beyond the plan's status: the caseworker's, and a contact person's for their own
# children (the care service checks the assignment per child).
CARE_DETAILS = Access(DataClass.PERSONAL, frozenset({Role.CASEWORKER, Role.CONTACT_PERSON}))
HEALTH = Access(DataClass.SENSITIVE, frozenset({Role.CASEWORKER}))
CARE_WRITE = Access(DataClass.PERSONAL, frozenset({Role.CASEWORKER}))
ASSESSMENT_WRITE = Access(DataClass.CONFIDENTIAL, frozenset({Role.CASEWORKER}))
NOTE_WRITE = Access(DataClass.CONFIDENTIAL, frozenset({Role.CASEWORKER, Role.CONTACT_PERSON}))
MEETING_WRITE = CARE_DETAILS
ASSESSMENT_SCHEDULE = Access(DataClass.BASIC, frozenset({Role.MUNICIPALITY_ADMIN}))
# Intake: the checklist's owners and notes, profile edits, relocations (and what the
# receiving municipality sees of the child before it accepts: basic data).
PREPARATION_DETAILS = Access(
    DataClass.PERSONAL, frozenset({Role.SETTLEMENT_COORDINATOR, Role.CASEWORKER})
)
INTAKE_WRITE = PREPARATION_DETAILS
RELOCATION = Access(DataClass.BASIC, frozenset({Role.SETTLEMENT_COORDINATOR, Role.CASEWORKER}))
# Capacity is counts of places and referrals, no child's data: a role check alone.
CAPACITY_READERS = frozenset(
    {
        Role.SETTLEMENT_COORDINATOR,
        Role.CASEWORKER,
        Role.MUNICIPALITY_ADMIN,
        Role.DIRECTORATE_ALLOCATOR,
    }
)
CAPACITY_WRITERS = frozenset({Role.SETTLEMENT_COORDINATOR, Role.MUNICIPALITY_ADMIN})
ALLOCATORS = frozenset({Role.DIRECTORATE_ALLOCATOR})
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
# Community (phase 4). Partners see their organisation's offers, enrolments, volunteers and
# attendance, and a child's basic profile only through a grant (checked per child below
# and in community).
_MUNICIPAL = frozenset(
    {
        Role.SETTLEMENT_COORDINATOR,
        Role.CASEWORKER,
        Role.CONTACT_PERSON,
        Role.VOLUNTEER_COORDINATOR,
        Role.MUNICIPALITY_ADMIN,
    }
)
COMMUNITY_ORGANISERS = Access(
    DataClass.BASIC, frozenset({Role.VOLUNTEER_COORDINATOR, Role.CASEWORKER})
)
COMMUNITY_CATALOGUE = Access(DataClass.BASIC, _MUNICIPAL | {Role.PARTNER})
COMMUNITY_SETTINGS = Access(DataClass.BASIC, _MUNICIPAL)
COMMUNITY_ADMIN = Access(DataClass.BASIC, frozenset({Role.MUNICIPALITY_ADMIN}))
OFFER_WRITERS = Access(
    DataClass.BASIC, frozenset({Role.VOLUNTEER_COORDINATOR, Role.CASEWORKER, Role.PARTNER})
)
VOLUNTEER_READERS = OFFER_WRITERS
ENROLMENT_READERS = Access(DataClass.BASIC, (_MUNICIPAL - {Role.CONTACT_PERSON}) | {Role.PARTNER})
ATTENDANCE = ENROLMENT_READERS
ATTENDANCE_WRITERS = OFFER_WRITERS
PARTNER_VIEW = Access(DataClass.BASIC, frozenset({Role.PARTNER}))
PARTNER_GRANTS = Access(
    DataClass.BASIC, frozenset({Role.MUNICIPALITY_ADMIN, Role.VOLUNTEER_COORDINATOR})
)
FUNDING = Access(
    DataClass.BASIC,
    frozenset({Role.VOLUNTEER_COORDINATOR, Role.CASEWORKER, Role.MUNICIPALITY_ADMIN}),
)
FUNDING_WRITERS = Access(
    DataClass.BASIC, frozenset({Role.VOLUNTEER_COORDINATOR, Role.MUNICIPALITY_ADMIN})
)
PARTNER_GRANT_SCOPE = "basic"
# National statistics: suppressed aggregates only, never a person.
STATISTICS = Access(
    DataClass.AGGREGATE, frozenset({Role.DIRECTORATE_ANALYST, Role.MUNICIPALITY_ADMIN})
)


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


def guard(info: Info[Any, Any], access: Access) -> Principal:
    """Refuses a field the caller may not see, or a mutation it may not make: it resolves to
    null with FORBIDDEN at its path, saying what may not be seen or done."""
    principal: Principal = info.context.principal
    if not access.allows(principal):
        raise Forbidden(refusal(info))
    return principal


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
