"""Languages: Bokmål (default), Nynorsk and English from the committed Babel catalogs.

The .po files are compiled in memory at start, so a fresh clone needs no build step. The
language of a request is the user's choice (a cookie) or else the best of Accept-Language;
templates and Python code translate through the request's catalog (a context variable).
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_decimal
from babel.support import Translations

from havn.clock import NORWAY

LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "messages"
DEFAULT_LANGUAGE = "nb"
# Each language named in itself, for the language switch.
LANGUAGES: Mapping[str, str] = {"nb": "Norsk bokmål", "nn": "Norsk nynorsk", "en": "English"}
LANGUAGE_COOKIE = "havn-language"


def catalog_path(language: str) -> Path:
    return LOCALES_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_catalogs() -> dict[str, Catalog]:
    """Each language's catalog as committed."""
    catalogs = {}
    for language in LANGUAGES:
        with catalog_path(language).open("rb") as po:
            catalogs[language] = read_po(po, locale=language)
    return catalogs


def compiled(catalog: Catalog) -> Translations:
    """The catalog compiled in memory (fuzzy entries are left out, as msgfmt does)."""
    mo = io.BytesIO()
    write_mo(mo, catalog)
    mo.seek(0)
    return Translations(mo, domain=DOMAIN)


_catalogs = read_catalogs()
_translations: dict[str, Translations] = {
    code: compiled(catalog) for code, catalog in _catalogs.items()
}
# The singular messages each catalog translates, as compiled: neither empty nor fuzzy.
_translated: dict[str, frozenset[str]] = {
    code: frozenset(
        m.id for m in catalog if isinstance(m.id, str) and m.id and m.string and not m.fuzzy
    )
    for code, catalog in _catalogs.items()
}
# Parsed once: Babel parses a locale given by name again in every call (and in the calls
# those make), which made up most of the cost of a caseload page's dates and numbers.
_locales: dict[str, Locale] = {code: Locale.parse(code) for code in LANGUAGES}
_current: ContextVar[str] = ContextVar("havn_web_language", default=DEFAULT_LANGUAGE)


def negotiate(chosen: str | None, accept_language: str | None) -> str:
    """The user's choice if it is one of ours, else the best match of Accept-Language."""
    if chosen is not None and chosen in LANGUAGES:
        return chosen
    preferred = []
    for part in (accept_language or "").split(","):
        tag, _, quality = part.strip().partition(";q=")
        try:
            weight = float(quality) if quality else 1.0
        except ValueError:
            continue
        if tag:
            preferred.append((weight, tag.strip().replace("-", "_")))
    wanted = [tag for _, tag in sorted(preferred, key=lambda item: -item[0])]
    # "no" (Norwegian, unspecified) reads as Bokmål, as browsers set in Norway send it.
    wanted = ["nb" if tag.lower().split("_")[0] == "no" else tag for tag in wanted]
    match = Locale.negotiate(wanted, list(LANGUAGES), sep="_")
    return str(match) if match is not None else DEFAULT_LANGUAGE


@contextmanager
def language(code: str) -> Iterator[None]:
    """Translates in `code` within the block (one request)."""
    token = _current.set(code)
    try:
        yield
    finally:
        _current.reset(token)


def current_language() -> str:
    return _current.get()


def current_locale() -> Locale:
    """The request's language as Babel's Locale, for Babel's formatting functions."""
    return _locales[_current.get()]


def gettext(message: str) -> str:
    return _translations[_current.get()].ugettext(message)


def translation(message: str) -> str | None:
    """`message` in the request's language, or None when its catalog does not translate it
    (the gateway's messages built from values, which the catalogs cannot hold)."""
    if message not in _translated[_current.get()]:
        return None
    return gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return _translations[_current.get()].ungettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    return _translations[_current.get()].upgettext(context, message)


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    return _translations[_current.get()].unpgettext(context, singular, plural, n)


def format_day(value: date | str | None, format: str = "long") -> str:
    """A calendar date in the request's language ("5. desember 2026")."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value)
    return _format_day(value, format, _current.get())


def format_moment(value: datetime | str | None, format: str = "medium") -> str:
    """A point in time, in Norwegian time, in the request's language."""
    if value is None:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return format_datetime(value, format=format, tzinfo=NORWAY, locale=current_locale())


def format_number(value: float | int | None) -> str:
    """A number in the request's language ("12 345,6")."""
    if value is None:
        return ""
    return _format_number(value, _current.get())


# A page of 50 children formats the same few dates and small numbers over and over.
@lru_cache(maxsize=4096)
def _format_day(value: date, format: str, language: str) -> str:
    return format_date(value, format=format, locale=_locales[language])


@lru_cache(maxsize=4096, typed=True)
def _format_number(value: float | int, language: str) -> str:
    return format_decimal(value, locale=_locales[language])


def N_(message: str) -> str:
    """Marks a message for the catalogs where it is translated later (nav labels)."""
    return message
