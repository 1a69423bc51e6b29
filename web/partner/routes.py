"""A partner's screens: in the municipality it chose, its offers and enrolments, the
children's basic profile while a grant is in force, and attendance. Nothing else."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from web.areas import Area, NavItem
from web.community.labels import LABELS
from web.context import Staff, signed_in
from web.forms import NOTHING_REFUSED, Fields, Refused, blank_to_none, submit
from web.i18n import N_
from web.referrals.outcome import show

router = APIRouter()
PAGE_SIZE = 50
# The newest days of an enrolment's register shown beside it.
ATTENDANCE_SHOWN = 5
PARTNERS = frozenset({"partner"})


async def partner_page(
    request: Request,
    staff: Staff,
    *,
    offer: str | None = None,
    after: str | None = None,
    offers_after: str | None = None,
    refused: Refused = NOTHING_REFUSED,
) -> Response:
    context = {
        **LABELS,
        "offer": offer,
        "after": after,
        "offers_after": offers_after,
        "attendance_shown": ATTENDANCE_SHOWN,
        "today": staff.parts.clock.today().isoformat(),
        "refused": refused,
    }
    if staff.tenant is None:
        # Several municipalities and none chosen yet: the gateway would not know which.
        return show(request, "partner/choose.html", context)
    result = await staff.query(
        "PartnerOffers",
        {"first": PAGE_SIZE, "offerId": offer, "after": after, "offersAfter": offers_after},
    )
    return show(
        request,
        "partner/offers.html",
        {**context, "offers": result.data["offers"], "enrolments": result.data["enrolments"]},
    )


@router.get("/partner")
async def offers(
    request: Request,
    offer: str | None = None,
    after: str | None = None,
    offers_after: str | None = None,
    staff: Staff = Depends(signed_in),
) -> Response:
    """The partner's offers and enrolments in the municipality it acts in."""
    return await partner_page(
        request, staff, offer=offer or None, after=after, offers_after=offers_after
    )


class AttendanceFields(Fields):
    on: str = ""
    present: str = ""
    offer: str = ""  # the offer the page showed, to go back to


@router.post("/partner/enrolments/{enrolment_id}/attendance")
async def record_attendance(
    request: Request,
    enrolment_id: str,
    fields: Annotated[AttendanceFields, Form()],
    staff: Staff = Depends(signed_in),
) -> Response:
    """Whether the child came on a day (once per day: the gateway refuses a second)."""
    back = f"/partner?offer={fields.offer}" if fields.offer else "/partner"
    return await submit(
        staff,
        "RecordAttendance",
        {
            "enrolmentId": enrolment_id,
            "on": blank_to_none(fields.on),
            "present": fields.present == "true",
        },
        # A row's form: its inputs are the row's (every message goes to its day).
        sent={f"on-{enrolment_id}": fields.on, f"present-{enrolment_id}": fields.present},
        then=f"{back}#enrolment-{enrolment_id}",
        again=lambda refused: partner_page(
            request, staff, offer=fields.offer or None, refused=refused
        ),
    )


AREA = Area(
    name="partner",
    router=router,
    nav=(NavItem(N_("Our offers"), "/partner", PARTNERS),),
)
