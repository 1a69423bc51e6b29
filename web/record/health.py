"""A child's health (general practitioner, screenings) and education."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from web.context import Staff, signed_in
from web.forms import blank_to_none
from web.record.tab import PREFIX, TabForm, form_values, same_names, show_tab, submit_on_tab

router = APIRouter(prefix=PREFIX)
Values = Annotated[dict[str, str], Depends(form_values)]
EDUCATION_INPUTS = ("school", "classLevel", "norwegianLevel", "startedOn")


@router.get("/health")
async def health(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    return await show_tab(request, staff, child_id, "health")


@router.post("/health/general-practitioner")
async def set_general_practitioner(
    request: Request, child_id: uuid.UUID, values: Values, staff: Staff = Depends(signed_in)
) -> Response:
    practitioner = {
        "name": values.get("gpName", ""),
        "practice": blank_to_none(values.get("practice")),
    }
    form = TabForm("health", {"name": "gpName", "practice": "practice"}.get, "gpName")
    variables = {"childId": str(child_id), "input": practitioner}
    return await submit_on_tab(
        request, staff, child_id, form, "SetGeneralPractitioner", variables, values
    )


@router.post("/health/screenings")
async def record_health_screening(
    request: Request, child_id: uuid.UUID, values: Values, staff: Staff = Depends(signed_in)
) -> Response:
    screening = {
        "kind": values.get("kind", ""),
        "screenedOn": blank_to_none(values.get("screenedOn")),
        "findings": blank_to_none(values.get("findings")),
    }
    form = TabForm("health", same_names("kind", "screenedOn", "findings"), "kind")
    variables = {"childId": str(child_id), "input": screening}
    return await submit_on_tab(
        request, staff, child_id, form, "RecordHealthScreening", variables, values
    )


@router.get("/education")
async def education(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    return await show_tab(request, staff, child_id, "education")


@router.post("/education")
async def record_education(
    request: Request, child_id: uuid.UUID, values: Values, staff: Staff = Depends(signed_in)
) -> Response:
    schooling = {name: blank_to_none(values.get(name)) for name in EDUCATION_INPUTS}
    form = TabForm("education", same_names(*EDUCATION_INPUTS), "school")
    variables = {"childId": str(child_id), "input": schooling}
    return await submit_on_tab(request, staff, child_id, form, "RecordEducation", variables, values)
