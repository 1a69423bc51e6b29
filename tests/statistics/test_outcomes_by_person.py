"""The outcome rate by sex, nationality and care arrangement, from children settled by events.

Ten children are settled in a fresh municipality of their own: intake's outbox publishes
child.settled for each, over NATS, to transition's consumer in the running stack. Their
one-year outcomes are then written in that municipality, and an analyst asks the gateway for
the rates.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from sqlalchemy import func, select

from cli.synthetic import CHILDREN as INTAKE_CHILDREN
from cli.synthetic import TRANSITION_CHILDREN, iter_batches
from havn.db import scoped_transaction
from havn.events.contracts import ChildSettledV1
from havn.events.outbox import publish
from havn.statistics.dimensions import (
    NAMED_NATIONALITIES,
    OTHER,
    OTHER_AFRICA,
    OTHER_ASIA,
    OTHER_EUROPE,
    nationality_group,
)
from services.intake.models import events as intake_events
from services.transition.models import Child, Outcome
from tests.factories import register_municipality
from tests.waiting import eventually

SETTLED_ON, RECORDED_ON = date(2024, 3, 1), date(2025, 3, 1)

TABLE = """
query($measure: StatisticMeasure!, $by: [StatisticDimension!]!, $year: Int) {
  nationalStatistics(measure: $measure, by: $by, year: $year) {
    dimensions rows { keys value suppressed }
  }
}"""


@dataclass(frozen=True)
class Settled:
    sex: str
    nationality: str
    care_arrangement: str
    status: str


# Each dimension splits the ten differently: one category of at least five, the rest fewer.
CHILDREN = (
    Settled("F", "SY", "FOSTER_HOME", "EDUCATION"),
    Settled("F", "SY", "SOS_FAMILY", "WORK"),
    Settled("F", "NP", "FOSTER_HOME", "NEITHER"),
    Settled("F", "NP", "SOS_FAMILY", "EDUCATION"),
    Settled("F", "ER", "FOSTER_HOME", "INTRODUCTION_PROGRAMME"),
    Settled("F", "ER", "SOS_FAMILY", "WORK"),
    Settled("M", "SY", "FOSTER_HOME", "UNKNOWN"),
    Settled("M", "SY", "SOS_FAMILY", "EDUCATION"),
    Settled("M", "SY", "FOSTER_HOME", "NEITHER"),
    Settled("M", "ER", "FOSTER_HOME", "WORK"),
)


def rate_of(children: list[Settled]) -> float:
    return sum(c.status in ("EDUCATION", "WORK") for c in children) / len(children)


async def settle_through_events(
    app_sessionmaker, tenant: str, children: tuple[Settled, ...]
) -> list[uuid.UUID]:
    """Publishes child.settled from intake's outbox, as intake does at arrival."""
    ids = [uuid.uuid4() for _ in children]
    async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
        for child_id, child in zip(ids, children, strict=True):
            settled = ChildSettledV1(
                child_id=child_id,
                referral_id=uuid.uuid4(),
                first_name="Synthetic",
                full_name="Synthetic Child",
                date_of_birth=date(2009, 1, 15),
                date_of_birth_estimated=False,
                sex=child.sex,
                nationality=child.nationality,
                languages=["en"],
                care_arrangement=child.care_arrangement,
                settled_on=SETTLED_ON,
            )
            await publish(
                session,
                settled,
                tenant=tenant,
                actor="test-coordinator",
                outbox=intake_events.outbox,
            )
    return ids


@pytest.fixture(scope="module")
async def tenant(gql) -> str:
    return await register_municipality(gql, "Utfall")


@pytest.fixture(scope="module")
async def outcomes(app_sessionmaker, tenant) -> list[uuid.UUID]:
    """The ten children, once transition has heard of every one, with their outcomes."""
    ids = await settle_through_events(app_sessionmaker, tenant, CHILDREN)

    async def kept() -> int:
        async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
            count = await session.scalar(
                select(func.count()).select_from(Child).where(Child.id.in_(ids))
            )
            return count or 0

    await eventually(kept, until=lambda n: n == len(ids))
    async with scoped_transaction(app_sessionmaker, tenant=tenant) as session:
        session.add_all(
            Outcome(
                child_id=child_id,
                tenant_id=tenant,
                milestone_years=1,
                status=child.status,
                recorded_on=RECORDED_ON,
            )
            for child_id, child in zip(ids, CHILDREN, strict=True)
        )
    return ids


async def rates_by(gql, dimension: str) -> dict[tuple[str, ...], dict[str, Any]]:
    """The analyst's table of the outcome rate by municipality, one dimension and milestone."""
    data = await gql(
        "imdi-analyst",
        TABLE,
        {
            "measure": "OUTCOME_EDUCATION_OR_WORK_RATE",
            "by": ["MUNICIPALITY", dimension, "OUTCOME_MILESTONE"],
            "year": None,
        },
    )
    return {tuple(r["keys"]): r for r in data["nationalStatistics"]["rows"]}


