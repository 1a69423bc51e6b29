"""Text people type, checked and normalised once: the types every service's input uses."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, PydanticCustomError, core_schema

from havn.errors import InvalidInput

# The longest text anyone may send (a follow-up note); the gateway refuses longer strings
# before a service is called, whatever the field.
MAX_TEXT_LENGTH = 20_000
# Line breaks and tabs belong in notes; every other control character is junk or an attack.
_LAYOUT = frozenset("\n\r\t")
# Control, format (bidirectional overrides, zero-width characters), surrogate and
# private-use characters, and line or paragraph separators: none belongs in a name.
_NOT_IN_A_LINE = frozenset({"Cc", "Cf", "Cs", "Co", "Zl", "Zp"})


def unstorable(value: str) -> str | None:
    """Why PostgreSQL or a UTF-8 reader would refuse `value` (a NUL, a lone surrogate)."""
    if "\x00" in value:
        return "must not contain NUL characters"
    if any("\ud800" <= char <= "\udfff" for char in value):
        return "must not contain lone surrogates (it is not valid Unicode)"
    return None


def free_text(value: str) -> str:
    """Free text (notes, summaries, reasons): NFC, any line breaks, no other controls."""
    problem = unstorable(value)
    if problem is None and any(
        unicodedata.category(char) == "Cc" and char not in _LAYOUT for char in value
    ):
        problem = "must not contain control characters other than line breaks and tabs"
    if problem:
        raise PydanticCustomError("text", problem)
    return unicodedata.normalize("NFC", value)


def single_line(value: str) -> str:
    """A name, title or code: NFC, one line, no control, bidi-override or zero-width chars."""
    problem = unstorable(value)
    if problem is None and any(unicodedata.category(char) in _NOT_IN_A_LINE for char in value):
        problem = (
            "must be one line without control, bidirectional-override or zero-width characters"
        )
    if problem:
        raise PydanticCustomError("text", problem)
    return unicodedata.normalize("NFC", value)


@dataclass(frozen=True)
class OneLine:
    """`Annotated[str, OneLine(60)]`: a name, title or code of at most that many characters."""

    max_length: int = 300
    min_length: int = 0

    def __get_pydantic_core_schema__(self, _: Any, __: GetCoreSchemaHandler) -> CoreSchema:
        return _checked(single_line, self.min_length, self.max_length)


@dataclass(frozen=True)
class Paragraphs:
    """`Annotated[str, Paragraphs(4000)]`: free text of at most that many characters."""

    max_length: int = MAX_TEXT_LENGTH

    def __get_pydantic_core_schema__(self, _: Any, __: GetCoreSchemaHandler) -> CoreSchema:
        return _checked(free_text, 0, self.max_length)


def _checked(check: Callable[[str], str], min_length: int, max_length: int) -> CoreSchema:
    # The length first, so an over-long value is refused before it is scanned.
    return core_schema.no_info_after_validator_function(
        check, core_schema.str_schema(min_length=min_length, max_length=max_length)
    )


Line = Annotated[str, OneLine()]
PersonName = Annotated[str, OneLine(min_length=1)]
FreeText = Annotated[str, Paragraphs()]


def optional_text(value: str | None) -> str | None:
    """`value` without surrounding blanks; blank or missing is None."""
    return (value or "").strip() or None


def required_text(value: str | None, *, field: str, message: str) -> str:
    """`value` without surrounding blanks; blank or missing is BAD_USER_INPUT on `field`,
    saying `message` (one literal, which the web client's catalogs translate)."""
    text = (value or "").strip()
    if not text:
        raise InvalidInput(message, field=field)
    return text
