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
import json
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import nats

from havn.clock import Clock
from havn.config import PROJECT_ROOT, SERVICES
from havn.embedded import EmbeddedPostgres, free_ports, listens
from havn.events.credentials import ADMIN
from havn.events.envelope import STREAM
from tests.factories import ACCEPT_REFERRAL, COMPLETE_TASK, CREATE_REFERRAL, REGISTER_ARRIVAL, TASKS

# Asker records no care places, so any number of children may settle there.
MUNICIPALITY = "3203"
COORDINATOR = "asker-coordinator"
ALLOCATOR = "imdi-allocator"
PASSWORD = "dev"
KINDS = ("service", "gateway", "NATS", "PostgreSQL")
# The bound: every killed process serves again this soon, by itself.
RECOVERY_LIMIT_SECONDS = 30.0
START_TIMEOUT_SECONDS = 240.0
# A client gives up on one change after this long; the stack should be back long before.
GIVE_UP_SECONDS = 120.0
# How long the services get to apply every acknowledged settlement after the last kill.
SETTLE_TIMEOUT_SECONDS = 180.0
# An error a client retries with the same key: nothing was applied, or the first answer
# is kept and returned. CONFLICT only when the first request is still running.
RETRYABLE_CODES = frozenset({"UNAVAILABLE", "INTERNAL"})


# --- the stack, as `havn run` starts it -------------------------------------------------------


@dataclass(frozen=True)
class Process:
    """One process `havn run` supervises, as seen from outside in /proc."""

    label: str
    kind: str
    pid: int
    port: int
    # A cluster server's monitoring port: it serves once healthy in the cluster.
    monitor_port: int | None = None

    def serves(self) -> bool:
        if not listens("127.0.0.1", self.port):
            return False
        if self.kind == "PostgreSQL":
            return _postgres_accepts(self.port)
        if self.monitor_port is not None:
            return _nats_healthy(self.monitor_port)
        return True


def _postgres_accepts(port: int) -> bool:
    from havn.embedded import _pg_bin

    ready = subprocess.run(
        [_pg_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-t", "1"],
        capture_output=True,
        check=False,
    )
    return ready.returncode == 0


def _nats_healthy(monitor_port: int) -> bool:
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{monitor_port}/healthz", timeout=0.5
        ) as answer:
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _children(parent: int) -> Iterator[tuple[int, str, list[str]]]:
    """(pid, command name, argv) of the live children of `parent`."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == parent and state != "Z":
            yield int(entry.name), comm, [a.decode() for a in argv if a]


def _described(pid: int, comm: str, argv: list[str]) -> Process | None:
    if "--factory" in argv:
        module = argv[argv.index("--factory") + 1].split(":")[0]
        port = int(argv[argv.index("--port") + 1])
        if module.startswith("services."):
            return Process(f"{module.split('.')[1]}:{port}", "service", pid, port)
        kind = {"cli.stack": "idp"}.get(module, module.split(".")[0])
        return Process(f"{kind}:{port}", kind, pid, port)
    if comm == "postgres":
        # The postmaster names its port; its children (and a postmaster exiting) do not.
        named = next((a.split("=")[1] for a in argv if a.startswith("port=")), None)
        return Process("PostgreSQL", "PostgreSQL", pid, int(named)) if named else None
    if comm == "nats-server":
        config = Path(argv[-1])
        text = config.read_text()
        port = int(re.search(r"^listen: [\d.]+:(\d+)", text, re.M).group(1))  # type: ignore[union-attr]
        monitor = re.search(r"^http: [\d.]+:(\d+)", text, re.M)
        return Process(
            f"NATS {config.parent.name}",
            "NATS",
            pid,
            port,
            int(monitor.group(1)) if monitor else None,
        )
    return None


@dataclass
class HavnRun:
    """`python -m cli run` over a scratch data directory, on free ports."""

    data_dir: Path
    replicas: int = 1
    nats_cluster: int = 1
    process: subprocess.Popen[bytes] | None = None
    gateway_url: str = ""
    token_url: str = ""
    expected: frozenset[str] = frozenset()

    @property
    def output(self) -> Path:
        return self.data_dir / "havn-run.out"

    def start(self) -> HavnRun:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        names = ("idp", "gateway", "web", *SERVICES)
        ports = dict(zip(names, free_ports(len(names)), strict=True))
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("HAVN_")},
            "HAVN_ENV": "test",
            "HAVN_DATA_DIR": str(self.data_dir),
            "HAVN_REPLICAS": str(self.replicas),
            "HAVN_NATS_CLUSTER": str(self.nats_cluster),
            # The scheduler looks often, so milestones due at settlement fire during the run.
            "HAVN_MILESTONE_SCAN_INTERVAL": "1",
            **{f"HAVN_{name.upper()}_PORT": str(port) for name, port in ports.items()},
        }
        self.gateway_url = f"http://127.0.0.1:{ports['gateway']}"
        self.token_url = (
            f"http://127.0.0.1:{ports['idp']}/realms/havn/protocol/openid-connect/token"
        )
        with self.output.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cli", "run"],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while "Havn is running" not in self.output.read_text(errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"havn run did not start:\n{self.output.read_text()[-3000:]}")
            time.sleep(0.2)
        self.expected = frozenset(p.label for p in self.processes())
        return self

    def processes(self) -> list[Process]:
        assert self.process is not None
        found = [_described(*child) for child in _children(self.process.pid)]
        return [p for p in found if p is not None]

    def stop(self) -> None:
        """Ctrl-C, as a user stops it; it stops everything it started."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(90)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def superuser_dsn(self) -> str:
        postgres = EmbeddedPostgres.running(self.data_dir / "postgres")
        assert postgres is not None, "PostgreSQL is not running"
        return (
            f"postgresql://postgres:{postgres.password('postgres')}@127.0.0.1:{postgres.port}/havn"
        )

    def nats_urls(self) -> list[str]:
        return [f"nats://127.0.0.1:{p.port}" for p in self.processes() if p.kind == "NATS"]


# --- a client that retries with its key ---------------------------------------------------------


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


# --- killing, and waiting for the stack to be whole again --------------------------------------


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


# --- what became of every settlement -----------------------------------------------------------


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


# --- one run ------------------------------------------------------------------------------------


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
