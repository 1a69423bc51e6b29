"""Volunteers and their police certificates (politiattest): who may be matched with a child."""

from __future__ import annotations

import calendar
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from havn.errors import InvalidInput
from services.community.domain.kinds import VolunteerKind, parse_kind
from services.community.domain.text import check_languages, check_text, check_words
from services.community.models import Partner, Volunteer

# Politiattest: a municipality may ask for a fresher one; three years unless it says otherwise.
DEFAULT_POLICE_CERTIFICATE_MONTHS = 36


@dataclass(frozen=True, kw_only=True)
class NewVolunteer:
    kind: str
    name: str
    languages: list[str]
    interests: list[str]
    police_certificate_checked_on: date | None


def register_volunteer(
    *, tenant_id: str, partner: Partner, new: NewVolunteer, today: date
) -> Volunteer:
    checked_on = new.police_certificate_checked_on
    if checked_on is not None and checked_on > today:
        raise InvalidInput(
            "the police certificate check date is in the future",
            field="police_certificate_checked_on",
        )
    return Volunteer(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        partner_id=partner.id,
        kind=parse_kind(VolunteerKind, new.kind).value,
        name=check_text(new.name, field="name"),
        languages=check_languages(new.languages),
        interests=check_words(new.interests, field="interests"),
        police_certificate_checked_on=checked_on,
    )


def record_police_certificate(volunteer: Volunteer, *, checked_on: date, today: date) -> None:
    if checked_on > today:
        raise InvalidInput("the check date is in the future", field="checked_on")
    volunteer.police_certificate_checked_on = checked_on


def months_before(day: date, months: int) -> date:
    """The same day `months` earlier (the month's last day where that day does not exist)."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    last_day = calendar.monthrange(year, month_index + 1)[1]
    return date(year, month_index + 1, min(day.day, last_day))


def police_certificate_is_valid(volunteer: Volunteer, *, today: date, limit_months: int) -> bool:
    """Missing, or checked more than `limit_months` ago: not valid."""
    checked_on = volunteer.police_certificate_checked_on
    return checked_on is not None and checked_on >= months_before(today, limit_months)


def police_certificate_valid_until(checked_on: date, *, limit_months: int) -> date:
    """The last day a certificate checked on `checked_on` is valid (see the rule above): the
    same day `limit_months` later, or a day or three more where that month is shorter."""
    last = months_before(checked_on, -limit_months)
    while months_before(last + timedelta(days=1), limit_months) <= checked_on:
        last += timedelta(days=1)
    return last


def check_police_certificate_limit(months: int) -> int:
    if not 1 <= months <= 120:
        raise InvalidInput("the limit must be between 1 and 120 months", field="months")
    return months
