"""GraphiQL in dev is served from the gateway's own files, under a policy of 'self' only."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from gateway.app import create_app
from gateway.graphiql import FILES
from havn.config import Settings

pytestmark = pytest.mark.skipif(
    not all(path.is_file() for path in FILES.values()),
    reason="GraphiQL needs the npm packages of web/ (`npm ci` in web/, or `make test`)",
)


def client(env: str) -> TestClient:
    return TestClient(create_app(Settings(env=env)), base_url="http://gateway")


def test_graphiql_in_dev_loads_every_script_and_style_from_the_gateway_itself():
    with client("dev") as http:
        page = http.get("/graphql", headers={"Accept": "text/html"})
        assert page.status_code == 200
        assert '<div id="graphiql">' in page.text
        referenced = re.findall(r'(?:src|href)="([^"]+)"', page.text)
        assert len(referenced) == len(FILES)
        for url in referenced:
            assert url.startswith("/graphiql/"), f"{url} is not the gateway's own"
            served = http.get(url)
            assert served.status_code == 200, url
            assert b"https://unpkg.com" not in served.content


def test_graphiql_page_allows_scripts_and_styles_from_self_only():
    with client("dev") as http:
        page = http.get("/graphql", headers={"Accept": "text/html"})
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in page.headers["content-security-policy"].split(";")
    )
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert "<script>" not in page.text  # no inline script: the policy would refuse it


def test_graphiqls_files_are_not_served_outside_dev():
    # The page itself: tests/gateway/test_limits.py.
    with client("prod") as http:
        files = http.get("/graphiql/any/graphiql.js")
    assert files.status_code == 404
