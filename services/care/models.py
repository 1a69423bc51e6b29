"""Tables of the care service (schema `care`): child projection, plans, assessments, notes."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import ARRAY, Date, DateTime, ForeignKey, Index, Integer, MetaData, String, Text
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from havn.events.tables import event_tables


class Base(DeclarativeBase):
    metadata = MetaData(schema="care")


class Child(Base):
    """What care keeps of a settled child, carried by intake's `child.settled` event."""

    __tablename__ = "children"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(4))
    first_name: Mapped[str] = mapped_column(Text)
    date_of_birth: Mapped[date] = mapped_column(Date)
    settled_on: Mapped[date] = mapped_column(Date)
    languages: Mapped[list[str]] = mapped_column(ARRAY(Text))


class CarePlan(Base):
    """A child's care plan (tiltaksplan): one per child, revised in place under `version`."""

    __tablename__ = "care_plans"

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(16))
    childs_own_words: Mapped[str | None] = mapped_column(Text)
    approved_on: Mapped[date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer)
    # The assessment schedule lives with the plan: the first assessment is due soon after
    # settlement, each later one when the previous assessment says.
    next_assessment_due: Mapped[date | None] = mapped_column(Date)

    goals: Mapped[list[CareGoal]] = relationship(
        lazy="raise", order_by="[CareGoal.review_on, CareGoal.id]"
    )


class CareGoal(Base):
    """One goal of a care plan, in one life domain, with the date it is reviewed."""

    __tablename__ = "care_goals"
    __table_args__ = (Index("ix_care_goals_child", "child_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("care_plans.child_id"))
    domain: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    review_on: Mapped[date | None] = mapped_column(Date)


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


events = event_tables(Base.metadata)
