"""`make chaos`: settlements while processes are killed many times, and the figures.

HAVN_CHAOS_KILLS kills (50 by default), each kind in turn (a service, the gateway, NATS,
PostgreSQL); HAVN_CHAOS_REPLICAS and HAVN_CHAOS_NATS_CLUSTER run the stack with more
than one of each. Exits non-zero when anything was lost, duplicated or did not come back.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from pathlib import Path

from tests.chaos.driver import KINDS, ChaosReport, havn_run, run_chaos


async def chaos(scratch: Path, kills: int, replicas: int, nats_cluster: int) -> ChaosReport:
    print(f"starting havn run in {scratch} ...", flush=True)
    async with havn_run(scratch, replicas=replicas, nats_cluster=nats_cluster) as stack:
        print(f"{len(stack.expected)} processes up; killing {kills} times", flush=True)
        kinds = [KINDS[number % len(KINDS)] for number in range(kills)]
        return await run_chaos(stack, kinds, say=lambda line: print(line, flush=True))


def main() -> None:
    kills = int(os.environ.get("HAVN_CHAOS_KILLS", "50"))
    replicas = int(os.environ.get("HAVN_CHAOS_REPLICAS", "1"))
    nats_cluster = int(os.environ.get("HAVN_CHAOS_NATS_CLUSTER", "1"))
    with tempfile.TemporaryDirectory(prefix="havn-chaos-") as scratch:
        report = asyncio.run(chaos(Path(scratch), kills, replicas, nats_cluster))
    print("\n".join(["", "chaos figures:", *report.lines()]), flush=True)
    tally = report.tally
    if tally.lost or tally.duplicated or report.unrecovered:
        sys.exit(1)


if __name__ == "__main__":
    main()
