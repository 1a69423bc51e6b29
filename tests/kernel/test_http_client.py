"""Havn's HTTP client never reuses a connection the server may be closing (havn/http_client.py):
an idle connection is dropped by the client before uvicorn's keep-alive would drop it."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from pathlib import Path

import uvicorn
from starlette.types import Receive, Scope, Send

from havn.embedded import free_port
from havn.http_client import KEEP_ALIVE_SECONDS, client_session

AIOHTTP_SESSION = re.compile(
    r"aiohttp\.(ClientSession|TCPConnector)\(|from aiohttp import .*ClientSession"
)


async def tell_the_client_port(scope: Scope, receive: Receive, send: Send) -> None:
    """An ASGI app that answers with the port the request came from: one per connection."""
    if scope["type"] != "http":
        return
    await send({"type": "http.response.start", "status": 200, "headers": []})
    await send({"type": "http.response.body", "body": str(scope["client"][1]).encode()})


@contextlib.asynccontextmanager
async def uvicorn_as_havn_runs_it() -> AsyncIterator[tuple[str, uvicorn.Config]]:
    """uvicorn with its default keep-alive, as `havn run`, the Dockerfile and Kubernetes run it."""
    port = free_port()
    config = uvicorn.Config(
        tell_the_client_port, host="127.0.0.1", port=port, lifespan="off", log_level="warning"
    )
    server = uvicorn.Server(config)
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 (uvicorn offers no event to wait on)
        await asyncio.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}/", config
    finally:
        server.should_exit = True
        await task


async def test_an_idle_connection_is_dropped_by_the_client_before_the_server_would_drop_it():
    async with uvicorn_as_havn_runs_it() as (url, config), client_session(timeout=5) as http:

        async def port_of_a_request() -> int:
            async with http.get(url) as response:
                return int(await response.text())

        # given a connection the client has just used, which it reuses while it is fresh
        first = await port_of_a_request()
        assert await port_of_a_request() == first
        # when it has been idle for longer than the client's keep-alive, which is shorter
        # than the server's
        assert config.timeout_keep_alive > KEEP_ALIVE_SECONDS
        await asyncio.sleep(KEEP_ALIVE_SECONDS + 0.2)
        # then the next request opens a connection of its own
        assert await port_of_a_request() != first


def test_the_web_client_and_the_gateway_make_their_sessions_with_havns_client():
    # an aiohttp session made anywhere else would keep aiohttp's own 15 s keep-alive
    root = Path(__file__).resolve().parents[2]
    made_elsewhere = []
    for folder in ("havn", "gateway", "web", "services", "cli"):
        for path in (root / folder).rglob("*.py"):
            source = path.read_text()
            if path.name != "http_client.py" and AIOHTTP_SESSION.search(source):
                made_elsewhere.append(str(path.relative_to(root)))
    assert made_elsewhere == []
    assert "client_session(" in (root / "gateway" / "app.py").read_text()
    assert "client_session(" in (root / "web" / "app.py").read_text()
