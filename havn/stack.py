"""The whole Havn stack: identity provider, four services, the gateway and the web client.

`make run` starts each as its own process, as in production (`run_processes`); tests
and benchmarks start the same apps in one event loop on real loopback ports
(`InProcessStack`), so they can count SQL statements and move the clock.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import uvicorn
from fastapi import FastAPI

from havn.clock import Clock
from havn.config import SERVICES, Settings, get_settings
from havn.db import DatabaseUrls, migrate, provision
from havn.embedded import (
    EmbeddedNats,
    EmbeddedPostgres,
    die_with_parent,
    free_port,
    stop_process,
    wait_for_port,
)


def idp_app() -> FastAPI:
    """The dev identity provider, configured from the environment (a uvicorn factory)."""
    from havn.auth.idp import create_app

    settings = get_settings()
    return create_app(
        realm_file=settings.realm_file,
        keys_dir=settings.data_dir / "keys",
        issuer=settings.issuer,
        env=settings.env,
    )


def service_app(service: str, settings: Settings, clock: Clock | None = None) -> FastAPI:
    module = __import__(f"services.{service}.app", fromlist=["create_app"])
    app: FastAPI = module.create_app(settings, clock)
    return app


# --- in one process: tests and benchmarks ---------------------------------------------------


@dataclass
class InProcessStack:
    """All apps as uvicorn servers in the current event loop, on free loopback ports."""

    database: DatabaseUrls
    nats_url: str
    data_dir: Path
    clock: Clock = field(default_factory=Clock)
    env: str = "test"
    # The staff web client too (it needs web/node_modules: `npm ci` in web/).
    with_web: bool = False
    settings: Settings = field(init=False)
    apps: dict[str, FastAPI] = field(init=False, default_factory=dict)
    _servers: list[tuple[uvicorn.Server, asyncio.Task[None]]] = field(
        init=False, default_factory=list
    )

    def __post_init__(self) -> None:
        ports = {name: free_port() for name in ("idp", "gateway", "web", *SERVICES)}
        realm_file: Path = Settings.model_fields["realm_file"].default
        if self.with_web:
            realm_file = _realm_for_web(
                realm_file, self.data_dir, f"http://127.0.0.1:{ports['web']}"
            )
        # model_validate, not Settings(): the stack's own values, not the caller's HAVN_* env.
        self.settings = Settings.model_validate(
            {
                "env": self.env,
                "data_dir": self.data_dir,
                "database_url": self.database.app,
                "database_owner_url": self.database.owner,
                "nats_url": self.nats_url,
                "issuer": f"http://127.0.0.1:{ports['idp']}/realms/havn",
                "idp_port": ports["idp"],
                "gateway_port": ports["gateway"],
                "web_port": ports["web"],
                "realm_file": realm_file,
                **{f"{service}_port": ports[service] for service in SERVICES},
            }
        )

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.settings.gateway_port}"

    @property
    def web_url(self) -> str:
        return self.settings.web_url()

    @property
    def token_url(self) -> str:
        return f"{self.settings.issuer}/protocol/openid-connect/token"

    async def start(self) -> InProcessStack:
        from gateway.app import create_app as create_gateway
        from havn.auth.idp import create_app as create_idp

        settings = self.settings
        await self._serve(
            "idp",
            create_idp(
                realm_file=settings.realm_file,
                keys_dir=self.data_dir / "keys",
                issuer=settings.issuer,
                env=settings.env,
            ),
            settings.idp_port,
        )
        for service in SERVICES:
            await self._serve(
                service,
                service_app(service, settings, self.clock),
                getattr(settings, f"{service}_port"),
            )
        await self._serve("gateway", create_gateway(settings), settings.gateway_port)
        if self.with_web:
            from web.app import create_app as create_web

            await self._serve("web", create_web(settings, self.clock), settings.web_port)
        return self

    async def _serve(self, name: str, app: FastAPI, port: int) -> None:
        server = uvicorn.Server(
            uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
        )
        task = asyncio.create_task(server.serve(), name=f"havn-{name}")
        while not server.started:
            if task.done():
                task.result()  # raises why the server could not start
            await asyncio.sleep(0.01)
        self.apps[name] = app
        self._servers.append((server, task))

    async def stop(self) -> None:
        for server, _ in reversed(self._servers):
            server.should_exit = True
        for _, task in reversed(self._servers):
            with contextlib.suppress(asyncio.CancelledError):
                await task
        self._servers.clear()


def _realm_for_web(realm_file: Path, data_dir: Path, web_origin: str) -> Path:
    """A copy of the realm whose `havn-web` client redirects to the web client's test port."""
    realm = json.loads(realm_file.read_text())
    for client in realm["clients"]:
        if client["clientId"] == "havn-web":
            client["rootUrl"] = web_origin
            client["redirectUris"] = [f"{web_origin}/*"]
            client["webOrigins"] = [web_origin]
            client["attributes"]["post.logout.redirect.uris"] = f"{web_origin}/*"
    copy = data_dir / "havn-realm.json"
    copy.write_text(json.dumps(realm))
    return copy


