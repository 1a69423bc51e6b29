"""A child's enrolments in offers and matches with volunteers: each begun with the child's
consent, and ended when it is over."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from web.community.children import child_page
from web.community.page import community_page
from web.context import Staff, signed_in
from web.forms import NOTHING_REFUSED, Fields, Refused, submit
from web.graphql import GraphQLResult

router = APIRouter()
# Enough offers and volunteers to choose from when enrolling or matching one child.
CHOICES = 100


async def end_for_child(
    request: Request, staff: Staff, child_id: str, operation: str, record_id: str, form: str
) -> Response:
    return await submit(
        staff,
        operation,
        {"id": record_id},
        then=f"/community/children/{child_id}#{form}",
        again=lambda refused: child_page(request, staff, child_id, refused),
    )


@router.post("/community/children/{child_id}/enrolments/{enrolment_id}/end")
async def end_enrolment(
    request: Request, child_id: str, enrolment_id: str, staff: Staff = Depends(signed_in)
) -> Response:
    """Ends the enrolment today: the partner's grant to the child closes with it."""
    return await end_for_child(request, staff, child_id, "EndEnrolment", enrolment_id, "enrolments")


@router.post("/community/children/{child_id}/matches/{match_id}/end")
async def end_match(
    request: Request, child_id: str, match_id: str, staff: Staff = Depends(signed_in)
) -> Response:
    return await end_for_child(request, staff, child_id, "EndMatch", match_id, "matches")


def suggested_first(
    suggested: list[dict[str, Any]], others: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """The suggested first (best fit first), then the rest; each once."""
    seen = {item["id"] for item in suggested}
    return suggested + [item for item in others if item["id"] not in seen]


def consent_page(
    request: Request,
    template: str,
    result: GraphQLResult,
    suggested: list[dict[str, Any]],
    others: list[dict[str, Any]],
    chosen: str,
    refused: Refused,
) -> Response:
    """The consent step: what to choose from, `chosen` picked, and the child asked."""
    return community_page(
        request,
        template,
        {
            "child": result.data["child"],
            "candidates": suggested_first(suggested, others),
            "suggested_ids": {item["id"] for item in suggested},
            "chosen": chosen,
        },
        refused,
    )


async def enrol_page(
    request: Request,
    staff: Staff,
    child_id: str,
    offer_id: str,
    refused: Refused = NOTHING_REFUSED,
) -> Response:
    result = await staff.query("EnrolmentConsent", {"id": child_id, "first": CHOICES})
    suggested = [s["offer"] for s in result.data["suggestions"]["offers"]]
    free = result.data["belongingOverview"]["offersWithFreePlaces"]["edges"]
    others = [edge["node"] for edge in free]
    return consent_page(
        request, "community/enrol.html", result, suggested, others, offer_id, refused
    )


@router.get("/community/children/{child_id}/enrol")
async def enrol_form(
    request: Request, child_id: str, offer: str = "", staff: Staff = Depends(signed_in)
) -> Response:
    """The consent step: the offer chosen, and the child asked before it is enrolled."""
    return await enrol_page(request, staff, child_id, offer)


class EnrolFields(Fields):
    offerId: str = ""
    consentGiven: bool = False


@router.post("/community/children/{child_id}/enrol")
async def enrol(
    request: Request,
    child_id: str,
    fields: Annotated[EnrolFields, Form()],
    staff: Staff = Depends(signed_in),
) -> Response:
    return await submit(
        staff,
        "Enrol",
        {"childId": child_id, **fields.sent()},
        sent=fields.sent(),
        then=f"/community/children/{child_id}#enrolments",
        again=lambda refused: enrol_page(request, staff, child_id, fields.offerId, refused),
    )


async def match_page(
    request: Request,
    staff: Staff,
    child_id: str,
    volunteer_id: str,
    refused: Refused = NOTHING_REFUSED,
) -> Response:
    result = await staff.query("MatchConsent", {"id": child_id, "first": CHOICES})
    suggested = [s["volunteer"] for s in result.data["suggestions"]["volunteers"]]
    volunteers = [edge["node"] for edge in result.data["volunteers"]["edges"]]
    certified = [volunteer for volunteer in volunteers if volunteer["policeCertificateValid"]]
    return consent_page(
        request, "community/match.html", result, suggested, certified, volunteer_id, refused
    )


@router.get("/community/children/{child_id}/match")
async def match_form(
    request: Request, child_id: str, volunteer: str = "", staff: Staff = Depends(signed_in)
) -> Response:
    """The consent step for a match with a volunteer (only certified ones are offered)."""
    return await match_page(request, staff, child_id, volunteer)


class MatchFields(Fields):
    volunteerId: str = ""
    consentGiven: bool = False


@router.post("/community/children/{child_id}/match")
async def match(
    request: Request,
    child_id: str,
    fields: Annotated[MatchFields, Form()],
    staff: Staff = Depends(signed_in),
) -> Response:
    return await submit(
        staff,
        "MatchVolunteer",
        {"childId": child_id, **fields.sent()},
        sent=fields.sent(),
        then=f"/community/children/{child_id}#matches",
        again=lambda refused: match_page(request, staff, child_id, fields.volunteerId, refused),
    )
