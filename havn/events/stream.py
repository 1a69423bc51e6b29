"""The NATS connection and the JetStream stream `HAVN` that captures every event."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import nats
from nats.aio.client import DEFAULT_INBOX_PREFIX, Client
from nats.js import JetStreamContext
from nats.js.api import StorageType, StreamConfig
from nats.js.errors import NotFoundError

from havn.events.credentials import ADMIN, inbox_prefix, seed_file
from havn.events.envelope import STREAM, STREAM_SUBJECTS

logger = logging.getLogger("havn.events")

# Within this window JetStream drops a message whose `Nats-Msg-Id` it has seen: a relay that
# crashed between publishing and marking a row sent republishes harmlessly.
DUPLICATE_WINDOW_SECONDS = 120.0


async def ensure_stream(js: JetStreamContext, *, replicas: int = 1) -> None:
    """Creates the stream, or brings an existing one to this configuration.

    `replicas` must match the cluster (3 in production): every service start applies it.
    """
    config = StreamConfig(
        name=STREAM,
        subjects=list(STREAM_SUBJECTS),
        storage=StorageType.FILE,
        duplicate_window=DUPLICATE_WINDOW_SECONDS,
        num_replicas=replicas,
    )
    try:
        await js.update_stream(config)
    except NotFoundError:
        await js.add_stream(config)


def redacted(url: str) -> str:
    """The URL without its password, for logs."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    netloc = f"{parts.username}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


async def connect(
    url: str, *, user: str | None = None, credentials_dir: Path | None = None
) -> tuple[Client, JetStreamContext]:
    """Connects for good: reconnects forever, quickly, so a NATS restart is only a pause.

    With `credentials_dir`, signs in as `user` (a service, or the admin) with its NKEY seed
    there, and takes its replies under the service's own inbox prefix, the only subjects the
    server lets it subscribe to.
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

    async def on_reconnected() -> None:
        logger.info("nats: reconnected to %s", shown)

    client = await nats.connect(
        url,
        name=user,
        max_reconnect_attempts=-1,
        reconnect_time_wait=1,
        error_cb=on_error,
        disconnected_cb=on_disconnected,
        reconnected_cb=on_reconnected,
        nkeys_seed=seed,
        inbox_prefix=inboxes,
    )
    return client, client.jetstream()
