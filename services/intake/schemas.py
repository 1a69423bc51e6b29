"""Intake's request and response models, and how each response presents what a use case
returned to the caller (never more than its roles and data classes allow)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from havn.auth import DataClass, Principal
from havn.dates import BirthDate, EventDate
from havn.errors import InvalidInput
from havn.numbers import Int32
from havn.text import Line, OneLine, Paragraphs, PersonName
from havn.vocabulary import CareArrangement, PreparationTaskKind, ReferralStatus, RelocationStatus
from services.intake.domain import identity, preparation, referrals
from services.intake.domain.children import Appointment, ChildRecord, ProfileEdit
from services.intake.domain.preparation import TaskEdit
from services.intake.domain.referrals import NewReferral
from services.intake.models import BreakGlassAccess, PreparationTask, Referral, Relocation
from services.intake.repository import MunicipalityCapacity

# --- referrals and their checklist --------------------------------------------------------


class CreateReferralIn(BaseModel):
    municipality: str = Field(pattern=r"^\d{4}$")
    full_name: PersonName
    date_of_birth: BirthDate
    sex: Line
    nationality: Line
    languages: list[Line] = Field(max_length=20)
    needs_summary: Annotated[str, Paragraphs(4000)] | None = None
    proposed_arrival: EventDate | None = None
    respond_by: EventDate

    def new_referral(self) -> NewReferral:
        return NewReferral(**self.model_dump())


class AcceptReferralIn(BaseModel):
    planned_arrival: EventDate
    care_arrangement: CareArrangement


class ReasonIn(BaseModel):
    reason: Annotated[str, Paragraphs(2000)]


class TaskEditIn(BaseModel):
    """Fields left out stay as they are; a null owner or notes empties it."""

    owner: Annotated[str, OneLine(200)] | None = None
    notes: Annotated[str, Paragraphs(identity.MAX_TEXT)] | None = None

    def edit(self) -> TaskEdit:
        sent = self.model_fields_set
        return TaskEdit(
            owner=self.owner,
            notes=self.notes,
            cleared=frozenset(
                n for n in ("owner", "notes") if n in sent and getattr(self, n) is None
            ),
        )


class ArrivalIn(BaseModel):
    arrived_on: EventDate


class PreparationTaskOut(BaseModel):
    kind: PreparationTaskKind
    done: bool
    due_on: date
    # personal: null where the caller is not cleared
    owner: str | None = None
    notes: str | None = None
    done_by: str | None = None
    done_at: datetime | None = None

    @classmethod
    def of(cls, task: PreparationTask, principal: Principal) -> PreparationTaskOut:
        out = cls(kind=PreparationTaskKind(task.kind), done=task.done, due_on=task.due_on)
        if principal.is_municipal and principal.cleared_for(DataClass.PERSONAL):
            out.owner, out.notes = task.owner, task.notes
            out.done_by, out.done_at = task.done_by, task.done_at
        return out


class MinorOut(BaseModel):
    """The referred minor's pre-arrival facts: personal data."""

    full_name: str
    date_of_birth: date
    sex: str
    nationality: str
    languages: list[str]
    needs_summary: str | None
    proposed_arrival: date | None


class ReferralOut(BaseModel):
    id: uuid.UUID
    municipality: str
    status: ReferralStatus
    respond_by: date
    overdue: bool
    planned_arrival: date | None
    care_arrangement: CareArrangement | None
    care_place_reserved: bool | None
    decline_reason: str | None
    withdraw_reason: str | None
    preparation: list[PreparationTaskOut]
    ready_for_arrival: bool
    open_tasks: int
    child_id: uuid.UUID | None
    minor: MinorOut | None

    @classmethod
    def of(cls, referral: Referral, principal: Principal, today: date) -> ReferralOut:
        """What the caller may see of a referral: the minor's facts only for municipal staff."""
        municipal = principal.is_municipal and principal.cleared_for(DataClass.PERSONAL)
        arrived = referral.status == ReferralStatus.ARRIVED
        return cls(
            id=referral.id,
            municipality=referral.tenant_id,
            status=ReferralStatus(referral.status),
            respond_by=referral.respond_by,
            overdue=referrals.is_overdue(referral, today=today),
            planned_arrival=referral.planned_arrival,
            care_arrangement=(
                CareArrangement(referral.care_arrangement) if referral.care_arrangement else None
            ),
            care_place_reserved=referral.care_place_reserved,
            decline_reason=referral.decline_reason,
            withdraw_reason=referral.withdraw_reason,
            preparation=[PreparationTaskOut.of(task, principal) for task in referral.tasks],
            ready_for_arrival=preparation.ready_for_arrival(referral),
            open_tasks=len(preparation.open_tasks(referral)),
            child_id=referral.child_id if arrived and principal.is_municipal else None,
            minor=MinorOut(
                full_name=referral.full_name,
                date_of_birth=referral.date_of_birth,
                sex=referral.sex,
                nationality=referral.nationality,
                languages=referral.languages,
                needs_summary=referral.needs_summary,
                proposed_arrival=referral.proposed_arrival,
            )
            if municipal
            else None,
        )


