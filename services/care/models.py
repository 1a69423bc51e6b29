"""Tables of the care service (schema `care`): child projection, plans, assessments, notes,
health, education, meetings and the municipality's assessment schedule."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    ARRAY,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from havn.events.tables import event_tables
from havn.idempotency import idempotency_table
from havn.reach import BreakGlassColumns


class Base(DeclarativeBase):
    metadata = MetaData(schema="care")


class Child(Base):
    """What care keeps of a settled child (from intake's events) and who follows it up."""

    __tablename__ = "children"
    __table_args__ = (Index("ix_children_contact_person", "tenant_id", "contact_person"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(4))
    first_name: Mapped[str] = mapped_column(Text)
    # Kept only to refuse a meeting that names the child as its own interpreter.
    full_name: Mapped[str | None] = mapped_column(Text)
    date_of_birth: Mapped[date] = mapped_column(Date)
    settled_on: Mapped[date] = mapped_column(Date)
    languages: Mapped[list[str]] = mapped_column(ARRAY(Text))
    # The hovedkontakt: a username of the municipality, or none yet.
    contact_person: Mapped[str | None] = mapped_column(Text)
    contact_assigned_on: Mapped[date | None] = mapped_column(Date)
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, server_default=text("false"))
    # The revision of intake's last change of the child applied here (havn.projection).
    revision: Mapped[int] = mapped_column(Integer, server_default="1")


class CarePlan(Base):
    """A child's care plan (tiltaksplan): one per child, revised in place under `version`."""

    __tablename__ = "care_plans"

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(16))
    childs_own_words: Mapped[str | None] = mapped_column(Text)
    approved_on: Mapped[date | None] = mapped_column(Date)
    approved_by: Mapped[str | None] = mapped_column(Text)
    # The number the plan's current (or next) approval is kept under.
    version: Mapped[int] = mapped_column(Integer)
    # The assessment schedule lives with the plan: the first assessment is due soon after
    # settlement, each later one when the previous assessment says.
    next_assessment_due: Mapped[date | None] = mapped_column(Date)
    # Set while the plan is CLOSED: at 18 without aftercare, when aftercare is declined or ends.
    closed_on: Mapped[date | None] = mapped_column(Date)
    closed_reason: Mapped[str | None] = mapped_column(Text)
    # The status the plan had when it closed: what accepted aftercare reopens it to.
    status_before_close: Mapped[str | None] = mapped_column(String(16))
    # The latest aftercare decision transition published (OFFERED, ACCEPTED, DECLINED) and its
    # date: an 18th birthday reached after an acceptance leaves the plan open.
    aftercare_status: Mapped[str | None] = mapped_column(String(16))
    aftercare_decided_on: Mapped[date | None] = mapped_column(Date)

    goals: Mapped[list[CareGoal]] = relationship(
        lazy="raise", order_by="[CareGoal.domain, CareGoal.id]"
    )


