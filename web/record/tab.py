"""The frame of a child's record: its tabs, each its own address, and how a tab's forms find
their inputs when the gateway refuses one (the record's inputs are named per row).

Every tab reads through one named operation rooted at `child(id)`, so a child the user may
not see is the not-found page on every tab alike.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from web.context import Staff, render
from web.forms import NOTHING_REFUSED, InputOf, Refused, submit
from web.graphql import GraphQLResult
from web.i18n import N_
from web.record import labels

PREFIX = "/child/{child_id}"
CASEWORKER = "caseworker"
CONTACT_PERSON = "contact-person"


@dataclass(frozen=True)
class Tab:
    slug: str
    label: str  # a msgid
    operation: str

    def path(self, child_id: uuid.UUID) -> str:
        return f"/child/{child_id}" + ("" if self.slug == "overview" else f"/{self.slug}")


TABS = {
    tab.slug: tab
    for tab in (
        Tab("overview", N_("Overview"), "ChildOverview"),
        Tab("care-plan", N_("Care plan"), "ChildCarePlan"),
        Tab("assessments", N_("Assessments"), "ChildAssessments"),
        Tab("notes", N_("Follow-up notes"), "ChildNotes"),
        Tab("health", N_("Health"), "ChildHealth"),
        Tab("education", N_("Education"), "ChildEducation"),
        Tab("meetings", N_("Meetings"), "ChildMeetings"),
        Tab("transition", N_("Transition"), "ChildTransition"),
        Tab("enrolments", N_("Enrolments"), "ChildEnrolments"),
    )
}


def writes_care(staff: Staff) -> bool:
    return CASEWORKER in staff.roles


def meets_child(staff: Staff) -> bool:
    """Caseworkers and contact persons write notes and record meetings."""
    return not {CASEWORKER, CONTACT_PERSON}.isdisjoint(staff.roles)


async def form_values(request: Request) -> dict[str, str]:
    """The posted form by input id, trimmed (the record's inputs are named per row)."""
    form = await request.form()
    return {key: value.strip() for key, value in form.items() if isinstance(value, str)}


_INDEXED = re.compile(r"^(\w+)\[(\d+)\]\.(\w+)$")


def indexed_inputs(prefix: str, order: list[str], suffixes: Mapping[str, str]) -> InputOf:
    """Maps `goals[2].reviewOn` to `goal-<domain of the 3rd goal sent>-review`."""

    def input_of(field: str) -> str | None:
        match = _INDEXED.match(field)
        if match is None:
            return None
        _, index, part = match.groups()
        if int(index) >= len(order):
            return None
        return f"{prefix}-{order[int(index)]}-{suffixes.get(part, part)}"

    return input_of


def same_names(*names: str) -> InputOf:
    known = set(names)
    return lambda field: field if field in known else None


def saved_path(child_id: uuid.UUID, tab: str) -> str:
    """The tab again, saying that the change was saved."""
    return f"{TABS[tab].path(child_id)}?saved=1"


async def show_tab(
    request: Request,
    staff: Staff,
    child_id: uuid.UUID,
    slug: str,
    *,
    variables: dict[str, Any] | None = None,
    refused: Refused = NOTHING_REFUSED,
    extra: dict[str, Any] | None = None,
) -> Response:
    tab = TABS[slug]
    result = await staff.query(tab.operation, {"id": str(child_id), **(variables or {})})
    return render_record(
        request,
        staff,
        child_id,
        f"record/{slug}.html",
        result,
        tab=tab,
        refused=refused,
        extra=extra,
    )


def render_record(
    request: Request,
    staff: Staff,
    child_id: uuid.UUID,
    template: str,
    result: GraphQLResult,
    *,
    tab: Tab,
    refused: Refused = NOTHING_REFUSED,
    extra: dict[str, Any] | None = None,
) -> Response:
    return render(
        request,
        template,
        {
            "result": result,
            "child": result.data["child"],
            "child_id": child_id,
            "tabs": [(t, t.path(child_id)) for t in TABS.values()],
            "tab": tab,
            "saved": "saved" in request.query_params,
            "refused": refused,
            "writes_care": writes_care(staff),
            "meets_child": meets_child(staff),
            "label": labels.label,
            "options": labels.options,
            "language_name": labels.language_name,
            "language_names": labels.language_names,
            "country_name": labels.country_name,
            "life_domains": list(labels.LIFE_DOMAINS),
            **(extra or {}),
        },
    )


@dataclass(frozen=True)
class TabForm:
    """A form on a tab: the tab it returns to, and which input each of its fields is."""

    slug: str
    input_of: InputOf
    first_input: str  # where a message for the form as a whole (or no known input) goes
    variables: dict[str, Any] | None = None  # the tab's own, to show it again
    extra: dict[str, Any] | None = None


async def submit_on_tab(
    request: Request,
    staff: Staff,
    child_id: uuid.UUID,
    form: TabForm,
    operation: str,
    variables: dict[str, Any],
    values: dict[str, str],
) -> Response:
    """Runs a tab's form: back to the tab when the gateway took it, else the tab again with
    the values as typed and the messages at their inputs."""

    async def again(refused: Refused) -> Response:
        return await show_tab(
            request,
            staff,
            child_id,
            form.slug,
            variables=form.variables,
            refused=refused,
            extra=form.extra,
        )

    return await submit(
        staff,
        operation,
        variables,
        sent=values,
        input_of=form.input_of,
        first_input=form.first_input,
        then=saved_path(child_id, form.slug),
        again=again,
    )
