"""Volunteers and their police certificates: valid until when, or expired."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from web.community.page import PAGE_SIZE, community_page
from web.context import Staff, signed_in
from web.forms import Fields, blank_to_none, submit, words
from web.graphql import GraphQLResult

router = APIRouter()


async def volunteers_page(
    request: Request,
    staff: Staff,
    *,
    after: str | None = None,
    failed: GraphQLResult | None = None,
    form: str | None = None,
    sent: dict[str, str] | None = None,
) -> Response:
    result = await staff.query("Volunteers", {"first": PAGE_SIZE, "after": after})
    # A row's certificate form: the summary links to the field of that row.
    row = form.removeprefix("certificate-") if form and form.startswith("certificate-") else None
    summary = (
        {f"{field}-{row}": message for field, message in failed.field_errors.items()}
        if failed is not None and row
        else None
    )
    return community_page(
        request,
        "community/volunteers.html",
        {
            "volunteers": result.data["volunteers"],
            "limit_months": result.data["communitySettings"]["policeCertificateMonths"],
            "after": after,
            "summary": summary,
        },
        failed=failed,
        form=form,
        sent=sent,
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
        then="/volunteers",
        again=lambda failed: volunteers_page(
            request, staff, failed=failed, form="volunteer", sent=fields.sent()
        ),
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
        then=f"/volunteers#volunteer-{volunteer_id}",
        again=lambda failed: volunteers_page(
            request,
            staff,
            failed=failed,
            form=f"certificate-{volunteer_id}",
            sent=fields.sent(),
        ),
    )
