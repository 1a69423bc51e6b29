"""The measurements, one per budget in DESIGN.md; ratios are measured side by side, interleaved."""

from __future__ import annotations

import asyncio
import re
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from urllib.parse import urljoin, urlsplit

import httpx
from sqlalchemy import text

from bench.budget import Budget, percentile
from bench.environment import Environment, cpu_seconds
from havn.clock import Clock
from havn.db import create_engine, create_sessionmaker, scoped_transaction
from havn.events.contracts import ChildSettledV1
from havn.events.outbox import publish
from havn.statistics.dimensions import Dimension, Measure
from services.care.models import events as care_events
from services.intake import repository as intake_repository
from services.intake.models import events as intake_events
from web.areas import WEB_DIR
from web.graphql import load_operations

STATISTICS = """
query($by: [StatisticDimension!]!, $year: Int) {
  nationalStatistics(measure: SETTLED_CHILDREN, by: $by, year: $year) {
    rows { keys value suppressed }
  }
}"""
NESTED_CHILD = """
query($id: ID!) {
  child(id: $id) { id firstName fullName carePlan { status } transition { planOpensOn } }
}"""
CASELOAD = """
query($first: Int!) {
  children(first: $first) {
    totalCount
    edges { node {
      id firstName fullName interests
      carePlan { status } assessments { id } followUpNotes(first: 5) { totalCount }
      enrolments { id } transition { planOpensOn }
    } }
  }
}"""
# The operation behind the caseload page, as the web client sends it.
WEB_CASELOAD = load_operations([WEB_DIR / "children" / "operations"])["Caseload"]
# The operation behind the statistics page, likewise.
WEB_STATISTICS = load_operations([WEB_DIR / "statistics" / "operations"])["StatisticsTable"]
ASSET_URL = re.compile(r'(?:href|src)="(/assets/[^"]+)"')
CSS_URL = re.compile(r"url\(\s*[\"']?([^\"')]+)")
Scenario = Callable[[Environment], Awaitable[list[Budget]]]
ANALYST = "imdi-analyst"
CASEWORKER = "bergen-caseworker"
COORDINATOR = "bergen-coordinator"
BERGEN = "4601"


async def timed(call: Callable[[], Awaitable[Any]]) -> float:
    started = time.perf_counter()
    await call()
    return (time.perf_counter() - started) * 1000


# --- national statistics ----------------------------------------------------------------------


async def national_statistics(env: Environment, *, runs: int = 40) -> list[Budget]:
    """An analyst's suppressed table through the gateway, and the raw SQL it runs, interleaved."""
    # The richest table published today: two dimensions over every year.
    year = None
    by = [Dimension.COUNTY, Dimension.AGE_BAND]
    grouped = (Dimension.COUNTY, Dimension.AGE_BAND)
    # As the service runs it: the statistics role, the only one that may call the function.
    engine = create_engine(env.database.statistics, pool_size=2)
    sessions = create_sessionmaker(engine)

    async def through_gateway() -> None:
        await env.client.graphql(ANALYST, STATISTICS, {"by": [d.value for d in by], "year": year})

    async def raw_sql() -> None:
        async with scoped_transaction(sessions, tenant=None) as session:
            await intake_repository.national_groups(
                session, Measure.SETTLED_CHILDREN, grouped, None
            )

    try:
        for _ in range(3):
            await through_gateway()
            await raw_sql()
        gateway, sql = [], []
        for _ in range(runs):
            gateway.append(await timed(through_gateway))
            sql.append(await timed(raw_sql))
    finally:
        await engine.dispose()
    for extra in (
        [Dimension.MUNICIPALITY],
        [Dimension.MUNICIPALITY, Dimension.AGE_BAND],
        [Dimension.COUNTY, Dimension.SEX],
        [Dimension.COUNTY, Dimension.AGE_BAND, Dimension.SEX],
    ):
        names = [d.value for d in extra]
        samples = []
        for _ in range(5):
            started = time.perf_counter()
            await env.client.graphql(ANALYST, STATISTICS, {"by": names, "year": year})
            samples.append((time.perf_counter() - started) * 1000)
        print(
            f"INFO national statistics by {names}, every year: "
            f"p50 {statistics.median(samples):.0f} ms"
        )
    print(
        f"INFO national statistics by [COUNTY,AGE_BAND], every year: gateway p50 "
        f"{statistics.median(gateway):.0f} ms, raw SQL p50 {statistics.median(sql):.0f} ms"
    )
    return [
        Budget(
            "national_statistics_p95_100k_children", round(percentile(gateway, 0.95)), 300, "ms"
        ),
        Budget(
            "national_statistics_vs_raw_sql",
            round(statistics.median(gateway) / statistics.median(sql), 2),
            3,
            "x",
        ),
    ]