class CareGoal(Base):
    """One goal of a care plan, in one life domain: measures, who is responsible, review date."""

    __tablename__ = "care_goals"
    __table_args__ = (Index("ix_care_goals_child", "child_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("care_plans.child_id"))
    domain: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    measures: Mapped[list[str]] = mapped_column(ARRAY(Text), server_default=text("'{}'"))
    responsible: Mapped[str] = mapped_column(Text, server_default=text("''"))
    review_on: Mapped[date | None] = mapped_column(Date)


class CarePlanVersion(Base):
    """An approved version of a care plan, kept whole: who approved it, when, what changed."""

    __tablename__ = "care_plan_versions"
    __table_args__ = (UniqueConstraint("child_id", "version"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    version: Mapped[int] = mapped_column(Integer)
    approved_by: Mapped[str] = mapped_column(Text)
    approved_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    # {"goals": [...], "childs_own_words": str}: read back whole, never queried inside.
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB)
    changes: Mapped[list[str]] = mapped_column(ARRAY(Text))


class Assessment(Base):
    """An assessment (kartlegging): a 1-5 score per life domain, notes and the child's voice."""

    __tablename__ = "assessments"
    __table_args__ = (Index("ix_assessments_child", "child_id", "assessed_on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    assessed_on: Mapped[date] = mapped_column(Date)
    # A list of {"domain": str, "score": int}: read and written whole, never queried inside.
    scores: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    childs_own_words: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)
    next_due_on: Mapped[date] = mapped_column(Date)
    recorded_by: Mapped[str | None] = mapped_column(Text)


class AssessmentSchedule(Base):
    """A municipality's interval between assessments; without a row, the default applies."""

    __tablename__ = "assessment_schedules"

    tenant_id: Mapped[str] = mapped_column(String(4), primary_key=True)
    interval_months: Mapped[int] = mapped_column(Integer)


class FollowUpNote(Base):
    """A dated note by staff about a child; confidential under child welfare secrecy."""

    __tablename__ = "follow_up_notes"
    __table_args__ = (Index("ix_follow_up_notes_child", "child_id", "written_at", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    written_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    author: Mapped[str] = mapped_column(Text)
    text: Mapped[str] = mapped_column(Text)
    # The note this one corrects. No foreign key: a relocation re-inserts a child's notes in
    # any order, and the domain checks that both notes are the same child's.
    corrects_id: Mapped[uuid.UUID | None] = mapped_column()
    edited_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class HealthProfile(Base):
    """A child's general practitioner (fastlege): special category data."""

    __tablename__ = "health_profiles"

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(4))
    gp_name: Mapped[str] = mapped_column(Text)
    gp_practice: Mapped[str | None] = mapped_column(Text)


class HealthScreening(Base):
    """A health screening (e.g. the arrival check, tuberculosis): special category data."""

    __tablename__ = "health_screenings"
    __table_args__ = (Index("ix_health_screenings_child", "child_id", "screened_on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    kind: Mapped[str] = mapped_column(Text)
    screened_on: Mapped[date] = mapped_column(Date)
    findings: Mapped[str | None] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(Text)


class MentalHealthReferral(Base):
    """A referral to mental-health services (e.g. BUP): special category data."""

    __tablename__ = "mental_health_referrals"
    __table_args__ = (Index("ix_mental_health_referrals_child", "child_id", "referred_on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    service: Mapped[str] = mapped_column(Text)
    referred_on: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[str] = mapped_column(Text)


class Education(Base):
    """Where the child goes to school and how far its Norwegian has come."""

    __tablename__ = "education"

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(4))
    school: Mapped[str] = mapped_column(Text)
    class_level: Mapped[str] = mapped_column(Text)
    norwegian_level: Mapped[str] = mapped_column(String(8))
    started_on: Mapped[date] = mapped_column(Date)


class Meeting(Base):
    """A meeting with the child: its language, and the interpreter if one was booked."""

    __tablename__ = "meetings"
    __table_args__ = (Index("ix_meetings_child", "child_id", "held_on", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    held_on: Mapped[date] = mapped_column(Date)
    purpose: Mapped[str] = mapped_column(Text)
    language: Mapped[str] = mapped_column(String(3))
    interpreter_name: Mapped[str | None] = mapped_column(Text)
    interpreter_qualified: Mapped[bool | None] = mapped_column(Boolean)
    # Set when the child needs an interpreter and none was booked: the meeting is flagged.
    interpreter_missing: Mapped[bool] = mapped_column(Boolean)
    recorded_by: Mapped[str] = mapped_column(Text)


class BreakGlassAccess(BreakGlassColumns, Base):
    """Care's copy of intake's break-glass accesses: a user who broke the glass reaches
    the child here too, until the access expires (havn.reach)."""


events = event_tables(Base.metadata)
idempotency_keys = idempotency_table(Base.metadata)
