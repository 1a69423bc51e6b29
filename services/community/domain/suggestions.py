"""Suggestions: offers and volunteers ranked by the interests and languages they share with
a child."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, TypeVar

from services.community.domain.volunteers import police_certificate_is_valid
from services.community.models import Child, Offer, Volunteer

T = TypeVar("T")


@dataclass(frozen=True)
class Suggestion(Generic[T]):
    """Something offered to a child, how well it fits, and why."""

    item: T
    score: int
    reasons: list[str]


def _fit(
    child: Child, *, words: Sequence[str], languages: Sequence[str]
) -> tuple[int, int, list[str]]:
    shared_interests = [word for word in words if word in child.interests]
    shared_languages = [code for code in languages if code in child.languages]
    reasons = []
    if shared_interests:
        reasons.append(f"shares the child's interests: {', '.join(shared_interests)}")
    if shared_languages:
        reasons.append(f"in the child's languages: {', '.join(shared_languages)}")
    return len(shared_interests) + len(shared_languages), len(shared_interests), reasons


def suggest_offers(
    child: Child, offers: Sequence[Offer], *, enrolled: dict[uuid.UUID, int], taken: set[uuid.UUID]
) -> list[Suggestion[Offer]]:
    """Offers with free places the child is not in, ranked by shared interests and languages."""
    ranked = []
    for offer in offers:
        if offer.id in taken or enrolled.get(offer.id, 0) >= offer.capacity:
            continue
        score, interests, reasons = _fit(child, words=offer.tags, languages=offer.languages)
        if score:
            ranked.append((score, interests, offer.title, Suggestion(offer, score, reasons)))
    ranked.sort(key=lambda r: (-r[0], -r[1], r[2]))
    return [r[3] for r in ranked]


def suggest_volunteers(
    child: Child,
    volunteers: Sequence[Volunteer],
    *,
    taken: set[uuid.UUID],
    today: date,
    limit_months: int,
) -> list[Suggestion[Volunteer]]:
    """Volunteers who may be matched (valid certificate), ranked like offers."""
    ranked = []
    for volunteer in volunteers:
        if volunteer.id in taken or not police_certificate_is_valid(
            volunteer, today=today, limit_months=limit_months
        ):
            continue
        score, interests, reasons = _fit(
            child, words=volunteer.interests, languages=volunteer.languages
        )
        if score:
            ranked.append((score, interests, volunteer.name, Suggestion(volunteer, score, reasons)))
    ranked.sort(key=lambda r: (-r[0], -r[1], r[2]))
    return [r[3] for r in ranked]
