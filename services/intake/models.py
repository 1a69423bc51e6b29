"""Tables of the intake service (schema `intake`): referrals, checklists, children."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    ARRAY,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from havn.events.tables import event_tables


class Base(DeclarativeBase):
    metadata = MetaData(schema="intake")


class Municipality(Base):
    """A municipality on the platform (a tenant). Reference data, no personal data."""

    __tablename__ = "municipalities"

    number: Mapped[str] = mapped_column(String(4), primary_key=True)
    name: Mapped[str] = mapped_column(Text)


class Referral(Base):
    """A directorate's request that a municipality settle one minor (anmodning)."""

    __tablename__ = "referrals"
    __table_args__ = (
        Index("ix_referrals_tenant_status", "tenant_id", "status", "respond_by"),
        Index("ix_referrals_created_by", "created_by"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4), ForeignKey("municipalities.number"))
    status: Mapped[str] = mapped_column(String(16))
    # The allocator's subject: row-level security lets it see the referrals it created.
    created_by: Mapped[str] = mapped_column(Text)
    full_name: Mapped[str] = mapped_column(Text)
    date_of_birth: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    nationality: Mapped[str] = mapped_column(String(2))
    languages: Mapped[list[str]] = mapped_column(ARRAY(Text))
    needs_summary: Mapped[str | None] = mapped_column(Text)
    proposed_arrival: Mapped[date | None] = mapped_column(Date)
    respond_by: Mapped[date] = mapped_column(Date)
    planned_arrival: Mapped[date | None] = mapped_column(Date)
    care_arrangement: Mapped[str | None] = mapped_column(String(24))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    # The id the child record takes on arrival; the access log files every read under it.
    child_id: Mapped[uuid.UUID] = mapped_column(unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    tasks: Mapped[list[PreparationTask]] = relationship(
        lazy="raise", order_by="PreparationTask.due_on", cascade="all, delete-orphan"
    )


class PreparationTask(Base):
    """One item of the checklist a municipality works through before arrival."""

    __tablename__ = "preparation_tasks"
    __table_args__ = (UniqueConstraint("referral_id", "kind"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4))
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referrals.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    due_on: Mapped[date] = mapped_column(Date)
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_by: Mapped[str | None] = mapped_column(Text)
    done_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Child(Base):
    """The core identity record, created when the child arrives (bosatt)."""

    __tablename__ = "children"
    __table_args__ = (Index("ix_children_tenant_settled", "tenant_id", "settled_on", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4))
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referrals.id"), unique=True)
    first_name: Mapped[str] = mapped_column(Text)
    full_name: Mapped[str] = mapped_column(Text)
    date_of_birth: Mapped[date] = mapped_column(Date)
    date_of_birth_estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    sex: Mapped[str] = mapped_column(String(1))
    nationality: Mapped[str] = mapped_column(String(2))
    languages: Mapped[list[str]] = mapped_column(ARRAY(Text))
    care_arrangement: Mapped[str] = mapped_column(String(24))
    settled_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


events = event_tables(Base.metadata)
