"""GraphiQL in dev, from the project's own files: no request leaves the machine.

React, ReactDOM and GraphiQL's UMD build come from npm (web/package.json's devDependencies,
pinned by web/package-lock.json; graphiql 3.x is the last line that ships one); a small
script of our own boots it, so the page's policy allows scripts and styles from 'self' only.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, Response

from web.assets import NODE_MODULES, Assets

STATIC = Path(__file__).parent / "static"
FILES = {
    "graphiql.css": NODE_MODULES / "graphiql/graphiql.min.css",
    "graphiql-page.css": STATIC / "graphiql-page.css",
    "react.js": NODE_MODULES / "react/umd/react.production.min.js",
    "react-dom.js": NODE_MODULES / "react-dom/umd/react-dom.production.min.js",
    "graphiql.js": NODE_MODULES / "graphiql/graphiql.min.js",
    "graphiql-boot.js": STATIC / "graphiql-boot.js",
}
STYLES = ("graphiql.css", "graphiql-page.css")
SCRIPTS = ("react.js", "react-dom.js", "graphiql.js", "graphiql-boot.js")
# Only 'self': no CDN, no inline script or style. GraphiQL's fonts are data: URLs in its CSS.
GRAPHIQL_CSP = (
    "default-src 'none'; script-src 'self'; style-src 'self'; font-src 'self' data:; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "form-action 'none'"
)
MISSING = "GraphiQL needs the npm packages of web/: run `npm ci` in web/ (make run does)."


def graphiql_router() -> APIRouter:
    """GET /graphql (the page) and its files under /graphiql/<version>/<name>."""
    router = APIRouter()
    missing = [path for path in FILES.values() if not path.is_file()]
    assets = None if missing else Assets(FILES)

    @router.get("/graphql", include_in_schema=False)
    async def graphiql_page() -> Response:
        if assets is None:
            return PlainTextResponse(MISSING, status_code=503)
        urls = {
            name: escape(assets.url(name).replace("/assets/", "/graphiql/", 1)) for name in FILES
        }
        styles = "".join(f'<link rel="stylesheet" href="{urls[n]}">' for n in STYLES)
        scripts = "".join(f'<script src="{urls[n]}"></script>' for n in SCRIPTS)
        page = (
            '<!doctype html><html lang="en"><head><meta charset="utf-8">'
            f"<title>Havn GraphiQL</title>{styles}</head>"
            f'<body><div id="graphiql">Loading GraphiQL …</div>{scripts}</body></html>'
        )
        return HTMLResponse(page, headers={"Content-Security-Policy": GRAPHIQL_CSP})

    @router.get("/graphiql/{version}/{name}", include_in_schema=False)
    async def graphiql_file(request: Request, version: str, name: str) -> Response:
        if assets is None:
            return PlainTextResponse(MISSING, status_code=503)
        return assets.response(version, name, request.headers.get("accept-encoding", ""))

    return router
