"""The client's texts, and the refusals it passes on from the gateway, are translated in every
language; its operations fit the gateway's schema."""

from __future__ import annotations

import io

from babel.messages.extract import extract, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from graphql import parse, validate

from gateway.schema import build_schema
from web.app import AREAS
from web.areas import WEB_DIR
from web.graphql import load_operations
from web.i18n import LANGUAGES, catalog_path


def messages_in_sources() -> set[str]:
    """What `make web-messages` extracts (web/babel.cfg, from the repository's root)."""
    with (WEB_DIR / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    found = set()
    for _, _, message, _, _ in extract_from_dir(str(WEB_DIR.parent), method_map, options_map):
        found.add(message if isinstance(message, str) else message[0])
    return found


def test_every_message_is_translated_and_none_is_fuzzy_in_every_catalog():
    wanted = messages_in_sources()
    assert "Skip to main content" in wanted
    # A refusal of a service's, which the web shows in the user's language.
    assert "an assessment scores at least one life domain" in wanted
    for language in LANGUAGES:
        with catalog_path(language).open("rb") as po:
            catalog = read_po(po, locale=language)
        problems = []
        for message_id in sorted(wanted):
            entry = catalog.get(message_id)
            strings = entry.string if entry is not None else ""
            translated = (strings,) if isinstance(strings, str) else tuple(strings or ("",))
            if entry is None or not all(translated):
                problems.append(f"missing: {message_id}")
            elif entry.fuzzy:
                problems.append(f"fuzzy: {message_id}")
        assert problems == [], language


SOURCE = b"""
raise InvalidInput("a whole " "literal", field="x")
raise errors.Conflict("on an attribute")
raise InvalidInput(f"built from {value}")
raise Conflict(f"partly built from {value}; " "partly literal")
raise Forbidden("not a refusal the web shows")
InvalidInput(message)
reason = required_text(reason, field="reason", message="a check's message")
required_text(reason, field="reason", message=f"{what} is required")
"""


def test_a_refusal_is_extracted_whole_and_one_built_from_values_not_at_all():
    keywords = {"InvalidInput": None, "Conflict": None, "required_text": None}
    extracted = extract("web.refusal_messages:extract", io.BytesIO(SOURCE), keywords)
    found = [message for _, message, _, _ in extracted]
    assert found == ["a whole literal", "on an attribute", "a check's message"]


def test_every_operation_of_the_client_is_valid_against_the_gateway_schema():
    schema = build_schema(introspection=True)._schema
    operations = load_operations(area.operations_dir for area in AREAS)
    assert {"Me", "Caseload", "SearchChildren"} <= set(operations)
    for name, document in operations.items():
        assert validate(schema, parse(document)) == [], name
