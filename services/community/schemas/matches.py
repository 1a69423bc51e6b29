"""Matches of children and volunteers: what routes take and give, and how each is presented."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import date

from pydantic import BaseModel

from services.community.domain.matches import match_is_active
from services.community.models import Match
from services.community.schemas.volunteers import VolunteerOut


class MatchIn(BaseModel):
    child_id: uuid.UUID
    volunteer_id: uuid.UUID
    consent_given: bool


class MatchOut(BaseModel):
    id: uuid.UUID
    child_id: uuid.UUID | None
    volunteer: VolunteerOut | None
    started_on: date
    ended_on: date | None
    active: bool

    @classmethod
    def of(
        cls,
        match: Match,
        *,
        today: date,
        limit_months: int,
        visible_children: Collection[uuid.UUID] | None = None,
    ) -> MatchOut:
        shown = visible_children is None or match.child_id in visible_children
        return cls(
            id=match.id,
            child_id=match.child_id if shown else None,
            volunteer=VolunteerOut.of(match.volunteer, today=today, limit_months=limit_months)
            if match.volunteer
            else None,
            started_on=match.started_on,
            ended_on=match.ended_on,
            active=match_is_active(match=match, today=today),
        )
