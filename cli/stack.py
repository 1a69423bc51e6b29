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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from sqlalchemy import event

from havn.clock import Clock
from havn.config import SERVICES, Settings, get_settings
from havn.db import DatabaseUrls, migrate
from havn.embedded import (
    EmbeddedNats,
    EmbeddedPostgres,
    die_with_parent,
    free_port,
    free_ports,
    listens,
    reserve_ports,
)
from havn.events.credentials import BusPermissions, service_permissions
from havn.http import IN_REQUEST
from havn.nats_cluster import EmbeddedNatsCluster
from havn.service import ServiceSpec
from havn.supervisor import StartFailed, Supervisor, Target, busy_ports


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


def bus_permissions() -> dict[str, BusPermissions]:
    """Each service's NATS permissions: its own subjects, and the durable consumers it reads."""
    permissions = {}
    for service in SERVICES:
        spec: ServiceSpec = __import__(f"services.{service}.app", fromlist=["SPEC"]).SPEC
        permissions[service] = service_permissions(
            service, [(s.durable, s.subject) for s in spec.subscriptions]
        )
    return permissions


# --- in one process: tests and benchmarks ---------------------------------------------------


@dataclass
class InProcessStack:
    """All apps as uvicorn servers in the current event loop, on free loopback ports."""

    database: DatabaseUrls
    nats_url: str
    data_dir: Path
    # Each service's NATS seed (`<service>.nk`), as the embedded server generated them.
    nats_credentials_dir: Path | None = None
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
            realm_file = realm_for_web(
                realm_file, self.data_dir, f"http://127.0.0.1:{ports['web']}"
            )
        # model_validate, not Settings(): the stack's own values, not the caller's HAVN_* env.
        self.settings = Settings.model_validate(
            {
                "env": self.env,
                "data_dir": self.data_dir,
                "database_url": self.database.app,
                "database_owner_url": self.database.owner,
                "database_system_url": self.database.system,
                "database_statistics_url": self.database.statistics,
                "database_web_url": self.database.web,
                "nats_url": self.nats_url,
                "nats_credentials_dir": self.nats_credentials_dir,
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

    @contextlib.contextmanager
    def request_statements(self) -> Iterator[dict[str, list[str]]]:
        """Every SQL statement each service runs for a request while the block runs (tests
        and benchmarks show a query's cost does not grow with its lists). Relays and
        consumers work on the same engines in the background, whatever the request (on the
        events of a test's own last writes, say): their statements are not its cost."""
        seen: dict[str, list[str]] = {service: [] for service in SERVICES}

        def recorder(service: str) -> Callable[..., None]:
            def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
                if IN_REQUEST.get():
                    seen[service].append(statement)

            return record

        listeners = [
            (self.apps[service].state.engine.sync_engine, recorder(service)) for service in SERVICES
        ]
        for engine, listener in listeners:
            event.listen(engine, "before_cursor_execute", listener)
        try:
            yield seen
        finally:
            for engine, listener in listeners:
                event.remove(engine, "before_cursor_execute", listener)

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


def realm_for_web(realm_file: Path, data_dir: Path, web_origin: str) -> Path:
    """A copy of the realm whose `havn-web` client redirects to where the web client listens."""
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


def _uvicorn(target: str, port: int, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as output:
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
            stdout=output,
            stderr=subprocess.STDOUT,
            # Its own session: Ctrl-C reaches only `havn run`, which stops the apps first.
            start_new_session=True,
            preexec_fn=die_with_parent,
        )


def _app(name: str, factory: str, port: int, env: dict[str, str], logs: Path) -> Target:
    log = logs / f"{name}.log"
    return Target(
        name=name,
        launch=lambda: _uvicorn(factory, port, env, log),
        serves=lambda: listens("127.0.0.1", port),  # uvicorn binds after its lifespan started
        log=log,
        port=port,
        variable=f"HAVN_{name.upper()}_PORT",
    )


def app_targets(settings: Settings, env: dict[str, str], logs: Path) -> list[Target]:
    """The dev identity provider, the services, the gateway and the web client,
    as `havn run` runs them.

    `env` is read at each launch: `run_processes` fills in the database and NATS URLs once
    it knows them. With `replicas` above one, each service's further replicas listen on
    free ports, and `env` tells the gateway every replica's URL (unless HAVN_<SERVICE>_URL
    already says where the services are).
    """
    # Production identity is Keycloak's; the dev identity provider refuses to run there.
    targets = (
        [_app("idp", "cli.stack:idp_app", settings.idp_port, env, logs)]
        if settings.env in ("dev", "test")
        else []
    )
    # The ports the settings name are not free for anything else chosen here.
    reserve_ports(
        getattr(settings, f"{name}_port") for name in ("idp", "gateway", "web", *SERVICES)
    )
    for service in SERVICES:
        factory = f"services.{service}.app:create_app"
        targets.append(_app(service, factory, getattr(settings, f"{service}_port"), env, logs))
        if settings.replicas == 1 or getattr(settings, f"{service}_url"):
            continue
        for number, port in enumerate(free_ports(settings.replicas - 1), start=2):
            replica = _app(f"{service}-{number}", factory, port, env, logs)
            replica.variable = None  # a free port, chosen here
            targets.append(replica)
        env[f"HAVN_{service.upper()}_URL"] = ",".join(
            f"http://127.0.0.1:{target.port}"
            for target in targets
            if target.name == service or target.name.startswith(f"{service}-")
        )
    targets.append(_app("gateway", "gateway.app:create_app", settings.gateway_port, env, logs))
    targets.append(_app("web", "web.app:create_app", settings.web_port, env, logs))
    return targets


def nats_targets(settings: Settings, env: dict[str, str]) -> tuple[list[Target], str, Path]:
    """The embedded NATS server, or cluster of `nats_cluster` servers, their URL, and where
    the services' seeds are (one place for every server: the same users everywhere)."""
    root = settings.data_dir / "nats"
    credentials = root / "credentials"
    if settings.nats_cluster == 1:
        nats = EmbeddedNats(
            root / "jetstream",
            port=free_port(),
            sync_always=True,
            permissions=bus_permissions(),
            credentials=credentials,
        )
        port = nats.port
        single = Target(
            "NATS", nats.launch, lambda: listens("127.0.0.1", port), log=root / "nats.log", layer=0
        )
        return [single], nats.url, credentials
    cluster = EmbeddedNatsCluster(
        root, size=settings.nats_cluster, permissions=bus_permissions(), credentials=credentials
    )
    # Three copies of each event: one server may die and nothing is lost or stops.
    env["HAVN_STREAM_REPLICAS"] = str(min(settings.nats_cluster, 3))
    targets = [
        Target(
            f"NATS {node.server.server_name}",
            node.server.launch,
            node.healthy,
            log=node.server.store_dir.parent / "nats.log",
            layer=0,
        )
        for node in cluster.nodes
    ]
    return targets, cluster.url, credentials


def run_processes(settings: Settings, on_ready: Callable[[Settings], None]) -> None:
    """Starts everything, calls `on_ready`, restarts what exits, stops all on Ctrl-C/SIGTERM."""
    data_dir = settings.data_dir
    data_dir.mkdir(parents=True, exist_ok=True)
    logs = data_dir / "logs"
    logs.mkdir(exist_ok=True)
    env = dict(os.environ)
    apps = app_targets(settings, env, logs)
    busy = busy_ports(apps)
    if busy:
        raise SystemExit(
            "cannot start: "
            + "; ".join(busy)
            + ".\nStop what uses it, or move Havn with the variable named, e.g. "
            "HAVN_GATEWAY_PORT=18080 make run."
        )
    supervisor = Supervisor()

    def stop(*_: object) -> None:
        raise KeyboardInterrupt

    # SIGINT too: a shell starting `havn run` in the background leaves it ignored.
    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    die_with_parent()
    failed = False
    try:
        database_url, owner_url = settings.database_url, settings.database_owner_url
        system_url, statistics_url = settings.database_system_url, settings.database_statistics_url
        web_url = settings.database_web_url
        if database_url is None:
            postgres = EmbeddedPostgres(data_dir / "postgres")
            print(f"starting PostgreSQL ({data_dir / 'postgres'}) ...", flush=True)
            supervisor.start(
                Target(
                    "PostgreSQL",
                    postgres.launch,
                    postgres.accepts_queries,
                    log=postgres.pgdata / "server.log",
                    stop_signal=signal.SIGINT,  # its "fast" shutdown
                    layer=0,
                )
            )
            urls = asyncio.run(postgres.provision())
            database_url, owner_url = urls.app, urls.owner
            system_url, statistics_url, web_url = urls.system, urls.statistics, urls.web
        if owner_url is None or system_url is None or statistics_url is None or web_url is None:
            raise SystemExit(
                "an external database needs HAVN_DATABASE_OWNER_URL (to migrate), "
                "HAVN_DATABASE_SYSTEM_URL, HAVN_DATABASE_STATISTICS_URL and HAVN_DATABASE_WEB_URL"
            )
        nats_url, nats_credentials = settings.nats_url, settings.nats_credentials_dir
        if nats_url is None:
            nats, nats_url, nats_credentials = nats_targets(settings, env)
            print(f"starting NATS JetStream ({len(nats)} server(s)) ...", flush=True)
            supervisor.start(*nats)
        print("migrating ...", flush=True)
        asyncio.run(migrate(owner_url))
        env.update(
            {
                "HAVN_ENV": settings.env,
                "HAVN_DATA_DIR": str(data_dir),
                "HAVN_DATABASE_URL": database_url,
                "HAVN_DATABASE_OWNER_URL": owner_url,
                "HAVN_DATABASE_SYSTEM_URL": system_url,
                "HAVN_DATABASE_STATISTICS_URL": statistics_url,
                "HAVN_DATABASE_WEB_URL": web_url,
                "HAVN_NATS_URL": nats_url,
                "HAVN_ISSUER": settings.issuer,
            }
        )
        if nats_credentials is not None:
            env["HAVN_NATS_CREDENTIALS_DIR"] = str(nats_credentials)
        if settings.env in ("dev", "test"):
            # The dev realm's `havn-web` redirects follow HAVN_WEB_PORT / HAVN_WEB_PUBLIC_URL.
            realm = realm_for_web(settings.realm_file, data_dir, settings.web_url())
            env["HAVN_REALM_FILE"] = str(realm)
        supervisor.start(*apps)
        on_ready(
            settings.model_copy(
                update={
                    "database_url": database_url,
                    "database_owner_url": owner_url,
                    "database_system_url": system_url,
                    "database_statistics_url": statistics_url,
                    "database_web_url": web_url,
                    "nats_url": nats_url,
                    "nats_credentials_dir": nats_credentials,
                    **{
                        f"{service}_url": env[f"HAVN_{service.upper()}_URL"]
                        for service in SERVICES
                        if f"HAVN_{service.upper()}_URL" in env
                    },
                }
            )
        )
        supervisor.supervise()
    except StartFailed as failure:
        print(failure.report(), file=sys.stderr, flush=True)
        failed = True
    except KeyboardInterrupt:
        pass
    finally:
        # A second Ctrl-C must not cut the stop short and leave processes behind.
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        print("\nstopping ...", flush=True)
        supervisor.stop()
        print("all Havn processes stopped.", flush=True)
    if failed:
        raise SystemExit(1)
