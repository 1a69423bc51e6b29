"""Meetings with a child: when, why, in which language, and with which interpreter."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from web.context import Staff, signed_in
from web.forms import blank_to_none
from web.record.tab import PREFIX, TabForm, form_values, show_tab, submit_on_tab

router = APIRouter(prefix=PREFIX)
MEETINGS_PAGE = 20
Values = Annotated[dict[str, str], Depends(form_values)]
MEETING_INPUTS = {
    "heldOn": "heldOn",
    "purpose": "purpose",
    "language": "language",
    "interpreter.name": "interpreterName",
    "interpreter": "interpreterName",
}


@router.get("/meetings")
async def meetings(
    request: Request,
    child_id: uuid.UUID,
    after: str | None = None,
    staff: Staff = Depends(signed_in),
) -> Response:
    return await show_tab(
        request,
        staff,
        child_id,
        "meetings",
        variables={"first": MEETINGS_PAGE, "after": after},
        extra={"after": after},
    )


@router.post("/meetings")
async def record_meeting(
    request: Request, child_id: uuid.UUID, values: Values, staff: Staff = Depends(signed_in)
) -> Response:
    interpreter = values.get("interpreterName")
    meeting = {
        "heldOn": blank_to_none(values.get("heldOn")),
        "purpose": values.get("purpose", ""),
        "language": values.get("language", ""),
        "interpreter": {
            "name": interpreter,
            "qualified": values.get("interpreterQualified") == "true",
        }
        if interpreter
        else None,
    }
    form = TabForm(
        "meetings",
        MEETING_INPUTS.get,
        "heldOn",
        variables={"first": MEETINGS_PAGE, "after": None},
        extra={"after": None},
    )
    variables = {"childId": str(child_id), "input": meeting}
    return await submit_on_tab(request, staff, child_id, form, "RecordMeeting", variables, values)
