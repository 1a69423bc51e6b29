"""The stack under attack: where it listens, and what its data directory gives away."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from havn.clock import Clock
from havn.config import Settings
from havn.db import APP_ROLE

# A short run (the test suite's) samples this many probes of each kind.
SHORT = 4


@dataclass
class Target:
    """Where the running stack listens, and what its data directory gives away."""

    settings: Settings
    nats_url: str | None
    nats_credentials_dir: Path
    postgres: tuple[str, int] | None
    app_password: str | None
    clock: Clock = field(default_factory=Clock)

    @property
    def gateway_url(self) -> str:
        return f"http://{self.settings.host}:{self.settings.gateway_port}"

    @property
    def token_url(self) -> str:
        return f"{self.settings.issuer}/protocol/openid-connect/token"

    def service_url(self, service: str) -> str:
        return self.settings.service_urls(service)[0]

    @classmethod
    def discover(cls, settings: Settings) -> Target:
        data_dir = settings.data_dir
        nats_url = settings.nats_url
        if nats_url is None:
            config = readable(data_dir / "nats" / "nats.conf")
            found = re.search(r"^listen:\s*([\d.]+:\d+)", config or "", re.MULTILINE)
            nats_url = f"nats://{found.group(1)}" if found else None
        postgres, app_password = None, None
        if settings.database_url is not None:
            url = make_url(settings.database_url)
            postgres = (url.host or "127.0.0.1", url.port or 5432)
            app_password = url.password
        else:
            pid_file = readable(data_dir / "postgres" / "postmaster.pid")
            if pid_file is not None and len(pid_file.splitlines()) > 3:
                postgres = ("127.0.0.1", int(pid_file.splitlines()[3]))
            kept = readable(data_dir / "postgres-passwords.json")
            app_password = json.loads(kept).get(APP_ROLE) if kept else None
        return cls(
            settings=settings,
            nats_url=nats_url,
            nats_credentials_dir=settings.nats_credentials_dir or data_dir / "nats" / "credentials",
            postgres=postgres,
            app_password=app_password,
        )


def readable(path: Path) -> str | None:
    try:
        return path.read_text()
    except OSError:
        return None


def sample(items: Iterable[Any], short: bool) -> list[Any]:
    """All of them, or (short) SHORT spread over them."""
    listed = list(items)
    return listed[:: max(1, len(listed) // SHORT)][:SHORT] if short else listed
