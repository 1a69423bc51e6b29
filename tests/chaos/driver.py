"""The chaos driver: `havn run` in a scratch directory, settlements through its gateway while
its processes are killed with SIGKILL, then a count of what was lost or applied twice.

Used by the chaos tests (a few kills) and by `make chaos` (`python -m tests.chaos`, many).
The stack is started exactly as a user starts it (`python -m cli run`: the supervisor,
one process each, its own data directory and free ports); the driver acts as a real client
would: real tokens, one `Idempotency-Key` per intended change, the same key on every retry.
"""

from __future__ import annotations

import asyncio
import contextlib
import random
import statistics
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx

from tests.chaos.killing import KINDS, RECOVERY_LIMIT_SECONDS, Recovery, kill_one
from tests.chaos.stack import HavnRun
from tests.chaos.tally import Tally, tally
from tests.chaos.workload import Client, Load


@dataclass
class ChaosReport:
    kills: list[Recovery]
    tally: Tally
    retried: Counter[str]
    retried_changes: int

    @property
    def unrecovered(self) -> list[Recovery]:
        return [kill for kill in self.kills if kill.seconds is None]

    def lines(self) -> list[str]:
        tally = self.tally
        why = ", ".join(f"{kind} {count}" for kind, count in self.retried.most_common())
        out = [
            f"kills: {len(self.kills)} "
            + ", ".join(f"{k} {sum(r.kind == k for r in self.kills)}" for k in KINDS),
            f"settlements acknowledged: {tally.acknowledged}, abandoned by the client: "
            f"{tally.abandoned}",
            f"lost: {tally.lost_children} {tally.lost or ''}".rstrip(),
            f"duplicated: {tally.duplicated_children} {tally.duplicated or ''}".rstrip(),
            f"dead letters: {sum(tally.dead_letters.values())} {tally.dead_letters or ''}".rstrip(),
            f"AGE_17 milestones published: {tally.milestones_published} "
            f"for {tally.acknowledged} children",
            f"changes sent more than once with their key: {self.retried_changes} "
            f"(requests retried: {why or 'none'})",
            f"not back within {RECOVERY_LIMIT_SECONDS:.0f} s: {len(self.unrecovered)}"
            + "".join(f" {r.label}" for r in self.unrecovered),
        ]
        for kind in KINDS:
            times = sorted(r.seconds for r in self.kills if r.kind == kind and r.seconds)
            if times:
                out.append(f"recovery of {kind:<10} s: " + percentiles(times))
        return out


def percentiles(values: list[float]) -> str:
    if len(values) == 1:
        return f"{values[0]:.1f} (one)"
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return (
        f"p50 {cuts[49]:.1f}  p90 {cuts[89]:.1f}  p99 {cuts[98]:.1f}  max {max(values):.1f}"
        f"  (n={len(values)})"
    )


@contextlib.asynccontextmanager
async def havn_run(
    data_dir: Path, *, replicas: int = 1, nats_cluster: int = 1
) -> AsyncIterator[HavnRun]:
    stack = await asyncio.to_thread(
        HavnRun(data_dir, replicas=replicas, nats_cluster=nats_cluster).start
    )
    try:
        yield stack
    finally:
        await asyncio.to_thread(stack.stop)


async def run_chaos(
    stack: HavnRun,
    kinds: list[str],
    *,
    seed: int = 13,
    workers: int = 2,
    pause: float = 2.0,
    say: Any = None,
) -> ChaosReport:
    """Settles children all along while each kind in `kinds` is killed in turn."""
    rng = random.Random(seed)
    kills: list[Recovery] = []
    async with httpx.AsyncClient(timeout=30) as http:
        client = Client(stack, http)
        load = Load(client, workers)
        load.start()
        await asyncio.sleep(pause)
        for number, kind in enumerate(kinds, start=1):
            recovery = await kill_one(stack, kind, rng)
            kills.append(recovery)
            if say is not None:
                took = f"{recovery.seconds:.1f} s" if recovery.seconds else "NOT BACK"
                say(
                    f"kill {number}/{len(kinds)}: {recovery.label} back in {took}; "
                    f"{len(load.acknowledged)} settled so far"
                )
            await asyncio.sleep(pause)
        await load.stop()
        return ChaosReport(kills, await tally(stack, load), client.retried, client.retried_changes)
