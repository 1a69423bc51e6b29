"""Intake (phases 1-2) as the public schema shows it: referrals, their checklist, capacity,
relocations (the Child itself is gateway/schema/child.py)."""

from __future__ import annotations

from datetime import date, datetime

import strawberry
from strawberry.types import Info

from gateway.schema.common import Payload, child_field, optional_date
from gateway.security import Requires
from havn import permissions
from havn.vocabulary import CareArrangement, PreparationTaskKind, ReferralStatus, RelocationStatus


def optional_datetime(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


@strawberry.type
class PreparationTask:
    kind: PreparationTaskKind
    done: bool
    due_on: date | None
    payload: strawberry.Private[Payload]

    @classmethod
    def from_payload(cls, p: Payload) -> PreparationTask:
        return cls(
            kind=PreparationTaskKind(p["kind"]),
            done=p["done"],
            due_on=optional_date(p["due_on"]),
            payload=p,
        )

    @strawberry.field(
        extensions=[Requires(permissions.intake.PREPARATION)],
        description="Username of the municipality's staff member who owns it.",
    )
    def owner(self, info: Info) -> str | None:
        return self.payload.get("owner")

    @strawberry.field(extensions=[Requires(permissions.intake.PREPARATION)])
    def notes(self, info: Info) -> str | None:
        return self.payload.get("notes")

    @strawberry.field(extensions=[Requires(permissions.intake.PREPARATION)])
    def done_by(self, info: Info) -> str | None:
        return self.payload.get("done_by")

    @strawberry.field(extensions=[Requires(permissions.intake.PREPARATION)])
    def done_at(self, info: Info) -> datetime | None:
        return optional_datetime(self.payload.get("done_at"))


@strawberry.type
class Appointment:
    """A representative (representant) or guardian (verge), and when they were appointed."""

    name: str
    appointed_on: date

    @classmethod
    def from_payload(cls, p: Payload | None) -> Appointment | None:
        return (
            cls(name=p["name"], appointed_on=date.fromisoformat(p["appointed_on"])) if p else None
        )


@strawberry.type
class ReferredMinor:
    """The minor's facts as the directorate referred them: personal data."""

    full_name: str
    date_of_birth: date
    sex: str
    nationality: str
    languages: list[str]
    needs_summary: str | None
    proposed_arrival: date | None

    @classmethod
    def from_payload(cls, p: Payload) -> ReferredMinor:
        return cls(
            full_name=p["full_name"],
            date_of_birth=date.fromisoformat(p["date_of_birth"]),
            sex=p["sex"],
            nationality=p["nationality"],
            languages=p["languages"],
            needs_summary=p["needs_summary"],
            proposed_arrival=optional_date(p["proposed_arrival"]),
        )


@strawberry.type
class Referral:
    id: strawberry.ID
    municipality: str
    status: ReferralStatus
    respond_by: date
    overdue: bool
    planned_arrival: date | None
    care_arrangement: CareArrangement | None
    care_place_reserved: bool | None = strawberry.field(
        description="Set on acceptance: true when one of the municipality's recorded free "
        "places of the arrangement was taken; false when it records no places of that "
        "arrangement, so no capacity check was made. Null before acceptance."
    )
    decline_reason: str | None
    withdraw_reason: str | None
    preparation: list[PreparationTask]
    ready_for_arrival: bool = strawberry.field(
        description="Every task due by the planned arrival is done."
    )
    open_tasks: int = strawberry.field(description="Checklist tasks not done yet.")
    child_id: strawberry.Private[str | None]
    minor_payload: strawberry.Private[Payload | None]

    @classmethod
    def from_payload(cls, p: Payload) -> Referral:
        arrangement = p["care_arrangement"]
        return cls(
            id=strawberry.ID(p["id"]),
            municipality=p["municipality"],
            status=ReferralStatus(p["status"]),
            respond_by=date.fromisoformat(p["respond_by"]),
            overdue=p["overdue"],
            planned_arrival=optional_date(p["planned_arrival"]),
            care_arrangement=CareArrangement(arrangement) if arrangement else None,
            care_place_reserved=p.get("care_place_reserved"),
            decline_reason=p["decline_reason"],
            withdraw_reason=p.get("withdraw_reason"),
            preparation=[PreparationTask.from_payload(t) for t in p["preparation"]],
            ready_for_arrival=p["ready_for_arrival"],
            open_tasks=p.get("open_tasks", 0),
            child_id=p["child_id"],
            minor_payload=p.get("minor"),
        )

    @strawberry.field(
        extensions=[Requires(permissions.intake.PROFILE_READ)],
        description="The referred minor's facts: the municipality's staff only.",
    )
    def minor(self, info: Info) -> ReferredMinor | None:
        return ReferredMinor.from_payload(self.minor_payload) if self.minor_payload else None

    child = child_field(
        lambda referral: referral.child_id,
        description="The settled child, once ARRIVED and if you may see it.",
    )


# --- capacity -------------------------------------------------------------------------------


@strawberry.type
class CarePlaces:
    care_arrangement: CareArrangement
    places: int
    free: int


@strawberry.type
class MunicipalityCapacity:
    """A municipality's settlement decision and care places beside its pending referrals.

    Counts only: nothing here is about a child.
    """

    municipality: str
    name: str
    year: int
    settlement_decision: int | None = strawberry.field(
        description="How many minors the municipality decided to settle this year (vedtak)."
    )
    care_places: list[CarePlaces]
    free_places: int
    pending_referrals: int

    @classmethod
    def from_payload(cls, p: Payload) -> MunicipalityCapacity:
        return cls(
            municipality=p["municipality"],
            name=p["name"],
            year=p["year"],
            settlement_decision=p["settlement_decision"],
            care_places=[
                CarePlaces(
                    care_arrangement=CareArrangement(c["care_arrangement"]),
                    places=c["places"],
                    free=c["free"],
                )
                for c in p["care_places"]
            ],
            free_places=p["free_places"],
            pending_referrals=p["pending_referrals"],
        )


@strawberry.type
class StaffMember:
    """A user of the municipality who may own checklist tasks."""

    username: str
    role: str

    @classmethod
    def from_payload(cls, p: Payload) -> StaffMember:
        return cls(username=p["username"], role=p["role"])


# --- relocation -----------------------------------------------------------------------------


@strawberry.type
class Relocation:
    """A settled child's move to another municipality (flytting)."""

    id: strawberry.ID
    from_municipality: str
    to_municipality: str
    status: RelocationStatus
    note: str | None
    child_first_name: str
    child_age: int
    child_languages: list[str]
    proposed_by: str
    proposed_at: datetime
    decided_by: str | None
    decided_at: datetime | None
    decline_reason: str | None
    care_arrangement: CareArrangement | None
    relocated_on: date | None
    child_id: strawberry.Private[str]

    @classmethod
    def from_payload(cls, p: Payload) -> Relocation:
        arrangement = p["care_arrangement"]
        return cls(
            id=strawberry.ID(p["id"]),
            from_municipality=p["from_municipality"],
            to_municipality=p["to_municipality"],
            status=RelocationStatus(p["status"]),
            note=p["note"],
            child_first_name=p["child_first_name"],
            child_age=p["child_age"],
            child_languages=p["child_languages"],
            proposed_by=p["proposed_by"],
            proposed_at=datetime.fromisoformat(p["proposed_at"]),
            decided_by=p["decided_by"],
            decided_at=optional_datetime(p["decided_at"]),
            decline_reason=p["decline_reason"],
            care_arrangement=CareArrangement(arrangement) if arrangement else None,
            relocated_on=optional_date(p["relocated_on"]),
            child_id=p["child_id"],
        )

    child = child_field(
        lambda relocation: relocation.child_id,
        description="The child, where it lives now and if you may see it.",
    )
