"""The start page, the language switch and the municipality picker."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response

from web import i18n
from web.areas import Area
from web.context import Staff, current_session, render, safe_next, signed_in, web
from web.sessions import WebSession

router = APIRouter()
ONE_YEAR = 365 * 24 * 3600


@router.get("/")
async def start(
    request: Request, session: WebSession | None = Depends(current_session)
) -> Response:
    """Signed in: what the role can do here. Otherwise: what Havn is, and the way in."""
    if session is None or not session.signed_in:
        return render(request, "shell/welcome.html")
    await signed_in(request, session)
    return render(request, "shell/home.html")


@router.get("/language/{code}")
async def choose_language(code: str, next: str | None = None) -> Response:
    """Remembers the language chosen (a cookie, so that it holds before signing in too)."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in i18n.LANGUAGES:
        response.set_cookie(
            i18n.LANGUAGE_COOKIE,
            code,
            max_age=ONE_YEAR,
            path="/",
            secure=True,
            httponly=True,
            samesite="lax",
        )
    return response


@router.post("/municipality")
async def choose_municipality(
    request: Request,
    municipality: str = Form(...),
    next: str = Form("/"),
    staff: Staff = Depends(signed_in),
) -> Response:
    """For a user of several municipalities: the one the next requests act in (X-Havn-Tenant)."""
    if municipality in staff.tenants:
        staff.session.data["tenant"] = municipality
        await web(request).store.save_data(staff.session)
    return RedirectResponse(safe_next(next), status_code=303)


@router.get("/healthz", include_in_schema=False)
async def healthz() -> dict[str, str]:
    return {"status": "ok"}


@router.get("/readyz", include_in_schema=False)
async def readyz(request: Request) -> Response:
    """Ready when the session store answers."""
    try:
        await web(request).store.ping()
    except Exception:  # a readiness probe reports, it does not raise
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, 503)
    return JSONResponse({"status": "ok", "database": "ok"})


AREA = Area(name="shell", router=router)
