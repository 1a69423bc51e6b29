"""Funding applications to foundations, their decisions, and the municipality's totals."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from web.community.page import PAGE_SIZE, community_page
from web.context import Staff, signed_in
from web.forms import NOTHING_REFUSED, Fields, Refused, blank_to_none, submit, whole_number

router = APIRouter()


async def funding_page(
    request: Request,
    staff: Staff,
    *,
    after: str | None = None,
    refused: Refused = NOTHING_REFUSED,
) -> Response:
    result = await staff.query("Funding", {"first": PAGE_SIZE, "after": after})
    return community_page(
        request,
        "community/funding.html",
        {
            "totals": result.data["fundingTotals"],
            "applications": result.data["fundingApplications"],
            "pending": [edge["node"] for edge in result.data["pending"]["edges"]],
            "after": after,
            "today": staff.parts.clock.today().isoformat(),
        },
        refused,
    )


@router.get("/funding")
async def funding(
    request: Request, after: str | None = None, staff: Staff = Depends(signed_in)
) -> Response:
    """Funding applications to foundations, with the municipality's totals."""
    return await funding_page(request, staff, after=after)


class ApplicationFields(Fields):
    foundation: str = ""
    purpose: str = ""
    amountNok: str = ""
    appliedOn: str = ""


@router.post("/funding")
async def apply_for_funding(
    request: Request,
    fields: Annotated[ApplicationFields, Form()],
    staff: Staff = Depends(signed_in),
) -> Response:
    return await submit(
        staff,
        "ApplyForFunding",
        {
            "foundation": fields.foundation,
            "purpose": fields.purpose,
            "amountNok": whole_number(fields.amountNok),
            "appliedOn": blank_to_none(fields.appliedOn),
        },
        sent=fields.sent(),
        then="/funding",
        again=lambda refused: funding_page(request, staff, refused=refused),
    )


class DecisionFields(Fields):
    id: str = ""
    status: str = ""
    decisionOn: str = ""
    grantedNok: str = ""


@router.post("/funding/decision")
async def decide_funding(
    request: Request,
    fields: Annotated[DecisionFields, Form()],
    staff: Staff = Depends(signed_in),
) -> Response:
    return await submit(
        staff,
        "DecideFunding",
        {
            "id": fields.id,
            "status": fields.status,
            "decisionOn": blank_to_none(fields.decisionOn),
            "grantedNok": whole_number(fields.grantedNok),
        },
        sent=fields.sent(),
        then="/funding",
        again=lambda refused: funding_page(request, staff, refused=refused),
    )
