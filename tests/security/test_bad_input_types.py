"""The shared input types themselves: text normalised and checked, dates in range, cursors read
only in their exact shape."""

from __future__ import annotations

import base64
import json
from datetime import date, timedelta
from typing import Annotated, Any

import pytest
from pydantic import BaseModel, ValidationError

from havn.clock import Clock
from havn.dates import BirthDate, EventDate
from havn.errors import InvalidInput
from havn.pagination import decode_cursor, encode_cursor
from havn.text import FreeText, OneLine, PersonName


class Person(BaseModel):
    name: PersonName
    nickname: Annotated[str, OneLine(10)] | None = None
    notes: FreeText | None = None
    born: BirthDate | None = None
    met: EventDate | None = None


def refusal(**fields: Any) -> tuple[str, ...]:
    with pytest.raises(ValidationError) as raised:
        Person.model_validate({"name": "Amina", **fields})
    [error] = raised.value.errors()
    return tuple(str(part) for part in error["loc"])


def test_names_and_free_text_are_stored_nfc_normalised() -> None:
    person = Person(name="Ame\u0301lie", notes="Cafe\u0301 on Fridays")
    assert (person.name, person.notes) == ("Am\u00e9lie", "Caf\u00e9 on Fridays")


@pytest.mark.parametrize(
    "name",
    [
        "A\x00mina",
        "A\ud800mina",
        "Ami\u200dna",
        "Amina\u202e",
        "Amina\u2069",
        "Ami\x07na",
        "Ami\tna",
    ],
)
def test_a_name_refuses_nul_surrogates_controls_bidi_and_zero_width_characters(name: str) -> None:
    assert refusal(name=name) == ("name",)


def test_a_name_is_at_least_one_character_and_a_bounded_field_at_most_its_bound() -> None:
    assert refusal(name="") == ("name",)
    assert refusal(nickname="x" * 11) == ("nickname",)


def test_free_text_keeps_line_breaks_and_tabs_and_refuses_nul_surrogates_and_other_controls() -> (
    None
):
    assert Person(name="A", notes="one\r\n\ttwo").notes == "one\r\n\ttwo"
    for notes in ("a\x00b", "a\udfffb", "a\x1bb", "x" * 20_001):
        assert refusal(notes=notes) == ("notes",), notes


def test_a_birth_date_lies_between_1900_and_today() -> None:
    today = Clock().today()
    assert Person(name="A", born=date(1900, 1, 1)).born == date(1900, 1, 1)
    assert refusal(born=date(1899, 12, 31)) == ("born",)
    assert refusal(born=today + timedelta(days=1)) == ("born",)


@pytest.mark.parametrize("met", [date(1, 1, 1), date(9999, 12, 31), "OLD", "FAR"])
def test_an_event_date_lies_within_years_of_today(met: Any) -> None:
    today = Clock().today()
    met = {"OLD": today - timedelta(days=31 * 366), "FAR": today + timedelta(days=11 * 366)}.get(
        met, met
    )
    assert refusal(met=met) == ("met",)
    assert Person(name="A", met=today + timedelta(days=365)).met is not None


def cursor(raw: str) -> str:
    return base64.urlsafe_b64encode(raw.encode()).decode()


@pytest.mark.parametrize(
    "raw",
    [
        "[" * 400 + "]" * 400,
        "[1e999]",
        "[NaN]",
        "[1.5]",
        "[true]",
        "[null]",
        '[["4601"]]',
        '[{"a": 1}]',
        json.dumps(["46\x0001"]),
        "[1, 2]",
    ],
)
def test_a_cursor_of_any_other_shape_than_a_flat_list_of_strings_and_ints_is_bad_input(
    raw: str,
) -> None:
    with pytest.raises(InvalidInput) as raised:
        decode_cursor(cursor(raw), str)
    assert raised.value.field == "after"


def test_an_overlong_cursor_is_bad_input_before_it_is_decoded() -> None:
    with pytest.raises(InvalidInput):
        decode_cursor(cursor(json.dumps(["x" * 2000])), str)


def test_a_cursor_given_out_reads_back() -> None:
    assert decode_cursor(encode_cursor("4601", 7), str, int) == ["4601", 7]
