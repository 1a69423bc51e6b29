"""The coordinator's pages share this: their labels, and how a page shows a refused form.

A form the gateway objected to (web.forms) shows its page again with the objections:
BAD_USER_INPUT at its field with the summary on top (422), CONFLICT as the state the
record is in (409).
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from web import labels
from web.context import render
from web.graphql import GraphQLResult

COORDINATION = frozenset({"settlement-coordinator"})
# The roles intake lets change referrals, checklists and relocations (the gateway decides).
INTAKE_WRITERS = frozenset({"settlement-coordinator", "caseworker"})
CAPACITY_WRITERS = frozenset({"settlement-coordinator", "municipality-admin"})
LABELS: dict[str, Any] = {
    "care_arrangement_label": labels.care_arrangement_label,
    "task_label": labels.task_label,
    "referral_status_label": labels.referral_status_label,
    "relocation_status_label": labels.relocation_status_label,
    "sex_label": labels.sex_label,
    "country_name": labels.country_name,
    "language_name": labels.language_name,
    "care_arrangements": list(labels.CARE_ARRANGEMENTS),
}


def show(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    failed: GraphQLResult | None = None,
    form: str | None = None,
    block: str | None = None,
) -> Response:
    """A page with the labels; after a refused form, with the gateway's objections to it."""
    status = 200
    objections: dict[str, Any] = {"errors": {}, "conflicts": [], "failed_form": None}
    if failed is not None:
        objections = {
            "errors": failed.field_errors,
            "conflicts": failed.conflicts,
            "failed_form": form,
        }
        status = 422 if failed.field_errors else 409
    return render(
        request,
        template,
        {**LABELS, **objections, **context},
        block=block,
        status_code=status,
    )
