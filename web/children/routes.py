"""The caseload: the children a caseworker follows (a contact person's own), the backlog counted
per filter, the most urgent assessment first, 50 at a time; and search by name.

A searched name never travels in a URL (addresses end up in logs and browser history): the
form posts it, the session keeps it, and the results page reads it from there.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import RedirectResponse, Response

from web.areas import Area, NavItem
from web.context import Staff, is_htmx, render, signed_in, web
from web.forms import Refused
from web.i18n import N_
from web.labels import care_plan_status_label

router = APIRouter()
PAGE_SIZE = 50
# The name last searched for, kept in the server-side session (never in a URL).
SEARCH_KEY = "child_search"
# As intake reads at most (a longer name is no one's).
SEARCH_MAX_LENGTH = 200
CASEWORK = frozenset({"settlement-coordinator", "caseworker"})
CONTACT_PERSON = "contact-person"


class CaseloadFilter(StrEnum):
    """The gateway's caseload filters this page offers, in the order shown."""

    ALL = "ALL"
    OVERDUE_ASSESSMENT = "OVERDUE_ASSESSMENT"
    CARE_PLAN_NOT_APPROVED = "CARE_PLAN_NOT_APPROVED"
    NO_CONTACT_PERSON = "NO_CONTACT_PERSON"


# Each filter's label and the field of `counts` that holds how many children it has.
FILTERS: dict[CaseloadFilter, tuple[str, str]] = {
    CaseloadFilter.ALL: (N_("All"), "all"),
    CaseloadFilter.OVERDUE_ASSESSMENT: (N_("Assessment overdue"), "overdueAssessment"),
    CaseloadFilter.CARE_PLAN_NOT_APPROVED: (N_("Care plan not approved"), "carePlanNotApproved"),
    CaseloadFilter.NO_CONTACT_PERSON: (N_("No contact person"), "noContactPerson"),
}


def follows_own_children_only(staff: Staff) -> bool:
    """A contact person (and nothing more) sees the children assigned to them: "my children"."""
    return CONTACT_PERSON in staff.roles and CASEWORK.isdisjoint(staff.roles)


def offered_filters(staff: Staff) -> list[CaseloadFilter]:
    # A contact person's children all have one: the filter would always be empty.
    if follows_own_children_only(staff):
        return [f for f in CaseloadFilter if f is not CaseloadFilter.NO_CONTACT_PERSON]
    return list(CaseloadFilter)


@router.get("/children")
async def caseload(
    request: Request,
    filter: CaseloadFilter = CaseloadFilter.ALL,
    after: str | None = None,
    staff: Staff = Depends(signed_in),
) -> Response:
    result = await staff.query(
        "Caseload", {"filter": filter.value, "first": PAGE_SIZE, "after": after}
    )
    return render(
        request,
        "children/caseload.html",
        {
            "result": result,
            "caseload": result.data["caseload"],
            "filter": filter,
            "filters": [(f, *FILTERS[f]) for f in offered_filters(staff)],
            "after": after,
            "own_children_only": follows_own_children_only(staff),
            "search_name": staff.session.data.get(SEARCH_KEY, ""),
            "care_plan_status_label": care_plan_status_label,
        },
        block="results",
    )


@router.post("/children/search")
async def search(
    request: Request, name: str = Form(""), staff: Staff = Depends(signed_in)
) -> Response:
    """Keeps the name in the session; htmx gets the results at once, a form the results page."""
    name = name[:SEARCH_MAX_LENGTH]
    staff.session.data[SEARCH_KEY] = name
    await web(request).store.save_data(staff.session)
    if not is_htmx(request):
        return RedirectResponse("/children/search", status_code=303)
    # Typing: an emptied field clears the results rather than asking for a name.
    found = await search_results(staff, name, None) if name.strip() else {"searched": False}
    context = {"live": True, "after": None, **found}
    # 200 even when the name is refused: htmx swaps in only what succeeded.
    return render(request, "children/search.html", context, block="search_results", status_code=200)


@router.get("/children/search")
async def search_page(
    request: Request, after: str | None = None, staff: Staff = Depends(signed_in)
) -> Response:
    searched = SEARCH_KEY in staff.session.data
    name = str(staff.session.data.get(SEARCH_KEY, ""))
    context = await search_results(staff, name, after) if searched else {"searched": False}
    return render(
        request,
        "children/search.html",
        {"search_name": name, "after": after, "live": False, **context},
        status_code=200,
    )


async def search_results(staff: Staff, name: str, after: str | None) -> dict[str, Any]:
    result = await staff.query("SearchChildren", {"name": name, "first": PAGE_SIZE, "after": after})
    return {
        "searched": True,
        "result": result,
        "refused": Refused.of(result, {"name": name}),
        "found": result.data.get("searchChildren"),
    }


AREA = Area(
    name="children",
    router=router,
    nav=(
        NavItem(N_("Children"), "/children", CASEWORK),
        NavItem(N_("My children"), "/children", frozenset({CONTACT_PERSON})),
    ),
)
