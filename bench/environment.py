"""What the benchmarks run against: real PostgreSQL and NATS, 100,000 synthetic children (and
a caseload of Bergen's own, where the dev users work), and the stack either as its real
processes (one per component, as `make run` and production run it, the staff web client
included: the latency budgets) or in this process (so SQL statements and service calls can be
counted: the cost budget)."""

from __future__ import annotations

import html
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

from cli.seed import DEMO_MUNICIPALITIES
from cli.stack import InProcessStack, bus_permissions, realm_for_web
from cli.synthetic import (
    CARE_CHILDREN,
    MUNICIPALITIES,
    ProgressBar,
    municipality_batch,
    seed_synthetic,
    write_batch,
)
from havn.clock import Clock
from havn.config import SERVICES, Settings
from havn.db import DatabaseUrls, migrate
from havn.embedded import EmbeddedNats, EmbeddedPostgres, free_port, stop_process, wait_for_port
from services.care.models import Base as CareBase
from web.sessions import COOKIE

DEV_PASSWORD = "dev"  # noqa: S105 - the dev realm's published password
CARE_PLANS = CareBase.metadata.tables["care.care_plans"]
BERGEN = "4601"
# Bergen's caseload: more than the largest page (500), so that pages of 10, 50 and 500 are full.
BERGEN_CHILDREN = 600
LOGIN_FORM = re.compile(r'<form id="kc-form-login" action="([^"]+)"')


@dataclass(frozen=True)
class Endpoints:
    gateway: str
    issuer: str
    services: dict[str, str]
    # The staff web client, where it runs (as a process).
    web: str | None = None
    # The process of each component (idp, gateway, services), where they run as processes.
    pids: dict[str, int] = field(default_factory=dict)

    @property
    def token_url(self) -> str:
        return f"{self.issuer}/protocol/openid-connect/token"


