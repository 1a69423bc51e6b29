"""What transition keeps of a child for outcome statistics: categories, never the nationality."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from havn.db import scoped_transaction
from havn.events.contracts import ChildRelocatedV1, ChildUpdatedV1, Contract
from havn.events.envelope import Envelope
from havn.statistics.dimensions import Dimension, Measure
from services.transition.events import (
    follow_corrected_date_of_birth,
    move_relocated_child,
    open_transition_for_settled_child,
)
from services.transition.models import Base, Child, Outcome, Transition
from services.transition.repository import national_groups
from tests.factories import child_settled, fresh_tenant
from tests.transition.support import Sessionmaker

BORN, SETTLED = date(2010, 5, 17), date(2024, 11, 2)


def envelope_of(data: Contract, tenant: str) -> Envelope:
    return Envelope(
        type=data.event_type,
        version=data.version,
        tenant=tenant,
        actor="bergen-coordinator",
        data=data.model_dump(mode="json"),
    )


async def settle_as(sessionmaker: Sessionmaker, tenant: str, **facts: str) -> uuid.UUID:
    """Delivers child.settled with the given sex, nationality or care arrangement."""
    settled = child_settled(tenant=tenant, date_of_birth=BORN, settled_on=SETTLED)
    envelope = settled.model_copy(update={"data": {**settled.data, **facts}})
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        await open_transition_for_settled_child(session, envelope)
    return uuid.UUID(envelope.data["child_id"])


async def kept(sessionmaker: Sessionmaker, child_id: uuid.UUID, tenant: str) -> dict[str, Any]:
    """The child's row in transition.children, every column, as the application role reads it."""
    async with scoped_transaction(sessionmaker, tenant=tenant) as session:
        row = (
            await session.execute(
                text("select * from transition.children where id = :id"), {"id": child_id}
            )
        ).one()
    return dict(row._mapping)


@pytest.mark.parametrize(
    ("nationality", "group"),
    [("NP", "OTHER_ASIA"), ("BR", "OTHER"), ("SY", "SY"), ("ua", "UA")],
    ids=["rare-asian", "unlisted", "named", "lower-case-named"],
)
async def test_a_settled_child_is_kept_with_its_nationality_group_never_its_nationality(
    app_sessionmaker, nationality, group
):
    # given intake settles a boy of a given nationality in supported lodging
    tenant = fresh_tenant()

    # when transition hears of it
    child_id = await settle_as(
        app_sessionmaker,
        tenant,
        sex="M",
        nationality=nationality,
        care_arrangement="SUPPORTED_LODGING",
    )

    # then it keeps the categories the outcomes are counted under
    row = await kept(app_sessionmaker, child_id, tenant)
    assert (row["sex"], row["nationality_group"], row["care_arrangement"]) == (
        "M",
        group,
        "SUPPORTED_LODGING",
    )
    # and no column holds the nationality itself (unless it is a named group of its own)
    assert "nationality" not in row
    if group != nationality.upper():
        assert nationality.upper() not in {str(v).upper() for v in row.values()}


async def test_a_changed_profile_moves_the_childs_statistical_categories(app_sessionmaker):
    # given a girl from Afghanistan in a group home
    tenant = fresh_tenant()
    child_id = await settle_as(
        app_sessionmaker, tenant, sex="F", nationality="AF", care_arrangement="GROUP_HOME"
    )

    # when intake publishes her corrected profile: sex X, nationality Nepal, a foster home
    updated = ChildUpdatedV1(
        child_id=child_id,
        first_name="Amina",
        full_name="Amina Rahimi",
        date_of_birth=BORN,
        date_of_birth_estimated=False,
        sex="X",
        nationality="NP",
        languages=["ne"],
        care_arrangement="FOSTER_HOME",
    )
    async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
        await follow_corrected_date_of_birth(session, envelope_of(updated, tenant))

    # then the categories follow, the nationality again only as its region
    row = await kept(app_sessionmaker, child_id, tenant)
    assert (row["sex"], row["nationality_group"], row["care_arrangement"]) == (
        "X",
        "OTHER_ASIA",
        "FOSTER_HOME",
    )
    assert row["date_of_birth"] == BORN


async def test_a_relocated_child_takes_its_statistical_categories_along(app_sessionmaker):
    # given a child settled in one municipality
    old, new = fresh_tenant(), fresh_tenant()
    child_id = await settle_as(
        app_sessionmaker, old, sex="F", nationality="ER", care_arrangement="SOS_FAMILY"
    )

    # when it relocates to another
    relocated = ChildRelocatedV1(
        child_id=child_id, from_tenant=old, to_tenant=new, relocated_on=date(2025, 6, 1)
    )
    async with scoped_transaction(app_sessionmaker, tenant=old) as session:
        await move_relocated_child(session, envelope_of(relocated, old))

    # then the receiving municipality's row carries the same categories
    row = await kept(app_sessionmaker, child_id, new)
    assert (row["tenant_id"], row["sex"], row["nationality_group"], row["care_arrangement"]) == (
        new,
        "F",
        "ER",
        "SOS_FAMILY",
    )


async def test_outcomes_of_a_child_settled_before_the_categories_were_kept_count_as_unknown(
    app_sessionmaker,
    statistics_sessionmaker,
):
    # given a child kept before transition held its categories (the migration left them
    # null), with an outcome recorded
    tenant = fresh_tenant()
    child_id = uuid.uuid4()
    async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
        session.add(Child(id=child_id, tenant_id=tenant, date_of_birth=BORN, settled_on=SETTLED))
        await session.flush()
        session.add(
            Transition(child_id=child_id, tenant_id=tenant, plan_opens_on=date(2027, 5, 17))
        )
        await session.flush()
        session.add(
            Outcome(
                child_id=child_id,
                tenant_id=tenant,
                milestone_years=1,
                status="WORK",
                recorded_on=date(2025, 11, 2),
            )
        )

    # when the outcomes are grouped by each of the new dimensions
    async with scoped_transaction(statistics_sessionmaker, tenant=tenant) as session:
        found = {
            dimension: {
                g.keys: g.size
                for g in await national_groups(
                    session,
                    Measure.OUTCOME_EDUCATION_OR_WORK_RATE,
                    [Dimension.MUNICIPALITY, dimension],
                    None,
                )
                if g.keys[0] == tenant
            }
            for dimension in (Dimension.SEX, Dimension.NATIONALITY, Dimension.CARE_ARRANGEMENT)
        }

    # then the outcome is counted under UNKNOWN, not dropped
    assert found == {
        dimension: {(tenant, "UNKNOWN"): 1}
        for dimension in (Dimension.SEX, Dimension.NATIONALITY, Dimension.CARE_ARRANGEMENT)
    }


async def test_the_transition_models_and_migrations_agree(app_engine, database):
    def differences(connection) -> list:
        context = MigrationContext.configure(
            connection,
            opts={
                "include_schemas": True,
                "include_name": lambda name, type_, _parent: (
                    type_ != "schema" or name == "transition"
                ),
                "compare_type": True,
            },
        )
        return compare_metadata(context, Base.metadata)

    async with app_engine.connect() as connection:
        found = await connection.run_sync(differences)
    # Alembic's own version table lives in the schema but is no model
    assert [
        d for d in found if not (d[0] == "remove_table" and d[1].name == "alembic_version")
    ] == []
