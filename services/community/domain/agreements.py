"""Partnership agreements: what lets a partner work with a municipality's children, and when."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from havn.errors import Conflict, InvalidInput
from services.community.domain.text import check_text
from services.community.models import Agreement, Partner


def open_agreement(
    *, tenant_id: str, partner: Partner, scope: str, valid_from: date, valid_to: date | None
) -> Agreement:
    if valid_to is not None and valid_to < valid_from:
        raise InvalidInput("the agreement ends before it starts", field="valid_to")
    return Agreement(
        id=uuid.uuid4(),
        tenant_id=tenant_id,
        partner_id=partner.id,
        scope=check_text(scope, field="scope", max_length=2000),
        valid_from=valid_from,
        valid_to=valid_to,
    )


def agreement_is_active(agreement: Agreement, *, today: date) -> bool:
    """From its first day to its last day, both included."""
    return agreement.valid_from <= today and (
        agreement.valid_to is None or today <= agreement.valid_to
    )


def active_agreement(
    agreements: Sequence[Agreement], *, partner: Partner, today: date
) -> Agreement:
    """The agreement that lets the partner work with children today: the one lasting longest."""
    active = [a for a in agreements if agreement_is_active(a, today=today)]
    if not active:
        raise Conflict(
            f"the municipality has no active agreement with '{partner.slug}' today; "
            "register or renew one first"
        )
    return max(active, key=lambda a: a.valid_to or date.max)
