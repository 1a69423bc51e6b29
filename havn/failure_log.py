"""Logging a failure that repeats (an outage): once per interval with a count, not each time."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from havn.clock import Clock

# A database or NATS outage fails every attempt of every loop: one line a minute says as much.
DEFAULT_INTERVAL = timedelta(minutes=1)


@dataclass
class _Spell:
    """A run of failures of one kind, from the first until a success."""

    logged_at: datetime
    unlogged: int = 0
    total: int = 1


class FailureLog:
    """Logs the failures of one kind (`what`: "relay havn_outbox_care") at most once per interval.

    The first failure of a spell is logged in full, with its traceback when asked; the ones
    after it are counted, and the next line (an interval later at the earliest, without a
    traceback) says how many there were. `recovered` ends the spell and says so once.
    """

    def __init__(
        self,
        logger: logging.Logger,
        *,
        interval: timedelta = DEFAULT_INTERVAL,
        clock: Clock | None = None,
    ) -> None:
        self._logger = logger
        self._interval = interval
        self._clock = clock or Clock()
        self._spells: dict[str, _Spell] = {}

    def failed(self, what: str, error: BaseException, *, traceback: bool = False) -> None:
        """Counts one failure; logs it if it starts a spell or an interval has passed."""
        now = self._clock.now()
        spell = self._spells.get(what)
        if spell is None:
            self._spells[what] = _Spell(logged_at=now)
            self._logger.warning(
                "%s: %s", what, _described(error), exc_info=error if traceback else None
            )
            return
        spell.total += 1
        spell.unlogged += 1
        if now - spell.logged_at >= self._interval:
            self._logger.warning(
                "%s: %s (failed %d times in the last %d s)",
                what,
                _described(error),
                spell.unlogged,
                (now - spell.logged_at).total_seconds(),
            )
            spell.logged_at, spell.unlogged = now, 0

    def recovered(self, what: str) -> None:
        """Ends a spell of failures, if there was one, with one line saying how many it had."""
        spell = self._spells.pop(what, None)
        if spell is not None:
            self._logger.info("%s: recovered after %d failures", what, spell.total)


def _described(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}" if str(error) else type(error).__name__
