"""What every care record's input must be: dates not ahead, one list per cursor."""

from __future__ import annotations

import uuid
from datetime import date

from havn.errors import InvalidInput


def not_in_future(day: date, *, today: date, field: str, what: str) -> date:
    if day > today:
        raise InvalidInput(f"{what} {day} is in the future", field=field)
    return day


def child_pages_of(*, child_ids: list[uuid.UUID], after: str | None) -> list[uuid.UUID]:
    """The distinct children whose lists are paged; a cursor belongs to one child's list."""
    distinct = list(dict.fromkeys(child_ids))
    if after is not None and len(distinct) != 1:
        raise InvalidInput(
            "`after` pages one child's list: pass exactly one child id with it", field="after"
        )
    return distinct
