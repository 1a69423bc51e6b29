"""Capacity rules: a municipality's yearly settlement decision and its care places."""

from __future__ import annotations

from datetime import date

from havn.errors import InvalidInput
from havn.vocabulary import CareArrangement
from services.intake.models import CarePlaces

# A settlement decision is made for this year or the next few, and kept for last year's record.
DECISION_YEARS_BACK, DECISION_YEARS_AHEAD = 1, 5


def check_settlement_decision(*, year: int, minors: int, today: date) -> None:
    """A yearly decision: a sensible year and a count that is not negative."""
    if not today.year - DECISION_YEARS_BACK <= year <= today.year + DECISION_YEARS_AHEAD:
        raise InvalidInput(
            f"year must be between {today.year - DECISION_YEARS_BACK} "
            f"and {today.year + DECISION_YEARS_AHEAD}",
            field="year",
        )
    if minors < 0:
        raise InvalidInput("the number of minors to settle cannot be below zero", field="minors")


def check_care_places(*, places: int, free: int) -> None:
    if places < 0:
        raise InvalidInput("the number of care places cannot be below zero", field="places")
    if free < 0:
        raise InvalidInput("the number of free care places cannot be below zero", field="free")
    if free > places:
        raise InvalidInput(
            f"free places ({free}) cannot exceed the care places ({places})", field="free"
        )


def reserve_care_place(places: CarePlaces | None, arrangement: CareArrangement) -> bool:
    """Takes one free place of the arrangement; returns whether one was reserved.

    A municipality that records no places of a type is not held to a count for it (it
    keeps its capacity outside Havn); once it records them, a free place is required.
    """
    if places is None:
        return False
    if places.free < 1:
        raise InvalidInput(
            f"there is no free {arrangement.value} care place: record a freed place under "
            "capacity, or choose another care arrangement",
            field="care_arrangement",
        )
    places.free -= 1
    return True


def release_care_place(places: CarePlaces | None) -> None:
    """Gives a place back when a child leaves it (never above the recorded places)."""
    if places is not None and places.free < places.places:
        places.free += 1
