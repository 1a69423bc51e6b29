"""Care (phase 3) as the public schema shows it: care plan, assessments, follow-up notes."""

from __future__ import annotations

from datetime import date, datetime

import strawberry

from gateway.schema.common import Payload, optional_date


@strawberry.type
class CareGoal:
    domain: str
    description: str
    review_on: date | None


@strawberry.type
class CarePlan:
    status: str
    goals: list[CareGoal]
    childs_own_words: str | None
    approved_on: date | None

    @classmethod
    def from_payload(cls, p: Payload) -> CarePlan:
        return cls(
            status=p["status"],
            goals=[
                CareGoal(
                    domain=g["domain"],
                    description=g["description"],
                    review_on=optional_date(g["review_on"]),
                )
                for g in p["goals"]
            ],
            childs_own_words=p["childs_own_words"],
            approved_on=optional_date(p["approved_on"]),
        )


@strawberry.type
class DomainScore:
    domain: str
    score: int


@strawberry.type
class Assessment:
    id: strawberry.ID
    assessed_on: date
    scores: list[DomainScore]
    childs_own_words: str | None
    notes: str | None
    next_due_on: date

    @classmethod
    def from_payload(cls, p: Payload) -> Assessment:
        return cls(
            id=strawberry.ID(p["id"]),
            assessed_on=date.fromisoformat(p["assessed_on"]),
            scores=[DomainScore(domain=s["domain"], score=s["score"]) for s in p["scores"]],
            childs_own_words=p["childs_own_words"],
            notes=p["notes"],
            next_due_on=date.fromisoformat(p["next_due_on"]),
        )


@strawberry.type
class FollowUpNote:
    id: strawberry.ID
    written_at: datetime
    author: str
    text: str

    @classmethod
    def from_payload(cls, p: Payload) -> FollowUpNote:
        return cls(
            id=strawberry.ID(p["id"]),
            written_at=datetime.fromisoformat(p["written_at"]),
            author=p["author"],
            text=p["text"],
        )
