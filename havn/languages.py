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


def two_letter_forms() -> dict[str, str]:
    """Every three-letter code (ISO 639-2/B, 639-2/T, 639-3) of a language with a 639-1 code,
    and that code: what stored data is migrated by."""
    forms: dict[str, str] = {}
    for language in pycountry.languages:
        alpha_2 = getattr(language, "alpha_2", None)
        if alpha_2 is None:
            continue
        forms[language.alpha_3] = alpha_2
        bibliographic = getattr(language, "bibliographic", None)
        if bibliographic:
            forms[bibliographic] = alpha_2
    return forms


def migrate_stored_languages(
    table: str, *, arrays: Sequence[str] = (), scalars: Sequence[str] = ()
) -> None:
    """Used inside migrations: rewrites a table's stored codes in the one form, keeping each
    list's order and dropping a language it now names twice. Row-level security is lifted
    for the statement (the owner migrates every tenant) and restored in the same transaction.
    """
    import json

    import sqlalchemy as sa
    from alembic import op

    forms = {"forms": json.dumps(two_letter_forms())}
    op.execute(f"alter table {table} no force row level security")
    for column in arrays:
        op.get_bind().execute(
            sa.text(
                f"update {table} set {column} = array("
                "select code from (select coalesce(cast(:forms as jsonb) ->> raw, raw) as code,"
                f" min(position) as first from unnest({column}) with ordinality as u(raw, position)"
                " group by 1) as normalised order by first)"
                f" where {column} && array(select jsonb_object_keys(cast(:forms as jsonb)))"
            ),
            forms,
        )
    for column in scalars:
        op.get_bind().execute(
            sa.text(
                f"update {table} set {column} = cast(:forms as jsonb) ->> {column}"
                f" where cast(:forms as jsonb) ? {column}"
            ),
            forms,
        )
    op.execute(f"alter table {table} force row level security")
