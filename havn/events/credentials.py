"""Who may do what on the bus: one NKEY user per service, its permissions, the server's config.

Each service signs in with its own NKEY seed (`<service>.nk` in HAVN_NATS_CREDENTIALS_DIR) and
may publish only its own events (`havn.<service>.>`) and the JetStream API calls its stream,
relay and durable consumers need; it reads only through those durable consumers, whose
filter subject is part of the create subject the server authorises, and its replies arrive
under its own inbox prefix. An `admin` user may do anything (operators, tests).

NKEYs rather than passwords: the server holds only public keys, so its config file leaks no
secret, and a seed never crosses the wire (the client signs the server's nonce).
`python -m cli.credentials DIR` writes the seeds and the server's authorization block for
production (see deploy/nats/README.md).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import nkeys
from nacl.signing import SigningKey

from havn.events.envelope import STREAM

ADMIN = "admin"
# Server-side files the server reads (config, seeds): the owner alone may read them.
SECRET_FILE_MODE = 0o600


@dataclass(frozen=True)
class BusPermissions:
    """The subjects one user may publish to and subscribe to (everything else is denied)."""

    publish: tuple[str, ...]
    subscribe: tuple[str, ...]


def inbox_prefix(service: str) -> str:
    """A service's replies (JetStream API answers, pulled messages) arrive under this prefix."""
    return f"_INBOX.{service}"


def service_permissions(service: str, consumes: Iterable[tuple[str, str]]) -> BusPermissions:
    """What `service` may do: publish `havn.<service>.>`, manage the stream, and create, pull
    from and acknowledge its own durable consumers, given as (durable, filter subject)."""
    publish = [
        f"havn.{service}.>",
        "$JS.API.INFO",
        *(f"$JS.API.STREAM.{verb}.{STREAM}" for verb in ("INFO", "CREATE", "UPDATE")),
    ]
    for durable, subject in consumes:
        publish += [
            f"$JS.API.CONSUMER.CREATE.{STREAM}.{durable}.{subject}",
            f"$JS.API.CONSUMER.INFO.{STREAM}.{durable}",
            f"$JS.API.CONSUMER.MSG.NEXT.{STREAM}.{durable}",
            f"$JS.ACK.{STREAM}.{durable}.>",
        ]
    return BusPermissions(publish=tuple(publish), subscribe=(f"{inbox_prefix(service)}.>",))


def new_seed() -> str:
    """A fresh NKEY user seed (`SU…`)."""
    seed: bytes = nkeys.encode_seed(bytes(SigningKey.generate()), nkeys.PREFIX_BYTE_USER)
    return seed.decode()


def public_key(seed: str) -> str:
    """The user's public key (`U…`), which is all the server needs to know of it."""
    key: bytes = nkeys.from_seed(seed.encode()).public_key
    return key.decode()


def seed_file(directory: Path, user: str) -> Path:
    return directory / f"{user}.nk"


def write_secret(path: Path, content: str) -> None:
    """Writes a file only its owner can read, never readable by others even for a moment,
    and replaces it whole: a cluster's servers read the shared `havn-auth.conf` while the
    next one's launch rewrites it, and one that read it half-written would not start."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # mkstemp creates the file with mode 0600; the rename is atomic within the directory.
    descriptor, draft = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "w") as file:
            file.write(content)
        os.chmod(draft, SECRET_FILE_MODE)
        os.replace(draft, path)
    except BaseException:
        Path(draft).unlink(missing_ok=True)
        raise


def ensure_seeds(directory: Path, users: Iterable[str]) -> dict[str, str]:
    """Each user's seed from `directory`, generated the first time (kept across restarts)."""
    seeds = {}
    for user in users:
        path = seed_file(directory, user)
        if not path.exists():
            write_secret(path, new_seed() + "\n")
        seeds[user] = path.read_text().strip()
    return seeds


def authorization_config(
    seeds: Mapping[str, str], permissions: Mapping[str, BusPermissions]
) -> str:
    """The server's `authorization` block: one NKEY user per seed; a user without
    permissions (the admin) may do anything."""
    users = []
    for user, seed in seeds.items():
        entry: dict[str, object] = {"nkey": public_key(seed)}
        allowed = permissions.get(user)
        if allowed is not None:
            entry["permissions"] = {
                "publish": {"allow": list(allowed.publish)},
                "subscribe": {"allow": list(allowed.subscribe)},
            }
        users.append(entry)
    # NATS reads JSON inside its config; quoted strings keep `$JS…` from being a variable.
    return f"authorization {{\n  users: {json.dumps(users, indent=2)}\n}}\n"


def write_credentials(directory: Path, permissions: Mapping[str, BusPermissions]) -> Path:
    """Seeds for every user in `permissions` plus the admin, and the server's authorization
    block (`havn-auth.conf`, to `include` in its config) beside them; returns that file."""
    seeds = ensure_seeds(directory, [*permissions, ADMIN])
    config = directory / "havn-auth.conf"
    write_secret(config, authorization_config(seeds, permissions))
    return config
