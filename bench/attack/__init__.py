"""`make attack`: attacks a running Havn stack from outside and prints what got through.

It acts as someone on the machine who holds the dev users' passwords (and, for the bus and
the database, what the data directory lets its owner read): cross-tenant and beyond-reach
reads through the gateway and straight at the services, bad input in every mutation, forged
and stale tokens, reads missing from the access log, and connections to NATS and PostgreSQL
without (or with the wrong) credentials. Each category prints its probes and its failures;
the exit code is 1 when any failure count is not 0.

It finds the stack as `havn run` does: `HAVN_*_PORT`, `HAVN_DATA_DIR` (`make run`'s ports and
`.havn/` by default); NATS's port from the data dir's `nats/nats.conf`, PostgreSQL's from
`postgres/postmaster.pid`, unless `HAVN_NATS_URL` / `HAVN_DATABASE_URL` say where they are.
"""

from __future__ import annotations

import time

from bench.attack.bad_input import probe_bad_input
from bench.attack.bus_and_database import probe_bus, probe_database
from bench.attack.figures import CATEGORIES, Figures
from bench.attack.leaks import build_world, probe_leaks
from bench.attack.logged_reads import probe_logged_reads
from bench.attack.target import Target
from bench.attack.tokens import probe_tokens
from tests.client import GraphQLClient

__all__ = ["CATEGORIES", "Target", "attack"]


async def attack(target: Target, *, short: bool = False) -> Figures:
    figures = Figures()
    gql = GraphQLClient(target)
    started = time.monotonic()

    def say(what: str) -> None:
        print(f"[{time.monotonic() - started:6.1f} s] {what}", flush=True)

    say("settling the attack's children (Bergen, Asker) ...")
    world = await build_world(gql)
    say("leaks ...")
    await probe_leaks(gql, target, world, figures, short=short)
    say("bad input ...")
    await probe_bad_input(gql, figures, short=short)
    say("bad tokens ...")
    await probe_tokens(gql, target, figures, short=short)
    say("unlogged reads ...")
    await probe_logged_reads(gql, world, figures, short=short)
    say("bus and database ...")
    await probe_bus(target, figures)
    await probe_database(target, figures)
    say("done.")
    return figures
