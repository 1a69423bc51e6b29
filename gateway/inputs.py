"""Every string a caller sends, checked once before any resolver runs: none the database would
refuse and none longer than the longest text Havn keeps. What each field may hold beyond that
(a name's characters, a date's range) the service owning the field checks with havn/text.py and
havn/dates.py."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    ExecutionResult,
    GraphQLError,
    ListValueNode,
    ObjectValueNode,
    StringValueNode,
    ValueNode,
    VariableDefinitionNode,
)
from graphql.language import Visitor, visit
from strawberry.extensions import SchemaExtension

from havn.errors import InvalidInput
from havn.text import MAX_TEXT_LENGTH, unstorable


def string_problem(value: str) -> str | None:
    """Why no field of the schema could take `value`."""
    if len(value) > MAX_TEXT_LENGTH:
        return f"must be at most {MAX_TEXT_LENGTH} characters"
    return unstorable(value)


def refusal(strings: Iterator[tuple[str, str]]) -> InvalidInput | None:
    """The first (field, value) pair no field could take, as the error naming it."""
    for field, value in strings:
        problem = string_problem(value)
        if problem:
            return InvalidInput(f"{field}: {problem}", field=field)
    return None


def strings_in_variables(variables: dict[str, Any] | None) -> Iterator[tuple[str, str]]:
    """Every string in the variables, with its path (`input.languages[0]`)."""
    stack: list[tuple[str, Any]] = list((variables or {}).items())
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            yield path, value
        elif isinstance(value, dict):
            stack.extend((f"{path}.{key}", item) for key, item in value.items())
        elif isinstance(value, list):
            stack.extend((f"{path}[{index}]", item) for index, item in enumerate(value))


def strings_in_document(document: DocumentNode) -> Iterator[tuple[str, str]]:
    """Every string literal given as an argument or a variable's default, with its path."""
    found: list[tuple[str, ValueNode]] = []

    class Arguments(Visitor):
        def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
            found.append((node.name.value, node.value))

        def enter_variable_definition(self, node: VariableDefinitionNode, *_: Any) -> None:
            if node.default_value is not None:
                found.append((node.variable.name.value, node.default_value))

    visit(document, Arguments())
    while found:
        path, node = found.pop()
        if isinstance(node, StringValueNode):
            yield path, node.value
        elif isinstance(node, ObjectValueNode):
            found.extend((f"{path}.{field.name.value}", field.value) for field in node.fields)
        elif isinstance(node, ListValueNode):
            found.extend((f"{path}[{index}]", item) for index, item in enumerate(node.values))


@lru_cache(maxsize=256)
def literal_refusal(document: DocumentNode) -> InvalidInput | None:
    """The refusal of a document's literals, worked out once per document (the parser cache
    hands the same document object for the same query text)."""
    return refusal(strings_in_document(document))


class RefuseUnstorableStrings(SchemaExtension):
    """Answers BAD_USER_INPUT naming the field instead of executing an operation with a NUL,
    a lone surrogate or an over-long string anywhere in its arguments or variables."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        assert context.graphql_document is not None  # parsed and validated by now
        error = refusal(strings_in_variables(context.variables)) or literal_refusal(
            context.graphql_document
        )
        if error is not None:
            # A result set here stands in for execution (strawberry skips it).
            context.result = ExecutionResult(
                data=None, errors=[GraphQLError(error.message, original_error=error)]
            )
        yield
