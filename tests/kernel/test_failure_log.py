"""A failure that repeats is logged once per interval with a count, not once per occurrence."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest

from havn.clock import Clock
from havn.failure_log import FailureLog

logger = logging.getLogger("havn.test.failures")


def failing() -> ConnectionRefusedError:
    try:
        raise ConnectionRefusedError("connect call failed")
    except ConnectionRefusedError as error:
        return error


def test_a_repeated_failure_is_logged_once_per_interval_with_a_count(
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    failures = FailureLog(logger, interval=timedelta(minutes=1), clock=clock)

    with caplog.at_level(logging.INFO, logger=logger.name):
        for _ in range(200):  # 0.5 s apart: 100 s of an outage
            failures.failed("relay havn_outbox_care", failing(), traceback=True)
            clock.advance(timedelta(seconds=0.5))
        failures.recovered("relay havn_outbox_care")

    first, later, recovered = caplog.records
    assert first.exc_info is not None  # the first one in full
    assert later.exc_info is None
    assert "failed 120 times in the last 60 s" in later.getMessage()
    assert recovered.getMessage() == "relay havn_outbox_care: recovered after 200 failures"


def test_failures_of_different_kinds_are_counted_apart(caplog: pytest.LogCaptureFixture) -> None:
    failures = FailureLog(logger, clock=Clock())

    with caplog.at_level(logging.WARNING, logger=logger.name):
        for _ in range(10):
            failures.failed("consumer care-child-settled", failing())
            failures.failed("consumer care-child-updated", failing())

    assert sorted(record.getMessage().split(":")[0] for record in caplog.records) == [
        "consumer care-child-settled",
        "consumer care-child-updated",
    ]
