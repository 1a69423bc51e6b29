"""What every form of the client does, written once: its fields, the mutation, where it leads,
and how its page shows it again when the gateway refuses it.

A form's fields arrive as a `Fields` model (FastAPI parses them: `Annotated[X, Form()]`),
each a string as typed. `submit` asks the gateway for the form's mutation: taken, the
browser goes on to the page that shows the change (303, post/redirect/get); refused
(BAD_USER_INPUT, CONFLICT), the form's page is shown again with a `Refused`: the values as
typed, the gateway's messages at the inputs they concern with the summary on top (422), or
the state of the record that forbids the change (409), each in the user's language where the
catalogs have it (web/refusal_messages.py), else in the gateway's English. Its templates show
it with the shell's macros: `ui.refusal()` on top of the page, `ui.field(...)` (or
`ui.message`, `ui.invalid`) at each input. A search or filter the gateway refuses is shown the
same way.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from web import i18n
from web.graphql import GraphQLResult

if TYPE_CHECKING:  # web.context renders every page with NOTHING_REFUSED
    from web.context import Staff

# Which input of a form a field of the gateway's input is (None: not one of them).
InputOf = Callable[[str], str | None]
# Where a field path of the gateway's ends up in a form: `languages[1]` at `languages`.
_FIELD_ROOT = re.compile(r"[.\[]")
# GraphQL's own words for a variable that does not fit its type (a blank date, say): written
# for programmers, naming the variable (`$input`) and the field in it (`at .screenedOn`, or
# `required field 'screenedOn'`). The form shows its own words at that field instead.
_UNFIT_VARIABLE = re.compile(
    r"Variable '\$(?P<variable>\w+)' (?:has invalid value(?: at \.(?P<path>[\w.\[\]]+))?"
    r"(?:.*required field '(?P<missing>\w+)')?|of required type)",
    re.DOTALL,
)


@dataclass(frozen=True)
class Refused:
    """A form the gateway refused, as its page shows it again.

    `messages` are by the id of the input they concern, in the gateway's order (the error
    summary's links); `values` are what was typed, by input id; `conflicts` the states of the
    record that forbid the change. The messages are in the page's language but those in
    `english`: the gateway's English, which the catalogs have no translation of (a message built
    from values), marked lang="en" for screen readers.
    """

    messages: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, Any] = field(default_factory=dict)
    conflicts: tuple[str, ...] = ()
    english: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        result: GraphQLResult,
        sent: Mapping[str, Any],
        *,
        input_of: InputOf | None = None,
        first_input: str | None = None,
    ) -> Refused:
        """The gateway's objections to a form, each at the input it concerns.

        `sent` is what was typed, by input id. `input_of` says which input a field of the
        gateway's is: by default the one named as the field's root (`languages[1]` is at
        `languages`, `input.school` at `school`). A message for the form as a whole, or for
        no input of it, goes to `first_input`: by default the first one sent. Each message is
        in the request's language when the catalogs translate it; a value GraphQL refuses for
        its type (a blank or malformed date) is "Fill this in." or "This value is not valid
        here." at its input.
        """
        english: set[str] = set()

        def shown(message: str) -> str:
            translated = i18n.translation(message)
            if translated is None:
                english.add(message)
                return message
            return translated

        def at_root(name: str) -> str | None:
            root = _FIELD_ROOT.split(name, maxsplit=1)[0]
            return root if root in sent else None

        at_input = input_of or at_root
        fallback = first_input if first_input is not None else next(iter(sent), "")
        messages: dict[str, str] = {}
        for name, message in result.field_errors.items():
            unfit = _UNFIT_VARIABLE.match(message)
            if unfit:
                name = unfit["path"] or unfit["missing"] or unfit["variable"]
            found = at_input(name.removeprefix("input.")) if name else None
            if not unfit:
                text = shown(message)
            elif found is not None and str(sent.get(found) or "").strip():
                text = i18n.gettext("This value is not valid here.")
            else:
                text = i18n.gettext("Fill this in.")
            messages.setdefault(found or fallback, text)
        conflicts = tuple(shown(message) for message in result.conflicts)
        return cls(messages, dict(sent), conflicts, frozenset(english))

    def value(self, input_id: str, default: Any = "") -> Any:
        """What was typed into the input; before any refusal (or for another form), `default`."""
        return self.values.get(input_id, default)

    @property
    def status_code(self) -> int:
        """422 for input to correct, 409 for a record whose state forbids the change."""
        if self.messages:
            return 422
        return 409 if self.conflicts else 200


# What a page shows before any form of it was refused.
NOTHING_REFUSED = Refused()
# The page again, with the objections of the refused form.
ShowAgain = Callable[[Refused], Awaitable[Response]]


class Fields(BaseModel):
    """A form's fields as the user typed them (blank when not sent); the names are the
    gateway's and the ids of the form's inputs, so that its objections find their inputs."""

    def sent(self) -> dict[str, Any]:
        """The values as typed, to fill the form in again when the gateway refuses it."""
        return self.model_dump()


async def submit(
    staff: Staff,
    operation: str,
    variables: dict[str, Any],
    *,
    then: str | Callable[[GraphQLResult], str],
    again: ShowAgain,
    sent: Mapping[str, Any] | None = None,
    input_of: InputOf | None = None,
    first_input: str | None = None,
) -> Response:
    """Runs a form's mutation; on to `then` when the gateway took it, else `again` with what
    was `sent` (by input id; none for a form that is only a button) and the gateway's
    objections (see `Refused.of`).

    `then` is the page that shows the change, or how to find it in the mutation's answer.
    """
    result = await staff.query(operation, variables)
    if not result.ok:
        refused = Refused.of(result, sent or {}, input_of=input_of, first_input=first_input)
        return await again(refused)
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
