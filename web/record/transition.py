"""A child's transition to adult life (outcomes at each milestone) and enrolments."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from web.context import Staff, signed_in
from web.forms import blank_to_none, whole_number
from web.record.tab import PREFIX, TabForm, form_values, same_names, show_tab, submit_on_tab

router = APIRouter(prefix=PREFIX)
Values = Annotated[dict[str, str], Depends(form_values)]


@router.get("/transition")
async def transition(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    return await show_tab(request, staff, child_id, "transition")


@router.post("/transition/outcomes")
async def record_outcome(
    request: Request, child_id: uuid.UUID, values: Values, staff: Staff = Depends(signed_in)
) -> Response:
    outcome = {
        "milestoneYears": whole_number(values.get("milestoneYears")),
        "status": blank_to_none(values.get("status")),
    }
    form = TabForm("transition", same_names("milestoneYears", "status"), "milestoneYears")
    variables = {"childId": str(child_id), "input": outcome}
    return await submit_on_tab(request, staff, child_id, form, "RecordOutcome", variables, values)


@router.get("/enrolments")
async def enrolments(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    return await show_tab(request, staff, child_id, "enrolments")
