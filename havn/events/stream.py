"""The NATS connection and the JetStream stream `HAVN` that captures every event."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

import nats
from nats.aio.client import DEFAULT_INBOX_PREFIX, Client
from nats.js import JetStreamContext
from nats.js.api import DiscardPolicy, StorageType, StreamConfig
from nats.js.errors import NotFoundError, ServiceUnavailableError

from havn.config import DEFAULT_STREAM_MAX_AGE_DAYS, DEFAULT_STREAM_MAX_BYTES
from havn.events.credentials import ADMIN, inbox_prefix, seed_file
from havn.events.envelope import STREAM, STREAM_SUBJECTS

logger = logging.getLogger("havn.events")

T = TypeVar("T")

# Within this window JetStream drops a message whose `Nats-Msg-Id` it has seen: a relay that
# crashed between publishing and marking a row sent republishes harmlessly.
DUPLICATE_WINDOW_SECONDS = 120.0
# How long a starting service keeps asking a NATS cluster that does not answer yet.
STREAM_SETUP_SECONDS = 60.0


async def ensure_stream(
    js: JetStreamContext,
    *,
    replicas: int = 1,
    max_age: timedelta = timedelta(days=DEFAULT_STREAM_MAX_AGE_DAYS),
    max_bytes: int = DEFAULT_STREAM_MAX_BYTES,
) -> None:
    """Creates the stream, or brings an existing one to this configuration.

    `replicas` must match the cluster (3 in production): every service start applies it,
    and the limits with it. Events older than `max_age` are dropped; beyond `max_bytes` a
    new event is refused rather than an old one dropped: a consumer that lags behind loses
    nothing, and the refused event waits in its outbox until old ones age out.
    """
    config = StreamConfig(
        name=STREAM,
        subjects=list(STREAM_SUBJECTS),
        storage=StorageType.FILE,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        num_replicas=replicas,
        max_age=max_age.total_seconds(),
        max_bytes=max_bytes,
        discard=DiscardPolicy.NEW,
    )

    async def apply() -> None:
        try:
            await js.update_stream(config)
        except NotFoundError:
            await js.add_stream(config)

    await until_answered(apply, f"the stream {STREAM}")


async def until_answered(ask: Callable[[], Awaitable[T]], what: str) -> T:
    """Asks JetStream again while it does not answer, for up to STREAM_SETUP_SECONDS.

    A cluster that is still electing, or busy placing a stream or consumer another replica
    asked for at the same moment, answers late or not at all; asked again, it answers.
    """
    deadline = time.monotonic() + STREAM_SETUP_SECONDS
    while True:
        try:
            return await ask()
        except (nats.errors.TimeoutError, ServiceUnavailableError):
            if time.monotonic() > deadline:
                raise
            logger.info("nats: %s is not set up yet; asking again", what)
            await asyncio.sleep(0.5)


def redacted(url: str) -> str:
    """The URL without its password, for logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


async def connect(
    url: str,
    *,
    user: str | None = None,
    credentials_dir: Path | None = None,
    on_reconnected: Callable[[], Awaitable[None]] | None = None,
) -> tuple[Client, JetStreamContext]:
    """Connects for good: reconnects forever, quickly, so a NATS restart is only a pause.

    With `credentials_dir`, signs in as `user` (a service, or the admin) with its NKEY seed
    there, and takes its replies under the service's own inbox prefix, the only subjects the
    server lets it subscribe to. `url` may list a cluster's servers, comma-separated: the
    client goes to another when its server is away. `on_reconnected` runs each time the
    connection is back (the relay cuts its backoff short).
    """
    seed, inboxes = None, DEFAULT_INBOX_PREFIX
    if credentials_dir is not None:
        if user is None:
            raise ValueError("connecting with credentials needs the user's name")
        seed = str(seed_file(credentials_dir, user))
        if user != ADMIN:
            inboxes = inbox_prefix(user).encode()

    async def on_error(error: Exception) -> None:
        logger.warning("nats: %s", error)

    shown = redacted(url)

    async def on_disconnected() -> None:
        logger.warning("nats: disconnected from %s", shown)

    async def reconnected() -> None:
        logger.info("nats: reconnected to %s", shown)
        if on_reconnected is not None:
            await on_reconnected()

    client = await nats.connect(
        [server.strip() for server in url.split(",")],
        name=user,
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        error_cb=on_error,
        disconnected_cb=on_disconnected,
        reconnected_cb=reconnected,
        nkeys_seed=seed,
        inbox_prefix=inboxes,
    )
    return client, client.jetstream()
