"""`make bench`: seed 100,000 synthetic children, run every benchmark, print one line per budget.

    python -m bench [--children N]

Never part of `make test`. Each line reads `BUDGET <name> <value><unit> limit <limit><unit>
OK|OVER`; lines starting INFO give context. The exit status is 1 if any budget is OVER.
Latencies are measured against the real processes (one per component); service calls and SQL
statements against the stack in this process, where they can be counted.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time

import httpx

from bench import scenarios
from bench.budget import Budget
from bench.environment import Client, Environment, endpoints_of, in_process, processes, servers
from havn.runtime import settle_heap

LATENCY = (
    scenarios.national_statistics,
    scenarios.gateway_overhead,
    scenarios.event_latency,
    scenarios.caseload_under_load,
    scenarios.web_caseload_page,
    scenarios.web_statistics_page,
    scenarios.web_assets,
)


async def run(children: int) -> list[Budget]:
    started = time.monotonic()
    budgets: list[Budget] = []

    async def measure(env: Environment, scenario: scenarios.Scenario) -> None:
        for budget in await scenario(env):
            print(budget.line(), flush=True)
            budgets.append(budget)

    limits = httpx.Limits(max_connections=100, max_keepalive_connections=100)
    async with (
        servers(children) as (database, nats_url, scratch, postgres_pid, nats_credentials),
        httpx.AsyncClient(timeout=60, limits=limits) as http,
    ):
        # The measuring client settles its heap as the servers do: its own collections over
        # what seeding left would otherwise show up as the system's latency.
        settle_heap()
        with processes(database, nats_url, nats_credentials, scratch / "processes") as endpoints:
            env = Environment(
                database, nats_url, scratch, Client(endpoints, http), postgres_pid=postgres_pid
            )
            for scenario in LATENCY:
                await measure(env, scenario)
        async with in_process(
            database, nats_url, nats_credentials, scratch / "in-process"
        ) as stack:
            env = Environment(database, nats_url, scratch, Client(endpoints_of(stack), http), stack)
            await measure(env, scenarios.caseload_cost)
    print(f"INFO benchmarks done in {time.monotonic() - started:.0f} s")
    return budgets


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--children", type=int, default=100_000)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    budgets = asyncio.run(run(args.children))
    sys.exit(0 if all(b.ok for b in budgets) else 1)


if __name__ == "__main__":
    main()