# --- the child ----------------------------------------------------------------------------


class AppointmentIn(BaseModel):
    name: PersonName
    appointed_on: EventDate


class AppointmentOut(BaseModel):
    name: str
    appointed_on: date

    @classmethod
    def of(cls, name: str | None, on: date | None) -> AppointmentOut | None:
        return cls(name=name, appointed_on=on) if name and on else None


class ChildOut(BaseModel):
    id: uuid.UUID
    municipality: str
    phase: str
    # basic
    first_name: str
    age: int
    languages: list[str]
    interpreter_needed: bool
    interpreter_language: str | None
    # personal: null where the caller is not cleared
    full_name: str | None = None
    date_of_birth: date | None = None
    date_of_birth_estimated: bool | None = None
    nationality: str | None = None
    sex: str | None = None
    care_arrangement: CareArrangement | None = None
    settled_on: date | None = None
    representative: AppointmentOut | None = None
    guardian: AppointmentOut | None = None
    guardianship_ends_on: date | None = None
    # The checklist tasks still open (the ones reported when a child arrives before they are).
    open_preparation_tasks: list[PreparationTaskOut] = Field(default_factory=list)

    @classmethod
    def of(cls, record: ChildRecord, principal: Principal, today: date) -> ChildOut:
        child = record.child
        out = cls(
            id=child.id,
            municipality=child.tenant_id,
            phase="CARE",
            first_name=child.first_name,
            age=identity.age_on(child.date_of_birth, today),
            languages=child.languages,
            interpreter_needed=child.interpreter_needed,
            interpreter_language=child.interpreter_language,
        )
        if principal.cleared_for(DataClass.PERSONAL):
            out.full_name, out.date_of_birth = child.full_name, child.date_of_birth
            out.date_of_birth_estimated = child.date_of_birth_estimated
            out.nationality, out.sex = child.nationality, child.sex
            out.care_arrangement = CareArrangement(child.care_arrangement)
            out.settled_on = child.settled_on
            out.representative = AppointmentOut.of(
                child.representative_name, child.representative_appointed_on
            )
            out.guardian = AppointmentOut.of(child.guardian_name, child.guardian_appointed_on)
            out.guardianship_ends_on = identity.eighteenth_birthday(child.date_of_birth)
            out.open_preparation_tasks = [
                PreparationTaskOut.of(task, principal) for task in record.open_tasks
            ]
        return out


class ProfileIn(BaseModel):
    """A profile edit: fields left out stay as they are; null empties the optional ones."""

    model_config = ConfigDict(extra="forbid")

    full_name: PersonName | None = None
    first_name: Annotated[str, OneLine(100, min_length=1)] | None = None
    date_of_birth: BirthDate | None = None
    date_of_birth_estimated: bool | None = None
    sex: Line | None = None
    nationality: Line | None = None
    languages: list[Line] | None = Field(default=None, max_length=20)
    interpreter_needed: bool | None = None
    interpreter_language: Line | None = None
    care_arrangement: CareArrangement | None = None
    representative: AppointmentIn | None = None
    guardian: AppointmentIn | None = None

    def edit(self) -> ProfileEdit:
        """The edit the fields sent ask for; null is refused where a field must keep a value."""
        sent = self.model_fields_set
        for name in sent - CLEARABLE_PROFILE_FIELDS:
            if getattr(self, name) is None:
                raise InvalidInput(f"{name} cannot be emptied", field=name)
        return ProfileEdit(
            **{
                name: getattr(self, name)
                for name in sent
                if name not in {"representative", "guardian"} and getattr(self, name) is not None
            },
            representative=Appointment(**self.representative.model_dump())
            if self.representative
            else None,
            guardian=Appointment(**self.guardian.model_dump()) if self.guardian else None,
            cleared=frozenset(
                n for n in sent & CLEARABLE_PROFILE_FIELDS if getattr(self, n) is None
            ),
        )