class Client:
    """Real tokens from the dev identity provider; GraphQL to the gateway, REST to services."""

    def __init__(self, endpoints: Endpoints, http: httpx.AsyncClient) -> None:
        self.endpoints = endpoints
        self.http = http
        self.tokens: dict[str, str] = {}
        self.web_sessions: dict[str, str] = {}

    async def token(self, username: str) -> str:
        if username not in self.tokens:
            response = await self.http.post(
                self.endpoints.token_url,
                data={
                    "grant_type": "password",
                    "client_id": "havn-cli",
                    "username": username,
                    "password": DEV_PASSWORD,
                },
            )
            response.raise_for_status()
            self.tokens[username] = response.json()["access_token"]
        return self.tokens[username]

    async def graphql(
        self, username: str, query: str, variables: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        response = await self.http.post(
            f"{self.endpoints.gateway}/graphql",
            json={"query": query, "variables": variables or {}},
            headers={"Authorization": f"Bearer {await self.token(username)}"},
        )
        body: dict[str, Any] = response.json()
        if body.get("errors"):
            raise RuntimeError(f"{username}: {body['errors']}")
        data: dict[str, Any] = body["data"]
        return data

    async def web_session(self, username: str) -> str:
        """A signed-in web session, through the client's real sign-in: the authorization code
        flow with the identity provider's login page. Returns the session cookie's value."""
        if username not in self.web_sessions:
            web = self.endpoints.web
            assert web is not None, "the web client runs only as a process"
            # Its own cookie jar for the identity provider's cookies; the client's cookie is
            # Secure (sent by browsers to 127.0.0.1 over http, by httpx not), so set by hand.
            async with httpx.AsyncClient(timeout=30) as browser:
                start = await browser.get(f"{web}/sign-in", params={"next": "/children"})
                login = await browser.get(start.headers["location"])
                form = LOGIN_FORM.search(login.text)
                assert form is not None, "no login form on the identity provider's page"
                answer = await browser.post(
                    html.unescape(form[1]),
                    data={"username": username, "password": DEV_PASSWORD, "credentialId": ""},
                )
                back = await browser.get(
                    answer.headers["location"],
                    headers={"Cookie": f"{COOKIE}={_web_cookie(start)}"},
                )
                self.web_sessions[username] = _web_cookie(back)
        return self.web_sessions[username]

    async def page(self, username: str, path: str) -> httpx.Response:
        """A page of the staff web client, as a signed-in browser asks for it."""
        response = await self.http.get(
            f"{self.endpoints.web}{path}",
            headers={"Cookie": f"{COOKIE}={await self.web_session(username)}"},
        )
        if response.status_code != 200:
            raise RuntimeError(f"{username}: {path} answered {response.status_code}")
        return response

    async def service(
        self, username: str, service: str, method: str, path: str, **kwargs: Any
    ) -> Any:
        response = await self.http.request(
            method,
            self.endpoints.services[service] + path,
            headers={"Authorization": f"Bearer {await self.token(username)}"},
            **kwargs,
        )
        response.raise_for_status()
        return response.json()


def _web_cookie(response: httpx.Response) -> str:
    for header in response.headers.get_list("set-cookie"):
        name, _, rest = header.partition("=")
        if name == COOKIE:
            return rest.split(";", 1)[0]
    raise RuntimeError(f"no session cookie from {response.request.url.path}")


@dataclass
class Environment:
    database: DatabaseUrls
    nats_url: str
    scratch: Path
    client: Client
    # Set while the in-process stack runs (the cost budget), else None.
    stack: InProcessStack | None = None
    # PostgreSQL's first process: its tree is the server and every backend.
    postgres_pid: int | None = None


_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _stat(pid: int) -> list[str]:
    # /proc/<pid>/stat: the fields after the command name, which may hold spaces.
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def _descendants(pid: int) -> list[int]:
    parents: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents.setdefault(int(_stat(int(entry.name))[1]), []).append(int(entry.name))
            except (OSError, IndexError):
                continue  # gone meanwhile
    found, todo = [], [pid]
    while todo:
        found.append(todo.pop())
        todo += parents.get(found[-1], [])
    return found


def cpu_seconds(env: Environment) -> dict[str, float]:
    """CPU time each component has used so far (Linux /proc; empty elsewhere)."""
    if not Path("/proc/self/stat").exists():
        return {}
    pids = {name: [pid] for name, pid in env.client.endpoints.pids.items()}
    if env.postgres_pid is not None:
        pids["postgres"] = _descendants(env.postgres_pid)
    used: dict[str, float] = {}
    for name, tree in pids.items():
        total = 0
        for pid in tree:
            try:
                fields = _stat(pid)
            except OSError:
                continue
            total += int(fields[11]) + int(fields[12])  # utime + stime
        used[name] = total / _TICKS
    return used


@asynccontextmanager
async def servers(
    children: int,
) -> AsyncIterator[tuple[DatabaseUrls, str, Path, int | None, Path]]:
    """PostgreSQL and NATS JetStream, migrated and seeded with `children` synthetic children;
    last, the directory of the services' NATS credentials."""
    with tempfile.TemporaryDirectory(prefix="havn-bench-") as scratch:
        root = Path(scratch)
        postgres = EmbeddedPostgres(root / "postgres", ephemeral=True)
        # As `make run` and production: JetStream syncs every write to disk.
        nats = EmbeddedNats(root / "nats", sync_always=True, permissions=bus_permissions())
        postgres.start()
        nats.start()
        try:
            database = await postgres.provision()
            await migrate(database.owner)
            started = time.monotonic()
            progress = ProgressBar(children, "seeding synthetic children")
            await seed_synthetic(database.owner, children=children, progress=progress.advance)
            await seed_bergen_caseload(database.owner, BERGEN_CHILDREN)
            print(
                f"INFO seeded {children} children, and {BERGEN_CHILDREN} in Bergen, "
                f"in {time.monotonic() - started:.0f} s"
            )
            pid = postgres.process.pid if postgres.process is not None else None
            yield database, nats.url, root, pid, nats.credentials_dir
        finally:
            nats.stop()
            postgres.stop()


async def seed_bergen_caseload(owner_url: str, children: int, seed: int = 11) -> None:
    """The demo municipalities, and in Bergen (where the dev users work) `children` children in
    care: synthetic data's rows, with the care plans and contact persons a caseload shows."""
    rng = random.Random(seed)
    today = Clock().today()
    batch = municipality_batch(BERGEN, children, rng, today)
    for child in batch.rows[CARE_CHILDREN]:
        # Most have a contact person (a tenth bergen-contact, as the dev realm has one).
        share = rng.random()
        contact = "bergen-contact" if share < 0.1 else None if share > 0.85 else "contact-2"
        child.update(contact_person=contact, contact_assigned_on=child["settled_on"])
        status = rng.choices(["APPROVED", "DRAFT", "REVISED"], weights=[60, 30, 10])[0]
        batch.add(
            CARE_PLANS,
            {
                "child_id": child["id"],
                "tenant_id": BERGEN,
                "status": status,
                "childs_own_words": None,
                "approved_on": child["settled_on"] if status != "DRAFT" else None,
                "version": 1,
                # A few assessments overdue, the rest due within half a year.
                "next_assessment_due": today + timedelta(days=rng.randint(-30, 180)),
            },
        )
    engine = create_async_engine(owner_url, poolclass=NullPool)
    try:
        async with async_sessionmaker(engine)() as session, session.begin():
            await session.execute(
                insert(MUNICIPALITIES).on_conflict_do_nothing(),
                [{"number": n, "name": name} for n, name in DEMO_MUNICIPALITIES.items()],
            )
            await write_batch(session, batch)
            # After the children (foreign key): synthetic data writes no care plans.
            await session.execute(insert(CARE_PLANS), batch.rows[CARE_PLANS])
    finally:
        await engine.dispose()


@contextmanager
def processes(
    database: DatabaseUrls, nats_url: str, nats_credentials: Path, data_dir: Path
) -> Iterator[Endpoints]:
    """The identity provider, four services, the gateway and the staff web client, each its own
    uvicorn process on a free port."""
    ports = {name: free_port() for name in ("idp", "gateway", "web", *SERVICES)}
    issuer = f"http://127.0.0.1:{ports['idp']}/realms/havn"
    web = f"http://127.0.0.1:{ports['web']}"
    data_dir.mkdir(parents=True, exist_ok=True)
    # The realm's `havn-web` client redirects to where the web client listens.
    realm = realm_for_web(Settings.model_fields["realm_file"].default, data_dir, web)
    env = {
        **os.environ,
        "HAVN_ENV": "test",
        "HAVN_DATA_DIR": str(data_dir),
        "HAVN_DATABASE_URL": database.app,
        "HAVN_DATABASE_OWNER_URL": database.owner,
        "HAVN_DATABASE_SYSTEM_URL": database.system,
        "HAVN_DATABASE_STATISTICS_URL": database.statistics,
        "HAVN_DATABASE_WEB_URL": database.web,
        "HAVN_NATS_URL": nats_url,
        "HAVN_NATS_CREDENTIALS_DIR": str(nats_credentials),
        "HAVN_ISSUER": issuer,
        "HAVN_LOG_LEVEL": "warning",
        "HAVN_REALM_FILE": str(realm),
        **{f"HAVN_{name.upper()}_PORT": str(port) for name, port in ports.items()},
    }
    targets = [("idp", "cli.stack:idp_app")]
    targets += [(s, f"services.{s}.app:create_app") for s in SERVICES]
    targets.append(("gateway", "gateway.app:create_app"))
    targets.append(("web", "web.app:create_app"))
    logs = data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    started: list[subprocess.Popen[bytes]] = []
    try:
        for name, target in targets:
            log = (logs / f"{name}.log").open("ab")
            started.append(
                subprocess.Popen(
                    [
                        sys.executable,
                        "-m",
                        "uvicorn",
                        "--factory",
                        target,
                        "--port",
                        str(ports[name]),
                        "--log-level",
                        "warning",
                        "--no-access-log",
                    ],
                    env=env,
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            )
            wait_for_port("127.0.0.1", ports[name], process=started[-1], timeout=60)
        yield Endpoints(
            gateway=f"http://127.0.0.1:{ports['gateway']}",
            issuer=issuer,
            services={s: f"http://127.0.0.1:{ports[s]}" for s in SERVICES},
            web=web,
            pids={name: process.pid for (name, _), process in zip(targets, started, strict=True)},
        )
    finally:
        for process in reversed(started):
            stop_process(process, signal.SIGTERM)


@asynccontextmanager
async def in_process(
    database: DatabaseUrls, nats_url: str, nats_credentials: Path, data_dir: Path
) -> AsyncIterator[InProcessStack]:
    stack = await InProcessStack(
        database=database,
        nats_url=nats_url,
        nats_credentials_dir=nats_credentials,
        data_dir=data_dir,
    ).start()
    try:
        yield stack
    finally:
        await stack.stop()


def endpoints_of(stack: InProcessStack) -> Endpoints:
    return Endpoints(
        gateway=stack.gateway_url,
        issuer=stack.settings.issuer,
        services={s: stack.settings.service_url(s) for s in SERVICES},
    )
