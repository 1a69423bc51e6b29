"""The municipality administrator's pages: a child's access log (filterable, printable for the
child, as CSV), the municipality's settings, partners' grants and the break-the-glass review.

Capacity is the coordinator's page (web/capacity), which the admin's menu shows too.
"""

from __future__ import annotations

import csv
import io
import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from havn.clock import Clock
from web import i18n
from web.areas import Area, NavItem
from web.context import Staff, render, signed_in
from web.forms import NOTHING_REFUSED, Refused, submit
from web.graphql import GraphQLResult
from web.i18n import N_

ADMINS = frozenset({"municipality-admin"})
PAGE = 50
# What the printed and downloaded log fetches per call, the gateway's largest page.
WHOLE_LOG_PAGE = 500
DATA_CLASSES = ("BASIC", "PERSONAL", "SENSITIVE", "CONFIDENTIAL", "AGGREGATE")
DATA_CLASS_LABELS = {
    "basic": N_("Basic"),
    "personal": N_("Personal"),
    "sensitive": N_("Sensitive"),
    "confidential": N_("Confidential"),
    "aggregate": N_("Aggregate"),
}
# The same, in words a child understands (the printed page is written to be shown to the child).
DATA_CLASS_FOR_CHILD = {
    "basic": N_("basic facts about you, such as your first name and age"),
    "personal": N_("personal facts about you, such as your full name and date of birth"),
    "sensitive": N_("facts about your health"),
    "confidential": N_("notes and plans about how you are doing"),
    "aggregate": N_("numbers for statistics, with no names"),
}
ACTION_LABELS = {"read": N_("Read"), "write": N_("Changed")}
ACTION_FOR_CHILD = {"read": N_("looked at"), "write": N_("wrote or changed")}
CSV_COLUMNS = (
    "at",
    "actor",
    "role",
    "org",
    "action",
    "dataClass",
    "operation",
    "service",
    "breakGlass",
)

router = APIRouter()


def data_class_label(value: str) -> str:
    return i18n.gettext(DATA_CLASS_LABELS.get(value, value))


def action_label(value: str) -> str:
    return i18n.gettext(ACTION_LABELS.get(value, value))


def for_child(value: str, words: dict[str, str]) -> str:
    return i18n.gettext(words.get(value, value))


LABELS: dict[str, Any] = {
    "data_class_label": data_class_label,
    "action_label": action_label,
    "data_classes": DATA_CLASSES,
    "child_words": lambda value: for_child(value, DATA_CLASS_FOR_CHILD),
    "child_action": lambda value: for_child(value, ACTION_FOR_CHILD),
}


@dataclass(frozen=True)
class LogFilter:
    """The access log's filters as the address carries them (no name: days, a username, a class)."""

    since: str = ""
    until: str = ""
    actor: str = ""
    data_class: str = ""

    def variables(self) -> dict[str, Any]:
        return {
            "from": self.since or None,
            "to": self.until or None,
            "actor": self.actor or None,
            "dataClass": self.data_class or None,
        }

    def query(self) -> str:
        """The filters as query parameters, for links that keep them ("" when none)."""
        pairs = {"from": self.since, "to": self.until, "actor": self.actor}
        pairs["dataClass"] = self.data_class
        return urlencode({key: value for key, value in pairs.items() if value})


def log_filter(request: Request) -> LogFilter:
    params = request.query_params
    return LogFilter(
        since=params.get("from", "").strip(),
        until=params.get("to", "").strip(),
        actor=params.get("actor", "").strip(),
        data_class=params.get("dataClass", "").strip(),
    )


def csv_cell(value: Any) -> str:
    """A value as a spreadsheet shows it, never as a formula (a cell starting with = + - @)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


async def access_log_page(
    staff: Staff, child_id: uuid.UUID, only: LogFilter, first: int, after: str | None
) -> GraphQLResult:
    return await staff.query(
        "AccessLog", {"childId": str(child_id), "first": first, "after": after, **only.variables()}
    )


async def whole_log(staff: Staff, child_id: uuid.UUID, only: LogFilter) -> AsyncIterator[Any]:
    """Every entry the filters keep, newest first, fetched a large page at a time."""
    after: str | None = None
    while True:
        result = await access_log_page(staff, child_id, only, WHOLE_LOG_PAGE, after)
        log = result.data["accessLog"]
        for edge in log["edges"]:
            yield edge["node"]
        if not log["pageInfo"]["hasNextPage"]:
            return
        after = log["pageInfo"]["endCursor"]


@router.get("/admin/access-log")
async def find_access_log(
    request: Request, child: str = "", staff: Staff = Depends(signed_in)
) -> Response:
    """Where the admin gives the child's id (from the record or the break-the-glass list)."""
    refused = NOTHING_REFUSED
    if child:
        try:
            return RedirectResponse(f"/admin/children/{uuid.UUID(child.strip())}/access-log", 303)
        except ValueError:
            # The client's own objection, in the page's language.
            message = i18n.gettext("A child's id looks like 3f2c1a9e-…: 32 letters and digits.")
            refused = Refused({"child": message}, {"child": child})
    return render(request, "admin/find.html", {"refused": refused})


