"""Tables of the intake service (schema `intake`): capacity, referrals, checklists, children."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    ARRAY,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from havn.events.tables import event_tables
from havn.idempotency import idempotency_table
from havn.reach import BreakGlassColumns, ContactAssignmentColumns


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
    # On acceptance: whether a recorded free place was taken (False: the municipality
    # records no places of the arrangement, so no capacity check was made). None before.
    care_place_reserved: Mapped[bool | None] = mapped_column(Boolean)
    decline_reason: Mapped[str | None] = mapped_column(Text)
    withdraw_reason: Mapped[str | None] = mapped_column(Text)
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
    # A username of the municipality's staff (see StaffMember).
    owner: Mapped[str | None] = mapped_column(Text)
    notes: Mapped[str | None] = mapped_column(Text)


class Child(Base):
    """The core identity record, created when the child arrives (bosatt)."""

    __tablename__ = "children"
    __table_args__ = (Index("ix_children_tenant_settled", "tenant_id", "settled_on", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4))
    referral_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("referrals.id"), unique=True)
    first_name: Mapped[str] = mapped_column(Text)
    full_name: Mapped[str] = mapped_column(Text)
    # The full name folded for search: lower case, without accents (domain.fold_for_search).
    name_search: Mapped[str] = mapped_column(Text, server_default="")
    date_of_birth: Mapped[date] = mapped_column(Date)
    date_of_birth_estimated: Mapped[bool] = mapped_column(Boolean, default=False)
    sex: Mapped[str] = mapped_column(String(1))
    nationality: Mapped[str] = mapped_column(String(2))
    languages: Mapped[list[str]] = mapped_column(ARRAY(Text))
    interpreter_needed: Mapped[bool] = mapped_column(Boolean, default=False)
    interpreter_language: Mapped[str | None] = mapped_column(String(3))
    care_arrangement: Mapped[str] = mapped_column(String(24))
    # Representative (representant) in the asylum phase, then guardian (verge) until 18.
    representative_name: Mapped[str | None] = mapped_column(Text)
    representative_appointed_on: Mapped[date | None] = mapped_column(Date)
    guardian_name: Mapped[str | None] = mapped_column(Text)
    guardian_appointed_on: Mapped[date | None] = mapped_column(Date)
    settled_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The number of the child's last change announced to the other services: child.settled
    # is 1, each child.updated or child.relocated the next, in the change's transaction.
    revision: Mapped[int] = mapped_column(Integer, default=1, server_default="1")


class ContactAssignment(ContactAssignmentColumns, Base):
    """Intake's copy of care's contact-person assignments: a contact person sees only the
    children assigned to them, and intake serves their view of the child."""


class BreakGlassAccess(BreakGlassColumns, Base):
    """A user broke the glass to reach a child beyond their reach: why, and until when.

    Intake owns it (it owns the child's identity and its relocation) and publishes it as
    intake.breakglass.opened; the admin of the municipality the child lives in reviews it.
    """

    role: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


# --- capacity: counts only, which the directorate's allocator reads in every municipality ---


class SettlementDecision(Base):
    """A municipality's yearly decision on how many minors it will settle (vedtak)."""

    __tablename__ = "settlement_decisions"
    __table_args__ = (CheckConstraint("minors >= 0", name="ck_settlement_decisions_minors"),)

    tenant_id: Mapped[str] = mapped_column(
        String(4), ForeignKey("municipalities.number"), primary_key=True
    )
    year: Mapped[int] = mapped_column(Integer, primary_key=True)
    minors: Mapped[int] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class CarePlaces(Base):
    """How many care places of one arrangement type a municipality has, and how many are free."""

    __tablename__ = "care_places"
    __table_args__ = (CheckConstraint("free >= 0 and free <= places", name="ck_care_places_free"),)

    tenant_id: Mapped[str] = mapped_column(
        String(4), ForeignKey("municipalities.number"), primary_key=True
    )
    care_arrangement: Mapped[str] = mapped_column(String(24), primary_key=True)
    places: Mapped[int] = mapped_column(Integer)
    free: Mapped[int] = mapped_column(Integer)
    recorded_by: Mapped[str] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ReferralCount(Base):
    """Pending referrals per municipality, kept in the transaction that changes a referral.

    The allocator sees only the referrals it created; this count is what it may see of all.
    """

    __tablename__ = "referral_counts"

    tenant_id: Mapped[str] = mapped_column(
        String(4), ForeignKey("municipalities.number"), primary_key=True
    )
    pending: Mapped[int] = mapped_column(Integer, server_default=text("0"))


class StaffMember(Base):
    """A municipal user seen acting in the municipality: who a checklist task may be given to.

    The identity provider is the directory of users; intake learns its staff from their
    verified tokens, so it needs no credentials to the identity provider's admin API.
    """

    __tablename__ = "staff_members"

    tenant_id: Mapped[str] = mapped_column(String(4), primary_key=True)
    username: Mapped[str] = mapped_column(Text, primary_key=True)
    role: Mapped[str] = mapped_column(Text)
    first_seen_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class Relocation(Base):
    """A proposed move of a settled child to another municipality (flytting).

    Owned by the sending municipality (`tenant_id`) and visible to the receiving one
    (`to_tenant`); it stays with both when the child's records move.
    """

    __tablename__ = "relocations"
    __table_args__ = (
        Index(
            "ux_relocations_open_per_child",
            "child_id",
            unique=True,
            postgresql_where=text("status = 'PROPOSED'"),
        ),
        Index("ix_relocations_to_tenant", "to_tenant", "proposed_at"),
        Index("ix_relocations_tenant", "tenant_id", "proposed_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4), ForeignKey("municipalities.number"))
    to_tenant: Mapped[str] = mapped_column(String(4), ForeignKey("municipalities.number"))
    child_id: Mapped[uuid.UUID] = mapped_column()
    status: Mapped[str] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    # What the receiving municipality sees before it accepts: basic data only.
    child_first_name: Mapped[str] = mapped_column(Text)
    child_date_of_birth: Mapped[date] = mapped_column(Date)
    child_languages: Mapped[list[str]] = mapped_column(ARRAY(Text))
    proposed_by: Mapped[str] = mapped_column(Text)
    proposed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    decided_by: Mapped[str | None] = mapped_column(Text)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    decline_reason: Mapped[str | None] = mapped_column(Text)
    care_arrangement: Mapped[str | None] = mapped_column(String(24))
    relocated_on: Mapped[date | None] = mapped_column(Date)


def travelling_tables() -> MetaData:
    """The intake tables whose rows travel with a relocated child, for `move_child`.

    Only the child's identity record moves: the referral (and its checklist) stays with the
    municipality it was made to, and the relocation record stays visible to both. A copy
    without foreign keys, so the kernel can order and move it on its own.
    """
    metadata = MetaData(schema="intake")
    source = Base.metadata.tables["intake.children"]
    Table(
        source.name,
        metadata,
        *(
            Column(column.name, column.type, primary_key=column.primary_key)
            for column in source.columns
        ),
    )
    return metadata


events = event_tables(Base.metadata)
idempotency_keys = idempotency_table(Base.metadata)
