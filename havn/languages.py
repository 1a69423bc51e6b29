"""Language codes in one ISO 639 form, and who needs an interpreter, for every service.

A language is stored as its ISO 639-1 code where it has one and as its ISO 639-3 code
otherwise (the rule BCP 47 follows): "fas", "per" and "fa" are all Persian and all become
"fa"; Dari has no two-letter code and stays "prs". One form per language lets lists be
compared (a child's languages with an offer's) and counted.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pycountry

from havn.errors import InvalidInput

# Norwegian in any of its forms: a child who speaks it needs no interpreter by default.
NORWEGIAN = frozenset({"no", "nb", "nn"})


def normalise_language(code: str, *, field: str = "languages") -> str:
    """The one stored form of an ISO 639-1, 639-2 or 639-3 code; anything else is bad input."""
    lowered = code.strip().lower()
    language = None
    if len(lowered) == 2:
        language = pycountry.languages.get(alpha_2=lowered)
    elif len(lowered) == 3:
        language = pycountry.languages.get(alpha_3=lowered) or pycountry.languages.get(
            bibliographic=lowered
        )
    if language is None:
        raise InvalidInput(f"language '{code}' is not an ISO 639 code", field=field)
    return str(getattr(language, "alpha_2", None) or language.alpha_3)


def normalise_languages(codes: Iterable[str], *, field: str = "languages") -> list[str]:
    """Each code in its one form; order kept, the same language named twice kept once."""
    normalised: list[str] = []
    for code in codes:
        language = normalise_language(code, field=field)
        if language not in normalised:
            normalised.append(language)
    return normalised


def needs_interpreter(languages: Sequence[str]) -> bool:
    """A child who speaks no Norwegian needs an interpreter until someone says otherwise."""
    return NORWEGIAN.isdisjoint(normalise_language(code) for code in languages)


def language_for_interpreter(languages: Sequence[str]) -> str | None:
    """The language an interpreter must speak for a child: its first that is not Norwegian."""
    return next((code for code in languages if code not in NORWEGIAN), None)
