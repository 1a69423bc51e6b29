"""The statistics part of the public schema is exactly what docs/api.md promises: its fields
(payloads may grow beside them), their types and their arguments' types (nullability
included), defaults and enum values."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import (
    EnumTypeDefinitionNode,
    FieldDefinitionNode,
    GraphQLEnumType,
    GraphQLField,
    GraphQLObjectType,
    NullValueNode,
    ObjectTypeDefinitionNode,
    Undefined,
    ast_from_value,
    print_ast,
)

from gateway.schema import build_schema
from tests.api_md import promised_definitions

SERVED = build_schema(introspection=True)._schema
PROMISED = {definition.name.value: definition for definition in promised_definitions()}  # type: ignore[attr-defined]
STATISTICS_TYPES = ("StatisticsTable", "StatisticsRow")
STATISTICS_ENUMS = ("StatisticMeasure", "StatisticDimension")


def promised_shape(field: FieldDefinitionNode) -> tuple[str, dict[str, tuple[str, str | None]]]:
    """A promised field's type and its arguments' types and defaults, as SDL prints them."""
    arguments = {
        argument.name.value: (
            print_ast(argument.type),
            None
            if argument.default_value is None or isinstance(argument.default_value, NullValueNode)
            else print_ast(argument.default_value),
        )
        for argument in field.arguments or ()
    }
    return print_ast(field.type), arguments


def served_shape(field: GraphQLField) -> tuple[str, dict[str, tuple[str, str | None]]]:
    """A served field's type and its arguments' types and defaults (no default and null alike)."""
    arguments: dict[str, tuple[str, str | None]] = {}
    for name, argument in field.args.items():
        default: Any = argument.default_value
        printed = (
            None
            if default is Undefined or default is None
            else print_ast(ast_from_value(default, argument.type))  # type: ignore[arg-type]
        )
        arguments[name] = (str(argument.type), printed)
    return str(field.type), arguments


def test_national_statistics_takes_and_returns_exactly_what_api_md_promises():
    query = PROMISED["Query"]
    assert isinstance(query, ObjectTypeDefinitionNode)
    [promised] = [f for f in query.fields or () if f.name.value == "nationalStatistics"]
    assert SERVED.query_type is not None
    assert served_shape(SERVED.query_type.fields["nationalStatistics"]) == promised_shape(promised)


@pytest.mark.parametrize("name", STATISTICS_TYPES)
def test_a_statistics_type_serves_each_promised_field_with_exactly_the_promised_type(name):
    promised, served = PROMISED[name], SERVED.type_map[name]
    assert isinstance(promised, ObjectTypeDefinitionNode)
    assert isinstance(served, GraphQLObjectType)
    fields = {field.name.value: promised_shape(field) for field in promised.fields or ()}
    assert {n: served_shape(served.fields[n]) for n in fields if n in served.fields} == fields


@pytest.mark.parametrize("name", STATISTICS_ENUMS)
def test_a_statistics_enum_has_exactly_the_values_api_md_promises(name):
    promised, served = PROMISED[name], SERVED.type_map[name]
    assert isinstance(promised, EnumTypeDefinitionNode)
    assert isinstance(served, GraphQLEnumType)
    assert list(served.values) == [value.name.value for value in promised.values or ()]
