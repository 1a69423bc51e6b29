"""A child's overview and the forms its "change" links open: profile, interpreter, guardian,
and the contact person; and breaking the glass to reach a child beyond the user's reach."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import Response

from havn.reach import BREAKS_GLASS
from web.context import Staff, render, signed_in
from web.forms import NOTHING_REFUSED, Refused, blank_to_none, submit, words
from web.graphql import PageNotFound
from web.record.tab import (
    PREFIX,
    TABS,
    TabForm,
    form_values,
    render_record,
    same_names,
    saved_path,
    show_tab,
    submit_on_tab,
    writes_care,
)

router = APIRouter(prefix=PREFIX)
# Every contact person of a municipality fits one page of the API's largest size, as every
# task owner does (web/referrals): more than that would call for a search, not a longer select.
CONTACT_PERSONS_PAGE = 500
CHANGES = {"profile", "interpreter", "guardian"}
Values = Annotated[dict[str, str], Depends(form_values)]


async def contact_person_choices(staff: Staff) -> list[tuple[str, str]]:
    """The contact persons to assign, by username (the select's values and labels): care's
    list of whom it would accept, in its order."""
    if not writes_care(staff):
        return []
    result = await staff.query("ContactPersons", {"first": CONTACT_PERSONS_PAGE})
    listed = result.data.get("contactPersons") or {"edges": []}
    usernames = [edge["node"]["username"] for edge in listed["edges"]]
    return [(username, username) for username in usernames]


@router.get("")
async def overview(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    extra = {"contact_persons": await contact_person_choices(staff)}
    try:
        return await show_tab(request, staff, child_id, "overview", extra=extra)
    except PageNotFound:
        if BREAKS_GLASS.isdisjoint(staff.roles):
            raise
        # Beyond the user's reach (or no such child): they may break the glass, saying why.
        return break_glass_form(request, child_id, status_code=404)


# --- break the glass: a child beyond the user's reach, opened for a while with a reason -------


def break_glass_form(
    request: Request,
    child_id: uuid.UUID,
    refused: Refused = NOTHING_REFUSED,
    *,
    status_code: int | None = None,
) -> Response:
    context = {"child_id": child_id, "refused": refused}
    return render(request, "record/break-glass.html", context, status_code=status_code)


@router.get("/break-glass")
async def break_glass_page(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    return break_glass_form(request, child_id)


@router.post("/break-glass")
async def break_the_glass(
    request: Request, child_id: uuid.UUID, values: Values, staff: Staff = Depends(signed_in)
) -> Response:
    reason = values.get("reason", "")

    async def again(refused: Refused) -> Response:
        return break_glass_form(request, child_id, refused)

    return await submit(
        staff,
        "BreakTheGlass",
        {"childId": str(child_id), "reason": reason},
        sent={"reason": reason},
        then=TABS["overview"].path(child_id),
        again=again,
    )


# --- the contact person ----------------------------------------------------------------------


async def contact_person_form(staff: Staff) -> TabForm:
    extra = {"contact_persons": await contact_person_choices(staff)}
    return TabForm("overview", same_names("username"), "username", extra=extra)


@router.post("/contact-person")
async def assign_contact_person(
    request: Request, child_id: uuid.UUID, values: Values, staff: Staff = Depends(signed_in)
) -> Response:
    variables = {
        "childId": str(child_id),
        "username": values.get("username", ""),
        "replace": values.get("replace") == "true",
    }
    form = await contact_person_form(staff)
    return await submit_on_tab(
        request, staff, child_id, form, "AssignContactPerson", variables, values
    )


@router.post("/contact-person/unassign")
async def unassign_contact_person(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    form = await contact_person_form(staff)
    variables = {"childId": str(child_id)}
    return await submit_on_tab(
        request, staff, child_id, form, "UnassignContactPerson", variables, {}
    )


# --- profile, interpreter, guardian ----------------------------------------------------------


async def change_page(
    request: Request,
    staff: Staff,
    child_id: uuid.UUID,
    part: str,
    refused: Refused = NOTHING_REFUSED,
) -> Response:
    result = await staff.query("ChildOverview", {"id": str(child_id)})
    return render_record(
        request,
        staff,
        child_id,
        f"record/change_{part}.html",
        result,
        tab=TABS["overview"],
        refused=refused,
    )


@router.get("/change/{part}")
async def change(
    request: Request, child_id: uuid.UUID, part: str, staff: Staff = Depends(signed_in)
) -> Response:
    if part not in CHANGES:
        raise HTTPException(status_code=404)
    return await change_page(request, staff, child_id, part)


def profile_input(values: Mapping[str, str]) -> dict[str, Any]:
    """The profile form's fields as ChildProfileInput (left empty: unchanged)."""
    given: dict[str, Any] = {
        "fullName": blank_to_none(values.get("fullName")),
        "dateOfBirth": blank_to_none(values.get("dateOfBirth")),
        "sex": blank_to_none(values.get("sex")),
        "nationality": blank_to_none(values.get("nationality")),
        "careArrangement": blank_to_none(values.get("careArrangement")),
    }
    languages = words(values.get("languages", ""))
    if languages:
        given["languages"] = languages
    given["dateOfBirthEstimated"] = values.get("dateOfBirthEstimated") == "true"
    return {key: value for key, value in given.items() if value is not None}


def guardian_input(values: Mapping[str, str]) -> dict[str, Any]:
    given: dict[str, Any] = {}
    for role in ("guardian", "representative"):
        name, on = values.get(f"{role}Name"), values.get(f"{role}AppointedOn")
        if name or on:
            given[role] = {"name": name or "", "appointedOn": on or None}
    return given


def change_input_of(field: str) -> str | None:
    """guardian.name -> guardianName; a profile field keeps its name as the input's id."""
    head, _, tail = field.partition(".")
    return head + tail[:1].upper() + tail[1:] if tail else head


@router.post("/change/{part}")
async def save_change(
    request: Request,
    child_id: uuid.UUID,
    part: str,
    values: Values,
    staff: Staff = Depends(signed_in),
) -> Response:
    if part == "interpreter":
        operation, first = "SetInterpreterNeed", "needed"
        variables = {"childId": str(child_id), "needed": values.get("needed") == "true"}
    elif part == "guardian":
        operation, first = "UpdateChild", "guardianName"
        variables = {"id": str(child_id), "input": guardian_input(values)}
    else:
        operation, first = "UpdateChild", "fullName"
        variables = {"id": str(child_id), "input": profile_input(values)}

    async def again(refused: Refused) -> Response:
        return await change_page(request, staff, child_id, part, refused)

    return await submit(
        staff,
        operation,
        variables,
        sent=values,
        input_of=change_input_of,
        first_input=first,
        then=saved_path(child_id, "overview"),
        again=again,
    )
