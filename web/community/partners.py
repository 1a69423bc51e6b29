"""Partners on the platform, and the municipality's agreements with them."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from web.community.page import PAGE_SIZE, community_page
from web.context import Staff, signed_in
from web.forms import NOTHING_REFUSED, Fields, Refused, blank_to_none, submit

router = APIRouter()
# An agreement ending within this many days is flagged, so that it is renewed in time.
EXPIRING_WITHIN = timedelta(days=30)


def agreement_state(agreement: dict[str, Any], today: date) -> str:
    """What the coordinator must know of an agreement's validity today."""
    valid_to = date.fromisoformat(agreement["validTo"]) if agreement["validTo"] else None
    if date.fromisoformat(agreement["validFrom"]) > today:
        return "UPCOMING"
    if not agreement["active"]:
        return "ENDED"
    if valid_to is not None and valid_to - today <= EXPIRING_WITHIN:
        return "EXPIRING"
    return "ACTIVE"


async def partners_page(
    request: Request,
    staff: Staff,
    *,
    partners_after: str | None = None,
    agreements_after: str | None = None,
    refused: Refused = NOTHING_REFUSED,
) -> Response:
    result = await staff.query(
        "Partners",
        {
            "first": PAGE_SIZE,
            "partnersAfter": partners_after,
            "agreementsAfter": agreements_after,
        },
    )
    today = staff.parts.clock.today()
    agreements = [
        {**edge["node"], "state": agreement_state(edge["node"], today)}
        for edge in result.data["agreements"]["edges"]
    ]
    return community_page(
        request,
        "community/partners.html",
        {
            "partners": result.data["partners"],
            "agreements": agreements,
            "agreements_page": result.data["agreements"]["pageInfo"],
            "partners_after": partners_after,
            "agreements_after": agreements_after,
            "chosen_partner": request.query_params.get("partner", ""),
        },
        refused,
    )


@router.get("/partners")
async def partners(
    request: Request,
    partners_after: str | None = None,
    agreements_after: str | None = None,
    staff: Staff = Depends(signed_in),
) -> Response:
    """The partners on the platform and this municipality's agreements with them."""
    return await partners_page(
        request, staff, partners_after=partners_after, agreements_after=agreements_after
    )


class PartnerFields(Fields):
    slug: str = ""
    name: str = ""
    kind: str = ""


@router.post("/partners")
async def register_partner(
    request: Request,
    fields: Annotated[PartnerFields, Form()],
    staff: Staff = Depends(signed_in),
) -> Response:
    return await submit(
        staff,
        "RegisterPartner",
        fields.sent(),
        sent=fields.sent(),
        # On to its agreement: the form below has the partner filled in.
        then=lambda result: f"/partners?partner={result.data['registerPartner']['slug']}#agreement",
        again=lambda refused: partners_page(request, staff, refused=refused),
    )


class AgreementFields(Fields):
    partnerSlug: str = ""
    scope: str = ""
    validFrom: str = ""
    validTo: str = ""


@router.post("/agreements")
async def create_agreement(
    request: Request,
    fields: Annotated[AgreementFields, Form()],
    staff: Staff = Depends(signed_in),
) -> Response:
    return await submit(
        staff,
        "CreateAgreement",
        {
            "partnerSlug": fields.partnerSlug,
            "scope": fields.scope,
            "validFrom": blank_to_none(fields.validFrom),
            "validTo": blank_to_none(fields.validTo),
        },
        sent=fields.sent(),
        then="/partners#agreements",
        again=lambda refused: partners_page(request, staff, refused=refused),
    )
