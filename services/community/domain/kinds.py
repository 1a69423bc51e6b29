"""The kinds community sorts partners, offers, volunteers and funding into, and how a typed
kind is read."""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar

from havn.errors import InvalidInput

K = TypeVar("K", bound=StrEnum)


class PartnerKind(StrEnum):
    NGO = "NGO"
    SPORTS_CLUB = "SPORTS_CLUB"
    EMPLOYER = "EMPLOYER"
    FAITH = "FAITH"
    LIBRARY = "LIBRARY"
    VOLUNTEER_CENTRE = "VOLUNTEER_CENTRE"
    OTHER = "OTHER"


class OfferKind(StrEnum):
    LEISURE = "LEISURE"
    LANGUAGE_CAFE = "LANGUAGE_CAFE"
    WORK_TRAINING = "WORK_TRAINING"
    SUMMER_JOB = "SUMMER_JOB"


class VolunteerKind(StrEnum):
    MENTOR = "MENTOR"
    SUPPORT_FAMILY = "SUPPORT_FAMILY"
    VISITING_FAMILY = "VISITING_FAMILY"


class FundingStatus(StrEnum):
    APPLIED = "APPLIED"
    GRANTED = "GRANTED"
    REJECTED = "REJECTED"


def parse_kind(kind_type: type[K], value: str, *, field: str = "kind") -> K:
    try:
        return kind_type(value.strip().upper())
    except ValueError:
        allowed = ", ".join(kind_type)
        raise InvalidInput(f"{field} must be one of {allowed}", field=field) from None
