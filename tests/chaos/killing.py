"""Killing one process of the chaos stack, and waiting until the stack is whole again."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import time
from dataclasses import dataclass

from tests.chaos.stack import HavnRun

KINDS = ("service", "gateway", "NATS", "PostgreSQL")
# The bound: every killed process serves again this soon, by itself.
RECOVERY_LIMIT_SECONDS = 30.0


@dataclass(frozen=True)
class Recovery:
    kind: str
    label: str
    seconds: float | None  # None: not back within RECOVERY_LIMIT_SECONDS


def _whole(stack: HavnRun, killed: int) -> bool:
    """Every process `havn run` started is up, the killed one replaced, and all serve."""
    running = stack.processes()
    return (
        frozenset(p.label for p in running) == stack.expected
        and all(p.pid != killed for p in running)
        and all(p.serves() for p in running)
    )


async def kill_one(stack: HavnRun, kind: str, rng: random.Random) -> Recovery:
    """SIGKILLs one process of `kind` and waits until every process serves again."""
    victim = rng.choice([p for p in stack.processes() if p.kind == kind])
    os.kill(victim.pid, signal.SIGKILL)
    killed_at = time.monotonic()
    while time.monotonic() - killed_at < RECOVERY_LIMIT_SECONDS:
        if await asyncio.to_thread(_whole, stack, victim.pid):
            return Recovery(kind, victim.label, time.monotonic() - killed_at)
        await asyncio.sleep(0.1)
    return Recovery(kind, victim.label, None)
