"""Synthetic national data: `havn seed --synthetic --children 100000`.

Realistic in shape, not in anyone: children spread over 357 municipalities of their own
(numbered inside the real county codes from 99 downwards, so never a demo municipality such
as 4601, and named "Synthetic …") by a skewed size distribution,
settled since 2015 in waves, at the ages, sexes, nationalities and care arrangements typical
of unaccompanied minors, each at the phase its age puts it in, with outcomes at the
milestones already passed. Written straight into every service's tables as the owner role,
one municipality (one tenant, under row-level security) per transaction, many rows per
statement; no events are published, so nothing else reacts to it. It refuses a municipality
number already registered under another name, and `remove_synthetic` deletes all of it.
"""

from __future__ import annotations

import random
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Table, delete, insert, select, text
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from havn.clock import Clock
from havn.statistics.dimensions import COUNTIES, nationality_group
from services.care.models import Base as CareBase
from services.community.models import Base as CommunityBase
from services.intake.models import Base as IntakeBase
from services.transition.models import Base as TransitionBase

MUNICIPALITIES = IntakeBase.metadata.tables["intake.municipalities"]
REFERRALS = IntakeBase.metadata.tables["intake.referrals"]
CHILDREN = IntakeBase.metadata.tables["intake.children"]
CARE_CHILDREN = CareBase.metadata.tables["care.children"]
COMMUNITY_CHILDREN = CommunityBase.metadata.tables["community.children"]
TRANSITION_CHILDREN = TransitionBase.metadata.tables["transition.children"]
TRANSITIONS = TransitionBase.metadata.tables["transition.transitions"]
OUTCOMES = TransitionBase.metadata.tables["transition.outcomes"]

MUNICIPALITY_COUNT = 357
# Municipalities per county, roughly as in 2024 (Oslo is one municipality and one county).
MUNICIPALITIES_PER_COUNTY = {
    "03": 1,
    "11": 23,
    "15": 26,
    "18": 41,
    "31": 12,
    "32": 21,
    "33": 18,
    "34": 46,
    "39": 6,
    "40": 17,
    "42": 25,
    "46": 43,
    "50": 38,
    "55": 22,
    "56": 18,
}
SYNTHETIC_ALLOCATOR = "synthetic-allocator"

NATIONALITIES = {
    "AF": 35,
    "SY": 20,
    "ER": 12,
    "UA": 10,
    "SO": 6,
    "IQ": 3,
    "IR": 3,
    "ET": 3,
    "SD": 2,
    "PS": 1,
    "MM": 1,
    "YE": 1,
    "CD": 1,
    "LY": 1,
    "TR": 1,
}
LANGUAGES = {
    "AF": ["prs", "ps"],
    "SY": ["ar"],
    "ER": ["ti"],
    "UA": ["uk", "ru"],
    "SO": ["so"],
    "IQ": ["ar", "ku"],
    "IR": ["fa"],
    "ET": ["am", "om"],
    "SD": ["ar"],
    "PS": ["ar"],
}
SEXES = {"M": 80, "F": 19, "X": 1}
CARE_ARRANGEMENTS = {
    "GROUP_HOME": 50,
    "SUPPORTED_LODGING": 25,
    "FOSTER_HOME": 20,
    "SOS_FAMILY": 3,
    "OTHER": 2,
}
AGE_AT_SETTLEMENT = {10: 1, 11: 1, 12: 2, 13: 4, 14: 8, 15: 14, 16: 18, 17: 12}
# Arrivals after the autumn of 2015 and after the spring of 2022.
SETTLEMENT_YEAR_WEIGHT = {
    2015: 4,
    2016: 14,
    2017: 6,
    2018: 3,
    2019: 2,
    2020: 2,
    2021: 2,
    2022: 8,
    2023: 7,
    2024: 4,
    2025: 3,
}
OUTCOME_YEARS = (1, 2, 4, 5)
OUTCOME_STATUSES = {
    "EDUCATION": 55,
    "WORK": 15,
    "INTRODUCTION_PROGRAMME": 10,
    "NEITHER": 15,
    "UNKNOWN": 5,
}
FIRST_NAMES = ("Amina", "Yonas", "Layla", "Omid", "Olena", "Zahra", "Samir", "Hana", "Ali", "Mona")
DECLINED_SHARE = 0.08


