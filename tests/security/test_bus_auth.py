"""The message bus authenticates: nobody gets in without credentials, a service publishes only
its own events and reads only what it consumes, and a consumer refuses a forged source."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import nats
import nats.errors
import pytest
from nats.aio.client import Client
from nats.js import JetStreamContext
from nats.js.api import ConsumerConfig
from nats.js.errors import APIError
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from cli.stack import InProcessStack, bus_permissions
from havn.config import SERVICES
from havn.db import scoped_transaction
from havn.embedded import EmbeddedNats
from havn.events.contracts.intake import ChildSettledV1
from havn.events.credentials import ADMIN, ensure_seeds, seed_file, write_secret
from havn.events.envelope import STREAM, Envelope
from havn.events.stream import connect
from tests.client import GraphQLClient
from tests.waiting import eventually

BERGEN = "4601"
PERMISSION_REFUSED = "permissions violation"


class Session:
    """One NATS connection as a given user, keeping the errors the server sent it."""

    def __init__(self) -> None:
        self.errors: list[str] = []
        self.client = Client()

    async def open(self, server: EmbeddedNats, user: str) -> Session:
        return await self.open_at(server.url, server.credentials_dir, user)

    async def open_at(self, url: str, credentials_dir: Path, user: str) -> Session:
        """As `user`, with its seed from `credentials_dir` (`make attack`: the data dir's)."""

        async def on_error(error: Exception) -> None:
            self.errors.append(str(error).lower())

        await self.client.connect(
            url,
            nkeys_seed=str(seed_file(credentials_dir, user)),
            inbox_prefix=f"_INBOX.{user}",
            error_cb=on_error,
            allow_reconnect=False,
        )
        return self

    async def refused(self, what: str) -> bool:
        """Whether the server has told this connection that `what` (`publish to "…"`,
        `subscription to "…"`) overstepped its permissions."""
        refusal = f"{PERMISSION_REFUSED} for {what}".lower()
        await eventually(lambda: asyncio.sleep(0, self.errors), lambda errors: bool(errors))
        return any(refusal in error for error in self.errors)


@pytest.fixture
async def as_care(nats_server: EmbeddedNats) -> AsyncIterator[Session]:
    session = await Session().open(nats_server, "care")
    yield session
    await session.client.close()


@pytest.fixture
async def admin(nats_server: EmbeddedNats) -> AsyncIterator[JetStreamContext]:
    client, js = await connect(
        nats_server.url, user=ADMIN, credentials_dir=nats_server.credentials_dir
    )
    yield js
    await client.close()


async def test_a_client_without_credentials_is_refused(nats_server: EmbeddedNats) -> None:
    with pytest.raises(nats.errors.Error, match=r"(?i)authorization"):
        await nats.connect(nats_server.url, allow_reconnect=False, max_reconnect_attempts=0)


async def test_a_client_with_an_unknown_key_is_refused(
    nats_server: EmbeddedNats, tmp_path: Path
) -> None:
    ensure_seeds(tmp_path, ["care"])  # a well-formed seed the server does not know
    with pytest.raises(nats.errors.Error, match=r"(?i)authorization"):
        await nats.connect(
            nats_server.url,
            nkeys_seed=str(seed_file(tmp_path, "care")),
            allow_reconnect=False,
            max_reconnect_attempts=0,
        )


async def test_a_service_cannot_publish_as_another_service(
    stack: InProcessStack, as_care: Session, admin: JetStreamContext
) -> None:
    subject = f"havn.intake.child.settled.{BERGEN}"
    before = await _stored(admin, subject)
    js = as_care.client.jetstream()
    with pytest.raises(nats.errors.TimeoutError):
        await js.publish(subject, b"{}", timeout=1)
    assert await as_care.refused(f'publish to "{subject}"')
    assert await _stored(admin, subject) == before


async def test_a_service_cannot_make_a_consumer_of_events_it_does_not_consume(
    as_care: Session,
) -> None:
    js = as_care.client.jetstream()
    with pytest.raises((nats.errors.TimeoutError, APIError)):
        await js.add_consumer(
            STREAM,
            ConsumerConfig(name="care-spy", filter_subject="havn.intake.referral.>"),
            timeout=1,
        )
    assert await as_care.refused('publish to "$JS.API.CONSUMER.CREATE.HAVN.care-spy')


async def test_a_service_cannot_subscribe_to_the_events_subjects(as_care: Session) -> None:
    await as_care.client.subscribe("havn.>")
    await as_care.client.flush()
    assert await as_care.refused('subscription to "havn.>"')


async def test_a_service_publishes_its_own_events(nats_server: EmbeddedNats) -> None:
    session = await Session().open(nats_server, "care")
    try:
        ack = await session.client.jetstream().publish(
            f"havn.care.probe.sent.{BERGEN}", b"{}", timeout=5
        )
    finally:
        await session.client.close()
    assert ack.stream == STREAM


async def test_a_forged_envelope_whose_type_is_not_its_subject_is_parked_not_applied(
    stack: InProcessStack,
    gql: GraphQLClient,
    nats_server: EmbeddedNats,
    app_sessionmaker: async_sessionmaker[AsyncSession],
) -> None:
    """Transition may publish under `havn.transition.`; it forges intake's child.settled
    there, where care consumes milestones."""
    phantom = uuid.uuid4()
    forged = Envelope(
        type=ChildSettledV1.event_type,
        version=ChildSettledV1.version,
        tenant=BERGEN,
        actor="intruder",
        data=ChildSettledV1(
            child_id=phantom,
            referral_id=uuid.uuid4(),
            first_name="Phantom",
            full_name="Phantom Child",
            date_of_birth=date(2012, 1, 1),
            date_of_birth_estimated=False,
            sex="female",
            nationality="SY",
            languages=["ar"],
            care_arrangement="foster_care",
            settled_on=date(2026, 1, 1),
        ).model_dump(mode="json"),
    )
    subject = f"havn.transition.milestone.reached.{BERGEN}"
    transition = await Session().open(nats_server, "transition")
    try:
        await transition.client.jetstream().publish(
            subject, forged.model_dump_json().encode(), timeout=5
        )
    finally:
        await transition.client.close()

    async def forged_letters() -> list[dict[str, Any]]:
        response = await gql.service(
            "platform-admin", "care", "GET", "/v1/dead-letters", params={"first": 100}
        )
        return [
            item
            for item in response.json()["items"]
            if item["subject"] == subject and item["consumer"] == "care-transition-milestone"
        ]

    parked = await eventually(forged_letters, lambda letters: bool(letters), within=30)
    assert {letter["error_type"] for letter in parked} == {"ForeignEnvelope"}
    async with scoped_transaction(app_sessionmaker, tenant=BERGEN) as session:
        kept = await session.scalar(
            text("select count(*) from care.children where id = :id"), {"id": phantom}
        )
    assert kept == 0


async def _stored(js: JetStreamContext, subject: str) -> int:
    info = await js.stream_info(STREAM, subjects_filter=subject)
    return (info.state.subjects or {}).get(subject, 0)


async def test_a_restarted_embedded_nats_lets_in_the_same_services_from_owner_only_files(
    tmp_path: Path,
) -> None:
    server = EmbeddedNats(
        tmp_path / "jetstream", sync_always=False, permissions=bus_permissions()
    ).start()
    try:
        seeds = {path.name: path.read_text() for path in server.credentials_dir.glob("*.nk")}
        server.stop()
        server.start()  # as the supervisor relaunches it: same port, config written again
        session = await Session().open(server, "care")
        await session.client.close()
    finally:
        server.stop()
    assert {path.name: path.read_text() for path in server.credentials_dir.glob("*.nk")} == seeds
    assert set(seeds) == {f"{user}.nk" for user in (*SERVICES, ADMIN)}
    secrets = [*server.credentials_dir.iterdir(), tmp_path / "nats.conf"]
    assert {oct(path.stat().st_mode & 0o777) for path in secrets} == {"0o600"}


def test_a_secret_is_replaced_whole_so_a_server_reading_it_never_sees_half(
    tmp_path: Path,
) -> None:
    config = tmp_path / "credentials" / "havn-auth.conf"
    write_secret(config, "authorization { users: [] }\n")
    with config.open() as reading:  # a server that opened the file before the rewrite
        write_secret(config, "authorization { users: [{nkey: UA}] }\n")
        assert reading.read() == "authorization { users: [] }\n"
    assert config.read_text() == "authorization { users: [{nkey: UA}] }\n"
    assert [path.name for path in config.parent.iterdir()] == ["havn-auth.conf"]
    assert oct(config.stat().st_mode & 0o777) == "0o600"
