"""The children list: who the municipality follows, a page of 50 at a time."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from web.areas import Area, NavItem
from web.context import Staff, render, signed_in
from web.i18n import N_

router = APIRouter()
PAGE_SIZE = 50
MUNICIPAL_CASEWORK = frozenset({"settlement-coordinator", "caseworker", "contact-person"})


@router.get("/children")
async def children(
    request: Request, after: str | None = None, staff: Staff = Depends(signed_in)
) -> Response:
    result = await staff.query("Children", {"first": PAGE_SIZE, "after": after})
    return render(
        request,
        "children/list.html",
        {"result": result, "children": result.data["children"], "after": after},
        block="results",
    )


AREA = Area(
    name="children",
    router=router,
    nav=(NavItem(N_("Children"), "/children", MUNICIPAL_CASEWORK),),
)
