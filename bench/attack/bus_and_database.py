"""The bus and the database: without credentials, or with the wrong ones."""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import Any

import asyncpg
import nats
import nats.errors

from bench.attack.figures import Figures
from bench.attack.target import Target
from havn.config import SERVICES
from havn.db import APP_ROLE, ROLES
from havn.events.credentials import ensure_seeds, seed_file
from tests.factories import BERGEN
from tests.security.test_bus_auth import Session


async def probe_bus(target: Target, figures: Figures) -> None:
    category = "bus and database"
    if target.nats_url is None:
        figures.note(category, "NATS's port not found: bus not probed")
        return
    with tempfile.TemporaryDirectory() as scratch:
        stranger = seed_file(Path(scratch), "care")
        ensure_seeds(Path(scratch), ["care"])  # a well-formed key the server does not know
        await try_to_connect(target.nats_url, figures, stranger)
    if not seed_file(target.nats_credentials_dir, "care").exists():
        figures.note(category, "no service's seed readable: publishing as another not probed")
        return
    # With care's own seed (its owner can read it): act as intake, and read what care may not.
    acts = {
        "care publishing intake's child.settled": publish_as_intake,
        "care subscribing to every event": subscribe_to_everything,
        "care making a consumer of intake's referrals": consume_referrals,
    }
    for label, act in acts.items():
        session = await Session().open_at(target.nats_url, target.nats_credentials_dir, "care")
        try:
            got_in = await act(session)
        finally:
            await session.client.close()
        figures.probe(category, got_in, label)


async def try_to_connect(url: str, figures: Figures, stranger: Path) -> None:
    category = "bus and database"
    attempts: dict[str, dict[str, Any]] = {
        "NATS without credentials": {},
        "NATS with a guessed user and password": {"user": "admin", "password": "admin"},
        "NATS with a guessed token": {"token": "havn"},
        "NATS with an unknown NKEY": {"nkeys_seed": str(stranger)},
    }
    for label, credentials in attempts.items():
        try:
            client = await nats.connect(
                url,
                allow_reconnect=False,
                max_reconnect_attempts=0,
                connect_timeout=5,
                error_cb=ignore,
                **credentials,
            )
        except (nats.errors.Error, OSError):
            figures.probe(category, False)
        else:
            figures.probe(category, True, f"{label}: connected")
            await client.close()


async def ignore(_: Exception) -> None:
    """The refusal is the exception `connect` raises: nothing to log besides."""


async def publish_as_intake(session: Session) -> bool:
    subject = f"havn.intake.child.settled.{BERGEN}"
    try:
        await session.client.jetstream().publish(subject, b"{}", timeout=2)
    except nats.errors.TimeoutError:
        return not await refused(session, f'publish to "{subject}"')
    return True


async def subscribe_to_everything(session: Session) -> bool:
    await session.client.subscribe("havn.>")
    await session.client.flush()
    return not await refused(session, 'subscription to "havn.>"')


async def consume_referrals(session: Session) -> bool:
    from nats.js.api import ConsumerConfig
    from nats.js.errors import APIError

    name = f"attack-{uuid.uuid4().hex[:8]}"
    try:
        await session.client.jetstream().add_consumer(
            "HAVN", ConsumerConfig(name=name, filter_subject="havn.intake.referral.>"), timeout=2
        )
    except (nats.errors.TimeoutError, APIError):
        return not await refused(session, f'publish to "$JS.API.CONSUMER.CREATE.HAVN.{name}')
    return True


async def refused(session: Session, what: str) -> bool:
    try:
        return await session.refused(what)
    except AssertionError:  # the server sent no error at all
        return False


STATISTICS_CALLS = (
    "select * from intake.national_statistics("
    "'SETTLED_CHILDREN', array['MUNICIPALITY'], null, array[13], '{}', '{}')",
    "select * from transition.national_statistics("
    "'OUTCOME_EDUCATION_OR_WORK_RATE', array['OUTCOME_MILESTONE'], null, array[13])",
)
# Tenant tables the system flag would open to a role allowed to use it.
TENANT_TABLES = (
    *(f"{service}.outbox" for service in SERVICES),
    *(f"{service}.inbox" for service in SERVICES),
    "intake.children",
    "audit.access_log",
)


async def probe_database(target: Target, figures: Figures) -> None:
    category = "bus and database"
    if target.postgres is None:
        figures.note(category, "PostgreSQL's port not found: database not probed")
        return
    host, port = target.postgres
    for role in (*ROLES, "postgres"):
        for label, password in (("no password", ""), ("its name as password", role)):
            try:
                connection = await asyncpg.connect(
                    host=host,
                    port=port,
                    user=role,
                    password=password,
                    database="havn",
                    timeout=10,
                )
            except (asyncpg.PostgresError, OSError):
                figures.probe(category, False)
            else:
                figures.probe(category, True, f"{role} with {label}: connected")
                await connection.close()
    if target.app_password is None:
        figures.note(category, "havn_app's password not readable: its acts not probed")
        return
    app = await asyncpg.connect(
        host=host, port=port, user=APP_ROLE, password=target.app_password, database="havn"
    )
    try:
        for table in TENANT_TABLES:
            try:
                async with app.transaction():
                    await app.execute("select set_config('havn.system', 'on', true)")
                    rows = await app.fetchval(f"select count(*) from {table}")
            except asyncpg.PostgresError:
                rows = 0
            figures.probe(category, rows > 0, f"havn_app with havn.system on read {table}")
        for label, statement in (
            ("became havn_system", "set role havn_system"),
            ("read the web sessions", "select count(*) from web.sessions"),
            *(("called the statistics function", call) for call in STATISTICS_CALLS),
        ):
            try:
                async with app.transaction():
                    await app.execute("select set_config('havn.tenant', $1, true)", BERGEN)
                    await app.execute(statement)
            except asyncpg.PostgresError:
                figures.probe(category, False)
            else:
                figures.probe(category, True, f"havn_app {label}")
    finally:
        await app.close()
