"""Keyset pagination with opaque cursors, shared by every list in every service."""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, Field

from havn.errors import InvalidInput
from havn.text import unstorable

# A whole caseload of a large municipality fits one page.
MAX_PAGE_SIZE = 500
T = TypeVar("T")
U = TypeVar("U")


class PageRequest(BaseModel):
    """`first` items after the opaque cursor `after`."""

    first: int = Field(default=50, ge=1, le=MAX_PAGE_SIZE)
    after: str | None = None


class Page(BaseModel, Generic[T]):
    items: list[T]
    # One cursor per item, so a client can resume after any of them (GraphQL edges).
    cursors: list[str] = Field(default_factory=list)
    end_cursor: str | None
    has_next_page: bool
    total_count: int

    def map(self, present: Callable[[T], U]) -> Page[U]:
        """The same page with each item presented for the wire."""
        return Page[U](
            items=[present(item) for item in self.items],
            cursors=self.cursors,
            end_cursor=self.end_cursor,
            has_next_page=self.has_next_page,
            total_count=self.total_count,
        )

    @classmethod
    def empty(cls) -> Page[T]:
        return cls(items=[], end_cursor=None, has_next_page=False, total_count=0)


def encode_cursor(*key: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(key, default=str).encode()).decode()


def decode_cursor(cursor: str | None, *parsers: Callable[[Any], Any]) -> list[Any] | None:
    """Returns the sort key a cursor stands for, each part read by its parser.

    A cursor this list did not give out (tampered, or from another list) is bad input: only
    its exact shape is read, a short flat list of strings and integers.
    """
    if cursor is None:
        return None
    try:
        if len(cursor) > MAX_CURSOR_LENGTH:
            raise ValueError("cursor length")
        key = json.loads(
            base64.urlsafe_b64decode(cursor.encode()),
            parse_float=_refuse,
            parse_constant=_refuse,
        )
        if not isinstance(key, list) or len(key) != len(parsers):
            raise ValueError("cursor shape")
        if not all(_is_key_part(part) for part in key):
            raise ValueError("cursor part")
        return [parse(part) for parse, part in zip(parsers, key, strict=True)]
    except (binascii.Error, ValueError, TypeError, UnicodeError, RecursionError) as error:
        raise InvalidInput(
            "the cursor `after` is not one this list gave out", field="after"
        ) from error


# Cursors we give out are a few dozen characters: a sort key of a date, a time or a name and
# an id.
MAX_CURSOR_LENGTH = 1024


def _refuse(literal: str) -> Any:
    raise ValueError(f"no sort key holds {literal}")


def _is_key_part(part: object) -> bool:
    if isinstance(part, str):
        return unstorable(part) is None
    return isinstance(part, int) and not isinstance(part, bool)


def check_page_size(first: int) -> None:
    if not 1 <= first <= MAX_PAGE_SIZE:
        raise InvalidInput(f"`first` must be between 1 and {MAX_PAGE_SIZE}", field="first")


def page_of(rows: Sequence[T], first: int, total: int, key: Any) -> Page[T]:
    """Builds a page from `first + 1` fetched rows; `key(row)` gives a row's sort key."""
    items = list(rows[:first])
    cursors = [encode_cursor(*key(item)) for item in items]
    return Page[T](
        items=items,
        cursors=cursors,
        end_cursor=cursors[-1] if cursors else None,
        has_next_page=len(rows) > first,
        total_count=total,
    )
