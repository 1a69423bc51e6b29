"""Keeps `havn run`'s processes running: restarts any that exits, with backoff.

Hand-written rather than supervisord or circus: those are daemons with their own config
files and control sockets, while `havn run` needs one loop in the foreground that starts
a handful of children in order, says in one line when one exits, and stops them all on
Ctrl-C. A target is just an entry: how to launch it, how to tell it serves, where it logs.
"""

from __future__ import annotations

import signal
import subprocess
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from havn.embedded import port_in_use

INITIAL_BACKOFF_SECONDS = 0.5
MAX_BACKOFF_SECONDS = 30.0
# A process up this long has recovered: its next exit is restarted quickly again.
STABLE_AFTER_SECONDS = 10.0
START_TIMEOUT_SECONDS = 60.0
LOG_TAIL_LINES = 15
STOP_TIMEOUT_SECONDS = 15.0


@dataclass
class Target:
    """One supervised process."""

    name: str
    launch: Callable[[], subprocess.Popen[bytes]]
    # Whether it serves now; asked repeatedly while it starts, so it must answer quickly.
    serves: Callable[[], bool]
    log: Path
    # The port it listens on and the variable that moves it, checked before anything starts.
    port: int | None = None
    variable: str | None = None
    stop_signal: int = signal.SIGTERM
    # Higher layers stop first: the apps (1) before the NATS and PostgreSQL they use (0).
    layer: int = 1


class StartFailed(Exception):
    """A target exited or never served while `havn run` was starting."""

    def __init__(self, target: Target, reason: str) -> None:
        self.target = target
        super().__init__(f"{target.name} {reason}")

    def report(self) -> str:
        """The failure with the last lines of the target's log, which say why."""
        lines = log_tail(self.target.log)
        shown = "".join(f"  | {line}\n" for line in lines)
        return f"{self}; the last lines of {self.target.log}:\n{shown}".rstrip()


def log_tail(log: Path, lines: int = LOG_TAIL_LINES) -> list[str]:
    try:
        text = log.read_text(errors="replace")
    except FileNotFoundError:
        return []
    return text.splitlines()[-lines:]


def busy_ports(targets: Iterable[Target]) -> list[str]:
    """What keeps the targets from binding their ports: in use, or given to two of them."""
    problems: list[str] = []
    owners: dict[int, Target] = {}
    for target in targets:
        if target.port is None:
            continue
        named = f"{target.name}, {target.variable}" if target.variable else target.name
        if target.port in owners:
            other = owners[target.port]
            problems.append(
                f"port {target.port} is given to both {other.name} ({other.variable}) "
                f"and {target.name} ({target.variable})"
            )
        elif port_in_use(target.port):
            problems.append(f"port {target.port} ({named}) is in use")
        owners.setdefault(target.port, target)
    return problems


@dataclass
class _Running:
    target: Target
    process: subprocess.Popen[bytes] | None = None
    serving: bool = False
    since: float = 0.0
    backoff: float = INITIAL_BACKOFF_SECONDS
    restart_at: float | None = None


@dataclass
class Supervisor:
    """Starts targets in order, restarts those that exit, stops them all at the end."""

    say: Callable[[str], None] = field(default=lambda line: print(line, flush=True))
    initial_backoff: float = INITIAL_BACKOFF_SECONDS
    max_backoff: float = MAX_BACKOFF_SECONDS
    stable_after: float = STABLE_AFTER_SECONDS
    _running: list[_Running] = field(default_factory=list, init=False)

    def start(self, *targets: Target, timeout: float = START_TIMEOUT_SECONDS) -> None:
        """Launches the targets together and returns once all serve.

        Raises `StartFailed` when one exits or does not serve in time: at start-up a
        failure is a mistake to report (a busy port, a bad setting), not to retry.
        """
        started = [_Running(target, backoff=self.initial_backoff) for target in targets]
        self._running += started
        for running in started:
            running.process = running.target.launch()
        deadline = time.monotonic() + timeout
        waiting = list(started)
        while waiting:
            for running in list(waiting):
                assert running.process is not None
                code = running.process.poll()
                if code is not None:
                    raise StartFailed(running.target, f"exited (code {code}) while starting")
                if running.target.serves():
                    running.serving, running.since = True, time.monotonic()
                    waiting.remove(running)
            if waiting and time.monotonic() > deadline:
                raise StartFailed(waiting[0].target, f"did not serve within {timeout:.0f} s")
            if waiting:
                time.sleep(0.05)

    def supervise(self, until: Callable[[], bool] = lambda: False, tick: float = 0.2) -> None:
        """Watches every target until `until()` (or Ctrl-C), restarting any that exits."""
        while not until():
            self.check()
            time.sleep(tick)

    def check(self) -> None:
        """One round: reaps and schedules exited targets, restarts those due, resets backoff."""
        now = time.monotonic()
        for running in self._running:
            process = running.process
            if process is not None:
                code = process.poll()  # reaps: a dead child must not linger as a zombie
                if code is not None:
                    self._schedule_restart(running, now, f"exited (code {code})")
                elif not running.serving and running.target.serves():
                    running.serving, running.since = True, now
                elif running.serving and now - running.since >= self.stable_after:
                    running.backoff = self.initial_backoff
                elif not running.serving and now - running.since > START_TIMEOUT_SECONDS:
                    process.kill()  # hung while starting: the next round restarts it
            elif running.restart_at is not None and now >= running.restart_at:
                running.restart_at = None
                try:
                    running.process = running.target.launch()
                except OSError as error:
                    self._schedule_restart(running, now, f"could not start ({error})")
                    continue
                running.serving, running.since = False, now

    def _schedule_restart(self, running: _Running, now: float, why: str) -> None:
        delay = running.backoff
        running.process, running.serving = None, False
        running.restart_at = now + delay
        running.backoff = min(delay * 2, self.max_backoff)
        self.say(f"{running.target.name} {why}; restarting in {delay:.1f} s")

    def stop(self) -> None:
        """Stops every target, the higher layers first, and waits until all have exited."""
        for layer in sorted({running.target.layer for running in self._running}, reverse=True):
            in_layer = [r for r in self._running if r.target.layer == layer and r.process]
            for running in in_layer:
                assert running.process is not None
                if running.process.poll() is None:
                    running.process.send_signal(running.target.stop_signal)
            for running in in_layer:
                assert running.process is not None
                # Waits, not signals again: a second SIGTERM makes uvicorn skip its shutdown.
                try:
                    running.process.wait(STOP_TIMEOUT_SECONDS)
                except subprocess.TimeoutExpired:
                    running.process.kill()
                    running.process.wait()
                running.process = None
        self._running.clear()
