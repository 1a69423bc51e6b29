"""What docs/api.md promises of the public schema: its core operations block, parsed."""

from __future__ import annotations

import re
from pathlib import Path

from graphql import DefinitionNode, parse

DOCS = Path(__file__).resolve().parents[1] / "docs"


def promised_definitions() -> list[DefinitionNode]:
    """The definitions of the core operations block in docs/api.md."""
    text = (DOCS / "api.md").read_text()
    block = re.search(r"## Core operations.*?```graphql\n(.*?)```", text, re.DOTALL)
    assert block, "docs/api.md has a ```graphql block under '## Core operations'"
    return list(parse(block.group(1)).definitions)
