"""The directorate allocator's pages: a referral to a municipality, the referrals' status,
and every municipality's capacity beside its pending referrals."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from babel import Locale
from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from web.areas import Area, NavItem
from web.context import Staff, signed_in
from web.forms import NOTHING_REFUSED, Fields, Refused, blank_to_none, submit, whole_number, words
from web.i18n import N_, current_language
from web.referrals.outcome import show

router = APIRouter()
ALLOCATION = frozenset({"directorate-allocator"})
PAGE_SIZE = 50
ReferralView = Literal["ALL", "PENDING", "OVERDUE", "ACCEPTED", "DECLINED", "ARRIVED", "WITHDRAWN"]
REFERRAL_VIEWS: tuple[tuple[str, str], ...] = (
    ("ALL", N_("All")),
    ("PENDING", N_("Pending")),
    ("OVERDUE", N_("Overdue")),
    ("ACCEPTED", N_("Accepted")),
    ("DECLINED", N_("Declined")),
    ("ARRIVED", N_("Arrived")),
    ("WITHDRAWN", N_("Withdrawn")),
)


def referral_filter(view: str, municipality: str | None) -> dict[str, Any] | None:
    where: dict[str, Any] = {"municipality": municipality} if municipality else {}
    if view == "OVERDUE":
        where["overdue"] = True
    elif view != "ALL":
        where["status"] = [view]
    return where or None


def countries() -> list[tuple[str, str]]:
    """Every country (ISO 3166-1 alpha-2) by its name in the page's language, sorted by it."""
    names = Locale.parse(current_language()).territories
    return sorted(
        ((code, name) for code, name in names.items() if len(code) == 2 and code.isalpha()),
        key=lambda pair: pair[1],
    )


@router.get("/allocation/referrals")
async def referrals(
    request: Request,
    status: ReferralView = "ALL",
    municipality: str = "",
    after: str | None = None,
    staff: Staff = Depends(signed_in),
) -> Response:
    """The referrals the directorate has made, to follow each one's answer."""
    number = blank_to_none(municipality)
    result = await staff.query(
        "AllocatedReferrals",
        {"filter": referral_filter(status, number), "first": PAGE_SIZE, "after": after},
    )
    listed = result.data.get("searchReferrals")
    return show(
        request,
        "allocation/referrals.html",
        {
            "referrals": listed,
            "view": status,
            "views": REFERRAL_VIEWS,
            "municipality": number or "",
            "after": after,
            "refused": NOTHING_REFUSED
            if listed is not None
            else Refused.of(result, {"municipality": municipality}),
        },
        block="results",
    )


def referral_form(request: Request, refused: Refused = NOTHING_REFUSED) -> Response:
    return show(request, "allocation/new.html", {"countries": countries(), "refused": refused})


@router.get("/allocation/referrals/new")
async def new_referral(request: Request, _: Staff = Depends(signed_in)) -> Response:
    return referral_form(request)


class ReferralFields(Fields):
    municipality: str = ""
    fullName: str = ""
    dateOfBirth: str = ""
    sex: str = ""
    nationality: str = ""
    languages: str = ""
    respondBy: str = ""
    proposedArrival: str = ""
    needsSummary: str = ""


@router.post("/allocation/referrals")
async def create_referral(
    request: Request,
    fields: Annotated[ReferralFields, Form()],
    staff: Staff = Depends(signed_in),
) -> Response:
    async def again(refused: Refused) -> Response:
        return referral_form(request, refused)

    return await submit(
        staff,
        "CreateReferral",
        {
            # Required text goes as typed (empty too): the service says what is wrong with it.
            "municipality": fields.municipality.strip(),
            "fullName": fields.fullName,
            "sex": fields.sex,
            "nationality": fields.nationality,
            "languages": words(fields.languages),
            "dateOfBirth": blank_to_none(fields.dateOfBirth),
            "respondBy": blank_to_none(fields.respondBy),
            "proposedArrival": blank_to_none(fields.proposedArrival),
            "needsSummary": blank_to_none(fields.needsSummary),
        },
        sent=fields.sent(),
        then=lambda result: f"/allocation/referrals/{result.data['createReferral']['id']}",
        again=again,
    )


@router.get("/allocation/referrals/{referral_id}")
async def referral(
    request: Request, referral_id: str, staff: Staff = Depends(signed_in)
) -> Response:
    """One referral's status: pending, accepted (with the planned arrival), declined, arrived."""
    result = await staff.query("AllocatedReferral", {"id": referral_id})
    return show(request, "allocation/referral.html", {"referral": result.data["referral"]})


@router.get("/allocation/capacity")
async def national_capacity(
    request: Request,
    year: str = "",
    after: str | None = None,
    staff: Staff = Depends(signed_in),
) -> Response:
    """Every municipality's settlement decision and free places beside its pending referrals."""
    asked = whole_number(year)
    result = await staff.query(
        "NationalCapacity", {"year": asked, "first": PAGE_SIZE, "after": after}
    )
    refused = NOTHING_REFUSED
    if result.data.get("nationalCapacity") is None:
        # A year the gateway refuses: this year's table, saying what was wrong with the year.
        refused = Refused.of(result, {"year": year})
        asked, after = None, None
        result = await staff.query("NationalCapacity", {"year": None, "first": PAGE_SIZE})
    capacity = result.data["nationalCapacity"]
    return show(
        request,
        "allocation/capacity.html",
        {"capacity": capacity, "year": asked, "after": after, "refused": refused},
        block="results",
    )


AREA = Area(
    name="allocation",
    router=router,
    nav=(
        NavItem(N_("Referrals"), "/allocation/referrals", ALLOCATION),
        NavItem(N_("National capacity"), "/allocation/capacity", ALLOCATION),
    ),
)
