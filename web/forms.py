"""What every form of the client does, written once: its fields, the mutation, where it leads.

A form's fields arrive as a `Fields` model (FastAPI parses them: `Annotated[X, Form()]`),
each a string as typed. `submit` asks the gateway for the form's mutation: taken, the
browser goes on to the page that shows the change (303, post/redirect/get); refused
(BAD_USER_INPUT, CONFLICT), the form's page is shown again with the gateway's objections
at their fields and the values as they were typed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from web.context import Staff
from web.graphql import GraphQLResult

# The page again, with the objections of the refused result.
ShowAgain = Callable[[GraphQLResult], Awaitable[Response]]


class Fields(BaseModel):
    """A form's fields as the user typed them (blank when not sent); the names are the
    gateway's, so that its objections find their fields."""

    def sent(self) -> dict[str, str]:
        """The values as typed, to fill the form in again when the gateway refuses it."""
        return {name: value for name, value in self.model_dump().items() if isinstance(value, str)}


async def submit(
    staff: Staff,
    operation: str,
    variables: dict[str, Any],
    *,
    then: str | Callable[[GraphQLResult], str],
    again: ShowAgain,
) -> Response:
    """Runs a form's mutation; on to `then` when the gateway took it, else `again`.

    `then` is the page that shows the change, or how to find it in the mutation's answer.
    """
    result = await staff.query(operation, variables)
    if not result.ok:
        return await again(result)
    return see_other(then if isinstance(then, str) else then(result))


def see_other(path: str) -> Response:
    """On to the page that shows what the form changed (post/redirect/get)."""
    return RedirectResponse(path, status_code=303)


def blank_to_none(value: str | None) -> str | None:
    """An empty form field is a value not given."""
    return value.strip() or None if value is not None else None


def whole_number(value: str | None) -> int | str | None:
    """A number as the gateway's Int takes it; anything else goes as typed, for its error."""
    text = blank_to_none(value)
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return text


def words(value: str) -> list[str]:
    """A comma-separated field ("football, chess") as the list the gateway takes."""
    return [word.strip() for word in value.split(",") if word.strip()]
