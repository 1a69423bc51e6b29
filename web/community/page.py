"""What the volunteer coordinator's screens share: the page with community's labels."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from web.community.labels import LABELS
from web.forms import NOTHING_REFUSED, Refused
from web.referrals.outcome import show

PAGE_SIZE = 50


def community_page(
    request: Request,
    template: str,
    context: dict[str, Any],
    refused: Refused = NOTHING_REFUSED,
    *,
    block: str | None = None,
) -> Response:
    return show(request, template, {**LABELS, "refused": refused, **context}, block=block)
