"""The settlement coordinator's referrals: the inbox, a referral with accept and decline,
its preparation checklist and the child's arrival."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from web.areas import Area, NavItem
from web.context import Staff, signed_in
from web.graphql import GraphQLResult, PageNotFound
from web.i18n import N_
from web.labels import PREPARATION_TASKS
from web.referrals.outcome import COORDINATION, INTAKE_WRITERS, blank_to_none, see_other, show

router = APIRouter()
PAGE_SIZE = 50
# Enough for every user of a municipality to be offered as a task's owner.
STAFF_PAGE_SIZE = 500
# The inbox's views: what needs an answer first, then each status, then everything.
InboxView = Literal["PENDING", "OVERDUE", "ACCEPTED", "DECLINED", "ARRIVED", "WITHDRAWN", "ALL"]
INBOX_VIEWS: tuple[tuple[str, str], ...] = (
    ("PENDING", N_("Pending")),
    ("OVERDUE", N_("Overdue")),
    ("ACCEPTED", N_("Accepted")),
    ("DECLINED", N_("Declined")),
    ("ARRIVED", N_("Arrived")),
    ("WITHDRAWN", N_("Withdrawn")),
    ("ALL", N_("All")),
)


def inbox_filter(view: str) -> dict[str, Any] | None:
    if view == "ALL":
        return None
    if view == "OVERDUE":
        return {"overdue": True}
    return {"status": [view]}


@router.get("/referrals")
async def inbox(
    request: Request,
    status: InboxView = "PENDING",
    after: str | None = None,
    staff: Staff = Depends(signed_in),
) -> Response:
    """Pending referrals by respond-by date, so the overdue ones come first."""
    result = await staff.query(
        "Referrals", {"filter": inbox_filter(status), "first": PAGE_SIZE, "after": after}
    )
    return show(
        request,
        "referrals/inbox.html",
        {
            "result": result,
            "referrals": result.data["searchReferrals"],
            "view": status,
            "views": INBOX_VIEWS,
            "after": after,
        },
        block="results",
    )


async def referral_page(
    request: Request,
    staff: Staff,
    referral_id: str,
    *,
    failed: GraphQLResult | None = None,
    form: str | None = None,
    sent: dict[str, str] | None = None,
) -> Response:
    result = await staff.query("Referral", {"id": referral_id})
    referral = result.data["referral"]
    may_change = not INTAKE_WRITERS.isdisjoint(staff.roles)
    care_places: dict[str, dict[str, int]] = {}
    if may_change and referral["status"] == "PENDING":
        capacity = await staff.query("FreeCarePlaces")
        care_places = {
            places["careArrangement"]: places for places in capacity.data["capacity"]["carePlaces"]
        }
    return show(
        request,
        "referrals/referral.html",
        {
            "result": result,
            "referral": referral,
            "may_change": may_change,
            "care_places": care_places,
            "sent": sent or {},
        },
        failed=failed,
        form=form,
    )


@router.get("/referrals/{referral_id}")
async def referral(
    request: Request, referral_id: str, staff: Staff = Depends(signed_in)
) -> Response:
    return await referral_page(request, staff, referral_id)


async def act_on_referral(
    request: Request,
    staff: Staff,
    referral_id: str,
    operation: str,
    variables: dict[str, Any],
    *,
    form: str,
    sent: dict[str, str] | None = None,
    anchor: str = "",
) -> Response:
    """Runs a change to the referral, then shows it (or the form again with the objections)."""
    result = await staff.query(operation, variables)
    if result.ok:
        return see_other(f"/referrals/{referral_id}{anchor}")
    return await referral_page(request, staff, referral_id, failed=result, form=form, sent=sent)


@router.post("/referrals/{referral_id}/accept")
async def accept(
    request: Request,
    referral_id: str,
    plannedArrival: str = Form(""),  # the gateway's name: its errors find the field
    careArrangement: str = Form(""),
    staff: Staff = Depends(signed_in),
) -> Response:
    return await act_on_referral(
        request,
        staff,
        referral_id,
        "AcceptReferral",
        {
            "id": referral_id,
            "plannedArrival": blank_to_none(plannedArrival),
            "careArrangement": blank_to_none(careArrangement),
        },
        form="accept",
        sent={"plannedArrival": plannedArrival, "careArrangement": careArrangement},
    )


@router.post("/referrals/{referral_id}/decline")
async def decline(
    request: Request,
    referral_id: str,
    reason: str = Form(""),
    staff: Staff = Depends(signed_in),
) -> Response:
    return await act_on_referral(
        request,
        staff,
        referral_id,
        "DeclineReferral",
        {"id": referral_id, "reason": reason},
        form="decline",
        sent={"reason": reason},
    )


@router.post("/referrals/{referral_id}/arrival")
async def register_arrival(
    request: Request,
    referral_id: str,
    arrivedOn: str = Form(""),
    staff: Staff = Depends(signed_in),
) -> Response:
    return await act_on_referral(
        request,
        staff,
        referral_id,
        "RegisterArrival",
        {"referralId": referral_id, "arrivedOn": blank_to_none(arrivedOn)},
        form="arrival",
        sent={"arrivedOn": arrivedOn},
        anchor="#arrival",
    )


def known_task(task: str) -> str:
    if task not in PREPARATION_TASKS:
        raise PageNotFound
    return task


@router.post("/referrals/{referral_id}/tasks/{task}/complete")
async def complete_task(
    request: Request, referral_id: str, task: str, staff: Staff = Depends(signed_in)
) -> Response:
    return await act_on_referral(
        request,
        staff,
        referral_id,
        "CompletePreparationTask",
        {"referralId": referral_id, "task": known_task(task)},
        form="checklist",
        anchor=f"#task-{task}",
    )


@router.post("/referrals/{referral_id}/tasks/{task}/reopen")
async def reopen_task(
    request: Request, referral_id: str, task: str, staff: Staff = Depends(signed_in)
) -> Response:
    return await act_on_referral(
        request,
        staff,
        referral_id,
        "ReopenPreparationTask",
        {"referralId": referral_id, "task": known_task(task)},
        form="checklist",
        anchor=f"#task-{task}",
    )


async def task_page(
    request: Request,
    staff: Staff,
    referral_id: str,
    task: str,
    *,
    failed: GraphQLResult | None = None,
    sent: dict[str, str] | None = None,
) -> Response:
    result = await staff.query(
        "PreparationTaskForm", {"id": referral_id, "staffFirst": STAFF_PAGE_SIZE}
    )
    referral = result.data["referral"]
    found = [t for t in referral["preparation"] if t["kind"] == known_task(task)]
    if not found:
        raise PageNotFound
    [current] = found
    members = result.data["municipalityStaff"]["edges"] if result.data["municipalityStaff"] else []
    return show(
        request,
        "referrals/task.html",
        {
            "referral": referral,
            "task": current,
            "members": [edge["node"] for edge in members],
            "sent": sent or {"owner": current["owner"] or "", "notes": current["notes"] or ""},
        },
        failed=failed,
        form="task",
    )


@router.get("/referrals/{referral_id}/tasks/{task}")
async def task(
    request: Request, referral_id: str, task: str, staff: Staff = Depends(signed_in)
) -> Response:
    """One checklist task's owner and notes, to change."""
    return await task_page(request, staff, referral_id, task)


@router.post("/referrals/{referral_id}/tasks/{task}")
async def update_task(
    request: Request,
    referral_id: str,
    task: str,
    owner: str = Form(""),
    notes: str = Form(""),
    staff: Staff = Depends(signed_in),
) -> Response:
    result = await staff.query(
        "UpdatePreparationTask",
        {
            "referralId": referral_id,
            "task": known_task(task),
            "owner": blank_to_none(owner),
            "notes": blank_to_none(notes),
        },
    )
    if result.ok:
        return see_other(f"/referrals/{referral_id}#task-{task}")
    return await task_page(
        request, staff, referral_id, task, failed=result, sent={"owner": owner, "notes": notes}
    )


AREA = Area(
    name="referrals",
    router=router,
    nav=(NavItem(N_("Referrals"), "/referrals", COORDINATION),),
)
