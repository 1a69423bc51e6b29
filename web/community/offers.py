"""The municipality's offers: capacity, free places, tags, languages, schedule."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from web.community.page import PAGE_SIZE, community_page
from web.context import Staff, signed_in
from web.forms import NOTHING_REFUSED, Fields, Refused, blank_to_none, submit, whole_number, words

router = APIRouter()


async def offers_page(
    request: Request,
    staff: Staff,
    *,
    after: str | None = None,
    refused: Refused = NOTHING_REFUSED,
) -> Response:
    result = await staff.query("Offers", {"first": PAGE_SIZE, "after": after})
    return community_page(
        request, "community/offers.html", {"offers": result.data["offers"], "after": after}, refused
    )


@router.get("/offers")
async def offers(
    request: Request, after: str | None = None, staff: Staff = Depends(signed_in)
) -> Response:
    """The municipality's offers: capacity, free places, tags, languages, schedule."""
    return await offers_page(request, staff, after=after)


class OfferFields(Fields):
    partnerSlug: str = ""
    title: str = ""
    kind: str = ""
    tags: str = ""
    languages: str = ""
    capacity: str = ""
    schedule: str = ""


@router.post("/offers")
async def create_offer(
    request: Request,
    fields: Annotated[OfferFields, Form()],
    staff: Staff = Depends(signed_in),
) -> Response:
    return await submit(
        staff,
        "CreateOffer",
        {
            "partnerSlug": fields.partnerSlug,
            "title": fields.title,
            "kind": fields.kind,
            "tags": words(fields.tags),
            "languages": words(fields.languages),
            "capacity": whole_number(fields.capacity),
            "schedule": blank_to_none(fields.schedule),
        },
        sent=fields.sent(),
        then="/offers",
        again=lambda refused: offers_page(request, staff, refused=refused),
    )
