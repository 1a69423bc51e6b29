"""A child's record for caseworkers and contact persons: one tab per part, each its own address.

Every tab reads through one named operation rooted at `child(id)`, so a child the user may
not see is the not-found page on every tab alike. Every form posts, redirects back to its
tab when the gateway took it, and otherwise shows the tab again with the gateway's messages
at their fields.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import RedirectResponse, Response

from havn.reach import BREAKS_GLASS
from web.areas import Area
from web.context import Staff, render, signed_in, web
from web.graphql import GraphQLResult, PageNotFound
from web.i18n import N_
from web.record import labels

router = APIRouter(prefix="/child/{child_id}")
NOTES_PAGE = 20
MEETINGS_PAGE = 20
VERSIONS_PAGE = 10
STAFF_PAGE = 100
NOTE_EDITABLE_FOR = timedelta(hours=24)  # the service's rule; the client only hides the link
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


@dataclass
class FormState:
    """What a refused form shows again: its values and the messages by input id."""

    values: dict[str, str]
    errors: dict[str, str]
    conflicts: list[str]


def writes_care(staff: Staff) -> bool:
    return CASEWORKER in staff.roles


def meets_child(staff: Staff) -> bool:
    """Caseworkers and contact persons write notes and record meetings."""
    return not {CASEWORKER, CONTACT_PERSON}.isdisjoint(staff.roles)


async def form_values(request: Request) -> dict[str, str]:
    form = await request.form()
    return {key: value.strip() for key, value in form.items() if isinstance(value, str)}


def or_none(value: str | None) -> str | None:
    return value if value else None


def lines(value: str | None) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


def number(value: str | None) -> int | str | None:
    """An integer as typed; anything else goes to the gateway as it is, to be refused there."""
    if not value:
        return None
    try:
        return int(value)
    except ValueError:
        return value


_INDEXED = re.compile(r"^(?:input\.)?(\w+)\[(\d+)\]\.(\w+)$")


def errors_at_inputs(
    result: GraphQLResult,
    input_of: Callable[[str], str | None],
    first_input: str,
) -> dict[str, str]:
    """The gateway's messages by the id of the input they concern (else the form's first)."""
    mapped: dict[str, str] = {}
    for field, message in result.field_errors.items():
        key = input_of(field.removeprefix("input.")) if field else None
        mapped.setdefault(key or first_input, message)
    return mapped


def indexed_inputs(
    prefix: str, order: list[str], suffixes: Mapping[str, str]
) -> Callable[[str], str | None]:
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


def same_names(*names: str) -> Callable[[str], str | None]:
    known = set(names)
    return lambda field: field if field in known else None


def back_to(child_id: uuid.UUID, tab: str, anchor: str = "") -> RedirectResponse:
    return RedirectResponse(
        f"{TABS[tab].path(child_id)}?saved=1{'#' + anchor if anchor else ''}", status_code=303
    )


async def show_tab(
    request: Request,
    staff: Staff,
    child_id: uuid.UUID,
    slug: str,
    *,
    variables: dict[str, Any] | None = None,
    form: FormState | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    tab = TABS[slug]
    result = await staff.query(tab.operation, {"id": str(child_id), **(variables or {})})
    return render_record(
        request, staff, child_id, f"record/{slug}.html", result, tab=tab, form=form, extra=extra
    )


def render_record(
    request: Request,
    staff: Staff,
    child_id: uuid.UUID,
    template: str,
    result: GraphQLResult,
    *,
    tab: Tab,
    form: FormState | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    state = form or FormState({}, {}, [])
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
            "values": state.values,
            "errors": state.errors,
            "conflicts": state.conflicts,
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
        status_code=400 if (state.errors or state.conflicts) else 200,
    )


async def refused_or_back(
    request: Request,
    staff: Staff,
    child_id: uuid.UUID,
    slug: str,
    result: GraphQLResult,
    form: FormState,
    *,
    anchor: str = "",
    variables: dict[str, Any] | None = None,
    extra: dict[str, Any] | None = None,
) -> Response:
    if result.ok:
        return back_to(child_id, slug, anchor)
    form.conflicts = result.conflicts
    return await show_tab(
        request, staff, child_id, slug, variables=variables, form=form, extra=extra
    )


# --- overview and the forms its "change" links open ------------------------------------------


async def contact_person_choices(staff: Staff) -> list[str]:
    if not writes_care(staff):
        return []
    result = await staff.query("ContactPersons", {"first": STAFF_PAGE})
    staff_page = result.data.get("municipalityStaff") or {"edges": []}
    return sorted(
        edge["node"]["username"]
        for edge in staff_page["edges"]
        if edge["node"]["role"] == CONTACT_PERSON
    )


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
        return break_glass_form(request, child_id, status=404)


# --- break the glass: a child beyond the user's reach, opened for a while with a reason -------


def break_glass_form(
    request: Request,
    child_id: uuid.UUID,
    *,
    reason: str = "",
    errors: dict[str, str] | None = None,
    conflicts: list[str] | None = None,
    status: int = 200,
) -> Response:
    return render(
        request,
        "record/break-glass.html",
        {
            "child_id": child_id,
            "reason": reason,
            "errors": errors or {},
            "conflicts": conflicts or [],
        },
        status_code=status,
    )


@router.get("/break-glass")
async def break_glass_page(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    return break_glass_form(request, child_id)


@router.post("/break-glass")
async def break_the_glass(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    values = await form_values(request)
    reason = values.get("reason", "")
    result = await staff.query("BreakTheGlass", {"childId": str(child_id), "reason": reason})
    if result.ok:
        return RedirectResponse(TABS["overview"].path(child_id), status_code=303)
    errors = errors_at_inputs(result, same_names("reason"), "reason")
    status = 422 if errors else 409
    return break_glass_form(
        request, child_id, reason=reason, errors=errors, conflicts=result.conflicts, status=status
    )


@router.post("/contact-person")
async def assign_contact_person(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    values = await form_values(request)
    result = await staff.query(
        "AssignContactPerson",
        {
            "childId": str(child_id),
            "username": values.get("username", ""),
            "replace": values.get("replace") == "true",
        },
    )
    form = FormState(values, errors_at_inputs(result, same_names("username"), "username"), [])
    extra = {"contact_persons": await contact_person_choices(staff)}
    return await refused_or_back(request, staff, child_id, "overview", result, form, extra=extra)


@router.post("/contact-person/unassign")
async def unassign_contact_person(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    result = await staff.query("UnassignContactPerson", {"childId": str(child_id)})
    form = FormState({}, errors_at_inputs(result, same_names(), "username"), [])
    extra = {"contact_persons": await contact_person_choices(staff)}
    return await refused_or_back(request, staff, child_id, "overview", result, form, extra=extra)


CHANGES = {"profile", "interpreter", "guardian"}


async def change_page(
    request: Request,
    staff: Staff,
    child_id: uuid.UUID,
    part: str,
    form: FormState | None = None,
) -> Response:
    result = await staff.query("ChildOverview", {"id": str(child_id)})
    return render_record(
        request,
        staff,
        child_id,
        f"record/change_{part}.html",
        result,
        tab=TABS["overview"],
        form=form,
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
        "fullName": or_none(values.get("fullName")),
        "dateOfBirth": or_none(values.get("dateOfBirth")),
        "sex": or_none(values.get("sex")),
        "nationality": or_none(values.get("nationality")),
        "careArrangement": or_none(values.get("careArrangement")),
    }
    languages = [code.strip() for code in values.get("languages", "").split(",") if code.strip()]
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


@router.post("/change/{part}")
async def save_change(
    request: Request, child_id: uuid.UUID, part: str, staff: Staff = Depends(signed_in)
) -> Response:
    values = await form_values(request)
    if part == "interpreter":
        result = await staff.query(
            "SetInterpreterNeed",
            {"childId": str(child_id), "needed": values.get("needed") == "true"},
        )
        first = "needed"
    elif part == "guardian":
        result = await staff.query(
            "UpdateChild", {"id": str(child_id), "input": guardian_input(values)}
        )
        first = "guardianName"
    else:
        result = await staff.query(
            "UpdateChild", {"id": str(child_id), "input": profile_input(values)}
        )
        first = "fullName"
    if result.ok:
        return back_to(child_id, "overview")

    def input_of(field: str) -> str | None:
        # guardian.name -> guardianName; a profile field keeps its name as the input's id.
        head, _, tail = field.partition(".")
        return head + tail[:1].upper() + tail[1:] if tail else head

    form = FormState(values, errors_at_inputs(result, input_of, first), result.conflicts)
    return await change_page(request, staff, child_id, part, form)


# --- care plan ---------------------------------------------------------------------------------


@router.get("/care-plan")
async def care_plan(
    request: Request,
    child_id: uuid.UUID,
    after: str | None = None,
    staff: Staff = Depends(signed_in),
) -> Response:
    return await show_tab(
        request,
        staff,
        child_id,
        "care-plan",
        variables={"first": VERSIONS_PAGE, "after": after},
        extra={"after": after},
    )


GOAL_INPUTS = {"description": "description", "measures": "measures", "responsible": "responsible"}


@router.post("/care-plan")
async def update_care_plan(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    values = await form_values(request)
    goals, order = [], []
    for domain in labels.LIFE_DOMAINS:
        fields = {part: values.get(f"goal-{domain}-{part}", "") for part in GOAL_INPUTS}
        review = values.get(f"goal-{domain}-review", "")
        if not any(fields.values()) and not review:
            continue  # no goal in this life domain
        order.append(domain)
        goals.append(
            {
                "domain": domain,
                "description": fields["description"],
                "measures": lines(fields["measures"]),
                "responsible": fields["responsible"],
                "reviewOn": review or None,
            }
        )
    result = await staff.query(
        "UpdateCarePlan",
        {
            "childId": str(child_id),
            "input": {"goals": goals, "childsOwnWords": or_none(values.get("childsOwnWords"))},
        },
    )
    suffixes = GOAL_INPUTS | {"reviewOn": "review", "domain": "description"}
    input_of = indexed_inputs("goal", order, suffixes)
    errors = errors_at_inputs(
        result,
        lambda field: "childsOwnWords" if field == "childsOwnWords" else input_of(field),
        "goal-health-description",
    )
    return await refused_or_back(
        request,
        staff,
        child_id,
        "care-plan",
        result,
        FormState(values, errors, []),
        variables={"first": VERSIONS_PAGE, "after": None},
        extra={"after": None},
    )


@router.post("/care-plan/approve")
async def approve_care_plan(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    result = await staff.query("ApproveCarePlan", {"childId": str(child_id)})
    errors = errors_at_inputs(result, same_names("childsOwnWords"), "childsOwnWords")
    return await refused_or_back(
        request,
        staff,
        child_id,
        "care-plan",
        result,
        FormState({}, errors, []),
        variables={"first": VERSIONS_PAGE, "after": None},
        extra={"after": None},
    )


# --- assessments -------------------------------------------------------------------------------


@router.get("/assessments")
async def assessments(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    return await show_tab(request, staff, child_id, "assessments")


@router.post("/assessments")
async def record_assessment(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    values = await form_values(request)
    scores, order = [], []
    for domain in labels.LIFE_DOMAINS:
        score = number(values.get(f"score-{domain}"))
        if score is not None:
            order.append(domain)
            scores.append({"domain": domain, "score": score})
    result = await staff.query(
        "RecordAssessment",
        {
            "childId": str(child_id),
            "input": {
                "scores": scores,
                "notes": or_none(values.get("notes")),
                "childsOwnWords": or_none(values.get("childsOwnWords")),
            },
        },
    )
    input_of = indexed_inputs("score", order, {"score": "", "domain": ""})

    def score_input(field: str) -> str | None:
        if field in ("notes", "childsOwnWords"):
            return field
        found = input_of(field)
        return found.removesuffix("-") if found else None

    errors = errors_at_inputs(result, score_input, "score-health")
    return await refused_or_back(
        request, staff, child_id, "assessments", result, FormState(values, errors, [])
    )


# --- follow-up notes ---------------------------------------------------------------------------


def editable_until(staff: Staff, request: Request) -> Callable[[Mapping[str, Any]], bool]:
    """Whether the user may still edit a note: their own, written within 24 hours."""
    now = web(request).clock.now()

    def editable(note: Mapping[str, Any]) -> bool:
        written = datetime.fromisoformat(note["writtenAt"])
        return note["author"] == staff.username and now - written < NOTE_EDITABLE_FOR

    return editable


async def show_notes(
    request: Request,
    staff: Staff,
    child_id: uuid.UUID,
    after: str | None,
    form: FormState | None = None,
) -> Response:
    return await show_tab(
        request,
        staff,
        child_id,
        "notes",
        variables={"first": NOTES_PAGE, "after": after},
        form=form,
        extra={"after": after, "editable": editable_until(staff, request)},
    )


@router.get("/notes")
async def notes(
    request: Request,
    child_id: uuid.UUID,
    after: str | None = None,
    staff: Staff = Depends(signed_in),
) -> Response:
    return await show_notes(request, staff, child_id, after)


async def note_saved_or_refused(
    request: Request,
    staff: Staff,
    child_id: uuid.UUID,
    result: GraphQLResult,
    values: dict[str, str],
    input_id: str,
) -> Response:
    if result.ok:
        return back_to(child_id, "notes")
    errors = errors_at_inputs(result, lambda _: input_id, input_id)
    form = FormState(values, errors, result.conflicts)
    return await show_notes(request, staff, child_id, values.get("after") or None, form)


@router.post("/notes")
async def add_note(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    values = await form_values(request)
    result = await staff.query(
        "AddFollowUpNote", {"childId": str(child_id), "text": values.get("text", "")}
    )
    return await note_saved_or_refused(request, staff, child_id, result, values, "text")


@router.post("/notes/{note_id}/edit")
async def edit_note(
    request: Request, child_id: uuid.UUID, note_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    values = await form_values(request)
    input_id = f"edit-{note_id}"
    result = await staff.query(
        "EditFollowUpNote", {"id": str(note_id), "text": values.get(input_id, "")}
    )
    return await note_saved_or_refused(request, staff, child_id, result, values, input_id)


@router.post("/notes/{note_id}/correct")
async def correct_note(
    request: Request, child_id: uuid.UUID, note_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    values = await form_values(request)
    input_id = f"correct-{note_id}"
    result = await staff.query(
        "AddFollowUpNote",
        {"childId": str(child_id), "text": values.get(input_id, ""), "corrects": str(note_id)},
    )
    return await note_saved_or_refused(request, staff, child_id, result, values, input_id)


# --- health, education, meetings ---------------------------------------------------------------


@router.get("/health")
async def health(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    return await show_tab(request, staff, child_id, "health")


@router.post("/health/general-practitioner")
async def set_general_practitioner(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    values = await form_values(request)
    result = await staff.query(
        "SetGeneralPractitioner",
        {
            "childId": str(child_id),
            "input": {
                "name": values.get("gpName", ""),
                "practice": or_none(values.get("practice")),
            },
        },
    )
    errors = errors_at_inputs(
        result, lambda f: {"name": "gpName", "practice": "practice"}.get(f), "gpName"
    )
    return await refused_or_back(
        request, staff, child_id, "health", result, FormState(values, errors, [])
    )


@router.post("/health/screenings")
async def record_health_screening(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    values = await form_values(request)
    result = await staff.query(
        "RecordHealthScreening",
        {
            "childId": str(child_id),
            "input": {
                "kind": values.get("kind", ""),
                "screenedOn": or_none(values.get("screenedOn")),
                "findings": or_none(values.get("findings")),
            },
        },
    )
    errors = errors_at_inputs(result, same_names("kind", "screenedOn", "findings"), "kind")
    return await refused_or_back(
        request, staff, child_id, "health", result, FormState(values, errors, [])
    )


@router.get("/education")
async def education(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    return await show_tab(request, staff, child_id, "education")


@router.post("/education")
async def record_education(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    values = await form_values(request)
    names = ("school", "classLevel", "norwegianLevel", "startedOn")
    result = await staff.query(
        "RecordEducation",
        {"childId": str(child_id), "input": {name: or_none(values.get(name)) for name in names}},
    )
    errors = errors_at_inputs(result, same_names(*names), "school")
    return await refused_or_back(
        request, staff, child_id, "education", result, FormState(values, errors, [])
    )


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
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    values = await form_values(request)
    interpreter = values.get("interpreterName")
    result = await staff.query(
        "RecordMeeting",
        {
            "childId": str(child_id),
            "input": {
                "heldOn": or_none(values.get("heldOn")),
                "purpose": values.get("purpose", ""),
                "language": values.get("language", ""),
                "interpreter": {
                    "name": interpreter,
                    "qualified": values.get("interpreterQualified") == "true",
                }
                if interpreter
                else None,
            },
        },
    )
    input_of = {
        "heldOn": "heldOn",
        "purpose": "purpose",
        "language": "language",
        "interpreter.name": "interpreterName",
        "interpreter": "interpreterName",
    }.get
    errors = errors_at_inputs(result, input_of, "heldOn")
    return await refused_or_back(
        request,
        staff,
        child_id,
        "meetings",
        result,
        FormState(values, errors, []),
        variables={"first": MEETINGS_PAGE, "after": None},
        extra={"after": None},
    )


# --- transition and enrolments -----------------------------------------------------------------


@router.get("/transition")
async def transition(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    return await show_tab(request, staff, child_id, "transition")


@router.post("/transition/outcomes")
async def record_outcome(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    values = await form_values(request)
    result = await staff.query(
        "RecordOutcome",
        {
            "childId": str(child_id),
            "input": {
                "milestoneYears": number(values.get("milestoneYears")),
                "status": or_none(values.get("status")),
            },
        },
    )
    errors = errors_at_inputs(result, same_names("milestoneYears", "status"), "milestoneYears")
    return await refused_or_back(
        request, staff, child_id, "transition", result, FormState(values, errors, [])
    )


@router.get("/enrolments")
async def enrolments(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    return await show_tab(request, staff, child_id, "enrolments")


AREA = Area(name="record", router=router)
