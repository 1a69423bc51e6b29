"""Capacity: the settlement decision (how many minors a year) and the care places per
arrangement, to see and to record."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from web.areas import Area, NavItem
from web.context import Staff, signed_in
from web.forms import NOTHING_REFUSED, Fields, Refused, blank_to_none, submit, whole_number
from web.i18n import N_
from web.referrals.outcome import CAPACITY_WRITERS, show

router = APIRouter()


async def capacity_page(
    request: Request,
    staff: Staff,
    year: int | None,
    refused: Refused = NOTHING_REFUSED,
) -> Response:
    result = await staff.query("Capacity", {"year": year})
    capacity = result.data["capacity"]
    if capacity is None and year is not None:
        # A year the gateway refuses: this year's page, saying what was wrong with it.
        return await capacity_page(request, staff, None, Refused.of(result, {"year": year}))
    return show(
        request,
        "capacity/capacity.html",
        {
            "capacity": capacity,
            "may_record": not CAPACITY_WRITERS.isdisjoint(staff.roles),
            "refused": refused,
        },
    )


@router.get("/capacity")
async def capacity(
    request: Request, year: int | None = None, staff: Staff = Depends(signed_in)
) -> Response:
    return await capacity_page(request, staff, year)


async def record(
    request: Request,
    staff: Staff,
    operation: str,
    variables: dict[str, Any],
    *,
    year: int | None,
    sent: dict[str, Any],
) -> Response:
    return await submit(
        staff,
        operation,
        variables,
        sent=sent,
        then=f"/capacity?year={year}" if year else "/capacity",
        again=lambda refused: capacity_page(request, staff, year, refused),
    )


class DecisionFields(Fields):
    minors: str = ""
    year: str = ""  # hidden: the year the page shows


@router.post("/capacity/settlement-decision")
async def record_settlement_decision(
    request: Request,
    fields: Annotated[DecisionFields, Form()],
    staff: Staff = Depends(signed_in),
) -> Response:
    number = whole_number(fields.year)
    return await record(
        request,
        staff,
        "RecordSettlementDecision",
        {"year": number, "minors": whole_number(fields.minors)},
        year=number if isinstance(number, int) else None,
        sent=fields.sent(),
    )


class CarePlacesFields(Fields):
    careArrangement: str = ""
    places: str = ""
    free: str = ""


@router.post("/capacity/care-places")
async def record_care_places(
    request: Request,
    fields: Annotated[CarePlacesFields, Form()],
    year: int | None = None,
    staff: Staff = Depends(signed_in),
) -> Response:
    return await record(
        request,
        staff,
        "RecordCarePlaces",
        {
            "careArrangement": blank_to_none(fields.careArrangement),
            "places": whole_number(fields.places),
            "free": whole_number(fields.free),
        },
        year=year,
        sent=fields.sent(),
    )


AREA = Area(
    name="capacity",
    router=router,
    nav=(NavItem(N_("Capacity"), "/capacity", CAPACITY_WRITERS),),
)