SYNTHETIC_NAME = "Synthetic"
# The largest municipality of a few counties (Oslo, Bergen's, Trondheim's, Stavanger's).
LARGEST = ("0399", "4699", "5099", "1199")


def municipality_numbers() -> list[str]:
    """357 municipality numbers of synthetic data's own: each county's code, then 99, 98, …"""
    numbers = [
        f"{county}{99 - i:02d}"
        for county, count in MUNICIPALITIES_PER_COUNTY.items()
        for i in range(count)
    ]
    assert len(set(numbers)) == MUNICIPALITY_COUNT
    return numbers


def synthetic_name(number: str) -> str:
    return f"{SYNTHETIC_NAME} {COUNTIES[number[:2]]} {number}"


class MunicipalityTaken(RuntimeError):
    """A synthetic municipality number is registered for real (or demo) data."""


def _pick(rng: random.Random, weights: dict[Any, int]) -> Any:
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def spread_children(children: int, rng: random.Random) -> dict[str, int]:
    """How many children each municipality settled: a few large, many small (Zipf-like)."""
    numbers = municipality_numbers()
    ranked = sorted(numbers, key=lambda n: (n not in LARGEST, rng.random()))
    weights = [1 / (rank + 1) ** 0.9 for rank in range(len(ranked))]
    counts = dict.fromkeys(numbers, 0)
    for number in rng.choices(ranked, weights=weights, k=children):
        counts[number] += 1
    return counts


@dataclass
class Batch:
    """One municipality's rows, per table."""

    tenant: str
    rows: dict[Table, list[dict[str, Any]]] = field(default_factory=dict)

    def add(self, table: Table, row: dict[str, Any]) -> None:
        self.rows.setdefault(table, []).append(row)


def municipality_batch(tenant: str, children: int, rng: random.Random, today: date) -> Batch:
    """A municipality's referrals, children and every service's record of them."""
    batch = Batch(tenant)
    years = [y for y in SETTLEMENT_YEAR_WEIGHT if y <= today.year]
    for _ in range(children):
        year = rng.choices(years, weights=[SETTLEMENT_YEAR_WEIGHT[y] for y in years])[0]
        last_day = min(date(year, 12, 31), today)
        settled_on = date(year, 1, 1) + timedelta(
            days=rng.randrange((last_day.toordinal() - date(year, 1, 1).toordinal()) + 1)
        )
        age = _pick(rng, AGE_AT_SETTLEMENT)
        date_of_birth = settled_on - timedelta(days=age * 365 + rng.randrange(365))
        add_child(batch, rng, settled_on=settled_on, date_of_birth=date_of_birth, today=today)
    for _ in range(round(children * DECLINED_SHARE)):
        created = today - timedelta(days=rng.randrange(3650))
        batch.add(
            REFERRALS,
            _referral(tenant, rng, created, created - timedelta(days=16 * 365), "DECLINED"),
        )
    return batch


def _referral(
    tenant: str, rng: random.Random, created: date, date_of_birth: date, status: str
) -> dict[str, Any]:
    nationality = _pick(rng, NATIONALITIES)
    first = rng.choice(FIRST_NAMES)
    return {
        "id": uuid.uuid4(),
        "tenant_id": tenant,
        "status": status,
        "created_by": SYNTHETIC_ALLOCATOR,
        "full_name": f"{first} Synthetic",
        "date_of_birth": date_of_birth,
        "sex": _pick(rng, SEXES),
        "nationality": nationality,
        "languages": LANGUAGES.get(nationality, ["en"]),
        "respond_by": created + timedelta(days=14),
        "planned_arrival": None,
        "care_arrangement": None,
        "decline_reason": "no suitable care place" if status == "DECLINED" else None,
        "child_id": uuid.uuid4(),
        "created_at": datetime(created.year, created.month, created.day, 10, tzinfo=UTC),
    }


