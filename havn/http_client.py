"""How Havn's processes call one another over HTTP (the web client the gateway, the gateway
the services): one aiohttp session each, whose idle connections close before the server's.

uvicorn closes a connection that has been idle for 5 s (`--timeout-keep-alive`, left at its
default everywhere Havn runs). A client that reuses a pooled connection at that moment gets a
reset instead of an answer (aiohttp issue #2682), which a staff member sees as "the gateway is
unreachable". aiohttp reuses no connection idle for longer than its keep-alive, so one shorter
than the server's leaves the server's timer unreached.
"""

from __future__ import annotations

import aiohttp

KEEP_ALIVE_SECONDS = 3.0


def client_session(
    *, timeout: float, limit: int = 100, limit_per_host: int = 0
) -> aiohttp.ClientSession:
    """A session whose requests give up after `timeout` seconds in all."""
    connector = aiohttp.TCPConnector(
        limit=limit, limit_per_host=limit_per_host, keepalive_timeout=KEEP_ALIVE_SECONDS
    )
    return aiohttp.ClientSession(connector=connector, timeout=aiohttp.ClientTimeout(total=timeout))
