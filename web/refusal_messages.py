"""The gateway's refusals for the client's catalogs: a Babel extractor (web/babel.cfg) taking
the message of each `InvalidInput(...)` and `Conflict(...)` (and `required_text(...,
message=...)`, which raises one) in the services, the kernel and the gateway, so that a
refused form shows it in the user's language.

Only a message written as one whole literal is taken. One built from values (an f-string) is
left out, and so is a call whose message mixes the two (`f"... {slug} ..." "register one
first"`), where Babel's Python extractor would take the literal piece alone.
"""

from __future__ import annotations

import ast
from collections.abc import Collection, Iterator, Mapping
from typing import IO, Any

# What Babel's extraction takes from an extractor: line, keyword, message, comments.
Extracted = tuple[int, str, str, list[str]]


def extract(
    fileobj: IO[bytes],
    keywords: Collection[str],
    comment_tags: Collection[str],
    options: Mapping[str, Any],
) -> Iterator[Extracted]:
    """The literal message of every call of a keyword (a refusal's class, or a check that
    raises one): its first argument, or its `message=`; in the order of the source."""
    found = []
    for node in ast.walk(ast.parse(fileobj.read())):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        if name not in keywords:
            continue
        given = [k.value for k in node.keywords if k.arg == "message"]
        for message in [*node.args[:1], *given]:
            if isinstance(message, ast.Constant) and isinstance(message.value, str):
                found.append((message.lineno, message.col_offset, name, message.value))
    for lineno, _, name, text in sorted(found):
        yield lineno, name, text, []