def add_child(
    batch: Batch, rng: random.Random, *, settled_on: date, date_of_birth: date, today: date
) -> None:
    """Adds one settled child: its referral, its record, and every service's copy of it."""
    tenant = batch.tenant
    referral = _referral(
        tenant, rng, settled_on - timedelta(days=rng.randint(20, 150)), date_of_birth, "ARRIVED"
    )
    care = _pick(rng, CARE_ARRANGEMENTS)
    referral.update(planned_arrival=settled_on, care_arrangement=care)
    batch.add(REFERRALS, referral)
    child_id = referral["child_id"]
    first_name = referral["full_name"].split()[0]
    child = {
        "id": child_id,
        "tenant_id": tenant,
        "referral_id": referral["id"],
        "first_name": first_name,
        "full_name": referral["full_name"],
        "date_of_birth": date_of_birth,
        "date_of_birth_estimated": rng.random() < 0.3,
        "sex": referral["sex"],
        "nationality": referral["nationality"],
        "languages": referral["languages"],
        "care_arrangement": care,
        "settled_on": settled_on,
    }
    if "name_search" in CHILDREN.c:
        child["name_search"] = referral["full_name"].lower()
    batch.add(CHILDREN, child)
    languages = referral["languages"]
    batch.add(
        CARE_CHILDREN,
        {
            "id": child_id,
            "tenant_id": tenant,
            "first_name": first_name,
            "date_of_birth": date_of_birth,
            "settled_on": settled_on,
            "languages": languages,
        },
    )
    batch.add(
        COMMUNITY_CHILDREN,
        {
            "id": child_id,
            "tenant_id": tenant,
            "first_name": first_name,
            "date_of_birth": date_of_birth,
            "languages": languages,
        },
    )
    batch.add(
        TRANSITION_CHILDREN,
        {
            "id": child_id,
            "tenant_id": tenant,
            "date_of_birth": date_of_birth,
            "settled_on": settled_on,
            # What transition keeps for outcome statistics: the nationality only as its group.
            "sex": referral["sex"],
            "nationality_group": nationality_group(referral["nationality"]),
            "care_arrangement": care,
        },
    )
    plan_opens_on = (
        date_of_birth.replace(year=date_of_birth.year + 17)
        if not (date_of_birth.month == 2 and date_of_birth.day == 29)
        else date(date_of_birth.year + 17, 3, 1)
    )
    batch.add(
        TRANSITIONS,
        {"child_id": child_id, "tenant_id": tenant, "plan_opens_on": plan_opens_on},
    )
    for years in OUTCOME_YEARS:
        recorded_on = settled_on + timedelta(days=365 * years)
        if recorded_on > today:
            break
        batch.add(
            OUTCOMES,
            {
                "child_id": child_id,
                "milestone_years": years,
                "tenant_id": tenant,
                "status": _pick(rng, OUTCOME_STATUSES),
                "recorded_on": recorded_on,
            },
        )


# The order rows must be written in (foreign keys).
TABLES: tuple[Table, ...] = (
    REFERRALS,
    CHILDREN,
    CARE_CHILDREN,
    COMMUNITY_CHILDREN,
    TRANSITION_CHILDREN,
    TRANSITIONS,
    OUTCOMES,
)
CHUNK = 2000


async def write_batch(session: AsyncSession, batch: Batch) -> None:
    """Writes one municipality's rows in its own tenant (row-level security applies)."""
    await session.execute(text("select set_config('havn.tenant', :t, true)"), {"t": batch.tenant})
    for table in TABLES:
        rows = batch.rows.get(table, [])
        for start in range(0, len(rows), CHUNK):
            await session.execute(insert(table), rows[start : start + CHUNK])


