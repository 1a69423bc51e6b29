"""Dates people type, each kind within a plausible range: the types every service's input uses.

The ranges are years wide around the real calendar day, so a test or demo clock moved by days
or months never trips them, while 0001-01-01 or 9999-12-31 (which overflow date arithmetic)
never reach a domain. The domain's own rules (an arrival not in the future, a minor's age)
stay in each service's domain.py, against the service's clock.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from havn.clock import Clock

# Nobody alive was born before this; a child's or young person's record never goes further back.
EARLIEST_BIRTH = date(1900, 1, 1)
# Meetings, arrivals, decisions, school starts: recorded up to this many years back …
EVENT_YEARS_BACK = 30
# … and planned up to this many years ahead.
EVENT_YEARS_AHEAD = 10


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def birth_date(value: date) -> date:
    """A date of birth: not before 1900 and not after today."""
    today = Clock().today()
    if not EARLIEST_BIRTH <= value <= today:
        raise PydanticCustomError(
            "date",
            "a date of birth must lie between {earliest} and today",
            {"earliest": str(EARLIEST_BIRTH)},
        )
    return value


def event_date(value: date) -> date:
    """The date of something that happened or is planned, within years of today."""
    today = Clock().today()
    earliest, latest = _years_from(today, -EVENT_YEARS_BACK), _years_from(today, EVENT_YEARS_AHEAD)
    if not earliest <= value <= latest:
        raise PydanticCustomError(
            "date",
            "the date must lie within {back} years before and {ahead} years after today",
            {"back": EVENT_YEARS_BACK, "ahead": EVENT_YEARS_AHEAD},
        )
    return value


BirthDate = Annotated[date, AfterValidator(birth_date)]
EventDate = Annotated[date, AfterValidator(event_date)]