# --- one process each: `make run` -----------------------------------------------------------


@dataclass
class Process:
    name: str
    url: str
    popen: subprocess.Popen[bytes]


def _uvicorn(target: str, port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            target,
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            "warning",
            "--no-access-log",
        ],
        env=env,
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
        preexec_fn=die_with_parent,
    )


def run_processes(settings: Settings, on_ready: Callable[[Settings], None]) -> None:
    """Starts everything, calls `on_ready`, and stops everything on Ctrl-C or SIGTERM."""
    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    logs = data_dir / "logs"
    logs.mkdir(exist_ok=True)
    started: list[Process] = []
    postgres: EmbeddedPostgres | None = None
    nats: EmbeddedNats | None = None

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    die_with_parent()
    try:
        database_url, owner_url = settings.database_url, settings.database_owner_url
        if database_url is None:
            postgres = EmbeddedPostgres(data_dir / "postgres")
            print(f"starting PostgreSQL ({data_dir / 'postgres'}) ...", flush=True)
            postgres.start()
            urls = asyncio.run(provision(postgres.superuser_url))
            database_url, owner_url = urls.app, urls.owner
        if owner_url is None:
            raise SystemExit("HAVN_DATABASE_OWNER_URL is needed to migrate an external database")
        nats_url = settings.nats_url
        if nats_url is None:
            nats = EmbeddedNats(data_dir / "nats" / "jetstream", sync_always=True)
            print("starting NATS JetStream ...", flush=True)
            nats.start()
            nats_url = nats.url
        print("migrating ...", flush=True)
        asyncio.run(migrate(owner_url))
        env = {
            **os.environ,
            "HAVN_ENV": settings.env,
            "HAVN_DATA_DIR": str(data_dir),
            "HAVN_DATABASE_URL": database_url,
            "HAVN_DATABASE_OWNER_URL": owner_url,
            "HAVN_NATS_URL": nats_url,
            "HAVN_ISSUER": settings.issuer,
        }
        # Production identity is Keycloak's; the dev identity provider refuses to run there.
        dev_identity = settings.env in ("dev", "test")
        targets = [("idp", "havn.stack:idp_app", settings.idp_port)] if dev_identity else []
        targets += [
            (s, f"services.{s}.app:create_app", getattr(settings, f"{s}_port")) for s in SERVICES
        ]
        targets.append(("gateway", "gateway.app:create_app", settings.gateway_port))
        targets.append(("web", "web.app:create_app", settings.web_port))
        for name, target, port in targets:
            popen = _uvicorn(target, port, env, logs / f"{name}.log")
            started.append(Process(name, f"http://127.0.0.1:{port}", popen))
        for process in started:
            try:
                wait_for_port(
                    "127.0.0.1",
                    int(process.url.rsplit(":", 1)[1]),
                    process=process.popen,
                    timeout=60,
                )
            except (RuntimeError, TimeoutError) as error:
                raise SystemExit(
                    f"{process.name} did not start ({error}); see {logs / (process.name + '.log')}"
                ) from None
        _wait_ready(f"http://127.0.0.1:{settings.gateway_port}/readyz")
        on_ready(
            settings.model_copy(
                update={
                    "database_url": database_url,
                    "database_owner_url": owner_url,
                    "nats_url": nats_url,
                }
            )
        )
        while all(p.popen.poll() is None for p in started):
            time.sleep(0.5)
        failed = [p.name for p in started if p.popen.poll() is not None]
        print(f"stopped: {', '.join(failed)} exited; see {logs}", flush=True)
    except KeyboardInterrupt:
        print("\nstopping ...", flush=True)
    finally:
        for process in reversed(started):
            stop_process(process.popen, signal.SIGTERM)
        if nats is not None:
            nats.stop()
        if postgres is not None:
            postgres.stop()
        print("all Havn processes stopped.", flush=True)


def _wait_ready(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=2).status_code == 200:
                return
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not become ready")
