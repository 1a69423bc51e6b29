"""What the volunteer coordinator's screens share: the page with community's labels."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from web.community.labels import LABELS
from web.graphql import GraphQLResult
from web.referrals.outcome import show

PAGE_SIZE = 50


def community_page(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    failed: GraphQLResult | None = None,
    form: str | None = None,
    sent: dict[str, str] | None = None,
    block: str | None = None,
) -> Response:
    return show(
        request,
        template,
        {**LABELS, "sent": sent or {}, **context},
        failed=failed,
        form=form,
        block=block,
    )
