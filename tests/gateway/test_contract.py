"""The public schema keeps the names and shapes docs/api.md promises, and docs/schema.graphql
is the schema the gateway serves."""

from __future__ import annotations

from graphql import (
    EnumTypeDefinitionNode,
    GraphQLEnumType,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLObjectType,
    InputObjectTypeDefinitionNode,
    InputValueDefinitionNode,
    ObjectTypeDefinitionNode,
    Undefined,
    is_non_null_type,
    print_ast,
)

from gateway.schema import build_schema
from tests.api_md import DOCS, promised_definitions

SCHEMA = build_schema(introspection=True)
REGENERATE = "make schema"


def promised_arguments(nodes: tuple[InputValueDefinitionNode, ...]) -> dict[str, str]:
    return {node.name.value: print_ast(node.type) for node in nodes}


def test_the_committed_sdl_is_the_schema_the_gateway_serves():
    committed = (DOCS / "schema.graphql").read_text()
    assert committed == SCHEMA.as_str() + "\n", (
        f"docs/schema.graphql differs from the running schema: `{REGENERATE}` rewrites it"
    )


def test_the_schema_has_every_type_field_and_argument_api_md_promises_exactly():
    served = SCHEMA._schema  # graphql-core's schema: its types print as the SDL does
    problems: list[str] = []
    checked = 0
    for definition in promised_definitions():
        if not isinstance(
            definition,
            ObjectTypeDefinitionNode | InputObjectTypeDefinitionNode | EnumTypeDefinitionNode,
        ):
            continue
        name = definition.name.value
        actual = served.type_map.get(name)
        if isinstance(definition, EnumTypeDefinitionNode):
            values = {value.name.value for value in definition.values or ()}
            if not isinstance(actual, GraphQLEnumType) or not values <= set(actual.values):
                problems.append(f"enum {name} is not served with {sorted(values)}")
            checked += 1
            continue
        if not isinstance(actual, GraphQLObjectType | GraphQLInputObjectType):
            problems.append(f"type {name} is promised but not served")
            continue
        for field in definition.fields or ():
            checked += 1
            where = f"{name}.{field.name.value}"
            served_field = actual.fields.get(field.name.value)
            if served_field is None:
                problems.append(f"{where} is promised but not served")
                continue
            if str(served_field.type) != print_ast(field.type):
                problems.append(f"{where} is {served_field.type}, promised {print_ast(field.type)}")
            if isinstance(served_field, GraphQLInputField):
                continue
            promised = getattr(field, "arguments", None) or ()
            types = {k: str(arg.type) for k, arg in served_field.args.items()}
            wanted = promised_arguments(promised)
            if {k: types.get(k) for k in wanted} != wanted:
                problems.append(f"{where} takes {types}, promised {wanted}")
            # An argument added beside the promised ones must be optional: old calls still work.
            for extra in types.keys() - wanted.keys():
                added = served_field.args[extra]
                if is_non_null_type(added.type) and added.default_value is Undefined:
                    problems.append(f"{where} requires {extra}, which old calls do not send")
            for argument in promised:
                served_argument = served_field.args.get(argument.name.value)
                if argument.default_value is not None and served_argument is not None:
                    default = print_ast(argument.default_value)
                    if str(served_argument.default_value) != default:
                        problems.append(f"{where}({argument.name.value}) defaults otherwise")
    assert checked > 100  # the block was read, not skipped
    assert not problems, "\n".join(problems)
