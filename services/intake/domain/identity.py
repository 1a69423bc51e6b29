"""A minor's identity facts as intake checks and keeps them (names in any script, date of
birth, sex, nationality, languages), and the free text staff write about a child."""

from __future__ import annotations

import unicodedata
from datetime import date

import pycountry

from havn.errors import InvalidInput
from havn.languages import normalise_languages
from services.intake.domain import Sex

ADULT_AGE = 18
# Reception centres refer minors; a date of birth this far back is a typing error.
OLDEST_PLAUSIBLE_AGE = 18
MAX_TEXT = 4000
# Letters with no Unicode decomposition that a Norwegian keyboard user types without.
_FOLD_LETTERS = str.maketrans(
    {"ø": "o", "æ": "ae", "đ": "d", "ð": "d", "ł": "l", "þ": "th", "œ": "oe"}
)


def normalise_name(name: str) -> str:
    """Names in any script, stored NFC-normalised with single spaces."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def fold_for_search(name: str) -> str:
    """A name as search compares it: case and accents ignored, any script kept.

    "Åsa Ødegård" and "asa odegard" fold alike; Arabic or Tigrinya letters stay themselves.
    """
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(unicodedata.normalize("NFC", bare).translate(_FOLD_LETTERS).split())


def first_name_of(full_name: str) -> str:
    return full_name.split(" ", 1)[0]


def age_on(date_of_birth: date, day: date) -> int:
    before_birthday = (day.month, day.day) < (date_of_birth.month, date_of_birth.day)
    return day.year - date_of_birth.year - before_birthday


def check_nationality(code: str) -> str:
    """ISO 3166-1 alpha-2, as maintained by pycountry."""
    country = pycountry.countries.get(alpha_2=code.upper())
    if country is None:
        raise InvalidInput(
            f"nationality '{code}' is not an ISO 3166-1 alpha-2 country code", field="nationality"
        )
    return str(country.alpha_2)


def check_languages(codes: list[str]) -> list[str]:
    """At least one language, each in its one ISO 639 form; order kept, duplicates dropped."""
    if not codes:
        raise InvalidInput("at least one language is required", field="languages")
    return normalise_languages(codes)


def check_name(name: str, *, field: str) -> str:
    normalised = normalise_name(name)
    if not normalised:
        raise InvalidInput(f"{field} must not be empty", field=field)
    return normalised


def check_sex(sex: str) -> str:
    try:
        return Sex(sex.strip().upper()).value
    except ValueError:
        raise InvalidInput("sex must be F, M or X", field="sex") from None


def eighteenth_birthday(date_of_birth: date) -> date:
    """The day a minor comes of age; guardianship (vergemål) ends on it."""
    try:
        return date_of_birth.replace(year=date_of_birth.year + ADULT_AGE)
    except ValueError:  # born on 29 February
        return date(date_of_birth.year + ADULT_AGE, 3, 1)


def check_date_of_birth(date_of_birth: date, *, minor_on: date, today: date) -> None:
    """A date of birth in the past, of someone under 18 on the day that matters."""
    if date_of_birth > today:
        raise InvalidInput("date of birth is in the future", field="date_of_birth")
    if date_of_birth > minor_on:
        raise InvalidInput(
            f"date of birth is after {minor_on.isoformat()}, when the child was settled",
            field="date_of_birth",
        )
    if age_on(date_of_birth, minor_on) >= OLDEST_PLAUSIBLE_AGE:
        raise InvalidInput(
            f"a minor must be under 18 on {minor_on.isoformat()}; "
            f"this date of birth makes them {age_on(date_of_birth, minor_on)}",
            field="date_of_birth",
        )
