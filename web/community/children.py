"""A child's belonging: the children to choose from, a child's interests, suggestions,
enrolments and matches, and the overview of who has neither an activity nor a mentor."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from web.community.page import PAGE_SIZE, community_page
from web.context import Staff, signed_in
from web.forms import NOTHING_REFUSED, Fields, Refused, submit, words

router = APIRouter()


@router.get("/community/children")
async def children(
    request: Request, after: str | None = None, staff: Staff = Depends(signed_in)
) -> Response:
    """The municipality's children, basic profile only, each linking to its belonging."""
    result = await staff.query("CommunityChildren", {"first": PAGE_SIZE, "after": after})
    return community_page(
        request,
        "community/children.html",
        {"children": result.data["children"], "after": after},
        block="results",
    )


async def child_page(
    request: Request,
    staff: Staff,
    child_id: str,
    refused: Refused = NOTHING_REFUSED,
) -> Response:
    result = await staff.query("CommunityChild", {"id": child_id, "first": PAGE_SIZE})
    return community_page(
        request,
        "community/child.html",
        {
            "child": result.data["child"],
            "matches": [edge["node"] for edge in result.data["matches"]["edges"]],
            "suggestions": result.data["suggestions"],
        },
        refused,
    )


@router.get("/community/children/{child_id}")
async def child(request: Request, child_id: str, staff: Staff = Depends(signed_in)) -> Response:
    """A child's interests, suggestions with their reasons, enrolments and matches."""
    return await child_page(request, staff, child_id)


class InterestsFields(Fields):
    interests: str = ""


@router.post("/community/children/{child_id}/interests")
async def set_interests(
    request: Request,
    child_id: str,
    fields: Annotated[InterestsFields, Form()],
    staff: Staff = Depends(signed_in),
) -> Response:
    return await submit(
        staff,
        "SetChildInterests",
        {"childId": child_id, "interests": words(fields.interests)},
        sent=fields.sent(),
        then=f"/community/children/{child_id}#suggestions",
        again=lambda refused: child_page(request, staff, child_id, refused),
    )


@router.get("/belonging")
async def belonging(
    request: Request,
    children_after: str | None = None,
    offers_after: str | None = None,
    staff: Staff = Depends(signed_in),
) -> Response:
    """Children with neither an activity nor a mentor, and the offers with free places."""
    result = await staff.query(
        "Belonging",
        {"first": PAGE_SIZE, "childrenAfter": children_after, "offersAfter": offers_after},
    )
    return community_page(
        request,
        "community/belonging.html",
        {
            "overview": result.data["belongingOverview"],
            "children_after": children_after,
            "offers_after": offers_after,
        },
    )
