"""Relocations in and out: propose that another municipality take a child over, and accept,
decline or cancel what was proposed."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from web.areas import Area, NavItem
from web.context import Staff, signed_in
from web.forms import NOTHING_REFUSED, Fields, Refused, blank_to_none, submit
from web.i18n import N_
from web.referrals.outcome import COORDINATION, INTAKE_WRITERS, show

router = APIRouter()
PAGE_SIZE = 25


@router.get("/relocations")
async def relocations(
    request: Request,
    incoming_after: str | None = None,
    outgoing_after: str | None = None,
    staff: Staff = Depends(signed_in),
) -> Response:
    result = await staff.query(
        "Relocations",
        {"first": PAGE_SIZE, "incomingAfter": incoming_after, "outgoingAfter": outgoing_after},
    )
    return show(
        request,
        "relocations/list.html",
        {
            "incoming": result.data["incoming"],
            "outgoing": result.data["outgoing"],
            "incoming_after": incoming_after,
            "outgoing_after": outgoing_after,
            "may_change": not INTAKE_WRITERS.isdisjoint(staff.roles),
        },
    )


async def proposal_page(
    request: Request,
    staff: Staff,
    *,
    child_id: str | None,
    name: str | None,
    after: str | None,
    refused: Refused = NOTHING_REFUSED,
) -> Response:
    """Find the child by name, then say where it goes."""
    context: dict[str, Any] = {
        "name": name or "",
        "after": after,
        "child": None,
        "candidates": None,
    }
    if child_id:
        context["child"] = (await staff.query("RelocationChild", {"id": child_id})).data["child"]
    elif name:
        found = await staff.query(
            "RelocationCandidates", {"name": name, "first": PAGE_SIZE, "after": after}
        )
        if found.ok:
            context["candidates"] = found.data["searchChildren"]
        else:
            refused = Refused.of(found, {"name": name})
    return show(request, "relocations/propose.html", {**context, "refused": refused})


@router.get("/relocations/new")
async def new_relocation(
    request: Request,
    child: str | None = None,
    name: str | None = None,
    after: str | None = None,
    staff: Staff = Depends(signed_in),
) -> Response:
    return await proposal_page(request, staff, child_id=child, name=name, after=after)


class ProposalFields(Fields):
    childId: str = ""
    toMunicipality: str = ""
    note: str = ""


@router.post("/relocations")
async def propose(
    request: Request,
    fields: Annotated[ProposalFields, Form()],
    staff: Staff = Depends(signed_in),
) -> Response:
    return await submit(
        staff,
        "ProposeRelocation",
        {
            "childId": fields.childId,
            "toMunicipality": fields.toMunicipality.strip(),
            "note": blank_to_none(fields.note),
        },
        sent={"toMunicipality": fields.toMunicipality, "note": fields.note},
        then=lambda result: f"/relocations/{result.data['proposeRelocation']['id']}",
        again=lambda refused: proposal_page(
            request, staff, child_id=fields.childId, name=None, after=None, refused=refused
        ),
    )


async def relocation_page(
    request: Request,
    staff: Staff,
    relocation_id: str,
    refused: Refused = NOTHING_REFUSED,
) -> Response:
    result = await staff.query("Relocation", {"id": relocation_id})
    relocation = result.data["relocation"]
    may_change = not INTAKE_WRITERS.isdisjoint(staff.roles)
    open_ = relocation["status"] == "PROPOSED" and may_change
    return show(
        request,
        "relocations/relocation.html",
        {
            "relocation": relocation,
            "may_decide": open_ and relocation["toMunicipality"] == staff.tenant,
            "may_cancel": open_ and relocation["fromMunicipality"] == staff.tenant,
            "refused": refused,
        },
    )


@router.get("/relocations/{relocation_id}")
async def relocation(
    request: Request, relocation_id: str, staff: Staff = Depends(signed_in)
) -> Response:
    return await relocation_page(request, staff, relocation_id)


async def decide(
    request: Request,
    staff: Staff,
    relocation_id: str,
    operation: str,
    variables: dict[str, Any],
    *,
    sent: dict[str, Any] | None = None,
) -> Response:
    return await submit(
        staff,
        operation,
        {"id": relocation_id, **variables},
        sent=sent,
        then=f"/relocations/{relocation_id}",
        again=lambda refused: relocation_page(request, staff, relocation_id, refused),
    )


class AcceptFields(Fields):
    careArrangement: str = ""
    relocatedOn: str = ""


@router.post("/relocations/{relocation_id}/accept")
async def accept(
    request: Request,
    relocation_id: str,
    fields: Annotated[AcceptFields, Form()],
    staff: Staff = Depends(signed_in),
) -> Response:
    return await decide(
        request,
        staff,
        relocation_id,
        "AcceptRelocation",
        {
            "careArrangement": blank_to_none(fields.careArrangement),
            "relocatedOn": blank_to_none(fields.relocatedOn),
        },
        sent=fields.sent(),
    )


class DeclineFields(Fields):
    reason: str = ""


@router.post("/relocations/{relocation_id}/decline")
async def decline(
    request: Request,
    relocation_id: str,
    fields: Annotated[DeclineFields, Form()],
    staff: Staff = Depends(signed_in),
) -> Response:
    return await decide(
        request,
        staff,
        relocation_id,
        "DeclineRelocation",
        {"reason": fields.reason},
        sent=fields.sent(),
    )


@router.post("/relocations/{relocation_id}/cancel")
async def cancel(
    request: Request, relocation_id: str, staff: Staff = Depends(signed_in)
) -> Response:
    return await decide(request, staff, relocation_id, "CancelRelocation", {})


AREA = Area(
    name="relocations",
    router=router,
    nav=(NavItem(N_("Relocations"), "/relocations", COORDINATION),),
)