# --- a child settled through the API (so care and transition have their records) ---------------

CREATE = "mutation($input: CreateReferralInput!) { createReferral(input: $input) { id } }"
ACCEPT = (
    "mutation($id: ID!, $input: AcceptReferralInput!) "
    "{ acceptReferral(id: $id, input: $input) { id } }"
)
COMPLETE = (
    "mutation($id: ID!, $task: PreparationTaskKind!) "
    "{ completePreparationTask(referralId: $id, task: $task) { id } }"
)
ARRIVE = (
    "mutation($id: ID!, $on: Date!) { registerArrival(referralId: $id, arrivedOn: $on) { id } }"
)
TASKS = ("HOUSING", "GUARDIAN", "SCHOOL", "GP", "HEALTH_CHECK", "INTERPRETER", "BANK_ACCOUNT")


async def settle_child(env: Environment) -> str:
    today = Clock().today()
    referral = (
        await env.client.graphql(
            "imdi-allocator",
            CREATE,
            {
                "input": {
                    "municipality": BERGEN,
                    "fullName": "Bench Child",
                    "dateOfBirth": (today - timedelta(days=16 * 365)).isoformat(),
                    "sex": "F",
                    "nationality": "AF",
                    "languages": ["prs"],
                    "respondBy": (today + timedelta(days=14)).isoformat(),
                }
            },
        )
    )["createReferral"]["id"]
    await env.client.graphql(
        COORDINATOR,
        ACCEPT,
        {
            "id": referral,
            "input": {"plannedArrival": today.isoformat(), "careArrangement": "GROUP_HOME"},
        },
    )
    for task in TASKS:
        await env.client.graphql(COORDINATOR, COMPLETE, {"id": referral, "task": task})
    child = await env.client.graphql(COORDINATOR, ARRIVE, {"id": referral, "on": today.isoformat()})
    child_id: str = child["registerArrival"]["id"]
    for _ in range(200):
        data = await env.client.graphql(CASEWORKER, NESTED_CHILD, {"id": child_id})
        if data["child"]["carePlan"] and data["child"]["transition"]:
            return child_id
        await asyncio.sleep(0.05)
    raise RuntimeError("care and transition did not hear of the settled child")


async def gateway_overhead(env: Environment, *, runs: int = 200) -> list[Budget]:
    """A nested child query through the gateway against the same calls made directly."""
    child_id = await settle_child(env)
    client = env.client

    async def through_gateway() -> None:
        await client.graphql(CASEWORKER, NESTED_CHILD, {"id": child_id})

    async def directly() -> None:
        await client.service(
            CASEWORKER, "intake", "POST", "/v1/children/batch", json={"ids": [child_id]}
        )
        await asyncio.gather(
            client.service(
                CASEWORKER, "care", "POST", "/v1/care/batch", json={"child_ids": [child_id]}
            ),
            # The query asks only the plan's opening date: the summary, as the gateway asks.
            client.service(
                CASEWORKER,
                "transition",
                "POST",
                "/v1/transitions/summaries/batch",
                json={"child_ids": [child_id]},
            ),
        )

    for _ in range(10):
        await through_gateway()
        await directly()
    gateway, direct = [], []
    for _ in range(runs):
        gateway.append(await timed(through_gateway))
        direct.append(await timed(directly))
    print(
        f"INFO nested child query: gateway p50 {statistics.median(gateway):.1f} ms, "
        f"services directly p50 {statistics.median(direct):.1f} ms"
    )
    ratio = statistics.median(gateway) / statistics.median(direct)
    return [Budget("gateway_overhead_nested_child", round(ratio, 2), 1.3, "x")]


# --- events -------------------------------------------------------------------------------------


