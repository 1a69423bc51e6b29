"""Tables of the community service (schema `community`): the child projection and enrolments."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ARRAY, Date, ForeignKey, Index, MetaData, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from havn.events.tables import event_tables


class Base(DeclarativeBase):
    metadata = MetaData(schema="community")


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

    enrolments: Mapped[list[Enrolment]] = relationship(
        lazy="raise", order_by="[Enrolment.started_on.desc(), Enrolment.id]"
    )


class Enrolment(Base):
    """A child taking part in a partner's offer; ending it closes the partner's access."""

    __tablename__ = "enrolments"
    __table_args__ = (Index("ix_enrolments_child", "child_id", "started_on"),)

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=uuid.uuid4)
    tenant_id: Mapped[str] = mapped_column(String(4))
    child_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("children.id"))
    # Offers arrive with partners in a later issue; the reference is kept as a plain id.
    offer_id: Mapped[uuid.UUID]
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)


events = event_tables(Base.metadata)
