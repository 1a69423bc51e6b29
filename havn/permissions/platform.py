"""The platform's own operations, for its administrator: no municipality's, no child's data."""

from __future__ import annotations

from havn.auth.policy import Role
from havn.permissions.permission import Permission

_PLATFORM_ADMINS = frozenset({Role.PLATFORM_ADMIN})

# What a service reports of itself: NATS, outbox lag, consumer backlog, dead letters.
STATUS_READ = Permission(_PLATFORM_ADMINS, None, "see the service's status", national=True)

# A consumer's dead letters: where an event failed, never what it carried.
DEAD_LETTERS_READ = Permission(_PLATFORM_ADMINS, None, "see dead letters", national=True)
DEAD_LETTER_REPLAY = Permission(_PLATFORM_ADMINS, None, "replay dead letters", national=True)
DEAD_LETTER_DISCARD = Permission(_PLATFORM_ADMINS, None, "discard dead letters", national=True)