async def event_latency(env: Environment, *, events: int = 100) -> list[Budget]:
    """From intake's commit of a child.settled event to care's commit of having applied it."""
    engine = create_engine(env.database.app, pool_size=2)
    sessions = create_sessionmaker(engine)
    inbox = care_events.inbox
    applied = text(f"select 1 from {inbox.schema}.{inbox.name} where event_id = :id")
    today = Clock().today()
    latencies = []
    try:
        for _ in range(events):
            settled = ChildSettledV1(
                child_id=uuid.uuid4(),
                referral_id=uuid.uuid4(),
                first_name="Bench",
                full_name="Bench Event",
                date_of_birth=today - timedelta(days=15 * 365),
                date_of_birth_estimated=False,
                sex="M",
                nationality="SY",
                languages=["ar"],
                care_arrangement="GROUP_HOME",
                settled_on=today,
            )
            async with scoped_transaction(sessions, tenant=BERGEN) as session:
                envelope = await publish(
                    session, settled, tenant=BERGEN, actor="bench", outbox=intake_events.outbox
                )
            committed = time.perf_counter()
            while True:
                async with scoped_transaction(sessions, tenant=BERGEN) as session:
                    if await session.scalar(applied, {"id": envelope.id}):
                        break
                await asyncio.sleep(0.001)
            latencies.append((time.perf_counter() - committed) * 1000)
    finally:
        await engine.dispose()
    return [
        Budget("event_latency_p50", round(percentile(latencies, 0.5), 1), 20, "ms"),
        Budget("event_latency_p99", round(percentile(latencies, 0.99), 1), 100, "ms"),
    ]


# --- the caseload ---------------------------------------------------------------------------------


async def at_rate(
    call: Callable[[], Awaitable[Any]], *, rate: float, seconds: float
) -> tuple[list[float], int]:
    """`call` started at a steady rate whatever the answers take (open loop): its latencies in
    ms, a failure counted at the time it took to fail, and how many failed."""
    failures = 0

    async def one() -> float:
        nonlocal failures
        started = time.perf_counter()
        try:
            await call()
        except (RuntimeError, httpx.HTTPError):
            failures += 1
        return (time.perf_counter() - started) * 1000

    tasks = []
    started = time.perf_counter()
    for i in range(int(rate * seconds)):
        delay = started + i / rate - time.perf_counter()
        if delay > 0:
            await asyncio.sleep(delay)
        tasks.append(asyncio.create_task(one()))
    return list(await asyncio.gather(*tasks)), failures


async def caseload_under_load(
    env: Environment, *, rate: float = 20, seconds: float = 15
) -> list[Budget]:
    """A caseworker's caseload of 50 children, requested at a steady rate (open loop)."""

    async def caseload() -> None:
        await env.client.graphql(CASEWORKER, CASELOAD, {"first": 50})

    for _ in range(5):
        await caseload()
    used_before = cpu_seconds(env)
    latencies, failures = await at_rate(caseload, rate=rate, seconds=seconds)
    used_after = cpu_seconds(env)
    used = {name: used_after[name] - before for name, before in used_before.items()}
    if used:
        per_request = ", ".join(f"{n} {s * 1000 / len(latencies):.1f}" for n, s in used.items())
        print(f"INFO caseload CPU ms per request under load: {per_request}")
    print(
        f"INFO caseload of 50 at {rate:g} req/s for {seconds:g} s: {len(latencies)} requests, "
        f"{failures} failed, single request p50 unloaded "
        f"{statistics.median([await timed(caseload) for _ in range(5)]):.0f} ms"
    )
    return [
        Budget("caseload_50_p50_at_20rps", round(percentile(latencies, 0.5)), 60, "ms"),
        Budget("caseload_50_p99_at_20rps", round(percentile(latencies, 0.99)), 200, "ms"),
    ]


# --- the staff web client -------------------------------------------------------------------


async def web_caseload_page(
    env: Environment, *, rate: float = 10, seconds: float = 8, rounds: int = 3
) -> list[Budget]:
    """The caseload page of 50 children against the GraphQL query behind it, each at a steady
    rate in turns (the same load, side by side in time)."""
    client = env.client
    rows = re.compile(r'<a class="ds-link" href="/child/')

    async def page() -> None:
        shown = len(rows.findall((await client.page(CASEWORKER, "/children")).text))
        if shown != 50:
            raise RuntimeError(f"the caseload page shows {shown} children, not 50")

    async def query() -> None:
        await client.graphql(CASEWORKER, WEB_CASELOAD, {"filter": "ALL", "first": 50})

    for _ in range(5):
        await page()
        await query()
    pages: list[float] = []
    queries: list[float] = []
    failed = 0
    for _ in range(rounds):
        for call, samples in ((page, pages), (query, queries)):
            latencies, failures = await at_rate(call, rate=rate, seconds=seconds)
            samples += latencies
            failed += failures
    print(
        f"INFO caseload page of 50 at {rate:g} req/s: page p50 {percentile(pages, 0.5):.0f} ms "
        f"p95 {percentile(pages, 0.95):.0f} ms; its GraphQL query p50 "
        f"{percentile(queries, 0.5):.0f} ms p95 {percentile(queries, 0.95):.0f} ms; "
        f"{len(pages)} + {len(queries)} requests, {failed} failed"
    )
    ratio = statistics.median(pages) / statistics.median(queries)
    return [
        Budget("web_caseload_page_50_p95_at_10rps", round(percentile(pages, 0.95)), 150, "ms"),
        Budget("web_caseload_page_vs_its_graphql_query", round(ratio, 2), 1.3, "x"),
    ]


