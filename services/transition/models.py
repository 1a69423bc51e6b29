"""Tables of the transition service (schema `transition`): the child projection, plans, outcomes."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from havn.events.tables import event_tables


class Base(DeclarativeBase):
    metadata = MetaData(schema="transition")


class Child(Base):
    """What transition keeps of a settled child: the dates its age-driven steps follow from."""

    __tablename__ = "children"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(4))
    date_of_birth: Mapped[date] = mapped_column(Date)
    settled_on: Mapped[date] = mapped_column(Date)


class Transition(Base):
    """A child's way to independent life: the plan from 17, the aftercare decision at 18."""

    __tablename__ = "transitions"

    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"), primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(4))
    plan_opens_on: Mapped[date] = mapped_column(Date)
    aftercare_decision: Mapped[str | None] = mapped_column(String(16))

    outcomes: Mapped[list[Outcome]] = relationship(lazy="raise", order_by="Outcome.milestone_years")


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


events = event_tables(Base.metadata)
