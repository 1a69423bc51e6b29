"""The coordinator's pages share this: the roles that may change things, and the labels."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from web import labels
from web.context import render

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
    "care_arrangements": labels.CARE_ARRANGEMENTS,
    "choices": labels.choices,
}


def show(
    request: Request, template: str, context: dict[str, Any], *, block: str | None = None
) -> Response:
    """A page with the labels (a refused form's page has its `refused` in `context`)."""
    return render(request, template, {**LABELS, **context}, block=block)
