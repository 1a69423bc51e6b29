"""Volunteers and their police certificates: valid until when, or expired."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from web.community.page import PAGE_SIZE, community_page
from web.context import Staff, signed_in
from web.forms import NOTHING_REFUSED, Fields, Refused, blank_to_none, submit, words

router = APIRouter()


async def volunteers_page(
    request: Request,
    staff: Staff,
    *,
    after: str | None = None,
    refused: Refused = NOTHING_REFUSED,
) -> Response:
    result = await staff.query("Volunteers", {"first": PAGE_SIZE, "after": after})
    return community_page(
        request,
        "community/volunteers.html",
        {
            "volunteers": result.data["volunteers"],
            "limit_months": result.data["communitySettings"]["policeCertificateMonths"],
            "after": after,
        },
        refused,
    )


@router.get("/volunteers")
async def volunteers(
    request: Request, after: str | None = None, staff: Staff = Depends(signed_in)
) -> Response:
    """Volunteers with their police certificates: valid until when, or expired."""
    return await volunteers_page(request, staff, after=after)


class VolunteerFields(Fields):
    partnerSlug: str = ""
    kind: str = ""
    name: str = ""
    languages: str = ""
    interests: str = ""
    policeCertificateCheckedOn: str = ""


@router.post("/volunteers")
async def register_volunteer(
    request: Request,
    fields: Annotated[VolunteerFields, Form()],
    staff: Staff = Depends(signed_in),
) -> Response:
    return await submit(
        staff,
        "RegisterVolunteer",
        {
            "partnerSlug": fields.partnerSlug,
            "kind": fields.kind,
            "name": fields.name,
            "languages": words(fields.languages),
            "interests": words(fields.interests),
            "policeCertificateCheckedOn": blank_to_none(fields.policeCertificateCheckedOn),
        },
        sent=fields.sent(),
        then="/volunteers",
        again=lambda refused: volunteers_page(request, staff, refused=refused),
    )


class CertificateFields(Fields):
    checkedOn: str = ""


@router.post("/volunteers/{volunteer_id}/police-certificate")
async def record_police_certificate(
    request: Request,
    volunteer_id: str,
    fields: Annotated[CertificateFields, Form()],
    staff: Staff = Depends(signed_in),
) -> Response:
    return await submit(
        staff,
        "RecordPoliceCertificate",
        {"volunteerId": volunteer_id, "checkedOn": blank_to_none(fields.checkedOn)},
        # A row's form: its input is the row's (every message of the gateway's is about it).
        sent={f"checkedOn-{volunteer_id}": fields.checkedOn},
        then=f"/volunteers#volunteer-{volunteer_id}",
        again=lambda refused: volunteers_page(request, staff, refused=refused),
    )
