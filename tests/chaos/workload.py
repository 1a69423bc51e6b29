"""The chaos workload: a client retrying each change with its key, and workers settling children."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import httpx

from havn.clock import Clock
from tests.chaos.stack import HavnRun
from tests.factories import ACCEPT_REFERRAL, COMPLETE_TASK, CREATE_REFERRAL, REGISTER_ARRIVAL, TASKS

# Asker records no care places, so any number of children may settle there.
MUNICIPALITY = "3203"
COORDINATOR = "asker-coordinator"
ALLOCATOR = "imdi-allocator"
PASSWORD = "dev"
# A client gives up on one change after this long; the stack should be back long before.
GIVE_UP_SECONDS = 120.0
# An error a client retries with the same key: nothing was applied, or the first answer
# is kept and returned. CONFLICT only when the first request is still running.
RETRYABLE_CODES = frozenset({"UNAVAILABLE", "INTERNAL"})


class GaveUp(Exception):
    """A change kept failing for `GIVE_UP_SECONDS`, or was refused for good."""


@dataclass
class Client:
    """Posts GraphQL to the gateway as a real client does, retrying each change with its key."""

    stack: HavnRun
    http: httpx.AsyncClient
    # What made the client retry, by kind (a code, or a lost connection), and how often.
    retried: Counter[str] = field(default_factory=Counter)
    # Changes that needed more than one request (each must still have one effect).
    retried_changes: int = 0
    _tokens: dict[str, tuple[str, float]] = field(default_factory=dict)

    async def token(self, username: str) -> str:
        cached = self._tokens.get(username)
        if cached is None or cached[1] - time.monotonic() < 60:
            answer, _ = await self._retrying(
                lambda: self.http.post(
                    self.stack.token_url,
                    data={
                        "grant_type": "password",
                        "client_id": "havn-cli",
                        "username": username,
                        "password": PASSWORD,
                    },
                )
            )
            body = answer.json()
            cached = (body["access_token"], time.monotonic() + body["expires_in"])
            self._tokens[username] = cached
        return cached[0]

    async def _retrying(self, send: Any) -> tuple[httpx.Response, int]:
        """The first answer that is not an outage, and how many requests went unanswered."""
        deadline = time.monotonic() + GIVE_UP_SECONDS
        unanswered = 0
        while True:
            try:
                response: httpx.Response = await send()
                if response.status_code < 500:
                    return response, unanswered
                self.retried[f"HTTP {response.status_code}"] += 1
            except httpx.TransportError as error:
                self.retried[type(error).__name__] += 1
            unanswered += 1
            if time.monotonic() > deadline:
                raise GaveUp("no answer")
            await asyncio.sleep(0.3)

    async def change(self, username: str, query: str, variables: dict[str, Any]) -> Any:
        """One mutation: one key, sent until it has an answer that is not an outage."""
        key = str(uuid.uuid4())
        deadline = time.monotonic() + GIVE_UP_SECONDS
        requests = 0
        while True:
            token = await self.token(username)
            response, unanswered = await self._retrying(
                lambda token=token: self.http.post(
                    f"{self.stack.gateway_url}/graphql",
                    json={"query": query, "variables": variables},
                    headers={"Authorization": f"Bearer {token}", "Idempotency-Key": key},
                )
            )
            requests += unanswered + 1
            body = response.json()
            errors = body.get("errors") or []
            if not errors:
                if requests > 1:
                    self.retried_changes += 1
                return body["data"]
            codes = {error.get("extensions", {}).get("code") for error in errors}
            still_running = codes == {"CONFLICT"} and all(
                error.get("extensions", {}).get("field") == "Idempotency-Key" for error in errors
            )
            if not (codes <= RETRYABLE_CODES or still_running):
                raise GaveUp(f"refused: {errors}")
            for code in codes:
                self.retried[str(code)] += 1
            if time.monotonic() > deadline:
                raise GaveUp(f"still failing: {errors}")
            await asyncio.sleep(0.3)


@dataclass(frozen=True)
class Settlement:
    name: str
    referral_id: str | None = None
    child_id: str | None = None


def referral_for(name: str, today: date) -> dict[str, Any]:
    """A 17-year-old: the AGE_17 milestone is due at settlement and fires once."""
    return {
        "municipality": MUNICIPALITY,
        "fullName": name,
        "dateOfBirth": (today - timedelta(days=17 * 365 + 120)).isoformat(),
        "sex": "F",
        "nationality": "AF",
        "languages": ["prs"],
        "respondBy": (today + timedelta(days=14)).isoformat(),
    }


async def settle(client: Client, name: str, today: date) -> Settlement:
    """A referral from allocation to arrival through the gateway; the child once it arrived."""
    referral = (
        await client.change(ALLOCATOR, CREATE_REFERRAL, {"input": referral_for(name, today)})
    )["createReferral"]["id"]
    await client.change(
        COORDINATOR,
        ACCEPT_REFERRAL,
        {
            "id": referral,
            "input": {"plannedArrival": today.isoformat(), "careArrangement": "GROUP_HOME"},
        },
    )
    for task in TASKS:
        await client.change(COORDINATOR, COMPLETE_TASK, {"id": referral, "task": task})
    child = (
        await client.change(
            COORDINATOR, REGISTER_ARRIVAL, {"id": referral, "on": today.isoformat()}
        )
    )["registerArrival"]["id"]
    return Settlement(name, referral, child)


@dataclass
class Load:
    """Workers settling children one after another until told to stop."""

    client: Client
    workers: int = 2
    acknowledged: list[Settlement] = field(default_factory=list)
    # Settlements a client gave up on: their referrals must still exist once, not twice.
    abandoned: list[tuple[str, str]] = field(default_factory=list)
    _stop: asyncio.Event = field(default_factory=asyncio.Event)
    _tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def start(self) -> None:
        self._tasks = [asyncio.create_task(self._work(n)) for n in range(self.workers)]

    async def stop(self) -> None:
        """Lets each worker finish the settlement in hand (retrying as long as it takes)."""
        self._stop.set()
        await asyncio.gather(*self._tasks)

    async def _work(self, worker: int) -> None:
        while not self._stop.is_set():
            name = f"Chaos Child {worker}-{uuid.uuid4().hex[:10]}"
            try:
                self.acknowledged.append(await settle(self.client, name, Clock().today()))
            except GaveUp as why:
                self.abandoned.append((name, str(why)[:300]))
