"""Housing: where the youth lives or will live, with the start loan and housing allowance."""

from __future__ import annotations

from datetime import date

from havn.vocabulary import HousingType
from services.transition.domain.timeline import require_open_case
from services.transition.models import Transition


def record_housing(
    transition: Transition,
    *,
    housing_type: HousingType,
    start_loan: bool | None,
    housing_allowance: bool | None,
    today: date,
) -> None:
    """Where the youth lives or will live, with the start loan and housing allowance flags;
    a flag given as None keeps what was recorded (none: no loan, no allowance)."""
    require_open_case(transition, today=today)
    transition.housing_type = housing_type.value
    if start_loan is not None:
        transition.start_loan = start_loan
    if housing_allowance is not None:
        transition.housing_allowance = housing_allowance
    transition.start_loan = bool(transition.start_loan)
    transition.housing_allowance = bool(transition.housing_allowance)
    transition.housing_updated_on = today
