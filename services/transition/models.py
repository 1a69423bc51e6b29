"""Tables of the transition service (schema `transition`): the child projection, plans, outcomes."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from havn.events.tables import event_tables
from havn.idempotency import idempotency_table
from havn.reach import BreakGlassColumns, ContactAssignmentColumns


class Base(DeclarativeBase):
    metadata = MetaData(schema="transition")


class Child(Base):
    """What transition keeps of a settled child: the dates its age-driven steps follow from,
    and the statistical categories its outcomes are counted under.
    """

    __tablename__ = "children"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(4))
    date_of_birth: Mapped[date] = mapped_column(Date)
    settled_on: Mapped[date] = mapped_column(Date)
    # Only the categories outcomes are counted under in national statistics, kept current
    # from child.settled and child.updated; null for children settled before they were kept.
    sex: Mapped[str | None] = mapped_column(
        String(1), comment="National statistics only: F, M or X, as intake last published it."
    )
    nationality_group: Mapped[str | None] = mapped_column(
        String(16),
        comment="National statistics only: the group nationality_group() counts the "
        "nationality under (a named country or its region), never the nationality itself.",
    )
    care_arrangement: Mapped[str | None] = mapped_column(
        String(24), comment="National statistics only: as intake last published it."
    )
    # The revision of intake's last change of the child applied here (havn.projection).
    revision: Mapped[int] = mapped_column(Integer, server_default="1")


class Transition(Base):
    """A child's way to independent life: the plan from 17, aftercare from 18, housing."""

    __tablename__ = "transitions"

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(4))
    plan_opens_on: Mapped[date] = mapped_column(Date)
    # The latest aftercare decision, kept here so caseload filters need no history scan.
    aftercare_decision: Mapped[str | None] = mapped_column(String(16))
    aftercare_decided_on: Mapped[date | None] = mapped_column(Date)
    aftercare_next_offer_on: Mapped[date | None] = mapped_column(Date)
    # When an aftercare decision is (next) due; null once accepted.
    aftercare_due_on: Mapped[date | None] = mapped_column(Date)
    youths_own_words: Mapped[str | None] = mapped_column(Text)
    plan_updated_on: Mapped[date | None] = mapped_column(Date)
    housing_type: Mapped[str | None] = mapped_column(String(16))
    start_loan: Mapped[bool | None] = mapped_column(Boolean)
    housing_allowance: Mapped[bool | None] = mapped_column(Boolean)
    housing_updated_on: Mapped[date | None] = mapped_column(Date)

    child: Mapped[Child] = relationship(lazy="raise")
    # Changes go through these loaded lists; the cascades write them on flush.
    outcomes: Mapped[list[Outcome]] = relationship(
        lazy="raise", order_by="Outcome.milestone_years", cascade="all, delete-orphan"
    )
    goals: Mapped[list[PlanGoal]] = relationship(
        lazy="raise", order_by="PlanGoal.domain", cascade="all, delete-orphan"
    )
    decisions: Mapped[list[AftercareDecision]] = relationship(
        lazy="raise",
        order_by=lambda: [AftercareDecision.decided_on, AftercareDecision.recorded_at],
        cascade="all, delete-orphan",
    )
    milestones: Mapped[list[Milestone]] = relationship(
        lazy="raise",
        order_by=lambda: [Milestone.due_on, Milestone.milestone, Milestone.occurrence],
        cascade="all, delete-orphan",
    )


class Outcome(Base):
    """Where a child stands a fixed number of years after settlement; one per milestone."""

    __tablename__ = "outcomes"

    child_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("transitions.child_id"), primary_key=True
    )
    milestone_years: Mapped[int] = mapped_column(Integer, primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(32))
    recorded_on: Mapped[date] = mapped_column(Date)


class PlanGoal(Base):
    """One goal of the transition plan: a life domain, what the youth aims for, how far it is."""

    __tablename__ = "plan_goals"

    child_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("transitions.child_id"), primary_key=True
    )
    domain: Mapped[str] = mapped_column(String(16), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(4))
    description: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16))


class AftercareDecision(Base):
    """One aftercare (ettervern) decision, kept as history; the latest is on the transition."""

    __tablename__ = "aftercare_decisions"
    __table_args__ = (Index("ix_aftercare_decisions_child_id", "child_id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("transitions.child_id"))
    tenant_id: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(16))
    decided_on: Mapped[date] = mapped_column(Date)
    next_offer_on: Mapped[date | None] = mapped_column(Date)
    recorded_by: Mapped[str] = mapped_column(Text)
    # Orders two decisions of one day as they were recorded.
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Milestone(Base):
    """A dated step on a child's timeline; `reached_on` is set once, when the scheduler fires it.

    The key (child, milestone, occurrence) makes "once per child and milestone" a database
    fact; `occurrence` numbers renewed aftercare offers and is 0 for every other milestone.
    """

    __tablename__ = "milestones"
    __table_args__ = (
        Index(
            "ix_milestones_pending",
            "due_on",
            postgresql_where=text("reached_on IS NULL"),
        ),
    )

    child_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("transitions.child_id"), primary_key=True
    )
    milestone: Mapped[str] = mapped_column(String(32), primary_key=True)
    occurrence: Mapped[int] = mapped_column(Integer, primary_key=True, default=0)
    tenant_id: Mapped[str] = mapped_column(String(4))
    due_on: Mapped[date] = mapped_column(Date)
    reached_on: Mapped[date | None] = mapped_column(Date)
    outcome_years: Mapped[int | None] = mapped_column(Integer)


class ContactAssignment(ContactAssignmentColumns, Base):
    """Transition's copy of care's contact-person assignments: a contact person reaches only
    the children assigned to them (their phase, say)."""


class BreakGlassAccess(BreakGlassColumns, Base):
    """Transition's copy of intake's break-glass accesses: a user who broke the glass reaches
    the child here too, until the access expires (havn.reach)."""


events = event_tables(Base.metadata)
idempotency_keys = idempotency_table(Base.metadata)
