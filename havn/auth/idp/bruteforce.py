"""Keycloak's brute-force detection: failed logins lock a user out for a growing while."""

from __future__ import annotations

from dataclasses import dataclass

from havn.auth.idp.realm import BruteForcePolicy
from havn.clock import Clock


@dataclass(slots=True)
class _LoginFailures:
    count: int = 0
    last_failure: float = 0.0
    not_before: float = 0.0


class BruteForceProtector:
    """Counts failed logins per user as Keycloak's DefaultBruteForceProtector does.

    Every `failure_factor` failures add `wait_increment_seconds` of lockout (at most
    `max_failure_wait_seconds`); two failures closer than `quick_login_check_milliseconds`
    lock for `minimum_quick_login_wait_seconds`; failures older than
    `max_delta_time_seconds` are forgotten; a successful login clears them. With
    `permanent_lockout` the user is disabled after `failure_factor` failures instead.
    State lives in memory: a restart of the identity provider forgets it.
    """

    def __init__(self, policy: BruteForcePolicy | None, clock: Clock) -> None:
        self._policy = policy
        self._clock = clock
        # Keyed by user id: only users that exist are counted, so this stays small.
        self._failures: dict[str, _LoginFailures] = {}
        self._disabled: set[str] = set()

    def is_locked_out(self, user_id: str) -> bool:
        if self._policy is None:
            return False
        if user_id in self._disabled:
            return True
        failures = self._failures.get(user_id)
        return failures is not None and self._now() < failures.not_before

    def record_failure(self, user_id: str) -> None:
        policy = self._policy
        if policy is None:
            return
        now = self._now()
        failures = self._failures.setdefault(user_id, _LoginFailures())
        since_last = now - failures.last_failure if failures.last_failure else None
        failures.last_failure = now
        quick = since_last is not None and since_last * 1000 < policy.quick_login_check_milliseconds
        if policy.permanent_lockout:
            failures.count += 1
            if failures.count == policy.failure_factor:
                self._disabled.add(user_id)
            elif quick:
                failures.not_before = now + policy.minimum_quick_login_wait_seconds
            return
        if since_last is not None and since_last > policy.max_delta_time_seconds:
            failures.count = 0
        failures.count += 1
        wait = policy.wait_increment_seconds * (failures.count // policy.failure_factor)
        if wait == 0 and quick:
            wait = policy.minimum_quick_login_wait_seconds
        if wait > 0:
            failures.not_before = now + min(wait, policy.max_failure_wait_seconds)

    def record_success(self, user_id: str) -> None:
        self._failures.pop(user_id, None)

    def _now(self) -> float:
        return self._clock.now().timestamp()
