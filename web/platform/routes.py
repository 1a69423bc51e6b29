"""The platform administrator's pages: the services' health, their dead letters (replay or
discard each) and the municipalities on the platform. No child's data is on any of them."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from web.areas import Area, NavItem
from web.context import Staff, render, signed_in
from web.forms import NOTHING_REFUSED, Refused, submit
from web.i18n import N_

OPERATORS = frozenset({"platform-admin"})
SERVICES = ("INTAKE", "CARE", "COMMUNITY", "TRANSITION")
PAGE = 50

router = APIRouter(prefix="/platform")


@router.get("/services")
async def service_health(request: Request, staff: Staff = Depends(signed_in)) -> Response:
    result = await staff.query("ServiceHealth")
    return render(request, "platform/health.html", {"services": result.data["serviceHealth"]})


async def dead_letters_page(
    request: Request,
    staff: Staff,
    service: str,
    after: str | None,
    refused: Refused = NOTHING_REFUSED,
) -> Response:
    result = await staff.query("DeadLetters", {"service": service, "first": PAGE, "after": after})
    return render(
        request,
        "platform/dead-letters.html",
        {
            "services": SERVICES,
            "service": service,
            "letters": result.data["deadLetters"],
            "after": after,
            "done": request.query_params.get("done"),
            "refused": refused,
        },
    )


@router.get("/dead-letters")
async def dead_letters(
    request: Request,
    service: str = "INTAKE",
    after: str | None = None,
    staff: Staff = Depends(signed_in),
) -> Response:
    return await dead_letters_page(
        request, staff, service if service in SERVICES else "INTAKE", after
    )


async def act_on_letter(
    request: Request, staff: Staff, operation: str, service: str, letter_id: uuid.UUID, done: str
) -> Response:
    if service not in SERVICES:
        return await dead_letters_page(request, staff, "INTAKE", None)
    return await submit(
        staff,
        operation,
        {"service": service, "id": str(letter_id)},
        then=f"/platform/dead-letters?service={service}&done={done}",
        again=lambda refused: dead_letters_page(request, staff, service, None, refused),
    )


@router.post("/dead-letters/{service}/{letter_id}/replay")
async def replay(
    request: Request, service: str, letter_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    return await act_on_letter(request, staff, "ReplayDeadLetter", service, letter_id, "replayed")


@router.post("/dead-letters/{service}/{letter_id}/discard")
async def discard(
    request: Request, service: str, letter_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    return await act_on_letter(request, staff, "DiscardDeadLetter", service, letter_id, "discarded")


@router.get("/municipalities")
async def municipalities(request: Request, staff: Staff = Depends(signed_in)) -> Response:
    result = await staff.query("Municipalities")
    return render(
        request, "platform/municipalities.html", {"municipalities": result.data["municipalities"]}
    )


AREA = Area(
    name="platform",
    router=router,
    nav=(
        NavItem(N_("Services"), "/platform/services", OPERATORS),
        NavItem(N_("Dead letters"), "/platform/dead-letters", OPERATORS),
        NavItem(N_("Municipalities"), "/platform/municipalities", OPERATORS),
    ),
)
