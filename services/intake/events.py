"""What intake publishes (through its outbox, in api.py) and consumes: nothing yet.

Intake is where a child's identity starts; the other services follow its events.
"""

from __future__ import annotations

from havn.events.consumer import Subscription

SUBSCRIPTIONS: tuple[Subscription, ...] = ()