async def register_municipalities(session: AsyncSession, numbers: list[str]) -> None:
    """Registers the synthetic municipalities; refuses if a number is another's already."""
    taken = (
        await session.execute(
            select(MUNICIPALITIES.c.number, MUNICIPALITIES.c.name).where(
                MUNICIPALITIES.c.number.in_(numbers),
                MUNICIPALITIES.c.name.not_like(f"{SYNTHETIC_NAME} %"),
            )
        )
    ).all()
    if taken:
        listed = ", ".join(f"{number} ({name})" for number, name in taken)
        raise MunicipalityTaken(f"not synthetic, so left alone: {listed}")
    await session.execute(
        pg_insert(MUNICIPALITIES).on_conflict_do_nothing(),
        [{"number": n, "name": synthetic_name(n)} for n in numbers],
    )


def iter_batches(children: int, seed: int, today: date) -> Iterator[Batch]:
    rng = random.Random(seed)  # noqa: S311 - synthetic data, not secrets
    for tenant, count in spread_children(children, rng).items():
        if count:
            yield municipality_batch(tenant, count, rng, today)


class ProgressBar:
    """A one-line progress bar on stderr."""

    def __init__(self, total: int, label: str, stream: Any = sys.stderr) -> None:
        self.total, self.label, self.stream = total, label, stream
        self.done = 0
        self.started = time.monotonic()
        self.advance(0)

    def advance(self, amount: int) -> None:
        before = self.done * 100 // max(self.total, 1)
        self.done += amount
        if self.done * 100 // max(self.total, 1) == before and self.done < self.total:
            return  # redraw once per percent
        share = self.done / self.total if self.total else 1.0
        filled = int(share * 30)
        elapsed = time.monotonic() - self.started
        self.stream.write(
            f"\r{self.label} [{'#' * filled}{'.' * (30 - filled)}] {share:4.0%} "
            f"{self.done}/{self.total} {elapsed:5.1f} s"
        )
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


async def seed_synthetic(
    owner_url: str,
    *,
    children: int,
    seed: int = 7,
    today: date | None = None,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Writes `children` synthetic children over 357 municipalities; returns how many."""
    today = today or Clock().today()
    engine = create_async_engine(owner_url, poolclass=NullPool)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    written = 0
    try:
        async with sessions() as session, session.begin():
            await register_municipalities(session, municipality_numbers())
        for batch in iter_batches(children, seed, today):
            async with sessions() as session, session.begin():
                await write_batch(session, batch)
            settled = len(batch.rows.get(CHILDREN, []))
            written += settled
            if progress is not None:
                progress(settled)
    finally:
        await engine.dispose()
    return written


async def remove_synthetic(owner_url: str) -> int:
    """Deletes every synthetic municipality and what synthetic data wrote in it; returns how
    many children went. Municipalities not named as synthetic are never touched."""
    engine = create_async_engine(owner_url, poolclass=NullPool)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    removed = 0
    try:
        async with sessions() as session:
            numbers = (
                await session.scalars(
                    select(MUNICIPALITIES.c.number).where(
                        MUNICIPALITIES.c.name.like(f"{SYNTHETIC_NAME} %")
                    )
                )
            ).all()
        for number in numbers:
            async with sessions() as session, session.begin():
                await session.execute(
                    text("select set_config('havn.tenant', :t, true)"), {"t": number}
                )
                for table in reversed(TABLES):
                    result = await session.execute(delete(table).where(table.c.tenant_id == number))
                    if table is CHILDREN:
                        removed += cast("CursorResult[Any]", result).rowcount
        async with sessions() as session, session.begin():
            await session.execute(
                delete(MUNICIPALITIES).where(MUNICIPALITIES.c.number.in_(numbers))
            )
    finally:
        await engine.dispose()
    return removed
