"""How community cleans what staff type: names and free text, tags and interests, languages."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from havn.errors import InvalidInput
from havn.languages import normalise_languages

MAX_WORDS = 30
MAX_WORD_LENGTH = 40


def check_text(value: str, *, field: str, max_length: int = 200) -> str:
    """Trimmed, NFC, single spaces; empty or over-long text is bad input naming the field."""
    cleaned = " ".join(unicodedata.normalize("NFC", value).split())
    if not cleaned:
        raise InvalidInput(f"{field} must not be empty", field=field)
    if len(cleaned) > max_length:
        raise InvalidInput(f"{field} is longer than {max_length} characters", field=field)
    return cleaned


def check_words(values: Sequence[str], *, field: str) -> list[str]:
    """Tags and interests: lower case, trimmed, duplicates dropped, order kept."""
    if len(values) > MAX_WORDS:
        raise InvalidInput(f"at most {MAX_WORDS} {field} are allowed", field=field)
    words: list[str] = []
    for value in values:
        word = " ".join(unicodedata.normalize("NFC", value).lower().split())
        if not word or len(word) > MAX_WORD_LENGTH:
            raise InvalidInput(
                f"each of {field} must be 1 to {MAX_WORD_LENGTH} characters", field=field
            )
        if word not in words:
            words.append(word)
    return words


def check_languages(codes: Sequence[str], *, field: str = "languages") -> list[str]:
    """Each code in its one ISO 639 form; order kept, duplicates dropped. May be empty."""
    return normalise_languages(codes, field=field)