# Fields that may be emptied by sending null; the others must have a value when sent.
CLEARABLE_PROFILE_FIELDS = frozenset({"interpreter_language", "representative", "guardian"})


# --- municipalities, capacity and staff ---------------------------------------------------


class MunicipalityIn(BaseModel):
    number: str = Field(pattern=r"^\d{4}$")
    name: Annotated[str, OneLine(100, min_length=1)]


class MunicipalityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    number: str
    name: str


class SettlementDecisionIn(BaseModel):
    minors: Int32


class CarePlacesIn(BaseModel):
    places: Int32
    free: Int32


class CarePlacesOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    care_arrangement: CareArrangement
    places: int
    free: int


class CapacityOut(BaseModel):
    """One municipality's capacity: counts only, never a child."""

    municipality: str
    name: str
    year: int
    settlement_decision: int | None
    care_places: list[CarePlacesOut]
    free_places: int
    pending_referrals: int

    @classmethod
    def of(cls, capacity: MunicipalityCapacity) -> CapacityOut:
        return cls(
            municipality=capacity.municipality.number,
            name=capacity.municipality.name,
            year=capacity.year,
            settlement_decision=capacity.settlement_decision,
            care_places=[CarePlacesOut.model_validate(p) for p in capacity.care_places],
            free_places=sum(p.free for p in capacity.care_places),
            pending_referrals=capacity.pending_referrals,
        )


class StaffMemberOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    username: str
    role: str


# --- relocation ---------------------------------------------------------------------------


class ProposeRelocationIn(BaseModel):
    child_id: uuid.UUID
    to_municipality: str = Field(pattern=r"^\d{4}$")
    note: Annotated[str, Paragraphs(identity.MAX_TEXT)] | None = None


class AcceptRelocationIn(BaseModel):
    care_arrangement: CareArrangement
    relocated_on: EventDate | None = None


class RelocationOut(BaseModel):
    id: uuid.UUID
    child_id: uuid.UUID
    from_municipality: str
    to_municipality: str
    status: RelocationStatus
    note: str | None
    # basic facts the receiving municipality decides on
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

    @classmethod
    def of(cls, relocation: Relocation, today: date) -> RelocationOut:
        return cls(
            id=relocation.id,
            child_id=relocation.child_id,
            from_municipality=relocation.tenant_id,
            to_municipality=relocation.to_tenant,
            status=RelocationStatus(relocation.status),
            note=relocation.note,
            child_first_name=relocation.child_first_name,
            child_age=identity.age_on(relocation.child_date_of_birth, today),
            child_languages=relocation.child_languages,
            proposed_by=relocation.proposed_by,
            proposed_at=relocation.proposed_at,
            decided_by=relocation.decided_by,
            decided_at=relocation.decided_at,
            decline_reason=relocation.decline_reason,
            care_arrangement=(
                CareArrangement(relocation.care_arrangement)
                if relocation.care_arrangement
                else None
            ),
            relocated_on=relocation.relocated_on,
        )


# --- break the glass ----------------------------------------------------------------------


class BreakGlassIn(BaseModel):
    child_id: uuid.UUID
    reason: Annotated[str, Paragraphs(1000)]


class BreakGlassAccessOut(BaseModel):
    id: uuid.UUID
    child_id: uuid.UUID
    # Where the child lives, and where the user who opened it acts.
    municipality: str
    opened_in: str
    username: str
    role: str
    reason: str
    opened_at: datetime
    expires_at: datetime
    active: bool
    # Access-log entries of reads made under the access.
    reads: int

    @classmethod
    def of(cls, access: BreakGlassAccess, *, reads: int, now: datetime) -> BreakGlassAccessOut:
        return cls(
            id=access.id,
            child_id=access.child_id,
            municipality=access.tenant_id,
            opened_in=access.opened_in,
            username=access.username,
            role=access.role,
            reason=access.reason,
            opened_at=access.opened_at,
            expires_at=access.expires_at,
            active=access.expires_at > now,
            reads=reads,
        )
