"""What became of every acknowledged settlement after the kills: lost, or applied twice."""

from __future__ import annotations

import asyncio
import json
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

import asyncpg
import nats

from havn.config import SERVICES
from havn.events.credentials import ADMIN
from havn.events.envelope import STREAM
from tests.chaos.stack import HavnRun
from tests.chaos.workload import MUNICIPALITY, Load

# How long the services get to apply every acknowledged settlement after the last kill.
SETTLE_TIMEOUT_SECONDS = 180.0


@dataclass
class Tally:
    """Per acknowledged child, where it is missing and where it is more than once."""

    acknowledged: int
    abandoned: int
    lost: dict[str, list[str]]
    duplicated: dict[str, list[str]]
    milestones_published: int
    # Events a consumer gave up on during the run, "consumer (error)": count. A kill is an
    # outage, never a reason to park.
    dead_letters: dict[str, int]

    @property
    def lost_children(self) -> int:
        return len({child for children in self.lost.values() for child in children})

    @property
    def duplicated_children(self) -> int:
        return len({child for children in self.duplicated.values() for child in children})


async def _stream_events(stack: HavnRun, subject: str) -> list[dict[str, Any]]:
    """Every event on `subject` in the HAVN stream, read with a throw-away consumer."""
    # The bus lets in only its users: the admin's seed reads every subject.
    admin_seed = stack.data_dir / "nats" / "credentials" / f"{ADMIN}.nk"
    client = await nats.connect(stack.nats_urls(), nkeys_seed=str(admin_seed))
    try:
        js = client.jetstream()
        pull = await js.pull_subscribe(subject, stream=STREAM)
        events: list[dict[str, Any]] = []
        while (await pull.consumer_info()).num_pending:
            for message in await pull.fetch(500, timeout=5):
                events.append(json.loads(message.data))
                await message.ack()
        await pull.unsubscribe()
        return events
    finally:
        await client.close()


APPLIED = {
    "care": "select id from care.children where id = any($1::uuid[])",
    "care plan": "select child_id from care.care_plans where child_id = any($1::uuid[])",
    "transition": "select child_id from transition.transitions where child_id = any($1::uuid[])",
    "community": "select id from community.children where id = any($1::uuid[])",
}


async def tally(stack: HavnRun, load: Load) -> Tally:
    """Waits until the services applied every acknowledged settlement (or the time is up),
    then counts what is missing and what is there twice."""
    children = [s.child_id for s in load.acknowledged if s.child_id]
    lost: dict[str, list[str]] = {}
    connection = await asyncpg.connect(stack.superuser_dsn())
    try:
        deadline = time.monotonic() + SETTLE_TIMEOUT_SECONDS
        while True:
            lost = {}
            for place, sql in APPLIED.items():
                found = {str(row[0]) for row in await connection.fetch(sql, children)}
                lost[place] = [c for c in children if c not in found]
            if not any(lost.values()) or time.monotonic() > deadline:
                break
            await asyncio.sleep(1)
        names = [s.name for s in load.acknowledged] + [name for name, _ in load.abandoned]
        referrals = await connection.fetch(
            "select full_name, count(*) from intake.referrals where full_name = any($1::text[])"
            " group by full_name having count(*) > 1",
            names,
        )
        parked = {
            f"{row['consumer']} ({row['error_type']})": row["count"]
            for service in SERVICES
            for row in await connection.fetch(
                f"select consumer, error_type, count(*) from {service}.dead_letters"
                " group by consumer, error_type"
            )
        }
        arrivals = await connection.fetch(
            "select referral_id, count(*) from intake.children"
            " where referral_id = any($1::uuid[]) group by referral_id having count(*) > 1",
            [s.referral_id for s in load.acknowledged],
        )
    finally:
        await connection.close()
    settled = Counter(
        event["data"]["child_id"]
        for event in await _stream_events(stack, f"havn.intake.child.settled.{MUNICIPALITY}")
    )
    lost["child.settled event"] = [c for c in children if settled[c] == 0]
    due = await _wait_for_milestones(stack, children)
    lost["AGE_17 milestone event"] = [c for c in children if due[c] == 0]
    return Tally(
        acknowledged=len(children),
        abandoned=len(load.abandoned),
        lost={place: missing for place, missing in lost.items() if missing},
        duplicated={
            place: twice
            for place, twice in {
                "referral": [str(row[0]) for row in referrals],
                "arrival": [str(row[0]) for row in arrivals],
                "child.settled event": [c for c in children if settled[c] > 1],
                "AGE_17 milestone event": [c for c in children if due[c] > 1],
            }.items()
            if twice
        },
        milestones_published=sum(due[c] for c in children),
        dead_letters=parked,
    )


async def _wait_for_milestones(stack: HavnRun, children: list[str]) -> Counter[str]:
    """AGE_17 `milestone.reached` events per child, once every child has one (or time is up)."""
    deadline = time.monotonic() + SETTLE_TIMEOUT_SECONDS
    while True:
        reached = Counter(
            event["data"]["child_id"]
            for event in await _stream_events(
                stack, f"havn.transition.milestone.reached.{MUNICIPALITY}"
            )
            if event["data"]["milestone"] == "AGE_17"
        )
        if all(reached[c] for c in children) or time.monotonic() > deadline:
            return reached
        await asyncio.sleep(1)