def ours(rows: dict[tuple[str, ...], dict[str, Any]], tenant: str) -> dict[str, dict[str, Any]]:
    """Our municipality's rows one year after settlement, by the dimension's category."""
    return {key[1]: row for key, row in rows.items() if key[0] == tenant and key[2] == "1"}


async def test_an_analyst_gets_the_outcome_rate_by_sex_with_small_groups_suppressed(
    gql, tenant, outcomes
):
    # when the analyst asks for the rate by municipality and sex
    rows = ours(await rates_by(gql, "SEX"), tenant)

    # then the six girls' rate is shown and the four boys' is not
    girls = [c for c in CHILDREN if c.sex == "F"]
    assert rows["F"]["value"] == pytest.approx(rate_of(girls))
    assert rows["M"] == {"keys": [tenant, "M", "1"], "value": None, "suppressed": True}
    assert set(rows) == {"F", "M"}


async def test_an_analyst_gets_the_outcome_rate_by_nationality_group_never_a_rare_nationality(
    gql, tenant, outcomes
):
    # when the analyst asks for the rate by municipality and nationality
    table = await rates_by(gql, "NATIONALITY")
    rows = ours(table, tenant)

    # then the five Syrians' rate is shown; the two Nepalese only as Asia, hidden like the
    # three Eritreans
    syrians = [c for c in CHILDREN if c.nationality == "SY"]
    assert rows["SY"]["value"] == pytest.approx(rate_of(syrians))
    assert rows["OTHER_ASIA"] == {
        "keys": [tenant, "OTHER_ASIA", "1"],
        "value": None,
        "suppressed": True,
    }
    assert rows["ER"]["suppressed"] and rows["ER"]["value"] is None
    assert set(rows) == {"SY", "OTHER_ASIA", "ER"}
    # and no row of the national table names a nationality that is not a group of its own
    groups = {*NAMED_NATIONALITIES, OTHER_AFRICA, OTHER_ASIA, OTHER_EUROPE, OTHER, "UNKNOWN"}
    assert {key[1] for key in table} <= groups


async def test_an_analyst_gets_the_outcome_rate_by_care_arrangement_with_small_groups_suppressed(
    gql, tenant, outcomes
):
    # when the analyst asks for the rate by municipality and care arrangement
    rows = ours(await rates_by(gql, "CARE_ARRANGEMENT"), tenant)

    # then the six in foster homes are shown and the four in SOS families are not
    fostered = [c for c in CHILDREN if c.care_arrangement == "FOSTER_HOME"]
    assert rows["FOSTER_HOME"]["value"] == pytest.approx(rate_of(fostered))
    assert rows["SOS_FAMILY"]["suppressed"] and rows["SOS_FAMILY"]["value"] is None
    assert set(rows) == {"FOSTER_HOME", "SOS_FAMILY"}


@pytest.mark.parametrize("dimension", ["SEX", "NATIONALITY", "CARE_ARRANGEMENT"])
async def test_the_service_suppresses_the_outcome_rate_by_a_person_dimension_itself(
    gql, tenant, outcomes, dimension
):
    # when an analyst's token calls transition's route directly, bypassing the gateway
    response = await gql.service(
        "imdi-analyst",
        "transition",
        "GET",
        "/v1/statistics/national",
        params={
            "measure": "OUTCOME_EDUCATION_OR_WORK_RATE",
            "by": ["MUNICIPALITY", dimension, "OUTCOME_MILESTONE"],
        },
    )

    # then the groups of fewer than five are already hidden there
    rows = [r for r in response.json()["rows"] if r["keys"][0] == tenant]
    hidden = [r for r in rows if r["suppressed"]]
    assert hidden and all(r["value"] is None for r in hidden)
    assert len(rows) - len(hidden) == 1


async def test_a_measure_is_still_refused_a_dimension_its_service_does_not_hold(gql):
    # settled children have no outcome milestone: intake cannot split them by one
    codes = await gql.error_codes(
        "imdi-analyst",
        TABLE,
        {"measure": "SETTLED_CHILDREN", "by": ["OUTCOME_MILESTONE"], "year": None},
    )
    assert codes == ["BAD_USER_INPUT"]


def test_synthetic_children_are_kept_by_transition_with_their_categories():
    # given synthetic national data
    batches = list(iter_batches(300, seed=11, today=date(2026, 11, 22)))
    intake = {c["id"]: c for b in batches for c in b.rows.get(INTAKE_CHILDREN, [])}

    # then transition's copy of every child has its sex, care arrangement and nationality
    # group, and never the nationality
    kept = [row for b in batches for row in b.rows.get(TRANSITION_CHILDREN, [])]
    assert len(kept) == len(intake) == 300
    for row in kept:
        child = intake[row["id"]]
        assert "nationality" not in row
        assert (row["sex"], row["nationality_group"], row["care_arrangement"]) == (
            child["sex"],
            nationality_group(child["nationality"]),
            child["care_arrangement"],
        )
    assert {row["nationality_group"] for row in kept} > {"AF", "SY", "OTHER_ASIA"}
