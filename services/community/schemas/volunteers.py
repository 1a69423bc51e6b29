"""Volunteers, their police certificates and the municipality's limit on them (settings)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from pydantic import BaseModel, Field

from havn.dates import EventDate
from havn.numbers import Int32
from havn.text import Line, OneLine, PersonName
from services.community.domain import volunteers as certificates
from services.community.domain.text import MAX_WORDS
from services.community.models import Volunteer
from services.community.schemas.partners import PartnerOut


class VolunteerIn(BaseModel):
    partner_slug: Annotated[str, OneLine(60)]
    kind: Annotated[str, OneLine(24)]
    name: PersonName
    languages: list[Line] = Field(default_factory=list, max_length=20)
    interests: list[Line] = Field(default_factory=list, max_length=MAX_WORDS)
    police_certificate_checked_on: EventDate | None = None


class PoliceCertificateIn(BaseModel):
    checked_on: EventDate


class VolunteerOut(BaseModel):
    id: uuid.UUID
    kind: str
    name: str
    partner: PartnerOut
    languages: list[str]
    interests: list[str]
    police_certificate_checked_on: date | None
    police_certificate_valid: bool
    police_certificate_valid_until: date | None

    @classmethod
    def of(cls, volunteer: Volunteer, *, today: date, limit_months: int) -> VolunteerOut:
        """`limit_months`: how old the municipality lets a police certificate be."""
        checked_on = volunteer.police_certificate_checked_on
        return cls(
            id=volunteer.id,
            kind=volunteer.kind,
            name=volunteer.name,
            partner=PartnerOut.of(volunteer.partner),
            languages=volunteer.languages,
            interests=volunteer.interests,
            police_certificate_checked_on=checked_on,
            police_certificate_valid=certificates.police_certificate_is_valid(
                volunteer, today=today, limit_months=limit_months
            ),
            police_certificate_valid_until=(
                certificates.police_certificate_valid_until(checked_on, limit_months=limit_months)
                if checked_on
                else None
            ),
        )


class SettingsOut(BaseModel):
    municipality: str
    police_certificate_months: int

    @classmethod
    def of(cls, municipality: str, police_certificate_months: int) -> SettingsOut:
        return cls(municipality=municipality, police_certificate_months=police_certificate_months)


class PoliceCertificateLimitIn(BaseModel):
    months: Int32
