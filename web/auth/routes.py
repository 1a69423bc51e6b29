"""Sign-in (authorization code + PKCE), sign-out (RP-initiated logout) and the idle timeout."""

from __future__ import annotations

import logging

import httpx
from authlib.integrations.base_client import OAuthError
from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from web.areas import Area
from web.context import Staff, current_session, render, safe_next, signed_in, web
from web.graphql import ServiceUnavailable
from web.oidc import end_session_url, tokens_from
from web.sessions import COOKIE, WebSession

logger = logging.getLogger("havn.web")
router = APIRouter()

# Where the sign-in flow keeps the page to return to, beside Authlib's state.
NEXT_KEY = "next"


def set_session_cookie(response: Response, key: str) -> None:
    # __Host-: Secure, Path=/, no Domain. Lax, not Strict: the return from the identity
    # provider is a cross-site navigation that must carry the cookie.
    response.set_cookie(COOKIE, key, path="/", secure=True, httponly=True, samesite="lax")


def clear_session_cookie(response: Response) -> None:
    response.delete_cookie(COOKIE, path="/", secure=True, httponly=True, samesite="lax")


@router.get("/sign-in")
async def sign_in(
    request: Request, next: str | None = None, session: WebSession | None = Depends(current_session)
) -> Response:
    """Sends the browser to the identity provider, with a fresh state, nonce and PKCE verifier."""
    parts = web(request)
    if session is not None and session.signed_in:
        return RedirectResponse(safe_next(next), status_code=303)
    key, pending = await parts.store.create({NEXT_KEY: safe_next(next)})
    # Authlib keeps the flow's secrets in `request.session`: here, the server-side row.
    request.scope["session"] = pending.data
    try:
        redirect = await parts.provider.authorize_redirect(
            request, f"{parts.settings.web_url()}/sign-in/callback"
        )
    except httpx.HTTPError as error:
        raise ServiceUnavailable from error
    await parts.store.save_data(pending)
    response = RedirectResponse(redirect.headers["location"], status_code=303)
    set_session_cookie(response, key)
    return response


@router.get("/sign-in/callback")
async def sign_in_callback(
    request: Request, session: WebSession | None = Depends(current_session)
) -> Response:
    """Checks the answer (state, PKCE, ID token and nonce) and starts the signed-in session."""
    parts = web(request)
    if session is None:
        # The sign-in took longer than the idle timeout, or the cookie is gone: start again.
        return RedirectResponse("/sign-in", status_code=303)
    request.scope["session"] = session.data
    try:
        answer = await parts.provider.authorize_access_token(request)
    except OAuthError as error:
        logger.info("sign-in refused: %s", error.error)
        return render(request, "auth/sign_in_failed.html", status_code=400)
    except httpx.HTTPError as error:
        raise ServiceUnavailable from error
    tokens = tokens_from(dict(answer), parts.clock)
    me = await parts.gateway.execute("Me", access_token=tokens.access_token)
    next_path = safe_next(session.data.get(NEXT_KEY))
    # A new key at sign-in: a key planted before it (session fixation) opens nothing.
    await parts.store.end(session)
    key, _ = await parts.store.create(viewer=me.data["me"], tokens=tokens)
    response = RedirectResponse(next_path, status_code=303)
    set_session_cookie(response, key)
    return response


@router.post("/sign-out")
async def sign_out(request: Request, staff: Staff = Depends(signed_in)) -> Response:
    """Ends the session here, then at the identity provider (RP-initiated logout)."""
    parts = web(request)
    tokens = staff.session.tokens
    await parts.store.end(staff.session)
    signed_out = f"{parts.settings.web_url()}/signed-out"
    try:
        url = await end_session_url(
            parts.provider,
            id_token=tokens.id_token if tokens else None,
            post_logout_redirect_uri=signed_out,
        )
    except httpx.HTTPError:
        url = None
    response = RedirectResponse(url or signed_out, status_code=303)
    clear_session_cookie(response)
    return response


@router.get("/signed-out")
async def signed_out(request: Request) -> Response:
    return render(request, "auth/signed_out.html")


@router.get("/session")
async def session_status(request: Request) -> Response:
    """Seconds until the idle timeout, for the warning; asking does not count as activity."""
    parts = web(request)
    session = await parts.store.peek(request.cookies.get(COOKIE))
    if session is None or not session.signed_in:
        return JSONResponse({"signedIn": False})
    left = (parts.store.expires_at(session) - parts.clock.now()).total_seconds()
    return JSONResponse({"signedIn": True, "expiresIn": max(0, int(left))})


@router.post("/session/extend")
async def extend_session(
    request: Request, staff: Staff = Depends(signed_in), next: str | None = None
) -> Response:
    """ "Stay signed in": the idle timeout starts again (the page's script or a plain form)."""
    await web(request).store.extend(staff.session)
    if request.headers.get("hx-request") or request.headers.get("x-csrf-token"):
        return Response(status_code=204)
    return RedirectResponse(safe_next(next), status_code=303)


AREA = Area(name="auth", router=router)
