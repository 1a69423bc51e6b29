"""Events between services: envelope and contracts, outbox and relay, consumers with an inbox.

Import from the modules themselves (`havn.events.outbox`, `havn.events.consumer`, ...):
a service's table definitions import `havn.events.tables` without pulling in NATS or FastAPI.
"""