async def web_statistics_page(env: Environment, *, runs: int = 40) -> list[Budget]:
    """The analyst's county by age band table with its chart, against the GraphQL query behind
    it, one after the other (each table takes the services a while: no load on top)."""
    client = env.client
    by = [Dimension.COUNTY.value, Dimension.AGE_BAND.value]
    path = "/statistics?measure=SETTLED_CHILDREN&" + "&".join(f"by={d}" for d in by)

    async def page() -> None:
        if 'id="statistics-table"' not in (await client.page(ANALYST, path)).text:
            raise RuntimeError("the statistics page shows no table")

    async def query() -> None:
        await client.graphql(
            ANALYST, WEB_STATISTICS, {"measure": "SETTLED_CHILDREN", "by": by, "year": None}
        )

    for _ in range(3):
        await page()
        await query()
    pages: list[float] = []
    queries: list[float] = []
    for _ in range(runs):
        pages.append(await timed(page))
        queries.append(await timed(query))
    print(
        f"INFO statistics page by county and age band: page p50 {percentile(pages, 0.5):.0f} ms "
        f"p95 {percentile(pages, 0.95):.0f} ms; its GraphQL query p50 "
        f"{percentile(queries, 0.5):.0f} ms p95 {percentile(queries, 0.95):.0f} ms"
    )
    ratio = statistics.median(pages) / statistics.median(queries)
    return [Budget("web_statistics_page_vs_its_graphql_query", round(ratio, 2), 1.3, "x")]


async def web_assets(env: Environment) -> list[Budget]:
    """The CSS, JavaScript and fonts a first visit to the caseload page downloads (compressed,
    as a browser takes them), and what a second visit must download again (not cacheable)."""
    client = env.client
    page = await client.page(CASEWORKER, "/children")
    queue = [urljoin(str(page.url), path) for path in ASSET_URL.findall(page.text)]
    seen: set[str] = set()
    first_load = refetched = 0
    while queue:
        url = queue.pop()
        if url in seen:
            continue
        seen.add(url)
        response = await client.http.get(url, headers={"Accept-Encoding": "gzip, br"})
        response.raise_for_status()
        size = response.num_bytes_downloaded
        first_load += size
        if "immutable" not in response.headers.get("cache-control", ""):
            refetched += size
        if url.endswith(".css"):
            # What the stylesheet loads (fonts): only what is served from here.
            for found in CSS_URL.findall(response.text):
                target = urljoin(url, found.strip())
                if urlsplit(target).netloc == urlsplit(url).netloc:
                    queue.append(target)
    print(f"INFO first load of the caseload page: {len(seen)} files of CSS, JavaScript and fonts")
    return [
        Budget("web_first_load_css_js_fonts", round(first_load / 1000, 1), 250, "KB"),
        Budget("web_second_load_css_js_fonts", round(refetched / 1000, 1), 0, "KB"),
    ]


async def caseload_cost(env: Environment, *, small: int = 10, large: int = 500) -> list[Budget]:
    """Service calls and SQL statements for a short and a long caseload page: the same."""
    stack = env.stack
    assert stack is not None, "counting needs the stack in this process"
    services = stack.apps["gateway"].state.services

    async def cost(first: int) -> tuple[int, int]:
        before = services.calls
        with stack.request_statements() as seen:
            data = await env.client.graphql(CASEWORKER, CASELOAD, {"first": first})
        assert len(data["children"]["edges"]) == first, "the caseload is too short"
        return services.calls - before, sum(map(len, seen.values()))

    # Once each first: a first request may do once-only work (intake records its staff).
    await cost(small)
    await cost(large)
    calls_small, sql_small = await cost(small)
    calls_large, sql_large = await cost(large)
    return [
        Budget(f"caseload_service_calls_{large}_vs_{small}", calls_large, calls_small, "calls"),
        Budget(f"caseload_sql_statements_{large}_vs_{small}", sql_large, sql_small, "statements"),
    ]
