"""The settlement coordinator's referrals: the inbox, a referral with accept and decline,
its preparation checklist and the child's arrival."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response

from web.areas import Area, NavItem
from web.context import Staff, signed_in
from web.forms import NOTHING_REFUSED, Fields, Refused, blank_to_none, submit
from web.graphql import PageNotFound
from web.i18n import N_
from web.labels import PREPARATION_TASKS, role_label
from web.referrals.outcome import COORDINATION, INTAKE_WRITERS, show

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
    request: Request, staff: Staff, referral_id: str, refused: Refused = NOTHING_REFUSED
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
            "refused": refused,
        },
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
    sent: dict[str, Any] | None = None,
    anchor: str = "",
) -> Response:
    """Runs a change to the referral, then shows it (or the form again with the objections)."""
    return await submit(
        staff,
        operation,
        variables,
        sent=sent,
        then=f"/referrals/{referral_id}{anchor}",
        again=lambda refused: referral_page(request, staff, referral_id, refused),
    )


class AcceptFields(Fields):
    plannedArrival: str = ""
    careArrangement: str = ""


@router.post("/referrals/{referral_id}/accept")
async def accept(
    request: Request,
    referral_id: str,
    fields: Annotated[AcceptFields, Form()],
    staff: Staff = Depends(signed_in),
) -> Response:
    return await act_on_referral(
        request,
        staff,
        referral_id,
        "AcceptReferral",
        {
            "id": referral_id,
            "plannedArrival": blank_to_none(fields.plannedArrival),
            "careArrangement": blank_to_none(fields.careArrangement),
        },
        sent=fields.sent(),
    )


class DeclineFields(Fields):
    reason: str = ""


@router.post("/referrals/{referral_id}/decline")
async def decline(
    request: Request,
    referral_id: str,
    fields: Annotated[DeclineFields, Form()],
    staff: Staff = Depends(signed_in),
) -> Response:
    return await act_on_referral(
        request,
        staff,
        referral_id,
        "DeclineReferral",
        {"id": referral_id, "reason": fields.reason},
        sent=fields.sent(),
    )


class ArrivalFields(Fields):
    arrivedOn: str = ""


@router.post("/referrals/{referral_id}/arrival")
async def register_arrival(
    request: Request,
    referral_id: str,
    fields: Annotated[ArrivalFields, Form()],
    staff: Staff = Depends(signed_in),
) -> Response:
    return await act_on_referral(
        request,
        staff,
        referral_id,
        "RegisterArrival",
        {"referralId": referral_id, "arrivedOn": blank_to_none(fields.arrivedOn)},
        sent=fields.sent(),
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
        anchor=f"#task-{task}",
    )


async def task_page(
    request: Request,
    staff: Staff,
    referral_id: str,
    task: str,
    refused: Refused = NOTHING_REFUSED,
) -> Response:
    result = await staff.query(
        "PreparationTaskForm", {"id": referral_id, "staffFirst": STAFF_PAGE_SIZE}
    )
    referral = result.data["referral"]
    found = [t for t in referral["preparation"] if t["kind"] == known_task(task)]
    if not found:
        raise PageNotFound
    [current] = found
    staff_page = result.data["municipalityStaff"] or {"edges": []}
    members = [edge["node"] for edge in staff_page["edges"]]
    return show(
        request,
        "referrals/task.html",
        {
            "referral": referral,
            "task": current,
            "owners": [
                (member["username"], f"{member['username']} ({role_label(member['role'])})")
                for member in members
            ],
            "refused": refused,
        },
    )


@router.get("/referrals/{referral_id}/tasks/{task}")
async def task(
    request: Request, referral_id: str, task: str, staff: Staff = Depends(signed_in)
) -> Response:
    """One checklist task's owner and notes, to change."""
    return await task_page(request, staff, referral_id, task)


class TaskFields(Fields):
    owner: str = ""
    notes: str = ""


@router.post("/referrals/{referral_id}/tasks/{task}")
async def update_task(
    request: Request,
    referral_id: str,
    task: str,
    fields: Annotated[TaskFields, Form()],
    staff: Staff = Depends(signed_in),
) -> Response:
    return await submit(
        staff,
        "UpdatePreparationTask",
        {
            "referralId": referral_id,
            "task": known_task(task),
            "owner": blank_to_none(fields.owner),
            "notes": blank_to_none(fields.notes),
        },
        sent=fields.sent(),
        then=f"/referrals/{referral_id}#task-{task}",
        again=lambda refused: task_page(request, staff, referral_id, task, refused),
    )


AREA = Area(
    name="referrals",
    router=router,
    nav=(NavItem(N_("Referrals"), "/referrals", COORDINATION),),
)
