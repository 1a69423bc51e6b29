"""The CSS, JavaScript and font the pages load: from npm (web/node_modules) and web/static.

Only the files listed here are served, read once at start, under a URL that changes with
their content (`/assets/<version>/<name>`), so browsers cache them for good; gzip is done
once too. A page requests nothing from any other host.
"""

from __future__ import annotations

import gzip
import hashlib
from dataclasses import dataclass
from pathlib import Path

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import Response

WEB_DIR = Path(__file__).parent
NODE_MODULES = WEB_DIR / "node_modules"
STATIC = WEB_DIR / "static"

# name served -> file; the npm packages are pinned by web/package-lock.json.
FILES: dict[str, Path] = {
    "designsystemet.css": NODE_MODULES / "@digdir/designsystemet-css/dist/src/index.css",
    "theme.css": NODE_MODULES / "@digdir/designsystemet-css/dist/theme/designsystemet.css",
    "designsystemet-web.js": NODE_MODULES / "@digdir/designsystemet-web/dist/umd/index.js",
    "htmx.js": NODE_MODULES / "htmx.org/dist/htmx.min.js",
    # Latin covers Norwegian; other scripts fall back to the system's sans-serif.
    "inter-latin-wght-normal.woff2": NODE_MODULES
    / "@fontsource-variable/inter/files/inter-latin-wght-normal.woff2",
    "havn.css": STATIC / "havn.css",
    "havn.js": STATIC / "havn.js",
}
MEDIA_TYPES = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".woff2": "font/woff2",
}
IMMUTABLE = "public, max-age=31536000, immutable"


@dataclass(frozen=True)
class Asset:
    body: bytes
    gzipped: bytes | None
    media_type: str


class Assets:
    """The served files in memory, and the versioned URL of each."""

    def __init__(self, files: dict[str, Path] = FILES) -> None:
        missing = [str(path) for path in files.values() if not path.is_file()]
        if missing:
            raise RuntimeError(f"web assets missing (`npm ci` in web/): {missing}")
        digest = hashlib.sha256()
        self._files: dict[str, Asset] = {}
        for name, path in sorted(files.items()):
            body = path.read_bytes()
            digest.update(name.encode() + body)
            media_type = MEDIA_TYPES[path.suffix]
            # Fonts are compressed already.
            gzipped = gzip.compress(body, mtime=0) if path.suffix != ".woff2" else None
            self._files[name] = Asset(body, gzipped, media_type)
        self.version = digest.hexdigest()[:12]

    def url(self, name: str) -> str:
        if name not in self._files:
            raise KeyError(name)
        return f"/assets/{self.version}/{name}"

    def response(self, version: str, name: str, accept_encoding: str) -> Response:
        asset = self._files.get(name)
        if asset is None or version != self.version:
            raise HTTPException(status_code=404)
        headers = {"Cache-Control": IMMUTABLE, "Vary": "Accept-Encoding"}
        if asset.gzipped is not None and "gzip" in accept_encoding:
            headers["Content-Encoding"] = "gzip"
            return Response(asset.gzipped, media_type=asset.media_type, headers=headers)
        return Response(asset.body, media_type=asset.media_type, headers=headers)


router = APIRouter()


@router.get("/assets/{version}/{name}", include_in_schema=False)
async def asset(request: Request, version: str, name: str) -> Response:
    assets: Assets = request.app.state.web.assets
    return assets.response(version, name, request.headers.get("accept-encoding", ""))
