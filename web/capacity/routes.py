"""Capacity: the settlement decision (how many minors a year) and the care places per
arrangement, to see and to record."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from web.areas import Area, NavItem
from web.context import Staff, signed_in
from web.graphql import GraphQLResult
from web.i18n import N_
from web.referrals.outcome import CAPACITY_WRITERS, blank_to_none, see_other, show

router = APIRouter()


def whole_number(value: str) -> int | str | None:
    """A number as the gateway's Int takes it; anything else goes as typed, for its error."""
    text = blank_to_none(value)
    if text is None:
        return None
    try:
        return int(text)
    except ValueError:
        return text


async def capacity_page(
    request: Request,
    staff: Staff,
    year: int | None,
    *,
    failed: GraphQLResult | None = None,
    form: str | None = None,
    sent: dict[str, str] | None = None,
) -> Response:
    result = await staff.query("Capacity", {"year": year})
    capacity = result.data["capacity"]
    if capacity is None and year is not None:
        # A year the gateway refuses: this year's page, saying what was wrong with it.
        return await capacity_page(request, staff, None, failed=result, form="year")
    return show(
        request,
        "capacity/capacity.html",
        {
            "capacity": capacity,
            "may_record": not CAPACITY_WRITERS.isdisjoint(staff.roles),
            "sent": sent or {},
        },
        failed=failed,
        form=form,
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
    form: str,
    sent: dict[str, str],
) -> Response:
    result = await staff.query(operation, variables)
    if result.ok:
        return see_other(f"/capacity?year={year}" if year else "/capacity")
    return await capacity_page(request, staff, year, failed=result, form=form, sent=sent)


@router.post("/capacity/settlement-decision")
async def record_settlement_decision(
    request: Request,
    year: str = Form(""),
    minors: str = Form(""),
    staff: Staff = Depends(signed_in),
) -> Response:
    number = whole_number(year)
    return await record(
        request,
        staff,
        "RecordSettlementDecision",
        {"year": number, "minors": whole_number(minors)},
        year=number if isinstance(number, int) else None,
        form="decision",
        sent={"year": year, "minors": minors},
    )


@router.post("/capacity/care-places")
async def record_care_places(
    request: Request,
    year: int | None = None,
    careArrangement: str = Form(""),  # the gateway's name: its errors find the field
    places: str = Form(""),
    free: str = Form(""),
    staff: Staff = Depends(signed_in),
) -> Response:
    return await record(
        request,
        staff,
        "RecordCarePlaces",
        {
            "careArrangement": blank_to_none(careArrangement),
            "places": whole_number(places),
            "free": whole_number(free),
        },
        year=year,
        form="places",
        sent={"careArrangement": careArrangement, "places": places, "free": free},
    )


AREA = Area(
    name="capacity",
    router=router,
    nav=(NavItem(N_("Capacity"), "/capacity", CAPACITY_WRITERS),),
)
