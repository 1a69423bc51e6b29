"""A child's care plan (goals per life domain, the child's own words, approval) and the
assessments that score the child's life domains."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from web.context import Staff, signed_in
from web.forms import blank_to_none, whole_number
from web.record import labels
from web.record.tab import (
    PREFIX,
    InputOf,
    TabForm,
    form_values,
    indexed_inputs,
    same_names,
    show_tab,
    submit_on_tab,
)

router = APIRouter(prefix=PREFIX)
VERSIONS_PAGE = 10
GOAL_INPUTS = {"description": "description", "measures": "measures", "responsible": "responsible"}
Values = Annotated[dict[str, str], Depends(form_values)]


def lines(value: str | None) -> list[str]:
    return [line.strip() for line in (value or "").splitlines() if line.strip()]


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


def care_plan_form(input_of: InputOf, first_input: str) -> TabForm:
    """A care plan form, refused: the plan's first page of versions again."""
    return TabForm(
        "care-plan",
        input_of,
        first_input,
        variables={"first": VERSIONS_PAGE, "after": None},
        extra={"after": None},
    )


@router.post("/care-plan")
async def update_care_plan(
    request: Request, child_id: uuid.UUID, values: Values, staff: Staff = Depends(signed_in)
) -> Response:
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
    suffixes = GOAL_INPUTS | {"reviewOn": "review", "domain": "description"}
    goal_input = indexed_inputs("goal", order, suffixes)
    form = care_plan_form(
        lambda field: "childsOwnWords" if field == "childsOwnWords" else goal_input(field),
        "goal-health-description",
    )
    plan = {"goals": goals, "childsOwnWords": blank_to_none(values.get("childsOwnWords"))}
    variables = {"childId": str(child_id), "input": plan}
    return await submit_on_tab(request, staff, child_id, form, "UpdateCarePlan", variables, values)


@router.post("/care-plan/approve")
async def approve_care_plan(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    form = care_plan_form(same_names("childsOwnWords"), "childsOwnWords")
    variables = {"childId": str(child_id)}
    return await submit_on_tab(request, staff, child_id, form, "ApproveCarePlan", variables, {})


@router.get("/assessments")
async def assessments(
    request: Request, child_id: uuid.UUID, staff: Staff = Depends(signed_in)
) -> Response:
    return await show_tab(request, staff, child_id, "assessments")


@router.post("/assessments")
async def record_assessment(
    request: Request, child_id: uuid.UUID, values: Values, staff: Staff = Depends(signed_in)
) -> Response:
    scores, order = [], []
    for domain in labels.LIFE_DOMAINS:
        score = whole_number(values.get(f"score-{domain}"))
        if score is not None:
            order.append(domain)
            scores.append({"domain": domain, "score": score})
    domain_input = indexed_inputs("score", order, {"score": "", "domain": ""})

    def score_input(field: str) -> str | None:
        if field in ("notes", "childsOwnWords"):
            return field
        found = domain_input(field)
        return found.removesuffix("-") if found else None

    assessment = {
        "scores": scores,
        "notes": blank_to_none(values.get("notes")),
        "childsOwnWords": blank_to_none(values.get("childsOwnWords")),
    }
    form = TabForm("assessments", score_input, "score-health")
    variables = {"childId": str(child_id), "input": assessment}
    return await submit_on_tab(
        request, staff, child_id, form, "RecordAssessment", variables, values
    )
