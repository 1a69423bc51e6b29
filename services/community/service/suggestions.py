"""Suggestions for a child: offers and volunteers ranked by what they share with it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from havn.auth import DataClass, Principal
from services.community import events
from services.community.domain.suggestions import Suggestion, suggest_offers, suggest_volunteers
from services.community.models import Child, Offer, Volunteer
from services.community.repository import enrolments, matches, offers, volunteers
from services.community.service.children import find_child
from services.community.service.settings import police_certificate_limit


@dataclass(frozen=True)
class Suggestions:
    """The best offers and volunteers for a child, with what presenting them needs."""

    child: Child
    offers: list[Suggestion[Offer]]
    volunteers: list[Suggestion[Volunteer]]
    enrolled: dict[uuid.UUID, int]
    limit_months: int


async def suggestions_for_child(
    session: AsyncSession, *, principal: Principal, child_id: uuid.UUID, first: int, today: date
) -> Suggestions:
    """Offers and volunteers ranked by the interests and languages they share with the child."""
    child = await find_child(session, child_id)
    all_offers = await offers.all_offers(session)
    enrolled = await enrolments.active_enrolment_counts(
        session, [offer.id for offer in all_offers], today=today
    )
    limit = await police_certificate_limit(session)
    offer_suggestions = suggest_offers(
        child,
        all_offers,
        enrolled=enrolled,
        taken=await enrolments.offers_taken_by(session, child.id, today=today),
    )[:first]
    volunteer_suggestions = suggest_volunteers(
        child,
        await volunteers.all_volunteers(session),
        taken=await matches.volunteers_matched_with(session, child.id, today=today),
        today=today,
        limit_months=limit,
    )[:first]
    await events.changes.record_read(
        session,
        principal,
        child_ids=[child.id],
        data_class=DataClass.BASIC,
        operation="community.suggestions",
    )
    return Suggestions(child, offer_suggestions, volunteer_suggestions, enrolled, limit)
