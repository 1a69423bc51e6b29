"""An injectable clock: services ask it for today, tests move it instead of sleeping."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

# Dates a caseworker sees ("today", "overdue") are Norwegian calendar dates.
NORWAY = ZoneInfo("Europe/Oslo")


class Clock:
    """The real clock; `offset` lets a test or a demo live in the future."""

    def __init__(self, offset: timedelta = timedelta(0)) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def today(self) -> date:
        return self.now().astimezone(NORWAY).date()

    def advance(self, delta: timedelta) -> None:
        self.offset += delta
