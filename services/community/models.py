"""Tables of the community service (schema `community`): partners, offers, volunteers, grants."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    ARRAY,
    BigInteger,
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
    func,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from havn.events.tables import event_tables
from havn.idempotency import idempotency_table
from havn.reach import BreakGlassColumns, ContactAssignmentColumns


class Base(DeclarativeBase):
    metadata = MetaData(schema="community")


class Municipality(Base):
    """A municipality community serves: reference data, no tenant data, no personal data.

    The grant sweep walks these to close grants whose agreement expired in each tenant.
    """

    __tablename__ = "municipalities"

    number: Mapped[str] = mapped_column(String(4), primary_key=True)


class Partner(Base):
    """A partner organisation, shared by every municipality it works with (not tenant data)."""

    __tablename__ = "partners"

    # The creation time comes back with the insert: it is a page cursor's key.
    __mapper_args__ = {"eager_defaults": True}

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    slug: Mapped[str] = mapped_column(Text, unique=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(24))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Settings(Base):
    """A municipality's community settings."""

    __tablename__ = "settings"

    tenant_id: Mapped[str] = mapped_column(String(4), primary_key=True)
    police_certificate_months: Mapped[int] = mapped_column(Integer)


class Agreement(Base):
    """A partnership agreement (samarbeidsavtale) between the municipality and a partner."""

    __tablename__ = "agreements"
    __table_args__ = (Index("ix_agreements_partner", "partner_id", "valid_from"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4))
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id"))
    scope: Mapped[str] = mapped_column(Text)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)

    partner: Mapped[Partner] = relationship(lazy="raise")


class Offer(Base):
    """A partner's activity in the municipality: leisure, language café, work, summer job."""

    __tablename__ = "offers"
    __table_args__ = (Index("ix_offers_partner", "partner_id", "created_at"),)

    # The creation time comes back with the insert: it is a page cursor's key.
    __mapper_args__ = {"eager_defaults": True}

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4))
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id"))
    kind: Mapped[str] = mapped_column(String(24))
    title: Mapped[str] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(ARRAY(Text))
    languages: Mapped[list[str]] = mapped_column(ARRAY(Text))
    capacity: Mapped[int] = mapped_column(Integer)
    schedule: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    partner: Mapped[Partner] = relationship(lazy="raise")


class Volunteer(Base):
    """A mentor, support family or visiting family, working through a partner organisation."""

    __tablename__ = "volunteers"

    # The creation time comes back with the insert: it is a page cursor's key.
    __mapper_args__ = {"eager_defaults": True}

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4))
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id"))
    kind: Mapped[str] = mapped_column(String(24))
    name: Mapped[str] = mapped_column(Text)
    languages: Mapped[list[str]] = mapped_column(ARRAY(Text))
    interests: Mapped[list[str]] = mapped_column(ARRAY(Text))
    # The day the police certificate (politiattest) was seen; null: never.
    police_certificate_checked_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    partner: Mapped[Partner] = relationship(lazy="raise")


class Child(Base):
    """What community keeps of a settled child: enough to match it with offers it would like."""

    __tablename__ = "children"

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    tenant_id: Mapped[str] = mapped_column(String(4))
    first_name: Mapped[str] = mapped_column(Text)
    date_of_birth: Mapped[date] = mapped_column(Date)
    languages: Mapped[list[str]] = mapped_column(ARRAY(Text))
    # Asked of the child after settlement (seed 002: ask the youth what they want).
    interests: Mapped[list[str]] = mapped_column(
        ARRAY(Text), default=list, server_default=text("'{}'")
    )
    # The revision of intake's last change of the child applied here (havn.projection).
    revision: Mapped[int] = mapped_column(Integer, server_default="1")

    enrolments: Mapped[list[Enrolment]] = relationship(
        lazy="raise", order_by="[Enrolment.started_on.desc(), Enrolment.id]"
    )


class Enrolment(Base):
    """A child taking part in a partner's offer; ending it closes the partner's access."""

    __tablename__ = "enrolments"
    __table_args__ = (
        Index("ix_enrolments_child", "child_id", "started_on"),
        Index("ix_enrolments_offer", "offer_id", "started_on"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    offer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("offers.id"))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    # The child's consent, as recorded by the staff member who asked.
    consent_recorded_by: Mapped[str] = mapped_column(Text)
    consent_recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    # After a relocation the offer stays in the sending municipality: null here.
    offer: Mapped[Offer | None] = relationship(lazy="raise")


class Match(Base):
    """A child matched with a volunteer (mentor, support or visiting family)."""

    __tablename__ = "matches"
    __table_args__ = (Index("ix_matches_child", "child_id", "started_on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    volunteer_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("volunteers.id"))
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    consent_recorded_by: Mapped[str] = mapped_column(Text)
    consent_recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))

    volunteer: Mapped[Volunteer | None] = relationship(lazy="raise")


class AccessGrant(Base):
    """A partner's access to one child's data of one scope, opened by an enrolment or a match.

    Effective while not closed and, when the agreement behind it has an end, until that day.
    """

    __tablename__ = "grants"
    __table_args__ = (
        Index("ix_grants_partner_child", "partner_id", "child_id"),
        Index("ix_grants_source", "source_id"),
    )

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    partner_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("partners.id"))
    scope: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    source_id: Mapped[uuid.UUID]
    opened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    expires_on: Mapped[date | None] = mapped_column(Date)
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    close_reason: Mapped[str | None] = mapped_column(Text)

    partner: Mapped[Partner] = relationship(lazy="raise")


class Attendance(Base):
    """Whether a child came to an offer on one day, recorded by the partner or the municipality."""

    __tablename__ = "attendance"
    __table_args__ = (UniqueConstraint("enrolment_id", "attended_on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4))
    enrolment_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("enrolments.id"))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    attended_on: Mapped[date] = mapped_column(Date)
    present: Mapped[bool] = mapped_column(Boolean)
    recorded_by: Mapped[str] = mapped_column(Text)
    recorded_org: Mapped[str | None] = mapped_column(Text)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class FundingApplication(Base):
    """An application to a foundation (Gjensidigestiftelsen, Sparebankstiftelsen, ...)."""

    __tablename__ = "funding_applications"
    __table_args__ = (Index("ix_funding_applied", "applied_on", "id"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4))
    foundation: Mapped[str] = mapped_column(Text)
    purpose: Mapped[str] = mapped_column(Text)
    amount_nok: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    applied_on: Mapped[date] = mapped_column(Date)
    decision_on: Mapped[date | None] = mapped_column(Date)
    granted_nok: Mapped[int | None] = mapped_column(BigInteger)


class ContactAssignment(ContactAssignmentColumns, Base):
    """Community's copy of care's contact-person assignments: a contact person reaches the
    community data of the children assigned to them only."""


class BreakGlassAccess(BreakGlassColumns, Base):
    """Community's copy of intake's break-glass accesses: a user who broke the glass reaches
    the child here too, until the access expires (havn.reach)."""


events = event_tables(Base.metadata)
idempotency_keys = idempotency_table(Base.metadata)
