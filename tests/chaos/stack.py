"""The chaos stack: `havn run` in a scratch directory, and its processes as seen in /proc."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from havn.config import PROJECT_ROOT, SERVICES
from havn.embedded import EmbeddedPostgres, free_ports, listens

START_TIMEOUT_SECONDS = 240.0


@dataclass(frozen=True)
class Process:
    """One process `havn run` supervises, as seen from outside in /proc."""

    label: str
    kind: str
    pid: int
    port: int
    # A cluster server's monitoring port: it serves once healthy in the cluster.
    monitor_port: int | None = None

    def serves(self) -> bool:
        if not listens("127.0.0.1", self.port):
            return False
        if self.kind == "PostgreSQL":
            return _postgres_accepts(self.port)
        if self.monitor_port is not None:
            return _nats_healthy(self.monitor_port)
        return True


def _postgres_accepts(port: int) -> bool:
    from havn.embedded import _pg_bin

    ready = subprocess.run(
        [_pg_bin("pg_isready"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "-t", "1"],
        capture_output=True,
        check=False,
    )
    return ready.returncode == 0


def _nats_healthy(monitor_port: int) -> bool:
    try:
        with urllib.request.urlopen(
            f"http://127.0.0.1:{monitor_port}/healthz", timeout=0.5
        ) as answer:
            return bool(answer.status == 200)
    except (urllib.error.URLError, OSError):
        return False


def _children(parent: int) -> Iterator[tuple[int, str, list[str]]]:
    """(pid, command name, argv) of the live children of `parent`."""
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        state, ppid = stat.rsplit(")", 1)[1].split()[:2]
        if int(ppid) == parent and state != "Z":
            yield int(entry.name), comm, [a.decode() for a in argv if a]


def _described(pid: int, comm: str, argv: list[str]) -> Process | None:
    if "--factory" in argv:
        module = argv[argv.index("--factory") + 1].split(":")[0]
        port = int(argv[argv.index("--port") + 1])
        if module.startswith("services."):
            return Process(f"{module.split('.')[1]}:{port}", "service", pid, port)
        kind = {"cli.stack": "idp"}.get(module, module.split(".")[0])
        return Process(f"{kind}:{port}", kind, pid, port)
    if comm == "postgres":
        # The postmaster names its port; its children (and a postmaster exiting) do not.
        named = next((a.split("=")[1] for a in argv if a.startswith("port=")), None)
        return Process("PostgreSQL", "PostgreSQL", pid, int(named)) if named else None
    if comm == "nats-server":
        config = Path(argv[-1])
        text = config.read_text()
        port = int(re.search(r"^listen: [\d.]+:(\d+)", text, re.M).group(1))  # type: ignore[union-attr]
        monitor = re.search(r"^http: [\d.]+:(\d+)", text, re.M)
        return Process(
            f"NATS {config.parent.name}",
            "NATS",
            pid,
            port,
            int(monitor.group(1)) if monitor else None,
        )
    return None


@dataclass
class HavnRun:
    """`python -m cli run` over a scratch data directory, on free ports."""

    data_dir: Path
    replicas: int = 1
    nats_cluster: int = 1
    process: subprocess.Popen[bytes] | None = None
    gateway_url: str = ""
    token_url: str = ""
    expected: frozenset[str] = frozenset()

    @property
    def output(self) -> Path:
        return self.data_dir / "havn-run.out"

    def start(self) -> HavnRun:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        names = ("idp", "gateway", "web", *SERVICES)
        ports = dict(zip(names, free_ports(len(names)), strict=True))
        env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("HAVN_")},
            "HAVN_ENV": "test",
            "HAVN_DATA_DIR": str(self.data_dir),
            "HAVN_REPLICAS": str(self.replicas),
            "HAVN_NATS_CLUSTER": str(self.nats_cluster),
            # The scheduler looks often, so milestones due at settlement fire during the run.
            "HAVN_MILESTONE_SCAN_INTERVAL": "1",
            **{f"HAVN_{name.upper()}_PORT": str(port) for name, port in ports.items()},
        }
        self.gateway_url = f"http://127.0.0.1:{ports['gateway']}"
        self.token_url = (
            f"http://127.0.0.1:{ports['idp']}/realms/havn/protocol/openid-connect/token"
        )
        with self.output.open("ab") as output:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "cli", "run"],
                cwd=PROJECT_ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while "Havn is running" not in self.output.read_text(errors="replace"):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"havn run did not start:\n{self.output.read_text()[-3000:]}")
            time.sleep(0.2)
        self.expected = frozenset(p.label for p in self.processes())
        return self

    def processes(self) -> list[Process]:
        assert self.process is not None
        found = [_described(*child) for child in _children(self.process.pid)]
        return [p for p in found if p is not None]

    def stop(self) -> None:
        """Ctrl-C, as a user stops it; it stops everything it started."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(90)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()

    def superuser_dsn(self) -> str:
        postgres = EmbeddedPostgres.running(self.data_dir / "postgres")
        assert postgres is not None, "PostgreSQL is not running"
        return (
            f"postgresql://postgres:{postgres.password('postgres')}@127.0.0.1:{postgres.port}/havn"
        )

    def nats_urls(self) -> list[str]:
        return [f"nats://127.0.0.1:{p.port}" for p in self.processes() if p.kind == "NATS"]