@router.get("/admin/children/{child_id}/access-log")
async def access_log(
    request: Request,
    child_id: uuid.UUID,
    after: str | None = None,
    staff: Staff = Depends(signed_in),
) -> Response:
    only = log_filter(request)
    result = await access_log_page(staff, child_id, only, PAGE, after)
    if result.data.get("accessLog") is None:
        return await refused_filter(request, staff, child_id, only, result)
    return log_response(request, child_id, result, only, after)


async def refused_filter(
    request: Request, staff: Staff, child_id: uuid.UUID, only: LogFilter, answer: GraphQLResult
) -> Response:
    """The unfiltered log, with the gateway's message at the filter it refused."""
    sent = {"from": only.since, "to": only.until, "actor": only.actor, "dataClass": only.data_class}
    result = await access_log_page(staff, child_id, LogFilter(), PAGE, None)
    return log_response(request, child_id, result, only, None, Refused.of(answer, sent))


def log_response(
    request: Request,
    child_id: uuid.UUID,
    result: GraphQLResult,
    only: LogFilter,
    after: str | None,
    refused: Refused = NOTHING_REFUSED,
) -> Response:
    return render(
        request,
        "admin/access-log.html",
        {
            **LABELS,
            "child_id": child_id,
            "log": result.data["accessLog"],
            "only": only,
            "filters": only.query(),
            "after": after,
            "refused": refused,
        },
        block="results",
    )


@router.get("/admin/children/{child_id}/access-log/print")
async def printable_access_log(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    only = log_filter(request)
    entries = [entry async for entry in whole_log(staff, child_id, only)]
    return render(
        request,
        "admin/print.html",
        {**LABELS, "child_id": child_id, "entries": entries, "only": only},
    )


@router.get("/admin/children/{child_id}/access-log.csv")
async def access_log_csv(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    only = log_filter(request)
    # The first page before the answer starts: a refused child or filter is its error page.
    first = await access_log_page(staff, child_id, only, WHOLE_LOG_PAGE, None)
    if first.data.get("accessLog") is None:
        return await refused_filter(request, staff, child_id, only, first)

    async def rows() -> AsyncIterator[str]:
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        log = first.data["accessLog"]
        while True:
            for edge in log["edges"]:
                node = edge["node"]
                writer.writerow([csv_cell(node[column]) for column in CSV_COLUMNS])
            yield out.getvalue()
            out.seek(0)
            out.truncate()
            if not log["pageInfo"]["hasNextPage"]:
                return
            result = await access_log_page(
                staff, child_id, only, WHOLE_LOG_PAGE, log["pageInfo"]["endCursor"]
            )
            log = result.data["accessLog"]

    # The child's id and today's date name the file; never the child's name.
    filename = f"access-log-{child_id}-{Clock().today().isoformat()}.csv"
    return StreamingResponse(
        rows(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


# --- settings -------------------------------------------------------------------------------

SETTINGS_FORMS = {
    "assessment-interval": ("SetAssessmentInterval", "intervalMonths"),
    "police-certificate-limit": ("SetPoliceCertificateLimit", "certificateMonths"),
}


async def settings_page(
    request: Request, staff: Staff, refused: Refused = NOTHING_REFUSED
) -> Response:
    current = await staff.query("AdminSettings")
    return render(
        request,
        "admin/settings.html",
        {
            "settings": current.data,
            "saved": "saved" in request.query_params,
            "refused": refused,
        },
    )


@router.get("/admin/settings")
async def settings(request: Request, staff: Staff = Depends(signed_in)) -> Response:
    return await settings_page(request, staff)


@router.post("/admin/settings/{setting}")
async def change_setting(
    request: Request, setting: str, months: str = Form(""), staff: Staff = Depends(signed_in)
) -> Response:
    if setting not in SETTINGS_FORMS:
        return await settings_page(request, staff)
    operation, input_id = SETTINGS_FORMS[setting]
    text = months.strip()
    value: int | str = int(text) if text.lstrip("-").isdigit() else text
    return await submit(
        staff,
        operation,
        {"months": value},
        sent={input_id: months},
        # The form has one input: every message of the gateway's is about it.
        input_of=lambda _: input_id,
        then="/admin/settings?saved=1",
        again=lambda refused: settings_page(request, staff, refused),
    )


# --- partner grants and break-the-glass review ---------------------------------------------


@router.get("/admin/grants")
async def partner_grants(
    request: Request, after: str | None = None, staff: Staff = Depends(signed_in)
) -> Response:
    result = await staff.query("PartnerGrants", {"first": PAGE, "after": after})
    return render(
        request, "admin/grants.html", {"grants": result.data["accessGrants"], "after": after}
    )


@router.get("/admin/break-glass")
async def break_glass_review(
    request: Request, after: str | None = None, staff: Staff = Depends(signed_in)
) -> Response:
    result = await staff.query("BreakGlassAccesses", {"first": PAGE, "after": after})
    return render(
        request,
        "admin/break-glass.html",
        {"accesses": result.data["breakGlassAccesses"], "after": after},
    )


AREA = Area(
    name="admin",
    router=router,
    nav=(
        NavItem(N_("Access log"), "/admin/access-log", ADMINS),
        NavItem(N_("Settings"), "/admin/settings", ADMINS),
        NavItem(N_("Partner grants"), "/admin/grants", ADMINS),
        NavItem(N_("Break the glass"), "/admin/break-glass", ADMINS),
    ),
)
